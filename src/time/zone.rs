//! Zones as people write them in the text of a postmortem: `UTC`, `PDT`,
//! `GMT+1`, `Pacific Time`, `US/Pacific`, and the statements that set the
//! zone of a whole timeline (`All times in UTC.`, `(all times PST)`,
//! `Timeline (CEST)`, a `Time (UTC)` column).
//!
//! Front matter refuses abbreviations (a machine-readable field should not
//! guess); body text is what it is, so here an unambiguous abbreviation
//! means its fixed offset (`PDT` is −07:00 whatever the date), and the
//! ambiguous ones (`IST`, `CST`, `BST`) are resolved by the front matter's
//! zone when one of their meanings fits it.

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// A zone read from body text.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyZone {
    /// A fixed offset (`UTC`, `PDT`, `GMT+1`).
    Fixed {
        /// The offset.
        offset: Offset,
        /// As written.
        name: String,
    },
    /// A zone with its own rules (`Pacific Time`, `US/Pacific`).
    Named {
        /// The zone.
        zone: TimeZone,
        /// As written.
        name: String,
    },
    /// An abbreviation with several meanings: (IANA zone, offset) each.
    Ambiguous {
        /// As written.
        name: String,
        /// What it may stand for.
        candidates: &'static [(&'static str, i32)],
    },
}

impl BodyZone {
    /// The zone as written.
    pub fn name(&self) -> &str {
        match self {
            BodyZone::Fixed { name, .. }
            | BodyZone::Named { name, .. }
            | BodyZone::Ambiguous { name, .. } => name,
        }
    }

    /// The zone events in it are read in, given the front matter's zone
    /// `fallback`: an ambiguous abbreviation takes the meaning whose
    /// offset `fallback` has at `at`; `None` when none fits.
    pub fn resolve(&self, fallback: &TimeZone, at: Timestamp) -> Option<TimeZone> {
        match self {
            BodyZone::Fixed { offset, .. } => Some(TimeZone::fixed(*offset)),
            BodyZone::Named { zone, .. } => Some(zone.clone()),
            BodyZone::Ambiguous { candidates, .. } => {
                let seconds = fallback.to_offset(at).seconds();
                candidates
                    .iter()
                    .any(|(_, o)| *o == seconds)
                    .then(|| fallback.clone())
            }
        }
    }

    /// The candidates of an ambiguous abbreviation, for messages.
    pub fn candidates(&self) -> String {
        match self {
            BodyZone::Ambiguous { candidates, .. } => candidates
                .iter()
                .map(|(zone, o)| format!("{zone} ({})", offset_text(*o)))
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    }
}

/// `+05:30`, `−07:00`.
pub fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '−' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// Unambiguous abbreviations and their offsets in seconds.
const FIXED: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("UT", 0),
    ("WET", 0),
    ("WEST", 3600),
    ("CET", 3600),
    ("MET", 3600),
    ("CEST", 7200),
    ("MEST", 7200),
    ("EET", 7200),
    ("EEST", 10800),
    ("MSK", 10800),
    ("WAT", 3600),
    ("CAT", 7200),
    ("SAST", 7200),
    ("EAT", 10800),
    ("PKT", 18000),
    ("SGT", 28800),
    ("HKT", 28800),
    ("JST", 32400),
    ("KST", 32400),
    ("AWST", 28800),
    ("ACST", 34200),
    ("AEST", 36000),
    ("AEDT", 39600),
    ("NZST", 43200),
    ("NZDT", 46800),
    ("BRT", -10800),
    ("ART", -10800),
    ("NST", -12600),
    ("NDT", -9000),
    ("AST", -14400),
    ("ADT", -10800),
    ("EST", -18000),
    ("EDT", -14400),
    ("CDT", -18000),
    ("MST", -25200),
    ("MDT", -21600),
    ("PST", -28800),
    ("PDT", -25200),
    ("AKST", -32400),
    ("AKDT", -28800),
    ("HST", -36000),
];

/// Abbreviations with several meanings.
const AMBIGUOUS: &[(&str, &[(&str, i32)])] = &[
    (
        "IST",
        &[
            ("Asia/Kolkata", 19800),
            ("Europe/Dublin", 3600),
            ("Asia/Jerusalem", 7200),
        ],
    ),
    (
        "CST",
        &[
            ("America/Chicago", -21600),
            ("Asia/Shanghai", 28800),
            ("America/Havana", -18000),
        ],
    ),
    ("BST", &[("Europe/London", 3600), ("Asia/Dhaka", 21600)]),
];

