//! `hindsight import`: adopt postmortems written for other tools.
//!
//! Each report (Markdown without front matter, or with another tool's)
//! becomes `content/<year>/<date>-<slug>.md` with front matter inferred
//! from its text and its body kept byte for byte. Every value comes from
//! the first place that states it and is listed with its line and words
//! ([`Inferred`]); what the text does not state is left out with a YAML
//! comment, never guessed. Sources are only read; nothing is overwritten,
//! so a second run over the same folder changes nothing.

mod facts;
mod infer;
mod prose;
pub mod report;
mod severity;
mod times;
mod title;
mod write;

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::text::pos_in;

pub use infer::Terms;

/// How sure an inferred value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Stated as a labelled fact or a heading.
    High,
    /// Read from a sentence.
    Medium,
    /// Taken from the timeline or the file name.
    Low,
}

impl Confidence {
    /// `high`, `medium`, `low`.
    pub fn word(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// Where a value was found: the line and the words.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// 1-based line in the source file (0: the file name).
    pub line: usize,
    /// The words it came from.
    pub quote: String,
    /// How sure it is.
    pub confidence: Confidence,
}

impl Evidence {
    /// The words `text[offset..offset + len]`.
    fn at(text: &str, offset: usize, len: usize, confidence: Confidence) -> Evidence {
        let end = (offset + len).min(text.len());
        let quote = prose::one_line(text.get(offset..end).unwrap_or(""));
        Evidence {
            line: pos_in(text, offset, 1).line,
            quote: shorten(&quote),
            confidence,
        }
    }

    /// The whole line at `offset`.
    fn line(text: &str, offset: usize, confidence: Confidence) -> Evidence {
        let start = text[..offset.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        Evidence::at(text, start, end - start, confidence)
    }

    /// A key fact's line.
    fn fact(text: &str, fact: &facts::Fact<'_>) -> Evidence {
        Evidence::line(text, fact.offset, Confidence::High)
    }

    /// The file's name.
    fn file_name(name: &str) -> Evidence {
        Evidence {
            line: 0,
            quote: name.to_string(),
            confidence: Confidence::Low,
        }
    }
}

/// Long quotes are cut to a readable length.
fn shorten(quote: &str) -> String {
    const MAX: usize = 120;
    if quote.chars().count() <= MAX {
        return quote.to_string();
    }
    let mut out: String = quote.chars().take(MAX - 1).collect();
    out.push('…');
    out
}

/// One value inferred for the front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Inferred {
    /// The field (`start`, `impact.users_affected_pct`).
    pub field: &'static str,
    /// The value as written into front matter.
    pub value: String,
    /// Where it came from.
    pub evidence: Evidence,
}

/// What happened to one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Written to its target.
    Written,
    /// `--dry-run`: would be written.
    WouldWrite,
    /// Its target exists already; left alone.
    Exists,
}

/// One imported report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The source, as given on the command line.
    pub source: String,
    /// The target, relative to the site root (`content/2024/…md`).
    pub target: String,
    /// The inferred values.
    pub fields: Vec<Inferred>,
    /// Fields the text does not state, with why.
    pub missing: Vec<(&'static str, String)>,
    /// What was done.
    pub outcome: Outcome,
    /// The file written (or that would be).
    pub text: String,
}

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// A folder of reports, or one report.
    pub src: PathBuf,
    /// The site root.
    pub root: PathBuf,
    /// Write nothing.
    pub dry_run: bool,
}

/// The largest report read (a postmortem is kilobytes, not gigabytes).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Imports every report under `opts.src` into the site at `opts.root`.
pub fn run(opts: &ImportOptions, cfg: &SiteConfig, terms: &Terms) -> Result<Vec<Imported>> {
    use rayon::prelude::*;
    let files = sources(&opts.src)?;
    // Reading and inferring are independent per report: in parallel.
    // Targets are then given out in the order of the sources, so the
    // same folder always gives the same files.
    let read: Vec<(String, String, infer::Inference)> = files
        .into_par_iter()
        .map(|(path, shown)| {
            let text = read(&path)?;
            let name = path
                .file_stem()
                .map_or(String::new(), |s| s.to_string_lossy().into_owned());
            let inference = infer::infer(&name, &text, cfg, terms);
            Ok((shown, text, inference))
        })
        .collect::<Result<_>>()?;
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(read.len());
    for (shown, text, inference) in read {
        let target = free_target(&inference.target, &mut taken);
        let written = write::file(&inference, &text);
        let exists = opts.root.join(&target).exists();
        let outcome = match (exists, opts.dry_run) {
            (true, _) => Outcome::Exists,
            (false, true) => Outcome::WouldWrite,
            (false, false) => {
                save(&opts.root.join(&target), &written)?;
                Outcome::Written
            }
        };
        out.push(Imported {
            source: shown,
            target,
            fields: inference.fields,
            missing: inference.missing,
            outcome,
            text: written,
        });
    }
    Ok(out)
}

/// The target for a report: its own name, or with `-2`, `-3` when an
/// earlier report of this run took it. A target that exists on disk keeps
/// its name, so a second run finds it and leaves it.
fn free_target(wanted: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let stem = wanted.trim_end_matches(".md");
    let mut target = wanted.to_string();
    let mut n = 2;
    while taken.contains(&target) {
        target = format!("{stem}-{n}.md");
        n += 1;
    }
    taken.insert(target.clone());
    target
}

/// The Markdown files under `src` (or `src` itself), sorted, with the
/// path to show for each.
fn sources(src: &Path) -> Result<Vec<(PathBuf, String)>> {
    let meta = std::fs::metadata(src).map_err(|e| Error::io(src, e))?;
    if meta.is_file() {
        return Ok(vec![(src.to_path_buf(), src.display().to_string())]);
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(src)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry =
            entry.map_err(|e| Error::Usage(format!("cannot read {}: {e}", src.display())))?;
        let name = entry.file_name().to_string_lossy();
        let markdown = [".md", ".markdown", ".mdown", ".txt"]
            .iter()
            .any(|e| name.ends_with(e));
        let hidden = name.starts_with('.') || name.starts_with('_');
        if entry.file_type().is_file()
            && markdown
            && !hidden
            && !crate::content::is_editor_litter(&name)
        {
            let shown = entry.path().display().to_string();
            out.push((entry.into_path(), shown));
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(format!(
            "no Markdown reports (.md) in {}; point `import` at a folder of reports or at one report",
            src.display()
        )));
    }
    Ok(out)
}

/// A report's text; a byte-order mark is dropped.
fn read(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > MAX_BYTES {
        return Err(Error::Usage(format!(
            "{} is {} MB; a report this large is not a postmortem, leave it out of the import",
            path.display(),
            meta.len() / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Usage(format!(
            "{} is not UTF-8 text; save it as UTF-8 and import it again",
            path.display()
        ))
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Writes a new file (never replacing one), through a temporary file in
/// the same folder so a half-written report is never left.
fn save(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.import-{}", std::process::id()));
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    // A hard link fails when the target exists: never overwrite.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    linked.map_err(|e| Error::io(path, e))
}
