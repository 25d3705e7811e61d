//! A zone abbreviation in front matter (`timezone: PDT`, which `check`
//! refuses) becomes the IANA zone it stands for.
//!
//! Most abbreviations name one region, and writers use them loosely for
//! its time all year (EST in July means New York's summer time), so the
//! region's zone is the one right answer: PDT and PST are
//! America/Los_Angeles, CET and CEST Europe/Berlin. IST, CST, BST and GMT
//! each name several zones; one of them is chosen only when the zones the
//! rest of the file writes ([`clues`]) fit it and no other.

mod clues;

use std::ops::Range;

use jiff::tz::TimeZone;

use crate::config::SiteConfig;
use crate::content::Findings;
use crate::content::frontmatter::{self, Block};
use crate::content::locate::{Locator, Seg};
use crate::content::value::FmValue;
use crate::model::body::Body;
use crate::text::{LineIndex, pos_in};
use crate::time;

use super::Outcome;
use super::edit::Edit;

/// The zones an abbreviation may stand for; one for those that name a
/// single region.
const ZONES: &[(&str, &[&str])] = &[
    ("EST", &["America/New_York"]),
    ("EDT", &["America/New_York"]),
    (
        "CST",
        &["America/Chicago", "Asia/Shanghai", "America/Havana"],
    ),
    ("CDT", &["America/Chicago"]),
    ("MST", &["America/Denver"]),
    ("MDT", &["America/Denver"]),
    ("PST", &["America/Los_Angeles"]),
    ("PDT", &["America/Los_Angeles"]),
    ("AKST", &["America/Anchorage"]),
    ("HST", &["Pacific/Honolulu"]),
    ("GMT", &["Europe/London", "UTC"]),
    ("BST", &["Europe/London", "Asia/Dhaka"]),
    ("IST", &["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
    ("WET", &["Europe/Lisbon"]),
    ("WEST", &["Europe/Lisbon"]),
    ("CET", &["Europe/Berlin"]),
    ("CEST", &["Europe/Berlin"]),
    ("MET", &["Europe/Berlin"]),
    ("EET", &["Europe/Athens"]),
    ("EEST", &["Europe/Athens"]),
    ("MSK", &["Europe/Moscow"]),
    ("SAST", &["Africa/Johannesburg"]),
    ("WAT", &["Africa/Lagos"]),
    ("EAT", &["Africa/Nairobi"]),
    ("CAT", &["Africa/Maputo"]),
    ("JST", &["Asia/Tokyo"]),
    ("KST", &["Asia/Seoul"]),
    ("HKT", &["Asia/Hong_Kong"]),
    ("SGT", &["Asia/Singapore"]),
    ("PKT", &["Asia/Karachi"]),
    ("AEST", &["Australia/Sydney"]),
    ("AEDT", &["Australia/Sydney"]),
    ("ACST", &["Australia/Adelaide"]),
    ("AWST", &["Australia/Perth"]),
    ("NZST", &["Pacific/Auckland"]),
    ("NZDT", &["Pacific/Auckland"]),
    ("BRT", &["America/Sao_Paulo"]),
];

/// The zones `abbreviation` (any case) may stand for.
fn meanings(abbreviation: &str) -> Option<&'static [&'static str]> {
    let upper = abbreviation.to_ascii_uppercase();
    ZONES.iter().find(|(a, _)| *a == upper).map(|(_, z)| *z)
}

/// The fix of the front matter's `timezone`, if it is an abbreviation:
/// `Some(Ok)` with the edit and what it did, `Some(Err)` with why it is
/// left as written.
pub(super) fn fix(
    text: &str,
    block: &Block<'_>,
    body: &Body,
    cfg: &SiteConfig,
) -> Option<Result<(Edit, Outcome), Outcome>> {
    let mut ignored = Findings::new("");
    let value = frontmatter::parse_block(block, &mut ignored)?;
    let (key, written) = zone_entry(&value, cfg)?;
    let written = written.trim().to_string();
    if time::parse_zone(&written).is_ok() || time::abbreviation_advice(&written).is_none() {
        return None;
    }
    let zones = meanings(&written)?;
    let range = value_range(text, block, &key, &written)?;
    let pos = pos_in(text, range.start, written.chars().count());
    let fm = frontmatter::read(value, block, cfg, &mut ignored);
    let chosen = match zones {
        [one] => Ok((*one, String::new())),
        several => clues::settle(several, &fm, text, block.body_offset, body),
    };
    Some(match chosen {
        Ok((zone, clues)) => {
            let message = if clues.is_empty() {
                format!("`{key}` is now `{zone}`, the zone `{written}` stands for")
            } else {
                format!(
                    "`{key}` is now `{zone}`, the meaning of `{written}` that fits the zones the file writes elsewhere ({clues})"
                )
            };
            Ok((Edit::new(range, zone), Outcome::fixed(pos, message)))
        }
        Err(why) => Err(Outcome::left(
            pos,
            format!(
                "`{written}` may mean {}, and {why}; set `{key}` to the zone meant",
                list(zones)
            ),
        )),
    })
}

/// `a, b or c`.
fn list(zones: &[&str]) -> String {
    match zones.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The key that sets the zone (`timezone`, or an alias of it in
/// `site.toml`; the first one written counts) and its value as text.
fn zone_entry(value: &FmValue, cfg: &SiteConfig) -> Option<(String, String)> {
    let FmValue::Map(entries) = value else {
        return None;
    };
    let sets_zone = |key: &str| {
        key == "timezone"
            || cfg
                .front_matter
                .aliases
                .get(key)
                .is_some_and(|t| t == "timezone")
    };
    let (key, value) = entries.iter().find(|(k, _)| sets_zone(k))?;
    Some((key.clone(), value.as_text()?.into_owned()))
}

/// The byte range of `written` as the value of `key` in the file.
fn value_range(text: &str, block: &Block<'_>, key: &str, written: &str) -> Option<Range<usize>> {
    let locator = Locator::new(block.text, block.first_line, block.syntax);
    let pos = locator.value(&[Seg::Key(key)])?;
    let line_start = LineIndex::new(text).line_start(pos.line)?;
    let line = &text[line_start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let from = line
        .char_indices()
        .nth(pos.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let at = from + line[from..].find(written)?;
    // Only a quote may stand between where the value starts and the zone.
    let between = line[from..at].trim_matches(['"', '\'', ' ']);
    between
        .is_empty()
        .then(|| line_start + at..line_start + at + written.len())
}

/// The zone `name` names, for comparing candidates.
fn zone_of(name: &str) -> Option<TimeZone> {
    time::parse_zone(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_abbreviation_has_valid_zones_and_is_refused_in_front_matter() {
        for (abbreviation, zones) in ZONES {
            assert!(
                time::abbreviation_advice(abbreviation).is_some(),
                "{abbreviation}"
            );
            for zone in *zones {
                assert!(zone_of(zone).is_some(), "{zone}");
            }
        }
        assert_eq!(meanings("pdt"), Some(&["America/Los_Angeles"][..]));
        assert_eq!(meanings("Europe/Berlin"), None);
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b", "c"]), "a, b or c");
    }
}
