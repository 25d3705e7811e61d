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

use notify::event::{CreateKind, ModifyKind, RemoveKind};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// Watches a site's sources.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
    root: PathBuf,
    /// Folders watched recursively, with the identity (device, inode) of
    /// the folder each watch is on.
    watched: Vec<(PathBuf, FolderId)>,
    /// Folders came or went in a recent batch: once the tree is quiet,
    /// read it all again (see [`Watcher::next_batch`]).
    rescan: bool,
}

/// How long the tree must be quiet after folder events before it is read
/// again as a whole.
const SETTLE: Duration = Duration::from_millis(250);

/// A folder's device and inode: a folder swapped for another by a rename
/// has the same path but a new identity, and the watch on the old one sees
/// nothing of the new. (A folder removed and recreated may get its inode
/// back, so events naming the folder itself also move its watch.)
type FolderId = (u64, u64);

fn folder_id(path: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    meta.is_dir().then(|| (meta.dev(), meta.ino()))
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
            rescan: false,
        };
        watcher
            .inner
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::Usage(format!("cannot watch {}: {e}", root.display())))?;
        watcher.watch_folders(&[]);
        Ok(watcher)
    }

    /// Adds recursive watches for source folders that exist and are not
    /// watched yet (they may be created while serving), and moves the
    /// watch of a folder that was removed and recreated, or swapped by a
    /// rename, onto the folder now at its path: those named in `events`
    /// (created, removed or renamed themselves) and those whose identity
    /// changed. Returns the folders whose watch is new: what happened in
    /// them before it is unknown, so the engine must read them again.
    fn watch_folders(&mut self, events: &[PathBuf]) -> Vec<PathBuf> {
        let mut fresh = Vec::new();
        for folder in FOLDERS {
            let path = self.root.join(folder);
            let now = folder_id(&path);
            if let Some(i) = self.watched.iter().position(|(p, _)| *p == path) {
                if Some(self.watched[i].1) == now && !events.contains(&path) {
                    continue;
                }
                // The watch may already be gone with the folder.
                let _ = self.inner.unwatch(&path);
                self.watched.remove(i);
            }
            if let Some(id) = now
                && self.inner.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                fresh.push(path.clone());
                self.watched.push((path, id));
            }
        }
        fresh
    }

    /// Blocks until something changes, then collects events until the tree
    /// has been quiet for `quiet` (at most `max` in all). Returns the
    /// changed paths, sorted and without repeats; `None` when the watcher
    /// has stopped.
    ///
    /// Files created in a new folder before the watcher has added a watch
    /// for it raise no event, and a batch can end in the middle of a copy.
    /// So after a batch with folder events, once the tree has been quiet
    /// for `SETTLE`, the next batch is `content/` itself, which makes
    /// the engine walk it again.
    pub fn next_batch(&mut self, quiet: Duration, max: Duration) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        let first = if self.rescan {
            match self.rx.recv_timeout(SETTLE) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    self.rescan = false;
                    return Some(vec![self.root.join("content")]);
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        } else {
            self.rx.recv().ok()?
        };
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
        let fresh = self.watch_folders(&paths);
        paths.extend(fresh);
        paths.sort();
        paths.dedup();
        Some(paths)
    }

    fn collect(&mut self, event: notify::Result<Event>, paths: &mut Vec<PathBuf>) {
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
        let folders = matches!(
            event.kind,
            EventKind::Create(CreateKind::Folder)
                | EventKind::Remove(RemoveKind::Folder)
                | EventKind::Modify(ModifyKind::Name(_))
        );
        let before = paths.len();
        if relevant {
            paths.extend(event.paths.into_iter().filter(|p| is_input(&self.root, p)));
        }
        self.rescan |= folders && paths.len() > before;
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
