//! Publishing: the built example archive crawled from a plain static
//! server at a sub-path and at the root, feeds, sitemap, JSON export,
//! GitHub Pages files, link previews, `init`, and external link checks.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use hindsight::content::value::FmValue;
use hindsight::render::export::Export;
use scraper::{Html, Selector};

use super::support::{SiteTest, text};

/// A plain static file server: serves `dir` under `prefix`, 404 elsewhere.
pub(super) fn static_server(dir: PathBuf, prefix: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || answer(stream, &dir, prefix));
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path, prefix: &str) {
    let mut line = String::new();
    BufReader::new(&stream)
        .read_line(&mut line)
        .unwrap_or_default();
    let target = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    let decoded = percent_decode(&target);
    let file = decoded
        .strip_prefix(prefix)
        .filter(|rel| !rel.split('/').any(|s| s == ".."))
        .map(|rel| {
            let path = dir.join(rel);
            if path.is_dir() {
                path.join("index.html")
            } else {
                path
            }
        });
    let (status, body) = match file.and_then(|f| std::fs::read(f).ok()) {
        Some(body) => ("200 OK", body),
        None => ("404 Not Found", b"not found".to_vec()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response[split + 4..].to_vec())
}

/// Resolves `href` found on the page at `base` (an absolute path).
fn resolve(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or("");
    if href.is_empty() {
        return base.to_string();
    }
    if href.starts_with('/') {
        return href.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if href.ends_with('/') && !joined.ends_with('/') {
        format!("{joined}/")
    } else {
        joined
    }
}

/// Crawls every internal link and asset from `start`; returns the paths.
fn crawl(port: u16, start: &str, site_url: &str, prefix: &str) -> BTreeSet<String> {
    let selector = Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start.to_string()]);
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let (status, body) = get(port, &path);
        assert_eq!(status, 200, "{path} is broken");
        if !(path.ends_with('/') || path.ends_with(".html")) {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&body));
        for element in html.select(&selector) {
            let raw = element
                .value()
                .attr("href")
                .or_else(|| element.value().attr("src"))
                .unwrap();
            let raw = raw
                .strip_prefix(site_url)
                .map(|r| format!("{prefix}{r}"))
                .unwrap_or_else(|| raw.to_string());
            if raw.contains("://") || raw.starts_with("mailto:") || raw.starts_with('#') {
                continue;
            }
            let target = resolve(&path, &raw);
            assert!(
                target.starts_with(prefix),
                "{path} links to {raw}, outside {prefix}"
            );
            queue.push_back(target);
        }
    }
    seen
}

#[test]
fn every_link_and_asset_resolves_under_a_sub_path_and_at_the_root() {
    for (site_url, prefix) in [
        ("https://org.github.io/incidents/", "/incidents/"),
        ("https://status.example.com/", "/"),
    ] {
        let site = SiteTest::example();
        let out = site.run(&["build", "--base-url", site_url]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = static_server(site.root.join("public"), prefix);
        let crawled = crawl(port, prefix, site_url, prefix);
        let pages: Vec<String> = walkdir::WalkDir::new(site.output(""))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "index.html")
            .map(|e| {
                let rel = e
                    .path()
                    .parent()
                    .unwrap()
                    .strip_prefix(site.output(""))
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if rel.is_empty() {
                    prefix.to_string()
                } else {
                    format!("{prefix}{rel}/")
                }
            })
            .collect();
        assert!(pages.len() > 80);
        for page in &pages {
            assert!(
                crawled.contains(page),
                "{page} is not reachable from the home page"
            );
        }
        for expected in [
            "stats/",
            "tags/",
            "services/",
            "severity/",
            "style.css",
            "highlight.css",
            "2024/checkout-error-rate.svg",
            "atom.xml",
        ] {
            assert!(
                crawled.contains(&format!("{prefix}{expected}")),
                "{expected} was never linked"
            );
        }
        let html = site.page("incidents/2024-09-03-checkout-readiness-probe/index.html");
        assert_eq!(
            html.attrs(".body img", "src"),
            [format!("{prefix}2024/checkout-error-rate.svg")]
        );
    }
}

