//! Which watched paths really changed an input of the site.
//!
//! File-system events also come for writes that change nothing (a save
//! without edits, `touch`, an editor rewriting a file with the same bytes);
//! rebuilding on those, with errors present, reprints the errors and
//! reopens the browser overlay for nothing. Each file's bytes are hashed
//! when an event names it, and an event whose file hashes as before is
//! dropped.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// The last seen hash of every input file an event has named.
#[derive(Debug, Default)]
pub(crate) struct Fingerprints {
    seen: HashMap<PathBuf, Option<u64>>,
}

impl Fingerprints {
    /// Records the files of the site at `root` that the engine does not
    /// keep the text of: `site.toml`, templates and themes. (Postmortems
    /// are compared with the text the engine holds.)
    pub(crate) fn seed(&mut self, root: &Path) {
        self.record(&root.join("site.toml"));
        for folder in ["templates", "themes"] {
            let files = walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file());
            for entry in files {
                self.record(entry.path());
            }
        }
    }

    fn record(&mut self, path: &Path) {
        let now = read(path).map(|b| hash(&b));
        self.seen.insert(path.to_path_buf(), now);
    }

    /// True when `path` differs from when it was last seen. A path never
    /// seen before counts as changed unless `known` (the text the engine
    /// already holds for it, newlines normalised) equals its text now.
    /// Folders always count as changed: their events mean files came or
    /// went.
    pub(crate) fn changed(&mut self, path: &Path, known: Option<&str>) -> bool {
        if path.is_dir() {
            return true;
        }
        let now = read(path);
        let before = match self
            .seen
            .insert(path.to_path_buf(), now.as_ref().map(|b| hash(b)))
        {
            Some(before) => before,
            None => {
                return match (known, &now) {
                    (Some(text), Some(bytes)) => std::str::from_utf8(bytes).map_or(true, |s| {
                        crate::text::normalize_newlines(s.to_string()) != text
                    }),
                    _ => true,
                };
            }
        };
        before != now.as_ref().map(|b| hash(b))
    }
}

/// The bytes of a regular file; `None` for anything else or on error.
fn read(path: &Path) -> Option<Vec<u8>> {
    crate::input::read(path).ok()
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_bytes_count() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one\r\n").unwrap();
        let mut prints = Fingerprints::default();
        assert!(!prints.changed(&file, Some("one\n")), "the engine has it");
        std::fs::write(&file, "one\r\n").unwrap();
        assert!(
            !prints.changed(&file, None),
            "rewritten with the same bytes"
        );
        std::fs::write(&file, "two").unwrap();
        assert!(prints.changed(&file, None));
        std::fs::remove_file(&file).unwrap();
        assert!(prints.changed(&file, None), "removed");
        assert!(!prints.changed(&file, None), "still removed");
        assert!(prints.changed(dir.path(), None), "folders always count");
        let other = dir.path().join("b.md");
        std::fs::write(&other, "x").unwrap();
        assert!(prints.changed(&other, None), "never seen");
    }
}
