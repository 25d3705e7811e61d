//! Every page kind of the built fixture archive: links, counts and facts.

use super::support::{SiteTest, text};

fn built() -> SiteTest {
    let site = SiteTest::new("basic");
    site.build_clean();
    site
}

const SLUGS_NEWEST_FIRST: [&str; 4] = [
    "2024-03-31-db-failover",
    "2023-11-05-disk-full",
    "2023-02-01-cert-expiry",
    "2022-06-10-cdn-cache",
];

#[test]
fn home_lists_incidents_newest_first_grouped_by_year() {
    let site = built();
    let home = site.page("index.html");
    let links = home.attrs(".incident-row .row-title", "href");
    let expected: Vec<String> = SLUGS_NEWEST_FIRST
        .iter()
        .map(|s| format!("/archive/incidents/{s}/"))
        .collect();
    assert_eq!(links, expected);
    assert_eq!(home.texts(".year-group h2 a"), ["2024", "2023", "2022"]);
    assert_eq!(
        home.texts(".year-group h2 .count"),
        ["1 incident", "2 incidents", "1 incident"]
    );
    assert_eq!(
        home.texts(".incident-row .badge"),
        ["SEV2", "SEV3", "SEV1", "SEV4"]
    );
    assert_eq!(
        home.texts(".incident-row .date"),
        ["2024-03-31", "2023-11-05", "2023-02-01", "2022-06-10"]
    );
    assert_eq!(
        home.texts(".incident-row .duration-text"),
        ["1h 15m", "55m", "1h 30m", "7m"]
    );
    let figures = home.texts(".figures dd");
    assert_eq!(
        figures,
        ["4", "3h 47m", "1h 5m", "3m"],
        "incidents, downtime, median TTR, median TTD"
    );
    assert_eq!(
        home.texts(".intro strong"),
        ["fixture"],
        "_index.md prose is shown"
    );
    assert_eq!(
        home.attrs(".intro a", "href"),
        ["incidents/2024-03-31-db-failover/"]
    );
    let first_row = home.all(".incident-row")[0];
    let chips: Vec<String> = first_row
        .select(&scraper::Selector::parse(".chip").unwrap())
        .map(text)
        .collect();
    assert_eq!(chips, ["postgres", "checkout", "#database", "#dst"]);
}

#[test]
fn incident_page_shows_times_phases_timeline_and_actions() {
    let site = built();
    let page = site.page("incidents/2024-03-31-db-failover/index.html");
    assert_eq!(
        page.texts("h1"),
        ["Orders database failover on the DST night"]
    );
    assert_eq!(page.texts(".badges .badge"), ["SEV2 · Major"]);
    let facts: Vec<String> = page.texts(".facts > div");
    assert!(
        facts.contains(&"Start 2024-03-31 01:30 UTC+01:00 2024-03-31 00:30 UTC".to_string()),
        "{facts:?}"
    );
    assert!(
        facts.contains(&"End 2024-03-31 03:45 UTC+02:00 2024-03-31 01:45 UTC".to_string()),
        "{facts:?}"
    );
    assert!(facts.contains(&"Duration 1h 15m".to_string()), "{facts:?}");
    assert!(
        facts.contains(&"Time to detect 25m by monitoring".to_string()),
        "{facts:?}"
    );
    assert!(
        facts.contains(&"Time to mitigate 40m".to_string()),
        "{facts:?}"
    );
    assert!(
        facts.contains(&"Users affected 30%".to_string()),
        "{facts:?}"
    );
    assert_eq!(
        page.attrs(".facts .chip-service", "href"),
        ["/archive/services/postgres/", "/archive/services/checkout/"]
    );
    assert_eq!(
        page.attrs(".facts .chip-tag", "href"),
        ["/archive/tags/database/", "/archive/tags/dst/"]
    );
    // The timeline across the spring-forward gap: 03:10 CEST is 40 minutes in.
    assert_eq!(
        page.texts(".timeline .offset"),
        ["+0:00", "+0:25", "+0:40", "+1:15"]
    );
    assert_eq!(
        page.texts(".timeline time"),
        ["01:30", "01:55", "03:10", "03:45"]
    );
    assert_eq!(page.all(".phase-chart rect").len(), 3);
    assert_eq!(
        page.all("svg.phase-chart[role=img] title").len(),
        4,
        "chart title plus a title per phase"
    );
    let actions: Vec<String> = page.texts(".actions tbody tr");
    assert_eq!(
        actions,
        [
            "Alert on replica lag above 30 seconds db-team open 2099-01-01 detect",
            "Rehearse failover monthly sre done — process",
            "Replace the volume type storage-team open 2099-02-01 —",
            "Document the failover db-team done — —",
        ]
    );
    assert_eq!(
        page.attrs(".related-list a", "href"),
        ["/archive/incidents/2023-11-05-disk-full/"]
    );
    assert_eq!(
        page.attrs("a[rel=prev]", "href"),
        ["/archive/incidents/2023-11-05-disk-full/"]
    );
    assert!(
        page.all("a[rel=next]").is_empty(),
        "the newest incident has no newer neighbour"
    );
    let toc = page.attrs(".toc a", "href");
    assert_eq!(
        &toc[..4],
        [
            "#issue-summary",
            "#timeline",
            "#root-cause-and-resolution",
            "#corrective-and-preventative-measures"
        ]
    );
    assert_eq!(page.attrs(".body h2 .anchor", "href")[1], "#timeline");
    assert_eq!(
        page.attrs(".body a:not(.anchor)", "href"),
        [
            "#timeline",
            "/archive/incidents/2023-11-05-disk-full/#root-cause"
        ],
        "links to other postmortems' files become links to their pages"
    );
}

