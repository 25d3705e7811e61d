//! `check --fix`: the fixes that have exactly one right answer, applied to
//! the postmortems in place.
//!
//! Teams adopting hindsight bring reports written for other templates.
//! Some of what `check` reports about them can only be written one way,
//! so there is no point making people edit every file by hand:
//!
//! - a section name written as a plain line, a bold line or an HTML
//!   heading becomes a Markdown heading at the level the reader gave it
//!   (`headings`), and trailing colons on headings go;
//! - a zone abbreviation in front matter becomes the IANA zone it stands
//!   for, when nothing else could be meant (`zone`);
//! - `due` dates of task-list items are rewritten as `YYYY-MM-DD` when
//!   they can be read only one way (`due`).
//!
//! Anything else is left for the writer, with the reason. Each file is
//! read, fixed in memory, checked by reading it again, and then replaced
//! as a whole ([`write`]), so a file is never left half-written; a file
//! that cannot be read is never touched. Fixing stages nothing for
//! printing: the command prints the [`Report`].

mod due;
mod edit;
mod headings;
mod plan;
mod write;
mod zone;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::walk::{self, SourceFile};
use crate::diagnostic::Pos;
use crate::error::Result;

/// Whether fixes are written or only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Replace each file that has fixes.
    Write,
    /// Write nothing; show each file's fixes as a unified diff.
    DryRun,
}

/// A fix made (or, in a dry run, to be made) at one place of a file, or
/// a problem left as written and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Where, in the file as it was read.
    pub pos: Pos,
    /// True for a fix, false for something left as written.
    pub fixed: bool,
    /// What changed, or why nothing did.
    pub message: String,
}

impl Outcome {
    fn fixed(pos: Pos, message: impl Into<String>) -> Outcome {
        Outcome {
            pos,
            fixed: true,
            message: message.into(),
        }
    }

    fn left(pos: Pos, message: impl Into<String>) -> Outcome {
        Outcome {
            pos,
            fixed: false,
            message: message.into(),
        }
    }
}

/// What fixing one file did.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    /// The file, relative to the site root.
    pub file: String,
    /// Fixes and problems left, in file order.
    pub outcomes: Vec<Outcome>,
    /// In a dry run, the fixes as a unified diff (empty without fixes).
    pub diff: String,
    /// Why the fixes could not be written; the file is then unchanged.
    pub error: Option<String>,
}

impl FileReport {
    /// The number of fixes made (none when writing failed).
    pub fn fixed(&self) -> usize {
        if self.error.is_some() {
            return 0;
        }
        self.outcomes.iter().filter(|o| o.fixed).count()
    }
}

/// What fixing the archive did, file by file in path order.
#[derive(Debug, Clone)]
pub struct Report {
    /// Files with fixes or problems left; others are not listed.
    pub files: Vec<FileReport>,
    /// Whether the fixes were written.
    pub mode: Mode,
}

impl Report {
    /// Fixes made (or shown, in a dry run).
    pub fn fixed(&self) -> usize {
        self.files.iter().map(FileReport::fixed).sum()
    }

    /// Files whose fixes could not be written.
    pub fn failed(&self) -> usize {
        self.files.iter().filter(|f| f.error.is_some()).count()
    }

    /// The report as lines of text, compiler style
    /// (`file:line:column: fixed: …`), then a summary line.
    pub fn lines(&self) -> Vec<String> {
        let dry = self.mode == Mode::DryRun;
        let mut out = Vec::new();
        for f in &self.files {
            if let Some(e) = &f.error {
                out.push(format!(
                    "{}:1:1: error: the fixes could not be written: {e}; the file is unchanged",
                    f.file
                ));
            }
            for o in &f.outcomes {
                let what = match (o.fixed, dry) {
                    (true, _) if f.error.is_some() => continue,
                    (true, false) => "fixed",
                    (true, true) => "would fix",
                    (false, _) => "left as written",
                };
                let (line, col) = (o.pos.line, o.pos.column);
                out.push(format!("{}:{line}:{col}: {what}: {}", f.file, o.message));
            }
        }
        out.push(self.summary());
        out
    }

    /// `Made 3 fixes in 2 files; 1 problem left as written.`
    fn summary(&self) -> String {
        let files = self.files.iter().filter(|f| f.fixed() > 0).count();
        let (fixes, files) = (
            plural(self.fixed(), "fix", "fixes"),
            plural(files, "file", "files"),
        );
        let mut line = match (self.fixed(), self.mode) {
            (0, _) => "Nothing to fix".to_string(),
            (_, Mode::DryRun) => format!("Would make {fixes} in {files}"),
            (_, Mode::Write) => format!("Made {fixes} in {files}"),
        };
        let left = self
            .files
            .iter()
            .flat_map(|f| &f.outcomes)
            .filter(|o| !o.fixed)
            .count();
        if left > 0 {
            let problems = plural(left, "problem", "problems");
            line.push_str(&format!("; {problems} left as written"));
        }
        if self.mode == Mode::DryRun {
            line.push_str(" (dry run: nothing written)");
        }
        line.push('.');
        line
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Fixes every postmortem under `root/content` (drafts too).
pub fn run(root: &Path, cfg: &SiteConfig, mode: Mode) -> Result<Report> {
    let found = walk::walk(root)?;
    let files = distinct(found.postmortems);
    let mut files: Vec<FileReport> = files
        .par_iter()
        .map(|(file, target)| fix_file(file, target, cfg, mode))
        .filter(|r| !r.outcomes.is_empty() || r.error.is_some())
        .collect();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Report { files, mode })
}

/// Each file with the path to replace: a symlink's target (replacing the
/// link would turn it into a copy), once however many links lead to it.
fn distinct(files: Vec<SourceFile>) -> Vec<(SourceFile, PathBuf)> {
    let mut seen = std::collections::HashSet::new();
    files
        .into_iter()
        .filter_map(|f| {
            let target = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
            seen.insert(target.clone()).then_some((f, target))
        })
        .collect()
}

/// Reads, fixes and (unless a dry run) replaces one file.
fn fix_file(file: &SourceFile, target: &Path, cfg: &SiteConfig, mode: Mode) -> FileReport {
    let mut report = FileReport {
        file: file.rel.clone(),
        ..FileReport::default()
    };
    // A file that cannot be read is reported by `check`; it is not touched.
    let Some(raw) = write::read(target) else {
        return report;
    };
    let planned = plan::plan(&raw, &file.content_path, cfg);
    report.outcomes = planned.outcomes;
    let Some(fixed) = planned.fixed else {
        return report;
    };
    match mode {
        Mode::DryRun => report.diff = write::diff(&file.rel, &raw, &fixed),
        Mode::Write => report.error = write::replace(target, &raw, &fixed).err(),
    }
    report
}

#[cfg(test)]
mod tests;