/// The IANA zone an unambiguous abbreviation belongs to, for writing
/// `timezone` in front matter (the body's `PDT` is America/Los_Angeles).
pub fn iana_for(abbreviation: &str) -> Option<&'static str> {
    Some(match abbreviation {
        "UTC" | "GMT" | "Z" | "UT" => "UTC",
        "PST" | "PDT" | "PT" => "America/Los_Angeles",
        "MST" | "MDT" | "MT" => "America/Denver",
        "CDT" | "CT" => "America/Chicago",
        "EST" | "EDT" | "ET" => "America/New_York",
        "AKST" | "AKDT" => "America/Anchorage",
        "HST" => "Pacific/Honolulu",
        "AST" | "ADT" => "America/Halifax",
        "NST" | "NDT" => "America/St_Johns",
        "BRT" => "America/Sao_Paulo",
        "ART" => "America/Argentina/Buenos_Aires",
        "WET" | "WEST" => "Europe/Lisbon",
        "CET" | "CEST" | "MET" | "MEST" => "Europe/Berlin",
        "EET" | "EEST" => "Europe/Athens",
        "MSK" => "Europe/Moscow",
        "WAT" => "Africa/Lagos",
        "CAT" => "Africa/Maputo",
        "SAST" => "Africa/Johannesburg",
        "EAT" => "Africa/Nairobi",
        "PKT" => "Asia/Karachi",
        "SGT" => "Asia/Singapore",
        "HKT" => "Asia/Hong_Kong",
        "JST" => "Asia/Tokyo",
        "KST" => "Asia/Seoul",
        "AWST" => "Australia/Perth",
        "ACST" => "Australia/Adelaide",
        "AEST" | "AEDT" => "Australia/Sydney",
        "NZST" | "NZDT" => "Pacific/Auckland",
        _ => return None,
    })
}

/// Spelled-out zones: (words, IANA zone or abbreviation).
const SPELLED: &[(&str, &str)] = &[
    ("coordinated universal time", "UTC"),
    ("greenwich mean time", "GMT"),
    ("pacific standard time", "PST"),
    ("pacific daylight time", "PDT"),
    ("eastern standard time", "EST"),
    ("eastern daylight time", "EDT"),
    ("central standard time", "CST"),
    ("central daylight time", "CDT"),
    ("mountain standard time", "MST"),
    ("mountain daylight time", "MDT"),
    ("central european summer time", "CEST"),
    ("central european time", "CET"),
    ("british summer time", "BST"),
    ("india standard time", "Asia/Kolkata"),
    ("indian standard time", "Asia/Kolkata"),
    ("pacific time", "America/Los_Angeles"),
    ("eastern time", "America/New_York"),
    ("central time", "America/Chicago"),
    ("mountain time", "America/Denver"),
    ("pacific", "America/Los_Angeles"),
    ("eastern", "America/New_York"),
];

/// Short names of US zones that follow daylight saving time.
const REGIONAL: &[(&str, &str)] = &[
    ("PT", "America/Los_Angeles"),
    ("ET", "America/New_York"),
    ("CT", "America/Chicago"),
    ("MT", "America/Denver"),
];

/// Reads a zone at the start of `text`: an abbreviation (`PDT`), `UTC` or
/// `GMT` with an offset (`GMT+1`, `UTC-07:00`), a spelled-out zone
/// (`Pacific Time`) or an IANA name (`US/Pacific`). Returns the zone and
/// the bytes it takes. Abbreviations must be written in capitals.
pub fn phrase(text: &str) -> Option<(BodyZone, usize)> {
    if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    for (words, target) in SPELLED {
        let head = text
            .get(..words.len())
            .filter(|h| h.eq_ignore_ascii_case(words));
        if let Some(head) = head
            && boundary(&text[words.len()..])
        {
            return Some((zone_named(target, head.to_string())?, words.len()));
        }
    }
    let word_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_'))
        .count();
    let word = &text[..word_len];
    if word.contains('/') {
        let zone = TimeZone::get(word.trim_end_matches('/')).ok()?;
        return Some((
            BodyZone::Named {
                zone,
                name: word.to_string(),
            },
            word_len,
        ));
    }
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    if matches!(word, "UTC" | "GMT" | "UT")
        && let Some((offset, used)) = signed_offset(&text[word_len..])
    {
        let len = word_len + used;
        let name = text[..len].to_string();
        return Some((BodyZone::Fixed { offset, name }, len));
    }
    abbreviation(word).map(|zone| (zone, word_len))
}

