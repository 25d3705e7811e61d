//! The `hindsight` command: parses arguments and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = hindsight::cli::Cli::parse();
    ExitCode::from(hindsight::run(cli))
}
