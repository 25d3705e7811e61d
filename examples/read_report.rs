//! What hindsight read from each postmortem of a site: sections,
//! timeline events, action items and findings, one JSON object per
//! incident. A tool for checking how well bodies written for other
//! templates are understood.
//!
//! ```text
//! cargo run --example read_report -- SITE_DIR
//! ```
//!
//! Each line: `{"file", "sections": [[heading, section, origin]],
//! "events", "first", "last", "actions": {source: count}, "findings":
//! {rule: count}}`, with times as RFC 3339 in the incident's zone.

use std::collections::BTreeMap;
use std::process::ExitCode;

use hindsight::site::{self, SiteOptions};

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: read_report SITE_DIR");
        return ExitCode::from(2);
    };
    let opts = SiteOptions {
        drafts: true,
        ..SiteOptions::new(root)
    };
    let checked = match site::check(&opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut findings: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for d in &checked.diagnostics {
        *findings
            .entry(d.file.as_str())
            .or_default()
            .entry(d.rule.id().to_string())
            .or_default() += 1;
    }
    for incident in &checked.archive.incidents {
        let when = |at: jiff::Timestamp| at.to_zoned(incident.zone.clone()).to_string();
        let sections: Vec<serde_json::Value> = incident
            .body
            .headings
            .iter()
            .map(|h| {
                serde_json::json!([
                    h.text,
                    h.section().map(|s| format!("{s:?}")),
                    format!("{:?}", h.origin)
                ])
            })
            .collect();
        let mut actions: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &incident.action_items {
            *actions.entry(a.source.word()).or_default() += 1;
        }
        let line = serde_json::json!({
            "file": incident.file,
            "sections": sections,
            "events": incident.timeline.len(),
            "first": incident.timeline.first().map(|e| when(e.at)),
            "last": incident.timeline.last().map(|e| when(e.at)),
            "actions": actions,
            "findings": findings.get(incident.file.as_str()),
        });
        println!("{line}");
    }
    for (file, rules) in &findings {
        if !checked.archive.incidents.iter().any(|i| i.file == *file) {
            println!("{}", serde_json::json!({"file": file, "unread": rules}));
        }
    }
    ExitCode::SUCCESS
}
