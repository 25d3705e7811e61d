//! File-system watching with notify, debounced into batches.
//!
//! Editors save in many ways (write in place, write a temporary file and
//! rename it, keep swap and backup files); a `git checkout` changes many
//! files at once. Events are collected until the tree has been quiet for a
//! short while, then handed over as one batch of paths. Only what the site
//! is made of counts ([`INPUTS`]): a log file written into the site folder
//! by `hindsight serve > serve.log` must not trigger the rebuild that
//! writes to it again. Editor litter and version-control folders are
//! dropped here too; the engine filters the rest, as it knows what each
//! path means.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// Watches a site's sources.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
    root: PathBuf,
    watched: Vec<PathBuf>,
}

/// Folders watched recursively, relative to the root.
const FOLDERS: &[&str] = &["content", "templates", "themes"];

/// What a site is made of: events about other paths under the root are
/// dropped.
pub const INPUTS: &[&str] = &["site.toml", "content", "templates", "themes", "static"];

impl Watcher {
    /// Starts watching `root`: `content/`, `templates/`, `themes/`
    /// recursively, and the root itself (for `site.toml` and new folders).
    pub fn new(root: &Path) -> Result<Watcher> {
        let (tx, rx) = mpsc::channel();
        let inner = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })
        .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
        let mut watcher = Watcher {
            inner,
            rx,
            root: root.to_path_buf(),
            watched: Vec::new(),
        };
        watcher
            .inner
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
        watcher.watch_folders();
        Ok(watcher)
    }

    /// Adds recursive watches for source folders that exist and are not
    /// watched yet (they may be created while serving).
    fn watch_folders(&mut self) {
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if path.is_dir()
                && !self.watched.contains(&path)
                && self.inner.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(path);
            }
        }
    }

    /// Blocks until something changes, then collects events until the tree
    /// has been quiet for `quiet` (at most `max` in all). Returns the
    /// changed paths, sorted and without repeats; `None` when the watcher
    /// has stopped.
    pub fn next_batch(&mut self, quiet: Duration, max: Duration) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        let first = self.rx.recv().ok()?;
        self.collect(first, &mut paths);
        let started = Instant::now();
        loop {
            let left = max.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.rx.recv_timeout(quiet.min(left)) {
                Ok(event) => self.collect(event, &mut paths),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        self.watch_folders();
        paths.sort();
        paths.dedup();
        Some(paths)
    }

    fn collect(&self, event: notify::Result<Event>, paths: &mut Vec<PathBuf>) {
        let Ok(event) = event else {
            return;
        };
        let relevant = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Modify(_)
                | EventKind::Remove(_)
                | EventKind::Any
                | EventKind::Other
        ) && !matches!(
            event.kind,
            EventKind::Modify(notify::event::ModifyKind::Metadata(_))
        );
        if relevant {
            paths.extend(event.paths.into_iter().filter(|p| is_input(&self.root, p)));
        }
    }
}

/// True when `path` is part of the site at `root`: under one of
/// [`INPUTS`], and neither editor litter nor inside a `.git`-like folder.
pub fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    INPUTS.contains(&first.as_ref())
        && !parts.any(|p| crate::content::is_editor_litter(&p) || VCS.contains(&p.as_ref()))
}

/// Version-control folders (`.git` and the like are litter already).
const VCS: &[&str] = &["_darcs", "CVS"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/site");
        for yes in [
            "site.toml",
            "content/2024/a.md",
            "templates/x.html",
            "themes/t/static/s.css",
            "content",
        ] {
            assert!(is_input(root, &root.join(yes)), "{yes}");
        }
        for no in [
            "serve.log",
            "public/index.html",
            ".git/index",
            "content/.a.md.swp",
            "content/a.md~",
            "content/.git/HEAD",
            "site.toml.bak",
            "/elsewhere/site.toml",
        ] {
            assert!(!is_input(root, &root.join(no)), "{no}");
        }
    }
}
