//! Reading the times people write: RFC 3339 instants and local times in
//! front matter, and the looser forms of timeline bullets (`9:30 AM`,
//! `2:10 p.m.`, `Oct 29 12:30 p.m.`, `2024-04-18 09:30`).
//!
//! One small cursor-based scanner serves both, so a time means the same
//! thing wherever it is written, and impossible clocks (`14:00 PM`,
//! `25:10`) and loose zone names (`EST`, `SAST`) get the same message.
//! [`zone`] reads the zones written in body text. Below every stage:
//! `config` reads `timezone` with it, `content`, `import` and `fix` read
//! times with it.

mod date;
mod names;
pub mod zone;

pub use date::ambiguous_date;
use date::{date_after_time, scan_date, scan_loose_date, skip_date_time_separator};
pub use names::{abbreviation_advice, parse_zone};

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

/// The date part of a stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    /// No date: the time belongs to the date of the event before it.
    None,
    /// `Oct 29`: the year comes from the incident.
    MonthDay {
        /// 1..=12.
        month: i8,
        /// 1..=31.
        day: i8,
    },
    /// `2024-04-18`.
    Full(Date),
    /// `08-01-2026` in a timeline: day-first or month-first, to be decided
    /// by the dates around it ([`scan_event_stamp`] only).
    Either {
        /// Read day-first.
        day_first: Date,
        /// Read month-first.
        month_first: Date,
        /// Bytes of the date as written.
        len: usize,
    },
}

/// A zone written after a time.
#[derive(Debug, Clone, PartialEq)]
pub enum ZonePart {
    /// No zone: the incident's zone applies.
    None,
    /// `Z`, `+02:00`, `UTC`.
    Offset(Offset),
    /// `[Europe/Berlin]` or ` Europe/Berlin`.
    Named(TimeZone),
    /// A zone as written in body text (`PDT`, `IST`, `Pacific Time`),
    /// read by [`scan_event_stamp`] only.
    Body(zone::BodyZone),
}

/// A date and/or time scanned from the start of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    /// The date, if any.
    pub date: DatePart,
    /// The time of day, if any.
    pub time: Option<Time>,
    /// The zone written with it, if any.
    pub zone: ZonePart,
    /// Bytes of the text the stamp covers.
    pub len: usize,
}

/// What kind of mistake a time has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeErrorKind {
    /// An impossible time or date (`14:00 PM`, `25:10`, `Feb 30`).
    Clock,
    /// A zone abbreviation or unknown zone.
    Zone,
    /// Not in a form hindsight reads.
    Format,
}

/// A time that could not be read, with the byte range at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError {
    /// The kind of mistake.
    pub kind: TimeErrorKind,
    /// Byte offset of the faulty part in the scanned text.
    pub offset: usize,
    /// Byte length of the faulty part.
    pub len: usize,
    /// What is wrong and how to write it instead.
    pub message: String,
}

impl TimeError {
    fn new(kind: TimeErrorKind, offset: usize, len: usize, message: String) -> TimeError {
        TimeError {
            kind,
            offset,
            len: len.max(1),
            message,
        }
    }
}

/// A cursor over the text being scanned.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_spaces(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t']);
        self.i = self.s.len() - trimmed.len();
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Up to `max` ASCII digits; `None` if there are fewer than `min`.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let n = self
            .rest()
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if n < min || self.rest()[n..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let value = self.rest()[..n].parse().ok()?;
        let start = self.i;
        self.i += n;
        Some((value, start))
    }

    /// The ASCII letters at the cursor (not consumed).
    fn letters(&self) -> &'a str {
        let n = self
            .rest()
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        &self.rest()[..n]
    }

    fn at_boundary(&self) -> bool {
        !self.peek().is_some_and(char::is_alphanumeric)
    }
}

/// Scans a date or time at the start of `s`. `None` when `s` does not
/// start with one; an error when it starts with one that is impossible or
/// ambiguous.
pub fn scan_stamp(s: &str) -> Option<Result<Stamp, TimeError>> {
    scan(s, false)
}

/// [`scan_stamp`] for the events of a timeline, as teams write them: a
/// weekday before the date (`Monday, May 10`), day-first dates with dots
/// or dashes (`21.03.2022`, `21-03-2022`), `22/Mar/2022`, a date after the
/// time (`18:30, Nov 27, 2025`), and zones as written in text (`PDT`,
/// `(UTC)`, `GMT+1`, `Pacific Time`), which front matter refuses.
pub fn scan_event_stamp(s: &str) -> Option<Result<Stamp, TimeError>> {
    scan(s, true)
}

