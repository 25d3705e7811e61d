//! Property tests: the parsers never panic on arbitrary input, and what
//! they return stays within bounds.

use hindsight::config::SiteConfig;
use hindsight::content;
use hindsight::text::{is_valid_slug, slugify};
use hindsight::time;
use proptest::prelude::*;

fn cfg() -> SiteConfig {
    SiteConfig::parse("", std::path::Path::new("site.toml")).unwrap()
}

const FRONT: &str =
    "---\ntitle: t\nseverity: SEV2\nstart: 2024-01-01T10:00:00Z\nend: 2024-01-01T11:00:00Z\n---\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn time_scanning_never_panics(s in "\\PC{0,40}") {
        if let Some(Ok(stamp)) = time::scan_stamp(&s) {
            prop_assert!(stamp.len <= s.len());
            prop_assert!(s.is_char_boundary(stamp.len));
        }
        let _ = time::parse_datetime(&s);
    }

    #[test]
    fn times_like_the_format_always_scan(h in 0u32..24, m in 0u32..60) {
        let text = format!("{h:02}:{m:02} - event");
        let stamp = time::scan_stamp(&text).unwrap().unwrap();
        prop_assert_eq!(stamp.time.map(|t| (t.hour() as u32, t.minute() as u32)), Some((h, m)));
        let twelve = if h % 12 == 0 { 12 } else { h % 12 };
        let text = format!("{twelve}:{m:02} {} - event", if h < 12 { "a.m." } else { "PM" });
        let stamp = time::scan_stamp(&text).unwrap().unwrap();
        prop_assert_eq!(stamp.time.map(|t| (t.hour() as u32, t.minute() as u32)), Some((h, m)));
    }

    #[test]
    fn slugs_are_always_url_safe(s in "\\PC{0,30}") {
        let slug = slugify(&s);
        prop_assert!(is_valid_slug(&slug), "{:?} -> {:?}", s, slug);
    }

    #[test]
    fn any_file_loads_without_panicking(text in "\\PC{0,400}") {
        let cfg = cfg();
        let (_, diagnostics) = content::load_text("content/x.md", &text, &cfg);
        for d in diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1);
        }
    }

    #[test]
    fn any_body_loads_without_panicking(body in "(\\PC|\n|- |## |\\* |`|\\[|\\]|\\(|\\)|[0-9]{1,2}:[0-9]{2} ){0,60}") {
        let cfg = cfg();
        let text = format!("{FRONT}{body}");
        let (incident, _) = content::load_text("content/x.md", &text, &cfg);
        prop_assert!(incident.is_some());
    }

    #[test]
    fn any_front_matter_loads_without_panicking(fm in "([a-z_]{1,10}: (\\PC{0,12}|\\[[a-z, ]{0,10}\\])\n|  - [a-z]{1,5}: [a-z0-9:-]{0,10}\n){0,12}") {
        let cfg = cfg();
        let text = format!("---\n{fm}---\n\n## Timeline\n\n- 10:00 - x\n");
        let _ = content::load_text("content/x.md", &text, &cfg);
    }
}

/// Every input fuzzing ever found (tests/fixtures/fuzz/) goes through
/// every stage without a panic.
#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        hindsight::fuzzing::single_file(&String::from_utf8_lossy(&bytes));
        count += 1;
    }
    assert!(count >= 1);
}
