//! An archive migrated from another tool (`tests/fixtures/migrated`):
//! `required_fields` without `title` and `end`, a start that is a date
//! alone, aliases into nested fields, value maps, a body without
//! headings; and the configuration errors that guard these settings.

use super::support::SiteTest;

const EDGE: &str = "incidents/2024-03-02-edge-resets/index.html";
const BILLING: &str = "incidents/2023-11-20-billing-export/index.html";
const RESOLVER: &str = "incidents/2022-07-14-resolver-flaps/index.html";

fn built() -> SiteTest {
    let site = SiteTest::new("migrated");
    site.build_clean();
    site
}

/// `dt` → `dd` text of the key facts of an incident page.
fn facts(site: &SiteTest, page: &str) -> Vec<String> {
    site.page(page).texts(".facts > div")
}

#[test]
fn an_unknown_end_is_shown_counted_and_left_out_of_durations() {
    let site = built();
    let billing = facts(&site, BILLING);
    assert!(billing.contains(&"End unknown".to_string()), "{billing:?}");
    assert!(billing.contains(&"Duration end unknown".to_string()));
    assert!(billing.contains(&"Time to detect 1h 10m by customer".to_string()));
    let home = site.page("index.html");
    assert_eq!(
        home.texts(".incident-row .duration-text"),
        ["45m", "end unknown", "end unknown"]
    );
    assert_eq!(
        home.all(".incident-row .duration svg").len(),
        1,
        "no duration bar without a duration"
    );
    assert_eq!(
        home.texts(".figures dd"),
        ["3", "45m", "45m", "1h 10m"],
        "counted in the total, not in downtime or the median time to resolve"
    );
    let stats = site.page("stats/index.html");
    assert_eq!(stats.texts(".figures dd")[0], "3");
    let descs = stats.texts("svg.chart desc");
    assert!(
        descs.iter().any(
            |d| d.starts_with("Number of incidents by how long they lasted.")
                && d.ends_with("2 incidents whose duration is unknown are left out.")
        ),
        "{descs:?}"
    );
    let feed = std::fs::read_to_string(site.output("atom.xml")).unwrap();
    assert_eq!(
        feed.matches("<entry>").count(),
        3,
        "every incident is in the feed"
    );
    assert!(feed.contains("SEV1 · end unknown · November invoices"));
}

#[test]
fn the_title_falls_back_to_the_first_heading_then_the_file_name() {
    let site = built();
    let billing = site.page(BILLING);
    assert_eq!(
        billing.texts("h1.page-title"),
        ["Billing export stalled on the month-end run"]
    );
    let resolver = site.page(RESOLVER);
    assert_eq!(
        resolver.texts("h1.page-title"),
        ["2022-07-14-resolver-flaps"]
    );
}

#[test]
fn a_start_that_is_a_date_alone_places_the_incident_on_that_day() {
    let site = built();
    let page = site.page(RESOLVER);
    assert_eq!(
        page.texts(".facts > div")[0],
        "Start 2022-07-14 time unknown"
    );
    assert_eq!(page.attrs(".facts time", "datetime"), ["2022-07-14"]);
    assert_eq!(page.attrs(".badges time", "datetime"), ["2022-07-14"]);
    assert_eq!(
        page.attrs(".timeline time", "datetime"),
        ["2022-07-14T09:10:00+01:00", "2022-07-14T09:40:00+01:00"],
        "times without a date take the start's date, in the site's zone"
    );
    assert_eq!(
        page.texts(".timeline .offset"),
        ["", ""],
        "no offsets from an unknown time"
    );
    assert_eq!(
        page.texts(".phases desc"),
        ["Only its date is known, not its times."]
    );
    let home = site.page("index.html");
    assert_eq!(home.texts(".year-group h2 a"), ["2024", "2023", "2022"]);
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.output("incidents.json")).unwrap()).unwrap();
    let resolver = &export["incidents"][2];
    assert_eq!(resolver["start"], "2022-07-14T00:00:00+01:00");
    assert_eq!(resolver["start_date_only"], true);
    assert!(resolver["end"].is_null() && resolver["duration_minutes"].is_null());
    assert!(resolver["timeline"][0]["offset_minutes"].is_null());
    assert_eq!(export["incidents"][0]["duration_minutes"], 45);
}

