//! `hindsight check`, and with `--fix` the fixes before it.

use std::io::Write;

use crate::cli::{CheckArgs, FormatArg};
use crate::diagnostic::{Format, Level, Summary, sarif};
use crate::error::{Error, Result};
use crate::fix::{self, Mode};
use crate::site::{self, SiteOptions};
use crate::validate;

pub(super) fn run(args: &CheckArgs) -> Result<u8> {
    let today = args.today.as_deref().map(|d| {
        d.parse()
            .map_err(|_| Error::Usage(format!("--today `{d}` is not a date; write YYYY-MM-DD")))
    });
    let opts = SiteOptions {
        drafts: true,
        today: today.transpose()?,
        ..SiteOptions::new(&args.root.root)
    };
    let unwritten = args.fix && fix(args, &opts)?;
    let mut checked = site::check(&opts)?;
    if args.external {
        let found = validate::external::check(&checked.archive, Default::default());
        let all = std::mem::take(&mut checked.diagnostics)
            .into_iter()
            .chain(found);
        checked.diagnostics = validate::finish(all.collect(), &checked.cfg);
    }
    let diagnostics = &checked.diagnostics;
    let format = match args.format {
        FormatArg::Human => {
            super::print_human(&opts.root, diagnostics);
            let line = Summary::of(diagnostics).line(checked.sources);
            let _ = writeln!(std::io::stderr(), "{line}");
            None
        }
        FormatArg::Json => Some(Format::Json),
        FormatArg::Github => Some(Format::Github),
        FormatArg::Sarif => {
            let _ = sarif::write(&mut std::io::stdout().lock(), diagnostics, &opts.root);
            None
        }
    };
    if let Some(format) = format {
        super::print(&opts.root, diagnostics, format, &mut std::io::stdout());
    }
    let failed = diagnostics
        .iter()
        .any(|d| d.level == Level::Error || (args.strict && d.level == Level::Warning));
    // The process ends next: freeing every incident one by one would only
    // add time (about 5 % of a check of 10,000 postmortems).
    std::mem::forget(checked);
    Ok(u8::from(failed || unwritten))
}

/// Fixes the postmortems (a dry run prints the diff on stdout) and says
/// what changed on stderr. True when some fixes could not be written.
fn fix(args: &CheckArgs, opts: &SiteOptions) -> Result<bool> {
    let mode = if args.dry_run {
        Mode::DryRun
    } else {
        Mode::Write
    };
    let report = fix::run(&opts.root, &site::load_config(opts)?, mode)?;
    let diffs: String = report.files.iter().map(|f| f.diff.as_str()).collect();
    let _ = std::io::stdout().write_all(diffs.as_bytes());
    let _ = writeln!(std::io::stderr(), "{}", report.lines().join("\n"));
    Ok(report.failed() > 0)
}
