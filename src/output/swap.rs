//! Putting a finished output folder in the place of the previous one.
//!
//! On Linux the two folders trade places in one step
//! (`renameat2(RENAME_EXCHANGE)`), so a reader of `public/` never finds it
//! missing and a build killed at that moment leaves one whole site or the
//! other. Elsewhere, or on a file system without the exchange, the old
//! folder is renamed aside and the new one renamed in: two steps, with a
//! moment without `public/`, which the next build repairs if it was
//! killed in between.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Swaps the folder `new` in at `out`. Returns the folder that now holds
/// the previous output, to be removed: `new`'s path after an exchange,
/// `aside` after two renames, `None` when there was no previous output.
pub(super) fn swap_in(new: &Path, out: &Path, aside: &Path) -> Result<Option<PathBuf>> {
    if fs::symlink_metadata(out).is_err() {
        fs::rename(new, out).map_err(|e| Error::io(new, e))?;
        return Ok(None);
    }
    match exchange(new, out) {
        Ok(()) => return Ok(Some(new.to_path_buf())),
        Err(e) if busy(&e) => return Err(mount_point(out)),
        Err(e) if !unsupported(&e) => return Err(Error::io(out, e)),
        Err(_) => {}
    }
    fs::rename(out, aside).map_err(|e| {
        if busy(&e) {
            mount_point(out)
        } else {
            Error::io(out, e)
        }
    })?;
    fs::rename(new, out).map_err(|e| Error::io(new, e))?;
    Ok(Some(aside.to_path_buf()))
}

/// Refuses an output folder that is a mount point (a container volume at
/// `public/`, say): it cannot be renamed, so a new site could never be
/// swapped in. Checked before anything is written.
pub(super) fn refuse_mount_point(out: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let (Ok(folder), Some(Ok(parent))) = (fs::metadata(out), out.parent().map(fs::metadata)) else {
        return Ok(());
    };
    if folder.is_dir() && folder.dev() != parent.dev() {
        return Err(mount_point(out));
    }
    Ok(())
}

/// Why a mount point cannot be the output, and what to do instead.
fn mount_point(out: &Path) -> Error {
    let name = out
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy());
    Error::Usage(format!(
        "{} is a mount point, and hindsight puts a finished site in place by renaming folders, which a mount point cannot be (a half-replaced site would be the only other way); mount the folder above it instead and build into {name}/ there, or build into a folder inside the mount with --output {name}/site and serve that",
        out.display()
    ))
}

/// True for EBUSY: the path is a mount point (of a bind mount, perhaps,
/// which the device check cannot see).
fn busy(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EBUSY) {
        return true;
    }
    let _ = e;
    false
}

/// Exchanges two paths atomically.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a NUL in the path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths; the call only renames.
    // Called through syscall() because not every C library wraps it.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// True when the exchange is not available here (an old kernel, a file
/// system without it): fall back to two renames.
fn unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_whole_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (new, out, aside) = (
            dir.path().join("new"),
            dir.path().join("out"),
            dir.path().join("aside"),
        );
        fs::create_dir(&new).unwrap();
        fs::write(new.join("a"), "1").unwrap();
        assert_eq!(swap_in(&new, &out, &aside).unwrap(), None);
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "1");
        fs::create_dir(&new).unwrap();
        fs::write(new.join("a"), "2").unwrap();
        let previous = swap_in(&new, &out, &aside).unwrap().unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "2");
        assert_eq!(fs::read_to_string(previous.join("a")).unwrap(), "1");
        #[cfg(target_os = "linux")]
        assert_eq!(previous, new, "exchanged in one step");
    }
}
