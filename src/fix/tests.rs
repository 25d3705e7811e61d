//! Unit tests of fixing one file's text.

use std::path::Path;

use super::plan::{Planned, plan};
use crate::config::SiteConfig;

fn cfg() -> SiteConfig {
    SiteConfig::parse("title = \"t\"\n", Path::new("site.toml")).expect("valid site.toml")
}

const FRONT: &str = "---\ntitle: t\nseverity: SEV2\nstart: 2024-05-01 10:00\nend: 2024-05-01 11:00\ntimezone: UTC\n---\n";

fn fixed(body: &str) -> Planned {
    plan(&format!("{FRONT}{body}"), "2024/x.md", &cfg())
}

/// The fixed body, or the body unchanged when there is nothing to fix.
fn fixed_body(body: &str) -> String {
    let planned = fixed(body);
    let text = planned.fixed.unwrap_or_else(|| format!("{FRONT}{body}"));
    text[FRONT.len()..].to_string()
}

fn messages(body: &str) -> Vec<String> {
    fixed(body)
        .outcomes
        .iter()
        .map(|o| {
            let what = if o.fixed { "fixed" } else { "left" };
            format!("{}:{} {what}: {}", o.pos.line, o.pos.column, o.message)
        })
        .collect()
}

#[test]
fn section_names_on_lines_of_their_own_become_headings() {
    for (body, want) in [
        ("Timeline\n\n- 10:00 x\n", "## Timeline\n\n- 10:00 x\n"),
        ("**Root Cause:**\n\nA disk.\n", "## Root Cause\n\nA disk.\n"),
        ("**Root Cause**:\n\nA disk.\n", "## Root Cause\n\nA disk.\n"),
        (
            "*Action items*\n\n- [ ] x\n",
            "## Action items\n\n- [ ] x\n",
        ),
        ("Timeline\nThe rest.\n", "## Timeline\nThe rest.\n"),
        (
            "# Notes\n\nSummary\n\nText.\n",
            "# Notes\n\n## Summary\n\nText.\n",
        ),
        (
            "## Summary\n\nText.\n\nTimeline\n\nMore.\n",
            "## Summary\n\nText.\n\n## Timeline\n\nMore.\n",
        ),
    ] {
        assert_eq!(fixed_body(body), want, "{body:?}");
    }
}

#[test]
fn html_headings_become_markdown_when_nothing_is_lost() {
    let body = "<h2>Timeline:</h2>\n<ul>\n<li>10:00 x</li>\n</ul>\n\n<h3>Root Cause &amp; Resolution</h3>\n";
    assert_eq!(
        fixed_body(body),
        "## Timeline\n<ul>\n<li>10:00 x</li>\n</ul>\n\n### Root Cause & Resolution\n"
    );
    let kept = "<h2 class=\"wide\">Timeline:</h2>\n\n<h2><a name=\"rc\"></a>Root Cause</h2>\n\n<h2>Notes:</h2>\n\n<h2>Resolution<!-- draft --></h2>\n";
    assert_eq!(
        fixed_body(kept),
        "<h2 class=\"wide\">Timeline</h2>\n\n<h2><a name=\"rc\"></a>Root Cause</h2>\n\n<h2>Notes:</h2>\n\n<h2>Resolution<!-- draft --></h2>\n"
    );
    let said = messages(kept);
    assert_eq!(said.len(), 4, "{said:#?}");
    assert!(said[0].starts_with("8:1 left: this HTML heading has attributes (`class=\"wide\"`)"));
    assert_eq!(
        said[1],
        "8:1 fixed: `<h2 class=\"wide\">Timeline:</h2>` is now `<h2 class=\"wide\">Timeline</h2>`"
    );
    assert!(said[2].starts_with("10:1 left: this HTML heading has markup inside"));
    assert!(said[3].starts_with("14:1 left: this HTML heading has markup inside"));
}

