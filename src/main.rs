//! The `hindsight` command: parses arguments and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: rendering and parsing allocate many small strings from every
/// thread, where it is markedly faster than the system allocator. Its v2
/// line returns freed memory to the system after 10 ms (v3 waits a
/// second), which keeps peak memory down when large buffers come and go.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = hindsight::cli::Cli::parse();
    ExitCode::from(hindsight::run(cli))
}
