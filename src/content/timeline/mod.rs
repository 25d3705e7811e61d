//! The Timeline section as timed events.
//!
//! Each entry ([`entries`]: a list item, a plain line, a sub-heading or a
//! table row) that starts with a time is an event. A time without a date
//! takes the date of the event before it (the incident's start date for
//! the first); an entry that is only a date (`- Oct 30`, a date row of a
//! table) sets the date for what follows. A dateless time that is earlier
//! than the previous event by a little is taken to have crossed midnight;
//! one that is far earlier (2:10 p.m. → 2:30 a.m.) is left in place for
//! `timeline-order` to report.
//!
//! Times are read in the zone written with them (`14:54 UTC`, `3:45 PM
//! CAT`), else the zone of their column (`Time (UTC)`), else the zone the
//! text states for the timeline (`All times in PDT.`), else the incident's.
//! Decorations are ignored (`[14:43]`, `**17:25 UTC** -`, `~15:00`), as is
//! the end of a range (`02:00-04:30`); placeholders (`14:??`, `HH:MM`) are
//! skipped with a note.

pub mod entries;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use crate::model::section::{self, Section};
use crate::time::zone::{self, BodyZone};
use crate::time::{self, DatePart, Stamp, TimeError, ZonePart};
pub use entries::{Entry, Parts, gather};

pub use crate::model::timeline::TimelineEvent;

/// A finding about one entry that is not an error of its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Byte offset in the file.
    pub offset: usize,
    /// Byte length.
    pub len: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// The events of a timeline, and the times that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Events in the order written.
    pub events: Vec<TimelineEvent>,
    /// Unreadable times, with their file offsets.
    pub errors: Vec<(usize, TimeError)>,
    /// Zones that could not be resolved (warnings).
    pub zone_warnings: Vec<Note>,
    /// Placeholders skipped (notes).
    pub placeholders: Vec<Note>,
}

/// What times are read against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The incident start.
    pub start: Timestamp,
    /// The incident's zone.
    pub zone: &'a TimeZone,
    /// The zone the text states for the whole timeline, resolved.
    pub stated: Option<&'a TimeZone>,
}

/// The incident's times as front matter gives them.
#[derive(Debug, Clone, Copy)]
pub struct Incident<'a> {
    /// Start.
    pub start: Timestamp,
    /// The zone times are read and shown in.
    pub zone: &'a TimeZone,
    /// The `timezone` field as written, if it is.
    pub written: Option<&'a str>,
}

/// Reads the timeline sections of a body: finds the entries and the zone
/// the text states for them, then the events.
pub fn read(parts: &Parts<'_>, body_offset: usize, incident: &Incident<'_>) -> Timeline {
    let ranges = section::all_ranges(parts.headings, Section::Timeline, parts.source.len());
    if ranges.is_empty() {
        return Timeline::default();
    }
    let entries = gather(parts, &ranges);
    let first = entries.first().map_or(ranges[0].end, |e| e.offset);
    let mut notes = Vec::new();
    let stated = stated_zone(parts, &ranges, body_offset, first).and_then(|(said, at)| {
        let Some(tz) = said.resolve(incident.zone, incident.start) else {
            notes.push(ambiguous(&said, at.start, at.len()));
            return None;
        };
        if let Some(written) = incident.written {
            let (says, has) = (
                tz.to_offset(incident.start).seconds(),
                incident.zone.to_offset(incident.start).seconds(),
            );
            if says != has {
                notes.push(Note {
                    offset: at.start,
                    len: at.len(),
                    message: format!(
                        "the text says the times are in {} ({}), but `timezone` is {written} ({} when the incident started); the timeline is read in {}. Make them agree",
                        said.name(),
                        zone::offset_text(says),
                        zone::offset_text(has),
                        said.name()
                    ),
                });
            }
        }
        Some(tz)
    });
    let ctx = Context {
        start: incident.start,
        zone: incident.zone,
        stated: stated.as_ref(),
    };
    let mut timeline = parse(&entries, &ctx);
    notes.append(&mut timeline.zone_warnings);
    timeline.zone_warnings = notes;
    timeline
}