#[test]
fn html_headings_inside_larger_html_stay() {
    let body = "<div>\n<h2>Timeline</h2>\n<p>10:00 x</p>\n</div>\n\n<p>a</p><h2>Root Cause</h2>\n";
    assert_eq!(fixed_body(body), body);
    let said = messages(body);
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(
        said[0].starts_with("9:1 left: this heading is left as written"),
        "{said:#?}"
    );
    assert!(said[1].starts_with("13:9 left: this HTML heading shares its line"));
}

#[test]
fn trailing_colons_on_headings_go() {
    for (body, want) in [
        ("## Timeline:\n", "## Timeline\n"),
        ("## Timeline :\n", "## Timeline\n"),
        ("## Resolution: ##\n", "## Resolution ##\n"),
        ("## **Timeline:**\n", "## **Timeline**\n"),
        ("## Timeline: {#tl}\n", "## Timeline {#tl}\n"),
        ("### Notes:\n", "### Notes\n"),
        ("Root Cause:\n===\n", "Root Cause\n===\n"),
        ("## Time\\:\n", "## Time\\:\n"),
    ] {
        assert_eq!(fixed_body(body), want, "{body:?}");
    }
}

#[test]
fn a_fix_that_would_change_the_text_after_it_is_left() {
    // After `## Timeline`, `2. …` would start a numbered list; in the
    // paragraph it is plain text.
    let body = "Timeline\n2. Alert fires\n\nRoot Cause\n\nA disk.\n";
    assert_eq!(
        fixed_body(body),
        "Timeline\n2. Alert fires\n\n## Root Cause\n\nA disk.\n"
    );
    let said = messages(body);
    assert!(said[0].starts_with("8:1 left: this heading is left as written"));
}

#[test]
fn fixing_twice_changes_nothing() {
    let body = "Timeline\n\n- 10:00 x\n\n**Root Cause:**\n\n<h2>Resolution:</h2>\n\n## Action Items:\n\n- [ ] Add alert (@sre, due Jan 5, 2027)\n- [ ] Move it (due 5.1.2027, was due 4.1.2027)\n";
    let once = fixed(body).fixed.expect("fixes");
    let again = plan(&once, "2024/x.md", &cfg());
    assert!(again.fixed.is_none(), "{once}");
    assert!(again.outcomes.is_empty(), "{:#?}", again.outcomes);
}

#[test]
fn line_ends_and_byte_order_mark_are_kept() {
    let text = format!("\u{feff}{FRONT}Timeline\n\n- 10:00 x\n").replace('\n', "\r\n");
    let fixed = plan(&text, "x.md", &cfg()).fixed.expect("a fix");
    assert_eq!(
        fixed,
        text.replace("\r\nTimeline\r\n", "\r\n## Timeline\r\n")
    );
    let lone = format!("{FRONT}Timeline\r\r- 10:00 x\n");
    let planned = plan(&lone, "x.md", &cfg());
    assert!(planned.fixed.is_none());
    assert!(planned.outcomes[0].message.contains("lone carriage return"));
}

fn zone_fix(front: &str, body: &str) -> (Option<String>, Vec<String>) {
    let text = format!("---\n{front}---\n{body}");
    let planned = plan(&text, "x.md", &cfg());
    let messages = planned.outcomes.iter().map(|o| o.message.clone()).collect();
    let zone = planned.fixed.map(|t| {
        let line = t.lines().find(|l| l.contains("timezone")).unwrap_or("");
        line.to_string()
    });
    (zone, messages)
}

const TIMES: &str = "title: t\nseverity: SEV2\nstart: 2024-07-01 10:00\nend: 2024-07-01 11:00\n";

#[test]
fn zone_abbreviations_with_one_region_become_its_zone() {
    for (written, want) in [
        ("timezone: PDT\n", "timezone: America/Los_Angeles"),
        ("timezone: pst\n", "timezone: America/Los_Angeles"),
        ("timezone: \"CEST\"\n", "timezone: \"Europe/Berlin\""),
        (
            "timezone: 'EST' # New York\n",
            "timezone: 'America/New_York' # New York",
        ),
    ] {
        let (zone, said) = zone_fix(&format!("{TIMES}{written}"), "");
        assert_eq!(zone.as_deref(), Some(want), "{written}");
        assert!(said[0].starts_with("`timezone` is now `"), "{said:?}");
    }
    let toml = "+++\ntitle = \"t\"\nseverity = \"SEV2\"\nstart = \"2024-07-01 10:00\"\nend = \"2024-07-01 11:00\"\ntimezone = \"JST\"\n+++\n";
    let fixed = plan(toml, "x.md", &cfg()).fixed.expect("a fix");
    assert!(fixed.contains("timezone = \"Asia/Tokyo\""), "{fixed}");
}

