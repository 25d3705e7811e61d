//! The loaded archive as plain data: every incident with its front
//! matter, body, timeline and action items.

use std::collections::HashMap;
use std::path::PathBuf;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::body::Body;
use super::schema::{ActionKind, ActionStatus, Detection, Status};
use super::taxonomy::Taxonomy;
use super::timeline::TimelineEvent;
use super::url::Slug;
use crate::text::Pos;

/// Where an action item is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionSource {
    /// `action_items` in front matter.
    FrontMatter,
    /// A `- [ ]` item of a measures section.
    TaskList,
    /// A plain or numbered item under an action-items heading.
    List,
    /// A row of an action table.
    Table,
}

impl ActionSource {
    /// `front-matter`, `task-list`, `list`, `table`.
    pub fn word(self) -> &'static str {
        match self {
            ActionSource::FrontMatter => "front-matter",
            ActionSource::TaskList => "task-list",
            ActionSource::List => "list",
            ActionSource::Table => "table",
        }
    }
}

/// An action item, from front matter or the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    /// What will be done.
    pub task: String,
    /// Who does it.
    pub owner: Option<String>,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// What it improves.
    pub kind: Option<ActionKind>,
    /// Its priority, as written in an action table.
    pub priority: Option<String>,
    /// Its ticket or bug, as written in an action table.
    pub ticket: Option<String>,
    /// Where it is written.
    pub source: ActionSource,
    /// Where it is written.
    pub pos: Pos,
}

/// Where fields were written, for findings about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    /// The opening front-matter delimiter.
    pub block: Pos,
    /// `start`.
    pub start: Pos,
    /// `end`.
    pub end: Pos,
    /// `detected`, if written.
    pub detected: Option<Pos>,
    /// `mitigated`, if written.
    pub mitigated: Option<Pos>,
    /// Each `related` entry.
    pub related: Vec<Pos>,
    /// Each `tags` entry.
    pub tags: Vec<Pos>,
    /// Each `services` entry.
    pub services: Vec<Pos>,
    /// The slug (the `slug` field, or the block for a file-stem slug).
    pub slug: Pos,
}

/// One postmortem, loaded and typed.
#[derive(Debug, Clone)]
pub struct Incident {
    /// Source path relative to the site root (`content/2024/x.md`).
    pub file: String,
    /// URL slug.
    pub slug: Slug,
    /// Title.
    pub title: String,
    /// Draft, review or final.
    pub status: Status,
    /// Severity id (`SEV2`).
    pub severity: String,
    /// Rank of the severity, 0 = worst.
    pub severity_rank: usize,
    /// When the incident started (local midnight when only its date is
    /// known).
    pub start: Timestamp,
    /// `start` was written as a date alone: the day is known, the time of
    /// day is not, so nothing is measured from it.
    pub start_date_only: bool,
    /// When it ended; `None` when the front matter does not say (allowed
    /// when `end` is not among `[validation] required_fields`).
    pub end: Option<Timestamp>,
    /// When it was detected (front matter, else the first timeline event
    /// at or after the start).
    pub detected: Option<Timestamp>,
    /// When it was mitigated.
    pub mitigated: Option<Timestamp>,
    /// The zone times are shown in.
    pub zone: TimeZone,
    /// The zone's name as written (or the offset).
    pub zone_name: String,
    /// How it was noticed.
    pub detection: Option<Detection>,
    /// What users saw.
    pub impact_summary: Option<String>,
    /// Share of users affected, 0..=100.
    pub users_affected_pct: Option<f64>,
    /// Services involved.
    pub services: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Slugs of related incidents, as written.
    pub related: Vec<String>,
    /// Action items.
    pub action_items: Vec<ActionItem>,
    /// Timeline events.
    pub timeline: Vec<TimelineEvent>,
    /// The rendered body and what was collected from it.
    pub body: Body,
    /// A short summary: the first paragraph of the summary section, or
    /// the impact summary.
    pub summary: String,
    /// Where fields were written.
    pub places: Places,
    /// The file's text, newlines normalised (offsets in `body` point into it).
    pub source: std::sync::Arc<str>,
    /// Byte offset of the body (after the front matter) in `source`.
    pub body_offset: usize,
}

impl Incident {
    /// end − start; `None` when the end or the start's time is unknown.
    pub fn duration(&self) -> Option<SignedDuration> {
        self.since_start(self.end)
    }

    /// detected − start.
    pub fn time_to_detect(&self) -> Option<SignedDuration> {
        self.since_start(self.detected)
    }

    /// mitigated − start.
    pub fn time_to_mitigate(&self) -> Option<SignedDuration> {
        self.since_start(self.mitigated)
    }

    /// `at` − start, when both are known.
    pub fn since_start(&self, at: Option<Timestamp>) -> Option<SignedDuration> {
        if self.start_date_only {
            return None;
        }
        at.map(|at| at.duration_since(self.start))
    }

    /// The values of one taxonomy for this incident.
    pub fn terms(&self, taxonomy: Taxonomy) -> &[String] {
        match taxonomy {
            Taxonomy::Services => &self.services,
            Taxonomy::Tags => &self.tags,
            Taxonomy::Severity => std::slice::from_ref(&self.severity),
        }
    }
}

/// A file copied to the output as it is (images beside postmortems).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Its site-relative output path.
    pub path: String,
}

/// The whole archive.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Incidents, newest first. Shared so `serve` can rebuild the archive
    /// after one file changed without copying the others.
    pub incidents: Vec<std::sync::Arc<Incident>>,
    /// HTML of `content/_index.md`, shown above the list on the home page.
    pub home_html: Option<String>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// Slug by `content/` path of every postmortem read (drafts and broken
    /// ones included), for rendering bodies loaded without their HTML.
    pub slugs: std::sync::Arc<HashMap<String, Slug>>,
}

impl Archive {
    /// Sorts incidents newest first (ties by slug) so every page lists
    /// them in the same, stable order.
    pub fn sort(&mut self) {
        self.incidents
            .sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.slug.cmp(&b.slug)));
    }

    /// The position of the incident with `slug`.
    pub fn index_of(&self, slug: &str) -> Option<usize> {
        self.incidents.iter().position(|i| i.slug == slug)
    }
}
