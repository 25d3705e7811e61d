//! Archive insights: the action-item tracker, recurring incidents, and the
//! search index (queried here the way the page's script does).

use std::collections::{BTreeMap, BTreeSet};

use super::support::{SiteTest, text};

const DISK: &str = "content/2023/2023-11-05-disk-full.md";

/// Adds a postgres incident tagged `database` on 2024-02-01: 59 days before
/// the failover and 88 days after the disk incident.
fn add_recurrence(site: &SiteTest) {
    copy_disk(
        site,
        "2024-02-01",
        "Replica lag on the reporting replica",
        "replica-lag",
    );
}

/// Writes a copy of the disk incident (postgres, `database`) on `day`,
/// 10:00 to 10:55, with `title`, as `content/<year>/<day>-<slug>.md`.
fn copy_disk(site: &SiteTest, day: &str, title: &str, slug: &str) {
    let disk = std::fs::read_to_string(site.root.join(DISK)).unwrap();
    let text = disk
        .replace("Disk full on the reporting replica", title)
        .replace("2023-11-05 23:40", &format!("{day} 10:00"))
        .replace("2023-11-06 00:35", &format!("{day} 10:55"))
        .replace("- 23:40", "- 10:00")
        .replace("- 23:55", "- 10:15")
        .replace("- 00:10", "- 10:30")
        .replace("- 00:35", "- 10:55")
        .replace("![Disk usage](chart.svg)", "");
    site.write(&format!("content/{}/{day}-{slug}.md", &day[..4]), &text);
}

#[test]
fn recurring_incidents_are_linked_both_ways_within_the_window() {
    let site = SiteTest::new("basic");
    add_recurrence(&site);
    site.build_clean();
    let failover = site.page("incidents/2024-03-31-db-failover/index.html");
    assert_eq!(
        failover.texts("#hs-recurring"),
        ["This has happened before"]
    );
    assert_eq!(
        failover.attrs(".recurring-callout a", "href"),
        ["/archive/incidents/2024-02-01-replica-lag/"]
    );
    let lag = site.page("incidents/2024-02-01-replica-lag/index.html");
    let links = lag.texts(".recurring-callout li");
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(lag.all(".recurring-callout .more").is_empty(), "all listed");
    assert!(
        links[0].starts_with("Before: Disk full on the reporting replica"),
        "{links:?}"
    );
    assert!(
        links[1].starts_with("Since: Orders database failover"),
        "{links:?}"
    );
    let disk = site.page("incidents/2023-11-05-disk-full/index.html");
    assert_eq!(disk.texts("#hs-recurring"), ["This happened again"]);
    let cert = site.page("incidents/2023-02-01-cert-expiry/index.html");
    assert!(
        cert.all(".recurring-callout").is_empty(),
        "no shared service"
    );
    let recurring = site.page("recurring/index.html");
    assert_eq!(recurring.texts(".cluster h2"), ["postgres 3 incidents"]);
    assert_eq!(
        recurring.texts(".cluster > p .chip-tag"),
        ["#database", "#disk-full"]
    );
    // Outside the window: shrink it to 60 days and the disk incident drops out.
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write("site.toml", &format!("recurring_window = \"60d\"\n{toml}"));
    site.build_clean();
    let lag = site.page("incidents/2024-02-01-replica-lag/index.html");
    assert_eq!(lag.texts(".recurring-callout li").len(), 1);
    assert_eq!(
        site.page("recurring/index.html").texts(".cluster h2"),
        ["postgres 2 incidents"]
    );
    assert!(
        site.page("incidents/2023-11-05-disk-full/index.html")
            .all(".recurring-callout")
            .is_empty()
    );
}

#[test]
fn action_items_are_tracked_with_overdue_measured_at_the_build_date() {
    let site = SiteTest::new("basic");
    let disk = std::fs::read_to_string(site.root.join(DISK)).unwrap();
    site.write(DISK, &disk.replace("due: 2099-03-01", "due: 2025-12-01"));
    let report = site.build();
    let overdue: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == hindsight::diagnostic::Rule::ActionOwner)
        .collect();
    assert_eq!(
        overdue.len(),
        1,
        "the in-progress item due 2025-12-01 is overdue on 2026-01-01"
    );
    let page = site.page("actions/index.html");
    assert_eq!(
        page.texts(".action-group h2 .status"),
        ["open", "in-progress", "done", "wont-do"]
    );
    assert_eq!(
        page.texts(".action-group h2 .count"),
        ["3 items", "1 item", "3 items", "1 item"]
    );
    assert_eq!(
        page.texts("tr.overdue td:first-child"),
        ["Rotate logs hourly"]
    );
    assert_eq!(page.texts("tr.overdue .overdue-flag"), ["overdue"]);
    assert!(
        page.texts(".lede")
            .join(" ")
            .contains("1 pending item past due as of 2026-01-01")
    );
    let owners: Vec<String> = page
        .all("#by-owner ~ .table-wrap tbody tr")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        owners,
        [
            "db-team 2 1 1 0 1",
            "edge-team 0 0 0 1 0",
            "sre 0 0 1 0 0",
            "storage-team 1 0 0 0 0",
            "web-team 0 0 1 0 0",
        ]
    );
    let rows = page.attrs("tr[data-owner]", "data-owner");
    assert_eq!(rows.len(), 8);
    assert_eq!(
        page.attrs("select#filter-owner option", "value")[1..],
        ["db-team", "edge-team", "sre", "storage-team", "web-team"]
    );
    assert!(
        page.all("form#action-filters[hidden]").len() == 1,
        "filters appear only with JavaScript"
    );
}