fn scan(s: &str, lenient: bool) -> Option<Result<Stamp, TimeError>> {
    let mut c = Cursor { s, i: 0 };
    c.skip_spaces();
    if lenient {
        skip_weekday(&mut c);
    }
    let scanned = if lenient {
        scan_loose_date(&mut c)
    } else {
        scan_date(&mut c)
    };
    let mut date = match scanned {
        Ok(d) => d,
        Err(e) => return Some(Err(e)),
    };
    let before_time = c.i;
    if date != DatePart::None {
        c.eat('T');
        c.skip_spaces();
        c.eat(',');
        c.skip_spaces();
        if lenient {
            skip_date_time_separator(&mut c);
        }
    }
    let time = match scan_time(&mut c) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            c.i = before_time;
            None
        }
        Err(e) => return Some(Err(e)),
    };
    if date == DatePart::None && time.is_none() {
        return None;
    }
    let zone = if time.is_some() {
        match scan_zone(
            &mut c,
            lenient,
            !lenient || matches!(date, DatePart::Full(_)),
        ) {
            Ok(z) => z,
            Err(e) => return Some(Err(e)),
        }
    } else {
        ZonePart::None
    };
    if lenient && date == DatePart::None && time.is_some() {
        match date_after_time(&mut c) {
            Ok(d) => date = d,
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(Stamp {
        date,
        time,
        zone,
        len: c.i,
    }))
}

/// Skips a weekday name and the comma after it (`Monday, `, `Tue `).
fn skip_weekday(c: &mut Cursor<'_>) {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let start = c.i;
    let word = c.letters();
    let is_day = word.len() >= 3
        && DAYS.iter().any(|d| word[..3].eq_ignore_ascii_case(d))
        && (word.len() <= 4 || word[word.len() - 3..].eq_ignore_ascii_case("day"));
    if !is_day {
        return;
    }
    c.i += word.len();
    c.eat('.');
    c.eat(',');
    c.skip_spaces();
    if !c.peek().is_some_and(|ch| ch.is_ascii_alphanumeric()) {
        c.i = start;
    }
}

/// Reads `9:30`, `09:30:15`, `9:30 AM`, `2:10 p.m.`, `9 am`.
fn scan_time(c: &mut Cursor<'_>) -> Result<Option<Time>, TimeError> {
    let start = c.i;
    let Some((hour, _)) = c.digits(1, 2) else {
        return Ok(None);
    };
    let (minute, second) = if c.eat(':') {
        let Some((minute, _)) = c.digits(2, 2) else {
            c.i = start;
            return Ok(None);
        };
        let second = if c.rest().starts_with(':')
            && c.rest()[1..].starts_with(|ch: char| ch.is_ascii_digit())
        {
            c.eat(':');
            c.digits(2, 2).map_or(0, |(s, _)| s)
        } else {
            0
        };
        if c.eat('.') {
            let frac = c.rest().bytes().take_while(u8::is_ascii_digit).count();
            if frac == 0 {
                c.i -= 1;
            } else {
                c.i += frac;
            }
        }
        (minute, second)
    } else {
        (u32::MAX, 0)
    };
    let digits_end = c.i;
    let meridiem = scan_meridiem(c);
    if minute == u32::MAX && meridiem.is_none() {
        c.i = start;
        return Ok(None);
    }
    let minute = if minute == u32::MAX { 0 } else { minute };
    let written = c.s[start..c.i].trim_end();
    let len = written.len();
    let hour = match meridiem {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                let hint = if hour < 24 {
                    format!(
                        "write {hour:02}:{minute:02} without {}",
                        if pm { "PM" } else { "AM" }
                    )
                } else {
                    "hours go up to 12 with AM/PM".to_string()
                };
                return Err(TimeError::new(
                    TimeErrorKind::Clock,
                    start,
                    len,
                    format!("`{written}` is not a time: with AM/PM the hour is 1 to 12; {hint}"),
                ));
            }
            (hour % 12) + if pm { 12 } else { 0 }
        }
        None => hour,
    };
    if hour > 23 || minute > 59 || second > 59 {
        let shown = &c.s[start..digits_end];
        return Err(TimeError::new(
            TimeErrorKind::Clock,
            start,
            digits_end - start,
            format!(
                "`{shown}` is not a time of day: hours go from 00 to 23 and minutes from 00 to 59"
            ),
        ));
    }
    Ok(Some(Time::constant(
        hour as i8,
        minute as i8,
        second as i8,
        0,
    )))
}

