//! `serve`: the incremental engine matches a full build after every kind
//! of edit, and the real server (started as a process) serves, reloads,
//! keeps the last good site on errors and refuses traversal.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hindsight::serve::{Engine, LIVE_RELOAD_TAG, Reload};
use hindsight::site::{self, SiteOptions};

use super::server::Server;
use super::support::{SiteTest, TODAY};

fn options(site: &SiteTest) -> SiteOptions {
    SiteOptions {
        drafts: true,
        today: Some(TODAY.parse().unwrap()),
        inject: Some(LIVE_RELOAD_TAG.to_string()),
        ..SiteOptions::new(&site.root)
    }
}

/// Asserts the engine serves exactly what a fresh full build produces.
fn assert_matches_full_build(engine: &Engine, site: &SiteTest, step: &str) {
    let (full, files) = site::render_site(&options(site)).expect("full build");
    assert!(
        full.diagnostics
            .iter()
            .all(|d| d.level != hindsight::diagnostic::Level::Error),
        "{step}: {:#?}",
        full.diagnostics
    );
    let expected: BTreeMap<&str, &[u8]> = files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let served: BTreeMap<&str, &[u8]> = engine
        .site
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let missing: Vec<&&str> = expected
        .keys()
        .filter(|p| !served.contains_key(*p))
        .collect();
    let extra: Vec<&&str> = served
        .keys()
        .filter(|p| !expected.contains_key(*p))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    for (path, bytes) in &expected {
        assert!(
            served[path] == *bytes,
            "{step}: {path} differs from a full build"
        );
    }
}

fn apply(engine: &mut Engine, site: &SiteTest, rels: &[&str]) -> hindsight::serve::Outcome {
    let paths: Vec<PathBuf> = rels.iter().map(|r| site.root.join(r)).collect();
    let outcome = engine.apply(&paths);
    engine.finish_deferred();
    outcome
}

const CDN: &str = "content/2022/2022-06-10-cdn-cache.md";
const PAGE: &str = "incidents/2022-06-10-cdn-cache/index.html";
const DISK: &str = "content/2023/2023-11-05-disk-full.md";

#[test]
fn incremental_rebuilds_match_a_full_build() {
    let site = SiteTest::new("basic");
    let mut engine = Engine::new(options(&site)).expect("engine");
    assert_matches_full_build(&engine, &site, "initial");
    let total = engine.site.len();

    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(site.root.join(rel)).unwrap();
        assert!(text.contains(from), "{rel} lacks {from}");
        site.write(rel, &text.replacen(from, to, 1));
    };

    edit(
        CDN,
        "CDN served a stale homepage",
        "CDN served an old homepage",
    );
    let outcome = apply(&mut engine, &site, &[CDN]);
    assert!(
        outcome.ok() && outcome.reload == Reload::Full,
        "{outcome:?}"
    );
    assert!(
        outcome.rendered < total / 2,
        "a title edit re-rendered {} of {total} files",
        outcome.rendered
    );
    assert_matches_full_build(&engine, &site, "edit a title");

    edit(
        DISK,
        "tags: [database, disk-full]",
        "tags: [database, storage, cache]",
    );
    apply(&mut engine, &site, &[DISK]);
    assert_matches_full_build(&engine, &site, "change tags");

    let new = "content/2025/2025-02-02-new-outage.md";
    let text = std::fs::read_to_string(site.root.join(CDN)).unwrap();
    site.write(
        new,
        &text
            .replace("2022-06-10", "2025-02-02")
            .replace("[cdn]", "[cdn, web]"),
    );
    apply(&mut engine, &site, &[new]);
    assert_matches_full_build(&engine, &site, "add an incident in a new year");

    let lag = "content/2024/2024-02-01-replica-lag.md";
    let disk = std::fs::read_to_string(site.root.join(DISK)).unwrap();
    site.write(
        lag,
        &disk
            .replace("Disk full on the reporting replica", "Replica lag")
            .replace("2023-11-05 23:40", "2024-02-01 10:00")
            .replace("2023-11-06 00:35", "2024-02-01 10:55")
            .replace("- 23:40", "- 10:00")
            .replace("- 23:55", "- 10:15")
            .replace("- 00:10", "- 10:30")
            .replace("- 00:35", "- 10:55")
            .replace("![Disk usage](chart.svg)", ""),
    );
    apply(&mut engine, &site, &[lag]);
    let failover =
        String::from_utf8_lossy(&engine.site["incidents/2024-03-31-db-failover/index.html"])
            .into_owned();
    assert!(
        failover.contains("This has happened before"),
        "the recurrence shows on the other incident's page"
    );
    assert_matches_full_build(&engine, &site, "a recurrence");

    let renamed = "content/2022/2022-06-10-cdn-stale-homepage.md";
    std::fs::rename(site.root.join(CDN), site.root.join(renamed)).unwrap();
    apply(&mut engine, &site, &[CDN, renamed]);
    assert!(
        !engine
            .site
            .contains_key("incidents/2022-06-10-cdn-cache/index.html")
    );
    assert_matches_full_build(&engine, &site, "rename a file");

    edit(
        new,
        "start: 2025-02-02T12:00:00+09:00",
        "start: 2020-02-02T12:00:00+09:00",
    );
    edit(
        new,
        "end: 2025-02-02T12:07:00+09:00",
        "end: 2020-02-02T12:07:00+09:00",
    );
    edit(
        new,
        "detected: 2025-02-02T12:01:00+09:00",
        "detected: 2020-02-02T12:01:00+09:00",
    );
    apply(&mut engine, &site, &[new]);
    assert_matches_full_build(&engine, &site, "move an incident in time");

    std::fs::remove_file(site.root.join(new)).unwrap();
    apply(&mut engine, &site, &[new]);
    assert_matches_full_build(&engine, &site, "delete an incident");

    site.write("content/_index.md", "New **home** prose.\n");
    site.write(
        "content/2023/extra.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    apply(
        &mut engine,
        &site,
        &["content/_index.md", "content/2023/extra.svg"],
    );
    assert!(engine.site.contains_key("2023/extra.svg"));
    assert_matches_full_build(&engine, &site, "home prose and an asset");

    std::fs::rename(
        site.root.join("content/2022"),
        site.root.join("content/older"),
    )
    .unwrap();
    apply(&mut engine, &site, &["content/2022", "content/older"]);
    assert_matches_full_build(&engine, &site, "rename a folder");

    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock content %}",
    );
    apply(&mut engine, &site, &["templates/404.html"]);
    assert_matches_full_build(&engine, &site, "a template override");

    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &toml.replace("Example Ops archive", "Renamed archive"),
    );
    apply(&mut engine, &site, &["site.toml"]);
    assert_matches_full_build(&engine, &site, "site.toml");

    site.write("content/2023/.2023-11-05-disk-full.md.swp", "junk");
    site.write("content/2023/2023-11-05-disk-full.md~", "junk");
    let outcome = apply(
        &mut engine,
        &site,
        &[
            "content/2023/.2023-11-05-disk-full.md.swp",
            "content/2023/2023-11-05-disk-full.md~",
        ],
    );
    assert_eq!(outcome.reload, Reload::None, "editor litter is ignored");
}

