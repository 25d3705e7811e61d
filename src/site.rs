//! The pipeline end to end: configuration → content → validation →
//! rendering → link check → output, shared by `build`, `check` and tests.
//!
//! `check` never renders the whole site: the link check needs only the
//! list of pages and the HTML of pages that links point into with a
//! `#fragment`. `build` checks links the same way before writing anything,
//! then renders every page straight into the output writer, so the whole
//! site is never held in memory.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{self, LoadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::model::Archive;
use crate::model::Taxonomy;
use crate::output::{self, WriteStats};
use crate::render::{self, Job, OutputFile, RenderOptions, Renderer, Theme};
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

    fn today(&self, cfg: &SiteConfig) -> Date {
        self.today.unwrap_or_else(|| {
            jiff::Zoned::now()
                .with_time_zone(cfg.timezone.clone())
                .date()
        })
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

/// Loads and validates the site, links included, without rendering it.
pub fn check(opts: &SiteOptions) -> Result<Checked> {
    let cfg = load_config(opts)?;
    let theme = Theme::load(&opts.root, &cfg)?;
    check_with(opts, cfg, &theme, false)
}

fn check_with(opts: &SiteOptions, cfg: SiteConfig, theme: &Theme, html: bool) -> Result<Checked> {
    let loaded = content::load(
        &opts.root,
        &cfg,
        &LoadOptions {
            drafts: opts.drafts,
            html,
        },
    )?;
    let today = opts.today(&cfg);
    let ctx = validate::Context {
        cfg: &cfg,
        today,
        draft_slugs: &loaded.draft_slugs,
    };
    let render_opts = RenderOptions {
        today,
        inject: opts.inject.clone(),
    };
    let renderer = Renderer::new(&loaded.archive, &cfg, theme, &render_opts);
    // The archive-wide rules and the link check each have a serial part:
    // run side by side, they overlap.
    let (found, links) = rayon::join(
        || validate::archive(&loaded.archive, &ctx),
        || link_check(&loaded.archive, &renderer, theme),
    );
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(found);
    diagnostics.extend(links?);
    let diagnostics = validate::finish(diagnostics, &cfg);
    Ok(Checked {
        cfg,
        archive: loaded.archive,
        diagnostics,
        sources: loaded.files,
    })
}

/// Checks body links against the pages `renderer` would produce, rendering
/// only the pages that links point into with a fragment.
fn link_check(
    archive: &Archive,
    renderer: &Renderer<'_>,
    theme: &Theme,
) -> Result<Vec<Diagnostic>> {
    let jobs: HashMap<String, Job> = renderer
        .jobs()
        .into_iter()
        .map(|j| (renderer.path(j), j))
        .collect();
    let mut others: HashSet<String> = theme.statics.iter().map(|(p, _)| p.clone()).collect();
    others.insert("highlight.css".into());
    others.extend(archive.assets.iter().map(|a| a.path.clone()));
    let exists = |p: &str| jobs.contains_key(p) || others.contains(p);
    let page = |p: &str| {
        jobs.get(p)
            .and_then(|&j| renderer.render(j).ok())
            .map(|f| f.bytes)
    };
    Ok(validate::links::check(
        archive,
        &validate::links::Site {
            exists: &exists,
            page: &page,
        },
    ))
}

/// Renders the whole site in memory (for `serve` and tests).
pub fn render_site(opts: &SiteOptions) -> Result<(Checked, Vec<OutputFile>)> {
    let cfg = load_config(opts)?;
    let theme = Theme::load(&opts.root, &cfg)?;
    let checked = check_with(opts, cfg, &theme, true)?;
    let render_opts = RenderOptions {
        today: opts.today(&checked.cfg),
        inject: opts.inject.clone(),
    };
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
    let cfg = load_config(opts)?;
    let theme = Theme::load(&opts.root, &cfg)?;
    let mut checked = check_with(opts, cfg, &theme, false)?;
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
    let render_opts = RenderOptions {
        today: opts.today(&checked.cfg),
        inject: opts.inject.clone(),
    };
    let (stats, rows) = write(
        &checked.archive,
        &checked.cfg,
        &theme,
        &render_opts,
        &output,
    )?;
    Ok(report(checked, skipped, Some(stats), output, started, rows))
}

/// Renders every page straight into the output writer, in parallel;
/// hands back the list rows it made.
fn write(
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
    jobs.par_iter().try_for_each(|&job| match job {
        // The largest file: streamed, never held whole.
        Job::Export => writer
            .put_with(&renderer.path(job), |out| {
                render::export::write_json(archive, cfg, out)
            })
            .map(|_| ()),
        _ => {
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