#[test]
fn aliases_fill_nested_fields_and_value_maps_translate_old_words() {
    let site = built();
    let page = site.page(EDGE);
    assert_eq!(page.texts(".badges .badge"), ["SEV2 · Major"], "p2 → SEV2");
    assert_eq!(
        page.texts(".impact"),
        ["Uploads that took longer than a minute failed and had to start again"],
        "summary → impact.summary"
    );
    let edge = facts(&site, EDGE);
    assert!(edge.contains(&"Users affected 12%".to_string()), "{edge:?}");
    assert!(page.all(".status-flag").is_empty(), "Published → final");
    assert_eq!(
        site.page(BILLING).texts(".badges .badge"),
        ["SEV1 · Critical"],
        "Critical → SEV1"
    );
}

#[test]
fn a_body_without_headings_takes_the_full_width() {
    let site = built();
    let page = site.page(EDGE);
    assert!(page.all("nav.toc").is_empty());
    assert_eq!(page.all(".incident-layout.no-toc").len(), 1);
    assert_eq!(
        page.all(".incident-layout.no-toc > .prose.body > p").len(),
        3
    );
    let with_headings = site.page(BILLING);
    assert_eq!(with_headings.all("nav.toc").len(), 1);
    assert!(with_headings.all(".incident-layout.no-toc").is_empty());
}

#[test]
fn phases_that_are_not_known_are_drawn_as_unknown() {
    let site = built();
    let edge = site.page(EDGE);
    assert_eq!(edge.all(".phase-chart rect").len(), 1);
    assert_eq!(
        edge.texts(".phase-chart rect.phase-unknown title"),
        ["Start to resolved, not known in between"],
        "no detected or mitigated: not painted as mitigating"
    );
    assert_eq!(edge.texts(".phase-chart .unknown-label"), ["unknown"]);
    assert_eq!(edge.texts(".phases figcaption .key-unknown"), ["unknown"]);
    let billing = site.page(BILLING);
    assert_eq!(
        billing.texts(".phase-chart rect title"),
        ["Time to detect: 1h 10m", "End unknown"]
    );
}

/// Runs `check` on the migrated archive with `from` replaced by `to` in
/// its `site.toml`; returns the exit code and stderr.
fn check_with(from: &str, to: &str) -> (Option<i32>, String) {
    let site = SiteTest::new("migrated");
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    assert!(toml.contains(from), "{from}");
    site.write("site.toml", &toml.replace(from, to));
    let out = site.run(&["check"]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn names_in_site_toml_that_are_not_fields_are_configuration_errors() {
    let (code, stderr) = check_with("closed = \"end\"", "closed = \"edn\"");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("site.toml:17:10"), "{stderr}");
    assert!(
        stderr.contains("the alias `closed` maps to `edn`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `end`?"), "{stderr}");
    let (code, stderr) = check_with(
        "[front_matter.values.severity]",
        "[front_matter.defaults]\n\"impact.sumary\" = \"Unknown\"\n[front_matter.values.severity]",
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("did you mean `impact.summary`?"),
        "{stderr}"
    );
    let (code, stderr) = check_with("ticket = \"customer\"", "ticket = \"helpdesk\"");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("maps to no detection"), "{stderr}");
}

#[test]
fn start_and_severity_cannot_be_made_optional() {
    for (fields, says) in [
        ("[\"severity\"]", "must include `start`"),
        (
            "[\"start\", \"title\"]",
            "[front_matter.defaults] severity = \"SEV3\"",
        ),
    ] {
        let (code, stderr) = check_with("[\"severity\", \"start\"]", fields);
        assert_eq!(code, Some(2));
        assert!(stderr.contains("site.toml:12:19"), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }
}