#[test]
fn relative_urls_work_from_any_sub_path() {
    let site = SiteTest::example();
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write("site.toml", &format!("relative_urls = true\n{toml}"));
    site.build_clean();
    let port = static_server(site.root.join("public"), "/any/sub/path/");
    let crawled = crawl(
        port,
        "/any/sub/path/",
        "https://fernhill.example/incidents/",
        "/any/sub/path/",
    );
    assert!(crawled.contains("/any/sub/path/incidents/2024-04-18-mail-server-corrupted-update/"));
    assert!(crawled.contains("/any/sub/path/2024/checkout-error-rate.svg"));
    assert!(crawled.len() > 90, "{}", crawled.len());
}

#[test]
fn feeds_and_sitemap_are_valid_xml_with_the_expected_entries() {
    let site = SiteTest::example();
    site.build_clean();
    let feed_text = std::fs::read_to_string(site.output("atom.xml")).unwrap();
    let feed = roxmltree::Document::parse(&feed_text).expect("atom.xml is XML");
    let root = feed.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(root.tag_name().name(), "feed");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    assert_eq!(
        child(root, "id").as_deref(),
        Some("https://fernhill.example/incidents/atom.xml")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 19);
    for entry in &entries {
        for required in ["id", "title", "updated", "summary"] {
            assert!(child(*entry, required).is_some(), "entry lacks {required}");
        }
        let link = entry
            .children()
            .find(|c| c.tag_name().name() == "link")
            .unwrap();
        assert_eq!(link.attribute("rel"), Some("alternate"));
        assert!(
            link.attribute("href")
                .unwrap()
                .starts_with("https://fernhill.example/incidents/incidents/")
        );
    }
    assert_eq!(
        child(entries[0], "title").as_deref(),
        Some(
            "[SEV4] Failed database backup went unnoticed because its alert went to an archived channel"
        )
    );
    assert_eq!(
        child(root, "updated"),
        child(entries[0], "updated"),
        "the feed is as new as its newest entry"
    );

    let email = std::fs::read_to_string(site.output("services/email/atom.xml")).unwrap();
    let email = roxmltree::Document::parse(&email).unwrap();
    let titles: Vec<String> = email
        .descendants()
        .filter(|n| n.tag_name().name() == "entry")
        .map(|e| child(e, "title").unwrap())
        .collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("Staff mail server down")));

    let sitemap_text = std::fs::read_to_string(site.output("sitemap.xml")).unwrap();
    let sitemap = roxmltree::Document::parse(&sitemap_text).expect("sitemap.xml is XML");
    let locs: BTreeSet<String> = sitemap
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .map(str::to_string)
        .collect();
    let pages: BTreeSet<String> = walkdir::WalkDir::new(site.output(""))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e
                .path()
                .parent()
                .unwrap()
                .strip_prefix(site.output(""))
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel.is_empty() {
                "https://fernhill.example/incidents/".to_string()
            } else {
                format!("https://fernhill.example/incidents/{rel}/")
            }
        })
        .collect();
    assert_eq!(locs, pages, "the sitemap lists every page");
}

#[test]
fn the_json_export_round_trips_and_matches_the_content() {
    let site = SiteTest::example();
    site.build_clean();
    let bytes = std::fs::read(site.output("incidents.json")).unwrap();
    let export: Export =
        serde_json::from_slice(&bytes).expect("incidents.json has the documented schema");
    let mut again = serde_json::to_vec(&export).unwrap();
    again.push(b'\n');
    assert_eq!(
        again, bytes,
        "serialising the parsed export gives the same bytes"
    );
    assert_eq!(export.version, 1);
    assert_eq!(export.incidents.len(), 19);
    let mail = export
        .incidents
        .iter()
        .find(|i| i.slug == "2024-04-18-mail-server-corrupted-update")
        .unwrap();
    assert_eq!(mail.start, "2024-04-18T09:30:00+02:00");
    assert_eq!(mail.timezone, "Africa/Johannesburg");
    assert_eq!(
        (
            mail.duration_minutes,
            mail.time_to_detect_minutes,
            mail.time_to_mitigate_minutes
        ),
        (Some(90), Some(2), Some(80))
    );
    assert_eq!(mail.users_affected_pct, Some(90.0));
    assert_eq!(mail.services, ["email"]);
    assert_eq!(
        mail.timeline
            .first()
            .map(|e| (e.offset_minutes, e.at.as_str())),
        Some((Some(-6), "2024-04-18T09:24:00+02:00"))
    );
    assert_eq!(mail.timeline.len(), 13);
    let statuses: BTreeSet<&str> = export
        .incidents
        .iter()
        .flat_map(|i| i.action_items.iter().map(|a| a.status.word()))
        .collect();
    assert_eq!(
        statuses,
        BTreeSet::from(["done", "in-progress", "open", "wont-do"])
    );
}

