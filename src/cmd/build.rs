//! `hindsight build`.

use std::io::Write;

use crate::cli::BuildArgs;
use crate::diagnostic::Summary;
use crate::diagnostic::brief::{Brief, Verbosity};
use crate::error::Result;
use crate::site::{self, BuildReport, SiteOptions};

pub(super) fn run(args: &BuildArgs) -> Result<u8> {
    let opts = SiteOptions {
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        ..SiteOptions::new(&args.root.root)
    };
    let verbosity = match (args.quiet, args.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let report = site::build(&opts, &args.output, args.allow_errors)?;
    print_findings(&opts, &report, verbosity);
    let mut err = std::io::stderr();
    let Some(stats) = &report.written else {
        let _ = writeln!(
            err,
            "error: nothing was written because of the errors above; fix them, or build with --allow-errors to leave those incidents out"
        );
        return Ok(1);
    };
    for file in &report.skipped {
        let _ = writeln!(err, "warning: left out {file} because it has errors");
    }
    if verbosity != Verbosity::Quiet {
        for leftover in &stats.leftovers {
            let _ = writeln!(err, "warning: {leftover}");
        }
        let _ = writeln!(
            std::io::stdout(),
            "Built {}, {}, {} in {} ms → {} ({} files written, {} unchanged)",
            count(report.incidents, "incident"),
            count(report.tags, "tag"),
            count(report.services, "service"),
            report.elapsed.as_millis(),
            args.output.display(),
            stats.written,
            stats.unchanged
        );
    }
    let code = if report.skipped.is_empty() { 0 } else { 1 };
    // The process ends next: freeing the archive one incident at a time
    // would only add time.
    std::mem::forget(report.retained);
    Ok(code)
}

/// Every error, then (unless quiet) a few warnings, counts of the rest and
/// the summary line.
fn print_findings(opts: &SiteOptions, report: &BuildReport, verbosity: Verbosity) {
    let brief = Brief::of(&report.diagnostics, verbosity);
    super::print_human(&opts.root, &brief.shown);
    let summary = Summary::of(&report.diagnostics);
    let mut err = std::io::stderr();
    if verbosity == Verbosity::Quiet && summary.errors == 0 {
        return;
    }
    if let Some(footer) = brief.footer().filter(|_| verbosity != Verbosity::Quiet) {
        let _ = writeln!(err, "{footer}");
    }
    if summary.errors + summary.warnings > 0 {
        let _ = writeln!(err, "{}", summary.line(report.sources));
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
