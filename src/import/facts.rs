//! Key facts as reports state them before or beside their prose:
//! `Start Time: January 25, 2024 - 10:30 AM UTC`, `**Duration:** June 3,
//! 2024, 6:00 AM to June 10, 2024, 6:00 AM`, `| Incident Severity | SEV-2 |`,
//! `Time to detection: 8 minutes`. Read line by line from the raw text
//! (outside fenced code), whatever the Markdown around them.

use jiff::SignedDuration;

/// What a key fact states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    /// When it started.
    Start,
    /// When it ended.
    End,
    /// The whole window, or its length.
    Duration,
    /// The day it happened.
    Date,
    /// When it was detected.
    Detected,
    /// How long detection took.
    TimeToDetect,
    /// When it was mitigated.
    Mitigated,
    /// How long mitigation took.
    TimeToMitigate,
    /// How bad it was.
    Severity,
    /// The zone of the report's times.
    Timezone,
    /// What users saw.
    Impact,
}

/// One key fact.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fact<'a> {
    /// What it states.
    pub(super) key: Key,
    /// The value as written (Markdown emphasis removed at its ends).
    pub(super) value: &'a str,
    /// Byte offset of the value in the text.
    pub(super) offset: usize,
    /// The whole line, trimmed, for the review report.
    pub(super) line_text: &'a str,
}

/// The labels of each key, normalised (lowercase, words single-spaced).
const LABELS: &[(Key, &[&str])] = &[
    (
        Key::Start,
        &[
            "start",
            "start time",
            "started",
            "start date",
            "began",
            "incident start",
            "outage start",
            "impact start",
            "start of impact",
            "start of incident",
            "first impact",
        ],
    ),
    (
        Key::End,
        &[
            "end",
            "end time",
            "ended",
            "end date",
            "resolved",
            "resolved at",
            "incident end",
            "outage end",
            "impact end",
            "end of impact",
            "end of incident",
            "fully resolved",
            "recovered",
        ],
    ),
    (
        Key::Duration,
        &[
            "duration",
            "outage duration",
            "incident duration",
            "time window",
            "window",
            "period",
            "impact duration",
        ],
    ),
    (
        Key::Date,
        &["date", "incident date", "date of incident", "day"],
    ),
    (
        Key::Detected,
        &["detected", "detected at", "detection time", "time detected"],
    ),
    (
        Key::TimeToDetect,
        &["time to detection", "time to detect", "ttd", "mttd"],
    ),
    (
        Key::Mitigated,
        &[
            "mitigated",
            "mitigated at",
            "mitigation time",
            "time mitigated",
        ],
    ),
    (
        Key::TimeToMitigate,
        &[
            "time to mitigation",
            "time to mitigate",
            "time to resolution",
            "time to resolve",
            "time to recovery",
            "ttm",
            "ttr",
            "mttr",
        ],
    ),
    (
        Key::Severity,
        &[
            "severity",
            "incident severity",
            "sev",
            "priority",
            "incident priority",
            "severity level",
            "impact level",
        ],
    ),
    (Key::Timezone, &["timezone", "time zone", "zone"]),
    (
        Key::Impact,
        &[
            "impact",
            "customer impact",
            "user impact",
            "business impact",
            "impact summary",
        ],
    ),
];

/// The key facts of `text`, in order.
pub(super) fn scan(text: &str) -> Vec<Fact<'_>> {
    let lines = prose_lines(text);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for piece in pieces(line) {
            let Some((key, mut value)) = fact_of(piece) else {
                continue;
            };
            // `**Impact:**` alone, its text on the next line.
            if value.is_empty() {
                match lines.get(i + 1).map(|l| l.trim()) {
                    Some(next) if !next.is_empty() && fact_of(next).is_none() => {
                        value = next.trim_matches(['*', '_', ' ']);
                    }
                    _ => continue,
                }
            }
            out.push(Fact {
                key,
                value,
                offset: value.as_ptr() as usize - text.as_ptr() as usize,
                line_text: line.trim(),
            });
        }
    }
    out
}

/// The lines of `text` outside fenced code, without line ends.
fn prose_lines(text: &str) -> Vec<&str> {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for raw in text.split('\n') {
        let line = raw.trim_end_matches('\r');
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            out.push("");
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push("");
            continue;
        }
        out.push(line);
    }
    out
}

/// A line, and the parts of it after `, ` or `; ` that start with their
/// own label (`Start time: 9:00 AM, End time: 10:00 AM`).
fn pieces(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut from = 0;
    for (at, sep) in line.match_indices([',', ';']) {
        let after = at + sep.len();
        let next = after + (line[after..].len() - line[after..].trim_start().len());
        if at >= from && fact_of(&line[next..]).is_some() {
            out.push(&line[from..at]);
            from = next;
        }
    }
    out.push(&line[from..]);
    out
}

