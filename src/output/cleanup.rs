//! Removing what builds leave next to the output: the previous site after
//! a swap, and the temporary folders of builds that were killed.
//!
//! An output someone made read-only (`chmod -R a-w public`) cannot be
//! emptied: its files cannot be unlinked from its read-only folders. Such
//! a folder is made writable again (it is the build's own) and removed; if
//! even that fails, the build still succeeds, since the new site is in
//! place, and says what is left and how to remove it, rather than failing
//! every later build on it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Removes the folder `path`, making its folders writable first if they
/// are not. Returns a warning naming it and how to remove it by hand when
/// it cannot be removed.
pub(super) fn remove(path: &Path) -> Option<String> {
    let mut result = fs::remove_dir_all(path);
    if result
        .as_ref()
        .is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied)
    {
        make_writable(path);
        result = fs::remove_dir_all(path);
    }
    let e = result.err()?;
    Some(format!(
        "could not remove {} ({e}); remove it by hand: chmod -R u+w '{0}' && rm -rf '{0}'",
        path.display()
    ))
}

/// Adds the owner's write and search permission to every folder under
/// `path` (files need none to be unlinked).
fn make_writable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let folders = walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_dir());
    for folder in folders {
        if let Ok(meta) = folder.metadata() {
            let mode = meta.permissions().mode() | 0o700;
            let _ = fs::set_permissions(folder.path(), fs::Permissions::from_mode(mode));
        }
    }
}

/// Removes temporary folders of earlier, killed builds (see the module
/// docs of [`super`]: with the output's lock held, their builds are gone);
/// if one was killed between the two renames of a swap, puts its previous
/// output back first. Returns warnings for what could not be removed.
pub(super) fn recover(out: &Path) -> Result<Vec<String>> {
    let Some(parent) = out.parent() else {
        return Ok(Vec::new());
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(Vec::new());
    };
    let (tmp, old) = (
        format!(".{name}.hindsight-tmp-"),
        format!(".{name}.hindsight-old-"),
    );
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(&tmp) || n.starts_with(&old)
            })
        })
        .collect();
    stale.sort();
    let mut warnings = Vec::new();
    for path in stale {
        let is_old = path.to_string_lossy().contains(".hindsight-old-");
        if is_old && !out.exists() {
            fs::rename(&path, out).map_err(|e| Error::io(&path, e))?;
        } else {
            warnings.extend(remove(&path));
        }
    }
    Ok(warnings)
}
