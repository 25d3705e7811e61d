//! The title of an imported report: its H1 when that names the incident
//! (not `Postmortem` or `0x19. Postmortem`), else the first sentence of
//! its summary, else its file name.

use super::infer::{inferred, summary_text};
use super::{Confidence, Evidence, Inferred, prose};
use crate::model::body::{Body, Origin};

/// Words of an H1 that name the form, not the incident.
const GENERIC: &[&str] = &[
    "postmortem",
    "post mortem",
    "my first postmortem",
    "incident report",
    "incident postmortem",
    "postmortem report",
    "post incident review",
    "incident review",
    "root cause analysis",
    "rca",
    "outage report",
    "incident title",
    "incident",
    "report",
    "postmortems",
    "post mortems",
    "incident reports",
    "title",
    "untitled",
];

/// Prefixes that introduce the incident's name.
const PREFIXES: &[&str] = &[
    "postmortem",
    "post-mortem",
    "post mortem",
    "incident report",
    "incident postmortem",
    "post-incident review",
    "incident review",
    "incident",
    "outage report",
    "rca",
];

/// The title: the H1 when it names the incident, else the summary's first
/// sentence shortened, else the file name.
pub(super) fn title(name: &str, text: &str, body: &Body) -> Inferred {
    // The H1, or a first heading that names no section: before the first
    // section (an H1 at the end is a credit, not a title).
    let first_section = body
        .headings
        .iter()
        .position(|h| h.kind.is_some())
        .unwrap_or(body.headings.len());
    let candidates = &body.headings[..first_section];
    let named = candidates
        .iter()
        .find(|h| h.level == 1 && h.origin != Origin::PlainLine)
        .or_else(|| {
            candidates
                .iter()
                .find(|h| h.level <= 2 && h.origin != Origin::PlainLine)
        });
    if let Some(h) = named
        && let Some(t) = incident_name(&h.text)
    {
        let ev = Evidence::line(text, h.offset, Confidence::High);
        return inferred("title", t, ev);
    }
    if let Some(range) = summary_text(body, text)
        && let Some((sentence, at)) = summary_sentence(&text[range.clone()])
    {
        let ev = Evidence::at(text, range.start + at, sentence.len(), Confidence::Medium);
        return inferred("title", prose::first_sentence(&sentence, 80), ev);
    }
    let words = name.replace(['-', '_'], " ");
    let words = words.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let mut title = words.to_string();
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    inferred("title", title, Evidence::file_name(name))
}

/// The first sentence of a summary that is prose, not a key fact or a
/// label (`Start: …`, `**Duration:**`), without a leading window (`From
/// Oct 29 12:30 to Oct 31 9:30, …`): the sentence and its offset.
fn summary_sentence(summary: &str) -> Option<(String, usize)> {
    let mut offset = 0;
    for raw in summary.split_inclusive('\n') {
        let at = offset;
        offset += raw.len();
        let line = raw.trim().trim_start_matches(['-', '*', '+', '>', ' ']);
        let label = line.trim_end_matches(['*', '_', ' ']).ends_with(':');
        let markup = line.starts_with(['!', '[', '|', '#', '<']);
        if line.is_empty() || label || markup || super::facts::is_fact(line) {
            continue;
        }
        let lead = raw.len() - raw.trim_start().len() + (raw.trim().len() - line.len());
        let mut sentence = without_window(&prose::plain(prose::sentence_from(summary, at + lead)));
        sentence = sentence.trim().to_string();
        if !sentence.is_empty() {
            return Some((sentence, at + lead));
        }
    }
    None
}

/// A sentence without a leading window (`From Oct 29 12:30 to Oct 31
/// 9:30, requests failed` → `Requests failed`).
pub(super) fn without_window(sentence: &str) -> String {
    let Some(w) = prose::window(sentence, false).filter(|w| w.range.start == 0) else {
        return sentence.to_string();
    };
    let mut rest = sentence[w.range.end..].trim_start();
    // `… 06:15 (UTC), an internal list …`
    if rest.starts_with('(')
        && let Some(close) = rest.find(')')
    {
        rest = &rest[close + 1..];
    }
    let rest = rest.trim_start_matches([',', ' ']);
    let mut chars = rest.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The incident's name in an H1, without a generic prefix or a date.
fn incident_name(h1: &str) -> Option<String> {
    let mut t = h1.trim();
    let lower = t.to_lowercase();
    let mut prefixed = false;
    for p in PREFIXES {
        if lower.starts_with(p) {
            let rest = &t[p.len()..];
            if rest.starts_with([':', ' ', '-', '–', '—']) {
                t = rest.trim_start_matches([':', ' ', '-', '–', '—']);
                prefixed = true;
                break;
            }
        }
    }
    // A leading date belongs in `start`, not the title.
    let t = match crate::time::scan_event_stamp(t) {
        Some(Ok(s)) if s.time.is_none() && s.date != crate::time::DatePart::None => {
            t[s.len..].trim_start_matches([',', ' ', '-', '–', ':'])
        }
        _ => t,
    };
    let key = crate::model::section::normalize(t);
    let generic = key.is_empty()
        || GENERIC.contains(&key.as_str())
        || key
            .split(' ')
            .all(|w| w.chars().all(|c| c.is_ascii_digit() || c == 'x') || GENERIC.contains(&w));
    if generic {
        return None;
    }
    let t = t.trim();
    // `Incident: checkout requests timed out` → `Checkout requests timed out`.
    let mut chars = t.chars();
    Some(match (prefixed, chars.next()) {
        (true, Some(first)) => first.to_uppercase().collect::<String>() + chars.as_str(),
        _ => t.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_name_the_incident_not_the_form() {
        for (h1, want) in [
            ("Postmortem", None),
            ("0x19. Postmortem", None),
            ("My first postmortem", None),
            (
                "Incident Report: Session tokens expired early",
                Some("Session tokens expired early"),
            ),
            ("2018-02-22 NGINX crash", Some("NGINX crash")),
            (
                "Postmortem - Checkout returned 500",
                Some("Checkout returned 500"),
            ),
            ("Incident: checkout timed out", Some("Checkout timed out")),
            (
                "Search index rebuilt from an old snapshot",
                Some("Search index rebuilt from an old snapshot"),
            ),
        ] {
            assert_eq!(incident_name(h1).as_deref(), want, "{h1}");
        }
    }
}
