//! What a report's sentences state: the incident window (`From Oct 29
//! 12:30 p.m to Oct 31 9:30 p.m`, `between 18:46 UTC and 20:36 UTC on 16
//! September 2024`, `from 6:00 AM to 7:50 PM GMT`), the share of users
//! affected (`affected 35% of users`), and the sentence around a place.

use std::ops::Range;

use crate::time::{self, DatePart, Stamp, ZonePart};

/// Two times written as a window, with where the window is written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Window {
    /// The start as written.
    pub(super) from: Stamp,
    /// The end as written.
    pub(super) to: Stamp,
    /// A date written after both (`… on 16 September 2024`).
    pub(super) on: DatePart,
    /// Byte range of the whole window in the text.
    pub(super) range: Range<usize>,
}

/// The first window in `text`: `from A to B`, `between A and B`, or (for
/// a key fact's value) `A to B`, `A - B`.
pub(super) fn window(text: &str, bare: bool) -> Option<Window> {
    let leads: &[&str] = &["from ", "From ", "FROM ", "between ", "Between "];
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for lead in leads {
        starts.extend(text.match_indices(lead).map(|(at, l)| (at, at + l.len())));
    }
    starts.sort_unstable();
    if bare {
        starts.insert(0, (0, 0));
    }
    starts
        .into_iter()
        .find_map(|(at, from)| window_at(text, at, from))
}

fn window_at(text: &str, at: usize, from: usize) -> Option<Window> {
    let first = stamp(&text[from..])?;
    if first.time.is_none() && first.date == DatePart::None {
        return None;
    }
    let mut i = from + first.len;
    let rest = &text[i..];
    let sep = [
        " to ",
        " and ",
        " until ",
        " till ",
        " - ",
        " – ",
        " — ",
        "-",
        "–",
        " through ",
    ]
    .iter()
    .find(|s| rest.trim_start_matches(['.', ',']).starts_with(**s))?;
    i += rest.len() - rest.trim_start_matches(['.', ',']).len() + sep.len();
    let second = stamp(&text[i..])?;
    if second.time.is_none() && first.time.is_some() {
        return None;
    }
    i += second.len;
    let (on, end) = date_after(&text[i..]);
    let (from, to) = share_zone(first, second);
    Some(Window {
        from,
        to,
        on,
        range: at..i + end,
    })
}

/// A stamp at the start of `text`, with `p.m`-style meridiems and a
/// trailing zone in parentheses read.
fn stamp(text: &str) -> Option<Stamp> {
    let text = text.trim_start_matches(['*', '_', ' ']);
    let lead = 0;
    let _ = lead;
    match time::scan_event_stamp(text) {
        Some(Ok(s)) => Some(s),
        _ => None,
    }
}

/// `on 16 September 2024`, `, 16 September 2024`, `(UTC)` after a window.
fn date_after(text: &str) -> (DatePart, usize) {
    let trimmed = text.trim_start_matches([' ', ',']);
    let skipped = text.len() - trimmed.len();
    let after_on = trimmed.strip_prefix("on ").unwrap_or(trimmed);
    let used = skipped + trimmed.len() - after_on.len();
    match time::scan_event_stamp(after_on) {
        Some(Ok(s)) if s.time.is_none() => (s.date, used + s.len),
        _ => (DatePart::None, 0),
    }
}

/// In `from 6:00 AM to 7:50 PM GMT` the zone written once holds for both.
fn share_zone(mut from: Stamp, mut to: Stamp) -> (Stamp, Stamp) {
    match (&from.zone, &to.zone) {
        (ZonePart::None, z) if *z != ZonePart::None => from.zone = z.clone(),
        (z, ZonePart::None) if *z != ZonePart::None => to.zone = z.clone(),
        _ => {}
    }
    (from, to)
}

/// Words that make a percentage a share of users.
const WHO: &[&str] = &[
    "user",
    "customer",
    "traffic",
    "request",
    "visitor",
    "session",
    "member",
    "client",
    "account",
    "tenant",
    "merchant",
    "seller",
    "buyer",
    "player",
    "staff",
    "employee",
    "people",
    "shopper",
    "subscriber",
];

/// The first share of users stated in `text` (`35% of users`, `affected
/// 90 percent of customers`): the number and its byte range.
pub(super) fn users_pct(text: &str) -> Option<(f64, Range<usize>)> {
    let lower = text.to_ascii_lowercase();
    let marks = lower
        .match_indices('%')
        .map(|(i, _)| (i, 1))
        .chain(lower.match_indices(" percent").map(|(i, m)| (i, m.len())));
    let mut found: Vec<(usize, usize)> = marks.collect();
    found.sort_unstable();
    found.into_iter().find_map(|(at, mark)| {
        let digits = lower[..at]
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let number: f64 = lower[at - digits..at].parse().ok()?;
        if !(0.0..=100.0).contains(&number) {
            return None;
        }
        let after = lower.get(at + mark..(at + mark + 40).min(lower.len()))?;
        let before = &lower[(at - digits).saturating_sub(40)..at - digits];
        let near = |s: &str| WHO.iter().any(|w| s.contains(w));
        (near(after) || near(before)).then_some((number, at - digits..at + mark))
    })
}

