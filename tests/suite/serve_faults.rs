//! `serve` against the faults a hostile test run found: rebuild loops,
//! foreign Host headers, folders recreated while watching, configuration
//! changes, slow and idle connections. Each test runs the real binary.

use std::time::{Duration, Instant};

use super::server::Server;
use super::support::SiteTest;

const CDN: &str = "content/2022/2022-06-10-cdn-cache.md";

/// Lines of `log` (under the site root) that report a rebuild.
fn rebuilds(site: &SiteTest, log: &str) -> usize {
    std::fs::read_to_string(site.root.join(log))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("Rebuilt") || l.starts_with("Kept the last good site"))
        .count()
}

#[test]
fn output_written_into_the_site_folder_triggers_no_rebuild() {
    let site = SiteTest::new("basic");
    let text = std::fs::read_to_string(site.root.join(CDN)).unwrap();
    // An error, so that every rebuild prints, and the print lands in the
    // log inside the site folder.
    site.write(CDN, &text.replace("severity: SEV4", "severity: SEV9"));
    let server = Server::start_logged(&site, "serve.log");
    std::thread::sleep(Duration::from_secs(2));
    let idle = rebuilds(&site, "serve.log");
    assert_eq!(server.get("").0, 503, "no good build yet");
    // Saving a file without changing it is not a change either.
    site.write(CDN, &text.replace("severity: SEV4", "severity: SEV9"));
    site.write(
        "site.toml",
        &std::fs::read_to_string(site.root.join("site.toml")).unwrap(),
    );
    std::thread::sleep(Duration::from_millis(700));
    let unchanged = rebuilds(&site, "serve.log") - idle;
    // A real change is still picked up, once.
    site.write(CDN, &text);
    let started = Instant::now();
    while rebuilds(&site, "serve.log") == idle + unchanged {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the fix was never rebuilt"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_secs(1));
    let fixed = rebuilds(&site, "serve.log") - idle - unchanged;
    assert_eq!(
        (idle, unchanged),
        (0, 0),
        "rebuilds in 2 s idle, and after saves without changes"
    );
    assert!(fixed <= 2, "{fixed} rebuilds for one save");
}

#[test]
fn foreign_host_names_are_refused() {
    let site = SiteTest::new("basic");
    let server = Server::start_with(&site, &["--allow-host", "preview.test"]);
    let port = server.port;
    let status = |target: &str, host: &str| {
        let response = server.raw_as(target, host);
        let code = response.get(9..12).unwrap_or("").to_string();
        (code, response)
    };
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        for target in ["/archive/", "/__hindsight/status", "/__hindsight/events"] {
            let (code, response) = status(target, &host);
            assert_eq!(code, "403", "{host} {target}: {response}");
            let name = host.split(':').next().unwrap();
            assert!(
                response.contains(&format!("--allow-host {name}")),
                "{response}"
            );
            assert!(!response.contains("cdn"), "nothing of the site leaks");
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("preview.localhost:{port}"),
        format!("preview.test:{port}"),
    ] {
        let (code, response) = status("/__hindsight/status", &host);
        assert_eq!(code, "200", "{host}: {response}");
    }
}