/// The zone the text states for its timeline, and where: a statement
/// before the first entry (`All times in UTC.`), a timeline heading's
/// parenthetical (`Timeline (CEST)`), or a statement inside a timeline
/// section.
fn stated_zone(
    parts: &Parts<'_>,
    ranges: &[std::ops::Range<usize>],
    body_offset: usize,
    first: usize,
) -> Option<(BodyZone, std::ops::Range<usize>)> {
    let source = parts.source;
    let shift =
        |(zone, r): (BodyZone, std::ops::Range<usize>), by: usize| (zone, r.start + by..r.end + by);
    let before = source
        .get(body_offset..first.max(body_offset))
        .unwrap_or("");
    if let Some(found) = zone::statement(before) {
        return Some(shift(found, body_offset));
    }
    for h in parts
        .headings
        .iter()
        .filter(|h| ranges.iter().any(|r| r.start == h.offset))
    {
        if let Some(zone) = zone::parenthetical(&h.text) {
            return Some((zone, h.offset..h.offset + h.len));
        }
    }
    ranges.iter().find_map(|r| {
        let text = source.get(r.clone())?;
        zone::statement(text).map(|found| shift(found, r.start))
    })
}

/// The longest backwards jump still read as crossing midnight.
const MIDNIGHT_WINDOW: SignedDuration = SignedDuration::from_hours(6);

