//! `hindsight check --fix [--dry-run]`: each kind of fix on a fixture
//! written for it, compared byte for byte with the files under the
//! fixture's `expected/`; a second run, a dry run, and files with errors.

use std::process::Output;

use hindsight::site;

use super::support::{SiteTest, snapshot};

const FIXTURES: [&str; 4] = [
    "fix-headings",
    "fix-zones",
    "fix-due-dates",
    "fix-with-errors",
];

/// Exit code, stdout and stderr of the binary run in the site.
fn run(site: &SiteTest, args: &[&str]) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = site.run(args);
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// Asserts that every file of `content/` is as in `expected/`.
fn assert_as_expected(site: &SiteTest) {
    let text = |dir: &str| -> Vec<(String, String)> {
        snapshot(&site.root.join(dir))
            .into_iter()
            .map(|(name, bytes)| (name, String::from_utf8_lossy(&bytes).into_owned()))
            .collect()
    };
    let (got, want) = (text("content"), text("expected"));
    assert_eq!(got.len(), want.len());
    for ((name, got), (_, want)) in got.iter().zip(&want) {
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn section_names_become_markdown_headings() {
    let site = SiteTest::new("fix-headings");
    let (_, _, before) = run(&site, &["check"]);
    assert!(before.contains("warning[heading-style]"), "{before}");
    let (code, out, err) = run(&site, &["check", "--fix"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty(), "{out}");
    assert_as_expected(&site);
    for line in [
        "content/2024/2024-03-04-queue-backlog.md:12:1: fixed: `Timeline` is now `## Timeline`",
        "content/2024/2024-05-20-login-throttle.md:19:1: fixed: `**Root Cause:**` is now `## Root Cause`",
        "content/2024/2024-08-11-resolver-restart.md:9:1: fixed: `<h2>Summary:</h2>` is now `## Summary`",
        "content/2024/2024-08-11-resolver-restart.md:12:1: left as written: this HTML heading has attributes (`id=\"when\"`) that a Markdown heading would lose; it stays HTML",
        "content/2024/2024-08-11-resolver-restart.md:22:1: fixed: `<h3>Corrective Actions</h3>` is now `### Corrective Actions`",
        "content/2024/2024-10-02-cache-colons.md:13:1: fixed: `## Timeline: ##` is now `## Timeline ##`",
        "Made 16 fixes in 4 files; 1 problem left as written.",
        "0 errors, 0 warnings in 0 of 4 incidents",
    ] {
        assert!(err.lines().any(|l| l == line), "no line {line:?} in\n{err}");
    }
}

#[test]
fn zone_abbreviations_become_the_zones_they_stand_for() {
    let site = SiteTest::new("fix-zones");
    let (code, _, err) = run(&site, &["check", "--fix"]);
    assert_as_expected(&site);
    for line in [
        "content/2024-06-12-upload-timeouts.md:6:11: fixed: `timezone` is now `America/Los_Angeles`, the zone `PDT` stands for",
        "content/2024-04-22-scanner-logout.md:6:5: fixed: `tz` is now `Asia/Tokyo`, the zone `JST` stands for",
        "content/2024-09-09-retry-pileup.md:6:11: fixed: `timezone` is now `Asia/Kolkata`, the meaning of `IST` that fits the zones the file writes elsewhere (India Standard Time)",
        "content/2024-09-30-empty-suggestions.md:6:11: left as written: `IST` may mean Asia/Kolkata, Europe/Dublin or Asia/Jerusalem, and nothing else in the file settles which; set `timezone` to the zone meant",
        "Made 5 fixes in 5 files; 1 problem left as written.",
        "1 error, 1 warning in 1 of 6 incidents",
    ] {
        assert!(err.lines().any(|l| l == line), "no line {line:?} in\n{err}");
    }
    assert_eq!(code, Some(1), "the abbreviation left is still an error");
}

#[test]
fn due_dates_of_task_lists_become_iso_dates() {
    let site = SiteTest::new("fix-due-dates");
    let (code, _, err) = run(&site, &["check", "--fix", "--today", "2026-01-01"]);
    assert_eq!(code, Some(0), "{err}");
    assert_as_expected(&site);
    let file = "content/2024-07-15-expired-certificate.md";
    for line in [
        format!("{file}:26:61: fixed: the due date `Jan 5, 2027` is now `2027-01-05`"),
        format!(
            "{file}:30:48: left as written: the due date `03/04/2027` reads as 3 April or as March 4; write it as YYYY-MM-DD"
        ),
        format!(
            "{file}:31:56: left as written: the due date `March 2` has no year; write it as YYYY-MM-DD"
        ),
    ] {
        assert!(err.lines().any(|l| l == line), "no line {line:?} in\n{err}");
    }
    // The action-item view now reads the dates.
    let checked = site::check(&site.options()).expect("check runs");
    let due: Vec<String> = checked.archive.incidents[0]
        .action_items
        .iter()
        .map(|a| a.due.map_or("-".into(), |d| d.to_string()))
        .collect();
    assert_eq!(
        due,
        [
            "2027-01-05",
            "2027-01-05",
            "2027-02-14",
            "2027-03-03",
            "-",
            "-",
            "-"
        ]
    );
}

#[test]
fn fixes_are_made_beside_errors_and_unreadable_files_are_left() {
    let site = SiteTest::new("fix-with-errors");
    // Latin-1 text: not UTF-8, so it cannot be read, and is not touched.
    let unreadable = site.root.join("content/2024-04-03-latin1.md");
    let bytes = b"---\ntitle: caf\xe9\n---\n\nTimeline\n".to_vec();
    std::fs::write(&unreadable, &bytes).unwrap();
    let (code, _, err) = run(&site, &["check", "--fix"]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(std::fs::read(&unreadable).unwrap(), bytes);
    std::fs::remove_file(&unreadable).unwrap();
    assert_as_expected(&site);
    for found in [
        "content/2024-04-01-mail-relay.md:9:1: fixed: `Summary` is now `## Summary`",
        "Made 6 fixes in 1 file.",
        "error[end-before-start]",
        "error[front-matter]",
        "error[read-error]",
        "3 errors, 0 warnings in 3 of 3 incidents",
    ] {
        assert!(err.contains(found), "no {found:?} in\n{err}");
    }
}

#[test]
fn fixing_again_changes_nothing() {
    for fixture in FIXTURES {
        let site = SiteTest::new(fixture);
        run(&site, &["check", "--fix"]);
        let once = snapshot(&site.root);
        let (_, out, err) = run(&site, &["check", "--fix"]);
        assert_eq!(snapshot(&site.root), once, "{fixture}");
        assert!(out.is_empty(), "{fixture}: {out}");
        assert!(!err.contains(": fixed: "), "{fixture}: {err}");
        assert!(err.contains("Nothing to fix"), "{fixture}: {err}");
    }
}

#[test]
fn a_dry_run_prints_a_diff_and_writes_nothing() {
    let site = SiteTest::new("fix-headings");
    let before = snapshot(&site.root);
    let (code, diff, err) = run(&site, &["check", "--fix", "--dry-run"]);
    assert_eq!(snapshot(&site.root), before, "a dry run wrote");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        diff.starts_with(
            "--- a/content/2024/2024-03-04-queue-backlog.md\n+++ b/content/2024/2024-03-04-queue-backlog.md\n@@ -6,20 +6,20 @@\n"
        ),
        "{diff}"
    );
    assert!(diff.contains("\n-Summary\n+## Summary\n"), "{diff}");
    assert!(
        diff.contains("\n-**Resolution**:\n+## Resolution\n"),
        "{diff}"
    );
    assert!(err.contains(
        "content/2024/2024-03-04-queue-backlog.md:9:1: would fix: `Summary` is now `## Summary`"
    ));
    assert!(err.contains(
        "Would make 16 fixes in 4 files; 1 problem left as written (dry run: nothing written)."
    ));
    // The findings are those of the files as they are.
    assert!(err.contains("warning[heading-style]"), "{err}");
    // The diff applies to the site and gives the fixed files.
    let patch = site.root.join("fixes.diff");
    std::fs::write(&patch, &diff).unwrap();
    let applied = std::process::Command::new("git")
        .args(["apply", "fixes.diff"])
        .current_dir(&site.root)
        // Outside any repository, whatever holds the temporary folder.
        .env("GIT_CEILING_DIRECTORIES", site.root.parent().unwrap())
        .status();
    if let Ok(status) = applied {
        assert!(status.success(), "git apply failed");
        assert_as_expected(&site);
    }
}

#[test]
fn dry_run_and_json_keep_to_their_places() {
    let site = SiteTest::new("fix-with-errors");
    let (code, _, err) = run(&site, &["check", "--dry-run"]);
    assert_eq!(code, Some(2), "--dry-run without --fix is bad usage: {err}");
    let (_, out, err) = run(&site, &["check", "--fix", "--format", "json"]);
    assert!(err.contains(": fixed: "), "{err}");
    for line in out.lines() {
        let finding: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert!(finding.get("rule").is_some(), "{line}");
    }
}

/// Every fixture site of the suite: fixing it twice, the second run finds
/// nothing, and no fix makes a section, an anchor or a link go missing.
#[test]
fn fixing_any_fixture_site_is_safe_and_settles_at_once() {
    use hindsight::diagnostic::Rule;
    use hindsight::fix::{self, Mode};
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let sites: Vec<String> = walkdir::WalkDir::new(&fixtures)
        .max_depth(3)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "site.toml")
        .filter_map(|e| {
            let dir = e.path().parent()?.strip_prefix(&fixtures).ok()?;
            Some(dir.to_string_lossy().into_owned())
        })
        .collect();
    assert!(sites.len() > 30, "{sites:?}");
    let watched = [
        Rule::MissingSection,
        Rule::DuplicateSection,
        Rule::BrokenLink,
        Rule::FrontMatter,
        Rule::ReadError,
    ];
    let count = |checked: &site::Checked| -> Vec<usize> {
        let rules = checked.diagnostics.iter().map(|d| d.rule);
        let rules: Vec<Rule> = rules.collect();
        watched
            .iter()
            .map(|w| rules.iter().filter(|r| *r == w).count())
            .collect()
    };
    for name in sites {
        let site = SiteTest::new(&name);
        let opts = site.options();
        let (Ok(cfg), Ok(before)) = (site::load_config(&opts), site::check(&opts)) else {
            continue;
        };
        let first = fix::run(&site.root, &cfg, Mode::Write).expect("fix runs");
        assert_eq!(first.failed(), 0, "{name}");
        let second = fix::run(&site.root, &cfg, Mode::Write).expect("fix runs");
        assert_eq!(second.fixed(), 0, "{name}: {:#?}", second.lines());
        let after = site::check(&opts).expect("check runs");
        assert!(
            count(&after)
                .iter()
                .zip(count(&before))
                .all(|(a, b)| *a <= b),
            "{name}: {:?} → {:?}",
            count(&before),
            count(&after)
        );
    }
}
