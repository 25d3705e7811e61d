//! Hostile and broken input: each gets a clear finding at the right place,
//! never a panic or a hang; the rest of the archive still builds; output
//! is escaped in every context; a killed build loses nothing.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::support::{SiteTest, snapshot, spawn_in, text, wait_within};

/// Adds what cannot live in the repository: a 20 MB file, a 100,000-line
/// timeline, a symlink loop and a symlink out of `content/`.
fn hostile_site() -> (SiteTest, tempfile::TempDir) {
    let site = SiteTest::new("hostile");
    let ok = std::fs::read_to_string(site.root.join("content/ok.md")).unwrap();
    let paragraph = "Requests queued behind the cold cache while the index warmed up again. "
        .repeat(40)
        + "\n\n";
    let big = ok.replace(
        "A cold cache.",
        &paragraph.repeat(20 * 1024 * 1024 / paragraph.len()),
    );
    site.write("content/big.md", &big);
    let events: String = (0..100_000)
        .map(|i| format!("- 2024-05-02 10:30 - Step {i}\n"))
        .collect();
    site.write(
        "content/timeline-100k.md",
        &ok.replace(
            "- 10:00 - Latency rises.\n- 10:05 - Alert fires.\n",
            &events,
        ),
    );
    // Names that differ only in case (a problem on case-insensitive disks).
    site.write(
        "content/Case.md",
        &ok.replace("A valid incident", "Upper case file"),
    );
    site.write(
        "content/case.md",
        &ok.replace("A valid incident", "Lower case file"),
    );
    std::os::unix::fs::symlink(".", site.root.join("content/loop")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: secret\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root.join("content/outside.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root.join("content/outside-folder")).unwrap();
    std::os::unix::fs::symlink("..", site.root.join("content/up")).unwrap();
    (site, outside)
}

/// Runs the binary with an address-space limit and a time limit.
fn run_bounded(site: &SiteTest, args: &str) -> (i32, String, String) {
    let exe = env!("CARGO_BIN_EXE_hindsight");
    let child = spawn_in(
        site,
        Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v 4000000; exec \"{exe}\" {args}")),
    );
    let out = wait_within(child, Duration::from_secs(120))
        .unwrap_or_else(|| panic!("`hindsight {args}` did not finish within 120 s"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_hostile_input_gets_a_clear_finding() {
    let (site, _outside) = hostile_site();
    let (code, stdout, _) = run_bounded(&site, "check --format json --today 2026-01-01");
    assert_eq!(code, 1);
    let found: BTreeSet<(String, u64, String)> = stdout
        .lines()
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                d["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("content/")
                    .to_string(),
                d["line"].as_u64().unwrap(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, u64, String)> = [
        ("Case.md", 1, "duplicate-slug"),
        ("case.md", 1, "duplicate-slug"),
        ("alias-bomb.md", 2, "front-matter"),
        ("binary.md", 1, "read-error"),
        ("collide-b.md", 12, "slug-collision"),
        ("crlf.md", 3, "field-type"),
        ("lone-cr.md", 3, "field-type"),
        ("duplicate-keys.md", 3, "front-matter"),
        ("empty.md", 1, "front-matter"),
        ("far-dates.md", 4, "field-type"),
        ("far-dates.md", 5, "field-type"),
        ("front-matter-only.md", 13, "missing-section"),
        ("invalid-utf8.md", 17, "read-error"),
        ("loop", 1, "read-error"),
        ("nested.md", 3, "front-matter"),
        ("outside.md", 1, "read-error"),
        ("outside-folder", 1, "read-error"),
        ("up", 1, "read-error"),
        ("tabs.md", 9, "front-matter"),
        ("traversal-slug.md", 3, "field-type"),
        ("unterminated-fence.md", 15, "missing-section"),
        ("unterminated.md", 1, "front-matter"),
        ("wrong-types.md", 2, "field-type"),
        ("wrong-types.md", 3, "field-type"),
        ("wrong-types.md", 4, "field-type"),
        ("wrong-types.md", 7, "field-type"),
        ("wrong-types.md", 8, "field-type"),
        ("wrong-types.md", 10, "field-type"),
    ]
    .into_iter()
    .map(|(f, l, r)| (f.to_string(), l, r.to_string()))
    .collect();
    assert_eq!(found, expected);
    for clean in [
        "ok.md",
        "bom.md",
        "unicode.md",
        "punctuation-heading.md",
        "script-injection.md",
        "big.md",
        "timeline-100k.md",
        "collide-a.md",
    ] {
        assert!(
            !found.iter().any(|(f, _, _)| f == clean),
            "{clean} has findings"
        );
    }
}

/// One build of the hostile site serves several checks (it is slow in a
/// debug build because of the 20 MB file).
#[test]
fn hostile_archives_build_what_is_valid_safely() {
    let (site, _outside) = hostile_site();
    allow_errors_still_builds_every_valid_incident(&site);
    front_matter_is_escaped_in_every_context(&site);
    raw_html_is_kept_for_trusted_archives_and_sanitised_with_safe_html(&site);
}

fn allow_errors_still_builds_every_valid_incident(site: &SiteTest) {
    let (code, stdout, stderr) = run_bounded(site, "build --allow-errors");
    assert_eq!(
        code, 1,
        "skipping broken files is still a failure: {stderr}"
    );
    assert!(stdout.starts_with("Built 8 incidents"), "{stdout}");
    for slug in [
        "ok",
        "bom",
        "unicode",
        "punctuation-heading",
        "script-injection",
        "big",
        "timeline-100k",
        "collide-a",
    ] {
        assert!(
            site.output(&format!("incidents/{slug}/index.html"))
                .is_file(),
            "{slug} built"
        );
    }
    assert!(
        stderr.contains("left out content/binary.md because it has errors"),
        "{stderr}"
    );
    let timeline = site.page("incidents/timeline-100k/index.html");
    assert_eq!(timeline.all(".timeline li").len(), 100_000);
    let unicode = site.page("incidents/unicode/index.html");
    assert_eq!(unicode.texts("h1"), ["🔥 خطأ في البحث — Zoë Ωmega"]);
    let tag_links = unicode.attrs(".facts .chip-tag", "href");
    assert!(
        tag_links.iter().all(|h| h
            .trim_start_matches("/tags/")
            .trim_end_matches('/')
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')),
        "{tag_links:?}"
    );
    assert!(!site.root.join("etc").exists() && !site.output("../etc").exists());
}

fn front_matter_is_escaped_in_every_context(site: &SiteTest) {
    let title = "</title><script>alert(1)</script>";
    let page = site.page("incidents/script-injection/index.html");
    assert_eq!(
        page.texts("head > title"),
        [format!("{title} · Hostile input")]
    );
    assert_eq!(page.texts("h1"), [title]);
    assert_eq!(page.attrs("meta[property='og:title']", "content"), [title]);
    for script in page.all("script") {
        assert!(
            !text(script).contains("alert(1)") && !text(script).contains("alert(2)"),
            "front matter became a script"
        );
    }
    assert_eq!(
        page.attrs(".body a", "href")
            .iter()
            .filter(|h| h.starts_with("javascript:"))
            .count(),
        0,
        "javascript: links are neutralised"
    );
    assert_eq!(page.texts(".facts .chip-tag"), ["#a\"b'<c>"]);
    for listing in [
        "index.html",
        "tags/a-b-c/index.html",
        "actions/index.html",
        "services/search/index.html",
    ] {
        let list = site.page(listing);
        assert!(
            list.all("script")
                .iter()
                .all(|s| !text(*s).contains("alert(1)")),
            "{listing}"
        );
        assert!(
            list.html.root_element().text().any(|t| t.contains(title)),
            "{listing} shows the title as text"
        );
    }
    let feed = std::fs::read_to_string(site.output("atom.xml")).unwrap();
    let feed = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    assert!(
        feed.descendants()
            .any(|n| n.tag_name().name() == "title" && n.text().is_some_and(|t| t.contains(title)))
    );
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.output("incidents.json")).unwrap()).unwrap();
    assert!(
        export["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == title)
    );
    let sitemap = std::fs::read_to_string(site.output("sitemap.xml")).unwrap();
    roxmltree::Document::parse(&sitemap).expect("the sitemap is well-formed XML");
    let stats = site.page("stats/index.html");
    assert!(
        stats.all("svg.chart").len() >= 5,
        "charts render with hostile data"
    );
}

fn raw_html_is_kept_for_trusted_archives_and_sanitised_with_safe_html(site: &SiteTest) {
    let page = site.page("incidents/script-injection/index.html");
    assert!(
        page.all(".body script")
            .iter()
            .any(|s| text(*s).contains("alert(3)")),
        "trusted by default"
    );
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write("site.toml", &format!("safe_html = true\n{toml}"));
    run_bounded(site, "build --allow-errors");
    let page = site.page("incidents/script-injection/index.html");
    assert!(page.all(".body script").is_empty(), "scripts are removed");
    assert!(
        !page.all(".body h2 .anchor").is_empty(),
        "hindsight's own markup survives"
    );
    assert!(
        !page.all(".body input[type=checkbox]").is_empty(),
        "task lists survive"
    );
}

#[test]
fn unreadable_files_are_reported() {
    // Root reads everything, so this can only be checked as another user.
    if unsafe_is_root() {
        eprintln!("SKIPPED: permission checks need a non-root user");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::new("rules/clean");
    let file = site.root.join("content/2024-05-02-search-latency.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let checked = hindsight::site::check(&site.options()).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.rule == hindsight::diagnostic::Rule::ReadError
                && d.message.contains("permission"))
    );
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(true)
}

#[test]
fn a_build_killed_midway_leaves_the_old_output_and_the_next_build_cleans_up() {
    let site = SiteTest::new("basic");
    let template =
        std::fs::read_to_string(site.root.join("content/2022/2022-06-10-cdn-cache.md")).unwrap();
    for i in 0..1500 {
        site.write(
            &format!("content/bulk/2021-01-01-bulk-{i}.md"),
            &template.replace("2022-06-10", "2021-01-01"),
        );
    }
    let out = site.run(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = snapshot(&site.output(""));
    site.write(
        "content/bulk/2021-01-01-bulk-0.md",
        &template
            .replace("CDN served", "CDN really served")
            .replace("2022-06-10", "2021-01-01"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .arg("build")
        .current_dir(&site.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill as soon as the temporary output folder has files in it.
    let started = Instant::now();
    let tmp = loop {
        let tmp = std::fs::read_dir(&site.root)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().contains(".public.hindsight-tmp-"));
        if let Some(tmp) = tmp.filter(|t| walkdir::WalkDir::new(t).into_iter().count() > 50) {
            break tmp;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the build never started writing"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be killed; make the corpus bigger"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        tmp.exists(),
        "killed mid-write, the temporary folder is left behind"
    );
    assert_eq!(
        snapshot(&site.output("")),
        before,
        "the old output is intact"
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!tmp.exists(), "the next build removes the leftover");
    assert!(
        std::fs::read_to_string(site.output("incidents/2021-01-01-bulk-0/index.html"))
            .unwrap()
            .contains("CDN really served")
    );
    let _ = Path::new("");
}