/// Reads events from `entries` (in document order).
pub fn parse(entries: &[Entry<'_>], ctx: &Context<'_>) -> Timeline {
    let mut reader = Reader::new(ctx);
    for entry in entries {
        reader.entry(entry);
    }
    reader.out
}

/// Reads entries one after another: the day a dateless time belongs to
/// follows the entries before it.
struct Reader<'c, 'z> {
    ctx: &'c Context<'z>,
    start_date: Date,
    date: Date,
    /// True when a date entry set `date` after the last event: the next
    /// dateless time then belongs to that day, never to the day after.
    date_set: bool,
    prev: Option<(Timestamp, DateTime)>,
    out: Timeline,
}

impl<'c, 'z> Reader<'c, 'z> {
    fn new(ctx: &'c Context<'z>) -> Self {
        let start_date = ctx.zone.to_datetime(ctx.start).date();
        Reader {
            ctx,
            start_date,
            date: start_date,
            date_set: false,
            prev: None,
            out: Timeline::default(),
        }
    }

    /// Reads one entry: an event, a date for the entries after it, a
    /// placeholder, an error, or nothing.
    fn entry(&mut self, entry: &Entry<'_>) {
        let (lead, text) = undecorate(entry.text);
        let offset = entry.offset + lead;
        if let Some(len) = placeholder(text) {
            self.out.placeholders.push(Note {
                offset,
                len,
                message: format!(
                    "`{}` is a placeholder, so this entry is left out of the timeline; write the time, or remove the entry",
                    &text[..len]
                ),
            });
            return;
        }
        let (label, text, offset, scanned) = match time::scan_event_stamp(text) {
            Some(scanned) => (None, text, offset, scanned),
            None => match labelled(text) {
                Some((label, at, stamp)) => (Some(label), &text[at..], offset + at, Ok(stamp)),
                None => return,
            },
        };
        let stamp = match scanned {
            Err(e) => return self.out.errors.push((offset, e)),
            Ok(stamp) => stamp,
        };
        let written_date = match self.written_date(&stamp.date, text) {
            Ok(date) => date,
            Err(e) => return self.out.errors.push((offset, e)),
        };
        let Some(clock) = stamp.time else {
            if let Some(d) = written_date {
                self.date = d;
                self.date_set = true;
            }
            return;
        };
        let local = self.local_time(written_date, clock);
        let at = self.instant(local, &stamp, entry, offset);
        let rest = closing(&text[stamp.len..], entry.text.len() - text.len());
        let mut what = match (&entry.event, label) {
            (Some(event), _) => event.clone(),
            (None, Some(label)) => label.to_string(),
            (None, None) => describe(skip_range_end(rest)),
        };
        if what.is_empty()
            && let Some(detail) = entry.detail
        {
            what = detail.to_string();
        }
        self.out.events.push(TimelineEvent {
            at,
            text: what,
            offset,
            len: stamp.len,
        });
    }

    /// The date an entry writes, if any; a date that reads both ways is
    /// taken nearer the day the entries before it are on, or an error.
    fn written_date(&self, part: &DatePart, text: &str) -> Result<Option<Date>, TimeError> {
        Ok(match *part {
            DatePart::None => None,
            DatePart::Full(d) => Some(d),
            DatePart::MonthDay { month, day } => Some(infer_year(month, day, self.start_date)),
            DatePart::Either {
                day_first,
                month_first,
                len,
            } => match nearer(day_first, month_first, self.date) {
                Some(d) => Some(d),
                None => return Err(time::ambiguous_date(&text[..len], 0)),
            },
        })
    }

    /// The local date and time of an event: a dateless time shortly
    /// before the previous event crosses midnight.
    fn local_time(&mut self, written_date: Option<Date>, clock: jiff::civil::Time) -> DateTime {
        let mut local = written_date.unwrap_or(self.date).to_datetime(clock);
        if let (None, false, Some((_, prev_local))) = (written_date, self.date_set, self.prev)
            && local < prev_local
            && let Ok(next_day) = local.checked_add(1.day())
            && next_day > prev_local
            && next_day.duration_since(prev_local) <= MIDNIGHT_WINDOW
        {
            local = next_day;
        }
        self.date_set = false;
        local
    }

    /// The instant of a local time, in the zone the event is read in;
    /// remembered as the previous event.
    fn instant(
        &mut self,
        local: DateTime,
        stamp: &Stamp,
        entry: &Entry<'_>,
        offset: usize,
    ) -> Timestamp {
        let not_before = self.prev.map(|(at, _)| at);
        let ctx = self.ctx;
        let zone = event_zone(stamp, entry, ctx, offset, &mut self.out);
        let at = match zone {
            EventZone::Fixed(offset) => offset.to_timestamp(local).unwrap_or(ctx.start),
            EventZone::Rules(zone) => time::resolve_local(local, &zone, not_before),
        };
        self.date = local.date();
        self.prev = Some((at, local));
        at
    }
}

/// The zone an event's local time is read in.
enum EventZone {
    /// A fixed offset.
    Fixed(jiff::tz::Offset),
    /// A zone with rules (daylight saving time).
    Rules(TimeZone),
}

/// The zone of one event: written with it, else its column's, else the
/// timeline's, else the incident's.
fn event_zone(
    stamp: &Stamp,
    entry: &Entry<'_>,
    ctx: &Context<'_>,
    offset: usize,
    out: &mut Timeline,
) -> EventZone {
    let written = match &stamp.zone {
        ZonePart::Offset(o) => return EventZone::Fixed(*o),
        ZonePart::Named(tz) => return EventZone::Rules(tz.clone()),
        ZonePart::Body(zone) => Some(zone),
        ZonePart::None => entry.zone.as_ref(),
    };
    let Some(zone) = written else {
        return EventZone::Rules(ctx.stated.unwrap_or(ctx.zone).clone());
    };
    match zone.resolve(ctx.zone, ctx.start) {
        Some(tz) => EventZone::Rules(tz),
        None => {
            out.zone_warnings.push(ambiguous(zone, offset, stamp.len));
            EventZone::Rules(ctx.zone.clone())
        }
    }
}

/// The warning for an abbreviation the incident's zone does not resolve.
pub fn ambiguous(zone: &BodyZone, offset: usize, len: usize) -> Note {
    Note {
        offset,
        len,
        message: format!(
            "`{}` has several meanings ({}) and none matches the incident's `timezone`; the time is read in the incident's zone. Set `timezone` to the zone meant, or write an offset such as +05:30",
            zone.name(),
            zone.candidates()
        ),
    }
}

/// Skips what decorates a time at the start of an entry: brackets, bold
/// and italic markers, `~`, and words like `At` or `Around`. Returns the
/// bytes skipped and the rest.
fn undecorate(text: &str) -> (usize, &str) {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '[' | '(' | '*' | '_' | '~' | '`' | '≈' | '|')
        });
        let word = [
            "at ",
            "around ",
            "approx. ",
            "approximately ",
            "about ",
            "ca. ",
        ]
        .iter()
        .find(|w| {
            trimmed
                .get(..w.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(w))
        });
        match word {
            Some(w) if trimmed[w.len()..].starts_with(|c: char| c.is_ascii_digit()) => {
                rest = &trimmed[w.len()..];
            }
            _ => {
                rest = trimmed;
                break;
            }
        }
    }
    (text.len() - rest.len(), rest)
}

/// A short label before a colon and a time, as in `Detection time:
/// 10:30 UTC` or `Outage began: 2024-01-25 10:30`: the label, and where
/// the time starts.
fn labelled(text: &str) -> Option<(&str, usize, Stamp)> {
    if !text.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let colon = text.get(..40).unwrap_or(text).find(':')?;
    let label = text[..colon].trim_end_matches(['*', '_', ' ']);
    if label.split_whitespace().count() > 5 || label.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let after = &text[colon + 1..];
    let at = colon + 1 + (after.len() - after.trim_start_matches([' ', '*', '_']).len());
    match time::scan_event_stamp(&text[at..]) {
        Some(Ok(stamp)) if stamp.time.is_some() => Some((label, at, stamp)),
        _ => None,
    }
}

