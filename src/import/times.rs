//! When an imported report happened: the zone its times are in, the day
//! it refers to, and its start, end, detection and mitigation, each from
//! the first place that states it.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::Evidence;
use super::facts::{self, Fact, Key};
use super::prose::{self, Window};
use crate::content::timeline::{self, TimelineEvent};
use crate::time::zone::{self, BodyZone};
use crate::time::{self, DatePart, Stamp, ZonePart};

/// A moment as precisely as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Moment {
    /// An instant: the zone is known.
    At(Timestamp),
    /// A wall-clock time in a zone the text does not state.
    Local(DateTime),
    /// A day without a time.
    Day(Date),
}

impl Moment {
    /// For ordering: local times and days read as UTC.
    pub(super) fn key(self) -> Timestamp {
        match self {
            Moment::At(t) => t,
            Moment::Local(dt) => dt
                .to_zoned(TimeZone::UTC)
                .map_or(Timestamp::MIN, |z| z.timestamp()),
            Moment::Day(d) => d
                .to_zoned(TimeZone::UTC)
                .map_or(Timestamp::MIN, |z| z.timestamp()),
        }
    }

    /// The moment `by` later (a day stays a day).
    pub(super) fn plus(self, by: SignedDuration) -> Moment {
        match self {
            Moment::At(t) => t.checked_add(by).map_or(self, Moment::At),
            Moment::Local(dt) => dt.checked_add(by).map_or(self, Moment::Local),
            Moment::Day(_) => self,
        }
    }

    /// As written in front matter: RFC 3339 in `zone`, a local time, or a date.
    pub(super) fn render(self, zone: &TimeZone) -> String {
        match self {
            Moment::At(t) => t
                .to_zoned(zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            Moment::Local(dt) => dt.strftime("%Y-%m-%d %H:%M").to_string(),
            Moment::Day(d) => d.to_string(),
        }
    }

    /// The local date in `zone`.
    pub(super) fn date(self, zone: &TimeZone) -> Date {
        match self {
            Moment::At(t) => t.to_zoned(zone.clone()).date(),
            Moment::Local(dt) => dt.date(),
            Moment::Day(d) => d,
        }
    }
}

/// The zone of a report's times.
#[derive(Debug, Clone, Default)]
pub(super) struct ZoneChoice {
    /// The zone times are read in (a fixed offset for `PDT`), if known.
    pub(super) compute: Option<TimeZone>,
    /// What front matter's `timezone` gets (`America/Los_Angeles`).
    pub(super) name: Option<String>,
    /// Why it is left out, when the text names an ambiguous zone.
    pub(super) ambiguous: Option<String>,
}

impl ZoneChoice {
    /// The choice for a zone the text names.
    pub(super) fn of(zone: &BodyZone) -> ZoneChoice {
        match zone {
            BodyZone::Fixed { offset, name } => {
                let iana =
                    zone::iana_for(name.trim_end_matches(|c: char| !c.is_ascii_alphabetic()));
                let plain = name.chars().all(|c| c.is_ascii_alphabetic());
                let name = match (iana, plain) {
                    (Some(iana), true) => iana.to_string(),
                    _ if offset.seconds() == 0 => "UTC".to_string(),
                    _ => {
                        let secs = offset.seconds();
                        let sign = if secs < 0 { '-' } else { '+' };
                        let secs = secs.unsigned_abs();
                        format!("{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
                    }
                };
                ZoneChoice {
                    compute: Some(TimeZone::fixed(*offset)),
                    name: Some(name),
                    ambiguous: None,
                }
            }
            BodyZone::Named { zone, name } => ZoneChoice {
                compute: Some(zone.clone()),
                name: Some(zone.iana_name().unwrap_or(name).to_string()),
                ambiguous: None,
            },
            BodyZone::Ambiguous { name, .. } => ZoneChoice {
                compute: None,
                name: None,
                ambiguous: Some(format!(
                    "{name} may be {}; set the zone meant",
                    zone.candidates()
                )),
            },
        }
    }
}

/// Resolves what the text writes into moments.
pub(super) struct Clock<'a> {
    /// The zone times are read in, if known.
    pub(super) zone: Option<&'a TimeZone>,
    /// The day the report is about, for times without a date.
    pub(super) reference: Option<Date>,
    /// Where that day is written.
    pub(super) reference_evidence: Option<Evidence>,
}

impl Clock<'_> {
    /// `ev`, saying where the date came from when the text gave a time
    /// without one.
    pub(super) fn dated(&self, mut ev: Evidence, has_date: bool) -> Evidence {
        if let (false, Some(date), Some(r)) = (has_date, self.reference, &self.reference_evidence) {
            let place = match r.line {
                0 => "the file name".to_string(),
                n => format!("line {n}"),
            };
            ev.quote = format!(
                "{} (the date, {date}, is from {place}: \"{}\")",
                ev.quote, r.quote
            );
            ev.confidence = ev.confidence.max(super::Confidence::Low);
        }
        ev
    }

