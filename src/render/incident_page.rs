//! The view of one incident page: times in the incident's zone with UTC
//! alongside, the phase chart, the timeline with offsets, action items,
//! related incidents and neighbours.

use serde::Serialize;

use super::charts::{self, Phases};
use super::views;
use crate::model::format;

use crate::config::SiteConfig;
use crate::model::{ActionItem, ActionSource, Incident};

/// An entry of the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub text: String,
}

/// A timeline event as shown.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// `+0:15` from the start (empty when the start's time is unknown).
    pub offset: String,
    /// Local time `09:45`.
    pub time: String,
    /// Local date, set when it differs from the event before.
    pub date: Option<String>,
    /// RFC 3339 for `<time datetime>`.
    pub datetime: String,
    /// What happened.
    pub text: String,
    /// Before the start or after the end.
    pub outside: bool,
}

/// An action item as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// What will be done.
    pub task: String,
    /// Who does it.
    pub owner: Option<String>,
    /// `open`, `in-progress`, `done`, `wont-do`.
    pub status: &'static str,
    /// Due date.
    pub due: Option<String>,
    /// `detect`, `mitigate`, `prevent`, `process`.
    pub kind: Option<&'static str>,
    /// Pending and past its due date.
    pub overdue: bool,
    /// `front matter`, `task list`, `list` or `table`.
    pub source: &'static str,
    /// Ticket or bug, as written.
    pub ticket: Option<String>,
    /// Priority, as written.
    pub priority: Option<String>,
}

/// Converts action items for display; `today` decides what is overdue.
pub fn actions(items: &[ActionItem], today: jiff::civil::Date) -> Vec<ActionView> {
    items
        .iter()
        .map(|a| ActionView {
            task: a.task.clone(),
            owner: a.owner.clone(),
            status: a.status.word(),
            due: a.due.map(|d| d.to_string()),
            kind: a.kind.map(|k| k.word()),
            overdue: a.status.is_pending() && a.due.is_some_and(|d| d < today),
            source: match a.source {
                ActionSource::FrontMatter => "front matter",
                ActionSource::TaskList => "task list",
                ActionSource::List => "list",
                ActionSource::Table => "table",
            },
            ticket: a.ticket.clone(),
            priority: a.priority.clone(),
        })
        .collect()
}

/// Everything the incident template shows.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    /// The list-row fields (title, severity, links…): the incident's
    /// [`super::views::Row`] as a template value.
    pub row: tera::Value,
    /// `draft`, `review` or `final`.
    pub status: &'static str,
    /// Zone name shown with local times.
    pub zone: String,
    /// Only the start's date is known: no time, offset or UTC is shown.
    pub start_date_only: bool,
    /// Start, local, `2024-04-18 09:30` (or `2024-04-18`).
    pub start_local: String,
    /// Start's UTC offset, `UTC+02:00`.
    pub start_offset: String,
    /// Start in UTC, `2024-04-18 07:30`.
    pub start_utc: String,
    /// Start as RFC 3339 with offset (or the date alone).
    pub start_iso: String,
    /// End, local; `None` when the end is unknown (so are the others).
    pub end_local: Option<String>,
    /// End's UTC offset.
    pub end_offset: Option<String>,
    /// End in UTC.
    pub end_utc: Option<String>,
    /// End as RFC 3339 with offset.
    pub end_iso: Option<String>,
    /// Start date written out, `Thu 18 Apr 2024`.
    pub start_long: String,
    /// Time to detect.
    pub ttd: Option<String>,
    /// Time to mitigate.
    pub ttm: Option<String>,
    /// How it was detected.
    pub detection: Option<&'static str>,
    /// What users saw.
    pub impact_summary: Option<String>,
    /// Share of users affected.
    pub users_pct: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Rendered body.
    pub body: String,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Timeline events.
    pub timeline: Vec<EventView>,
    /// Action items.
    pub actions: Vec<ActionView>,
    /// Inline SVG phase chart.
    pub phase_chart: String,
    /// The phase chart has a stretch drawn as unknown (for its legend).
    pub phases_unknown: bool,
}

/// Builds the view of `incident`, whose list row is `row`.
pub fn view(
    incident: &Incident,
    row: tera::Value,
    cfg: &SiteConfig,
    today: jiff::civil::Date,
    slugs: &crate::content::load::SlugIndex,
) -> IncidentView {
    let zone = &incident.zone;
    let utc = |at| format::local_datetime(at, &jiff::tz::TimeZone::UTC);
    let phases = phases(incident);
    let end = incident.end;
    IncidentView {
        row,
        status: incident.status.word(),
        zone: incident.zone_name.clone(),
        start_date_only: incident.start_date_only,
        start_local: views::start_text(incident),
        start_offset: format::utc_offset(incident.start, zone),
        start_utc: utc(incident.start),
        start_iso: match incident.start_date_only {
            true => format::local_date(incident.start, zone),
            false => format::iso_local(incident.start, zone),
        },
        end_local: end.map(|at| format::local_datetime(at, zone)),
        end_offset: end.map(|at| format::utc_offset(at, zone)),
        end_utc: end.map(utc),
        end_iso: end.map(|at| format::iso_local(at, zone)),
        start_long: format::long_date(incident.start, zone),
        ttd: incident.time_to_detect().map(format::duration),
        ttm: incident.time_to_mitigate().map(format::duration),
        detection: incident.detection.map(|d| d.word()),
        impact_summary: incident.impact_summary.clone(),
        users_pct: incident.users_affected_pct.map(format::percent),
        authors: incident.authors.clone(),
        body: crate::content::incident::body_html(incident, cfg, slugs),
        toc: incident
            .body
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect(),
        timeline: timeline(incident),
        actions: actions(&incident.action_items, today),
        phase_chart: charts::phase_chart(&phases, &format!("phases-{}", incident.slug)),
        phases_unknown: phases.has_unknown(),
    }
}

/// The moments of the phase chart, in minutes from the start; what is not
/// known stays `None` and is drawn as unknown.
fn phases(incident: &Incident) -> Phases {
    let zone = &incident.zone;
    let time = |at: Option<jiff::Timestamp>| {
        at.map(|at| format::local_time(at, zone))
            .unwrap_or_default()
    };
    let start = match incident.start_date_only {
        true => format::local_date(incident.start, zone),
        false => format::local_time(incident.start, zone),
    };
    Phases {
        detect: incident.time_to_detect().map(format::minutes),
        mitigate: incident.time_to_mitigate().map(format::minutes),
        total: incident.duration().map(format::minutes),
        start_known: !incident.start_date_only,
        labels: [
            start,
            time(incident.detected),
            time(incident.mitigated),
            time(incident.end),
        ],
    }
}

fn timeline(incident: &Incident) -> Vec<EventView> {
    let zone = &incident.zone;
    let mut last_date = format::local_date(incident.start, zone);
    incident
        .timeline
        .iter()
        .map(|e| {
            let date = format::local_date(e.at, zone);
            let show_date = date != last_date;
            last_date = date.clone();
            EventView {
                offset: incident
                    .since_start(Some(e.at))
                    .map(format::offset)
                    .unwrap_or_default(),
                time: format::local_time(e.at, zone),
                date: show_date.then_some(date),
                datetime: format::iso_local(e.at, zone),
                text: e.text.clone(),
                outside: e.at < incident.start || incident.end.is_some_and(|end| e.at > end),
            }
        })
        .collect()
}
