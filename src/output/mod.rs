//! Writing the rendered site to disk, atomically.
//!
//! The site is written into a temporary sibling of the output folder and
//! swapped in (`swap`: one atomic exchange on Linux), so a failed or killed build never leaves a
//! half-written site: the previous output stays until the new one is
//! complete. Files whose bytes did not change are hard-linked from the
//! previous output, which keeps their modification times (rsync and Pages
//! uploads then skip them). Leftovers of a killed build are cleaned up, or
//! restored, by the next one.
//!
//! Builds into one output take turns: a writer holds an advisory lock on
//! a file next to the output (`.public.hindsight-lock`) from before it
//! looks for leftovers until its swap is done, and a second build waits
//! for it. So every temporary folder found while holding the lock belongs
//! to a build that is gone, and is safe to remove.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

mod cleanup;
mod lock;
mod swap;

use cleanup::recover;
use lock::OutputLock;

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Files written with new bytes.
    pub written: usize,
    /// Files kept from the previous output (same bytes).
    pub unchanged: usize,
    /// Folders left behind that could not be removed (a read-only
    /// previous output), each with how to remove it by hand.
    pub leftovers: Vec<String>,
}

/// Refuses output folders that would destroy the site's sources: the
/// site root, `content/`, `themes/`, `templates/`, or any folder that
/// contains one of them. An output that is a symlink (to a web root, say)
/// is resolved: the site is swapped in at its target, and the link stays.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = absolute(root)?;
    let out = lexical(&absolute(&root.join(out))?);
    refuse_sources(&root, &out)?;
    let Some(target) = link_target(&out)? else {
        return Ok(out);
    };
    let real_root = root.canonicalize().unwrap_or(root);
    refuse_sources(&real_root, &target)?;
    Ok(target)
}

/// The folder a symlinked output points to; `None` when `out` is not a
/// symlink.
fn link_target(out: &Path) -> Result<Option<PathBuf>> {
    let is_link = fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(None);
    }
    let shown = fs::read_link(out).unwrap_or_default();
    match fs::canonicalize(out) {
        Ok(target) if target.is_dir() => Ok(Some(target)),
        Ok(target) => Err(Error::Usage(format!(
            "{} is a symlink to {}, which is not a folder; point it at a folder, or remove the link to build into a folder of its own",
            out.display(),
            target.display()
        ))),
        Err(e) => Err(Error::Usage(format!(
            "{} is a symlink to {}, which cannot be reached ({e}); create that folder, or remove the link to build into a folder of its own",
            out.display(),
            shown.display()
        ))),
    }
}

fn refuse_sources(root: &Path, out: &Path) -> Result<()> {
    let protected = ["content", "themes", "templates", "site.toml"].map(|p| root.join(p));
    let dangerous = out == root
        || protected
            .iter()
            .any(|p| p.starts_with(out) || out.starts_with(p));
    if dangerous || out.parent().is_none() {
        return Err(Error::Usage(format!(
            "refusing to write the site to {}: it is or contains the site's sources; choose a folder such as public/",
            out.display()
        )));
    }
    Ok(())
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).map_err(|e| Error::io(p, e))
}

/// Resolves `.` and `..` without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn sibling(out: &Path, kind: &str, id: &str) -> PathBuf {
    named_sibling(out, &format!("{kind}-{id}"))
}

/// `.public.hindsight-<suffix>` next to `out` (hidden, and named after it
/// so several outputs in one folder do not meet).
fn named_sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.hindsight-{suffix}"))
}

/// Writes `files` to `out` atomically (see the module docs).
pub fn write(files: &[OutputFile], out: &Path) -> Result<WriteStats> {
    let writer = Writer::new(out)?;
    files
        .par_iter()
        .try_for_each(|f| writer.put(&f.path, &f.bytes).map(|_| ()))?;
    writer.commit()
}

