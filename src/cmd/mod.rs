//! Thin wiring per command: resolve options, call the pipeline, print.

mod build;
mod check;
mod init;
mod new;
mod serve;

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{Cli, Command};
use crate::diagnostic::{self, Diagnostic, Format};

/// Runs a command and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::New(args) => new::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Init(args) => init::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            e.exit_code()
        }
    }
}

/// Prints findings to stderr in the human format (coloured on a terminal).
fn print_human(root: &Path, diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    print(
        root,
        diagnostics,
        Format::Human { color },
        &mut std::io::stderr(),
    );
}

/// Prints findings in `format`, quoting source lines from files under `root`.
fn print(root: &Path, diagnostics: &[Diagnostic], format: Format, out: &mut dyn Write) {
    // Only regular files, and never more than an input may hold: a named
    // pipe or a device must not hang or swamp the report.
    let source = |file: &str| {
        crate::input::read_to_string(&root.join(file))
            .ok()
            .map(crate::text::normalize_newlines)
    };
    let _ = diagnostic::print(out, diagnostics, format, &source);
}
