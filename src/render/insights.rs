//! Views that only an incident archive has: every action item across the
//! archive, and clusters of recurring incidents.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use super::views;
use crate::model::Archive;
use crate::model::schema::{ActionKind, ActionStatus};

/// Done and wont-do items shown per group; the rest are counted.
pub const CLOSED_SHOWN: usize = 100;

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
    pub incident_url: String,
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
    /// the newest [`CLOSED_SHOWN`] closed ones).
    pub listed: usize,
    /// Position of the first item of `items` among the listed ones (more
    /// than 0 when the group started on an earlier page).
    pub offset: usize,
    /// The items on this page.
    pub items: Vec<ActionRow<'a>>,
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
pub struct ActionsView<'a> {
    /// Items by status, pending first.
    pub groups: Vec<StatusGroup<'a>>,
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
pub fn actions(archive: &Archive, today: Date) -> ActionsView<'_> {
    let order = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::WontDo,
    ];
    let mut groups: Vec<StatusGroup<'_>> = order
        .iter()
        .map(|s| StatusGroup {
            status: s.word(),
            count: 0,
            listed: 0,
            offset: 0,
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
            let owner = a.owner.as_deref().unwrap_or("unassigned");
            let kind = a.kind.map_or("unspecified", ActionKind::word);
            for t in [tally(&mut by_owner, owner), tally(&mut by_kind, kind)] {
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
            if is_listed(a.status, group.items.len()) {
                group.items.push(ActionRow {
                    task: &a.task,
                    owner,
                    status: a.status.word(),
                    due: a.due.map(|d| d.to_string()),
                    kind: a.kind.map(ActionKind::word),
                    overdue: late,
                    incident_title: &incident.title,
                    incident_url: views::incident_url(&incident.slug),
                    severity: &incident.severity,
                    severity_class: crate::text::term_slug(&incident.severity),
                });
            }
        }
    }
    for group in &mut groups {
        group.listed = group.items.len();
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

/// Whether an action item is listed when `listed` items of its status
/// are listed already: all pending ones, the first [`CLOSED_SHOWN`] closed.
fn is_listed(status: ActionStatus, listed: usize) -> bool {
    status.is_pending() || listed < CLOSED_SHOWN
}

/// How many action items [`actions`] lists, counted without building the
/// view (the page count is needed to check links, which builds no page).
pub fn listed_actions(archive: &Archive) -> usize {
    let mut listed = [0usize; ActionStatus::ALL.len()];
    for a in archive.incidents.iter().flat_map(|i| &i.action_items) {
        let n = &mut listed[a.status as usize];
        if is_listed(a.status, *n) {
            *n += 1;
        }
    }
    listed.iter().sum()
}

impl ActionsView<'_> {
    /// The number of listed action items.
    pub fn listed(&self) -> usize {
        self.groups.iter().map(|g| g.listed).sum()
    }
}

/// How many pages of `size` items `listed` action items fill (at least 1).
pub fn action_pages(listed: usize, size: usize) -> usize {
    listed.div_ceil(size.max(1)).max(1)
}

/// Page `page` (1-based) of the actions view, `size` items per page: the
/// listed items of every group in order, cut into pages. A group appears
/// on each page that holds some of its items; a group with nothing listed
/// appears where it would have started. Totals stay whole.
pub fn actions_page<'a>(view: &ActionsView<'a>, page: usize, size: usize) -> ActionsView<'a> {
    let size = size.max(1);
    let window = (page.max(1) - 1) * size..page.max(1) * size;
    let mut start = 0;
    let mut groups = Vec::new();
    for g in &view.groups {
        let span = start..start + g.listed;
        let lo = span.start.max(window.start);
        let hi = span.end.min(window.end);
        // An empty group goes on the page of the item before it.
        let empty_here = g.listed == 0 && start.saturating_sub(1) / size + 1 == page.max(1);
        if lo < hi || empty_here {
            groups.push(StatusGroup {
                status: g.status,
                count: g.count,
                listed: g.listed,
                offset: lo.saturating_sub(span.start),
                items: if lo < hi {
                    g.items[lo - span.start..hi - span.start].to_vec()
                } else {
                    Vec::new()
                },
            });
        }
        start = span.end;
    }
    ActionsView {
        groups,
        by_owner: view.by_owner.clone(),
        by_kind: view.by_kind.clone(),
        overdue: view.overdue,
        today: view.today.clone(),
    }
}

/// Incidents that recurred: a connected group under the recurrence links.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    /// Services all members share (else every service involved).
    pub services: Vec<String>,
    /// Tags at least two members share.
    pub tags: Vec<String>,
    /// Members (indexes into the archive), newest first.
    pub members: Vec<usize>,
}

/// Cuts clusters into pages of about `size` incidents: whole clusters
/// while they fit, a cluster larger than what is left of a page continued
/// on the next. Each page lists (cluster index, range of its members); there
/// is always at least one page.
pub fn cluster_pages(clusters: &[Cluster], size: usize) -> Vec<Vec<(usize, Range<usize>)>> {
    let size = size.max(1);
    let mut pages = vec![Vec::new()];
    let mut room = size;
    for (c, cluster) in clusters.iter().enumerate() {
        let mut from = 0;
        let len = cluster.members.len();
        while from < len {
            if room == 0 || (from == 0 && len - from > room && room < size && len <= size) {
                pages.push(Vec::new());
                room = size;
            }
            let to = len.min(from + room);
            if let Some(page) = pages.last_mut() {
                page.push((c, from..to));
            }
            room -= to - from;
            from = to;
        }
    }
    pages
}