/// An output folder being written: files go into a temporary sibling,
/// from any number of threads, and [`Writer::commit`] swaps it in. Dropped
/// without a commit, the temporary folder is removed and the previous
/// output stays.
pub struct Writer {
    out: PathBuf,
    /// Whether there is a previous output to keep unchanged files from.
    previous: bool,
    tmp: PathBuf,
    dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    written: std::sync::atomic::AtomicUsize,
    unchanged: std::sync::atomic::AtomicUsize,
    committed: bool,
    /// Leftovers that could not be removed (see [`WriteStats::leftovers`]).
    leftovers: Vec<String>,
    /// Held until the writer is dropped, after the swap or the clean-up.
    _lock: OutputLock,
}

impl Writer {
    /// Starts writing a new version of `out`.
    pub fn new(out: &Path) -> Result<Writer> {
        swap::refuse_mount_point(out)?;
        let lock = OutputLock::acquire(out)?;
        let leftovers = recover(out)?;
        let tmp = sibling(out, "tmp", &std::process::id().to_string());
        fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(Writer {
            out: out.to_path_buf(),
            previous: out.is_dir(),
            tmp,
            dirs: Default::default(),
            written: Default::default(),
            unchanged: Default::default(),
            committed: false,
            _lock: lock,
            leftovers,
        })
    }

