//! Timeline parsing: every line of the input is a list item.
#![no_main]

use hindsight::content::markdown::Item;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let items: Vec<Item> = text
        .lines()
        .enumerate()
        .map(|(i, line)| Item { text: line.to_string(), offset: i * 10, depth: 0, task: None })
        .collect();
    let refs: Vec<&Item> = items.iter().collect();
    let start = "2024-04-18T07:30:00Z".parse().expect("a valid instant");
    let zone = jiff::tz::TimeZone::get("America/New_York").expect("a bundled zone");
    let _ = hindsight::content::timeline::parse(&refs, start, &zone);
});
