//! What `build` prints: every error, at most 20 warnings and a count per
//! rule of the rest, pointing at `check`; `--quiet` and `--verbose`; and
//! `check`, which still prints every finding.

use super::support::SiteTest;

const FILE: &str = "content/2024-05-02-search-latency.md";

/// The clean fixture plus `n` copies of its postmortem without an action
/// item owner: `n` `action-owner` warnings.
fn noisy_site(n: usize) -> SiteTest {
    let site = SiteTest::new("rules/clean");
    let body = std::fs::read_to_string(site.root.join(FILE)).unwrap();
    let unowned = body.replace("    owner: search-team\n", "");
    assert_ne!(unowned, body, "the fixture's owner line moved");
    for i in 0..n {
        site.write(&format!("content/copy-{i:02}.md"), &unowned);
    }
    site
}

fn stderr_of(site: &SiteTest, args: &[&str]) -> (Option<i32>, String, String) {
    let out = site.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), stdout, stderr)
}

#[test]
fn build_shows_twenty_warnings_and_counts_the_rest() {
    let site = noisy_site(30);
    let (code, stdout, stderr) = stderr_of(&site, &["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("warning[action-owner]").count(),
        20,
        "{stderr}"
    );
    assert!(
        stderr.contains("10 more not shown; `hindsight check` lists every finding"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n  action-owner: 30 warnings\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("0 errors, 30 warnings in 30 of 31 incidents"),
        "{stderr}"
    );
    assert!(stdout.starts_with("Built 31 incidents"), "{stdout}");

    let (_, _, verbose) = stderr_of(&site, &["build", "--verbose"]);
    assert_eq!(
        verbose.matches("warning[action-owner]").count(),
        30,
        "{verbose}"
    );
    assert!(!verbose.contains("more not shown"), "{verbose}");

    let (code, stdout, quiet) = stderr_of(&site, &["build", "-q"]);
    assert_eq!((code, stdout.as_str(), quiet.as_str()), (Some(0), "", ""));

    let (_, check, _) = stderr_of(&site, &["check", "--format", "json"]);
    assert_eq!(check.lines().count(), 30, "check prints every finding");
}

#[test]
fn build_prints_every_error_even_when_quiet() {
    let site = noisy_site(25);
    let body = std::fs::read_to_string(site.root.join(FILE)).unwrap();
    let backwards = body.replace("end: 2024-05-02T11:00:00Z", "end: 2024-05-02T09:00:00Z");
    for i in 0..25 {
        site.write(&format!("content/backwards-{i:02}.md"), &backwards);
    }
    for args in [&["build"][..], &["build", "--quiet"]] {
        let (code, stdout, stderr) = stderr_of(&site, args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert_eq!(
            stderr.matches("error[end-before-start]").count(),
            25,
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("nothing was written"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("25 errors, 25 warnings in 50 of 51"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stdout, "", "{args:?}");
        let warnings = stderr.matches("warning[action-owner]").count();
        assert_eq!(
            warnings,
            if args.len() == 1 { 20 } else { 0 },
            "{args:?}: {stderr}"
        );
    }
    let (code, _, both) = stderr_of(&site, &["build", "--quiet", "--verbose"]);
    assert_eq!(code, Some(2), "{both}");
}
