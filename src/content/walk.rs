//! Walking `content/`: which files are postmortems, which are the home
//! page's prose, which are assets to copy, and which are refused (symlinks
//! out of the folder, loops, unreadable folders).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Pos, Rule};
use crate::error::{Error, Result};
use crate::model::Asset;

/// A postmortem file found by the walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the site root, `/`-separated (`content/2024/x.md`).
    pub rel: String,
    /// Path relative to `content/` (`2024/x.md`).
    pub content_path: String,
}

/// What the walk found.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Postmortems, sorted by path.
    pub postmortems: Vec<SourceFile>,
    /// The text of `content/_index.md`, if present.
    pub home: Option<String>,
    /// Files to copy as they are.
    pub assets: Vec<Asset>,
    /// Files and folders that could not be used.
    pub diagnostics: Vec<Diagnostic>,
}

/// True for names editors and tools leave behind: swap, backup and lock
/// files, which must never be published or reloaded.
pub fn is_editor_litter(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// Walks `root/content`; postmortems and assets come sorted by path, as
/// a walk visiting each folder's entries by name would give them.
pub fn walk(root: &Path) -> Result<Walk> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Error::Usage(format!(
            "there is no content/ folder in {}; create it (or run `hindsight init`) and put postmortems in it",
            root.display()
        )));
    }
    let canonical = content.canonicalize().map_err(|e| Error::io(&content, e))?;
    let mut out = Walk::default();
    let mut entries = WalkDir::new(&content)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_editor_litter(&e.file_name().to_string_lossy()));
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel_content = relative(&content, entry.path());
        let rel = format!("content/{rel_content}");
        // A symlink (to a file or a folder) must stay inside content/.
        let inside = || {
            entry
                .path()
                .canonicalize()
                .is_ok_and(|p| p.starts_with(&canonical))
        };
        if entry.path_is_symlink() && !inside() {
            let message = "this symlink points outside content/; copy what it points to into content/ instead of linking it";
            out.diagnostics.push(Diagnostic::new(
                Rule::ReadError,
                &rel,
                Pos::new(1, 1, 1),
                message,
            ));
            if entry.file_type().is_dir() {
                entries.skip_current_dir();
            }
            continue;
        }
        if let Some(why) = crate::input::refusal(&entry.file_type()) {
            // Opening a named pipe waits for a writer forever; a device
            // may never end: never read them.
            out.diagnostics.push(Diagnostic::new(
                Rule::ReadError,
                &rel,
                Pos::new(1, 1, 1),
                format!("cannot read this file: {why}"),
            ));
        } else if !entry.file_type().is_dir() {
            classify(&mut out, entry.path(), rel, rel_content);
        }
    }
    // Sorted once here: walkdir's own sorting takes each name apart from
    // its path again at every comparison (a tenth of a second at 10,000).
    out.postmortems
        .sort_by_cached_key(|f| path_order(&f.content_path));
    out.assets.sort_by_cached_key(|a| path_order(&a.path));
    out.diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(out)
}

/// A key that orders `/`-separated paths folder by folder, each folder's
/// entries by name: `/` made the smallest byte, so `a/z` comes before
/// `a.md` and `a-b/x`, as `a` does.
fn path_order(path: &str) -> Vec<u8> {
    path.bytes()
        .map(|b| if b == b'/' { 0 } else { b })
        .collect()
}

fn classify(out: &mut Walk, path: &Path, rel: String, content_path: String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_md = Path::new(&name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if name.starts_with('_') {
        if is_md && content_path == "_index.md" {
            match crate::input::read_to_string(path) {
                Ok(text) => out.home = Some(text),
                Err(e) => out.diagnostics.push(Diagnostic::new(
                    Rule::ReadError,
                    &rel,
                    Pos::new(1, 1, 1),
                    format!(
                        "cannot read this file: {e}; check its permissions and that it is UTF-8"
                    ),
                )),
            }
        }
        return;
    }
    if is_md {
        out.postmortems.push(SourceFile {
            path: path.to_path_buf(),
            rel,
            content_path,
        });
    } else {
        out.assets.push(Asset {
            source: path.to_path_buf(),
            path: content_path,
        });
    }
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    // Paths from the walk are already `/`-separated here, with no `.`.
    if cfg!(unix) {
        return rel.to_string_lossy().into_owned();
    }
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| relative(root, p))
        .unwrap_or_else(|| "content".into());
    let message = if e.loop_ancestor().is_some() {
        "this symlink creates a loop (it points at a folder that contains it); remove it"
            .to_string()
    } else if let Some(io) = e.io_error() {
        if io.kind() == std::io::ErrorKind::PermissionDenied {
            "permission denied; make the file or folder readable (chmod a+r) or move it out of content/".to_string()
        } else {
            format!("cannot read this: {io}")
        }
    } else {
        e.to_string()
    };
    Diagnostic::new(Rule::ReadError, &path, Pos::new(1, 1, 1), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn litter() {
        for name in [".x.md.swp", "x.md~", ".#x.md", "#x.md#", "4913.tmp", ".git"] {
            assert!(is_editor_litter(name), "{name}");
        }
        assert!(!is_editor_litter("2024-01-01-x.md"));
    }

    #[test]
    fn classifies_a_tree() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        for folder in ["2024/a/b", "2024/a.b", "2023"] {
            std::fs::create_dir_all(content.join(folder)).unwrap();
        }
        for f in [
            "_index.md",
            "2024/b.md",
            "2024/a.md",
            "2024/a-b.md",
            "2024/a/z.md",
            "2024/a/b/c.md",
            "2024/a.b/y.md",
            "2023/q.md",
            "2024/chart.svg",
            "2024/_draft-notes.md",
            "2024/.a.md.swp",
        ] {
            std::fs::write(content.join(f), "x").unwrap();
        }
        let w = walk(dir.path()).unwrap();
        let names: Vec<&str> = w.postmortems.iter().map(|p| p.rel.as_str()).collect();
        // Folder by folder, each folder's entries by name.
        assert_eq!(
            names,
            [
                "content/2023/q.md",
                "content/2024/a/b/c.md",
                "content/2024/a/z.md",
                "content/2024/a-b.md",
                "content/2024/a.b/y.md",
                "content/2024/a.md",
                "content/2024/b.md"
            ]
        );
        assert_eq!(w.home.as_deref(), Some("x"));
        assert_eq!(w.assets.len(), 1);
        assert_eq!(w.assets[0].path, "2024/chart.svg");
        assert!(w.diagnostics.is_empty());
    }

    #[test]
    fn missing_content_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(walk(dir.path()), Err(Error::Usage(_))));
    }
}