/// Skips the brackets that closed a decorated time (`[14:43]`).
fn closing(rest: &str, decorated: usize) -> &str {
    if decorated == 0 {
        return rest;
    }
    rest.trim_start_matches([']', ')', '*', '_', '`'])
}

/// Skips the end of a time range: `-04:30`, ` to 10:15`.
fn skip_range_end(rest: &str) -> &str {
    let trimmed = rest.trim_start();
    let after = ["-", "–", "—", "to "]
        .iter()
        .find_map(|sep| trimmed.strip_prefix(sep));
    if let Some(after) = after
        && after.trim_start().starts_with(|c: char| c.is_ascii_digit())
        && let Some(Ok(stamp)) = time::scan_event_stamp(after)
        && stamp.time.is_some()
        && stamp.date == DatePart::None
    {
        return &after[stamp.len..];
    }
    rest
}

/// The length of a placeholder time or date at the start of `text`
/// (`HH:MM`, `14:??`, `xx:xx`, `2022-05-??`, `YYYY-MM-DD`), if any.
fn placeholder(text: &str) -> Option<usize> {
    let filler = |c: char| {
        matches!(
            c,
            'H' | 'h' | 'M' | 'm' | 'X' | 'x' | '?' | '_' | 'Y' | 'y' | 'D' | 'd' | '#'
        )
    };
    // Most entries start with a real time: no filler in their first bytes.
    if !text.get(..12).unwrap_or(text).contains(filler) {
        return None;
    }
    let len = text
        .find(|c: char| c.is_whitespace() || matches!(c, ']' | ')' | ',' | '|'))
        .unwrap_or(text.len());
    let token = text[..len].trim_end_matches([':', '-', '.']);
    let shaped = |parts: &[&str], sizes: &[&[usize]]| {
        parts.len() == sizes.len()
            && parts.iter().zip(sizes).all(|(p, ok)| {
                ok.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit() || filler(c))
            })
    };
    let time = shaped(&token.split(':').collect::<Vec<_>>(), &[&[1, 2], &[2]]);
    let date = shaped(&token.split('-').collect::<Vec<_>>(), &[&[4], &[2], &[2]]);
    ((time || date) && token.chars().any(filler)).then_some(token.len())
}

/// Of two readings of a date, the one near `around` (the date of the
/// entry before, or the incident's start): `None` when neither is
/// clearly nearer.
pub fn nearer(a: Date, b: Date, around: Date) -> Option<Date> {
    let days = |d: Date| (d - around).get_days().unsigned_abs();
    let (near, far) = if days(a) <= days(b) { (a, b) } else { (b, a) };
    (days(near) <= 62 && days(near) * 2 < days(far)).then_some(near)
}

/// The year for `Oct 29` in an incident that started on `start`: the
/// start's year, or the next one when that lands well before the start
/// (an incident running over New Year).
pub fn infer_year(month: i8, day: i8, start: Date) -> Date {
    let in_year = |year: i16| Date::new(year, month, day).ok();
    match in_year(start.year()) {
        Some(d) if d >= start.saturating_sub(180.days()) => d,
        _ => in_year(start.year() + 1)
            .or_else(|| in_year(start.year()))
            .unwrap_or(start),
    }
}

