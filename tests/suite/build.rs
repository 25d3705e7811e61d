//! Whole-build guarantees: determinism, atomic output, template
//! overrides, slug collisions, refusing dangerous output folders.

use std::path::Path;

use hindsight::diagnostic::Rule;

use super::support::{SiteTest, snapshot};

#[test]
fn two_builds_are_byte_identical() {
    let site = SiteTest::new("basic");
    site.build_clean();
    let first = snapshot(&site.output(""));
    std::fs::rename(site.output(""), site.root.join("first")).unwrap();
    site.build_clean();
    let second = snapshot(&site.output(""));
    assert_eq!(first.len(), second.len());
    assert!(first.len() > 25, "the fixture produces a full site");
    for ((a, a_bytes), (b, b_bytes)) in first.iter().zip(&second) {
        assert_eq!(a, b);
        assert!(a_bytes == b_bytes, "{a} differs between builds");
    }
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::new("basic");
    site.build_clean();
    let before = snapshot(&site.output(""));
    site.write(
        "content/2025/2025-01-01-broken.md",
        "---\ntitle: Broken\nseverity: SEV9\nstart: 2025-01-01T10:00:00Z\nend: 2025-01-01T09:00:00Z\n---\n\n## Timeline\n",
    );
    let report = site.build();
    assert!(
        report.written.is_none(),
        "a build with errors writes nothing"
    );
    let rules: Vec<Rule> = report.diagnostics.iter().map(|d| d.rule).collect();
    assert!(rules.contains(&Rule::FieldType), "{rules:?}");
    assert_eq!(snapshot(&site.output("")), before, "previous output intact");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error[field-type]: unknown severity `SEV9`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/2025/2025-01-01-broken.md:3:11"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        snapshot(&site.output("")),
        before,
        "previous output intact after the CLI build too"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The lock file that builds take turns on stays.
        .filter(|n| n.contains("hindsight-") && !n.ends_with("hindsight-lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn allow_errors_builds_the_rest_and_names_what_it_skipped() {
    let site = SiteTest::new("basic");
    site.write(
        "content/2025/2025-01-01-broken.md",
        "---\ntitle: Broken\n---\n",
    );
    let report = hindsight::site::build(&site.options(), Path::new("public"), true).unwrap();
    assert_eq!(report.skipped, ["content/2025/2025-01-01-broken.md"]);
    assert_eq!(report.incidents, 4);
    assert!(
        site.output("incidents/2024-03-31-db-failover/index.html")
            .is_file()
    );
    let out = site.run(&["build", "--allow-errors"]);
    assert_eq!(out.status.code(), Some(1), "skipping still reports failure");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("left out content/2025/2025-01-01-broken.md"),
        "{stderr}"
    );
}

#[test]
fn site_templates_override_the_theme() {
    let site = SiteTest::new("basic");
    site.write(
        "templates/incident.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ incident.row.title }}</h1>{{ incident.body | safe }}{% endblock content %}",
    );
    site.build_clean();
    let page = site.page("incidents/2022-06-10-cdn-cache/index.html");
    assert_eq!(
        page.texts("h1.custom"),
        ["CDN served a stale homepage for seven minutes"]
    );
    assert_eq!(
        page.all(".timeline").len(),
        0,
        "the built-in incident template is replaced"
    );
    assert_eq!(
        page.all(".site-header").len(),
        1,
        "other templates still come from the theme"
    );
}

#[test]
fn template_errors_name_the_file_and_line() {
    let site = SiteTest::new("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ oops( }}\n{% endblock content %}\n",
    );
    let err = hindsight::site::build(&site.options(), Path::new("public"), false).unwrap_err();
    match err {
        hindsight::Error::Template { template, line, .. } => {
            assert_eq!(template, "templates/404.html");
            assert_eq!(line, 3);
        }
        other => panic!("expected a template error, got {other}"),
    }
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("template templates/404.html:3:"));
}

#[test]
fn tags_that_collide_after_slugging_are_reported() {
    let site = SiteTest::new("basic");
    let text =
        std::fs::read_to_string(site.root.join("content/2022/2022-06-10-cdn-cache.md")).unwrap();
    site.write(
        "content/2022/2022-06-10-cdn-cache.md",
        &text.replace("tags: [cache]", "tags: [cache, Database]"),
    );
    let report = site.build();
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::SlugCollision)
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", report.diagnostics);
    assert_eq!(found[0].file, "content/2022/2022-06-10-cdn-cache.md");
    assert_eq!((found[0].line, found[0].column), (13, 15));
    assert!(
        found[0]
            .message
            .contains("`Database` would share the page /tags/database/ with `database`"),
        "{}",
        found[0].message
    );
    assert!(report.written.is_none());
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = SiteTest::new("basic");
    for bad in [".", "content", "themes", "content/2024"] {
        let err = hindsight::site::build(&site.options(), Path::new(bad), false).unwrap_err();
        assert!(matches!(err, hindsight::Error::Usage(_)), "{bad}: {err}");
    }
    let out = site.run(&["build", "--output", "content"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        site.root
            .join("content/2023/2023-11-05-disk-full.md")
            .is_file()
    );
}

