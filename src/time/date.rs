//! Dates as written: ISO, `Oct 29`, `29 Oct 2024`, `21.03.2022`, and
//! the numeric forms that read two ways (`08-01-2026`).

use jiff::civil::Date;

use super::{Cursor, DatePart, TimeError, TimeErrorKind, scan_time, skip_weekday};

pub(super) const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

pub(super) const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads a month name (`Oct`, `Oct.`, `October`, `Sept`) at the cursor.
pub(super) fn month_name(c: &mut Cursor<'_>) -> Option<i8> {
    let word = c.letters();
    let is = |m: &&str| m.eq_ignore_ascii_case(word);
    let index = MONTH_NAMES
        .iter()
        .position(is)
        .or_else(|| MONTHS.iter().position(is))
        .or_else(|| word.eq_ignore_ascii_case("sept").then_some(8))?;
    c.i += word.len();
    c.eat('.');
    Some(index as i8 + 1)
}

/// [`scan_date`], and the day-first forms of other locales: `21.03.2022`,
/// `21-03-2022`, `22/Mar/2022`.
pub(super) fn scan_loose_date(c: &mut Cursor<'_>) -> Result<DatePart, TimeError> {
    let start = c.i;
    if let Some((first, _)) = c.digits(1, 2) {
        if let Some(sep @ ('.' | '-' | '/')) = c.peek() {
            c.i += 1;
            let by_name = month_name(c).map(|m| m as u32);
            let second = by_name.or_else(|| c.digits(1, 2).map(|(m, _)| m));
            if let Some(second) = second
                && c.eat(sep)
                && let Some((year, _)) = c.digits(4, 4)
            {
                let len = c.i - start;
                // The month by name (`22/Mar/2022`), or numbers that fit
                // only one way (`21.03.2022`, `03-21-2022`).
                let (day, month) = if by_name.is_some() || first > 12 {
                    (first, second)
                } else if second > 12 {
                    (second, first)
                } else {
                    let day_first = full_date(year, second, first, start, len)?;
                    let month_first = full_date(year, first, second, start, len)?;
                    if day_first == month_first {
                        return Ok(DatePart::Full(day_first));
                    }
                    return Ok(DatePart::Either {
                        day_first,
                        month_first,
                        len,
                    });
                };
                return full_date(year, month, day, start, len).map(DatePart::Full);
            }
            // `10-01 09:45`: month and day in ISO order, when a time follows.
            if let (Some(second), '-', None) = (second, sep, by_name) {
                let after = c.i;
                let mut ahead = Cursor { s: c.s, i: after };
                ahead.skip_spaces();
                skip_date_time_separator(&mut ahead);
                if matches!(scan_time(&mut ahead), Ok(Some(_))) {
                    return month_day(first as i8, second as i8, start, after - start);
                }
            }
        }
        c.i = start;
    }
    scan_date(c)
}

/// The error for a date that reads both day-first and month-first.
pub fn ambiguous_date(written: &str, at: usize) -> TimeError {
    TimeError::new(
        TimeErrorKind::Format,
        at,
        written.len(),
        format!(
            "the date `{written}` is ambiguous (day/month or month/day?); write it as YYYY-MM-DD or like `Nov 3`"
        ),
    )
}

/// Skips what people put between a date and a time in a timeline:
/// `2024-03-02 - 08:15`, `2023-01-04/11:34`, `10-01 ~15:00`, `at`.
pub(super) fn skip_date_time_separator(c: &mut Cursor<'_>) {
    let start = c.i;
    let rest = c.rest();
    let skipped = rest.len()
        - rest
            .trim_start_matches(['-', '–', '—', '/', '~', '@', ' '])
            .len();
    c.i += skipped;
    if c.rest()
        .get(..3)
        .is_some_and(|w| w.eq_ignore_ascii_case("at "))
    {
        c.i += 3;
    }
    if !c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
        c.i = start;
    }
}

