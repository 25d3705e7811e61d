//! The views of what only an incident archive has: the actions page, made
//! from the action-item tracker ([`crate::analysis::actions`]). Clusters of
//! recurring incidents are computed in [`crate::analysis::clusters`].

use serde::Serialize;

use super::views;
use crate::analysis::actions::{self, Entry, Tally, Tracker};
use crate::model::Archive;
use crate::model::schema::ActionKind;
use crate::model::url::SitePath;

/// One action item on the actions page (its text borrowed from the
/// archive).
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow<'a> {
    /// What will be done.
    pub task: &'a str,
    /// Who does it (`unassigned` when nobody).
    pub owner: &'a str,
    /// Status word.
    pub status: &'static str,
    /// Due date.
    pub due: Option<String>,
    /// Kind word.
    pub kind: Option<&'static str>,
    /// Pending and past due at the build date.
    pub overdue: bool,
    /// The incident it came from.
    pub incident_title: &'a str,
    /// Site-relative URL of that incident.
    pub incident_url: SitePath,
    /// Its severity id and CSS class.
    pub severity: &'a str,
    /// CSS class suffix of the severity.
    pub severity_class: String,
}

/// Items of one status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusGroup<'a> {
    /// Status word.
    pub status: &'static str,
    /// How many items have it.
    pub count: usize,
    /// How many of them are listed across all pages (all pending ones;
    /// the first [`actions::CLOSED_SHOWN`] closed ones).
    pub listed: usize,
    /// Position of the first item of `items` among the listed ones (more
    /// than 0 when the group started on an earlier page).
    pub offset: usize,
    /// The items on this page.
    pub items: Vec<ActionRow<'a>>,
}

/// A page of the actions page.
#[derive(Debug, Clone, Serialize)]
pub struct ActionsView<'a> {
    /// Items by status, pending first.
    pub groups: Vec<StatusGroup<'a>>,
    /// Counts by owner.
    pub by_owner: &'a [Tally],
    /// Counts by kind.
    pub by_kind: &'a [Tally],
    /// Pending items past due.
    pub overdue: usize,
    /// The build date overdue is measured against.
    pub today: String,
}

/// Page `page` (1-based) of the actions page, `size` items per page, from
/// the `tracker` of `archive` (see [`Tracker::page`]).
pub fn actions_page<'a>(
    archive: &'a Archive,
    tracker: &'a Tracker,
    page: usize,
    size: usize,
) -> ActionsView<'a> {
    let groups = tracker
        .page(page, size)
        .into_iter()
        .map(|g| StatusGroup {
            status: g.status.word(),
            count: g.count,
            listed: g.listed,
            offset: g.offset,
            items: g.items.iter().map(|e| row(archive, e)).collect(),
        })
        .collect();
    ActionsView {
        groups,
        by_owner: &tracker.by_owner,
        by_kind: &tracker.by_kind,
        overdue: tracker.overdue,
        today: tracker.today.to_string(),
    }
}

/// The row of a listed action item.
fn row<'a>(archive: &'a Archive, entry: &Entry) -> ActionRow<'a> {
    let (incident, a) = entry.of(archive);
    ActionRow {
        task: &a.task,
        owner: actions::owner_of(a),
        status: a.status.word(),
        due: a.due.map(|d| d.to_string()),
        kind: a.kind.map(ActionKind::word),
        overdue: entry.overdue,
        incident_title: &incident.title,
        incident_url: views::incident_url(&incident.slug),
        severity: &incident.severity,
        severity_class: crate::text::term_slug(&incident.severity),
    }
}
