//! `serve` against the faults a hostile test run found: rebuild loops,
//! foreign Host headers, folders recreated while watching, configuration
//! changes, slow and idle connections. Each test runs the real binary.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::server::{Server, fetch};
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

/// Polls `path` until its body contains `text`; false after 15 s.
fn shows(server: &Server, path: &str, text: &str) -> bool {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(15) {
        if server.get(path).1.contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

const PAGE: &str = "incidents/2022-06-10-cdn-cache/";

/// Replaces the title of the CDN postmortem in the `content` folder at
/// `content` with `title`.
fn retitle(content: &std::path::Path, title: &str) {
    let path = content.join("2022/2022-06-10-cdn-cache.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("title: ").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let text = format!("{}title: \"{title}\"{}", &text[..start], &text[end..]);
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_content_folder_recreated_while_serving_is_watched_again() {
    let site = SiteTest::new("basic");
    let content = site.root.join("content");
    let backup = site.root.with_file_name("backup");
    super::support::copy_dir(&content, &backup);
    let server = Server::start(&site);

    // Removed and copied back from a backup.
    std::fs::remove_dir_all(&content).unwrap();
    super::support::copy_dir(&backup, &content);
    std::thread::sleep(Duration::from_millis(500));
    retitle(&content, "Edited after a restore");
    assert!(
        shows(&server, PAGE, "Edited after a restore"),
        "edit after rm -rf && cp -r: {}",
        server.raw("/__hindsight/status")
    );

    // Swapped for another folder by two renames.
    let next = site.root.join("content.next");
    super::support::copy_dir(&content, &next);
    std::fs::rename(&content, site.root.join("content.old")).unwrap();
    std::fs::rename(&next, &content).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    retitle(&content, "Edited after a swap");
    assert!(
        shows(&server, PAGE, "Edited after a swap"),
        "edit after a folder swap"
    );

    // Recreated folder by folder, file by file.
    std::fs::remove_dir_all(&content).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::create_dir(&content).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    for entry in walkdir::WalkDir::new(&backup).min_depth(1) {
        let entry = entry.unwrap();
        let target = content.join(entry.path().strip_prefix(&backup).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        shows(&server, PAGE, "CDN served a stale homepage"),
        "rebuilt file by file"
    );
    let (_, home) = server.get("");
    for slug in [
        "2023-02-01-cert-expiry",
        "2023-11-05-disk-full",
        "2024-03-31-db-failover",
    ] {
        assert!(home.contains(slug), "{slug} is listed again");
    }
    retitle(&content, "Edited after a rebuild by hand");
    assert!(shows(&server, PAGE, "Edited after a rebuild by hand"));
}

#[test]
fn a_new_base_url_moves_the_served_site() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let root = server.base.trim_end_matches("archive/").to_string();
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("https://example.org/archive/", "https://example.org/docs/"),
    );
    let started = Instant::now();
    let message = loop {
        let line = events
            .recv_timeout(Duration::from_secs(20))
            .expect("a live-reload message");
        let message: serde_json::Value = serde_json::from_str(&line).unwrap();
        if message["ok"] == true || started.elapsed() > Duration::from_secs(20) {
            break message;
        }
    };
    assert_eq!(message["base"], "/docs/", "{message}");
    let (status, body) = fetch(&format!("{root}docs/{PAGE}"));
    assert_eq!(status, 200, "the page under the new base");
    assert!(body.contains("href=\"/docs/"), "links follow the new base");
    assert_eq!(fetch(&format!("{root}archive/{PAGE}")).0, 404);
    assert_eq!(server.raw("/").get(9..12), Some("301"));
    assert!(server.raw("/").contains("location: /docs/"));
}

/// True when the server closes `stream` within `limit` (a read sees the
/// end, or a reset), false when it is still open.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

#[test]
fn slow_and_idle_connections_time_out_and_never_lock_others_out() {
    let idle_count = if hindsight::serve::listen::raise_file_limit(4096) >= 2048 {
        1100
    } else {
        400
    };
    let site = SiteTest::new("basic");
    // The default limit of many systems, which 1,100 idle clients exceed.
    let server = Server::start_in_shell(&site, "ulimit -Sn 1024; ", "serve.log");
    let port = server.port;
    let started = Instant::now();
    let slow: Vec<_> = (0..50)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                let _ = stream.write_all(b"GET /archive/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
                // One byte every half second: headers that never end.
                while started.elapsed() < Duration::from_secs(25) {
                    std::thread::sleep(Duration::from_millis(500));
                    if stream.write_all(b"a").is_err() {
                        return started.elapsed();
                    }
                }
                started.elapsed()
            })
        })
        .collect();
    let mut idle: Vec<TcpStream> = (0..idle_count)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    // A new visitor gets the page within the header timeout and a margin.
    let answered = loop {
        let response = std::panic::catch_unwind(|| server.raw("/archive/"));
        if response.is_ok_and(|r| r.starts_with("HTTP/1.1 200")) {
            break true;
        }
        if started.elapsed() > Duration::from_secs(25) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert!(
        answered,
        "no answer within 25 s with {idle_count} idle connections open"
    );
    let idle_closed = closed_within(&mut idle[0], Duration::from_secs(15));
    assert!(idle_closed, "an idle connection stays open");
    for client in slow {
        let lasted = client.join().unwrap();
        assert!(
            lasted < Duration::from_secs(20),
            "a slow client lasted {lasted:?}"
        );
    }
}

#[test]
fn removing_site_toml_while_serving_is_shown_as_an_error() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    std::fs::remove_file(site.root.join("site.toml")).unwrap();
    let line = events
        .recv_timeout(Duration::from_secs(20))
        .expect("a live-reload message");
    let message: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(message["ok"], false, "{message}");
    assert_eq!(message["problems"][0]["file"], "site.toml", "{message}");
    assert!(
        message["problems"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("site.toml was removed")),
        "{message}"
    );
    let status = server.raw("/__hindsight/status");
    assert!(status.contains("\"ok\":false"), "{status}");
    assert_eq!(server.get(PAGE).0, 200, "the last good site stays");
    site.write("site.toml", &toml);
    let line = events
        .recv_timeout(Duration::from_secs(20))
        .expect("a live-reload message");
    let message: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(message["ok"], true, "{message}");
}
