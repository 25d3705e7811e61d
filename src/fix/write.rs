//! Reading a postmortem to fix it, and replacing it with the fixed text:
//! the text goes to a temporary file beside it, which is synced, given
//! the file's permissions and renamed over it, so anyone reading the
//! file sees the old text or the new one, never a mix. A dry run shows
//! the change as a unified diff instead.

use std::fs;
use std::io::Write;
use std::path::Path;

/// The text of `path`, or `None` when it cannot be read as text (such a
/// file is reported by `check` and must not be touched).
pub(super) fn read(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    if memchr::memchr(0, &bytes).is_some() {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Replaces the file at `path`, read as `was`, with `text`.
pub(super) fn replace(path: &Path, was: &str, text: &str) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let permissions = fs::metadata(path)
        .map_err(|e| format!("cannot read its permissions: {e}"))?
        .permissions();
    let temp = dir.join(format!(".{name}.fix-{}.tmp", std::process::id()));
    let result = write_new(&temp, text, permissions).and_then(|()| {
        // A save made since the file was read wins over the fixes.
        if read(path).as_deref() != Some(was) {
            return Err("it changed while it was being fixed; run the fix again".into());
        }
        fs::rename(&temp, path).map_err(|e| format!("cannot replace it: {e}"))
    });
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes `text` to the new file `temp`, synced, with `permissions`.
fn write_new(temp: &Path, text: &str, permissions: fs::Permissions) -> Result<(), String> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)
        .map_err(|e| format!("cannot create a temporary file beside it: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write a temporary file beside it: {e}"))?;
    fs::set_permissions(temp, permissions)
        .map_err(|e| format!("cannot give the temporary file its permissions: {e}"))
}

/// The change from `was` to `now` of the file at `rel` (relative to the
/// site root) as a unified diff that `git apply` takes from the root.
pub(super) fn diff(rel: &str, was: &str, now: &str) -> String {
    similar::TextDiff::from_lines(was, now)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_keeps_permissions_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "old\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        replace(&path, "old\n", "new\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        fs::write(&path, "saved meanwhile\n").unwrap();
        let error = replace(&path, "old\n", "new\n").unwrap_err();
        assert!(error.contains("changed"), "{error}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "saved meanwhile\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn diffs_name_the_file_from_the_root() {
        let d = diff("content/a.md", "x\nTimeline\ny\n", "x\n## Timeline\ny\n");
        assert!(d.starts_with("--- a/content/a.md\n+++ b/content/a.md\n@@ -1,3 +1,3 @@\n"));
        assert!(d.contains("\n-Timeline\n+## Timeline\n"), "{d}");
    }
}