#[test]
fn ambiguous_zone_abbreviations_need_the_text_to_settle_them() {
    let front = format!("{TIMES}timezone: IST\n");
    let (zone, said) = zone_fix(&front, "## Timeline\n\n- 10:00 x\n");
    assert_eq!(zone, None);
    assert_eq!(
        said,
        [
            "`IST` may mean Asia/Kolkata, Europe/Dublin or Asia/Jerusalem, and nothing else in the file settles which; set `timezone` to the zone meant"
        ]
    );
    for body in [
        "All times in India Standard Time.\n\n## Timeline\n\n- 10:00 x\n",
        "## Timeline (UTC+05:30)\n\n- 10:00 x\n",
        "## Timeline\n\n- 10:00 UTC+5:30 alert fires\n",
    ] {
        let (zone, _) = zone_fix(&front, body);
        assert_eq!(zone.as_deref(), Some("timezone: Asia/Kolkata"), "{body}");
    }
    let offset = front.replace(
        "start: 2024-07-01 10:00",
        "start: 2024-07-01T10:00:00+05:30",
    );
    let (zone, _) = zone_fix(&offset, "");
    assert_eq!(zone.as_deref(), Some("timezone: Asia/Kolkata"));
    // UTC says nothing about a team's own zone.
    let utc = front.replace("start: 2024-07-01 10:00", "start: 2024-07-01T04:30:00Z");
    assert_eq!(zone_fix(&utc, "").0, None);
    let (zone, _) = zone_fix(&front, "All times in UTC.\n\n## Timeline\n\n- 10:00 x\n");
    assert_eq!(zone, None);
    let cst = format!("{TIMES}timezone: CST\n");
    let (zone, _) = zone_fix(&cst, "## Timeline (all times Central Time)\n\n- 10:00 x\n");
    assert_eq!(zone.as_deref(), Some("timezone: America/Chicago"));
    let (zone, said) = zone_fix(&cst, "## Timeline\n\n- 10:00 JST x\n");
    assert_eq!(zone, None);
    assert!(said[0].contains("none of these fits the zones the file writes elsewhere (JST)"));
}

#[test]
fn zones_that_are_fine_or_unknown_are_not_touched() {
    for written in [
        "timezone: Europe/Paris\n",
        "timezone: UTC\n",
        "timezone: Mars/Olympus\n",
    ] {
        let (zone, said) = zone_fix(&format!("{TIMES}{written}"), "");
        assert_eq!((zone, said.len()), (None, 0), "{written}");
    }
}

#[test]
fn due_dates_of_task_lists_become_iso() {
    let body = "## Action Items\n\n- [ ] Add alert (@sre, due Jan 5, 2027)\n- [x] Rotate keys\n  due 05.01.2027\n- Plain item, due Jan 6, 2027\n- [ ] Review (due 01/02/2027)\n";
    assert_eq!(
        fixed_body(body),
        "## Action Items\n\n- [ ] Add alert (@sre, due 2027-01-05)\n- [x] Rotate keys\n  due 2027-01-05\n- Plain item, due Jan 6, 2027\n- [ ] Review (due 01/02/2027)\n"
    );
    let said = messages(body);
    assert_eq!(
        said.last().map(String::as_str),
        Some(
            "14:19 left: the due date `01/02/2027` reads as 1 February or as January 2; write it as YYYY-MM-DD"
        )
    );
}

