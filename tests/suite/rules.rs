//! `hindsight check`: a fixture per rule that triggers exactly that rule
//! at the expected place, output formats, snapshots and exit codes.

use std::path::{Path, PathBuf};

use hindsight::diagnostic::{Rule, render_human};
use hindsight::site::{self, SiteOptions};

use super::support::{SiteTest, TODAY};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `file:line:column level rule` for each finding of the site at `root`.
fn findings(root: &Path) -> Vec<String> {
    let opts = SiteOptions {
        drafts: true,
        today: Some(TODAY.parse().unwrap()),
        ..SiteOptions::new(root)
    };
    let checked = site::check(&opts).expect("check runs");
    checked
        .diagnostics
        .iter()
        .map(|d| format!("{}:{}:{} {} {}", d.file, d.line, d.column, d.level, d.rule))
        .collect()
}

fn expected(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("expected"))
        .expect("fixture has an `expected` file")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn each_rule_fixture_triggers_exactly_its_rule_at_the_expected_place() {
    let root = fixtures().join("rules");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let found = findings(&dir);
        assert_eq!(found, expected(&dir), "fixture rules/{name}");
        if name == "clean" {
            assert!(found.is_empty());
        } else {
            assert!(!found.is_empty(), "rules/{name} triggers nothing");
            assert!(
                found.iter().all(|f| f.ends_with(&format!(" {name}"))),
                "rules/{name} triggers other rules: {found:?}"
            );
        }
        seen.push(name);
    }
    for rule in Rule::ALL {
        assert!(
            seen.iter().any(|s| s == rule.id()),
            "no fixture for rule {}",
            rule.id()
        );
    }
}

#[test]
fn real_world_defects_are_all_caught() {
    for name in ["seed-defects", "compat"] {
        let dir = fixtures().join(name);
        assert_eq!(findings(&dir), expected(&dir), "fixture {name}");
    }
}

#[test]
fn aliases_defaults_and_toml_front_matter_build() {
    let site = SiteTest::new("compat");
    site.build_clean();
    let page = site.page("incidents/api-outage/index.html");
    assert_eq!(page.texts(".badges .badge"), ["SEV2 · Major"]);
    assert_eq!(page.texts(".facts .chip-service"), ["api"]);
    let page = site.page("incidents/queue-delay/index.html");
    assert_eq!(
        page.texts(".badges .badge"),
        ["SEV3 · Minor"],
        "severity from [front_matter.defaults]"
    );
    assert!(
        page.texts(".facts > div")
            .contains(&"Duration 1h 30m".to_string())
    );
}

fn human(fixture: &str) -> String {
    let dir = fixtures().join("rules").join(fixture);
    let opts = SiteOptions {
        drafts: true,
        today: Some(TODAY.parse().unwrap()),
        ..SiteOptions::new(&dir)
    };
    let checked = site::check(&opts).unwrap();
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let source = std::fs::read_to_string(dir.join(&d.file)).ok();
            render_human(d, source.as_deref(), false)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn human_output_snapshots() {
    insta::assert_snapshot!("end_before_start", human("end-before-start"));
    insta::assert_snapshot!("missing_section", human("missing-section"));
    insta::assert_snapshot!("front_matter", human("front-matter"));
    insta::assert_snapshot!("timezone", human("timezone"));
    insta::assert_snapshot!("unknown_field", human("unknown-field"));
}

#[test]
fn json_format_has_one_object_per_line() {
    let site = SiteTest::new("rules/duplicate-slug");
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    let first = lines[0].as_object().unwrap();
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["column", "file", "level", "line", "message", "rule"]);
    assert_eq!(first["file"], "content/2024-05-02-search-latency.md");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(3), Some(7))
    );
    assert_eq!(first["rule"], "duplicate-slug");
    assert_eq!(first["level"], "error");
}

