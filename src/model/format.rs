//! How durations, offsets, dates and numbers read on the pages.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// A duration for people: `7m`, `1h 30m`, `3d 2h`; seconds only under a
/// minute.
pub fn duration(d: SignedDuration) -> String {
    let negative = d.is_negative();
    let secs = d.as_secs().unsigned_abs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let text = if secs < 60 {
        format!("{secs}s")
    } else if days > 0 {
        if hours > 0 {
            format!("{days}d {hours}h")
        } else {
            format!("{days}d")
        }
    } else if hours > 0 {
        if minutes > 0 {
            format!("{hours}h {minutes}m")
        } else {
            format!("{hours}h")
        }
    } else {
        format!("{minutes}m")
    };
    if negative { format!("−{text}") } else { text }
}

/// An offset from the incident start for the timeline: `+0:15`, `+26:05`,
/// `−0:06`.
pub fn offset(d: SignedDuration) -> String {
    let sign = if d.is_negative() { '−' } else { '+' };
    let minutes = d.as_secs().unsigned_abs() / 60;
    format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
}

/// `2024-04-18 09:30` in `zone`.
pub fn local_datetime(at: Timestamp, zone: &TimeZone) -> String {
    let Some(t) = Civil::of(at, zone) else {
        return strftime(at, zone, "%Y-%m-%d %H:%M");
    };
    let mut out = String::with_capacity(16);
    t.date(&mut out);
    out.push(' ');
    t.hour_minute(&mut out);
    out
}

/// `2024-04-18` in `zone`.
pub fn local_date(at: Timestamp, zone: &TimeZone) -> String {
    let Some(t) = Civil::of(at, zone) else {
        return strftime(at, zone, "%Y-%m-%d");
    };
    let mut out = String::with_capacity(10);
    t.date(&mut out);
    out
}

/// `Thu 18 Apr 2024` in `zone`.
pub fn long_date(at: Timestamp, zone: &TimeZone) -> String {
    strftime(at, zone, "%a %-d %b %Y")
}

/// `09:30` in `zone`.
pub fn local_time(at: Timestamp, zone: &TimeZone) -> String {
    let Some(t) = Civil::of(at, zone) else {
        return strftime(at, zone, "%H:%M");
    };
    let mut out = String::with_capacity(5);
    t.hour_minute(&mut out);
    out
}

