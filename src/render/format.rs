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
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// `2024-04-18` in `zone`.
pub fn local_date(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone()).strftime("%Y-%m-%d").to_string()
}

/// `Thu 18 Apr 2024` in `zone`.
pub fn long_date(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%a %-d %b %Y")
        .to_string()
}

/// `09:30` in `zone`.
pub fn local_time(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone()).strftime("%H:%M").to_string()
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
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// RFC 3339 with the zone's offset: `2024-04-18T09:30:00+02:00`.
pub fn iso_local(at: Timestamp, zone: &TimeZone) -> String {
    at.to_zoned(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// A percentage without needless decimals: `90`, `12.5`.
pub fn percent(p: f64) -> String {
    if (p - p.round()).abs() < 1e-9 {
        format!("{}", p.round() as i64)
    } else {
        format!("{p:.1}")
    }
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
