//! Writing the rendered site to disk, atomically.
//!
//! The site is written into a temporary sibling of the output folder and
//! swapped in with two renames, so a failed or killed build never leaves a
//! half-written site: the previous output stays until the new one is
//! complete. Files whose bytes did not change are hard-linked from the
//! previous output, which keeps their modification times (rsync and Pages
//! uploads then skip them). Leftovers of a killed build are cleaned up, or
//! restored, by the next one.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::OutputFile;

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Files written with new bytes.
    pub written: usize,
    /// Files kept from the previous output (same bytes).
    pub unchanged: usize,
}

/// Refuses output folders that would destroy the site's sources: the
/// site root, `content/`, `themes/`, `templates/`, or any folder that
/// contains one of them.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<PathBuf> {
    let root = absolute(root)?;
    let out = lexical(&absolute(&root.join(out))?);
    let protected = ["content", "themes", "templates", "site.toml"].map(|p| root.join(p));
    let dangerous = out == root
        || protected
            .iter()
            .any(|p| p.starts_with(&out) || out.starts_with(p));
    if dangerous || out.parent().is_none() {
        return Err(Error::Usage(format!(
            "refusing to write the site to {}: it is or contains the site's sources; choose a folder such as public/",
            out.display()
        )));
    }
    Ok(out)
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
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.hindsight-{kind}-{id}"))
}

/// Removes temporary folders of earlier, killed builds; if one was killed
/// between the two renames, puts its previous output back first.
fn recover(out: &Path) -> Result<()> {
    let Some(parent) = out.parent() else {
        return Ok(());
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(&format!(".{name}.hindsight-tmp-"))
                    || n.starts_with(&format!(".{name}.hindsight-old-"))
            })
        })
        .collect();
    stale.sort();
    for path in stale {
        let is_old = path.to_string_lossy().contains(".hindsight-old-");
        if is_old && !out.exists() {
            fs::rename(&path, out).map_err(|e| Error::io(&path, e))?;
        } else {
            fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Writes `files` to `out` atomically (see the module docs).
pub fn write(files: &[OutputFile], out: &Path) -> Result<WriteStats> {
    recover(out)?;
    let id = std::process::id().to_string();
    let tmp = sibling(out, "tmp", &id);
    fs::create_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
    let result = fill(files, &tmp, out);
    let stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if out.exists() {
        let old = sibling(out, "old", &id);
        fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
        fs::rename(&tmp, out).map_err(|e| Error::io(&tmp, e))?;
        fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    } else {
        fs::rename(&tmp, out).map_err(|e| Error::io(&tmp, e))?;
    }
    Ok(stats)
}

fn fill(files: &[OutputFile], tmp: &Path, previous: &Path) -> Result<WriteStats> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| {
            safe_join(tmp, &f.path)
                .ok()?
                .parent()
                .map(Path::to_path_buf)
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let kept: Vec<bool> = files
        .par_iter()
        .map(|f| {
            let target = safe_join(tmp, &f.path)?;
            let old = previous.join(&f.path);
            if same_bytes(&old, &f.bytes) && fs::hard_link(&old, &target).is_ok() {
                return Ok(true);
            }
            fs::write(&target, &f.bytes).map_err(|e| Error::io(&target, e))?;
            Ok(false)
        })
        .collect::<Result<Vec<bool>>>()?;
    let unchanged = kept.iter().filter(|k| **k).count();
    Ok(WriteStats {
        written: kept.len() - unchanged,
        unchanged,
    })
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
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
                unchanged: 0
            }
        );
        fs::write(out.join("stale.html"), "old").unwrap();
        let stats = write(&[file("index.html", "a"), file("x/y.html", "c")], &out).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1
            }
        );
        assert_eq!(fs::read_to_string(out.join("x/y.html")).unwrap(), "c");
        assert!(
            !out.join("stale.html").exists(),
            "the old tree is replaced, not merged"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders remain");
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
