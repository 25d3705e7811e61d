//! Validation: the rules of the archive format, one file per family, each
//! a function from loaded data to [`Diagnostic`]s.
//!
//! Per-incident rules run in parallel; archive-wide rules (slugs, related
//! incidents, taxonomy collisions) run once; `broken-link` runs after
//! rendering, against the pages actually produced. Level overrides from
//! `site.toml` are applied last, in [`finish`].

mod cross;
pub mod external;
mod fields;
pub mod links;
mod prose;
mod sections;
mod timeline;

use std::collections::BTreeSet;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Level, Pos, Rule};
use crate::model::url::Slug;
use crate::model::{Archive, Incident};
use crate::text::LineIndex;

/// What the rules need besides the archive.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The site configuration.
    pub cfg: &'a SiteConfig,
    /// The day overdue action items are measured against.
    pub today: Date,
    /// Slugs of drafts left out of the build (`related` may name them).
    pub draft_slugs: &'a BTreeSet<Slug>,
}

/// Runs every per-incident and archive-wide rule.
pub fn archive(archive: &Archive, ctx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = archive
        .incidents
        .par_iter()
        .flat_map_iter(|incident| self::incident(incident, ctx))
        .collect();
    out.extend(cross::check(archive, ctx));
    out
}

/// Runs only the archive-wide rules (slugs, related, collisions).
pub fn cross(archive: &Archive, ctx: &Context<'_>) -> Vec<Diagnostic> {
    cross::check(archive, ctx)
}

/// Runs the per-incident rules on one incident.
pub fn incident(incident: &Incident, ctx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = FileFindings {
        file: &incident.file,
        index: std::cell::OnceCell::new(),
        source: &incident.source,
        list: Vec::new(),
    };
    fields::check(incident, ctx, &mut out);
    sections::check(incident, ctx.cfg, &mut out);
    timeline::check(incident, ctx.cfg, &mut out);
    prose::check(incident, ctx.cfg, &mut out);
    out.list
}

/// Collects findings for one file, converting byte offsets to positions.
pub(crate) struct FileFindings<'a> {
    file: &'a str,
    /// Built on the first finding: most files have none.
    index: std::cell::OnceCell<LineIndex>,
    source: &'a str,
    list: Vec<Diagnostic>,
}

impl FileFindings<'_> {
    fn push(&mut self, rule: Rule, pos: Pos, message: impl Into<String>) -> &mut Diagnostic {
        self.list
            .push(Diagnostic::new(rule, self.file, pos, message));
        self.list.last_mut().expect("just pushed")
    }

    fn at(&self, offset: usize, len: usize) -> Pos {
        self.index
            .get_or_init(|| LineIndex::new(self.source))
            .pos(self.source, offset, len)
    }
}

/// Applies `site.toml`'s level overrides (dropping rules switched off) and
/// sorts findings by file and position. A finding keeps its own level
/// (a `timezone` disagreement is a warning, a missing zone an error)
/// unless `site.toml` sets its rule's level.
pub fn finish(mut diagnostics: Vec<Diagnostic>, cfg: &SiteConfig) -> Vec<Diagnostic> {
    diagnostics.retain_mut(|d| match cfg.validation.levels.get(&d.rule) {
        Some(Some(level)) => {
            d.level = *level;
            true
        }
        Some(None) => false,
        None => true,
    });
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup();
    diagnostics
}

/// Files that have at least one error.
pub fn files_with_errors(diagnostics: &[Diagnostic]) -> BTreeSet<String> {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| d.file.clone())
        .collect()
}

/// Formats a duration for messages: `1h 30m`, `45m`, `2d 3h`.
pub(crate) fn human_duration(d: jiff::SignedDuration) -> String {
    crate::model::format::duration(d)
}
