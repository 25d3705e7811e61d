//! Rules on the body's structure: `missing-section`, `duplicate-section`.

use super::Out;
use crate::archive::Incident;
use crate::config::SiteConfig;
use crate::content::sections::{self, Found, normalize};
use crate::diagnostic::{Pos, Rule};

pub(super) fn check(incident: &Incident, cfg: &SiteConfig, out: &mut Out<'_>) {
    let headings = &incident.body.headings;
    let normalized: Vec<String> = headings.iter().map(|h| h.key.clone()).collect();
    let required: Vec<String> = cfg
        .validation
        .required_sections
        .iter()
        .map(|r| normalize(r))
        .collect();
    for (name, norm) in cfg.validation.required_sections.iter().zip(&required) {
        if sections::find(headings, name) != Found::Missing {
            continue;
        }
        missing(incident, name, norm, &normalized, out);
    }
    duplicates(incident, &required, &normalized, out);
}

fn missing(incident: &Incident, name: &str, norm: &str, normalized: &[String], out: &mut Out<'_>) {
    let headings = &incident.body.headings;
    let mut wanted = vec![norm.to_string()];
    if norm == "root cause and resolution" {
        wanted.extend(["root cause".to_string(), "resolution".to_string()]);
        let has = |n: &str| normalized.iter().any(|h| h == n);
        for (present, absent) in [("root cause", "Resolution"), ("resolution", "Root Cause")] {
            if has(present) && !has(absent.to_lowercase().as_str()) {
                if let Some(near) = near_miss(normalized, &[absent.to_lowercase()]) {
                    let h = &headings[near];
                    let pos = out.at(h.offset, h.len);
                    out.push(Rule::MissingSection, pos, format!("missing section `{absent}`: the heading `{}` looks like a misspelling of it; rename it", h.text));
                } else {
                    let pos = body_pos(incident, out);
                    out.push(Rule::MissingSection, pos, format!("there is a `{}` section but no `{absent}`; add a `## {absent}` section (or one `## Root Cause and Resolution`)", title_case(present)));
                }
                return;
            }
        }
    }
    if let Some(near) = near_miss(normalized, &wanted) {
        let h = &headings[near];
        let pos = out.at(h.offset, h.len);
        out.push(Rule::MissingSection, pos, format!("missing section `{name}`: the heading `{}` looks like a misspelling of it; rename it to `{name}`", h.text));
        return;
    }
    let pos = body_pos(incident, out);
    out.push(Rule::MissingSection, pos, format!("missing section `{name}`; add a `## {name}` heading with its content (required sections are set in site.toml)"));
}

/// The heading closest to one of `wanted`, if close enough to be a typo.
fn near_miss(normalized: &[String], wanted: &[String]) -> Option<usize> {
    normalized
        .iter()
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

fn duplicates(incident: &Incident, required: &[String], normalized: &[String], out: &mut Out<'_>) {
    let headings = &incident.body.headings;
    let canonical = |h: &str| -> Option<String> {
        if h == "root cause" || h == "resolution" {
            return Some(h.to_string());
        }
        required.iter().find(|r| sections::satisfies(h, r)).cloned()
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, norm) in normalized.iter().enumerate() {
        let Some(key) = canonical(norm) else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            let first_line = out.at(headings[*first].offset, 1).line;
            let h = &headings[i];
            let pos = out.at(h.offset, h.len);
            let hint = if key == "resolution" && !normalized.iter().any(|n| n == "root cause") {
                " (was `Root Cause` meant for one of them?)"
            } else {
                ""
            };
            let first_text = &headings[*first].text;
            let what = if normalize(first_text) == *norm {
                format!(
                    "the section `{}` appears twice (first on line {first_line})",
                    h.text
                )
            } else {
                format!(
                    "`{}` repeats the section `{first_text}` (line {first_line})",
                    h.text
                )
            };
            out.push(
                Rule::DuplicateSection,
                pos,
                format!("{what}; merge them or rename one{hint}"),
            );
        } else {
            seen.push((key, i));
        }
    }
}

/// The first non-blank line of the body (after the front matter).
pub(super) fn body_pos(incident: &Incident, out: &Out<'_>) -> Pos {
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

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}