#[test]
fn github_format_annotates_pull_requests() {
    let site = SiteTest::new("rules/timeline-order");
    let out = site.run(&["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(0), "warnings alone pass");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::warning file=content/2024-05-02-search-latency.md,line=31,col=3,title=timeline-order::this event (May 2 10:05) is earlier"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1);
}

#[test]
fn exit_codes() {
    let clean = SiteTest::new("rules/clean");
    let out = clean.run(&["check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0 errors, 0 warnings in 0 of 1 incident")
    );
    let warned = SiteTest::new("rules/blame");
    assert_eq!(warned.run(&["check"]).status.code(), Some(0));
    assert_eq!(warned.run(&["check", "--strict"]).status.code(), Some(1));
    let broken = SiteTest::new("rules/clock");
    let out = broken.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 error, 0 warnings in 1 of 1 incident")
    );
    clean.write("site.toml", "title = \"x\"\ntitel = \"typo\"\n");
    let out = clean.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("site.toml:2:1: unknown field `titel`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        clean.run(&["check", "--format", "xml"]).status.code(),
        Some(2)
    );
    assert_eq!(
        clean
            .run(&["check", "--root", "/nonexistent/site"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rule_levels_can_be_changed_or_switched_off() {
    let site = SiteTest::new("rules/timeline-order");
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("{toml}\n[validation.rules]\ntimeline-order = \"error\"\n"),
    );
    assert_eq!(
        findings(&site.root),
        ["content/2024-05-02-search-latency.md:31:3 error timeline-order"]
    );
    site.write(
        "site.toml",
        &format!("{toml}\n[validation.rules]\ntimeline-order = \"off\"\n"),
    );
    assert!(findings(&site.root).is_empty());
}

#[test]
fn all_findings_of_all_files_in_one_run() {
    let site = SiteTest::new("rules/clean");
    let base =
        std::fs::read_to_string(site.root.join("content/2024-05-02-search-latency.md")).unwrap();
    site.write(
        "content/a.md",
        &base
            .replace("severity: SEV3", "severity: SEV7")
            .replace("timezone: UTC", "timezone: IST"),
    );
    site.write(
        "content/b.md",
        &base.replace("- 10:40 - Cache warmed.", "- 25:10 - Cache warmed."),
    );
    let found = findings(&site.root);
    assert_eq!(
        found,
        [
            "content/a.md:3:11 error field-type",
            "content/a.md:6:11 error timezone",
            "content/b.md:31:3 error clock",
        ]
    );
}

#[test]
fn new_writes_a_postmortem_that_passes_check_except_word_count() {
    let site = SiteTest::new("rules/clean");
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("word_count = []", "word_count = [400, 600]"),
    );
    std::fs::remove_file(site.root.join("content/2024-05-02-search-latency.md")).unwrap();
    let args = [
        "new",
        "Checkout returned 500s",
        "--severity",
        "SEV2",
        "--start",
        "2024-04-18 09:30",
        "--timezone",
        "Europe/Paris",
    ];
    let out = site.run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rel = "content/2024/2024-04-18-checkout-returned-500s.md";
    assert!(String::from_utf8_lossy(&out.stdout).contains(rel));
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    assert!(text.contains("start: 2024-04-18T09:30:00+02:00"));
    assert!(text.contains("timezone: Europe/Paris"));
    assert_eq!(
        findings(&site.root),
        [format!("{rel}:26:1 warning word-count")]
    );
    std::fs::write(site.root.join(rel), "kept").unwrap();
    let out = site.run(&args);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(site.root.join(rel)).unwrap(),
        "kept"
    );
}

#[test]
fn empty_list_items_are_errors_not_empty_pills() {
    let site = SiteTest::new("rules/clean");
    let rel = "content/2024-05-02-search-latency.md";
    let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
    site.write(
        rel,
        &text
            .replace("services: [search]", "services: [\"\"]")
            .replace("tags: [latency]", "tags: \" \""),
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("error[field-type]: `services[0]` is an empty string; write a name or remove the item\n  --> {rel}:13:12")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("error[field-type]: `tags` is an empty string; write a list like `tags: [name]`, or leave the field out\n  --> {rel}:14:7")),
        "{stderr}"
    );
    let out = site.run(&["build", "--allow-errors"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "built, leaving the incident out"
    );
    assert!(site.output("index.html").exists());
    assert!(
        !site
            .output("incidents/2024-05-02-search-latency/index.html")
            .exists()
    );
}
