//! The command line as typed (clap derive). [`crate::cmd`] turns it into
//! resolved options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A static site generator for incident postmortem archives.
#[derive(Debug, Parser)]
#[command(name = "hindsight", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the archive and write the site.
    Build(BuildArgs),
    /// Validate the archive and report findings (with --fix, first fix what
    /// can be written only one way).
    Check(CheckArgs),
    /// Preview the site locally, rebuilding on every change.
    Serve(ServeArgs),
    /// Start a new postmortem from the template.
    New(NewArgs),
    /// Create a new archive: site.toml, an example postmortem, a Pages workflow.
    Init(InitArgs),
    /// Adopt existing reports: write each into content/ with front matter
    /// inferred from its text, and list where every value came from.
    Import(ImportArgs),
}

/// Where the site is.
#[derive(Debug, Clone, Args)]
pub struct RootArg {
    /// The site root: the folder with site.toml and content/.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// `hindsight import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// A folder of reports (walked for .md files) or one report.
    #[arg(value_name = "SRC")]
    pub src: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub root: RootArg,
    /// Write nothing; show what would be written.
    #[arg(long)]
    pub dry_run: bool,
    /// How to print the review report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ReportFormat,
}

/// Formats of the import review report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table per file.
    Human,
    /// One JSON object per inferred value.
    Json,
}

/// `hindsight build`.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub root: RootArg,
    /// Where to write the site (relative to the root).
    #[arg(long, short, default_value = "public", value_name = "DIR")]
    pub output: PathBuf,
    /// Include postmortems with `status: draft`.
    #[arg(long)]
    pub drafts: bool,
    /// Override base_url of site.toml (e.g. the URL GitHub Pages reports).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Build even with errors, leaving the broken incidents out.
    #[arg(long)]
    pub allow_errors: bool,
    /// Print errors only: no warnings, counts or summary.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning and note in full (by default a build prints
    /// the first 20 warnings and counts the rest by rule).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Output formats of findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Compiler-style, with the source line.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// A SARIF 2.1.0 log, for GitHub code scanning.
    Sarif,
}

/// `hindsight check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub root: RootArg,
    /// How to print findings.
    #[arg(long, value_enum, default_value = "human")]
    pub format: FormatArg,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Also fetch external links (with a timeout and a pause between requests to one host).
    #[arg(long)]
    pub external: bool,
    /// Check as of this date (YYYY-MM-DD) instead of today (overdue action items).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// First fix, in place, what has one right answer (section names as
    /// plain, bold or HTML lines, trailing colons on headings, zone
    /// abbreviations in front matter, due dates of task lists); then check.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: print the fixes as a unified diff and write nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
}

/// `hindsight serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub root: RootArg,
    /// Port to listen on (the next free one is used if taken).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Leave drafts out (they are shown by default while previewing).
    #[arg(long)]
    pub no_drafts: bool,
    /// Also answer requests for this host name (besides localhost and IP
    /// addresses); `.example.test` allows a domain and its subdomains.
    /// Repeatable.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

/// `hindsight new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub root: RootArg,
    /// Title of the incident.
    pub title: String,
    /// Severity id (as in site.toml).
    #[arg(long, default_value = "SEV3")]
    pub severity: String,
    /// Local start time, "YYYY-MM-DD HH:MM" (default: now).
    #[arg(long)]
    pub start: Option<String>,
    /// IANA zone of the times (default: the site's timezone).
    #[arg(long)]
    pub timezone: Option<String>,
}

/// `hindsight init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Folder to create the archive in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// hindsight's repository, whose GitHub Action the Pages workflow
    /// runs (default: the one hindsight was built from).
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// The tag or commit of that repository to pin the Action to
    /// (default: this version's release tag).
    #[arg(long, value_name = "REF")]
    pub rev: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
