//! The Timeline section as timed events.
//!
//! Each list item that starts with a time is an event. A time without a
//! date takes the date of the event before it (the incident's start date
//! for the first); an item that is only a date (`- Oct 30`) sets the date
//! for what follows. A dateless time that is earlier than the previous
//! event by a little is taken to have crossed midnight; one that is far
//! earlier (2:10 p.m. → 2:30 a.m.) is left in place for `timeline-order`
//! to report.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::markdown::Item;
use super::time::{self, DatePart, TimeError, ZonePart};

/// One timed event of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    /// When it happened.
    pub at: Timestamp,
    /// What happened (the item text after the time).
    pub text: String,
    /// Byte offset of the time in the file.
    pub offset: usize,
    /// Byte length of the time as written.
    pub len: usize,
}

/// The events of a timeline, and the times that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Events in the order written.
    pub events: Vec<TimelineEvent>,
    /// Unreadable times, with their file offsets.
    pub errors: Vec<(usize, TimeError)>,
}

/// The longest backwards jump still read as crossing midnight.
const MIDNIGHT_WINDOW: SignedDuration = SignedDuration::from_hours(6);

/// Reads events from `items` (list items of the Timeline section, in
/// document order). `start` is the incident start, `zone` its zone.
pub fn parse(items: &[&Item], start: Timestamp, zone: &TimeZone) -> Timeline {
    let start_local = zone.to_datetime(start);
    let mut date = start_local.date();
    // True when a date item set `date` after the last event: the next
    // dateless time then belongs to that day, never to the day after.
    let mut date_set = false;
    let mut prev: Option<(Timestamp, DateTime)> = None;
    let mut out = Timeline::default();
    for item in items {
        // A bold or italic time (`**09:30**`) keeps its markers in raw text.
        let text = item.text.trim_start_matches(['*', '_']);
        let lead = item.text.len() - text.len();
        let stamp = match time::scan_stamp(text) {
            None => continue,
            Some(Err(e)) => {
                out.errors.push((item.offset + lead, e));
                continue;
            }
            Some(Ok(stamp)) => stamp,
        };
        let written_date = match stamp.date {
            DatePart::None => None,
            DatePart::Full(d) => Some(d),
            DatePart::MonthDay { month, day } => Some(infer_year(month, day, start_local.date())),
        };
        let Some(clock) = stamp.time else {
            if let Some(d) = written_date {
                date = d;
                date_set = true;
            }
            continue;
        };
        let mut local = written_date.unwrap_or(date).to_datetime(clock);
        if let (None, false, Some((_, prev_local))) = (written_date, date_set, prev)
            && local < prev_local
            && let Ok(next_day) = local.checked_add(1.day())
            && next_day > prev_local
            && next_day.duration_since(prev_local) <= MIDNIGHT_WINDOW
        {
            local = next_day;
        }
        date_set = false;
        let not_before = prev.map(|(at, _)| at);
        let at = match &stamp.zone {
            ZonePart::Offset(o) => o.to_timestamp(local).unwrap_or(start),
            ZonePart::Named(tz) => time::resolve_local(local, tz, not_before),
            ZonePart::None => time::resolve_local(local, zone, not_before),
        };
        date = local.date();
        prev = Some((at, local));
        out.events.push(TimelineEvent {
            at,
            text: describe(&text[stamp.len..]),
            offset: item.offset + lead,
            len: stamp.len,
        });
    }
    out
}

/// The year for `Oct 29` in an incident that started on `start`: the
/// start's year, or the next one when that lands well before the start
/// (an incident running over New Year).
fn infer_year(month: i8, day: i8, start: Date) -> Date {
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
    rest.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '|' | ',' | '.' | '*')
    })
    .trim()
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(lines: &[&str]) -> Vec<Item> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                text: t.to_string(),
                offset: i * 100,
                depth: 0,
                task: None,
            })
            .collect()
    }

    fn run(lines: &[&str], start: &str, zone: &str) -> Timeline {
        let items = items(lines);
        let refs: Vec<&Item> = items.iter().collect();
        parse(&refs, start.parse().unwrap(), &TimeZone::get(zone).unwrap())
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