#[test]
fn the_report_names_file_line_and_column_of_everything() {
    use super::{FileReport, Mode, Outcome, Report};
    use crate::diagnostic::Pos;
    let outcomes = vec![
        Outcome::fixed(Pos::new(3, 1, 8), "`Timeline` is now `## Timeline`"),
        Outcome::left(Pos::new(9, 5, 3), "`IST` may mean …"),
    ];
    let file = |name: &str, error: Option<&str>| FileReport {
        file: name.into(),
        outcomes: outcomes.clone(),
        diff: String::new(),
        error: error.map(str::to_string),
    };
    let report = Report {
        files: vec![
            file("content/a.md", None),
            file("content/b.md", Some("cannot replace it: read-only")),
        ],
        mode: Mode::Write,
    };
    assert_eq!(
        report.lines(),
        [
            "content/a.md:3:1: fixed: `Timeline` is now `## Timeline`",
            "content/a.md:9:5: left as written: `IST` may mean …",
            "content/b.md:1:1: error: the fixes could not be written: cannot replace it: read-only; the file is unchanged",
            "content/b.md:9:5: left as written: `IST` may mean …",
            "Made 1 fix in 1 file; 2 problems left as written.",
        ]
    );
    assert_eq!(report.failed(), 1);
    let dry = Report {
        mode: Mode::DryRun,
        ..report
    };
    assert!(dry.lines()[0].starts_with("content/a.md:3:1: would fix: "));
    assert!(dry.lines()[4].ends_with("(dry run: nothing written)."));
}

/// Lines postmortems are made of, fixable or not, in any order.
const LINES: &[&str] = &[
    "",
    "",
    "Timeline",
    "**Root Cause:**",
    "*Action items*",
    "Summary:",
    "<h2>Summary:</h2>",
    "<h2 class=\"x\">Timeline:</h2>",
    "<h3>Resolution</h3><p>x</p>",
    "## Resolution:",
    "### Notes: ##",
    "Root Cause\\:",
    "- [ ] Add alert (@sre, due Jan 5, 2027)",
    "- [ ] Move it (due 05.01.2027, was due 04.01.2027)",
    "- [x] Review (due 03/04/2027)",
    "2. Second point",
    "1. First point",
    "    indented text",
    "<div>",
    "</div>",
    "All times in India Standard Time.",
    "> quoted Timeline",
    "📝 Timeline:",
    "| Time | Event |",
    "|---|---|",
    "| 10:00 | x |",
    "```",
    "===",
    "---",
    "- 10:00 UTC+5:30 alert",
    "Ré\u{AD}sumé with soft hyphen",
];

fn read_sections(text: &str) -> Vec<(u8, Option<crate::model::section::Section>)> {
    use crate::content::markdown::{LinkContext, render};
    let Ok(block) = crate::content::frontmatter::split(text) else {
        return Vec::new();
    };
    let nowhere = |_: &str| None;
    let config = cfg();
    let ctx = LinkContext {
        root: "/",
        dir: "",
        incident_path: &nowhere,
        html: false,
        sanitize: false,
        sections: &config.sections,
    };
    let offset = block.body_offset;
    render(&text[offset..], offset, &ctx)
        .headings
        .iter()
        .map(|h| (h.level, h.section()))
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the body, fixing never panics, keeps the sections as
    /// they were read, and a second run finds nothing to change.
    #[test]
    fn fixing_keeps_sections_and_settles_at_once(
        picks in proptest::collection::vec(0..LINES.len(), 0..14),
        crlf in proptest::bool::ANY,
    ) {
        let body: Vec<&str> = picks.iter().map(|&i| LINES[i]).collect();
        let front = FRONT.replace("timezone: UTC", "timezone: IST");
        let mut text = format!("{front}{}\n", body.join("\n"));
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let once = plan(&text, "x.md", &cfg());
        if let Some(fixed) = once.fixed {
            let normal = |t: &str| crate::text::normalize_newlines(t.to_string());
            proptest::prop_assert_eq!(read_sections(&normal(&fixed)), read_sections(&normal(&text)));
            let again = plan(&fixed, "x.md", &cfg());
            proptest::prop_assert!(again.fixed.is_none(), "{:?} → {:?}", fixed, again.fixed);
        }
    }
}
