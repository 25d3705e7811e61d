//! The one build session that `build`, `check` and `serve` drive:
//! configuration → content → validation → link check → rendering.
//!
//! A session holds the configuration and theme, and, when it watches the
//! site (`serve`), each file's results (`sources.rs`) and the built
//! incidents and indexes of the last good build ([`plan`]). It offers
//! [`Session::check`] (load and find everything wrong), [`write()`]
//! (render every page into the output), and for `serve`
//! [`Session::apply`] (take a set of changed files, returning what
//! changed), [`Session::current`] with its findings, and the pages a
//! change touches, derived from what each page kind shows
//! ([`crate::render::kinds`]).
//!
//! `check` never renders the whole site: the link check needs only the
//! list of pages and the HTML of pages that links point into with a
//! `#fragment`. `build` checks links the same way before writing anything,
//! then renders every page straight into the output writer, so the whole
//! site is never held in memory. Both ways load `content/` through the
//! same steps ([`mod@crate::content::load`]): `build` and `check` run them
//! once over every file and keep none of its text; `serve` keeps each
//! file's text and results (`sources.rs`) to re-read single files.

mod changes;
mod fingerprints;
pub mod plan;
mod sources;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::Archive;
use crate::model::url::Slug;
use crate::output::{self, WriteStats};
use crate::render::{self, Job, OutputFile, RenderOptions, Renderer, Theme};
use crate::validate;

pub use changes::{Changes, Input};
pub(crate) use sources::Sources;

/// A site loaded once (`build`, `check`) or kept up to date (`serve`).
pub struct Session {
    opts: SiteOptions,
    cfg: SiteConfig,
    theme: Theme,
    /// Each file's results, kept while watching.
    sources: Option<Sources>,
    /// What each input file held when a change last named it.
    fingerprints: fingerprints::Fingerprints,
    /// The last good build, while watching.
    good: Option<plan::LastGood>,
}

/// Loads `site.toml` and applies command-line overrides.
pub fn load_config(opts: &SiteOptions) -> Result<SiteConfig> {
    let mut cfg = SiteConfig::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        cfg.set_base_url(url)?;
    }
    Ok(cfg)
}

impl Session {
    /// Reads the configuration and the theme of the site at `opts.root`.
    pub fn open(opts: SiteOptions) -> Result<Session> {
        let cfg = load_config(&opts)?;
        let theme = Theme::load(&opts.root, &cfg)?;
        Ok(Session {
            opts,
            cfg,
            theme,
            sources: None,
            fingerprints: Default::default(),
            good: None,
        })
    }

    /// Opens the site and reads every file, keeping each file's results
    /// so that [`Session::apply`] re-reads only what changes.
    pub fn watch(mut opts: SiteOptions) -> Result<Session> {
        // Watch events name absolute paths; classify them against an
        // absolute root (a relative one would make every event foreign).
        opts.root = opts
            .root
            .canonicalize()
            .map_err(|e| Error::io(&opts.root, e))?;
        let mut session = Session::open(opts)?;
        session.fingerprints.seed(&session.opts.root);
        let ctx = file_context(&session.cfg, session.today());
        let sources = Sources::load(&session.opts.root, &session.cfg, &ctx)?;
        session.sources = Some(sources);
        Ok(session)
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.opts.root
    }

    /// The configuration in use.
    pub fn config(&self) -> &SiteConfig {
        &self.cfg
    }

    /// The theme in use.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// The day overdue action items are measured against.
    pub fn today(&self) -> Date {
        self.opts.today.unwrap_or_else(|| {
            jiff::Zoned::now()
                .with_time_zone(self.cfg.timezone.clone())
                .date()
        })
    }