/// Reads ` AM`, `pm`, ` a.m.`, ` P.M`; true for PM.
fn scan_meridiem(c: &mut Cursor<'_>) -> Option<bool> {
    let start = c.i;
    c.skip_spaces();
    let pm = match c.peek() {
        Some('a' | 'A') => false,
        Some('p' | 'P') => true,
        _ => {
            c.i = start;
            return None;
        }
    };
    c.i += 1;
    c.eat('.');
    if !(c.eat('m') || c.eat('M')) {
        c.i = start;
        return None;
    }
    c.eat('.');
    if !c.at_boundary() {
        c.i = start;
        return None;
    }
    Some(pm)
}

/// Reads `+02:00`, `-0500` at the start of `s`; returns the offset and bytes used.
fn scan_offset(s: &str) -> Option<(Offset, usize)> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' | '−' => -1,
        _ => return None,
    };
    let body = &s[s.chars().next()?.len_utf8()..];
    let mut c = Cursor { s: body, i: 0 };
    let (hours, _) = c.digits(2, 2)?;
    c.eat(':');
    let (minutes, _) = c.digits(2, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    let seconds = sign * (hours as i32 * 3600 + minutes as i32 * 60);
    let used = s.len() - body.len() + c.i;
    Offset::from_seconds(seconds).ok().map(|o| (o, used))
}

/// Reads a zone after a time: `Z`, `+02:00`, ` UTC`, `[Europe/Berlin]`,
/// or a known abbreviation (refused with advice, unless `lenient`: body
/// text may use one, [`zone`] says what it means). A numeric
/// offset only when `offsets`: in a timeline, `16:30-17:00` is a range.
fn scan_zone(c: &mut Cursor<'_>, lenient: bool, offsets: bool) -> Result<ZonePart, TimeError> {
    let start = c.i;
    if lenient {
        c.skip_spaces();
        let paren = c.eat('(');
        if let Some((zone, len)) = zone::phrase(c.rest()) {
            c.i += len;
            if !paren || c.eat(')') {
                return Ok(ZonePart::Body(zone));
            }
        }
        c.i = start;
    }
    if c.peek() == Some('Z') {
        c.i += 1;
        if c.at_boundary() {
            return Ok(ZonePart::Offset(Offset::UTC));
        }
        c.i = start;
    }
    if let Some((offset, used)) = scan_offset(c.rest()).filter(|_| offsets) {
        c.i += used;
        return Ok(ZonePart::Offset(offset));
    }
    if c.eat('[') {
        let name: String = c.rest().chars().take_while(|&ch| ch != ']').collect();
        c.i += name.len();
        c.eat(']');
        return parse_zone(&name)
            .map(ZonePart::Named)
            .map_err(|m| TimeError::new(TimeErrorKind::Zone, start, c.i - start, m));
    }
    c.skip_spaces();
    let word_start = c.i;
    let word: String = c
        .rest()
        .chars()
        .take_while(|ch| ch.is_ascii_alphabetic())
        .collect();
    c.i += word.len();
    if !word.is_empty() && c.at_boundary() {
        if word == "UTC" || word == "Z" {
            return Ok(ZonePart::Offset(Offset::UTC));
        }
        if let Some(advice) =
            abbreviation_advice(&word).filter(|_| word.chars().all(|ch| ch.is_ascii_uppercase()))
        {
            return Err(TimeError::new(
                TimeErrorKind::Zone,
                word_start,
                word.len(),
                advice,
            ));
        }
    }
    c.i = start;
    Ok(ZonePart::None)
}

