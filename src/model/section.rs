//! Recognising the sections of a postmortem by what their headings mean.
//!
//! Teams write the same section under many names: the Google SRE book's
//! "Root Causes", PagerDuty's "Contributing Factors", Atlassian's
//! "Follow-up actions", a student template's "Corrective & Preventive
//! Measures". A built-in table maps each name to the [`Section`] it stands
//! for; `site.toml`'s `[sections]` adds names. Headings are compared after
//! [`normalize`]: case, numbering (`1.`, `II)`), emoji, punctuation, a
//! trailing `:` and a parenthetical (`Timeline (all times UTC)`) do not
//! matter, `&` reads as `and` and `preventive` as `preventative`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use crate::model::body::Heading;

/// What a section of a postmortem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// The issue summary.
    Summary,
    /// What users saw and how many.
    Impact,
    /// The timed events.
    Timeline,
    /// Why it happened.
    RootCause,
    /// How it was fixed.
    Resolution,
    /// Root cause and resolution under one heading.
    RootCauseAndResolution,
    /// Corrective and preventative measures, action items.
    Measures,
    /// How it was noticed.
    Detection,
    /// Lessons learned.
    Lessons,
    /// A section named in `site.toml` that is none of the above (index
    /// into [`SectionTable`]'s custom names).
    Custom(u16),
}

/// What a heading stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind {
    /// The section.
    pub section: Section,
    /// True for headings whose plain bullets are action items (`Action
    /// Items`, `Follow-ups`, `TODO`), as opposed to measures in general
    /// (`Corrective and Preventative Measures`, `Recommendations`), whose
    /// bullets are prose and only task-list items count.
    pub action_list: bool,
}

/// Built-in names, normalised: (section, action list, names).
const BUILT_IN: &[(Section, bool, &[&str])] = &[
    (
        Section::Summary,
        false,
        &[
            "issue summary",
            "summary",
            "overview",
            "executive summary",
            "incident summary",
            "incident overview",
            "what happened",
            "tl dr",
            "tldr",
        ],
    ),
    (
        Section::Impact,
        false,
        &[
            "impact",
            "customer impact",
            "user impact",
            "business impact",
            "impact and metrics",
            "affected users",
            "impact assessment",
        ],
    ),
    (
        Section::Timeline,
        false,
        &[
            "timeline",
            "incident timeline",
            "timeline of events",
            "detailed timeline",
            "event timeline",
            "chronology",
            "sequence of events",
        ],
    ),
    (
        Section::RootCause,
        false,
        &[
            "root cause",
            "root causes",
            "root cause analysis",
            "rca",
            "contributing factors",
            "contributing factor",
            "trigger",
            "triggers",
            "what caused the incident",
            "fault",
            "cause",
            "causes",
            "underlying cause",
            "underlying causes",
        ],
    ),
    (
        Section::Resolution,
        false,
        &[
            "resolution",
            "resolution and recovery",
            "recovery",
            "mitigation",
            "mitigation and resolution",
            "mitigation and recovery",
            "mitigation steps",
        ],
    ),
    (
        Section::RootCauseAndResolution,
        false,
        &["root cause and resolution"],
    ),
    (
        Section::Measures,
        false,
        &[
            "corrective and preventative measures",
            "preventative measures",
            "corrective measures",
            "recommendations",
            "prevention",
        ],
    ),
    (
        Section::Measures,
        true,
        &[
            "action items",
            "action item",
            "corrective actions",
            "corrective and preventative actions",
            "preventative actions",
            "remediation",
            "remediations",
            "remediation items",
            "follow ups",
            "follow up",
            "follow up actions",
            "follow up items",
            "followups",
            "next steps",
            "action plan",
            "todo",
            "to do",
            "todos",
            "tasks",
        ],
    ),
    (
        Section::Detection,
        false,
        &["detection", "detection and response"],
    ),
    (
        Section::Lessons,
        false,
        &[
            "lessons learned",
            "lessons",
            "learnings",
            "what we learned",
            "what went well",
            "what went wrong",
            "where we got lucky",
        ],
    ),
];