#[test]
fn github_pages_files_and_link_previews() {
    let site = SiteTest::example();
    let toml = std::fs::read_to_string(site.root.join("site.toml")).unwrap();
    site.write(
        "site.toml",
        &format!("cname = \"status.example.com\"\n{toml}"),
    );
    site.build_clean();
    assert!(site.output(".nojekyll").is_file());
    assert_eq!(
        std::fs::read_to_string(site.output("CNAME")).unwrap(),
        "status.example.com\n"
    );
    assert!(site.output("404.html").is_file());
    let robots = std::fs::read_to_string(site.output("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://fernhill.example/incidents/sitemap.xml"),
        "{robots}"
    );
    let page = site.page("incidents/2024-04-18-mail-server-corrupted-update/index.html");
    assert_eq!(
        page.attrs("link[rel=canonical]", "href"),
        ["https://fernhill.example/incidents/incidents/2024-04-18-mail-server-corrupted-update/"]
    );
    assert_eq!(
        page.attrs("meta[property='og:type']", "content"),
        ["article"]
    );
    assert_eq!(
        page.attrs("meta[property='og:title']", "content"),
        ["Staff mail server down after a corrupted update package"]
    );
    let description = page.attrs("meta[property='og:description']", "content");
    assert!(
        description[0].starts_with("SEV2 Major · lasted 1h 30m · Staff could not send"),
        "{description:?}"
    );
    assert_eq!(
        page.attrs("meta[name='twitter:card']", "content"),
        ["summary"]
    );
    assert_eq!(
        page.attrs("link[rel=alternate][type='application/atom+xml']", "href"),
        ["/incidents/atom.xml"]
    );
}

#[test]
fn init_creates_an_archive_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("archive");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["init"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["check", "--strict", "--root"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("0 errors, 0 warnings in 0 of 1 incident")
    );
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["build", "--root"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        target
            .join("public/incidents/2024-04-18-checkout-500-config-typo/index.html")
            .is_file()
    );
    assert_eq!(
        std::fs::read_to_string(target.join(".gitignore")).unwrap(),
        "/public\n/.public.hindsight-*\n"
    );

    let workflow = std::fs::read_to_string(target.join(".github/workflows/pages.yml")).unwrap();
    let parsed = hindsight::content::yaml::parse(&workflow).expect("the workflow is YAML");
    let mut uses = BTreeSet::new();
    collect_uses(&parsed, &mut uses);
    for action in [
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(&format!("{action}@"))),
            "{action} missing from {uses:?}"
        );
    }
    assert!(workflow.contains("command: check"));
    assert!(workflow.contains("base-url: ${{ steps.pages.outputs.base_url }}"));

    std::fs::write(target.join("site.toml"), "title = \"mine\"\n").unwrap();
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .arg("init")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(
        std::fs::read_to_string(target.join("site.toml")).unwrap(),
        "title = \"mine\"\n",
        "nothing overwritten"
    );
}

fn collect_uses(value: &FmValue, out: &mut BTreeSet<String>) {
    match value {
        FmValue::Map(entries) => {
            for (k, v) in entries {
                if k == "uses"
                    && let FmValue::Str(s) = v
                {
                    out.insert(s.clone());
                }
                collect_uses(v, out);
            }
        }
        FmValue::List(items) => items.iter().for_each(|i| collect_uses(i, out)),
        _ => {}
    }
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut line = String::new();
            BufReader::new(&stream)
                .read_line(&mut line)
                .unwrap_or_default();
            let status = if line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    let site = SiteTest::new("rules/clean");
    let file = "content/2024-05-02-search-latency.md";
    let body = std::fs::read_to_string(site.root.join(file)).unwrap();
    site.write(file, &body.replace("A cold cache after a deploy.", &format!("A cold cache, see [ok](http://127.0.0.1:{port}/ok) and\n[gone](http://127.0.0.1:{port}/gone).")));
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "no fetching without --external");
    let out = site.run(&["check", "--format", "json", "--external"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let findings: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 1, "{stdout}");
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(37), Some(1))
    );
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("/gone answered HTTP 404")
    );
    let _ = text;
}