/// An abbreviation written in capitals (`PDT`, `IST`, `PT`).
pub fn abbreviation(word: &str) -> Option<BodyZone> {
    if let Some((_, seconds)) = FIXED.iter().find(|(a, _)| *a == word) {
        let offset = Offset::from_seconds(*seconds).ok()?;
        return Some(BodyZone::Fixed {
            offset,
            name: word.to_string(),
        });
    }
    if let Some((_, candidates)) = AMBIGUOUS.iter().find(|(a, _)| *a == word) {
        return Some(BodyZone::Ambiguous {
            name: word.to_string(),
            candidates,
        });
    }
    let (_, iana) = REGIONAL.iter().find(|(a, _)| *a == word)?;
    zone_named(iana, word.to_string())
}

fn zone_named(target: &str, name: String) -> Option<BodyZone> {
    if !target.contains('/') {
        let mut zone = abbreviation(target)?;
        match &mut zone {
            BodyZone::Fixed { name: n, .. } | BodyZone::Ambiguous { name: n, .. } => *n = name,
            BodyZone::Named { .. } => {}
        }
        return Some(zone);
    }
    Some(BodyZone::Named {
        zone: TimeZone::get(target).ok()?,
        name,
    })
}

fn boundary(rest: &str) -> bool {
    !rest.starts_with(|c: char| c.is_alphanumeric())
}

/// `+1`, `+01:00`, `-7`, ` +0530`, `−07:00` after `UTC`/`GMT`.
fn signed_offset(text: &str) -> Option<(Offset, usize)> {
    let trimmed = text.trim_start_matches(' ');
    let lead = text.len() - trimmed.len();
    let (sign, body) = if let Some(b) = trimmed.strip_prefix('+') {
        (1, b)
    } else if let Some(b) = trimmed.strip_prefix('-') {
        (-1, b)
    } else if let Some(b) = trimmed.strip_prefix('−') {
        (-1, b)
    } else {
        return None;
    };
    let sign_len = trimmed.len() - body.len();
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let (hours, minutes, used) = match digits {
        1 | 2 => {
            let hours: i32 = body[..digits].parse().ok()?;
            let rest = &body[digits..];
            match rest.strip_prefix(':') {
                Some(m) if m.len() >= 2 && m.as_bytes()[..2].iter().all(u8::is_ascii_digit) => {
                    (hours, m[..2].parse().ok()?, digits + 3)
                }
                _ => (hours, 0, digits),
            }
        }
        4 => (body[..2].parse().ok()?, body[2..4].parse().ok()?, 4),
        _ => return None,
    };
    if hours > 14 || minutes > 59 || !boundary(&body[used..]) {
        return None;
    }
    let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()?;
    Some((offset, lead + sign_len + used))
}

/// Words that may stand between "all times" and the zone.
const FILLERS: &[&str] = &[
    "are",
    "is",
    "in",
    "shown",
    "given",
    "listed",
    "displayed",
    "expressed",
    "reported",
    "written",
    "approximated",
    "approximate",
    "approximately",
    "roughly",
    "to",
    "as",
    "use",
    "using",
    "the",
    "here",
    "below",
    "above",
    "zone",
    "timezone",
];

/// Finds a statement of the zone of a timeline in `text`: `All times in
/// UTC.`, `(all times PST)`, `all GMT`, `Times are in CET`, `Time zone:
/// UTC`. Returns the zone and its byte range in `text`.
pub fn statement(text: &str) -> Option<(BodyZone, std::ops::Range<usize>)> {
    // The spellings people use, matched exactly: a case-blind search
    // cannot skip ahead with a fast prefilter, and this runs on the prose
    // of every postmortem.
    const LEADS_WRITTEN: &[&str] = &[
        "all times",
        "All times",
        "All Times",
        "ALL TIMES",
        "times are",
        "Times are",
        "time zone:",
        "Time zone:",
        "Time Zone:",
        "timezone:",
        "Timezone:",
        "all ",
        "All ",
        "ALL ",
    ];
    static LEADS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let leads = LEADS
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(LEADS_WRITTEN)
                .ok()
        })
        .as_ref()?;
    let bytes = text.as_bytes();
    leads
        .find_iter(text)
        .filter(|m| m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric())
        .find_map(|m| zone_after(text, m.end()))
}