/// Section names: the built-in ones and those of `site.toml`.
#[derive(Debug, Clone)]
pub struct SectionTable {
    names: HashMap<String, Kind>,
    custom: Vec<String>,
}

impl Default for SectionTable {
    fn default() -> Self {
        SectionTable::built_in().clone()
    }
}

impl SectionTable {
    /// The built-in names only.
    pub fn built_in() -> &'static SectionTable {
        static TABLE: OnceLock<SectionTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut names = HashMap::new();
            for (section, action_list, list) in BUILT_IN {
                for name in *list {
                    let kind = Kind {
                        section: *section,
                        action_list: *action_list,
                    };
                    names.insert((*name).to_string(), kind);
                }
            }
            SectionTable {
                names,
                custom: Vec::new(),
            }
        })
    }

    /// Adds `others`, more names for the section called `name`. A `name`
    /// the table does not know becomes a section of its own.
    pub fn add(&mut self, name: &str, others: &[String]) {
        let kind = self.kind_of(name);
        for other in others {
            self.names.insert(normalize(other), kind);
        }
    }

    /// What the section called `name` (a required section of `site.toml`,
    /// say) stands for; a name the table does not know becomes a section
    /// of its own.
    pub fn kind_of(&mut self, name: &str) -> Kind {
        if let Some(kind) = self.classify(name) {
            return kind;
        }
        let kind = Kind {
            section: Section::Custom(self.custom.len() as u16),
            action_list: false,
        };
        self.custom.push(name.trim().to_string());
        self.names.insert(normalize(name), kind);
        kind
    }

    /// What a heading stands for, if it names a known section: the whole
    /// heading, a pair joined by `and` (`Root Cause and Mitigation`), or
    /// the words before a separator (`Root cause: an expired key`).
    pub fn classify(&self, heading: &str) -> Option<Kind> {
        self.classify_normalized(heading, &normalize(heading))
    }

    /// [`SectionTable::classify`] when `key` is `normalize(heading)`.
    pub fn classify_normalized(&self, heading: &str, key: &str) -> Option<Kind> {
        if let Some(kind) = self.classify_key(key) {
            return Some(kind);
        }
        // `Timeline of the outage`, `Timeline (all times PST) 01/16 - 02/28`.
        if key.starts_with("timeline ") {
            return self.classify_key("timeline");
        }
        let (head, _) = heading
            .split_once([':', '–', '—', '|', '(', ','])
            .or_else(|| heading.split_once(" - "))
            .filter(|(head, _)| !head.trim().is_empty())?;
        self.classify_key(&normalize(head))
    }

    /// [`SectionTable::classify`] for a heading already normalised.
    pub fn classify_key(&self, key: &str) -> Option<Kind> {
        if let Some(kind) = self.names.get(key) {
            return Some(*kind);
        }
        let (left, right) = key.split_once(" and ")?;
        let section = |k: &str| self.names.get(k).map(|kind| kind.section);
        match (section(left)?, section(right)?) {
            (Section::RootCause, Section::Resolution)
            | (Section::Resolution, Section::RootCause) => Some(Kind {
                section: Section::RootCauseAndResolution,
                action_list: false,
            }),
            (a, b) if a == b => self.names.get(left).copied(),
            _ => None,
        }
    }
}

