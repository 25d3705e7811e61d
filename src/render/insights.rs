//! Views that only an incident archive has: every action item across the
//! archive, and clusters of recurring incidents.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::views::{self, Row};
use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::content::schema::{ActionKind, ActionStatus};

/// Done and wont-do items shown per group; the rest are counted.
pub const CLOSED_SHOWN: usize = 100;

/// One action item on the actions page.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    /// What will be done.
    pub task: String,
    /// Who does it (`unassigned` when nobody).
    pub owner: String,
    /// Status word.
    pub status: &'static str,
    /// Due date.
    pub due: Option<String>,
    /// Kind word.
    pub kind: Option<&'static str>,
    /// Pending and past due at the build date.
    pub overdue: bool,
    /// The incident it came from.
    pub incident_title: String,
    /// Site-relative URL of that incident.
    pub incident_url: String,
    /// Its severity id and CSS class.
    pub severity: String,
    /// CSS class suffix of the severity.
    pub severity_class: String,
}

/// Items of one status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusGroup {
    /// Status word.
    pub status: &'static str,
    /// How many items have it.
    pub count: usize,
    /// The items shown (all pending ones; the newest closed ones).
    pub items: Vec<ActionRow>,
}

/// Counts for one owner or kind.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    /// The owner or kind.
    pub name: String,
    /// Open.
    pub open: usize,
    /// In progress.
    pub in_progress: usize,
    /// Done.
    pub done: usize,
    /// Won't do.
    pub wont_do: usize,
    /// Pending and past due.
    pub overdue: usize,
}

/// The actions page.
#[derive(Debug, Clone, Serialize)]
pub struct ActionsView {
    /// Items by status, pending first.
    pub groups: Vec<StatusGroup>,
    /// Counts by owner.
    pub by_owner: Vec<Tally>,
    /// Counts by kind.
    pub by_kind: Vec<Tally>,
    /// Pending items past due.
    pub overdue: usize,
    /// The build date overdue is measured against.
    pub today: String,
}

fn tally<'a>(map: &'a mut BTreeMap<String, Tally>, name: &str) -> &'a mut Tally {
    map.entry(name.to_string()).or_insert_with(|| Tally {
        name: name.to_string(),
        open: 0,
        in_progress: 0,
        done: 0,
        wont_do: 0,
        overdue: 0,
    })
}

/// Builds the actions page from every incident's action items.
pub fn actions(archive: &Archive, today: Date) -> ActionsView {
    let order = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::WontDo,
    ];
    let mut groups: Vec<StatusGroup> = order
        .iter()
        .map(|s| StatusGroup {
            status: s.word(),
            count: 0,
            items: Vec::new(),
        })
        .collect();
    let mut by_owner = BTreeMap::new();
    let mut by_kind = BTreeMap::new();
    let mut overdue = 0;
    for incident in &archive.incidents {
        for a in &incident.action_items {
            let late = a.status.is_pending() && a.due.is_some_and(|d| d < today);
            overdue += usize::from(late);
            let owner = a.owner.clone().unwrap_or_else(|| "unassigned".into());
            let kind = a.kind.map_or("unspecified", ActionKind::word);
            for t in [tally(&mut by_owner, &owner), tally(&mut by_kind, kind)] {
                match a.status {
                    ActionStatus::Open => t.open += 1,
                    ActionStatus::InProgress => t.in_progress += 1,
                    ActionStatus::Done => t.done += 1,
                    ActionStatus::WontDo => t.wont_do += 1,
                }
                t.overdue += usize::from(late);
            }
            let group = &mut groups[order.iter().position(|s| *s == a.status).unwrap_or(0)];
            group.count += 1;
            if a.status.is_pending() || group.items.len() < CLOSED_SHOWN {
                group.items.push(ActionRow {
                    task: a.task.clone(),
                    owner,
                    status: a.status.word(),
                    due: a.due.map(|d| d.to_string()),
                    kind: a.kind.map(ActionKind::word),
                    overdue: late,
                    incident_title: incident.title.clone(),
                    incident_url: views::incident_url(&incident.slug),
                    severity: incident.severity.clone(),
                    severity_class: crate::text::term_slug(&incident.severity),
                });
            }
        }
    }
    for group in groups.iter_mut().take(2) {
        // Pending work: the most overdue and soonest due first.
        group.items.sort_by(|a, b| {
            b.overdue
                .cmp(&a.overdue)
                .then_with(|| a.due.is_none().cmp(&b.due.is_none()))
                .then_with(|| a.due.cmp(&b.due))
        });
    }
    ActionsView {
        groups,
        by_owner: by_owner.into_values().collect(),
        by_kind: by_kind.into_values().collect(),
        overdue,
        today: today.to_string(),
    }
}

/// Incidents that recurred: a connected group under the recurrence links.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// Services all members share (else every service involved).
    pub services: Vec<String>,
    /// Tags at least two members share.
    pub tags: Vec<String>,
    /// Members, newest first.
    pub rows: Vec<Row>,
}

/// Groups incidents connected by recurrence links, newest group first.
pub fn clusters(archive: &Archive, recurring: &[Vec<usize>], cfg: &SiteConfig) -> Vec<Cluster> {
    let mut seen = vec![false; recurring.len()];
    let mut out = Vec::new();
    for start in 0..recurring.len() {
        if seen[start] || recurring[start].is_empty() {
            continue;
        }
        let mut members = vec![start];
        seen[start] = true;
        let mut k = 0;
        while k < members.len() {
            for &j in &recurring[members[k]] {
                if !seen[j] {
                    seen[j] = true;
                    members.push(j);
                }
            }
            k += 1;
        }
        members.sort_unstable();
        let incidents: Vec<_> = members.iter().map(|&i| &archive.incidents[i]).collect();
        let mut tag_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in incidents.iter().flat_map(|i| i.tags.iter()) {
            *tag_counts.entry(t.as_str()).or_default() += 1;
        }
        let mut services: Vec<String> = incidents[0]
            .services
            .iter()
            .filter(|s| incidents.iter().all(|i| i.services.contains(s)))
            .cloned()
            .collect();
        if services.is_empty() {
            services = incidents
                .iter()
                .flat_map(|i| i.services.iter().cloned())
                .collect();
            services.sort();
            services.dedup();
        }
        out.push(Cluster {
            services,
            tags: tag_counts
                .into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(t, _)| t.to_string())
                .collect(),
            rows: members
                .iter()
                .map(|&i| views::row(&archive.incidents[i], cfg))
                .collect(),
        });
    }
    out
}