/// The zone after filler words at `at`, if any.
fn zone_after(text: &str, mut at: usize) -> Option<(BodyZone, std::ops::Range<usize>)> {
    for _ in 0..5 {
        let rest = &text[at..];
        let trimmed = rest.trim_start_matches([' ', '*', '_', ':']);
        at += rest.len() - trimmed.len();
        if let Some((zone, len)) = phrase(trimmed) {
            return Some((zone, at..at + len));
        }
        let word_len = trimmed
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let word = trimmed[..word_len].to_ascii_lowercase();
        if word_len == 0 || !FILLERS.contains(&word.as_str()) {
            return None;
        }
        at += word_len;
    }
    None
}

/// The zone of a parenthetical at the end of a heading or column name:
/// `Timeline (UTC)`, `Time (PDT)`, `Timeline (all times in Pacific Time)`.
pub fn parenthetical(text: &str) -> Option<BodyZone> {
    let open = text.rfind('(')?;
    let inner = &text[open + 1..];
    let inner = inner[..inner.find(')').unwrap_or(inner.len())].trim();
    if let Some((zone, len)) = phrase(inner)
        && inner[len..].trim().is_empty()
    {
        return Some(zone);
    }
    statement(inner).map(|(zone, _)| zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> Option<(String, i32)> {
        match phrase(text)?.0 {
            BodyZone::Fixed { offset, name } => Some((name, offset.seconds())),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn phrases() {
        assert_eq!(fixed("PDT - x"), Some(("PDT".into(), -25200)));
        assert_eq!(fixed("UTC:"), Some(("UTC".into(), 0)));
        assert_eq!(fixed("GMT+1 x"), Some(("GMT+1".into(), 3600)));
        assert_eq!(fixed("UTC-07:00"), Some(("UTC-07:00".into(), -25200)));
        assert_eq!(fixed("UTC +0530"), Some(("UTC +0530".into(), 19800)));
        assert_eq!(fixed("CAT -"), Some(("CAT".into(), 7200)));
        assert_eq!(
            fixed("Eastern Standard Time"),
            Some(("Eastern Standard Time".into(), -18000))
        );
        assert!(matches!(
            phrase("Pacific Time)"),
            Some((BodyZone::Named { .. }, 12))
        ));
        assert!(matches!(
            phrase("US/Pacific,"),
            Some((BodyZone::Named { .. }, 10))
        ));
        assert!(matches!(
            phrase("IST"),
            Some((BodyZone::Ambiguous { .. }, 3))
        ));
        for not in ["pdt", "Deploy", "USA", "Europe/Nowhere", "ISTANBUL", ""] {
            assert!(phrase(not).is_none(), "{not}");
        }
    }

    #[test]
    fn statements() {
        for (text, zone) in [
            ("All times in UTC.", "UTC"),
            ("*(All times US/Pacific, 24-hour clock.)*", "US/Pacific"),
            ("2015-10-21 (all times UTC)", "UTC"),
            ("All times are approximated to UTC.", "UTC"),
            ("Timeline (all GMT)", "GMT"),
            ("Note: times are in CET", "CET"),
            ("all times in Pacific Time", "Pacific Time"),
            ("Time zone: PDT", "PDT"),
        ] {
            let (found, range) = statement(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(found.name(), zone, "{text}");
            assert_eq!(&text[range], zone, "{text}");
        }
        for text in [
            "All times are approximate.",
            "It affected all users in the EU",
            "overall times UTC",
            "from 16:58 to 18:46 UTC",
        ] {
            assert!(statement(text).is_none(), "{text}");
        }
        assert_eq!(
            parenthetical("Timeline (CEST)")
                .map(|z| z.name().to_string())
                .as_deref(),
            Some("CEST")
        );
        assert_eq!(
            parenthetical("Time (UTC)")
                .map(|z| z.name().to_string())
                .as_deref(),
            Some("UTC")
        );
        assert!(parenthetical("Timeline (approximate)").is_none());
        assert_eq!(
            parenthetical("Timeline (CET):")
                .map(|z| z.name().to_string())
                .as_deref(),
            Some("CET")
        );
    }

    #[test]
    fn ambiguous_zones_follow_the_front_matter() {
        let (ist, _) = phrase("IST").unwrap();
        let at: Timestamp = "2024-05-01T10:00:00Z".parse().unwrap();
        let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
        assert_eq!(ist.resolve(&kolkata, at), Some(kolkata));
        let dublin = TimeZone::get("Europe/Dublin").unwrap();
        assert!(
            ist.resolve(&dublin, at).is_some(),
            "Irish summer time is IST"
        );
        assert_eq!(ist.resolve(&TimeZone::UTC, at), None);
        assert!(ist.candidates().contains("Asia/Kolkata (+05:30)"));
    }
}
