//! `due` dates of task-list items rewritten as `YYYY-MM-DD`, the form
//! the action-item view reads: `due Jan 5, 2027`, `due 5th January
//! 2027`, `due 05.01.2027` and `due 2027/01/05` all become `due
//! 2027-01-05`.
//!
//! Only dates that read one way are rewritten. Dots are day-first (no
//! locale writes month.day.year); slashes and dashes are day-first or
//! month-first, so `01/05/2027` is left as written, while `13/01/2027`
//! can only be 13 January. A two-digit year or a missing year is left
//! too. What is left is reported with the reason.

use std::ops::Range;

use jiff::civil::Date;

use crate::model::body::{Body, Item};
use crate::text::{find_ascii_ci, pos_in};

use super::Outcome;
use super::edit::Edit;

/// A due date as written: its ISO form, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Due {
    /// Written as `YYYY-MM-DD` already.
    Written,
    /// Another form of this date.
    Iso(Date),
    /// Not one date: why.
    Unclear(String),
}

/// The fixes of the due dates of `body`'s task-list items: `Ok` with the
/// edit and what it did, `Err` with why a date is left as written.
pub(super) fn fixes(text: &str, body: &Body) -> Vec<Result<(Edit, Outcome), Outcome>> {
    let mut out = Vec::new();
    for item in body.items.iter().filter(|i| i.task.is_some()) {
        let window = first_paragraph(text, item);
        let Some((range, due)) = find(&text[window.clone()]) else {
            continue;
        };
        let range = window.start + range.start..window.start + range.end;
        let written = &text[range.clone()];
        let pos = pos_in(text, range.start, written.chars().count());
        out.push(match due {
            Due::Written => continue,
            Due::Iso(date) => {
                let message = format!("the due date `{written}` is now `{date}`");
                Ok((
                    Edit::new(range, date.to_string()),
                    Outcome::fixed(pos, message),
                ))
            }
            Due::Unclear(why) => Err(Outcome::left(
                pos,
                format!("the due date `{written}` {why}; write it as YYYY-MM-DD"),
            )),
        });
    }
    out
}

/// The source of an item's own text: its first line and the lines that
/// continue it, up to a blank line or the next item or block.
fn first_paragraph(text: &str, item: &Item) -> Range<usize> {
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let start = item.offset.min(text.len());
    let mut end = line_end(start);
    while end < text.len() {
        let next = line_end(end + 1);
        let line = text[end + 1..next].trim_start();
        let opens_block = line.is_empty()
            || line.starts_with(['-', '*', '+', '#', '>', '|', '`'])
            || line.starts_with(|c: char| c.is_ascii_digit());
        if opens_block {
            break;
        }
        end = next;
    }
    start..end
}

/// The first `due` date in `s`: its byte range and what it is. Only the
/// first counts, as for the action-item view, so a second run finds
/// nothing new once it is fixed.
fn find(s: &str) -> Option<(Range<usize>, Due)> {
    let word = |c: char| c.is_alphanumeric();
    for at in find_ascii_ci(s, "due") {
        let after = &s[at + 3..];
        if s[..at].ends_with(word) || !after.starts_with([' ', ':']) {
            continue;
        }
        let mut from = s.len() - after.trim_start_matches([' ', ':']).len();
        if s[from..]
            .get(..3)
            .is_some_and(|w| w.eq_ignore_ascii_case("by "))
        {
            from = s.len() - s[from + 3..].trim_start().len();
        }
        if let Some((len, due)) = date_at(&s[from..]) {
            return Some((from..from + len, due));
        }
    }
    None
}

/// A cursor over a date being read.
struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    /// A number of 1 to 4 digits and how many digits it has.
    fn number(&mut self) -> Option<(u32, usize)> {
        let rest = &self.s[self.i..];
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=4).contains(&n) {
            return None;
        }
        self.i += n;
        Some((rest[..n].parse().ok()?, n))
    }

    /// A month name (`Jan`, `Jan.`, `January`, `Sept`).
    fn month(&mut self) -> Option<u32> {
        let rest = &self.s[self.i..];
        let n = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let word = rest[..n].to_ascii_lowercase();
        let month = (1..=12).find(|&m| {
            let name = month_name(m).to_ascii_lowercase();
            let short = word.len() == 3 || word == "sept";
            name.starts_with(&word) && (short || word == name)
        })?;
        self.i += n;
        self.eat(".");
        Some(month)
    }

    /// An ordinal suffix after a day (`5th`).
    fn ordinal(&mut self) {
        for suffix in ["st", "nd", "rd", "th"] {
            let rest = &self.s[self.i..];
            if rest.starts_with(suffix) && !rest[2..].starts_with(char::is_alphanumeric) {
                self.i += 2;
                return;
            }
        }
    }

    fn eat(&mut self, what: &str) -> bool {
        let found = self.s[self.i..].starts_with(what);
        if found {
            self.i += what.len();
        }
        found
    }

    fn spaces(&mut self) {
        let rest = &self.s[self.i..];
        self.i += rest.len() - rest.trim_start_matches(' ').len();
    }

    /// `, 2027` or ` 2027` after a day or month: the year if written.
    fn year(&mut self) -> Option<(u32, usize)> {
        let back = self.i;
        self.eat(",");
        self.spaces();
        match self.number() {
            Some(found) if self.ends() => Some(found),
            _ => {
                self.i = back;
                None
            }
        }
    }

    /// Whether the date ends here (no letter or digit follows).
    fn ends(&self) -> bool {
        !self.s[self.i..].starts_with(char::is_alphanumeric)
    }
}

