//! `incidents.json`: every incident's metadata, timeline, durations and
//! action items, for dashboards and other tools. The schema is versioned
//! (`version`) and documented in the README; fields are only ever added
//! within a version. The schema is its own set of types, so renaming a
//! model field cannot change the published file; the vocabularies
//! (statuses, detection, action kinds and sources) are the model's own
//! enums, written as their words.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::SiteConfig;
use crate::model::format;
use crate::model::schema::{ActionKind, ActionStatus, Detection, Status};
use crate::model::url::incident_url;
use crate::model::{ActionSource, Archive, Incident};

/// The schema version of `incidents.json`.
pub const EXPORT_VERSION: u32 = 1;

/// The whole export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// Schema version ([`EXPORT_VERSION`]).
    pub version: u32,
    /// The archive's title.
    pub title: String,
    /// Absolute URL of the archive.
    pub base_url: String,
    /// Incidents, newest first.
    pub incidents: Vec<ExportIncident>,
}

/// One incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportIncident {
    /// URL slug.
    pub slug: String,
    /// Absolute URL of its page.
    pub url: String,
    /// Title.
    pub title: String,
    /// `draft`, `review` or `final`.
    pub status: Status,
    /// Severity id.
    pub severity: String,
    /// Rank of the severity, 0 = worst.
    pub severity_rank: usize,
    /// Start, RFC 3339 with the incident's offset (local midnight when
    /// only its date is known).
    pub start: String,
    /// Only the start's date is known: `start` is that day's midnight and
    /// nothing is measured from it.
    pub start_date_only: bool,
    /// End, RFC 3339 with the incident's offset, if known.
    pub end: Option<String>,
    /// The zone times are shown in.
    pub timezone: String,
    /// Detection time, if known.
    pub detected: Option<String>,
    /// Mitigation time, if known.
    pub mitigated: Option<String>,
    /// How it was detected.
    pub detection: Option<Detection>,
    /// end − start, minutes, when both are known.
    pub duration_minutes: Option<i64>,
    /// detected − start, minutes.
    pub time_to_detect_minutes: Option<i64>,
    /// mitigated − start, minutes.
    pub time_to_mitigate_minutes: Option<i64>,
    /// What users saw.
    pub impact_summary: Option<String>,
    /// Share of users affected, 0..=100.
    pub users_affected_pct: Option<f64>,
    /// Services.
    pub services: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Slugs of related incidents, as written.
    pub related: Vec<String>,
    /// Timeline events.
    pub timeline: Vec<ExportEvent>,
    /// Action items.
    pub action_items: Vec<ExportAction>,
    /// Source file, relative to the site root.
    pub source: String,
}

/// One timeline event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportEvent {
    /// When, RFC 3339 with the incident's offset.
    pub at: String,
    /// Minutes from the start (negative before it), when the start's time
    /// is known.
    pub offset_minutes: Option<i64>,
    /// What happened.
    pub text: String,
}

/// One action item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportAction {
    /// What will be done.
    pub task: String,
    /// Who does it.
    pub owner: Option<String>,
    /// `open`, `in-progress`, `done`, `wont-do`.
    pub status: ActionStatus,
    /// Due date, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// `detect`, `mitigate`, `prevent`, `process`.
    pub kind: Option<ActionKind>,
    /// `front-matter`, `task-list`, `list` or `table`.
    pub source: ActionSource,
    /// Ticket or bug, as written in an action table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Priority, as written in an action table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
}

fn minutes(d: jiff::SignedDuration) -> i64 {
    d.as_secs().div_euclid(60)
}

/// The export of one incident.
pub fn incident(i: &Incident, cfg: &SiteConfig) -> ExportIncident {
    let at = |t: jiff::Timestamp| format::iso_local(t, &i.zone);
    ExportIncident {
        slug: i.slug.to_string(),
        url: format!("{}{}", cfg.base_url, incident_url(&i.slug)),
        title: i.title.clone(),
        status: i.status,
        severity: i.severity.clone(),
        severity_rank: i.severity_rank,
        start: at(i.start),
        start_date_only: i.start_date_only,
        end: i.end.map(at),
        timezone: i.zone_name.clone(),
        detected: i.detected.map(at),
        mitigated: i.mitigated.map(at),
        detection: i.detection,
        duration_minutes: i.duration().map(minutes),
        time_to_detect_minutes: i.time_to_detect().map(minutes),
        time_to_mitigate_minutes: i.time_to_mitigate().map(minutes),
        impact_summary: i.impact_summary.clone(),
        users_affected_pct: i.users_affected_pct,
        services: i.services.clone(),
        tags: i.tags.clone(),
        authors: i.authors.clone(),
        related: i.related.clone(),
        timeline: i
            .timeline
            .iter()
            .map(|e| ExportEvent {
                at: at(e.at),
                offset_minutes: i.since_start(Some(e.at)).map(minutes),
                text: e.text.clone(),
            })
            .collect(),
        action_items: i
            .action_items
            .iter()
            .map(|a| ExportAction {
                task: a.task.clone(),
                owner: a.owner.clone(),
                status: a.status,
                due: a.due.map(|d| d.to_string()),
                kind: a.kind,
                source: a.source,
                ticket: a.ticket.clone(),
                priority: a.priority.clone(),
            })
            .collect(),
        source: i.file.clone(),
    }
}

/// Incidents serialised at a time by [`write_json`]: enough to keep both
/// threads busy, few enough that the batch stays small.
const BATCH: usize = 256;

/// Serialises the export of `archive` (see [`write_json`]).
pub fn json(archive: &Archive, cfg: &SiteConfig) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(archive, cfg, &mut bytes);
    bytes
}

/// Writes the export of `archive` to `out`: incidents are serialised in
/// parallel, a batch at a time and in order, so the whole export is never
/// held in memory (it is the largest file of the site).
pub fn write_json(
    archive: &Archive,
    cfg: &SiteConfig,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let head = Export {
        version: EXPORT_VERSION,
        title: cfg.title.clone(),
        base_url: cfg.base_url.clone(),
        incidents: Vec::new(),
    };
    // `incidents` is the last field: its `[]}` closes the document.
    let head = serde_json::to_vec(&head).map_err(std::io::Error::other)?;
    let open = head.strip_suffix(b"]}").unwrap_or(&head);
    out.write_all(open)?;
    for (b, batch) in archive.incidents.chunks(BATCH).enumerate() {
        let parts: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|i| serde_json::to_vec(&incident(i, cfg)).map_err(std::io::Error::other))
            .collect::<std::io::Result<_>>()?;
        for (n, part) in parts.iter().enumerate() {
            if b > 0 || n > 0 {
                out.write_all(b",")?;
            }
            out.write_all(part)?;
        }
    }
    out.write_all(b"]}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_archive_exports_an_empty_list() {
        let cfg = SiteConfig::parse("title = \"T\"\n", std::path::Path::new("site.toml"))
            .expect("valid site.toml");
        let bytes = json(&Archive::default(), &cfg);
        let mut expected = serde_json::to_vec(&Export {
            version: EXPORT_VERSION,
            title: "T".into(),
            base_url: cfg.base_url.clone(),
            incidents: Vec::new(),
        })
        .expect("serialisable");
        expected.push(b'\n');
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            String::from_utf8_lossy(&expected)
        );
    }
}