    /// The date of a stamp: as written, or `fallback`, or the reference.
    fn date(&self, part: DatePart, fallback: Option<Date>) -> Option<Date> {
        let around = fallback.or(self.reference);
        match part {
            DatePart::Full(d) => Some(d),
            DatePart::MonthDay { month, day } => {
                let base = around.unwrap_or(Date::constant(2000, 1, 1));
                around.map(|_| timeline::infer_year(month, day, base))
            }
            DatePart::Either {
                day_first,
                month_first,
                ..
            } => around.and_then(|a| timeline::nearer(day_first, month_first, a)),
            DatePart::None => around,
        }
    }

    /// The moment of a stamp, `fallback` giving the date when it has none.
    pub(super) fn moment(&self, s: &Stamp, fallback: Option<Date>) -> Option<Moment> {
        let date = self.date(s.date, fallback)?;
        let Some(clock) = s.time else {
            return Some(Moment::Day(date));
        };
        let local = date.to_datetime(clock);
        let zone = match &s.zone {
            ZonePart::Offset(o) => Some(TimeZone::fixed(*o)),
            ZonePart::Named(tz) => Some(tz.clone()),
            ZonePart::Body(b) => ZoneChoice::of(b).compute.or_else(|| self.zone.cloned()),
            ZonePart::None => self.zone.cloned(),
        };
        Some(match zone {
            Some(tz) => Moment::At(time::resolve_local(local, &tz, None)),
            None => Moment::Local(local),
        })
    }

    /// Both ends of a window; an end earlier than its start is the next day.
    pub(super) fn window(&self, w: &Window) -> Option<(Moment, Moment)> {
        // `between 18:46 and 20:36 on 16 September`: the date may be read
        // with the second time.
        let on = match (w.on, w.from.date, w.to.date) {
            (DatePart::None, DatePart::None, d @ DatePart::Full(_)) => d,
            (on, _, _) => on,
        };
        let on = self.date(on, None).filter(|_| on != DatePart::None);
        let from = self.moment(&w.from, on)?;
        let to_date = match w.to.date {
            DatePart::None => Some(from.date(self.zone.unwrap_or(&TimeZone::UTC))),
            _ => None,
        };
        let mut to = self.moment(&w.to, to_date.or(on))?;
        if to.key() < from.key() && w.to.date == DatePart::None {
            to = to.plus(SignedDuration::from_hours(24));
        }
        Some((from, to))
    }
}

/// A moment and where the text states it.
pub(super) type Found = (Moment, Evidence);

