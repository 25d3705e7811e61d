//! The pipeline end to end: configuration → content → validation →
//! rendering → link check, shared by `build`, `check` and `serve`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::archive::Archive;
use crate::config::{SiteConfig, Taxonomy};
use crate::content::{self, LoadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::output::{self, WriteStats};
use crate::render::{self, OutputFile, RenderOptions, Theme};
use crate::validate;

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
        }
    }
}

/// Loads `site.toml` and applies command-line overrides.
pub fn load_config(opts: &SiteOptions) -> Result<SiteConfig> {
    let mut cfg = SiteConfig::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        cfg.set_base_url(url)?;
    }
    Ok(cfg)
}

/// The result of running the pipeline in memory.
#[derive(Debug)]
pub struct Checked {
    /// The configuration used.
    pub cfg: SiteConfig,
    /// The archive as loaded (incidents with errors included).
    pub archive: Archive,
    /// Every finding, levels applied, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The rendered site.
    pub files: Vec<OutputFile>,
    /// Postmortem files seen.
    pub sources: usize,
}

/// Runs everything but writing: load, validate, render, check links.
pub fn check(opts: &SiteOptions) -> Result<Checked> {
    let cfg = load_config(opts)?;
    let theme = Theme::load(&opts.root, &cfg)?;
    check_with(opts, cfg, &theme)
}

/// [`check`] with an already loaded configuration and theme.
pub fn check_with(opts: &SiteOptions, cfg: SiteConfig, theme: &Theme) -> Result<Checked> {
    let loaded = content::load(
        &opts.root,
        &cfg,
        &LoadOptions {
            drafts: opts.drafts,
        },
    )?;
    let today = opts.today.unwrap_or_else(|| {
        jiff::Zoned::now()
            .with_time_zone(cfg.timezone.clone())
            .date()
    });
    let ctx = validate::Context {
        cfg: &cfg,
        today,
        draft_slugs: &loaded.draft_slugs,
    };
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(validate::archive(&loaded.archive, &ctx));
    let render_opts = RenderOptions {
        today,
        inject: opts.inject.clone(),
    };
    let files = render::render(&loaded.archive, &cfg, theme, &render_opts)?;
    diagnostics.extend(link_check(&loaded.archive, &files));
    let diagnostics = validate::finish(diagnostics, &cfg);
    Ok(Checked {
        cfg,
        archive: loaded.archive,
        diagnostics,
        files,
        sources: loaded.files,
    })
}

fn link_check(archive: &Archive, files: &[OutputFile]) -> Vec<Diagnostic> {
    let lookup = |p: &str| {
        files
            .binary_search_by(|f| f.path.as_str().cmp(p))
            .ok()
            .map(|i| files[i].bytes.as_slice())
    };
    validate::links::check(archive, &lookup)
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
}

/// Builds the site into `output`. With errors, nothing is written unless
/// `allow_errors`, which leaves the broken incidents out.
pub fn build(opts: &SiteOptions, output_dir: &Path, allow_errors: bool) -> Result<BuildReport> {
    let started = Instant::now();
    let output = output::check_output_dir(&opts.root, output_dir)?;
    let cfg = load_config(opts)?;
    let theme = Theme::load(&opts.root, &cfg)?;
    let mut checked = check_with(opts, cfg, &theme)?;
    let broken = validate::files_with_errors(&checked.diagnostics);
    let mut skipped = Vec::new();
    if !broken.is_empty() {
        if !allow_errors {
            return Ok(report(checked, Vec::new(), None, output, started));
        }
        skipped = broken.iter().cloned().collect();
        checked
            .archive
            .incidents
            .retain(|i| !broken.contains(&i.file));
        let today = opts.today.unwrap_or_else(|| {
            jiff::Zoned::now()
                .with_time_zone(checked.cfg.timezone.clone())
                .date()
        });
        let render_opts = RenderOptions {
            today,
            inject: opts.inject.clone(),
        };
        checked.files = render::render(&checked.archive, &checked.cfg, &theme, &render_opts)?;
    }
    let stats = output::write(&checked.files, &output)?;
    Ok(report(checked, skipped, Some(stats), output, started))
}

fn report(
    checked: Checked,
    skipped: Vec<String>,
    written: Option<WriteStats>,
    output: PathBuf,
    started: Instant,
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
    }
}
