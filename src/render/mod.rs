//! Rendering: the archive → the files of the site, as bytes in memory.
//!
//! Every page is a small view rendered by a Tera template; pages render in
//! parallel and come back sorted by path, so output is deterministic.
//! The kinds of page are declared once each, in [`kinds`]: their pages,
//! URLs, rendering, and what they show of the archive.
//! Writing them is [`crate::output`]'s job, which lets `serve` keep the
//! site in memory.

pub mod charts;
pub mod export;
pub mod feeds;
pub mod incident_page;
pub mod insights;
pub mod kinds;
pub mod pages;
pub mod search;
pub mod stats;
pub mod theme;
pub mod views;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::Result;
use crate::model::Archive;
pub use kinds::{Group, Job, Key, PageKind, Shows};
pub use pages::{Renderer, Rows};
pub use theme::Theme;

pub use crate::output::OutputFile;

/// What a render needs besides the archive.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The day overdue action items are measured against.
    pub today: Date,
    /// HTML to insert before `</body>` of every page (live reload).
    pub inject: Option<String>,
    /// The kinds of page to render ([`kinds::BUILT_IN`] unless a test
    /// adds its own).
    pub kinds: Vec<&'static PageKind>,
}

/// Renders the whole site. Files come back sorted by path.
pub fn render(
    archive: &Archive,
    cfg: &SiteConfig,
    theme: &Theme,
    opts: &RenderOptions,
) -> Result<Vec<OutputFile>> {
    let renderer = Renderer::new(archive, cfg, theme, opts);
    let mut files = renderer.render_all(&renderer.jobs())?;
    files.extend(extras(archive, theme)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|later, earlier| later.path == earlier.path);
    Ok(files)
}

impl Renderer<'_> {
    /// Renders `jobs` in parallel, in the order given.
    pub fn render_all(&self, jobs: &[Job]) -> Result<Vec<OutputFile>> {
        jobs.par_iter().map(|&job| self.render(job)).collect()
    }
}

/// The files that are not pages: theme static files, the highlighting
/// stylesheet, and assets copied from `content/`.
pub fn extras(archive: &Archive, theme: &Theme) -> Result<Vec<OutputFile>> {
    let mut files = Vec::new();
    files.extend(theme.statics.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        bytes: bytes.clone(),
    }));
    files.push(OutputFile {
        path: "highlight.css".into(),
        bytes: crate::content::highlight::stylesheet().into_bytes(),
    });
    let assets: Vec<OutputFile> = archive
        .assets
        .par_iter()
        .map(|a| {
            crate::input::read(&a.source)
                .map(|bytes| OutputFile {
                    path: a.path.clone(),
                    bytes,
                })
                .map_err(|e| crate::error::Error::io(&a.source, e))
        })
        .collect::<Result<Vec<_>>>()?;
    files.extend(assets);
    Ok(files)
}