/// The day a report is about, and where it is written: a key fact's
/// date, the file name's or the title's date, or the first full date of
/// the text (not in a link or an image).
pub(super) fn reference_date(
    name: &str,
    title: &str,
    facts: &[Fact<'_>],
    text: &str,
    body_offset: usize,
) -> Option<(Date, Evidence)> {
    let full = |text: &str| -> Option<(Date, usize)> {
        text.char_indices()
            .filter(|(i, c)| {
                c.is_ascii_alphanumeric()
                    && (*i == 0 || !text[..*i].ends_with(|p: char| p.is_ascii_alphanumeric()))
            })
            .find_map(|(i, _)| match time::scan_event_stamp(&text[i..]) {
                Some(Ok(Stamp {
                    date: DatePart::Full(d),
                    ..
                })) => Some((d, i)),
                _ => None,
            })
    };
    let fact = facts
        .iter()
        .filter(|f| matches!(f.key, Key::Date | Key::Start | Key::Duration))
        .find_map(|f| full(f.value).map(|(d, _)| (d, Evidence::fact(text, f))));
    fact.or_else(|| full(name).map(|(d, _)| (d, Evidence::file_name(name))))
        .or_else(|| full(title).map(|(d, _)| (d, Evidence::file_name(title))))
        .or_else(|| {
            let body = blank_links(&text[body_offset..]);
            let (d, at) = full(&body)?;
            Some((
                d,
                Evidence::line(text, body_offset + at, super::Confidence::Low),
            ))
        })
}

/// `text` with link targets and images blanked out (same length): a date
/// in `![Screenshot from 2023-08-08](…)` is not a statement.
fn blank_links(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let close = match (bytes[i], bytes[i + 1]) {
            (b'!', b'[') => b']',
            (b']', b'(') => b')',
            _ => {
                i += 1;
                continue;
            }
        };
        let from = i + 1;
        let end = bytes[from..]
            .iter()
            .position(|b| *b == close)
            .map_or(bytes.len(), |p| from + p);
        bytes[from..end].fill(b' ');
        i = end;
    }
    // Only ASCII delimiters bound the blanked runs, so whole characters
    // were replaced and the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Start and end from key facts: `Start:`/`End:` lines, or a `Duration:`
/// window.
pub(super) fn from_facts(
    clock: &Clock<'_>,
    facts: &[Fact<'_>],
    text: &str,
) -> (Option<Found>, Option<Found>) {
    let stamped = |key: Key| {
        facts.iter().filter(|f| f.key == key).find_map(|f| {
            let s = match time::scan_event_stamp(f.value) {
                Some(Ok(s)) => s,
                _ => return None,
            };
            let ev = clock.dated(Evidence::fact(text, f), matches!(s.date, DatePart::Full(_)));
            Some((clock.moment(&s, None)?, ev))
        })
    };
    let mut start = stamped(Key::Start);
    let mut end = stamped(Key::End);
    if let (Some((s, _)), Some((e, ev))) = (&start, &end)
        && e.key() < s.key()
    {
        end = Some((e.plus(SignedDuration::from_hours(24)), ev.clone()));
    }
    for f in facts
        .iter()
        .filter(|f| matches!(f.key, Key::Duration | Key::Date | Key::Start))
    {
        if let Some(w) = prose::window(f.value, true)
            && let Some((from, to)) = clock.window(&w)
        {
            start = start.or(Some((from, Evidence::fact(text, f))));
            end = end.or(Some((to, Evidence::fact(text, f))));
        }
    }
    if let (Some((s, _)), None) = (&start, &end)
        && let Some(f) = facts.iter().find(|f| f.key == Key::Duration)
        && let Some(d) = facts::duration(f.value)
    {
        end = Some((s.plus(d), Evidence::fact(text, f)));
    }
    (start, end)
}

/// Start and end from the first window written in `range` of the text.
pub(super) fn from_prose(
    clock: &Clock<'_>,
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<(Found, Found)> {
    let part = text.get(range.clone())?;
    let w = prose::window(part, false)?;
    let (from, to) = clock.window(&w)?;
    let at = range.start + w.range.start;
    let ev = Evidence::at(text, at, w.range.len(), super::Confidence::Medium);
    let full = |d: DatePart| matches!(d, DatePart::Full(_));
    let ev = clock.dated(ev, full(w.from.date) || full(w.to.date) || full(w.on));
    Some(((from, ev.clone()), (to, ev)))
}

/// Why no start could be read, when the text seems to state one: a key
/// fact or a window whose date has no year or reads two ways.
pub(super) fn why_no_start(facts: &[Fact<'_>], text: &str, body_offset: usize) -> String {
    let stated = facts
        .iter()
        .find(|f| matches!(f.key, Key::Start | Key::Duration | Key::Date))
        .map(|f| (f.value.to_string(), Evidence::fact(text, f).line))
        .or_else(|| {
            let w = prose::window(&text[body_offset..], false)?;
            let at = body_offset + w.range.start;
            let quote = prose::one_line(&text[at..body_offset + w.range.end]);
            Some((quote, crate::text::pos_in(text, at, 1).line))
        });
    match stated {
        Some((quote, line)) => format!(
            "`{quote}` (line {line}) gives no full date (no year, or a day and month that read two ways); write it as YYYY-MM-DD HH:MM"
        ),
        None => "not found in the text".to_string(),
    }
}

/// Words of a timeline event that say the incident was noticed.
const DETECTED: &[&str] = &[
    "alert",
    "paged",
    "page ",
    "detected",
    "noticed",
    "report",
    "pager",
    "monitoring",
    "notified",
    "escalat",
    "on-call",
    "oncall",
    "complain",
];

/// Words of a timeline event that say the impact ended or was stopped.
const MITIGATED: &[&str] = &[
    "mitigat",
    "rolled back",
    "rollback",
    "roll back",
    "restored",
    "recovered",
    "back to normal",
    "back online",
    "fixed",
    "resolved",
    "reverted",
    "service resumed",
    "errors stop",
    "drained",
];

/// The first event at or after `after` whose text has one of `words`.
pub(super) fn event_with(
    events: &[TimelineEvent],
    words: &[&str],
    after: Option<Timestamp>,
    text: &str,
) -> Option<Found> {
    events
        .iter()
        .filter(|e| after.is_none_or(|a| e.at >= a))
        .find(|e| {
            let lower = e.text.to_lowercase();
            words.iter().any(|w| lower.contains(w))
        })
        .map(|e| {
            (
                Moment::At(e.at),
                Evidence::line(text, e.offset, super::Confidence::Low),
            )
        })
}

/// Detection and mitigation: key facts (a time, or a time since the
/// start), else timeline events that say so.
pub(super) fn phases(
    clock: &Clock<'_>,
    facts: &[Fact<'_>],
    text: &str,
    start: Option<Moment>,
    events: &[TimelineEvent],
) -> (Option<Found>, Option<Found>) {
    let fact = |at: Key, since: Key| {
        facts.iter().find_map(|f| {
            if f.key == at
                && let Some(Ok(s)) = time::scan_event_stamp(f.value)
                && s.time.is_some()
            {
                return Some((
                    clock.moment(
                        &s,
                        start.map(|m| m.date(clock.zone.unwrap_or(&TimeZone::UTC))),
                    )?,
                    Evidence::fact(text, f),
                ));
            }
            let d = facts::duration(f.value).filter(|_| f.key == since)?;
            Some((start?.plus(d), Evidence::fact(text, f)))
        })
    };
    let known = |m: &Option<Moment>| match m {
        Some(Moment::At(t)) => Some(*t),
        _ => None,
    };
    let detected = fact(Key::Detected, Key::TimeToDetect)
        .or_else(|| event_with(events, DETECTED, known(&start), text));
    let after = known(&detected.as_ref().map(|d| d.0)).or(known(&start));
    let mitigated = fact(Key::Mitigated, Key::TimeToMitigate)
        .or_else(|| event_with(events, MITIGATED, after, text));
    (detected, mitigated)
}