#[test]
fn midnight_crossing_and_local_times_without_offsets() {
    let site = built();
    let page = site.page("incidents/2023-11-05-disk-full/index.html");
    assert_eq!(
        page.texts(".timeline .offset"),
        ["+0:00", "+0:15", "+0:30", "+0:55"]
    );
    assert_eq!(
        page.texts(".timeline time"),
        ["23:40", "23:55", "2023-11-06 00:10", "00:35"]
    );
    let img = page.one(".body img");
    assert_eq!(img.value().attr("src"), Some("/archive/2023/chart.svg"));
    assert!(
        site.output("2023/chart.svg").is_file(),
        "assets beside postmortems are copied"
    );
    let page = site.page("incidents/2023-02-01-cert-expiry/index.html");
    assert_eq!(
        page.texts(".timeline time"),
        ["09:00", "09:05", "10:20", "10:30"]
    );
    assert_eq!(
        page.texts(".facts > div:first-child dd"),
        ["2023-02-01 09:00 UTC−05:00 2023-02-01 14:00 UTC"]
    );
    assert!(
        !page
            .all("pre.code[data-lang=bash] span[class^=hl-]")
            .is_empty(),
        "code is highlighted with classes"
    );
}

#[test]
fn taxonomy_pages_have_terms_counts_and_incidents() {
    let site = built();
    let tags = site.page("tags/index.html");
    assert_eq!(
        tags.texts(".term-list li a"),
        [
            "database",
            "cache",
            "certificate",
            "disk-full",
            "dst",
            "tls"
        ],
        "sorted by count, then name"
    );
    assert_eq!(
        tags.texts(".term-list li .count"),
        ["2", "1", "1", "1", "1", "1"]
    );
    let database = site.page("tags/database/index.html");
    assert_eq!(database.texts("h1"), ["database"]);
    assert_eq!(
        database.attrs(".row-title", "href"),
        [
            "/archive/incidents/2024-03-31-db-failover/",
            "/archive/incidents/2023-11-05-disk-full/"
        ]
    );
    assert_eq!(database.texts(".figures dd")[0], "2");
    let services = site.page("services/index.html");
    assert_eq!(
        services.texts(".term-list li a"),
        ["postgres", "api-gateway", "cdn", "checkout"]
    );
    let severity = site.page("severity/index.html");
    assert_eq!(
        severity.texts(".term-list li a"),
        ["SEV1", "SEV2", "SEV3", "SEV4"],
        "severity in configured order"
    );
    let sev1 = site.page("severity/sev1/index.html");
    assert_eq!(
        sev1.attrs(".row-title", "href"),
        ["/archive/incidents/2023-02-01-cert-expiry/"]
    );
    let year = site.page("years/2023/index.html");
    assert_eq!(year.all(".incident-row").len(), 2);
}