/// Reads a front-matter time: a full date and a time, with an optional
/// offset or zone, and nothing else.
pub fn parse_datetime(s: &str) -> Result<Stamp, TimeError> {
    let trimmed_start = s.len() - s.trim_start().len();
    let stamp = match scan_stamp(s) {
        Some(result) => result?,
        None => {
            return Err(TimeError::new(
                TimeErrorKind::Format,
                trimmed_start,
                s.trim().len(),
                format!(
                    "`{}` is not a date and time; write it like 2024-04-18T09:30:00+02:00, or 2024-04-18 09:30 with a `timezone`",
                    s.trim()
                ),
            ));
        }
    };
    let rest = s[stamp.len..].trim();
    if !rest.is_empty() {
        let at = s.len() - s[stamp.len..].trim_start().len();
        let message = match rest.split_whitespace().next().and_then(abbreviation_advice) {
            Some(advice) => advice,
            None => format!(
                "unexpected `{rest}` after the time; write it like 2024-04-18T09:30:00+02:00"
            ),
        };
        let kind = if abbreviation_advice(rest.split_whitespace().next().unwrap_or("")).is_some() {
            TimeErrorKind::Zone
        } else {
            TimeErrorKind::Format
        };
        return Err(TimeError::new(kind, at, rest.len(), message));
    }
    if !matches!(stamp.date, DatePart::Full(_)) || stamp.time.is_none() {
        return Err(TimeError::new(
            TimeErrorKind::Format,
            trimmed_start,
            s.trim().len(),
            format!(
                "`{}` needs both a full date and a time, like 2024-04-18T09:30:00+02:00",
                s.trim()
            ),
        ));
    }
    Ok(stamp)
}

/// Turns a local date and time into an instant in `zone`. In a DST gap
/// the time is moved forward; in a fold the earlier instant is taken
/// unless it lies before `not_before` (a timeline that runs on through
/// the repeated hour).
pub fn resolve_local(dt: DateTime, zone: &TimeZone, not_before: Option<Timestamp>) -> Timestamp {
    use jiff::tz::AmbiguousOffset;
    let ambiguous = zone.to_ambiguous_timestamp(dt);
    if let AmbiguousOffset::Fold { before, after } = ambiguous.offset() {
        let earlier = before.to_timestamp(dt).ok();
        let later = after.to_timestamp(dt).ok();
        if let (Some(e), Some(l), Some(nb)) = (earlier, later, not_before)
            && e < nb
            && l >= nb
        {
            return l;
        }
    }
    // Only fails at the ends of the supported range; clamp rather than fail.
    ambiguous.compatible().unwrap_or(Timestamp::MAX)
}