/// The UTC offset in effect at `at` in `zone`: `UTC+02:00`, `UTC`.
pub fn utc_offset(at: Timestamp, zone: &TimeZone) -> String {
    let seconds = zone.to_offset(at).seconds();
    if seconds == 0 {
        return "UTC".into();
    }
    let sign = if seconds < 0 { '−' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// RFC 3339 in UTC, for `datetime=` attributes and feeds.
pub fn iso(at: Timestamp) -> String {
    let Some(t) = Civil::of(at, &TimeZone::UTC) else {
        return at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    };
    let mut out = String::with_capacity(20);
    t.date_time(&mut out);
    out.push('Z');
    out
}

/// RFC 3339 with the zone's offset: `2024-04-18T09:30:00+02:00`.
pub fn iso_local(at: Timestamp, zone: &TimeZone) -> String {
    let Some(t) = Civil::of(at, zone) else {
        return strftime(at, zone, "%Y-%m-%dT%H:%M:%S%:z");
    };
    let mut out = String::with_capacity(25);
    t.date_time(&mut out);
    let minutes = t.offset.seconds() / 60;
    out.push(if minutes < 0 { '-' } else { '+' });
    push2(&mut out, minutes.unsigned_abs() / 60);
    out.push(':');
    push2(&mut out, minutes.unsigned_abs() % 60);
    out
}

fn strftime(at: Timestamp, zone: &TimeZone, format: &str) -> String {
    at.to_zoned(zone.clone()).strftime(format).to_string()
}

/// A moment as a clock in some zone shows it. Pages show many times, and
/// writing the digits directly is several times faster than `strftime`,
/// which reads its format each time; [`Civil::of`] declines what it does
/// not write the same way (years outside 0..=9999, offsets with seconds).
struct Civil {
    time: jiff::civil::DateTime,
    offset: jiff::tz::Offset,
}

impl Civil {
    fn of(at: Timestamp, zone: &TimeZone) -> Option<Civil> {
        let offset = zone.to_offset(at);
        let time = offset.to_datetime(at);
        let plain = (0..=9999).contains(&time.year()) && offset.seconds() % 60 == 0;
        plain.then_some(Civil { time, offset })
    }

    /// `2024-04-18`.
    fn date(&self, out: &mut String) {
        let year = self.time.year().unsigned_abs() as u32;
        push2(out, year / 100);
        push2(out, year % 100);
        out.push('-');
        push2(out, self.time.month().unsigned_abs() as u32);
        out.push('-');
        push2(out, self.time.day().unsigned_abs() as u32);
    }

    /// `09:30`.
    fn hour_minute(&self, out: &mut String) {
        push2(out, self.time.hour().unsigned_abs() as u32);
        out.push(':');
        push2(out, self.time.minute().unsigned_abs() as u32);
    }

    /// `2024-04-18T09:30:00`.
    fn date_time(&self, out: &mut String) {
        self.date(out);
        out.push('T');
        self.hour_minute(out);
        out.push(':');
        push2(out, self.time.second().unsigned_abs() as u32);
    }
}

/// Two digits, zero-padded (`n` < 100).
fn push2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// A percentage without needless decimals: `90`, `12.5`.
pub fn percent(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        format!("{p:.1}")
    }
}

/// A duration in minutes (with fractions), as charts measure it.
pub fn minutes(d: SignedDuration) -> f64 {
    d.as_secs() as f64 / 60.0
}

/// The median of sorted durations (mean of the middle two for an even
/// count); `None` when empty.
pub fn median(sorted: &[SignedDuration]) -> Option<SignedDuration> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// The `p`th percentile (0..=100) of sorted durations, nearest-rank.
pub fn percentile(sorted: &[SignedDuration], p: f64) -> Option<SignedDuration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (secs, text) in [
            (30, "30s"),
            (7 * 60, "7m"),
            (90 * 60, "1h 30m"),
            (3600, "1h"),
            (72 * 3600 + 600, "3d"),
            (26 * 3600, "1d 2h"),
            (-600, "−10m"),
        ] {
            assert_eq!(duration(SignedDuration::from_secs(secs)), text, "{secs}");
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(SignedDuration::from_mins(15)), "+0:15");
        assert_eq!(offset(SignedDuration::from_mins(26 * 60 + 5)), "+26:05");
        assert_eq!(offset(SignedDuration::from_mins(-6)), "−0:06");
    }

    #[test]
    fn local_times_and_offsets() {
        let at: Timestamp = "2024-04-18T07:30:00Z".parse().unwrap();
        let tz = TimeZone::get("Africa/Johannesburg").unwrap();
        assert_eq!(local_datetime(at, &tz), "2024-04-18 09:30");
        assert_eq!(utc_offset(at, &tz), "UTC+02:00");
        assert_eq!(iso_local(at, &tz), "2024-04-18T09:30:00+02:00");
        assert_eq!(long_date(at, &tz), "Thu 18 Apr 2024");
        assert_eq!(utc_offset(at, &TimeZone::UTC), "UTC");
    }

    #[test]
    fn clocks_read_as_strftime_writes_them() {
        let moments = [
            "2024-04-18T07:30:00Z",
            "2024-03-31T01:59:59Z",
            "2023-11-05T06:30:00Z",
            "2020-02-29T23:05:09Z",
            "1999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z",
            "1850-06-01T12:00:00Z",
        ];
        let zones = [
            "UTC",
            "Africa/Johannesburg",
            "America/New_York",
            "Asia/Kolkata",
            "Asia/Kathmandu",
            "Pacific/Chatham",
            "Europe/Amsterdam",
        ];
        for at in moments {
            let at: Timestamp = at.parse().unwrap();
            for name in zones {
                let tz = TimeZone::get(name).unwrap();
                let zoned = at.to_zoned(tz.clone());
                let expect = |f: &str| zoned.strftime(f).to_string();
                assert_eq!(
                    local_datetime(at, &tz),
                    expect("%Y-%m-%d %H:%M"),
                    "{at} {name}"
                );
                assert_eq!(local_date(at, &tz), expect("%Y-%m-%d"), "{at} {name}");
                assert_eq!(local_time(at, &tz), expect("%H:%M"), "{at} {name}");
                assert_eq!(
                    iso_local(at, &tz),
                    expect("%Y-%m-%dT%H:%M:%S%:z"),
                    "{at} {name}"
                );
            }
            assert_eq!(iso(at), at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }

    #[test]
    fn statistics() {
        let d = |m| SignedDuration::from_mins(m);
        assert_eq!(median(&[d(1), d(3), d(10)]), Some(d(3)));
        assert_eq!(median(&[d(1), d(3)]), Some(d(2)));
        assert_eq!(median(&[]), None);
        let ten: Vec<SignedDuration> = (1..=10).map(d).collect();
        assert_eq!(percentile(&ten, 90.0), Some(d(9)));
        assert_eq!(percentile(&ten, 100.0), Some(d(10)));
        assert_eq!(percent(90.0), "90");
        assert_eq!(percent(12.5), "12.5");
    }
}