/// The search index, read back: postings per term, and result metadata.
struct Index {
    terms: BTreeMap<String, Vec<u32>>,
    docs: Vec<serde_json::Value>,
}

fn load_index(site: &SiteTest) -> Index {
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.output("search/index.json")).unwrap()).unwrap();
    let mut terms = BTreeMap::new();
    for shard in meta["shards"].as_str().unwrap().chars() {
        let file = site.output(&format!("search/terms-{shard}.json"));
        let shard: BTreeMap<String, Vec<u32>> =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        for (term, deltas) in shard {
            let mut last = 0;
            terms.insert(
                term,
                deltas
                    .iter()
                    .map(|d| {
                        last += d;
                        last
                    })
                    .collect(),
            );
        }
    }
    let chunks = meta["docs"]
        .as_u64()
        .unwrap()
        .div_ceil(meta["docs_per_chunk"].as_u64().unwrap());
    let mut docs = Vec::new();
    for n in 0..chunks {
        let chunk: Vec<serde_json::Value> = serde_json::from_slice(
            &std::fs::read(site.output(&format!("search/docs-{n}.json"))).unwrap(),
        )
        .unwrap();
        docs.extend(chunk);
    }
    Index { terms, docs }
}

/// search.js's logic: every word must match; the last may be a prefix.
fn query(index: &Index, q: &str) -> Vec<String> {
    let words: Vec<String> = q
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 2)
        .map(str::to_string)
        .collect();
    let mut hits: Option<BTreeSet<u32>> = None;
    for (i, w) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        let found: BTreeSet<u32> = index
            .terms
            .iter()
            .filter(|(t, _)| *t == w || (last && t.starts_with(w.as_str())))
            .flat_map(|(_, docs)| docs.iter().copied())
            .collect();
        hits = Some(match hits {
            None => found,
            Some(h) => h.intersection(&found).copied().collect(),
        });
    }
    hits.unwrap_or_default()
        .into_iter()
        .map(|d| index.docs[d as usize][0].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_search_index_finds_incidents_by_any_field() {
    let site = SiteTest::example();
    site.build_clean();
    let index = load_index(&site);
    assert_eq!(index.docs.len(), 19);
    for term in [
        "dovecot",
        "phpp",
        "certificate",
        "johannesburg",
        "checksum",
        "email",
        "corrupted",
    ] {
        assert!(index.terms.contains_key(term), "{term} is indexed");
    }
    assert!(!index.terms.contains_key("the"), "stop words are left out");
    // A soft line break, or a heading and the paragraph under it, separate
    // words (the example's bodies have both, in files with non-ASCII text).
    for joined in ["mediantime", "resolutionthe"] {
        assert!(!index.terms.contains_key(joined), "{joined} is a term");
    }
    for (term, docs) in &index.terms {
        assert!(
            docs.windows(2).all(|w| w[0] < w[1]) && docs.iter().all(|&d| d < 19),
            "{term}: each incident once, in order: {docs:?}"
        );
    }
    // "dovecot" appears many times in one postmortem and nowhere else.
    assert_eq!(index.terms["dovecot"].len(), 1);
    assert_eq!(
        query(&index, "dovecot"),
        ["incidents/2024-04-18-mail-server-corrupted-update/"]
    );
    assert_eq!(
        query(&index, "DOVEC"),
        ["incidents/2024-04-18-mail-server-corrupted-update/"],
        "prefixes as you type"
    );
    assert_eq!(
        query(&index, "phpp strace"),
        ["incidents/2022-10-29-legacy-storefront-500-phpp/"]
    );
    let tls = query(&index, "certificate expired");
    assert!(
        tls.contains(&"incidents/2021-03-09-api-certificate-expired/".to_string()),
        "{tls:?}"
    );
    assert!(query(&index, "no-such-word-anywhere").is_empty());
    let doc = &index.docs[0];
    assert_eq!(doc[2], "SEV4", "results carry the severity");
    assert_eq!(doc[3], "2026-10-14", "and the date");
    let page = site.page("search/index.html");
    assert_eq!(page.attrs("input#search-input", "type"), ["search"]);
}

#[test]
fn long_action_and_recurring_lists_are_paginated() {
    let site = SiteTest::new("basic");
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write("site.toml", &format!("paginate_by = 2\n{toml}"));
    site.build_clean();
    // Eight listed action items: 3 open, 1 in progress, 3 done, 1 won't do.
    let groups = |path: &str| site.page(path).texts(".action-group h2");
    assert_eq!(groups("actions/index.html"), ["open 3 items"]);
    assert_eq!(
        groups("actions/page/2/index.html"),
        ["open 3 items (continued)", "in-progress 1 item"]
    );
    assert_eq!(groups("actions/page/3/index.html"), ["done 3 items"]);
    assert_eq!(
        groups("actions/page/4/index.html"),
        ["done 3 items (continued)", "wont-do 1 item"]
    );
    assert!(!site.root.join("public/actions/page/5").exists());
    let page1 = site.page("actions/index.html");
    assert_eq!(page1.all("#by-owner").len(), 1, "summaries on page 1");
    assert_eq!(
        page1.attrs("form#action-filters", "data-scope"),
        ["on this page"]
    );
    let page4 = site.page("actions/page/4/index.html");
    assert!(page4.all("#by-owner").is_empty());
    assert_eq!(page4.texts(".pagination a[rel=prev]"), ["← Previous"]);
    add_recurrence(&site);
    site.build_clean();
    // Three recurring incidents in one cluster: two on page 1, one on page 2.
    let first = site.page("recurring/index.html");
    assert_eq!(first.texts(".cluster h2"), ["postgres 3 incidents"]);
    assert_eq!(first.all(".cluster .incident-row").len(), 2);
    assert_eq!(
        first.texts(".cluster .more"),
        ["Continued on the next page."]
    );
    assert_eq!(
        first.attrs(".pagination a[rel=next]", "href"),
        ["/archive/recurring/page/2/"]
    );
    let second = site.page("recurring/page/2/index.html");
    assert_eq!(
        second.texts(".cluster h2"),
        ["postgres 3 incidents (continued)"]
    );
    assert_eq!(second.all(".cluster .incident-row").len(), 1);
    let sitemap = std::fs::read_to_string(site.root.join("public/sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for url in [
        "https://example.org/archive/actions/page/4/",
        "https://example.org/archive/recurring/page/2/",
    ] {
        assert!(locs.contains(url), "{url} in the sitemap");
    }
}

#[test]
fn the_recurring_callout_lists_the_nearest_and_links_to_the_rest() {
    let site = SiteTest::new("basic");
    add_recurrence(&site);
    // Seven more before the replica lag (January 2..8), six after it
    // (February 10..15): with the disk incident and the failover, 8 older
    // and 7 newer recurrences.
    for d in 2..=8 {
        copy_disk(
            &site,
            &format!("2024-01-0{d}"),
            &format!("Lag in January {d}"),
            "jan",
        );
    }
    for d in 10..=15 {
        copy_disk(
            &site,
            &format!("2024-02-{d}"),
            &format!("Lag in February {d}"),
            "feb",
        );
    }
    site.build_clean();
    let lag = site.page("incidents/2024-02-01-replica-lag/index.html");
    let items = lag.texts(".recurring-callout li");
    let titles: Vec<&str> = items
        .iter()
        .map(|t| t.split(" 20").next().unwrap_or(t).trim())
        .collect();
    assert_eq!(
        titles,
        [
            "Before: Lag in January 8",
            "Before: Lag in January 7",
            "Before: Lag in January 6",
            "Before: Lag in January 5",
            "Before: Lag in January 4",
            "Since: Lag in February 14",
            "Since: Lag in February 13",
            "Since: Lag in February 12",
            "Since: Lag in February 11",
            "Since: Lag in February 10",
        ]
    );
    assert_eq!(
        lag.texts(".recurring-callout .more"),
        ["5 more on the recurring incidents page"]
    );
    assert_eq!(
        lag.attrs(".recurring-callout .more a", "href"),
        ["/archive/recurring/"]
    );
    let recurring = site.page("recurring/index.html");
    assert_eq!(recurring.texts(".cluster h2"), ["postgres 16 incidents"]);
    // The failover has 14 older recurrences and no newer one.
    let failover = site.page("incidents/2024-03-31-db-failover/index.html");
    assert_eq!(failover.texts(".recurring-callout li").len(), 5);
    assert_eq!(
        failover.texts(".recurring-callout .more"),
        ["9 more on the recurring incidents page"]
    );
}