    /// How pages render.
    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            today: self.today(),
            inject: self.opts.inject.clone(),
            kinds: self.opts.kinds.clone(),
        }
    }

    /// Loads and validates the site, links included, without rendering
    /// it; with `html`, bodies keep their HTML (for a render in memory).
    pub fn check(self, html: bool) -> Result<(Checked, Theme)> {
        let drafts = self.opts.drafts;
        let loaded = content::load(&self.opts.root, &self.cfg, &LoadOptions { drafts, html })?;
        let today = self.today();
        let ctx = validate::Context {
            cfg: &self.cfg,
            today,
            draft_slugs: &loaded.draft_slugs,
        };
        let render_opts = self.render_options();
        let renderer = Renderer::new(&loaded.archive, &self.cfg, &self.theme, &render_opts);
        // The archive-wide rules and the link check each have a serial part:
        // run side by side, they overlap.
        let (found, links) = rayon::join(
            || validate::archive(&loaded.archive, &ctx),
            || self.link_check(&loaded.archive, &renderer),
        );
        let mut diagnostics = loaded.diagnostics;
        diagnostics.extend(found);
        diagnostics.extend(links);
        let diagnostics = validate::finish(diagnostics, &self.cfg);
        let checked = Checked {
            cfg: self.cfg,
            archive: loaded.archive,
            diagnostics,
            sources: loaded.files,
        };
        Ok((checked, self.theme))
    }

    /// Checks body links against the pages `renderer` would produce,
    /// rendering only the pages that links point into with a fragment.
    fn link_check(&self, archive: &Archive, renderer: &Renderer<'_>) -> Vec<Diagnostic> {
        let jobs: HashMap<String, Job> = renderer
            .jobs()
            .into_iter()
            .map(|j| (renderer.path(j), j))
            .collect();
        let mut others: HashSet<String> =
            self.theme.statics.iter().map(|(p, _)| p.clone()).collect();
        others.insert("highlight.css".into());
        others.extend(archive.assets.iter().map(|a| a.path.clone()));
        let exists = |p: &str| jobs.contains_key(p) || others.contains(p);
        let page = |p: &str| {
            jobs.get(p)
                .and_then(|&j| renderer.render(j).ok())
                .map(|f| f.bytes)
        };
        validate::links::check(
            archive,
            &validate::links::Site {
                exists: &exists,
                page: &page,
            },
        )
    }
}

/// The per-incident rules' context (drafts are not known per file).
fn file_context(cfg: &SiteConfig, today: Date) -> validate::Context<'_> {
    validate::Context {
        cfg,
        today,
        draft_slugs: &NO_DRAFTS,
    }
}

/// No drafts: the per-incident rules do not look at them.
static NO_DRAFTS: std::collections::BTreeSet<Slug> = std::collections::BTreeSet::new();

/// Renders every page of `archive` straight into the output folder `out`,
/// in parallel; hands back the list rows it made.
pub fn write(
    archive: &Archive,
    cfg: &SiteConfig,
    theme: &Theme,
    opts: &RenderOptions,
    out: &Path,
) -> Result<(WriteStats, render::Rows)> {
    let writer = output::Writer::new(out)?;
    let renderer = Renderer::new(archive, cfg, theme, opts);
    let jobs = renderer.jobs();
    let pages: HashSet<String> = jobs.iter().map(|&j| renderer.path(j)).collect();
    jobs.par_iter().try_for_each(|&job| match job.kind.stream {
        // The largest file: streamed, never held whole.
        Some(stream) => writer
            .put_with(&renderer.path(job), |out| stream(&renderer, out))
            .map(|_| ()),
        None => {
            let file = renderer.render(job)?;
            writer.put(&file.path, &file.bytes).map(|_| ())
        }
    })?;
    // A page wins over a theme or content file of the same path.
    let extras: Vec<OutputFile> = render::extras(archive, theme)?
        .into_iter()
        .filter(|f| !pages.contains(&f.path))
        .collect();
    let mut seen = HashSet::new();
    for file in extras.iter().filter(|f| seen.insert(f.path.clone())) {
        writer.put(&file.path, &file.bytes)?;
    }
    Ok((writer.commit()?, renderer.into_rows()))
}

/// The root-relative path of `path` (absolute or relative), `/`-separated.
fn relative(root: &Path, path: &Path) -> Option<PathBuf> {
    if path.is_absolute() {
        path.strip_prefix(root).ok().map(Path::to_path_buf)
    } else {
        Some(path.to_path_buf())
    }
}

