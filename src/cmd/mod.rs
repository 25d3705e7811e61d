//! Thin wiring per command: resolve options, call the pipeline, print.

mod build;
mod check;
mod import;
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
        Command::Import(args) => import::run(&args),
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
    // A file that could not be read (a device, a pipe, a binary or huge
    // file) is never read again to quote it; others only as regular files
    // of at most the size an input may have.
    let refused: std::collections::HashSet<&str> = diagnostics
        .iter()
        .filter(|d| d.rule == crate::diagnostic::Rule::ReadError)
        .map(|d| d.file.as_str())
        .collect();
    let source = |file: &str| {
        if refused.contains(file) {
            return None;
        }
        crate::input::read_to_string(&root.join(file))
            .ok()
            .map(crate::text::normalize_newlines)
    };
    let _ = diagnostic::print(out, diagnostics, format, &source);
}