/// The instant of a front-matter stamp: its own offset or zone if written,
/// otherwise `zone`. `None` when neither is known.
pub fn stamp_instant(stamp: &Stamp, zone: Option<&TimeZone>) -> Option<Timestamp> {
    let DatePart::Full(date) = stamp.date else {
        return None;
    };
    let dt = date.to_datetime(stamp.time?);
    match &stamp.zone {
        ZonePart::Offset(o) => o.to_timestamp(dt).ok(),
        ZonePart::Named(tz) => Some(resolve_local(dt, tz, None)),
        ZonePart::None | ZonePart::Body(_) => zone.map(|tz| resolve_local(dt, tz, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(s: &str) -> (DatePart, Option<Time>, usize) {
        let stamp = scan_stamp(s).expect("a stamp").expect("valid");
        (stamp.date, stamp.time, stamp.len)
    }

    fn hm(h: i8, m: i8) -> Option<Time> {
        Some(Time::constant(h, m, 0, 0))
    }

    #[test]
    fn every_timeline_form_of_the_format() {
        let md = |month, day| DatePart::MonthDay { month, day };
        let full = DatePart::Full(Date::constant(2024, 4, 18));
        for (input, date, t, len) in [
            ("09:30 - x", DatePart::None, hm(9, 30), 5),
            ("9:30 AM: x", DatePart::None, hm(9, 30), 7),
            ("9:30AM x", DatePart::None, hm(9, 30), 6),
            ("2:10 p.m. x", DatePart::None, hm(14, 10), 9),
            ("12:30 p.m : x", DatePart::None, hm(12, 30), 9),
            ("12:00 am x", DatePart::None, hm(0, 0), 8),
            ("11:25 am: x", DatePart::None, hm(11, 25), 8),
            ("9 pm x", DatePart::None, hm(21, 0), 4),
            (
                "14:05:30 x",
                DatePart::None,
                Some(Time::constant(14, 5, 30, 0)),
                8,
            ),
            ("2024-04-18 09:30 x", full, hm(9, 30), 16),
            ("2024-04-18T09:30 x", full, hm(9, 30), 16),
            ("Oct 29 12:30 p.m. x", md(10, 29), hm(12, 30), 17),
            ("October 29, 12:30 x", md(10, 29), hm(12, 30), 17),
            ("29 Oct 12:30 x", md(10, 29), hm(12, 30), 12),
            (
                "16 September 2024 x",
                DatePart::Full(Date::constant(2024, 9, 16)),
                None,
                17,
            ),
            ("Sept. 3rd 08:00", md(9, 3), hm(8, 0), 15),
            ("Oct 30", md(10, 30), None, 6),
            (
                "Oct 30, 2023",
                DatePart::Full(Date::constant(2023, 10, 30)),
                None,
                12,
            ),
            ("2024-04-18", full, None, 10),
        ] {
            assert_eq!(time(input), (date, t, len), "{input}");
        }
    }

    #[test]
    fn forms_of_other_templates_in_timelines() {
        let event = |s: &str| {
            let stamp = scan_event_stamp(s).expect("a stamp").expect("valid");
            (stamp.date, stamp.time, stamp.len)
        };
        let day = |y, m, d| DatePart::Full(Date::constant(y, m, d));
        for (input, date, t, len) in [
            ("21.03.2022 14:05 x", day(2022, 3, 21), hm(14, 5), 16),
            ("03-21-2022 14:05 x", day(2022, 3, 21), hm(14, 5), 16),
            ("22/Mar/2022 14:05 x", day(2022, 3, 22), hm(14, 5), 17),
            ("Monday, May 10th, 2021 x", day(2021, 5, 10), None, 22),
            ("18:30, Nov 27, 2025 x", day(2025, 11, 27), hm(18, 30), 19),
            ("24-10-2024 - 08:15 x", day(2024, 10, 24), hm(8, 15), 18),
            ("2023-01-04/11:34: x", day(2023, 1, 4), hm(11, 34), 16),
            (
                "10-01 ~15:00 x",
                DatePart::MonthDay { month: 10, day: 1 },
                hm(15, 0),
                12,
            ),
            ("16:30-17:00 x", DatePart::None, hm(16, 30), 5),
        ] {
            assert_eq!(event(input), (date, t, len), "{input}");
        }
        // Numbers that fit both ways are left to the dates around them.
        assert_eq!(
            event("01-10-2024 x").0,
            DatePart::Either {
                day_first: Date::constant(2024, 10, 1),
                month_first: Date::constant(2024, 1, 10),
                len: 10
            }
        );
        // Zones as text writes them.
        let stamp = scan_event_stamp("3:45 PM CAT - x").unwrap().unwrap();
        assert!(matches!(stamp.zone, ZonePart::Body(_)));
        assert_eq!(stamp.len, 11);
        let stamp = scan_event_stamp("09:30 (UTC) x").unwrap().unwrap();
        assert_eq!(stamp.len, 11);
        // Front matter still refuses them.
        assert!(scan_stamp("09:30 CAT").unwrap().is_err());
    }

    #[test]
    fn text_that_is_not_a_time() {
        for input in [
            "Deploy started",
            "500 errors began",
            "3 servers restarted",
            "2024 budget",
            "10:0 x",
            "Maybe later",
            "10 Apache workers",
        ] {
            assert!(scan_stamp(input).is_none(), "{input}");
        }
    }

    #[test]
    fn words_after_a_time_are_not_meridiems() {
        assert_eq!(time("10:00 Apache restarted").1, hm(10, 0));
        assert_eq!(time("10:00 Amazon S3 failed").2, 5);
        assert_eq!(time("10:00 DNS change").2, 5);
    }

    #[test]
    fn impossible_clocks() {
        for (input, offset, len) in [
            ("14:00 PM x", 0, 8),
            ("25:10 x", 0, 5),
            ("  9:75 x", 2, 4),
            ("0:30 am", 0, 7),
        ] {
            let err = scan_stamp(input).unwrap().unwrap_err();
            assert_eq!(err.kind, TimeErrorKind::Clock, "{input}");
            assert_eq!((err.offset, err.len), (offset, len), "{input}");
        }
        let err = scan_stamp("14:00 PM").unwrap().unwrap_err();
        assert!(
            err.message.contains("write 14:00 without PM"),
            "{}",
            err.message
        );
        let err = scan_stamp("Feb 30 10:00").unwrap().unwrap_err();
        assert_eq!(err.kind, TimeErrorKind::Clock);
        let err = scan_stamp("2023-02-29 10:00").unwrap().unwrap_err();
        assert_eq!(err.kind, TimeErrorKind::Clock);
    }

    #[test]
    fn ambiguous_dates_are_refused() {
        let err = scan_stamp("11/3/23 9:05 AM — x").unwrap().unwrap_err();
        assert_eq!(err.kind, TimeErrorKind::Format);
        assert_eq!((err.offset, err.len), (0, 7));
        assert!(err.message.contains("YYYY-MM-DD"));
    }

    #[test]
    fn zones_after_times() {
        let stamp = scan_stamp("09:30 UTC - x").unwrap().unwrap();
        assert_eq!(stamp.zone, ZonePart::Offset(Offset::UTC));
        assert_eq!(stamp.len, 9);
        let err = scan_stamp("09:30 SAST - x").unwrap().unwrap_err();
        assert_eq!(err.kind, TimeErrorKind::Zone);
        assert_eq!((err.offset, err.len), (6, 4));
        assert_eq!(
            err.message,
            "SAST is ambiguous to machines; use Africa/Johannesburg or +02:00"
        );
    }

    #[test]
    fn front_matter_datetimes() {
        let s = parse_datetime("2024-04-18T09:30:00+02:00").unwrap();
        let at = stamp_instant(&s, None).unwrap();
        assert_eq!(at.to_string(), "2024-04-18T07:30:00Z");
        let s = parse_datetime("2024-04-18 09:30").unwrap();
        assert_eq!(stamp_instant(&s, None), None);
        let tz = TimeZone::get("Africa/Johannesburg").unwrap();
        assert_eq!(
            stamp_instant(&s, Some(&tz)).unwrap().to_string(),
            "2024-04-18T07:30:00Z"
        );
        let s = parse_datetime("2024-04-18T09:30:00.250Z").unwrap();
        assert_eq!(
            stamp_instant(&s, None).unwrap().to_string(),
            "2024-04-18T09:30:00Z"
        );
        let s = parse_datetime("2024-04-18T09:30[Asia/Tokyo]").unwrap();
        assert_eq!(
            stamp_instant(&s, None).unwrap().to_string(),
            "2024-04-18T00:30:00Z"
        );
        let err = parse_datetime("2024-04-18 09:30 SAST").unwrap_err();
        assert_eq!(
            (err.kind, err.offset, err.len),
            (TimeErrorKind::Zone, 17, 4)
        );
        let err = parse_datetime("2024-04-18").unwrap_err();
        assert_eq!(err.kind, TimeErrorKind::Format);
        let err = parse_datetime("yesterday").unwrap_err();
        assert_eq!(err.kind, TimeErrorKind::Format);
        let err = parse_datetime("2024-04-18 25:00").unwrap_err();
        assert_eq!((err.kind, err.offset), (TimeErrorKind::Clock, 11));
    }

    #[test]
    fn zone_names() {
        assert!(parse_zone("UTC").is_ok());
        assert!(parse_zone("Africa/Johannesburg").is_ok());
        assert_eq!(
            parse_zone("+02:00")
                .unwrap()
                .to_fixed_offset()
                .unwrap()
                .seconds(),
            7200
        );
        let err = parse_zone("EST").unwrap_err();
        assert!(err.contains("America/New_York"), "{err}");
        assert!(parse_zone("GMT").unwrap_err().contains("Europe/London"));
        let err = parse_zone("Europe/Berln").unwrap_err();
        assert!(err.contains("did you mean `Europe/Berlin`"), "{err}");
    }

    #[test]
    fn dst_resolution() {
        let ny = TimeZone::get("America/New_York").unwrap();
        let folded = DateTime::constant(2023, 11, 5, 1, 30, 0, 0);
        let first = resolve_local(folded, &ny, None);
        assert_eq!(first.to_string(), "2023-11-05T05:30:00Z");
        let after = "2023-11-05T05:45:00Z".parse().unwrap();
        assert_eq!(
            resolve_local(folded, &ny, Some(after)).to_string(),
            "2023-11-05T06:30:00Z"
        );
        let gap = DateTime::constant(2024, 3, 10, 2, 30, 0, 0);
        assert_eq!(
            resolve_local(gap, &ny, None).to_string(),
            "2024-03-10T07:30:00Z"
        );
    }
}
