//! `check --external`: fetch every `http(s)://` link of the bodies, with a
//! timeout, hosts in parallel and a pause between two requests to the same
//! host. Failures are `broken-link` findings (their level can be changed
//! in `site.toml` like any rule's). Builds never fetch: other sites come
//! and go, and publishing should not depend on them.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Archive;
use crate::text::LineIndex;

/// How to fetch.
#[derive(Debug, Clone, Copy)]
pub struct ExternalOptions {
    /// Time limit per request.
    pub timeout: Duration,
    /// Pause between two requests to the same host.
    pub per_host_delay: Duration,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            timeout: Duration::from_secs(10),
            per_host_delay: Duration::from_millis(500),
        }
    }
}

/// Where a URL is used: file and byte range.
type Uses = Vec<(usize, usize, usize)>;

/// Fetches every external link once and reports those that fail.
pub fn check(archive: &Archive, opts: ExternalOptions) -> Vec<Diagnostic> {
    let mut by_host: BTreeMap<String, BTreeMap<String, Uses>> = BTreeMap::new();
    for (i, incident) in archive.incidents.iter().enumerate() {
        for (url, offset, len) in &incident.body.external {
            let host = host_of(url);
            by_host
                .entry(host)
                .or_default()
                .entry(url.clone())
                .or_default()
                .push((i, *offset, *len));
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .http_status_as_error(false)
        .user_agent(concat!(
            "hindsight/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let failures: Vec<(String, String, Uses)> = by_host
        .into_par_iter()
        .flat_map_iter(|(_, urls)| {
            let mut out = Vec::new();
            for (n, (url, uses)) in urls.into_iter().enumerate() {
                if n > 0 {
                    std::thread::sleep(opts.per_host_delay);
                }
                if let Some(problem) = fetch(&agent, &url) {
                    out.push((url, problem, uses));
                }
            }
            out
        })
        .collect();
    let mut diagnostics = Vec::new();
    for (url, problem, uses) in failures {
        for (i, offset, len) in uses {
            let incident = &archive.incidents[i];
            let pos = LineIndex::new(&incident.source).pos(&incident.source, offset, len);
            diagnostics.push(Diagnostic::new(
                Rule::BrokenLink,
                &incident.file,
                pos,
                format!("the link to {url} {problem}; fix or remove it"),
            ));
        }
    }
    diagnostics
}

/// `None` when the URL answers with a success or redirect; otherwise why not.
fn fetch(agent: &ureq::Agent, url: &str) -> Option<String> {
    let status = match agent.head(url).call() {
        Ok(r) if matches!(r.status().as_u16(), 405 | 501) => {
            agent.get(url).call().map(|r| r.status().as_u16())
        }
        Ok(r) => Ok(r.status().as_u16()),
        Err(e) => Err(e),
    };
    match status {
        Ok(code) if code < 400 => None,
        Ok(code) => Some(format!("answered HTTP {code}")),
        Err(e) => Some(format!("could not be fetched ({e})")),
    }
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://Example.com/a?b"), "example.com");
        assert_eq!(host_of("http://127.0.0.1:8080#x"), "127.0.0.1:8080");
    }
}