#[test]
fn stats_and_404() {
    let site = built();
    let stats = site.page("stats/index.html");
    assert_eq!(
        stats.texts("figure.chart-figure > figcaption"),
        [
            "Downtime per month",
            "Incidents per month by severity",
            "Median time to resolve by severity",
            "Duration distribution",
            "Incidents by detection method",
            "Incidents by weekday and hour",
            "Incidents per day in 2024",
            "Incidents per day in 2023",
            "Incidents per day in 2022",
        ]
    );
    assert_eq!(
        stats.all("figure.chart-figure svg[role=img] > title").len(),
        9,
        "every chart is an accessible image"
    );
    for chart in stats.all("svg.chart:not(.heatmap):not(.calendar)") {
        let rects = chart
            .select(&scraper::Selector::parse("rect.bar").unwrap())
            .count();
        assert!(rects > 0, "every bar chart draws bars");
    }
    let heatmap = stats.one("svg.heatmap");
    assert_eq!(
        heatmap
            .select(&scraper::Selector::parse("rect.cell").unwrap())
            .count(),
        7 * 24
    );
    // Sunday 2024-03-31 01:30 in Berlin, Sunday 2023-11-05 23:40 UTC, ...
    let cells: Vec<String> = heatmap
        .select(&scraper::Selector::parse("rect.cell:not([fill-opacity='0.00']) title").unwrap())
        .map(text)
        .collect();
    assert_eq!(
        cells,
        ["Wed 09h: 1", "Fri 12h: 1", "Sun 01h: 1", "Sun 23h: 1"]
    );
    let calendar = stats.one("#calendar-2023");
    let days: Vec<String> = calendar
        .select(&scraper::Selector::parse("tbody tr").unwrap())
        .map(text)
        .collect();
    assert_eq!(days, ["2023-02-01 1", "2023-11-05 1"]);
    assert_eq!(
        stats.texts("#by-severity ~ .table-wrap tbody th .badge"),
        ["SEV1", "SEV2", "SEV3", "SEV4"]
    );
    let sev1: Vec<String> = stats
        .all("#by-severity ~ .table-wrap tbody tr")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        sev1[0], "SEV1 SEV1 Critical 1 5m 5m 1h 20m 1h 20m 1h 30m 1h 30m 90",
        "MTTD, MTTM, MTTR with p90 and user-minutes"
    );
    let services: Vec<String> = stats
        .all("#by-service ~ .table-wrap tbody tr")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        services[0], "postgres 2 146d 12m 25m 40m 40m 1h 5m 1h 15m 25",
        "146 days between the two; median of 0 and 25 minutes to detect"
    );
    let distribution = stats.one("#chart-distribution");
    let rows: Vec<String> = distribution
        .select(&scraper::Selector::parse("tbody tr").unwrap())
        .map(text)
        .collect();
    assert_eq!(rows[0], "< 15m 1");
    assert_eq!(rows[2], "30m–1h 1");
    assert_eq!(rows[3], "1–2h 2");
    let not_found = site.page("404.html");
    assert_eq!(not_found.texts("h1"), ["Page not found"]);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = built();
    assert!(
        !site
            .output("incidents/2024-05-01-draft-outage/index.html")
            .exists()
    );
    assert!(!site.output("tags/capacity/index.html").exists());
    let opts = hindsight::site::SiteOptions {
        drafts: true,
        ..site.options()
    };
    hindsight::site::build(&opts, std::path::Path::new("public"), false).unwrap();
    let draft = site.page("incidents/2024-05-01-draft-outage/index.html");
    assert_eq!(draft.texts(".status-flag"), ["draft"]);
}

#[test]
fn phases_without_a_known_moment_are_drawn_as_unknown() {
    // Detected after a minute; when it was mitigated is not written.
    let site = built();
    let page = site.page("incidents/2022-06-10-cdn-cache/index.html");
    assert_eq!(
        page.attrs(".phase-chart rect", "class"),
        ["phase-detect", "phase-unknown"],
        "not painted as mitigating until the end"
    );
    assert_eq!(
        page.texts(".phase-chart rect title"),
        [
            "Time to detect: 1m",
            "Detected to resolved, not known in between"
        ]
    );
    assert_eq!(page.texts(".phase-chart .unknown-label"), ["unknown"]);
    assert_eq!(page.texts(".phases .key-unknown"), ["unknown"]);
    let full = site.page("incidents/2024-03-31-db-failover/index.html");
    assert!(full.all(".phases .key-unknown").is_empty());
}