#[test]
fn bad_edits_keep_the_last_good_site() {
    let site = SiteTest::new("basic");
    let mut engine = Engine::new(options(&site)).expect("engine");
    let before = engine.site.clone();
    let text = std::fs::read_to_string(site.root.join(CDN)).unwrap();
    site.write(CDN, &text.replace("severity: SEV4", "severity: SEV9"));
    let outcome = apply(&mut engine, &site, &[CDN]);
    assert!(!outcome.ok());
    let problem = outcome
        .problems
        .iter()
        .find(|p| p.rule == "field-type")
        .expect("field-type problem");
    assert_eq!(
        (problem.file.as_str(), problem.line, problem.column),
        (CDN, 3, 11)
    );
    assert_eq!(
        engine.site, before,
        "nothing changes while there are errors"
    );
    site.write(
        "templates/incident.html",
        "{% extends \"base.html\" %}{% block content %}{{ oops( }}{% endblock content %}",
    );
    let outcome = apply(&mut engine, &site, &["templates/incident.html"]);
    assert!(
        outcome
            .problems
            .iter()
            .any(|p| p.rule == "template" && p.file == "templates/incident.html"),
        "{:?}",
        outcome.problems
    );
    std::fs::remove_file(site.root.join("templates/incident.html")).unwrap();
    site.write(CDN, &text);
    let outcome = apply(&mut engine, &site, &[CDN, "templates/incident.html"]);
    assert!(outcome.ok(), "{:?}", outcome.problems);
    assert_matches_full_build(&engine, &site, "after fixing");
}

/// The next live-reload message that concerns `page` (an output path):
/// one without a list of paths (every page), or one that lists it. The
/// rest of a rebuild (lists, feeds, search) follows in a second message
/// that names only those files.
fn event_for(rx: &mpsc::Receiver<String>, page: &str) -> serde_json::Value {
    loop {
        let event = next_event(rx);
        match event["paths"].as_array() {
            Some(paths) if !paths.iter().any(|p| p == page) => continue,
            _ => return event,
        }
    }
}

/// Lets the server settle after an expected event and drops what else it
/// announced: a save can reach the watcher as two changes (truncate, then
/// write), and under load the second is rebuilt, and announced, apart.
fn settle(rx: &mpsc::Receiver<String>) {
    while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
}

fn next_event(rx: &mpsc::Receiver<String>) -> serde_json::Value {
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("a live-reload event");
    serde_json::from_str(&line).unwrap()
}

