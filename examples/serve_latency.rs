//! Measures `hindsight serve`'s rebuild latency: from saving one
//! postmortem to the live-reload message reaching a connected browser.
//!
//! Usage: `cargo run --release --example serve_latency -- SITE_DIR [EDITS]`
//!
//! Starts the release `hindsight serve` on SITE_DIR (e.g. a corpus from
//! `gen_corpus`), subscribes to the live-reload channel like a browser,
//! then edits the title of one postmortem EDITS times (default 30), each
//! time timing from the write to the `reload` event. Prints the median,
//! 90th percentile and maximum. The site is restored afterwards.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(site) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: serve_latency SITE_DIR [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(30);
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/hindsight");
    let started = Instant::now();
    let mut child = Command::new(&exe)
        .args(["serve", "--port", "0", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run `cargo build --release` first");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let first = lines
        .next()
        .and_then(Result::ok)
        .expect("serve prints its URL");
    println!(
        "initial in-memory build: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let port: u16 = first
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("a port in the URL");
    let events = subscribe(port);
    std::thread::sleep(Duration::from_millis(500));
    let file = first_postmortem(&site.join("content"));
    let original = std::fs::read_to_string(&file).expect("readable postmortem");
    let stem = file
        .file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    let page = format!("\"incidents/{stem}/index.html\"");
    let mut samples = Vec::new();
    let mut rest = Vec::new();
    for i in 0..edits {
        let edited = original.replacen("title: \"", &format!("title: \"Edit {i}: "), 1);
        let t0 = Instant::now();
        std::fs::write(&file, edited).expect("write");
        // The message that reloads the edited page, then the one for the
        // rest of the site (lists, stats, feeds, search).
        loop {
            let message = events
                .recv_timeout(Duration::from_secs(30))
                .expect("a reload message within 30 s");
            if message.contains("\"reload\":\"full\"")
                && (message.contains(&page) || !message.contains("\"paths\""))
            {
                samples.push(t0.elapsed());
                break;
            }
        }
        if let Ok(message) = events.recv_timeout(Duration::from_secs(30))
            && message.contains("\"paths\"")
        {
            rest.push(t0.elapsed());
        }
        std::thread::sleep(Duration::from_millis(200));
        while events.try_recv().is_ok() {}
    }
    std::fs::write(&file, original).expect("restore");
    let _ = child.kill();
    let _ = child.wait();
    samples.sort();
    rest.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if !rest.is_empty() {
        println!(
            "save -> rest of the site updated: median {:.1} ms",
            ms(rest[rest.len() / 2])
        );
    }
    let median = samples[samples.len() / 2];
    let p90 = samples[(samples.len() * 9 / 10).min(samples.len() - 1)];
    println!(
        "save -> reload message over {} edits of {}: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        samples.len(),
        file.display(),
        ms(median),
        ms(p90),
        ms(*samples.last().expect("samples"))
    );
}

fn subscribe(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET /__hindsight/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .expect("request");
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(data) = line.strip_prefix("data: ") {
                let _ = tx.send(data.to_string());
            }
        }
    });
    rx
}

fn first_postmortem(content: &Path) -> PathBuf {
    let mut stack = vec![content.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("content/").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md")
                && !path
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('_'))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    let middle = found.len() / 2;
    found.into_iter().nth(middle).expect("a postmortem")
}