#[test]
fn base_url_override_and_relative_urls() {
    let site = SiteTest::new("basic");
    let out = site.run(&["build", "--base-url", "https://org.github.io/incidents"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = site.page("index.html");
    assert_eq!(
        home.attrs(".row-title", "href")[0],
        "/incidents/incidents/2024-03-31-db-failover/"
    );
    assert_eq!(
        home.attrs("link[rel=canonical]", "href"),
        ["https://org.github.io/incidents/"]
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("Built 4 incidents, 6 tags, 4 services in "),
        "{stdout}"
    );
    let text = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &text.replace(
            "timezone = \"UTC\"",
            "timezone = \"UTC\"\nrelative_urls = true",
        ),
    );
    site.build_clean();
    let page = site.page("incidents/2022-06-10-cdn-cache/index.html");
    assert_eq!(
        page.attrs("link[rel=stylesheet]", "href")[0],
        "../../style.css"
    );
    assert_eq!(
        page.attrs(".facts .chip-tag", "href"),
        ["../../tags/cache/"]
    );
    let home = site.page("index.html");
    assert_eq!(
        home.attrs(".row-title", "href")[0],
        "./incidents/2024-03-31-db-failover/"
    );
}

#[test]
fn the_bundled_example_archive_is_clean_and_varied() {
    use std::collections::BTreeSet;
    let site = SiteTest::example();
    let checked = hindsight::site::check(&site.options()).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let incidents = &checked.archive.incidents;
    assert!(incidents.len() >= 15);
    let set = |f: &dyn Fn(&hindsight::model::Incident) -> Vec<String>| -> BTreeSet<String> {
        incidents.iter().flat_map(|i| f(i)).collect()
    };
    assert_eq!(set(&|i| vec![i.severity.clone()]).len(), 4, "SEV1 to SEV4");
    assert!(
        set(&|i| vec![i.zone_name.clone()]).len() >= 4,
        "at least four time zones"
    );
    assert!(set(&|i| i.services.clone()).len() >= 8);
    assert!(set(&|i| i.tags.clone()).len() >= 20);
    let statuses = set(&|i| {
        i.action_items
            .iter()
            .map(|a| a.status.word().to_string())
            .collect()
    });
    assert_eq!(statuses.len(), 4, "every action-item status: {statuses:?}");
    let minutes: Vec<i64> = incidents
        .iter()
        .map(|i| {
            i.duration()
                .expect("every example incident has an end")
                .as_secs()
                / 60
        })
        .collect();
    assert_eq!(
        minutes.iter().min(),
        Some(&7),
        "the shortest lasted 7 minutes"
    );
    assert!(
        minutes.iter().max().unwrap() >= &(72 * 60),
        "the longest about 3 days"
    );
    // `check` keeps no body HTML; render each body as its page would.
    assert!(incidents.iter().all(|i| i.body.html.is_empty()));
    let html: String = incidents
        .iter()
        .map(|i| hindsight::content::incident::body_html(i, &checked.cfg, &checked.archive.slugs))
        .collect();
    for needle in [
        "data-lang=\"bash\"",
        "data-lang=\"nginx\"",
        "data-lang=\"yaml\"",
        "data-lang=\"python\"",
        "<table>",
        "footnote-definition",
        "<img ",
    ] {
        assert!(html.contains(needle), "the example has {needle}");
    }
    assert!(incidents.iter().any(|i| !i.related.is_empty()));
}

#[test]
fn bodies_rendered_at_page_time_match_bodies_kept_at_load() {
    use hindsight::content::{self, LoadOptions};
    for site in [SiteTest::example(), SiteTest::new("basic")] {
        let cfg = hindsight::site::load_config(&site.options()).unwrap();
        let load = |html| {
            let opts = LoadOptions { drafts: true, html };
            content::load(&site.root, &cfg, &opts).unwrap().archive
        };
        let (kept, lazy) = (load(true), load(false));
        assert_eq!(kept.incidents.len(), lazy.incidents.len());
        let mut links = 0;
        for (k, l) in kept.incidents.iter().zip(&lazy.incidents) {
            assert!(l.body.html.is_empty() && !k.body.html.is_empty());
            let html = content::incident::body_html(l, &cfg, &lazy.slugs);
            assert_eq!(html, k.body.html, "{}", k.file);
            let doc = scraper::Html::parse_fragment(&html);
            let a = scraper::Selector::parse("a[href]").unwrap();
            links += doc.select(&a).count();
        }
        assert!(links > 0, "bodies link within the site");
    }
}
