//! Postmortems written with other templates (`tests/fixtures/forms`):
//! each file is one real-world form of headings, timelines, zones or
//! action items, and must give the sections, events, action items and
//! findings written in it, no more and no fewer.

use hindsight::model::Incident;
use hindsight::model::section::{self, Found, Section};
use hindsight::site::{self, Checked};

use super::support::SiteTest;

fn checked() -> (SiteTest, Checked) {
    let site = SiteTest::new("forms");
    let checked = site::check(&site.options()).expect("check runs");
    (site, checked)
}

fn incident<'a>(checked: &'a Checked, slug: &str) -> &'a Incident {
    checked
        .archive
        .incidents
        .iter()
        .find(|i| i.slug == slug)
        .unwrap_or_else(|| panic!("no incident {slug}"))
}

/// `line level rule` of each finding of one file.
fn findings(checked: &Checked, slug: &str) -> Vec<String> {
    let file = format!("content/{slug}.md");
    checked
        .diagnostics
        .iter()
        .filter(|d| d.file == file)
        .map(|d| format!("{} {} {}", d.line, d.level, d.rule))
        .collect()
}

/// The 1-based line of the first line of `slug`'s file containing `needle`.
fn line_of(site: &SiteTest, slug: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(site.root.join(format!("content/{slug}.md"))).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {slug}"))
        + 1
}

/// The events as (UTC instant, text).
fn events(i: &Incident) -> Vec<(String, String)> {
    i.timeline
        .iter()
        .map(|e| (e.at.to_string(), e.text.clone()))
        .collect()
}

/// The action items as (task, owner, status).
fn actions(i: &Incident) -> Vec<(String, Option<String>, &'static str)> {
    i.action_items
        .iter()
        .map(|a| (a.task.clone(), a.owner.clone(), a.status.word()))
        .collect()
}

fn has(i: &Incident, section: Section) -> bool {
    section::find(&i.body.headings, section) != Found::Missing
}

fn ev(at: &str, text: &str) -> (String, String) {
    (at.to_string(), text.to_string())
}

#[test]
fn every_file_is_read_and_only_the_real_problems_are_reported() {
    let (site, checked) = checked();
    assert_eq!(checked.archive.incidents.len(), 8);
    for i in &checked.archive.incidents {
        for s in [Section::Timeline, Section::Measures] {
            assert!(has(i, s), "{}: {s:?} not found", i.slug);
        }
        assert!(!i.timeline.is_empty(), "{}: no events", i.slug);
    }
    let none: Vec<String> = Vec::new();
    for slug in [
        "table-timeline",
        "heading-per-event",
        "plain-lines",
        "key-facts",
    ] {
        assert_eq!(findings(&checked, slug), none, "{slug}");
    }
    let at = |slug: &str, needle: &str| line_of(&site, slug, needle);
    assert_eq!(
        findings(&checked, "bold-headings"),
        [format!(
            "{} warning heading-style",
            at("bold-headings", "Summary")
        )]
    );
    assert_eq!(
        findings(&checked, "html-report"),
        [format!("{} warning blame", at("html-report", "careless"))],
        "blame sees the text of HTML paragraphs"
    );
    assert_eq!(
        findings(&checked, "zone-statement"),
        [format!(
            "{} warning timezone",
            at("zone-statement", "All times in CET")
        )]
    );
    assert_eq!(
        findings(&checked, "placeholders"),
        [
            format!("{} info placeholder", at("placeholders", "HH:MM")),
            format!("{} info placeholder", at("placeholders", "2022-05-??")),
        ]
    );
}