#[test]
fn the_server_serves_reloads_and_keeps_the_last_good_site() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    assert!(
        server.base.ends_with("/archive/"),
        "served under the base path: {}",
        server.base
    );
    let (status, body) = server.get("incidents/2022-06-10-cdn-cache/");
    assert_eq!(status, 200);
    assert!(body.contains(LIVE_RELOAD_TAG), "live reload is injected");
    assert!(body.contains("CDN served a stale homepage"));
    let (status, _) = server.get("no/such/page/");
    assert_eq!(status, 404);
    let head = server.raw("/archive/style.css");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("content-type: text/css"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    for target in [
        "/archive/../site.toml",
        "/archive/%2e%2e/site.toml",
        "/archive/%2e%2e%2fsite.toml",
        "/etc/passwd",
        "/archive//etc/passwd",
        "/archive/..%5csite.toml",
    ] {
        let response = server.raw(target);
        assert!(
            response.starts_with("HTTP/1.1 404"),
            "{target}: {}",
            response.lines().next().unwrap_or("")
        );
        assert!(!response.contains("base_url"), "{target} leaked site.toml");
    }

    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    let text = std::fs::read_to_string(site.root.join(CDN)).unwrap();
    site.write(
        CDN,
        &text.replace(
            "CDN served a stale homepage",
            "CDN served an outdated homepage",
        ),
    );
    let event = event_for(&events, PAGE);
    assert_eq!(
        (event["reload"].as_str(), event["ok"].as_bool()),
        (Some("full"), Some(true)),
        "{event}"
    );
    assert!(
        server
            .get("incidents/2022-06-10-cdn-cache/")
            .1
            .contains("CDN served an outdated homepage")
    );

    settle(&events);
    site.write(CDN, &text.replace("severity: SEV4", "severity: SEV9"));
    let event = event_for(&events, PAGE);
    assert_eq!(event["ok"].as_bool(), Some(false), "{event}");
    assert_eq!(event["problems"][0]["rule"], "field-type");
    let status = server.raw("/__hindsight/status");
    assert!(
        status.contains("\"ok\":false") && status.contains("unknown severity `SEV9`"),
        "{status}"
    );
    assert!(
        server
            .get("incidents/2022-06-10-cdn-cache/")
            .1
            .contains("CDN served an outdated homepage"),
        "old page kept"
    );

    settle(&events);
    site.write(CDN, &text);
    let event = event_for(&events, PAGE);
    assert_eq!(event["ok"].as_bool(), Some(true), "{event}");

    let renamed = "content/2022/2022-06-10-cdn-renamed.md";
    settle(&events);
    std::fs::rename(site.root.join(CDN), site.root.join(renamed)).unwrap();
    let event = event_for(&events, PAGE);
    assert_eq!(event["ok"].as_bool(), Some(true), "{event}");
    assert_eq!(server.get("incidents/2022-06-10-cdn-cache/").0, 404);
    assert_eq!(server.get("incidents/2022-06-10-cdn-renamed/").0, 200);
    settle(&events);
    std::fs::remove_file(site.root.join(renamed)).unwrap();
    let _ = event_for(&events, "incidents/2022-06-10-cdn-renamed/index.html");
    assert_eq!(server.get("incidents/2022-06-10-cdn-renamed/").0, 404);
}

#[test]
fn concurrent_requests_during_rebuilds_get_complete_responses() {
    let site = SiteTest::new("basic");
    let server = Server::start(&site);
    let base = server.base.clone();
    let root = site.root.clone();
    let writer = std::thread::spawn(move || {
        let path = root.join(DISK);
        let text = std::fs::read_to_string(&path).unwrap();
        for i in 0..10 {
            std::fs::write(
                &path,
                text.replace(
                    "Disk full on the reporting replica",
                    &format!("Disk full, take {i}"),
                ),
            )
            .unwrap();
            std::thread::sleep(Duration::from_millis(30));
        }
    });
    let clients: Vec<_> = (0..50)
        .map(|i| {
            let url = format!(
                "{base}{}",
                if i % 2 == 0 {
                    ""
                } else {
                    "incidents/2023-11-05-disk-full/"
                }
            );
            std::thread::spawn(move || {
                (0..4)
                    .map(|_| {
                        let mut response = ureq::get(&url).call().expect("request");
                        let length: Option<usize> = response
                            .headers()
                            .get("content-length")
                            .and_then(|v| v.to_str().ok()?.parse().ok());
                        let body = response.body_mut().read_to_string().unwrap();
                        (length, body)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for client in clients {
        for (length, body) in client.join().unwrap() {
            assert_eq!(length, Some(body.len()), "content-length matches the body");
            assert!(body.trim_end().ends_with("</html>"), "complete page");
        }
    }
    writer.join().unwrap();
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = SiteTest::new("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(&site.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let got: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect(&line);
    assert!(got > port && got <= port + 10, "{line}");
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = SiteTest::new("basic");
    let mut server = Server::start(&site);
    // An open tab keeps a live-reload stream open; it must not hold the
    // shutdown.
    let _events = server.events();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Path::new("");
}