    /// Writes one file (site-relative path); returns true when its bytes
    /// equal the previous output's and it was linked, not written.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<bool> {
        use std::sync::atomic::Ordering::Relaxed;
        let target = self.target(rel)?;
        let old = self.out.join(rel);
        if self.previous && same_bytes(&old, bytes) && fs::hard_link(&old, &target).is_ok() {
            self.unchanged.fetch_add(1, Relaxed);
            return Ok(true);
        }
        fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        self.written.fetch_add(1, Relaxed);
        Ok(false)
    }

    /// Writes one file (site-relative path) by streaming it from `write`,
    /// for files too large to hold in memory; like [`Writer::put`], a file
    /// whose bytes equal the previous output's is linked instead (returns
    /// true).
    pub fn put_with(
        &self,
        rel: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<bool> {
        use std::sync::atomic::Ordering::Relaxed;
        let target = self.target(rel)?;
        let file = fs::File::create(&target).map_err(|e| Error::io(&target, e))?;
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| Error::io(&target, e))?;
        drop(out);
        let old = self.out.join(rel);
        if self.previous && same_files(&old, &target) {
            let _ = fs::remove_file(&target);
            if fs::hard_link(&old, &target).is_ok() {
                self.unchanged.fetch_add(1, Relaxed);
                return Ok(true);
            }
            // The link failed: write the bytes again.
            let file = fs::File::create(&target).map_err(|e| Error::io(&target, e))?;
            let mut out = std::io::BufWriter::new(file);
            std::io::copy(
                &mut fs::File::open(&old).map_err(|e| Error::io(&old, e))?,
                &mut out,
            )
            .and_then(|_| out.flush())
            .map_err(|e| Error::io(&target, e))?;
        }
        self.written.fetch_add(1, Relaxed);
        Ok(false)
    }

    /// The path of `rel` in the temporary folder, its folder created.
    fn target(&self, rel: &str) -> Result<PathBuf> {
        let target = safe_join(&self.tmp, rel)?;
        if let Some(dir) = target.parent() {
            let known = self.dirs.lock().map(|d| d.contains(dir)).unwrap_or(false);
            if !known {
                fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                if let Ok(mut dirs) = self.dirs.lock() {
                    dirs.insert(dir.to_path_buf());
                }
            }
        }
        Ok(target)
    }

    /// Swaps the new output in for the old one.
    pub fn commit(mut self) -> Result<WriteStats> {
        use std::sync::atomic::Ordering::Relaxed;
        let aside = sibling(&self.out, "old", &std::process::id().to_string());
        let previous = swap::swap_in(&self.tmp, &self.out, &aside)?;
        self.committed = true;
        if let Some(previous) = previous {
            self.leftovers.extend(cleanup::remove(&previous));
        }
        Ok(WriteStats {
            written: self.written.load(Relaxed),
            unchanged: self.unchanged.load(Relaxed),
            leftovers: std::mem::take(&mut self.leftovers),
        })
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// True when files `a` and `b` exist and hold the same bytes (compared a
/// block at a time).
fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    if !ma.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (
        std::io::BufReader::with_capacity(64 * 1024, fa),
        std::io::BufReader::with_capacity(64 * 1024, fb),
    );
    let (mut ba, mut bb) = (vec![0; 64 * 1024], vec![0; 64 * 1024]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return true;
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Joins a site-relative path to `base`, refusing anything that could
/// leave it (absolute paths, `..`).
fn safe_join(base: &Path, rel: &str) -> Result<PathBuf> {
    let path = Path::new(rel);
    let ok = !rel.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        return Err(Error::Usage(format!(
            "refusing to write `{rel}` outside the output folder"
        )));
    }
    Ok(base.join(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn refuses_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for bad in [".", "content", "content/x", "themes", "..", "templates"] {
            assert!(check_output_dir(root, Path::new(bad)).is_err(), "{bad}");
        }
        assert!(check_output_dir(root, Path::new("public")).is_ok());
        assert!(check_output_dir(root, Path::new("../elsewhere")).is_ok());
    }

    #[test]
    fn writes_swaps_and_keeps_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let stats = write(&[file("index.html", "a"), file("x/y.html", "b")], &out).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 2,
                unchanged: 0,
                leftovers: Vec::new()
            }
        );
        fs::write(out.join("stale.html"), "old").unwrap();
        let stats = write(&[file("index.html", "a"), file("x/y.html", "c")], &out).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1,
                leftovers: Vec::new()
            }
        );
        assert_eq!(fs::read_to_string(out.join("x/y.html")).unwrap(), "c");
        assert!(
            !out.join("stale.html").exists(),
            "the old tree is replaced, not merged"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            leftovers.len(),
            2,
            "no temporary folders remain: {leftovers:?}"
        );
        assert!(leftovers.contains(&".public.hindsight-lock".to_string()));
    }

    #[test]
    fn streamed_files_are_written_and_kept_when_unchanged() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let big: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
        let stream = |bytes: Vec<u8>| {
            let writer = Writer::new(&out).unwrap();
            let kept = writer
                .put_with("data/big.json", |w| {
                    bytes.chunks(7_000).try_for_each(|c| w.write_all(c))
                })
                .unwrap();
            (kept, writer.commit().unwrap())
        };
        let (kept, stats) = stream(big.clone());
        assert!(!kept);
        assert_eq!(stats.written, 1);
        assert_eq!(fs::read(out.join("data/big.json")).unwrap(), big);
        let inode = fs::metadata(out.join("data/big.json")).unwrap().ino();
        let (kept, stats) = stream(big.clone());
        assert!(kept, "the same bytes are linked from the previous output");
        assert_eq!(stats.unchanged, 1);
        assert_eq!(
            fs::metadata(out.join("data/big.json")).unwrap().ino(),
            inode
        );
        let mut changed = big.clone();
        changed[150_000] ^= 1;
        let (kept, _) = stream(changed.clone());
        assert!(!kept, "one byte differs deep in the file");
        assert_eq!(fs::read(out.join("data/big.json")).unwrap(), changed);
        // A failing stream fails the write and keeps the previous output.
        let writer = Writer::new(&out).unwrap();
        let failed = writer.put_with("data/big.json", |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        drop(writer);
        assert_eq!(fs::read(out.join("data/big.json")).unwrap(), changed);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "good")], &out).unwrap();
        assert!(
            write(
                &[file("index.html", "new"), file("../escape.html", "x")],
                &out
            )
            .is_err()
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
        assert!(!dir.path().join("escape.html").exists());
    }

    #[test]
    fn writers_of_one_output_take_turns() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Writer::new(&out).unwrap();
        first.put("index.html", b"first").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let second_out = out.clone();
        let second = std::thread::spawn(move || {
            let writer = Writer::new(&second_out).unwrap();
            tx.send(()).unwrap();
            writer.put("index.html", b"second").unwrap();
            writer.commit().unwrap();
        });
        let waited = rx.recv_timeout(std::time::Duration::from_millis(300));
        assert!(waited.is_err(), "the second writer waits for the first");
        first.commit().unwrap();
        second.join().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
    }

    #[test]
    fn recovers_from_a_build_killed_between_renames() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = sibling(&out, "old", "123");
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        let tmp = sibling(&out, "tmp", "123");
        fs::create_dir_all(&tmp).unwrap();
        recover(&out).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!tmp.exists());
    }
}