#[test]
fn a_table_timeline_with_date_rows_and_an_action_table() {
    let (_, checked) = checked();
    let i = incident(&checked, "table-timeline");
    assert_eq!(
        events(i),
        [
            ev("2021-06-22T08:21:00Z", "Node rotation starts"),
            ev(
                "2021-06-22T08:29:00Z",
                "First pods stuck in ContainerCreating — p99"
            ),
            ev("2021-06-22T09:40:00Z", "Rotation paused by hand"),
            ev(
                "2021-06-23T09:15:00Z",
                "Plugin version pinned, rotation resumed"
            ),
            ev("2021-06-23T10:05:00Z", "Last old node drained"),
        ]
    );
    let a = &i.action_items;
    assert_eq!(a.len(), 2);
    assert_eq!(
        (
            a[0].status.word(),
            a[0].ticket.as_deref(),
            a[0].due.map(|d| d.to_string())
        ),
        ("done", Some("PLAT-1"), Some("2021-07-01".to_string()))
    );
    assert_eq!(a[1].status.word(), "in-progress");
    assert_eq!(a[1].owner.as_deref(), Some("platform"));
}

#[test]
fn one_heading_per_event_under_a_stated_zone() {
    let (_, checked) = checked();
    let i = incident(&checked, "heading-per-event");
    assert_eq!(
        events(i),
        [
            ev("2017-09-27T20:06:00Z", "Logins start failing"),
            ev("2017-09-27T20:35:00Z", "Deploy identified"),
            ev("2017-09-27T21:08:00Z", "The old secret was restored."),
            ev("2017-09-27T22:25:00Z", "Sessions confirmed working"),
        ]
    );
    assert_eq!(
        actions(i),
        [
            ("Read the cookie secret from the vault".into(), None, "done"),
            (
                "Alert on a sudden rise of 403 responses".into(),
                None,
                "open"
            ),
            ("Document the secret in the README".into(), None, "done"),
        ]
    );
}

#[test]
fn plain_lines_under_date_lines_with_decorated_times() {
    let (_, checked) = checked();
    let i = incident(&checked, "plain-lines");
    assert_eq!(
        events(i),
        [
            ev("2015-10-21T09:20:00Z", "Queue depth starts rising"),
            ev("2015-10-21T09:43:00Z", "Alert fires and is acknowledged"),
            ev("2015-10-21T10:05:00Z", "Worker pool restarted, no effect"),
            ev("2015-10-22T08:50:00Z", "Stuck job found and removed"),
            ev("2015-10-22T10:00:00Z", "Queue empty"),
        ]
    );
    assert_eq!(
        actions(i),
        [
            (
                "Give each job a timeout".into(),
                Some("deploy-team".into()),
                "open"
            ),
            ("Run two workers".into(), None, "done"),
        ]
    );
}

#[test]
fn a_report_written_in_html() {
    let (_, checked) = checked();
    let i = incident(&checked, "html-report");
    let texts: Vec<&str> = i.body.headings.iter().map(|h| h.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Web shop served errors after a cache change",
            "Issue Summary:",
            "Timeline:",
            "Root Cause and Resolution:",
            "Action Items:"
        ]
    );
    assert_eq!(
        events(i),
        [
            ev("2023-08-10T08:00:00Z", "Cache change deployed."),
            ev("2023-08-10T08:20:00Z", "Error rate alert."),
            ev("2023-08-10T11:30:00Z", "Cache rule reverted, errors gone."),
        ]
    );
    assert_eq!(
        actions(i),
        [
            ("Never cache error responses".into(), None, "open"),
            ("Review the deploy log by hand".into(), None, "done"),
        ]
    );
    assert!(i.body.words > 40, "HTML prose is counted: {}", i.body.words);
    assert!(
        i.summary.starts_with("For three and a half hours"),
        "{}",
        i.summary
    );
}

#[test]
fn bold_and_plain_lines_as_section_headings() {
    let (_, checked) = checked();
    let i = incident(&checked, "bold-headings");
    // 07:00 CET is 06:00 UTC: the zone comes from `**Timeline (CET):**`.
    let at: Vec<String> = i.timeline.iter().map(|e| e.at.to_string()).collect();
    assert_eq!(
        at,
        [
            "2024-02-14T06:00:00Z",
            "2024-02-14T06:45:00Z",
            "2024-02-14T08:10:00Z"
        ]
    );
    assert_eq!(
        actions(i),
        [(
            "Sort snapshots by their creation time".into(),
            Some("search-team".into()),
            "open"
        )]
    );
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.rule.id() == "heading-style")
        .expect("a heading-style finding");
    assert_eq!(
        d.message,
        "`Summary` on line 11 is plain text; write `## Summary` so it is a heading (4 more sections are written this way)"
    );
}

