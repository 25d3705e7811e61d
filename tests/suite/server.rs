//! `Server`: a running `hindsight serve` for the tests that talk to the
//! real binary over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::support::SiteTest;

/// A running `hindsight serve`.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub port: u16,
}

impl Server {
    pub fn start(site: &SiteTest) -> Server {
        Server::start_with(site, &[])
    }

    /// Starts `hindsight serve --port 0` with `args` and reads its URL
    /// from its first line of output.
    pub fn start_with(site: &SiteTest, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(&site.root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve prints its URL");
        Server::new(child, &first)
    }

    /// Starts `hindsight serve --port 0` from a shell, as a person would,
    /// with its output (both streams) sent to `log` under the site root.
    pub fn start_logged(site: &SiteTest, log: &str) -> Server {
        Server::start_in_shell(site, "", log)
    }

    /// Like [`Server::start_logged`], after the shell commands `setup`
    /// (`ulimit -Sn 1024; `, say).
    pub fn start_in_shell(site: &SiteTest, setup: &str, log: &str) -> Server {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("{setup}exec \"$0\" serve --port 0 > {log} 2>&1"))
            .arg(env!("CARGO_BIN_EXE_hindsight"))
            .current_dir(&site.root)
            .spawn()
            .expect("serve starts");
        let started = Instant::now();
        let line = loop {
            let text = std::fs::read_to_string(site.root.join(log)).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.starts_with("Serving ")) {
                break line.to_string();
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("serve printed no URL: {text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Server::new(child, &line)
    }

    /// The server that printed `first` ("Serving … at URL …").
    fn new(child: Child, first: &str) -> Server {
        let url = first
            .split(" at ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .expect("a URL")
            .to_string();
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        Server {
            child,
            base: url,
            port,
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        fetch(&format!("{}{path}", self.base))
    }

    /// Sends a request line as written, without any client normalisation.
    pub fn raw(&self, target: &str) -> String {
        self.raw_as(target, "localhost")
    }

    /// Sends a request for `target` with `Host: host`.
    pub fn raw_as(&self, target: &str, host: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out
    }

    pub fn events(&self) -> mpsc::Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET /__hindsight/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
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
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GETs `url` without following redirects: status and body.
pub fn fetch(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut response = agent.get(url).call().expect("request");
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}