/// A date written after the time: `18:30, Nov 27, 2025`, `09:00 on 2024-03-02`.
pub(super) fn date_after_time(c: &mut Cursor<'_>) -> Result<DatePart, TimeError> {
    let start = c.i;
    c.skip_spaces();
    if !c.eat(',')
        && c.rest()
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case("on "))
    {
        c.i += 3;
    }
    c.skip_spaces();
    skip_weekday(c);
    let date = scan_loose_date(c)?;
    if date == DatePart::None {
        c.i = start;
    }
    Ok(date)
}

pub(super) fn scan_date(c: &mut Cursor<'_>) -> Result<DatePart, TimeError> {
    let start = c.i;
    if let Some((year, _)) = c.digits(4, 4) {
        if c.eat('-')
            && let (Some((month, _)), true, Some((day, _))) =
                (c.digits(2, 2), c.eat('-'), c.digits(2, 2))
        {
            return full_date(year, month, day, start, c.i - start).map(DatePart::Full);
        }
        c.i = start;
        return Ok(DatePart::None);
    }
    if let Some((first, _)) = c.digits(1, 2) {
        if c.eat('/') {
            let more = c
                .rest()
                .bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'/')
                .count();
            c.i += more;
            return Err(ambiguous_date(&c.s[start..c.i], start));
        }
        // `29 Oct`, `16 September 2024`
        c.skip_spaces();
        if let Some(month) = month_name(c) {
            let after_month = c.i;
            c.skip_spaces();
            c.eat(',');
            c.skip_spaces();
            if let Some((year, _)) = c.digits(4, 4).filter(|_| !c.rest().starts_with(':')) {
                return full_date(year, month as u32, first, start, c.i - start)
                    .map(DatePart::Full);
            }
            c.i = after_month;
            return month_day(month, first as i8, start, c.i - start);
        }
        c.i = start;
        let _ = first;
        return Ok(DatePart::None);
    }
    if let Some(month) = month_name(c) {
        c.skip_spaces();
        if let Some((day, _)) = c.digits(1, 2) {
            c.eat_suffix();
            let after_day = c.i;
            c.skip_spaces();
            if c.eat(',') {
                c.skip_spaces();
            }
            if let Some((year, _)) = c.digits(4, 4).filter(|_| !c.rest().starts_with(':')) {
                return full_date(year, month as u32, day, start, c.i - start).map(DatePart::Full);
            }
            c.i = after_day;
            return month_day(month, day as i8, start, c.i - start);
        }
    }
    c.i = start;
    Ok(DatePart::None)
}

impl Cursor<'_> {
    /// Skips an ordinal suffix: `29th`, `1st`.
    pub(super) fn eat_suffix(&mut self) {
        for suffix in ["st", "nd", "rd", "th"] {
            if self.rest().starts_with(suffix) && {
                let after = &self.rest()[2..];
                !after.starts_with(char::is_alphanumeric)
            } {
                self.i += 2;
                return;
            }
        }
    }
}

pub(super) fn full_date(
    year: u32,
    month: u32,
    day: u32,
    at: usize,
    len: usize,
) -> Result<Date, TimeError> {
    Date::new(year as i16, month as i8, day as i8).map_err(|_| {
        TimeError::new(
            TimeErrorKind::Clock,
            at,
            len,
            format!("{year:04}-{month:02}-{day:02} is not a date on the calendar"),
        )
    })
}

pub(super) fn month_day(month: i8, day: i8, at: usize, len: usize) -> Result<DatePart, TimeError> {
    // Checked against a leap year so Feb 29 passes here; the year is
    // known only when the stamp is resolved.
    if Date::new(2024, month, day).is_err() {
        return Err(TimeError::new(
            TimeErrorKind::Clock,
            at,
            len,
            format!(
                "{} {day} is not a date on the calendar",
                MONTH_NAMES[month as usize - 1]
            ),
        ));
    }
    Ok(DatePart::MonthDay { month, day })
}