/// The English name of month `m` (1..=12): `January`.
fn month_name(m: u32) -> String {
    i8::try_from(m)
        .ok()
        .and_then(|m| Date::new(2001, m, 1).ok())
        .map(|d| d.strftime("%B").to_string())
        .unwrap_or_default()
}

/// A date at the start of `s`: the bytes it takes and what it is.
fn date_at(s: &str) -> Option<(usize, Due)> {
    let mut c = Cursor { s, i: 0 };
    let due = if s.starts_with(|ch: char| ch.is_ascii_digit()) {
        numeric(&mut c)?
    } else {
        let month = c.month()?;
        c.spaces();
        let (day, _) = c.number()?;
        c.ordinal();
        match c.year() {
            Some((year, 4)) => full(year, month, day),
            Some(_) => Due::Unclear("has a two-digit year".into()),
            None => Due::Unclear("has no year".into()),
        }
    };
    c.ends().then_some((c.i, due))
}

/// `05.01.2027`, `5/1/2027`, `2027/01/05`, `5 Jan 2027`, `5-Jan-2027`.
fn numeric(c: &mut Cursor<'_>) -> Option<Due> {
    let (first, digits) = c.number()?;
    c.ordinal();
    let sep = ['.', '/', '-'].into_iter().find(|s| c.eat(&s.to_string()));
    let Some(sep) = sep else {
        c.spaces();
        let month = c.month()?;
        return Some(match c.year() {
            Some((year, 4)) => full(year, month, first),
            Some(_) => Due::Unclear("has a two-digit year".into()),
            None => Due::Unclear("has no year".into()),
        });
    };
    let by_name = c.month();
    let (second, second_digits) = match by_name {
        Some(m) => (m, 2),
        None => c.number().filter(|(_, n)| *n <= 2)?,
    };
    if !c.eat(&sep.to_string()) {
        let plausible = digits <= 2 && first <= 31 && second <= 12;
        return plausible.then(|| Due::Unclear("has no year".into()));
    }
    let (third, third_digits) = c.number()?;
    Some(match (digits, third_digits) {
        // Already ISO: nothing to do.
        (4, 2) if sep == '-' && by_name.is_none() && second_digits == 2 => Due::Written,
        (4, _) => full(first, second, third),
        (_, 4) if by_name.is_some() => full(third, second, first),
        (_, 4) => day_or_month(first, second, third, sep),
        (_, 2) => Due::Unclear("has a two-digit year".into()),
        _ => return None,
    })
}

/// `a` and `b` as day and month, or month and day, of `year`.
fn day_or_month(a: u32, b: u32, year: u32, sep: char) -> Due {
    if a > 12 || a == b || (sep == '.' && b <= 12) {
        full(year, b, a)
    } else if b > 12 {
        full(year, a, b)
    } else {
        Due::Unclear(format!(
            "reads as {a} {} or as {} {b}",
            month_name(b),
            month_name(a)
        ))
    }
}

fn full(year: u32, month: u32, day: u32) -> Due {
    let date = i16::try_from(year)
        .ok()
        .zip(i8::try_from(month).ok())
        .zip(i8::try_from(day).ok())
        .and_then(|((y, m), d)| Date::new(y, m, d).ok());
    match date {
        Some(date) => Due::Iso(date),
        None => Due::Unclear("is not a date".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        match find(s)?.1 {
            Due::Written => None,
            Due::Iso(d) => Some(d.to_string()),
            Due::Unclear(why) => Some(format!("unclear: {why}")),
        }
    }

    #[test]
    fn due_dates_that_read_one_way_become_iso() {
        for (written, want) in [
            ("Add alert (@sre, due Jan 5, 2027)", "2027-01-05"),
            ("Add alert, due: January 5th 2027", "2027-01-05"),
            ("Add alert (due 05.01.2027)", "2027-01-05"),
            ("Add alert (due 5.1.2027)", "2027-01-05"),
            ("Add alert (due 13/01/2027)", "2027-01-13"),
            ("Add alert (due 01/13/2027)", "2027-01-13"),
            ("Add alert (due 05/05/2027)", "2027-05-05"),
            ("Add alert (due 2027/01/05)", "2027-01-05"),
            ("Add alert (due 2027-1-5)", "2027-01-05"),
            ("Add alert (Due 5 Jan 2027)", "2027-01-05"),
            ("Add alert (due by 5-Jan-2027)", "2027-01-05"),
            ("Add alert (due Sept. 30, 2027)", "2027-09-30"),
        ] {
            assert_eq!(iso(written).as_deref(), Some(want), "{written}");
        }
    }

    #[test]
    fn due_dates_that_do_not_read_one_way_are_left() {
        for (written, why) in [
            ("due 01/05/2027", "reads as 1 May or as January 5"),
            ("due 05-01-2027", "reads as 5 January or as May 1"),
            ("due Jan 5", "has no year"),
            ("due 05.01", "has no year"),
            ("due 05.01.27", "has a two-digit year"),
            ("due Feb 30, 2027", "is not a date"),
        ] {
            let found = iso(written).unwrap_or_default();
            assert_eq!(found, format!("unclear: {why}"), "{written}");
        }
    }

    #[test]
    fn iso_dates_and_other_words_are_not_touched() {
        for written in [
            "Add alert (@sre, due 2027-01-05)",
            "Add alert (due 2027-01-05, before: due Jan 3, 2027)",
            "Residue 5 Jan 2027 stays",
            "due to Jan 5, 2027 traffic",
            "overdue Jan 5, 2027",
            "the cause was due 3 times",
        ] {
            assert_eq!(iso(written), None, "{written}");
        }
    }
}
