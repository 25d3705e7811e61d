//! `hindsight build`.

use std::io::Write;

use crate::cli::BuildArgs;
use crate::diagnostic::Summary;
use crate::error::Result;
use crate::site::{self, SiteOptions};

pub(super) fn run(args: &BuildArgs) -> Result<u8> {
    let opts = SiteOptions {
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        ..SiteOptions::new(&args.root.root)
    };
    let report = site::build(&opts, &args.output, args.allow_errors)?;
    super::print_human(&opts.root, &report.diagnostics);
    let mut err = std::io::stderr();
    let summary = Summary::of(&report.diagnostics);
    if summary.errors + summary.warnings > 0 {
        let _ = writeln!(err, "{}", summary.line(report.sources));
    }
    let Some(stats) = report.written else {
        let _ = writeln!(
            err,
            "error: nothing was written because of the errors above; fix them, or build with --allow-errors to leave those incidents out"
        );
        return Ok(1);
    };
    for leftover in &stats.leftovers {
        let _ = writeln!(err, "warning: {leftover}");
    }
    for file in &report.skipped {
        let _ = writeln!(err, "warning: left out {file} because it has errors");
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
    let code = if report.skipped.is_empty() { 0 } else { 1 };
    // The process ends next: freeing the archive one incident at a time
    // would only add time.
    std::mem::forget(report.retained);
    Ok(code)
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
