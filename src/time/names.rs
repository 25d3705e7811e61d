//! Zone names as written in `timezone:` and `site.toml`: IANA names,
//! offsets and `UTC`, with advice for the abbreviations machines cannot
//! read (`EST`, `SAST`).

use jiff::tz::TimeZone;

use super::scan_offset;

/// Zone abbreviations people write, and what to write instead. They are
/// refused even where the tz database has an entry of that name, because
/// writers use them loosely (EST in July means EDT).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("EST", "America/New_York or -05:00"),
    ("EDT", "America/New_York or -04:00"),
    (
        "CST",
        "America/Chicago or -06:00 (or Asia/Shanghai for China)",
    ),
    ("CDT", "America/Chicago or -05:00"),
    (
        "MST",
        "America/Denver or -07:00 (America/Phoenix has no DST)",
    ),
    ("MDT", "America/Denver or -06:00"),
    ("PST", "America/Los_Angeles or -08:00"),
    ("PDT", "America/Los_Angeles or -07:00"),
    ("AKST", "America/Anchorage or -09:00"),
    ("HST", "Pacific/Honolulu or -10:00"),
    ("GMT", "Europe/London (which also covers BST) or UTC"),
    ("BST", "Europe/London or +01:00"),
    (
        "IST",
        "Asia/Kolkata (+05:30), Europe/Dublin or Asia/Jerusalem",
    ),
    ("WET", "Europe/Lisbon or +00:00"),
    ("WEST", "Europe/Lisbon or +01:00"),
    ("CET", "Europe/Berlin or +01:00"),
    ("CEST", "Europe/Berlin or +02:00"),
    ("MET", "Europe/Berlin or +01:00"),
    ("EET", "Europe/Athens or +02:00"),
    ("EEST", "Europe/Athens or +03:00"),
    ("MSK", "Europe/Moscow or +03:00"),
    ("SAST", "Africa/Johannesburg or +02:00"),
    ("WAT", "Africa/Lagos or +01:00"),
    ("EAT", "Africa/Nairobi or +03:00"),
    ("CAT", "Africa/Maputo or +02:00"),
    ("JST", "Asia/Tokyo or +09:00"),
    ("KST", "Asia/Seoul or +09:00"),
    ("HKT", "Asia/Hong_Kong or +08:00"),
    ("SGT", "Asia/Singapore or +08:00"),
    ("PKT", "Asia/Karachi or +05:00"),
    ("AEST", "Australia/Sydney or +10:00"),
    ("AEDT", "Australia/Sydney or +11:00"),
    ("ACST", "Australia/Adelaide or +09:30"),
    ("AWST", "Australia/Perth or +08:00"),
    ("NZST", "Pacific/Auckland or +12:00"),
    ("NZDT", "Pacific/Auckland or +13:00"),
    ("BRT", "America/Sao_Paulo or -03:00"),
];

/// The advice for a zone abbreviation, if `word` is one.
pub fn abbreviation_advice(word: &str) -> Option<String> {
    let upper = word.to_ascii_uppercase();
    ABBREVIATIONS
        .iter()
        .find(|(abbr, _)| *abbr == upper)
        .map(|(abbr, use_instead)| format!("{abbr} is ambiguous to machines; use {use_instead}"))
}

/// Reads a zone as written in `timezone:` or `site.toml`: `UTC`, `Z`, a
/// numeric offset or an IANA name. Abbreviations are refused with advice.
pub fn parse_zone(name: &str) -> Result<TimeZone, String> {
    let name = name.trim();
    if matches!(name, "UTC" | "Z" | "Etc/UTC" | "utc") {
        return Ok(TimeZone::UTC);
    }
    if let Some(advice) = abbreviation_advice(name) {
        return Err(advice);
    }
    if let Some((offset, len)) = scan_offset(name)
        && len == name.len()
    {
        return Ok(TimeZone::fixed(offset));
    }
    if name.is_empty() {
        return Err(
            "the timezone is empty; write an IANA name such as Europe/Berlin, or UTC".into(),
        );
    }
    TimeZone::get(name).map_err(|_| {
        let db = jiff::tz::db();
        let names: Vec<String> = db.available().map(|n| n.as_str().to_string()).collect();
        match crate::text::suggest(name, names.iter().map(String::as_str)) {
            Some(s) => format!("unknown timezone `{name}`; did you mean `{s}`?"),
            None => format!(
                "unknown timezone `{name}`; write an IANA name such as Europe/Berlin or America/New_York, or an offset such as +02:00"
            ),
        }
    })
}