/// True when `line` is a key fact (`Start: 09:30`, `| Severity | SEV2 |`).
pub(super) fn is_fact(line: &str) -> bool {
    fact_of(line).is_some()
}

/// A fact on one line: `label: value` (list markers, quotes and emphasis
/// around them ignored) or a table row `| label | value |`.
fn fact_of(line: &str) -> Option<(Key, &str)> {
    let line = line
        .trim_start()
        .trim_start_matches(['>', ' '])
        .trim_start_matches(['-', '*', '+', '•'])
        .trim_start();
    let (label, value) = if line.starts_with('|') {
        let mut cells = line
            .trim_matches(|c: char| c == '|' || c.is_whitespace())
            .split('|');
        let label = cells.next()?;
        let value = cells.next()?;
        (label, value)
    } else {
        let colon = line.get(..48).unwrap_or(line).find(':')?;
        (&line[..colon], &line[colon + 1..])
    };
    let key = key_of(label)?;
    let value = value
        .trim()
        .trim_start_matches(['*', '_', ':', ' '])
        .trim_end_matches(['*', '_', ' ', '|'])
        .trim();
    Some((key, value))
}

/// The key a label names, if it is one.
fn key_of(label: &str) -> Option<Key> {
    let words: Vec<String> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    let name = words.join(" ");
    LABELS
        .iter()
        .find(|(_, names)| names.contains(&name.as_str()))
        .map(|(key, _)| *key)
}

/// A length of time as written: `8 minutes`, `1 hour 30 minutes`,
/// `1h 30m`, `90 min`, `2.5 hours`, `1 day`.
pub(super) fn duration(text: &str) -> Option<SignedDuration> {
    let mut seconds = 0f64;
    let mut found = false;
    let mut rest = text.trim();
    while let Some(first) = rest.chars().next().filter(char::is_ascii_digit) {
        let _ = first;
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].to_ascii_lowercase();
        let scale = match unit.as_str() {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            _ => return None,
        };
        seconds += number * scale;
        found = true;
        rest = rest[unit_len..].trim_start_matches([' ', ',']).trim_start();
        rest = rest.strip_prefix("and ").unwrap_or(rest);
    }
    (found && seconds >= 0.0).then(|| SignedDuration::from_secs(seconds.round() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Vec<(Key, &str)> {
        scan(text).into_iter().map(|f| (f.key, f.value)).collect()
    }

    #[test]
    fn key_facts_in_the_forms_reports_use() {
        let text = "# Outage\n\n**Duration:** \nStart Time: January 25, 2024 - 10:30 AM UTC\n- **End Time:** 12:45 PM UTC\n| Incident Severity | SEV-2 |\n| --- | --- |\n> Time to detection: 8 minutes\n\n```\nStart: not a fact in code\n```\nThe start: of prose is not a fact either.\nTimezone: PDT\n";
        assert_eq!(
            facts(text),
            [
                (Key::Start, "January 25, 2024 - 10:30 AM UTC"),
                (Key::End, "12:45 PM UTC"),
                (Key::Severity, "SEV-2"),
                (Key::TimeToDetect, "8 minutes"),
                (Key::Timezone, "PDT"),
            ]
        );
        assert_eq!(
            facts(
                "Start time: 11/3/23 9:00 AM, End time: 11/3/23 10:00 AM.\n**Impact:**  \nMail was down for 90% of staff.\n"
            ),
            [
                (Key::Start, "11/3/23 9:00 AM"),
                (Key::End, "11/3/23 10:00 AM."),
                (Key::Impact, "Mail was down for 90% of staff."),
            ]
        );
        let f = &scan(text)[0];
        assert_eq!(&text[f.offset..f.offset + 7], "January");
        assert_eq!(f.line_text, "Start Time: January 25, 2024 - 10:30 AM UTC");
    }

    #[test]
    fn lengths_of_time() {
        let secs = |t: &str| duration(t).map(|d| d.as_secs());
        assert_eq!(secs("8 minutes"), Some(480));
        assert_eq!(secs("1 hour 30 minutes"), Some(5400));
        assert_eq!(secs("1h 30m"), Some(5400));
        assert_eq!(secs("2.5 hours"), Some(9000));
        assert_eq!(secs("1 day, 2 hours and 5 minutes"), Some(93_900));
        assert_eq!(secs("about an hour"), None);
        assert_eq!(secs("10 servers"), None);
    }
}