/// Normalises a heading for comparison: lowercase words separated by
/// single spaces, without numbering, emoji, punctuation or a trailing
/// parenthetical.
pub fn normalize(heading: &str) -> String {
    // Most headings are words with single spaces: lowercase is enough.
    let words = heading.starts_with(|c: char| c.is_ascii_alphabetic())
        && heading
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
    let trimmed = heading.trim();
    // A trailing parenthetical, also one followed by a colon or emoji.
    let mut kept = trimmed;
    let end = trimmed.trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != ']');
    if let Some(close) = end.chars().last().filter(|c| matches!(c, ')' | ']')) {
        let open = if close == ')' { '(' } else { '[' };
        if let Some(at) = end.rfind(open).filter(|&at| at > 0) {
            kept = &trimmed[..at];
        }
    }
    // One pass: lowercase words of letters and digits, `&` as `and`,
    // everything else a separator.
    let mut out = String::with_capacity(kept.len() + 8);
    let mut words = 0usize;
    let mut in_word = false;
    for c in kept.chars() {
        if c.is_alphanumeric() {
            if !in_word {
                if words > 0 {
                    out.push(' ');
                }
                words += 1;
                in_word = true;
            }
            out.extend(c.to_lowercase());
        } else {
            in_word = false;
            if c == '&' {
                if words > 0 {
                    out.push(' ');
                }
                out.push_str("and");
                words += 1;
            }
        }
    }
    if out.contains("preventive") {
        out = out.replace("preventive", "preventative");
    }
    if words > 1 && is_numbering(trimmed) {
        let mut rest = out.as_str();
        let mut dropped = 0;
        while dropped + 1 < words {
            let (word, after) = rest.split_once(' ').unwrap_or((rest, ""));
            if !(word.bytes().all(|b| b.is_ascii_digit()) || is_roman_or_letter(word)) {
                break;
            }
            rest = after;
            dropped += 1;
        }
        out = rest.to_string();
    }
    out
}