/// The clusters of recurring incidents from their groups
/// ([`Archive::recurring_groups`]), newest group first.
pub fn clusters(archive: &Archive, groups: Vec<Vec<usize>>) -> Vec<Cluster> {
    let mut out = Vec::new();
    for members in groups {
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
            members,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(n: usize) -> Cluster {
        Cluster {
            services: Vec::new(),
            tags: Vec::new(),
            members: (0..n).collect(),
        }
    }

    #[test]
    fn clusters_fill_pages_whole_and_split_only_when_larger_than_a_page() {
        let pages = cluster_pages(&[cluster(3), cluster(2), cluster(5)], 4);
        assert_eq!(
            pages,
            [
                vec![(0, 0..3)],
                // The second would not fit beside the first: a new page.
                vec![(1, 0..2), (2, 0..2)],
                // The third is larger than a page: split.
                vec![(2, 2..5)],
            ]
        );
        assert_eq!(cluster_pages(&[], 4), [Vec::new()]);
    }

    fn item(task: &'static str) -> ActionRow<'static> {
        ActionRow {
            task,
            owner: "sre",
            status: "open",
            due: None,
            kind: None,
            overdue: false,
            incident_title: "t",
            incident_url: "incidents/t/".into(),
            severity: "SEV1",
            severity_class: "sev1".into(),
        }
    }

    fn group(status: &'static str, tasks: &[&'static str], count: usize) -> StatusGroup<'static> {
        StatusGroup {
            status,
            count,
            listed: tasks.len(),
            offset: 0,
            items: tasks.iter().map(|t| item(t)).collect(),
        }
    }

    fn view(groups: Vec<StatusGroup<'static>>) -> ActionsView<'static> {
        ActionsView {
            groups,
            by_owner: Vec::new(),
            by_kind: Vec::new(),
            overdue: 0,
            today: "2026-01-01".into(),
        }
    }

    /// (status, offset, tasks) of each group on a page.
    fn shape(v: &ActionsView) -> Vec<(&'static str, usize, Vec<String>)> {
        v.groups
            .iter()
            .map(|g| {
                let tasks = g.items.iter().map(|i| i.task.to_string()).collect();
                (g.status, g.offset, tasks)
            })
            .collect()
    }

    #[test]
    fn action_items_are_cut_into_pages_in_group_order() {
        let all = view(vec![
            group("open", &["a", "b", "c"], 3),
            group("in-progress", &[], 0),
            group("done", &["d", "e"], 7),
            group("wont-do", &[], 0),
        ]);
        assert_eq!(action_pages(all.listed(), 2), 3);
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shape(&actions_page(&all, 1, 2)),
            [("open", 0, s(&["a", "b"]))]
        );
        assert_eq!(
            shape(&actions_page(&all, 2, 2)),
            [
                ("open", 2, s(&["c"])),
                ("in-progress", 0, s(&[])),
                ("done", 0, s(&["d"])),
            ]
        );
        let last = actions_page(&all, 3, 2);
        assert_eq!(
            shape(&last),
            [("done", 1, s(&["e"])), ("wont-do", 0, s(&[]))]
        );
        assert_eq!(last.groups[0].count, 7, "totals stay whole");
    }

    #[test]
    fn listed_actions_counts_what_the_view_lists() {
        let cfg = crate::config::SiteConfig::parse("", std::path::Path::new("site.toml"))
            .expect("defaults");
        let mut text = String::from(
            "---\ntitle: T\nseverity: SEV2\nstart: 2024-01-01T10:00:00Z\nend: 2024-01-01T11:00:00Z\ntimezone: UTC\naction_items:\n",
        );
        for (n, status) in ["open", "in-progress", "done", "wont-do"]
            .iter()
            .enumerate()
        {
            let count = [3, 2, CLOSED_SHOWN + 20, 5][n];
            for k in 0..count {
                text.push_str(&format!(
                    "  - task: \"{status} {k}\"\n    status: {status}\n"
                ));
            }
        }
        text.push_str("---\n\n## Issue Summary\n\nx\n");
        let (incident, findings) = crate::content::load_text("content/t.md", &text, &cfg);
        let incident = incident.unwrap_or_else(|| panic!("loads: {findings:?}"));
        assert_eq!(incident.action_items.len(), 3 + 2 + CLOSED_SHOWN + 20 + 5);
        let archive = Archive {
            incidents: vec![std::sync::Arc::new(incident)],
            ..Archive::default()
        };
        let today = jiff::civil::Date::constant(2026, 1, 1);
        let view = actions(&archive, today);
        assert_eq!(view.listed(), 3 + 2 + CLOSED_SHOWN + 5);
        assert_eq!(listed_actions(&archive), view.listed());
    }

    #[test]
    fn an_archive_without_action_items_has_one_page_with_every_group() {
        let all = view(vec![group("open", &[], 0), group("done", &[], 0)]);
        assert_eq!(action_pages(all.listed(), 100), 1);
        assert_eq!(actions_page(&all, 1, 100).groups.len(), 2);
    }
}
