//! Builds into one output take turns: see the module docs of [`super`].

use std::fs;
use std::path::Path;

use crate::error::{Error, Result};

/// An exclusive advisory lock on the file next to `out` that writers of
/// `out` take turns on; released when dropped (or when the process dies).
pub(super) struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock, waiting while another build holds it.
    pub(super) fn acquire(out: &Path) -> Result<OutputLock> {
        let path = super::named_sibling(out, "lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            loop {
                // SAFETY: flock on a descriptor this function owns.
                if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                    break;
                }
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(Error::io(&path, e));
                }
            }
        }
        Ok(OutputLock { _file: file })
    }
}