/// True when `heading` starts with numbering: `1.`, `2)`, `1.2`, `3 `,
/// `IV.`, `b)`.
fn is_numbering(heading: &str) -> bool {
    let heading = heading.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lead: &str = heading
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let digits = lead.trim_end_matches(['.', ')', ':']);
    // `1`, `12`, `1.2`; not a year.
    let numbered = |d: &str| {
        d.split('.')
            .all(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if !digits.is_empty() && numbered(digits) {
        return true;
    }
    lead.len() > digits.len() && is_roman_or_letter(&digits.to_lowercase())
}

fn is_roman_or_letter(word: &str) -> bool {
    (word.len() == 1 && word.bytes().all(|b| b.is_ascii_lowercase()))
        || (!word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b"ivx".contains(&b)))
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

/// Looks up a section among `headings`.
pub fn find(headings: &[Heading], section: Section) -> Found {
    let first = |s: Section| headings.iter().position(|h| h.section() == Some(s));
    if let Some(i) = first(section) {
        return Found::Heading(i);
    }
    if section == Section::RootCauseAndResolution
        && let (Some(c), Some(r)) = (first(Section::RootCause), first(Section::Resolution))
    {
        return Found::Split(c, r);
    }
    Found::Missing
}

/// True when `sections` (those of a body's headings and labels) include
/// `section`, or `Root Cause` and `Resolution` for the combined section.
pub fn present(sections: &[Section], section: Section) -> bool {
    sections.contains(&section)
        || (section == Section::RootCauseAndResolution
            && sections.contains(&Section::RootCause)
            && sections.contains(&Section::Resolution))
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

/// The byte range of the first section standing for `section`, if any.
pub fn section_range(
    headings: &[Heading],
    section: Section,
    end_of_file: usize,
) -> Option<Range<usize>> {
    match find(headings, section) {
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

/// The byte ranges of every section standing for `section` (sub-sections
/// included once), in document order.
pub fn all_ranges(headings: &[Heading], section: Section, end_of_file: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        if h.section() != Some(section) || out.last().is_some_and(|r| r.contains(&h.offset)) {
            continue;
        }
        out.push(range(headings, i, end_of_file));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, text: &str, offset: usize) -> Heading {
        Heading {
            level,
            text: text.into(),
            key: normalize(text),
            kind: SectionTable::built_in().classify(text),
            origin: crate::model::body::Origin::Markdown,
            id: String::new(),
            offset,
            len: 1,
            first_paragraph: None,
        }
    }

    #[test]
    fn normalisation() {
        for (heading, key) in [
            (
                "Corrective & Preventive Measures:",
                "corrective and preventative measures",
            ),
            ("Timeline (Eastern Standard Time)", "timeline"),
            ("  Issue   Summary : ", "issue summary"),
            ("Follow-up", "follow up"),
            ("1. Summary", "summary"),
            ("2) Root Cause", "root cause"),
            ("3.1 Timeline", "timeline"),
            ("IV. Lessons Learned", "lessons learned"),
            ("b) Impact", "impact"),
            ("📝 Timeline:", "timeline"),
            ("⏱️ Timeline (all times in UTC) 🕒", "timeline"),
            ("**Root Cause:**", "root cause"),
            ("What's next?", "what s next"),
            ("2024 in review", "2024 in review"),
            ("Follow-ups / TODO", "follow ups todo"),
        ] {
            assert_eq!(normalize(heading), key, "{heading}");
        }
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
            "1 Summary",
        ] {
            assert_eq!(normalize(heading), normalize_any(heading), "{heading}");
        }
    }

    #[test]
    fn synonyms_stand_for_their_section() {
        let t = SectionTable::built_in();
        let section = |h: &str| t.classify(h).map(|k| k.section);
        for (heading, want) in [
            ("Overview", Section::Summary),
            ("Executive Summary", Section::Summary),
            ("What happened?", Section::Summary),
            ("Contributing Factors", Section::RootCause),
            ("Root Cause Analysis (RCA)", Section::RootCause),
            ("Trigger", Section::RootCause),
            ("Root cause: an expired certificate", Section::RootCause),
            ("Mitigation and Resolution", Section::Resolution),
            ("Recovery", Section::Resolution),
            ("Root Cause & Mitigation", Section::RootCauseAndResolution),
            ("Resolution and Root Cause", Section::RootCauseAndResolution),
            ("Corrective and Preventive Measures", Section::Measures),
            ("Next Steps", Section::Measures),
            ("Follow-ups", Section::Measures),
            ("Customer Impact", Section::Impact),
            ("Detection and Response", Section::Detection),
            ("Where we got lucky", Section::Lessons),
            ("Timeline of events", Section::Timeline),
            ("Timeline - all times UTC", Section::Timeline),
            (
                "Timeline (all times PST) 01/16/2024 - 02/28/2024",
                Section::Timeline,
            ),
            (
                "Timeline of Disaster (A.K.A. What Went Wrong)",
                Section::Timeline,
            ),
            ("Impact, in numbers", Section::Impact),
        ] {
            assert_eq!(section(heading), Some(want), "{heading}");
        }
        for heading in [
            "Background",
            "Appendix",
            "Summary of changes to the runbook",
        ] {
            assert_eq!(section(heading), None, "{heading}");
        }
        let list = |h: &str| t.classify(h).is_some_and(|k| k.action_list);
        assert!(list("Action Items") && list("TODO") && list("Follow-up actions"));
        assert!(!list("Corrective and Preventative Measures") && !list("Recommendations"));
    }

    #[test]
    fn site_names_extend_the_table() {
        let mut t = SectionTable::built_in().clone();
        t.add("Root Cause", &["Why it broke".to_string()]);
        t.add("Glossary", &["Terms".to_string()]);
        assert_eq!(
            t.classify("Why it broke").map(|k| k.section),
            Some(Section::RootCause)
        );
        let glossary = t.classify("Glossary").map(|k| k.section);
        assert!(matches!(glossary, Some(Section::Custom(0))));
        assert_eq!(t.classify("terms:").map(|k| k.section), glossary);
        assert_eq!(t.kind_of("Glossary").section, Section::Custom(0));
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
            h(2, "Follow-ups", 60),
        ];
        assert_eq!(find(&hs, Section::Summary), Found::Heading(0));
        assert_eq!(
            find(&hs, Section::RootCauseAndResolution),
            Found::Split(3, 4)
        );
        assert_eq!(find(&hs, Section::Measures), Found::Heading(5));
        assert_eq!(find(&hs, Section::Impact), Found::Missing);
        assert_eq!(section_range(&hs, Section::Timeline, 99), Some(10..30));
        assert_eq!(
            section_range(&hs, Section::RootCauseAndResolution, 99),
            Some(30..50)
        );
        assert_eq!(section_range(&hs, Section::Measures, 99), Some(50..60));
        assert_eq!(all_ranges(&hs, Section::Measures, 99), [50..60, 60..99]);
    }
}