/// The sentence of `text` around byte `at`, trimmed, without Markdown
/// emphasis markers.
pub(super) fn sentence_at(text: &str, at: usize) -> &str {
    let bytes = text.as_bytes();
    let start = (0..at.min(text.len()))
        .rev()
        .find(|&i| ends_sentence(bytes, i))
        .map_or(0, |i| i + 1);
    let end = (at..text.len())
        .find(|&i| ends_sentence(bytes, i))
        .map_or(text.len(), |i| i + 1);
    let start = (start..=at)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(at);
    let end = (end..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[start..end].trim().trim_matches(['*', '_']).trim()
}

/// True when byte `i` ends a sentence: `.`, `!` or `?` before a space or
/// the end, or a blank line.
fn ends_sentence(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'!' | b'?' => bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()),
        // Not the dots of `a.m.`, `p.m.`, `e.g.`, `i.e.`.
        b'.' => {
            let abbreviation = i >= 2 && bytes[i - 2] == b'.' && bytes[i - 1].is_ascii_alphabetic();
            let dotted = bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
            !abbreviation && !dotted && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
        }
        // A blank line, a heading line, or a line starting a list item,
        // a quote or a table row.
        b'\n' => {
            let line_start = bytes[..i]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            bytes.get(i + 1).is_none_or(|b| b"\n#-*|><".contains(b))
                || bytes.get(line_start) == Some(&b'#')
        }
        _ => false,
    }
}

/// The sentence of `text` that starts at byte `at`.
pub(super) fn sentence_from(text: &str, at: usize) -> &str {
    let bytes = text.as_bytes();
    let end = (at..text.len())
        .find(|&i| ends_sentence(bytes, i))
        .map_or(text.len(), |i| i + 1);
    let end = (end..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text.get(at..end).unwrap_or("").trim()
}

/// Markdown inline syntax removed: `[text](url)` → `text`, emphasis and
/// code markers dropped; whitespace runs made one space.
pub(super) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let untagged = without_tags(text);
    let mut rest = untagged.as_str();
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at]);
        rest = &rest[at + 2..];
        rest = rest.find(')').map_or("", |j| &rest[j + 1..]);
    }
    out.push_str(rest);
    let out: String = out
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '[' | ']'))
        .collect();
    one_line(&out.replace("__", ""))
}

/// `text` without HTML tags (`<p>`, `</li>`); a `<` that opens no tag stays.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match after.find('>').filter(|_| tag) {
            Some(gt) => {
                out.push(' ');
                rest = &after[gt + 1..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with each run of whitespace made one space.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence of `text`, shortened to `max` characters at a word.
pub(super) fn first_sentence(text: &str, max: usize) -> String {
    let sentence = sentence_at(text, 0);
    if sentence.chars().count() <= max {
        return sentence.trim_end_matches('.').to_string();
    }
    let mut out = String::new();
    for word in sentence.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > max.saturating_sub(1) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Time;

    fn hm(h: i8, m: i8) -> Option<Time> {
        Some(Time::constant(h, m, 0, 0))
    }

    #[test]
    fn windows_written_in_sentences() {
        let w = window(
            "From Oct 29 12:30 p.m to Oct 31 9:30 p.m Requests failed",
            false,
        )
        .unwrap();
        assert_eq!(w.from.date, DatePart::MonthDay { month: 10, day: 29 });
        assert_eq!((w.from.time, w.to.time), (hm(12, 30), hm(21, 30)));
        let w = window(
            "The API was down between 18:46 UTC and 20:36 UTC on 16 September 2024.",
            false,
        )
        .unwrap();
        assert_eq!((w.from.time, w.to.time), (hm(18, 46), hm(20, 36)));
        let on = |d: DatePart| matches!(d, DatePart::Full(d) if d.to_string() == "2024-09-16");
        assert!(on(w.on) || on(w.to.date), "{w:?}");
        let w = window("from 6:00 AM to 7:50 PM GMT, requests failed", false).unwrap();
        assert!(
            matches!(w.from.zone, ZonePart::Body(_)),
            "the zone holds for both"
        );
        let w = window("June 3, 2024, 6:00 AM to June 10, 2024, 6:00 AM", true).unwrap();
        assert!(matches!(w.to.date, DatePart::Full(d) if d.to_string() == "2024-06-10"));
        assert!(window("from the logs to the dashboard", false).is_none());
    }

    #[test]
    fn shares_of_users() {
        let text = "Latency rose 300% for an hour. This affected 35% of users, mostly on mobile.";
        let (pct, range) = users_pct(text).unwrap();
        assert_eq!(pct, 35.0);
        assert_eq!(&text[range.clone()], "35%");
        assert_eq!(
            sentence_at(text, range.start),
            "This affected 35% of users, mostly on mobile."
        );
        assert_eq!(
            users_pct("about 90 percent of customers").map(|p| p.0),
            Some(90.0)
        );
        assert!(users_pct("CPU at 95% for an hour").is_none());
        assert_eq!(
            plain("See [the **runbook**](https://x/y) and `ps aux`."),
            "See the runbook and ps aux."
        );
        assert_eq!(
            sentence_from("Impact:\nMail failed. Then more.", 8),
            "Mail failed."
        );
        assert_eq!(
            sentence_from(
                "From 9:15 a.m. to 11:40 a.m. EST the portal failed. More.",
                0
            ),
            "From 9:15 a.m. to 11:40 a.m. EST the portal failed."
        );
        assert_eq!(
            plain("<p>Between 22:10 and 23:05, a < b</p>"),
            "Between 22:10 and 23:05, a < b"
        );
        assert_eq!(
            sentence_at(
                "## Issue Summary :\nFrom 9 to 10 the site was down for 35% of users. More.",
                40
            ),
            "From 9 to 10 the site was down for 35% of users."
        );
        assert_eq!(
            first_sentence(
                "Checkout failed for every card payment across all regions. Then more.",
                40
            ),
            "Checkout failed for every card payment…"
        );
    }
}
