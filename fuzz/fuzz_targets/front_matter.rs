//! Front-matter splitting and parsing (YAML and TOML) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let text = hindsight::text::normalize_newlines(text.to_string());
    if let Ok(block) = hindsight::content::frontmatter::split(&text) {
        let _ = hindsight::content::yaml::parse(block.text);
    }
    let _ = hindsight::time::parse_datetime(&text);
});
