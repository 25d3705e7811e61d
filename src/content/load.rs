//! The steps of loading, written once for every caller: `build` and
//! `check` run them over a whole walk ([`super::load_walk`]), `serve` over
//! the files a change names, keeping each step's results per file.
//!
//! 1. [`read_fronts`]: pass one, each file's text and front matter.
//! 2. [`index_slugs`]: every postmortem's slug by its path under
//!    `content/`, which [`slug_lookup`] turns into its incident's URL.
//! 3. [`build_fronts`]: pass two, each incident built against that lookup.
//! 4. [`assemble`]: the archive from the built incidents and what the walk
//!    found besides postmortems ([`Extras`]): drafts set aside unless
//!    wanted, the home page rendered, assets attached, incidents sorted.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::incident::{self, FrontRead};
use super::walk::{SourceFile, Walk};
use super::{Loaded, home_html};
use crate::config::SiteConfig;
use crate::diagnostic::Diagnostic;
use crate::model::schema::Status;
use crate::model::url::{SitePath, Slug, incident_url};
use crate::model::{Asset, Incident};

/// Slug of each postmortem (drafts and broken ones included) by its path
/// under `content/`.
pub type SlugIndex = HashMap<String, Slug>;

/// One postmortem built: its incident (none when it could not be read)
/// and the findings made on it.
#[derive(Debug, Clone)]
pub struct Built {
    /// The incident, shared so an archive can be put together again
    /// without copying it.
    pub incident: Option<Arc<Incident>>,
    /// Findings of reading and building it (and any the caller added).
    pub findings: Vec<Diagnostic>,
}

/// What `content/` holds besides postmortems.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The text of `content/_index.md`, if present.
    pub home: Option<String>,
    /// Files to copy as they are.
    pub assets: Vec<Asset>,
    /// Files and folders the walk could not use.
    pub findings: Vec<Diagnostic>,
}

impl Walk {
    /// The postmortems found, and everything else.
    pub fn split(self) -> (Vec<SourceFile>, Extras) {
        let extras = Extras {
            home: self.home,
            assets: self.assets,
            findings: self.diagnostics,
        };
        (self.postmortems, extras)
    }
}

/// Pass one for `files`, in parallel: each one's text and front matter,
/// in the order of `files`.
pub fn read_fronts(files: &[SourceFile], cfg: &SiteConfig) -> Vec<FrontRead> {
    files
        .par_iter()
        .map(|file| incident::read_front(file, cfg))
        .collect()
}

/// The slug of each front matter read, by its file's path under `content/`.
pub fn index_slugs<'a>(fronts: impl IntoIterator<Item = &'a FrontRead>) -> SlugIndex {
    fronts
        .into_iter()
        .filter_map(|f| Some((f.file.content_path.clone(), f.slug.clone()?)))
        .collect()
}

/// Where a link to a postmortem's file (by its path under `content/`)
/// points: its incident's page.
pub fn slug_lookup(slugs: &SlugIndex) -> impl Fn(&str) -> Option<SitePath> + Sync + '_ {
    |p: &str| slugs.get(p).map(|slug| incident_url(slug))
}

/// Pass two for `fronts`, in parallel and in their order: each incident
/// built against `slugs`, with the findings `also` makes on it added.
/// Fronts given by value are dropped on the thread that built them, and
/// each incident goes into its `Arc` there too: the caller then moves
/// pointers, not incidents.
pub fn build_fronts<F>(
    fronts: Vec<F>,
    cfg: &SiteConfig,
    slugs: &SlugIndex,
    html: bool,
    also: &(dyn Fn(&Incident) -> Vec<Diagnostic> + Sync),
) -> Vec<Built>
where
    F: Borrow<FrontRead> + Send,
{
    let lookup = slug_lookup(slugs);
    fronts
        .into_par_iter()
        .map(|front| {
            let (incident, mut findings) = incident::build(front.borrow(), cfg, &lookup, html);
            if let Some(i) = &incident {
                findings.extend(also(i));
            }
            let incident = incident.map(Arc::new);
            Built { incident, findings }
        })
        .collect()
}

/// The archive of the incidents `built` (one per postmortem file) and
/// `extras`: drafts are set aside (their slugs kept, their findings
/// dropped) unless `drafts`; the home page is rendered with links to
/// postmortems' files resolved through `slugs`.
pub fn assemble(
    built: impl IntoIterator<Item = Built>,
    extras: Extras,
    slugs: Arc<SlugIndex>,
    cfg: &SiteConfig,
    drafts: bool,
) -> Loaded {
    let mut loaded = Loaded {
        diagnostics: extras.findings,
        ..Loaded::default()
    };
    for Built { incident, findings } in built {
        loaded.files += 1;
        match incident {
            Some(i) if i.status == Status::Draft && !drafts => {
                loaded.draft_slugs.insert(i.slug.clone());
            }
            Some(i) => {
                loaded.diagnostics.extend(findings);
                loaded.archive.incidents.push(i);
            }
            None => loaded.diagnostics.extend(findings),
        }
    }
    loaded.archive.home_html = extras
        .home
        .map(|text| home_html(&text, &slug_lookup(&slugs), cfg.safe_html));
    loaded.archive.assets = extras.assets;
    loaded.archive.sort();
    loaded.archive.slugs = slugs;
    loaded
}
