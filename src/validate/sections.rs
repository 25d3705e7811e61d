//! Rules on the body's structure: `missing-section`, `duplicate-section`,
//! `heading-style`.

use super::FileFindings;
use crate::config::SiteConfig;
use crate::diagnostic::{Pos, Rule};
use crate::model::Incident;
use crate::model::body::{Heading, Origin};
use crate::model::section::{self, Section, normalize};

pub(super) fn check(incident: &Incident, cfg: &SiteConfig, out: &mut FileFindings<'_>) {
    let headings = &incident.body.headings;
    let written: Vec<Section> = headings
        .iter()
        .filter_map(Heading::section)
        .chain(incident.body.labels.iter().map(|l| l.kind.section))
        .collect();
    for (name, section) in &cfg.validation.required_sections {
        if !section::present(&written, *section) {
            missing(incident, name, *section, out);
        }
    }
    duplicates(headings, out);
    heading_style(headings, out);
}

fn missing(incident: &Incident, name: &str, section: Section, out: &mut FileFindings<'_>) {
    let headings = &incident.body.headings;
    let keys: Vec<&str> = headings.iter().map(|h| h.key.as_str()).collect();
    let mut wanted = vec![normalize(name)];
    if section == Section::RootCauseAndResolution {
        wanted.extend(["root cause".to_string(), "resolution".to_string()]);
        let has = |s: Section| headings.iter().any(|h| h.section() == Some(s));
        for (present, absent, absent_section) in [
            ("Root Cause", "Resolution", Section::Resolution),
            ("Resolution", "Root Cause", Section::RootCause),
        ] {
            let present_section = if absent_section == Section::Resolution {
                Section::RootCause
            } else {
                Section::Resolution
            };
            if has(present_section) && !has(absent_section) {
                if let Some(near) = near_miss(&keys, &[absent.to_lowercase()]) {
                    let h = &headings[near];
                    let pos = out.at(h.offset, h.len);
                    out.push(Rule::MissingSection, pos, format!("missing section `{absent}`: the heading `{}` looks like a misspelling of it; rename it", h.text));
                } else {
                    let pos = body_pos(incident, out);
                    out.push(Rule::MissingSection, pos, format!("there is a `{present}` section but no `{absent}`; add a `## {absent}` section (or one `## Root Cause and Resolution`)"));
                }
                return;
            }
        }
    }
    if let Some(near) = near_miss(&keys, &wanted) {
        let h = &headings[near];
        let pos = out.at(h.offset, h.len);
        out.push(Rule::MissingSection, pos, format!("missing section `{name}`: the heading `{}` looks like a misspelling of it; rename it to `{name}`", h.text));
        return;
    }
    let pos = body_pos(incident, out);
    out.push(Rule::MissingSection, pos, format!("missing section `{name}`; add a `## {name}` heading with its content (required sections are set in site.toml)"));
}

/// The heading closest to one of `wanted`, if close enough to be a typo.
fn near_miss(keys: &[&str], wanted: &[String]) -> Option<usize> {
    keys.iter()
        .enumerate()
        .filter_map(|(i, h)| {
            wanted
                .iter()
                .map(|w| (strsim::damerau_levenshtein(h, w), w.chars().count()))
                .filter(|(d, len)| *d > 0 && *d <= (len / 5).clamp(1, 4))
                .map(|(d, _)| (d, i))
                .min()
        })
        .min()
        .map(|(_, i)| i)
}

/// The names under which a section is the format's own: two of them in
/// one body are the same section written twice. Other synonyms are often
/// distinct parts of a template (`Root Cause` and `Contributing Factors`,
/// `What went well` and `What went wrong`) and are only duplicates when
/// written identically.
fn primary(key: &str) -> bool {
    matches!(
        key,
        "issue summary"
            | "summary"
            | "timeline"
            | "root cause and resolution"
            | "root cause"
            | "resolution"
            | "corrective and preventative measures"
            | "action items"
            | "follow up"
            | "follow ups"
    )
}

fn duplicates(headings: &[Heading], out: &mut FileFindings<'_>) {
    for (i, h) in headings.iter().enumerate() {
        let Some(section) = h.section() else {
            continue;
        };
        let same = |first: &Heading| {
            first.section() == Some(section)
                && (first.key == h.key || (primary(&first.key) && primary(&h.key)))
        };
        // A sub-heading inside the first (`Action Items` under
        // `Corrective and Preventative Measures`) is part of it.
        let Some(first) = headings[..i]
            .iter()
            .position(|f| same(f) && h.level <= f.level)
        else {
            continue;
        };
        let first = &headings[first];
        let first_line = out.at(first.offset, 1).line;
        let pos = out.at(h.offset, h.len);
        let hint = if section == Section::Resolution
            && !headings
                .iter()
                .any(|x| x.section() == Some(Section::RootCause))
        {
            " (was `Root Cause` meant for one of them?)"
        } else {
            ""
        };
        let what = if first.key == h.key {
            format!(
                "the section `{}` appears twice (first on line {first_line})",
                h.text
            )
        } else {
            format!(
                "`{}` repeats the section `{}` (line {first_line})",
                h.text, first.text
            )
        };
        out.push(
            Rule::DuplicateSection,
            pos,
            format!("{what}; merge them or rename one{hint}"),
        );
    }
}

/// One `heading-style` finding per file, at the first section name written
/// as a plain or bold line.
fn heading_style(headings: &[Heading], out: &mut FileFindings<'_>) {
    let mut lines = headings
        .iter()
        .filter(|h| matches!(h.origin, Origin::PlainLine | Origin::Bold));
    let Some(first) = lines.next() else {
        return;
    };
    let others = lines.count();
    let pos = out.at(first.offset, first.len);
    let how = if first.origin == Origin::Bold {
        "bold text"
    } else {
        "plain text"
    };
    let name = first.text.trim_end_matches(':').trim();
    let more = match others {
        0 => String::new(),
        1 => " (1 more section is written this way)".to_string(),
        n => format!(" ({n} more sections are written this way)"),
    };
    out.push(
        Rule::HeadingStyle,
        pos,
        format!(
            "`{name}` on line {} is {how}; write `{} {name}` so it is a heading{more}",
            pos.line,
            "#".repeat(usize::from(first.level))
        ),
    );
}

/// The first non-blank line of the body (after the front matter).
pub(super) fn body_pos(incident: &Incident, out: &FileFindings<'_>) -> Pos {
    let source = &incident.source;
    let offset = crate::content::frontmatter::split(source).map_or(0, |b| b.body_offset);
    let skipped = source[offset..].len() - source[offset..].trim_start().len();
    let mut start = offset + skipped;
    if start >= source.len() {
        // No body at all: point at the start of the last line.
        start = source
            .trim_end_matches('\n')
            .rfind('\n')
            .map_or(0, |i| i + 1);
    }
    let line_len = source[start..].find('\n').unwrap_or(source.len() - start);
    out.at(start, line_len)
}
