//! Recognising the sections of a postmortem by their headings.
//!
//! Headings are compared case-insensitively, with `&` read as `and`,
//! `preventive` as `preventative`, and a trailing `:` or parenthetical
//! (`Timeline (all times UTC)`) ignored.

use std::ops::Range;

use super::markdown::Heading;

/// Normalises a heading for comparison.
pub fn normalize(heading: &str) -> String {
    // Most headings are words with single spaces: lowercase is enough.
    let words = heading
        .split(' ')
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()));
    if words {
        let lower = heading.to_ascii_lowercase();
        if !lower.contains("preventive") {
            return lower;
        }
    }
    normalize_any(heading)
}

/// [`normalize`] for any heading.
fn normalize_any(heading: &str) -> String {
    let mut s = heading.trim().to_lowercase();
    if s.ends_with(')')
        && let Some(open) = s.rfind('(')
    {
        s.truncate(open);
    }
    let s = s
        .trim()
        .trim_end_matches(':')
        .replace('&', " and ")
        .replace("preventive", "preventative")
        .replace(['-', '_'], " ");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Other headings that satisfy a required section (normalised names).
fn aliases(required: &str) -> &'static [&'static str] {
    match required {
        "issue summary" => &["summary"],
        "corrective and preventative measures" => &["action items", "follow up", "follow ups"],
        _ => &[],
    }
}

/// True when the normalised `heading` stands for the normalised `required` section.
pub fn satisfies(heading: &str, required: &str) -> bool {
    heading == required || aliases(required).contains(&heading)
}

/// Where a required section is, if the body has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One heading stands for the section (index into the headings).
    Heading(usize),
    /// `Root Cause` and `Resolution` as two sections.
    Split(usize, usize),
    /// Not there.
    Missing,
}

/// Looks up a required section among `headings`.
pub fn find(headings: &[Heading], required: &str) -> Found {
    let required = normalize(required);
    let normalized: Vec<&str> = headings.iter().map(|h| h.key.as_str()).collect();
    if let Some(i) = normalized.iter().position(|h| satisfies(h, &required)) {
        return Found::Heading(i);
    }
    if required == "root cause and resolution" {
        let cause = normalized.iter().position(|&h| h == "root cause");
        let resolution = normalized.iter().position(|&h| h == "resolution");
        if let (Some(c), Some(r)) = (cause, resolution) {
            return Found::Split(c, r);
        }
    }
    Found::Missing
}

/// The byte range (in the file) of the section under heading `i`: up to
/// the next heading of the same or a higher level.
pub fn range(headings: &[Heading], i: usize, end_of_file: usize) -> Range<usize> {
    let level = headings[i].level;
    let end = headings[i + 1..]
        .iter()
        .find(|h| h.level <= level)
        .map_or(end_of_file, |h| h.offset);
    headings[i].offset..end
}

/// The byte range of the first section satisfying `required`, if any.
pub fn section_range(
    headings: &[Heading],
    required: &str,
    end_of_file: usize,
) -> Option<Range<usize>> {
    match find(headings, required) {
        Found::Heading(i) => Some(range(headings, i, end_of_file)),
        Found::Split(a, b) => {
            let (ra, rb) = (
                range(headings, a, end_of_file),
                range(headings, b, end_of_file),
            );
            Some(ra.start.min(rb.start)..ra.end.max(rb.end))
        }
        Found::Missing => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, text: &str, offset: usize) -> Heading {
        Heading {
            level,
            text: text.into(),
            key: normalize(text),
            id: String::new(),
            offset,
            len: 1,
            first_paragraph: None,
        }
    }

    #[test]
    fn normalisation() {
        assert_eq!(
            normalize("Corrective & Preventive Measures:"),
            "corrective and preventative measures"
        );
        assert_eq!(normalize("Timeline (Eastern Standard Time)"), "timeline");
        assert_eq!(normalize("  Issue   Summary : "), "issue summary");
        assert_eq!(normalize("Follow-up"), "follow up");
        // Plain headings take a shortcut to the same result.
        for heading in [
            "Timeline",
            "Root Cause and Resolution",
            "Corrective and PREVENTIVE Measures",
            "Issue Summary 2",
            "Issue  Summary",
            " Summary",
            "Résumé",
            "Timeline (UTC)",
        ] {
            assert_eq!(normalize(heading), normalize_any(heading), "{heading}");
        }
        assert_eq!(
            normalize("Corrective and PREVENTIVE Measures"),
            "corrective and preventative measures"
        );
    }

    #[test]
    fn finding_sections() {
        let hs = [
            h(2, "Summary", 0),
            h(2, "Timeline", 10),
            h(3, "Day 2", 20),
            h(2, "Root Cause", 30),
            h(2, "Resolution", 40),
            h(2, "Action Items", 50),
        ];
        assert_eq!(find(&hs, "Issue Summary"), Found::Heading(0));
        assert_eq!(find(&hs, "Root Cause and Resolution"), Found::Split(3, 4));
        assert_eq!(
            find(&hs, "Corrective and Preventative Measures"),
            Found::Heading(5)
        );
        assert_eq!(find(&hs, "Impact"), Found::Missing);
        assert_eq!(section_range(&hs, "Timeline", 99), Some(10..30));
        assert_eq!(
            section_range(&hs, "Root Cause and Resolution", 99),
            Some(30..50)
        );
        assert_eq!(
            section_range(&hs, "Corrective and Preventative Measures", 99),
            Some(50..99)
        );
    }
}
