//! The review report of an import: every inferred value with the line
//! and words it came from, and what was not found, as a table per file or
//! as JSON lines.

use std::fmt::Write as _;

use super::{Imported, Outcome};

/// A table per file: field, value, line, confidence and the words.
pub fn human(imported: &[Imported]) -> String {
    let mut out = String::new();
    for i in imported {
        let what = match i.outcome {
            Outcome::Written => "written",
            Outcome::WouldWrite => "would be written",
            Outcome::Exists => "exists already; left alone",
        };
        let _ = writeln!(out, "{} ← {} ({what})", i.target, i.source);
        for f in &i.fields {
            let line = match f.evidence.line {
                0 => "file name".to_string(),
                n => format!("line {n}"),
            };
            let value: String = f.value.chars().take(40).collect();
            let _ = writeln!(
                out,
                "  {:<26} {:<40} {:<10} {:<6} \"{}\"",
                f.field,
                value,
                line,
                f.evidence.confidence.word(),
                f.evidence.quote
            );
        }
        for (field, why) in &i.missing {
            let _ = writeln!(out, "  {field:<26} —  {why}");
        }
    }
    out
}

/// One JSON object per value: `{file, source, field, value, line, quote,
/// confidence}`; a value not found has `value: null` and a `note`.
pub fn json(imported: &[Imported]) -> String {
    let mut out = String::new();
    for i in imported {
        for f in &i.fields {
            let line = serde_json::json!({
                "file": i.target,
                "source": i.source,
                "field": f.field,
                "value": f.value,
                "line": f.evidence.line,
                "quote": f.evidence.quote,
                "confidence": f.evidence.confidence.word(),
            });
            let _ = writeln!(out, "{line}");
        }
        for (field, why) in &i.missing {
            let line = serde_json::json!({
                "file": i.target,
                "source": i.source,
                "field": field,
                "value": null,
                "note": why,
            });
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// `Imported 5 reports: 3 written, 2 exist already; 4 values not found`.
pub fn summary(imported: &[Imported], dry_run: bool) -> String {
    let count = |o: Outcome| imported.iter().filter(|i| i.outcome == o).count();
    let missing: usize = imported.iter().map(|i| i.missing.len()).sum();
    let done = if dry_run {
        format!("{} would be written", count(Outcome::WouldWrite))
    } else {
        format!("{} written", count(Outcome::Written))
    };
    format!(
        "Imported {} report{}: {done}, {} exist already (never overwritten); {missing} value{} not found, left as comments in the front matter",
        imported.len(),
        if imported.len() == 1 { "" } else { "s" },
        count(Outcome::Exists),
        if missing == 1 { "" } else { "s" },
    )
}
