//! What the rest of a file says about its zone, to choose among the
//! meanings of an abbreviation such as IST: the offsets of front-matter
//! times, the zone statements of the text (`All times in India Standard
//! Time`, `Timeline (UTC+5:30)`) and the zones written with timeline
//! times.
//!
//! UTC says nothing here: teams keep timelines in UTC whatever their own
//! zone, so a UTC time would favour whichever meaning happens to be at
//! +00:00 on that date. An abbreviation written in the text counts as the
//! region it names (CDT is America/Chicago), not as its literal offset,
//! since writers use them loosely all year.

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::content::frontmatter::FrontMatter;
use crate::content::timeline::{self, Parts};
use crate::model::body::Body;
use crate::model::section::{self, Section};
use crate::time::zone::{self, BodyZone};
use crate::time::{self, DatePart, Stamp, ZonePart};

use super::{meanings, zone_of};

/// A zone the file writes somewhere, as written.
#[derive(Debug, Clone)]
struct Clue {
    kind: Kind,
    name: String,
}

#[derive(Debug, Clone)]
enum Kind {
    /// An offset other than UTC's, at a known instant or at the start.
    Offset { at: Option<Timestamp>, seconds: i32 },
    /// A zone with its rules.
    Zone(TimeZone),
}

impl Clue {
    /// Whether zone `tz` agrees with the clue, `start` being the
    /// incident's start read in `tz`.
    fn fits(&self, tz: &TimeZone, start: Option<Timestamp>) -> bool {
        match &self.kind {
            Kind::Offset { at, seconds } => at
                .or(start)
                .is_some_and(|t| tz.to_offset(t).seconds() == *seconds),
            Kind::Zone(zone) => start.is_some_and(|t| same_rules(tz, zone, t)),
        }
    }
}

/// Whether two zones give the same offsets at `at` and half a year later
/// (so in both halves of a daylight-saving year).
fn same_rules(a: &TimeZone, b: &TimeZone, at: Timestamp) -> bool {
    let later = at.checked_add(SignedDuration::from_hours(24 * 182)).ok();
    [Some(at), later]
        .into_iter()
        .flatten()
        .all(|t| a.to_offset(t) == b.to_offset(t))
}

/// The one of `zones` that the rest of the file fits, with the zones
/// written there, or why there is none.
pub(super) fn settle<'z>(
    zones: &[&'z str],
    fm: &FrontMatter,
    text: &str,
    body_offset: usize,
    body: &Body,
) -> Result<(&'z str, String), String> {
    let Some(start) = &fm.start else {
        return Err("the file has no `start` to weigh them against".into());
    };
    let found = gather(fm, text, body_offset, body);
    if found.is_empty() {
        return Err("nothing else in the file settles which".into());
    }
    let fitting: Vec<&str> = zones
        .iter()
        .copied()
        .filter(|name| {
            zone_of(name).is_some_and(|tz| {
                let at = start_in(&start.value, &tz);
                found.iter().all(|c| c.fits(&tz, at))
            })
        })
        .collect();
    let mut names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
    names.dedup();
    let names = names.join(", ");
    match fitting[..] {
        [one] => Ok((one, names)),
        [] => Err(format!(
            "none of these fits the zones the file writes elsewhere ({names})"
        )),
        _ => Err(format!(
            "the zones the file writes elsewhere ({names}) fit more than one"
        )),
    }
}

/// The instant `stamp` stands for when read in `tz` (midnight for a date
/// alone).
fn start_in(stamp: &Stamp, tz: &TimeZone) -> Option<Timestamp> {
    let DatePart::Full(date) = stamp.date else {
        return None;
    };
    let local = date.to_datetime(stamp.time.unwrap_or(Time::midnight()));
    match &stamp.zone {
        ZonePart::Offset(o) => o.to_timestamp(local).ok(),
        ZonePart::Named(zone) => Some(time::resolve_local(local, zone, None)),
        ZonePart::None | ZonePart::Body(_) => Some(time::resolve_local(local, tz, None)),
    }
}

/// Every zone the file writes outside the `timezone` field.
fn gather(fm: &FrontMatter, text: &str, body_offset: usize, body: &Body) -> Vec<Clue> {
    let mut out = Vec::new();
    for field in [&fm.start, &fm.end, &fm.detected, &fm.mitigated]
        .into_iter()
        .flatten()
    {
        let at = time::stamp_instant(&field.value, None);
        out.extend(written_with(&field.value.zone, at));
    }
    let prose = text.get(body_offset..).unwrap_or("");
    let mut from = 0;
    while let Some((said, range)) = prose.get(from..).and_then(zone::statement) {
        out.extend(from_text(&said));
        from += range.end.max(1);
    }
    for h in &body.headings {
        out.extend(zone::parenthetical(&h.text).as_ref().and_then(from_text));
    }
    out.extend(in_timeline(text, body));
    out
}

/// The zones written with the times of the timeline, or stated by its
/// columns.
fn in_timeline(text: &str, body: &Body) -> Vec<Clue> {
    let ranges = section::all_ranges(&body.headings, Section::Timeline, text.len());
    let parts = Parts::of(text, body);
    let mut out = Vec::new();
    for entry in timeline::gather(&parts, &ranges) {
        out.extend(entry.zone.as_ref().and_then(from_text));
        // Decorations around a time (`**17:25 UTC** -`, `[14:43]`).
        let bare = entry
            .text
            .trim_start_matches(['*', '_', '[', '(', '~', '`', ' ']);
        if let Some(Ok(stamp)) = time::scan_event_stamp(bare) {
            out.extend(written_with(&stamp.zone, None));
        }
    }
    out
}

/// The clue of a zone written with a time.
fn written_with(zone: &ZonePart, at: Option<Timestamp>) -> Option<Clue> {
    match zone {
        ZonePart::Offset(o) if o.seconds() != 0 => Some(Clue {
            kind: Kind::Offset {
                at,
                seconds: o.seconds(),
            },
            name: o.to_string(),
        }),
        ZonePart::Named(tz) => Some(Clue {
            kind: Kind::Zone(tz.clone()),
            name: tz.iana_name().unwrap_or("a named zone").to_string(),
        }),
        ZonePart::Body(said) => from_text(said),
        ZonePart::Offset(_) | ZonePart::None => None,
    }
}

/// The clue of a zone written in the text.
fn from_text(said: &BodyZone) -> Option<Clue> {
    let name = said.name().to_string();
    let kind = match said {
        BodyZone::Fixed { offset, name } => match meanings(name) {
            Some([region]) => Kind::Zone(zone_of(region)?),
            _ if offset.seconds() != 0 => Kind::Offset {
                at: None,
                seconds: offset.seconds(),
            },
            _ => return None,
        },
        BodyZone::Named { zone, .. } => Kind::Zone(zone.clone()),
        BodyZone::Ambiguous { .. } => return None,
    };
    Some(Clue { kind, name })
}