impl Session {
    /// The archive as the files now stand (watching), with every finding
    /// but those on links, which need the rendered site.
    pub fn current(&self) -> (Archive, Vec<Diagnostic>) {
        let Some(sources) = &self.sources else {
            return (Archive::default(), Vec::new());
        };
        let content::Loaded {
            archive,
            diagnostics: mut findings,
            draft_slugs,
            ..
        } = sources.current(&self.cfg, self.opts.drafts);
        let ctx = validate::Context {
            cfg: &self.cfg,
            today: self.today(),
            draft_slugs: &draft_slugs,
        };
        findings.extend(validate::cross(&archive, &ctx));
        (archive, findings)
    }

    /// Adds the findings on the body links of `archive` (checked against
    /// `exists` and `page`, a rendered page's bytes) to `findings`, and
    /// finishes them (levels applied, sorted).
    pub fn diagnostics(
        &self,
        mut findings: Vec<Diagnostic>,
        archive: &Archive,
        exists: &dyn Fn(&str) -> bool,
        page: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> Vec<Diagnostic> {
        findings.extend(validate::links::check(
            archive,
            &validate::links::Site { exists, page },
        ));
        validate::finish(findings, &self.cfg)
    }

    /// A renderer for `archive`; with `reuse`, it takes the last good
    /// build's indexes when its incidents have the same slugs, services
    /// and tags.
    pub fn renderer<'a>(
        &'a self,
        archive: &'a Archive,
        opts: &'a RenderOptions,
        reuse: bool,
    ) -> Renderer<'a> {
        let renderer = Renderer::new(archive, &self.cfg, &self.theme, opts);
        match &self.good {
            Some(good) if reuse && plan::same_shape(&good.incidents, &archive.incidents) => {
                renderer.with_indexes(
                    std::sync::Arc::clone(&good.index),
                    std::sync::Arc::clone(&good.recurrences),
                )
            }
            _ => renderer,
        }
    }

    /// The last good build, while watching.
    pub fn last_good(&self) -> Option<&plan::LastGood> {
        self.good.as_ref()
    }

    /// Makes `good` the last good build; returns the one before.
    pub fn set_good(&mut self, good: plan::LastGood) -> Option<plan::LastGood> {
        self.good.replace(good)
    }

    /// What to render of `renderer`'s pages (`jobs`, at `paths`): the
    /// pages a content change touched, or `everything`.
    pub fn plan(
        &self,
        renderer: &Renderer<'_>,
        jobs: &[Job],
        paths: &[String],
        everything: bool,
    ) -> plan::Plan {
        match (&self.good, everything) {
            (Some(good), false) => plan::Plan::touched(&self.cfg, good, renderer, jobs, paths),
            _ => plan::Plan::everything(renderer.archive(), renderer, jobs.len()),
        }
    }
}

/// How to run the pipeline (resolved from the command line).
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The site root (holds `site.toml` and `content/`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url` of `site.toml`.
    pub base_url: Option<String>,
    /// The day overdue action items are measured against (default: today
    /// in the site's zone).
    pub today: Option<Date>,
    /// HTML to inject before `</body>` (live reload in `serve`).
    pub inject: Option<String>,
    /// The kinds of page the site has ([`render::kinds::BUILT_IN`] unless
    /// a test adds its own).
    pub kinds: Vec<&'static render::PageKind>,
}

impl SiteOptions {
    /// Options for the site at `root` with everything else default.
    pub fn new(root: impl Into<PathBuf>) -> SiteOptions {
        SiteOptions {
            root: root.into(),
            drafts: false,
            base_url: None,
            today: None,
            inject: None,
            kinds: render::kinds::BUILT_IN.to_vec(),
        }
    }
}

/// The archive with every finding, ready to render.
#[derive(Debug)]
pub struct Checked {
    /// The configuration used.
    pub cfg: SiteConfig,
    /// The archive as loaded (incidents with errors included).
    pub archive: Archive,
    /// Every finding, levels applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Postmortem files seen.
    pub sources: usize,
}