/// The event text after its time: separators and spaces dropped.
fn describe(rest: &str) -> String {
    let rest = rest.trim_start();
    let rest = ["->", "=>", "→"]
        .iter()
        .find_map(|arrow| rest.strip_prefix(arrow))
        .unwrap_or(rest);
    rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '|' | ',' | '.' | '*' | '_')
    })
    .trim_end_matches(|c: char| c.is_whitespace() || c == '|' || c == '\\')
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries<'a>(lines: &[&'a str]) -> Vec<Entry<'a>> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Entry {
                text: t,
                offset: i * 100,
                event: None,
                zone: None,
                detail: None,
            })
            .collect()
    }

    fn run(lines: &[&str], start: &str, zone: &str) -> Timeline {
        run_stated(lines, start, zone, None)
    }

    fn run_stated(lines: &[&str], start: &str, zone: &str, stated: Option<&str>) -> Timeline {
        let zone = TimeZone::get(zone).unwrap();
        let stated = stated.map(|s| TimeZone::get(s).unwrap());
        let ctx = Context {
            start: start.parse().unwrap(),
            zone: &zone,
            stated: stated.as_ref(),
        };
        parse(&entries(lines), &ctx)
    }

    fn times(t: &Timeline) -> Vec<String> {
        t.events.iter().map(|e| e.at.to_string()).collect()
    }

    #[test]
    fn dates_carry_forward_and_date_items_set_them() {
        let t = run(
            &[
                "Oct 29",
                "12:30 p.m : Code push",
                "1:45 p.m: Outage begins",
                "Oct 30",
                "8:00 a.m: Logs",
                "Oct 31 9:30 p.m. fixed",
            ],
            "2023-10-29T17:45:00Z",
            "America/New_York",
        );
        assert_eq!(
            times(&t),
            [
                "2023-10-29T16:30:00Z",
                "2023-10-29T17:45:00Z",
                "2023-10-30T12:00:00Z",
                "2023-11-01T01:30:00Z"
            ]
        );
        assert_eq!(t.events[0].text, "Code push");
        assert_eq!(t.events[3].text, "fixed");
    }

    #[test]
    fn a_short_step_back_crosses_midnight_a_long_one_does_not() {
        let t = run(
            &["23:40 a", "23:55 b", "00:10 c", "00:35 d"],
            "2024-03-01T23:30:00Z",
            "UTC",
        );
        assert_eq!(times(&t)[2], "2024-03-02T00:10:00Z");
        assert_eq!(times(&t)[3], "2024-03-02T00:35:00Z");
        let t = run(
            &["2:10 p.m. a", "2:30 a.m. b"],
            "2023-10-29T12:00:00Z",
            "UTC",
        );
        assert_eq!(times(&t), ["2023-10-29T14:10:00Z", "2023-10-29T02:30:00Z"]);
    }

    #[test]
    fn a_date_item_is_never_rolled_over() {
        let t = run(
            &["Oct 29", "2:30 a.m. a", "May 31", "8:00 a.m. b"],
            "2023-10-29T12:00:00Z",
            "UTC",
        );
        assert_eq!(times(&t), ["2023-10-29T02:30:00Z", "2023-05-31T08:00:00Z"]);
    }

    #[test]
    fn full_dates_and_zones_in_items() {
        let t = run(
            &["2024-04-18 09:30 - a", "**09:45** b", "10:00 UTC c"],
            "2024-04-18T07:30:00Z",
            "Africa/Johannesburg",
        );
        assert_eq!(
            times(&t),
            [
                "2024-04-18T07:30:00Z",
                "2024-04-18T07:45:00Z",
                "2024-04-18T10:00:00Z"
            ]
        );
    }

    #[test]
    fn fall_back_hour_runs_forward() {
        let t = run(
            &["01:20 a", "01:50 b", "01:10 c", "01:40 d"],
            "2023-11-05T05:00:00Z",
            "America/New_York",
        );
        assert_eq!(
            times(&t),
            [
                "2023-11-05T05:20:00Z",
                "2023-11-05T05:50:00Z",
                "2023-11-05T06:10:00Z",
                "2023-11-05T06:40:00Z"
            ]
        );
    }

    #[test]
    fn decorated_times() {
        let t = run(
            &[
                "[14:43] paged",
                "**14:50 UTC** - rolled back",
                "14:54 UTC: fixed",
                "3:45 PM CAT - all clear",
                "~16:00 -> closed",
                "At 16:10, review",
                "(16:20) x",
                "16:30-17:00 maintenance window",
                "Monday, 18:30, Nov 27, 2023 later",
                "| 2023-11-27 19:00 | row that lost its table |",
                "Detection time: November 27, 2023 - 19:10 UTC",
                "2023-11-27/19:20: slash",
                "11-27 ~19:30 tilde",
            ],
            "2023-11-27T14:00:00Z",
            "UTC",
        );
        assert_eq!(
            times(&t),
            [
                "2023-11-27T14:43:00Z",
                "2023-11-27T14:50:00Z",
                "2023-11-27T14:54:00Z",
                "2023-11-27T13:45:00Z",
                "2023-11-27T16:00:00Z",
                "2023-11-27T16:10:00Z",
                "2023-11-27T16:20:00Z",
                "2023-11-27T16:30:00Z",
                "2023-11-27T18:30:00Z",
                "2023-11-27T19:00:00Z",
                "2023-11-27T19:10:00Z",
                "2023-11-27T19:20:00Z",
                "2023-11-27T19:30:00Z"
            ]
        );
        let texts: Vec<&str> = t.events.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "paged",
                "rolled back",
                "fixed",
                "all clear",
                "closed",
                "review",
                "x",
                "maintenance window",
                "later",
                "row that lost its table",
                "Detection time",
                "slash",
                "tilde"
            ]
        );
        assert_eq!(t.events[1].offset, 102, "the time, after the bold marker");
    }

    #[test]
    fn stated_and_written_zones() {
        // The stated zone applies to times without one of their own.
        let t = run_stated(
            &[
                "09:00 a",
                "09:30 PDT b",
                "10:00 UTC c",
                "10:30 Pacific Time d",
            ],
            "2024-06-01T16:00:00Z",
            "UTC",
            Some("America/Los_Angeles"),
        );
        assert_eq!(
            times(&t),
            [
                "2024-06-01T16:00:00Z",
                "2024-06-01T16:30:00Z",
                "2024-06-01T10:00:00Z",
                "2024-06-01T17:30:00Z"
            ]
        );
        // IST fits an incident in Asia/Kolkata, not one in UTC.
        let t = run(&["10:00 IST a"], "2024-06-01T04:00:00Z", "Asia/Kolkata");
        assert_eq!(times(&t), ["2024-06-01T04:30:00Z"]);
        assert!(t.zone_warnings.is_empty());
        let t = run(&["10:00 IST a"], "2024-06-01T04:00:00Z", "UTC");
        assert_eq!(times(&t), ["2024-06-01T10:00:00Z"]);
        assert!(t.zone_warnings[0].message.contains("Asia/Kolkata (+05:30)"));
    }

    #[test]
    fn dates_that_read_both_ways_follow_the_incident() {
        let t = run(
            &["08-01-2026 10:00 a", "11-01-2026 09:00 b"],
            "2026-01-08T00:00:00Z",
            "UTC",
        );
        assert_eq!(times(&t), ["2026-01-08T10:00:00Z", "2026-01-11T09:00:00Z"]);
        let t = run(&["06-07-2026 10:00 a"], "2026-03-01T00:00:00Z", "UTC");
        assert!(t.events.is_empty());
        assert!(t.errors[0].1.message.contains("`06-07-2026` is ambiguous"));
    }

    #[test]
    fn placeholders_are_skipped_with_a_note() {
        let t = run(
            &[
                "HH:MM - tbd",
                "14:?? call",
                "2022-05-?? later",
                "xx:xx",
                "15:00 real",
            ],
            "2022-05-01T14:00:00Z",
            "UTC",
        );
        assert_eq!(times(&t), ["2022-05-01T15:00:00Z"]);
        let notes: Vec<(usize, usize)> = t.placeholders.iter().map(|n| (n.offset, n.len)).collect();
        assert_eq!(notes, [(0, 5), (100, 5), (200, 10), (300, 5)]);
        assert!(t.errors.is_empty());
    }

    #[test]
    fn table_rows_carry_their_event_text_and_zone() {
        let entries = vec![
            Entry {
                text: "2021-06-22",
                offset: 0,
                event: Some(String::new()),
                zone: None,
                detail: None,
            },
            Entry {
                text: "08:21",
                offset: 10,
                event: Some("VPC plugin replaced".into()),
                zone: crate::time::zone::phrase("PDT").map(|(z, _)| z),
                detail: None,
            },
        ];
        let ctx = Context {
            start: "2021-06-22T15:00:00Z".parse().unwrap(),
            zone: &TimeZone::UTC,
            stated: None,
        };
        let t = parse(&entries, &ctx);
        assert_eq!(times(&t), ["2021-06-22T15:21:00Z"]);
        assert_eq!(t.events[0].text, "VPC plugin replaced");
    }

    #[test]
    fn errors_and_non_events() {
        let t = run(
            &[
                "Escalated to the DB team",
                "14:00 PM restart",
                "11/3/23 9:05 AM x",
            ],
            "2024-01-01T00:00:00Z",
            "UTC",
        );
        assert!(t.events.is_empty());
        assert_eq!(t.errors.len(), 2);
        assert_eq!(t.errors[0].0, 100);
    }

    #[test]
    fn years_roll_over_new_year() {
        let t = run(
            &["Dec 31 23:00 a", "Jan 1 01:00 b"],
            "2023-12-31T22:00:00Z",
            "UTC",
        );
        assert_eq!(times(&t), ["2023-12-31T23:00:00Z", "2024-01-01T01:00:00Z"]);
    }
}
