//! Reading the site's input files without trusting what they are.
//!
//! Anything can sit in a site folder: a named pipe (opening it waits for a
//! writer forever), a symlink to `/dev/zero` (reading it never ends), a
//! socket. Inputs are opened without blocking, checked to be regular files
//! on the open descriptor (so a file swapped after a check cannot slip
//! through), and read up to [`MAX_INPUT`] bytes.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The most any one input file may hold. The largest real postmortems are
/// a few megabytes; this leaves room for big assets while keeping a stray
/// disk image or device from filling memory.
pub const MAX_INPUT: u64 = 256 * 1024 * 1024;

/// Reads a regular file of at most [`MAX_INPUT`] bytes. Anything else is
/// an error of kind `InvalidInput` whose message says what the file is
/// and how to fix it.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    let (file, meta) = open_with_metadata(path)?;
    let len = meta.len();
    if len > MAX_INPUT {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_INPUT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a regular file as UTF-8 text (see [`read`]).
pub fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "not valid UTF-8; save it as UTF-8",
        )
    })
}

/// Opens `path` for reading if it is a regular file, without waiting on
/// a pipe or a device.
pub fn open(path: &Path) -> io::Result<File> {
    open_with_metadata(path).map(|(file, _)| file)
}

/// [`open`], with the open file's metadata (one `fstat` for the type
/// check and the size).
fn open_with_metadata(path: &Path) -> io::Result<(File, std::fs::Metadata)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a folder, not a file",
        ));
    }
    match refusal(&kind) {
        Some(why) => Err(io::Error::new(io::ErrorKind::InvalidInput, why)),
        None => Ok((file, meta)),
    }
}

/// Why a file of type `kind` cannot be read as an input (a pipe, a device,
/// a socket), with how to fix it; `None` for regular files and folders.
pub fn refusal(kind: &std::fs::FileType) -> Option<String> {
    if kind.is_file() || kind.is_dir() {
        return None;
    }
    Some(format!(
        "not a regular file (it is {}); remove it, or replace it with the file it stands for",
        describe(kind)
    ))
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "larger than {} MB, more than any postmortem or asset should be; remove it or move it out of the site",
            MAX_INPUT / (1024 * 1024)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "text").unwrap();
        assert_eq!(read(&file).unwrap(), b"text");
        let fifo = dir.path().join("pipe.md");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = read(&fifo).unwrap_err();
        assert!(err.to_string().contains("a named pipe"), "{err}");
        let err = read(Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("a device"), "{err}");
        assert!(read(dir.path()).is_err());
    }
}
