//! `hindsight import`: reports written with six other templates
//! (`tests/fixtures/import/reports`) become postmortems whose front matter
//! equals, field by field, the expected files, with every value traced
//! to its line and words, and the archive they make checks clean apart
//! from what the reports do not say.

use std::path::{Path, PathBuf};

use hindsight::config::SiteConfig;
use hindsight::import::{self, ImportOptions, Imported, Outcome, Terms};
use hindsight::site;

use super::support::{SiteTest, snapshot};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// The site fixture in a temporary folder, and the reports' folder.
fn site() -> SiteTest {
    SiteTest::new("import/site")
}

fn run(site: &SiteTest, dry_run: bool) -> Vec<Imported> {
    let cfg = SiteConfig::load(&site.root).unwrap();
    let terms = Terms {
        services: vec!["cart".into(), "checkout".into(), "webhooks".into()],
        tags: vec!["deploy".into()],
    };
    let opts = ImportOptions {
        src: fixtures().join("reports"),
        root: site.root.clone(),
        dry_run,
    };
    import::run(&opts, &cfg, &terms).expect("import runs")
}

fn by_source<'a>(imported: &'a [Imported], stem: &str) -> &'a Imported {
    imported
        .iter()
        .find(|i| i.source.ends_with(&format!("{stem}.md")))
        .unwrap_or_else(|| panic!("{stem} not imported"))
}

/// The front matter block (with its `---` lines) of a file's text.
fn front_matter(text: &str) -> &str {
    let end = text[4..].find("\n---\n").map_or(text.len(), |i| i + 4 + 5);
    &text[..end]
}

#[test]
fn each_template_imports_to_the_expected_front_matter_and_keeps_its_body() {
    let site = site();
    let imported = run(&site, false);
    assert_eq!(imported.len(), 6);
    for stem in [
        "gitlab",
        "html",
        "pagerduty",
        "plain-lines",
        "sre-book",
        "student",
    ] {
        let i = by_source(&imported, stem);
        let expected =
            std::fs::read_to_string(fixtures().join(format!("expected/{stem}.md"))).unwrap();
        let (target, block) = expected.split_once('\n').unwrap();
        assert_eq!(i.target, target, "{stem}");
        assert_eq!(i.outcome, Outcome::Written, "{stem}");
        let written = std::fs::read_to_string(site.root.join(target)).unwrap();
        let fm = front_matter(&written);
        for (want, got) in block.lines().zip(fm.lines()) {
            assert_eq!(got, want, "{stem}: field by field");
        }
        assert_eq!(fm.lines().count(), block.lines().count(), "{stem}");
        let source =
            std::fs::read_to_string(fixtures().join(format!("reports/{stem}.md"))).unwrap();
        assert!(
            written[fm.len()..].trim_start_matches('\n') == source,
            "{stem}: the body is kept byte for byte"
        );
    }
}

#[test]
fn every_value_names_its_line_and_words() {
    let site = site();
    let imported = run(&site, true);
    let field = |stem: &str, name: &str| {
        let i = by_source(&imported, stem);
        let f = i
            .fields
            .iter()
            .find(|f| f.field == name)
            .unwrap_or_else(|| panic!("{stem} {name}"));
        (
            f.value.clone(),
            f.evidence.line,
            f.evidence.quote.clone(),
            f.evidence.confidence.word(),
        )
    };
    assert_eq!(
        field("pagerduty", "start"),
        (
            "2024-05-14T13:05:00+00:00".into(),
            6,
            "| Start | 2024-05-14 13:05 UTC |".into(),
            "high"
        )
    );
    assert_eq!(
        field("pagerduty", "detected"),
        (
            "2024-05-14T13:11:00+00:00".into(),
            8,
            "| Time to detection | 6 minutes |".into(),
            "high"
        )
    );
    assert_eq!(
        field("gitlab", "severity").0,
        "SEV2",
        "through the site's value map"
    );
    assert_eq!(field("gitlab", "severity").2, "Severity: S2");
    let student = field("student", "start");
    assert_eq!(
        (student.0.as_str(), student.1, student.2.as_str()),
        (
            "2023-03-04T09:15:00-05:00",
            5,
            "From 9:15 a.m. to 11:40 a.m. EST on March 4, 2023"
        )
    );
    assert_eq!(field("student", "timezone").0, "America/New_York", "EST");
    assert_eq!(
        field("plain-lines", "timezone").0,
        "America/Los_Angeles",
        "PDT"
    );
    assert_eq!(field("html", "timezone").0, "Europe/Berlin", "CET");
    let sre = field("sre-book", "start");
    assert!(
        sre.2.contains("the date, 2024-02-06, is from line 3"),
        "a time without a date says where its date came from: {}",
        sre.2
    );
    assert_eq!(sre.3, "low");
    let missing = &by_source(&imported, "sre-book").missing;
    assert!(missing.iter().any(|(f, why)| *f == "severity"
        && why.starts_with("not found in the text; ")
        && why.contains("[front_matter.defaults] severity")));
}

#[test]
fn the_imported_archive_checks_clean_apart_from_what_the_reports_do_not_say() {
    let site = site();
    let imported = run(&site, false);
    let checked = site::check(&site.options()).unwrap();
    for d in &checked.diagnostics {
        let i = imported.iter().find(|i| i.target == d.file);
        let lacks = |field: &str| i.is_some_and(|i| i.missing.iter().any(|(f, _)| *f == field));
        let allowed = match d.rule.id() {
            "missing-field" => lacks("severity"),
            _ => false,
        };
        assert!(allowed, "{d:?}");
    }
    let lacking = imported
        .iter()
        .filter(|i| i.missing.iter().any(|(f, _)| *f == "severity"));
    assert_eq!(
        checked.diagnostics.len(),
        lacking.count(),
        "one finding per report without a severity, nothing else"
    );
}

#[test]
fn a_second_run_and_a_dry_run_change_nothing_and_sources_are_never_written() {
    let site = site();
    let sources = snapshot(&fixtures().join("reports"));
    let before = snapshot(&site.root);
    let dry = run(&site, true);
    assert!(dry.iter().all(|i| i.outcome == Outcome::WouldWrite));
    assert_eq!(snapshot(&site.root), before, "--dry-run writes nothing");
    run(&site, false);
    let after_first = snapshot(&site.root);
    let again = run(&site, false);
    assert!(again.iter().all(|i| i.outcome == Outcome::Exists));
    assert_eq!(
        snapshot(&site.root),
        after_first,
        "a second run changes nothing"
    );
    assert_eq!(snapshot(&fixtures().join("reports")), sources);
}

#[test]
fn the_command_prints_a_table_or_json_lines() {
    let site = site();
    let reports = fixtures().join("reports");
    let reports = reports.to_string_lossy();
    let out = site.run(&["import", &reports, "--dry-run"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("content/2024/2024-05-14-checkout-requests-timed-out.md ←"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Imported 6 reports: 6 would be written"),
        "{stderr}"
    );
    let out = site.run(&["import", &reports, "--dry-run", "--format", "json"]);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .all(|l| l["file"].is_string() && l["field"].is_string())
    );
    let start = lines
        .iter()
        .find(|l| l["field"] == "start" && l["source"].as_str().unwrap().ends_with("pagerduty.md"))
        .unwrap();
    assert_eq!(start["line"], 6);
    assert_eq!(start["confidence"], "high");
    assert!(
        lines
            .iter()
            .any(|l| l["value"].is_null() && l["note"].is_string())
    );
    assert!(
        !site.root.join("content/2024").exists(),
        "--dry-run wrote nothing"
    );
}
