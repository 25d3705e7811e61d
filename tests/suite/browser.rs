//! Real-browser tests: runs the Node suite in `tests/browser/` (Chromium
//! through playwright-core, the Nu HTML Checker, axe-core) against the
//! `hindsight` binary cargo built for this test run.
//!
//! It needs Node.js ≥ 20, Debian's Chromium (`/usr/bin/chromium`, or
//! `HINDSIGHT_CHROMIUM`), Java and `npm ci` in `tests/browser/`. When one
//! is missing the test prints `SKIPPED: …` and passes, unless
//! `HINDSIGHT_BROWSER_TESTS=required` (as in `.ci/run`), which makes it
//! fail; `HINDSIGHT_BROWSER_TESTS=off` skips it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::support::runs;

/// The suite takes a minute or two; past this it is stopped.
const TIME_LIMIT: Duration = Duration::from_secs(10 * 60);

/// Writes to the real stderr, past the test harness's capture, so a skip
/// or the suite's progress shows even when the test passes.
fn say(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The major version of `node`, if it runs.
fn node_major() -> Option<u32> {
    let out = Command::new("node").arg("--version").output().ok()?;
    let version = String::from_utf8_lossy(&out.stdout);
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// What the suite needs that this machine lacks.
fn missing(browser_dir: &Path, chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    match node_major() {
        None => missing.push("Node.js (`node` does not run)".to_string()),
        Some(v) if v < 20 => missing.push(format!("Node.js ≥ 20 (found v{v})")),
        Some(_) => {}
    }
    if !chromium.is_file() {
        missing.push(format!(
            "Chromium ({} not found: `apt-get install chromium`, or set HINDSIGHT_CHROMIUM)",
            chromium.display()
        ));
    }
    if !runs("java", &["-version"]) {
        missing
            .push("Java (`java` does not run: `apt-get install default-jre-headless`)".to_string());
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !browser_dir
            .join("node_modules")
            .join(package)
            .join("package.json")
            .is_file()
        {
            missing.push(format!(
                "tests/browser/node_modules/{package} (run `npm ci` in tests/browser)"
            ));
        }
    }
    missing
}

/// Copies a child's output, line by line, to the real stderr (prefixed)
/// and into `log`.
fn relay(
    stream: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            say(&format!("[browser] {line}\n"));
            let mut log = log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    })
}

#[test]
fn browser_suite() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = repo.join("tests/browser");
    let mode = std::env::var("HINDSIGHT_BROWSER_TESTS").unwrap_or_default();
    if mode == "off" {
        say("\nSKIPPED: browser tests (HINDSIGHT_BROWSER_TESTS=off)\n\n");
        return;
    }
    let chromium = std::env::var_os("HINDSIGHT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let missing = missing(&browser_dir, &chromium);
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|m| format!("  - {m}"))
            .collect::<Vec<_>>()
            .join("\n");
        if mode == "required" {
            panic!(
                "browser tests are required (HINDSIGHT_BROWSER_TESTS=required) but this machine lacks:\n{list}"
            );
        }
        say(&format!(
            "\n\
             ********************************************************************\n\
             SKIPPED: browser tests (tests/browser) did not run; this machine lacks:\n\
             {list}\n\
             Install them (see .ci/run) or set HINDSIGHT_BROWSER_TESTS=required\n\
             to make this a failure.\n\
             ********************************************************************\n\n"
        ));
        return;
    }

    let started = Instant::now();
    let mut child = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .current_dir(repo)
        .env("HINDSIGHT_BIN", env!("CARGO_BIN_EXE_hindsight"))
        .env("HINDSIGHT_CHROMIUM", &chromium)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    let log = Arc::new(Mutex::new(String::new()));
    let readers = [
        relay(child.stdout.take().unwrap(), log.clone()),
        relay(child.stderr.take().unwrap(), log.clone()),
    ];
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            // SIGTERM lets the suite stop its browser and servers.
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            std::thread::sleep(Duration::from_secs(5));
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the browser suite took longer than {} s and was stopped; its output:\n{}",
                TIME_LIMIT.as_secs(),
                log.lock().unwrap()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    for reader in readers {
        let _ = reader.join();
    }
    let log = log.lock().unwrap();
    if !status.success() {
        // The suite ends with a summary of every failure; show that part
        // again here, where cargo test prints failures.
        let summary = ["\nFailed:\n", "SETUP FAILED"]
            .iter()
            .find_map(|marker| log.rfind(marker).map(|i| &log[i..]))
            .unwrap_or(&log);
        panic!(
            "the browser suite failed ({status}); full output above, prefixed [browser].\n{}",
            summary.trim_start()
        );
    }
}
