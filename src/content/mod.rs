//! Reading `content/`: walking the folder, splitting and typing front
//! matter, rendering bodies and parsing timelines, into an [`Archive`].
//!
//! Loading is two parallel passes: the first reads every file's front
//! matter (so every slug is known), the second renders bodies, which can
//! then turn links to other postmortems' files into links to their pages.
//! The archive is then assembled: drafts set aside, the home page
//! rendered, assets attached, incidents sorted. These steps are written
//! once, in [`mod@load`]: [`load_walk`] runs them over a whole walk for
//! `build` and `check`, keeping no file's text; `serve` runs the same
//! steps over the files a change names, keeping each file's results.
//! Problems become [`Diagnostic`]s; a file whose front matter cannot be
//! read is left out of the archive and its findings say why.

pub mod actions;
pub mod frontmatter;
pub mod highlight;
pub mod html;
mod links;
pub mod load;
pub mod locate;
pub mod markdown;
pub mod timeline;
pub mod value;
pub mod walk;
pub mod yaml;

pub mod incident;

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::model::Archive;
use crate::model::url::{SitePath, Slug};

pub use walk::{SourceFile, Walk, is_editor_litter};

/// Collects the findings of one file.
#[derive(Debug, Clone)]
pub struct Findings {
    /// The file, relative to the site root.
    pub file: String,
    /// Findings so far.
    pub list: Vec<Diagnostic>,
}

impl Findings {
    /// An empty collector for `file`.
    pub fn new(file: &str) -> Findings {
        Findings {
            file: file.to_string(),
            list: Vec::new(),
        }
    }

    /// Records a finding at its rule's default level.
    pub fn push(&mut self, rule: Rule, pos: Pos, message: impl Into<String>) {
        self.list
            .push(Diagnostic::new(rule, &self.file, pos, message));
    }
}

/// What to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Include incidents with `status: draft`.
    pub drafts: bool,
    /// Keep each body's HTML in the archive. Off, bodies are only read
    /// (headings, links, items, words) and their HTML is made when their
    /// page is, with [`incident::body_html`]: less memory, same output.
    pub html: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            drafts: false,
            html: true,
        }
    }
}

/// The result of loading: the archive and every finding made on the way.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Incidents that could be read.
    pub archive: Archive,
    /// Findings of the load (front matter, clocks, unreadable files).
    pub diagnostics: Vec<Diagnostic>,
    /// Slugs of drafts left out (so `related` may still name them).
    pub draft_slugs: BTreeSet<Slug>,
    /// Number of postmortem files seen.
    pub files: usize,
}

/// Loads the archive under `root/content`.
pub fn load(root: &Path, cfg: &SiteConfig, opts: &LoadOptions) -> crate::Result<Loaded> {
    let walk = walk::walk(root)?;
    load_walk(root, walk, cfg, opts)
}

/// Loads from an already walked file list, running the steps of
/// [`mod@load`] over all of it. No file's text outlives the building of
/// its incident.
pub fn load_walk(
    root: &Path,
    walk: Walk,
    cfg: &SiteConfig,
    opts: &LoadOptions,
) -> crate::Result<Loaded> {
    let (postmortems, extras) = walk.split();
    read_ahead(&postmortems);
    let fronts = load::read_fronts(&postmortems, cfg);
    let slugs = load::index_slugs(&fronts);
    // Taken by value: each text is dropped on the thread that built from it.
    let built = load::build_fronts(fronts, cfg, &slugs, opts.html, &|_| Vec::new());
    let _ = root;
    Ok(load::assemble(
        built,
        extras,
        std::sync::Arc::new(slugs),
        cfg,
        opts.drafts,
    ))
}

/// Asks the kernel, from a thread of its own, to start reading every
/// file now: when the archive is not in the page cache (a fresh CI
/// checkout, or a large archive the kernel has evicted), the reads then
/// overlap instead of waiting one by one behind the parsing threads.
/// Checking 100,000 postmortems right after dropping the caches took
/// 9.8 s without it and 4.7 s with it (4.3 s with a warm cache, which it
/// does not change).
fn read_ahead(files: &[SourceFile]) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let paths: Vec<std::path::PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        let spawned = std::thread::Builder::new()
            .name("hindsight-read-ahead".into())
            .spawn(move || {
                for path in paths {
                    if let Ok(file) = std::fs::File::open(&path) {
                        // SAFETY: a plain hint about an open descriptor.
                        unsafe {
                            libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
                        }
                    }
                }
            });
        // Without the thread the files are simply read when parsed.
        drop(spawned);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = files;
}

/// Loads one postmortem from its text, as if it were the only file of the
/// archive at `rel` (`content/…`). Used by fuzzing and property tests.
pub fn load_text(
    rel: &str,
    text: &str,
    cfg: &SiteConfig,
) -> (Option<crate::model::Incident>, Vec<Diagnostic>) {
    let content_path = rel.strip_prefix("content/").unwrap_or(rel).to_string();
    let file = SourceFile {
        path: Path::new(rel).to_path_buf(),
        rel: rel.to_string(),
        content_path,
    };
    let first = incident::front_from_text(&file, text.to_string(), cfg);
    incident::build(&first, cfg, &|_| None, true)
}

/// Renders `_index.md` (front matter, if any, is skipped).
pub fn home_html(text: &str, lookup: &dyn Fn(&str) -> Option<SitePath>, sanitize: bool) -> String {
    let text = crate::text::normalize_newlines(text.to_string());
    let body = match frontmatter::split(&text) {
        Ok(block) => &text[block.body_offset..],
        Err(_) => &text[..],
    };
    let ctx = markdown::LinkContext {
        root: "",
        dir: "",
        incident_path: lookup,
        html: true,
        sanitize,
        sections: crate::model::section::SectionTable::built_in(),
    };
    markdown::render_html(body, 0, &ctx)
}
