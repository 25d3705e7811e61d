//! The `hindsight` command: parses arguments and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: rendering and parsing allocate many small strings from every
/// thread, where it is markedly faster than the system allocator. Its v2
/// line returns freed memory to the system after 10 ms (v3 waits a
/// second), which keeps peak memory down when large buffers come and go.
/// Its `override` feature also serves C's `malloc` and `free`: Oniguruma,
/// the highlighter's regex engine, allocates and frees a match parameter
/// block on every search.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    let cli = hindsight::cli::Cli::parse();
    ExitCode::from(hindsight::run(cli))
}

/// Turns transparent huge pages off for this process. mimalloc asks the
/// kernel for them, and a huge page is zeroed and kept whole however
/// little of it is used: with them a build of 10,000 postmortems peaks
/// about 17 MB higher, and no faster.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only
    // how the kernel backs this process's future memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