#[test]
fn a_stated_zone_applies_and_a_disagreement_is_reported() {
    let (_, checked) = checked();
    let i = incident(&checked, "zone-statement");
    assert_eq!(
        events(i),
        [
            ev("2023-05-04T19:00:00Z", "Timeouts to the partner rise"),
            ev("2023-05-04T19:30:00Z", "Retries disabled"),
            ev(
                "2023-05-04T19:50:00Z",
                "Partner confirms a fix (they report in their own zone)"
            ),
            ev("2023-05-04T20:55:00Z", "Backlog processed"),
        ]
    );
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.rule.id() == "timezone")
        .expect("a timezone finding");
    assert!(
        d.message.contains("CET (+01:00)") && d.message.contains("America/New_York (−04:00"),
        "{}",
        d.message
    );
    assert_eq!(
        actions(i),
        [(
            "add a circuit breaker around the partner client".into(),
            None,
            "open"
        )]
    );
}

#[test]
fn placeholders_are_left_out_of_the_timeline() {
    let (_, checked) = checked();
    let i = incident(&checked, "placeholders");
    let at: Vec<String> = i.timeline.iter().map(|e| e.at.to_string()).collect();
    assert_eq!(at, ["2022-05-10T01:00:00Z", "2022-05-10T04:00:00Z"]);
    assert_eq!(
        actions(i),
        [("Move the export to its own replica".into(), None, "open")]
    );
    // Notes never fail a check, even a strict one.
    assert!(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.rule.id() == "placeholder")
            .all(|d| d.level == hindsight::diagnostic::Level::Info)
    );
}

#[test]
fn key_facts_written_as_bold_labels_stand_for_their_sections() {
    let (_, checked) = checked();
    let i = incident(&checked, "key-facts");
    let labels: Vec<Section> = i.body.labels.iter().map(|l| l.kind.section).collect();
    assert_eq!(
        labels,
        [
            Section::Summary,
            Section::Impact,
            Section::RootCause,
            Section::RootCause,
            Section::Resolution,
            Section::Detection
        ]
    );
    let at: Vec<String> = i.timeline.iter().map(|e| e.at.to_string()).collect();
    assert_eq!(
        at,
        [
            "2024-10-03T14:10:00Z",
            "2024-10-03T14:14:00Z",
            "2024-10-03T14:40:00Z",
            "2024-10-03T15:02:00Z"
        ]
    );
    let tickets: Vec<Option<&str>> = i.action_items.iter().map(|a| a.ticket.as_deref()).collect();
    assert_eq!(tickets, [Some("SEC-101"), Some("SRE-202")]);
}

#[test]
fn html_and_bold_headings_get_anchors_and_contents_entries() {
    let site = SiteTest::new("forms");
    let report = site.build();
    assert!(report.written.is_some(), "{:#?}", report.diagnostics);
    let page = site.page("incidents/html-report/index.html");
    let toc = page.attrs(".toc a", "href");
    assert_eq!(
        &toc[..4],
        [
            "#issue-summary",
            "#timeline",
            "#root-cause-and-resolution",
            "#action-items"
        ]
    );
    for id in [
        "issue-summary",
        "timeline",
        "root-cause-and-resolution",
        "action-items",
    ] {
        assert_eq!(
            page.attrs(&format!("h2#{id} a.anchor"), "href"),
            [format!("#{id}")],
            "{id}"
        );
    }
    assert_eq!(page.attrs("h2#issue-summary", "class"), ["section"]);
    let page = site.page("incidents/bold-headings/index.html");
    assert_eq!(
        page.texts(".prose h2"),
        [
            "Summary #",
            "Timeline (CET): #",
            "Root Cause: #",
            "Resolution #",
            "Corrective and Preventative Measures #"
        ]
    );
    assert_eq!(
        page.texts(".prose p strong"),
        ["Incident report: search served stale results"],
        "a bold line that names no section stays a paragraph"
    );
}
