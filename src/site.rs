//! What `build` and `check` ask of a site, and what they report: the
//! options they resolve from the command line, and the runs of a
//! [`Session`] they make (`serve` keeps a session of its own).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::Archive;
use crate::model::Taxonomy;
use crate::output::{self, WriteStats};
use crate::render::{self, OutputFile};
use crate::session::{self, Session};
use crate::validate;

pub use crate::session::{Checked, SiteOptions, load_config};

/// Loads and validates the site, links included, without rendering it.
pub fn check(opts: &SiteOptions) -> Result<Checked> {
    Ok(Session::open(opts.clone())?.check(false)?.0)
}

/// Renders the whole site in memory (for tests; `serve` keeps a
/// [`Session`] instead).
pub fn render_site(opts: &SiteOptions) -> Result<(Checked, Vec<OutputFile>)> {
    let session = Session::open(opts.clone())?;
    let render_opts = session.render_options();
    let (checked, theme) = session.check(true)?;
    let files = render::render(&checked.archive, &checked.cfg, &theme, &render_opts)?;
    Ok((checked, files))
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// Files left out because they have errors (`--allow-errors`).
    pub skipped: Vec<String>,
    /// Incidents published.
    pub incidents: usize,
    /// Distinct tags.
    pub tags: usize,
    /// Distinct services.
    pub services: usize,
    /// Postmortem files seen.
    pub sources: usize,
    /// `None` when the build refused to write because of errors.
    pub written: Option<WriteStats>,
    /// Where the site went.
    pub output: PathBuf,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// What the build still holds in memory, handed back so that a
    /// process about to exit can skip freeing it one allocation at a time
    /// (`std::mem::forget`); dropping it frees it.
    pub retained: Retained,
}

/// The memory a build leaves behind: the archive and the list rows made
/// while rendering it.
#[derive(Default)]
pub struct Retained {
    _archive: Archive,
    _rows: render::Rows,
}

impl std::fmt::Debug for Retained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Retained").finish_non_exhaustive()
    }
}

/// Builds the site into `output`. With errors, nothing is written unless
/// `allow_errors`, which leaves the broken incidents out.
pub fn build(opts: &SiteOptions, output_dir: &Path, allow_errors: bool) -> Result<BuildReport> {
    let started = Instant::now();
    let output = output::check_output_dir(&opts.root, output_dir)?;
    let session = Session::open(opts.clone())?;
    let render_opts = session.render_options();
    let (mut checked, theme) = session.check(false)?;
    let broken = validate::files_with_errors(&checked.diagnostics);
    let mut skipped = Vec::new();
    if !broken.is_empty() {
        if !allow_errors {
            return Ok(report(
                checked,
                Vec::new(),
                None,
                output,
                started,
                Default::default(),
            ));
        }
        skipped = broken.iter().cloned().collect();
        checked
            .archive
            .incidents
            .retain(|i| !broken.contains(&i.file));
    }
    let (stats, rows) = session::write(
        &checked.archive,
        &checked.cfg,
        &theme,
        &render_opts,
        &output,
    )?;
    Ok(report(checked, skipped, Some(stats), output, started, rows))
}

fn report(
    checked: Checked,
    skipped: Vec<String>,
    written: Option<WriteStats>,
    output: PathBuf,
    started: Instant,
    rows: render::Rows,
) -> BuildReport {
    let ids: Vec<String> = checked
        .cfg
        .severities
        .iter()
        .map(|s| s.id.clone())
        .collect();
    BuildReport {
        incidents: checked.archive.incidents.len(),
        tags: checked.archive.terms(Taxonomy::Tags, &ids).len(),
        services: checked.archive.terms(Taxonomy::Services, &ids).len(),
        sources: checked.sources,
        diagnostics: checked.diagnostics,
        skipped,
        written,
        output,
        elapsed: started.elapsed(),
        retained: Retained {
            _archive: checked.archive,
            _rows: rows,
        },
    }
}
