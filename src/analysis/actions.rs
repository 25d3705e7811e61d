//! The action-item tracker: every action item of the archive grouped by
//! status, tallied by owner and by kind, checked for being overdue at a
//! date, and cut into pages.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::Archive;
use crate::model::archive::{ActionItem, Incident};
use crate::model::schema::{ActionKind, ActionStatus};

/// Done and wont-do items listed per status; the rest are counted.
pub const CLOSED_SHOWN: usize = 100;

/// The statuses in the order the tracker groups them: pending first.
pub const STATUS_ORDER: [ActionStatus; 4] = [
    ActionStatus::Open,
    ActionStatus::InProgress,
    ActionStatus::Done,
    ActionStatus::WontDo,
];

/// A listed action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Its incident (an index into the archive).
    pub incident: usize,
    /// The item (an index into that incident's action items).
    pub item: usize,
    /// Pending and past due at the tracker's date.
    pub overdue: bool,
}

impl Entry {
    /// The incident and the action item this entry stands for in
    /// `archive`, the archive the tracker was computed from.
    pub fn of<'a>(&self, archive: &'a Archive) -> (&'a Incident, &'a ActionItem) {
        let incident = &*archive.incidents[self.incident];
        (incident, &incident.action_items[self.item])
    }
}

/// The action items of one status.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusGroup {
    /// The status.
    pub status: ActionStatus,
    /// How many items have it.
    pub count: usize,
    /// How many of them are listed across all pages (all pending ones;
    /// the first [`CLOSED_SHOWN`] closed ones).
    pub listed: usize,
    /// Position of the first item of `items` among the listed ones (more
    /// than 0 when the group started on an earlier page).
    pub offset: usize,
    /// The listed items (on a page: those on that page). Pending ones
    /// come most overdue and soonest due first; closed ones in archive
    /// order.
    pub items: Vec<Entry>,
}

/// Counts for one owner or kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Every action item of an archive, as the actions page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracker {
    /// Items by status, in [`STATUS_ORDER`].
    pub groups: Vec<StatusGroup>,
    /// Counts by owner, by name.
    pub by_owner: Vec<Tally>,
    /// Counts by kind, by name.
    pub by_kind: Vec<Tally>,
    /// Pending items past due.
    pub overdue: usize,
    /// The date overdue is measured against.
    pub today: Date,
}

/// Who does an action item: its owner, `unassigned` when nobody.
pub fn owner_of(item: &ActionItem) -> &str {
    item.owner.as_deref().unwrap_or("unassigned")
}

/// Whether an action item is pending and past due at `today`.
fn is_overdue(item: &ActionItem, today: Date) -> bool {
    item.status.is_pending() && item.due.is_some_and(|d| d < today)
}

/// Counts an item of `status` for `name` in `map`.
fn count(map: &mut BTreeMap<String, Tally>, name: &str, status: ActionStatus, overdue: bool) {
    let t = map.entry(name.to_string()).or_insert_with(|| Tally {
        name: name.to_string(),
        open: 0,
        in_progress: 0,
        done: 0,
        wont_do: 0,
        overdue: 0,
    });
    match status {
        ActionStatus::Open => t.open += 1,
        ActionStatus::InProgress => t.in_progress += 1,
        ActionStatus::Done => t.done += 1,
        ActionStatus::WontDo => t.wont_do += 1,
    }
    t.overdue += usize::from(overdue);
}

/// Tracks every incident's action items at the date `today`.
pub fn tracker(archive: &Archive, today: Date) -> Tracker {
    let mut groups: Vec<StatusGroup> = STATUS_ORDER
        .iter()
        .map(|&status| StatusGroup {
            status,
            count: 0,
            listed: 0,
            offset: 0,
            items: Vec::new(),
        })
        .collect();
    let mut by_owner = BTreeMap::new();
    let mut by_kind = BTreeMap::new();
    let mut overdue = 0;
    for (i, incident) in archive.incidents.iter().enumerate() {
        for (k, a) in incident.action_items.iter().enumerate() {
            let late = is_overdue(a, today);
            overdue += usize::from(late);
            let kind = a.kind.map_or("unspecified", ActionKind::word);
            count(&mut by_owner, owner_of(a), a.status, late);
            count(&mut by_kind, kind, a.status, late);
            let at = STATUS_ORDER.iter().position(|s| *s == a.status);
            let group = &mut groups[at.unwrap_or(0)];
            group.count += 1;
            if is_listed(a.status, group.items.len()) {
                group.items.push(Entry {
                    incident: i,
                    item: k,
                    overdue: late,
                });
            }
        }
    }
    for group in &mut groups {
        group.listed = group.items.len();
        if group.status.is_pending() {
            sort_pending(archive, &mut group.items);
        }
    }
    Tracker {
        groups,
        by_owner: by_owner.into_values().collect(),
        by_kind: by_kind.into_values().collect(),
        overdue,
        today,
    }
}

/// Orders pending work: the most overdue and soonest due first, items
/// without a due date last, ties in archive order. Due dates compare as
/// written (`YYYY-MM-DD`), which for the years 0 to 9999 is their order in
/// time.
fn sort_pending(archive: &Archive, items: &mut [Entry]) {
    items.sort_by_cached_key(|e| {
        let due = e.of(archive).1.due;
        (
            Reverse(e.overdue),
            due.is_none(),
            due.map(|d| d.to_string()),
        )
    });
}

/// Whether an action item is listed when `listed` items of its status
/// are listed already: all pending ones, the first [`CLOSED_SHOWN`] closed.
fn is_listed(status: ActionStatus, listed: usize) -> bool {
    status.is_pending() || listed < CLOSED_SHOWN
}

/// How many action items [`tracker`] lists, counted without grouping them
/// (the page count is needed to check links, which builds no page).
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

/// How many pages of `size` items `listed` action items fill (at least 1).
pub fn action_pages(listed: usize, size: usize) -> usize {
    listed.div_ceil(size.max(1)).max(1)
}

impl Tracker {
    /// The number of listed action items.
    pub fn listed(&self) -> usize {
        self.groups.iter().map(|g| g.listed).sum()
    }

    /// The groups on page `page` (1-based), `size` items per page: the
    /// listed items of every group in order, cut into pages. A group
    /// appears on each page that holds some of its items; a group with
    /// nothing listed appears where it would have started. Totals stay
    /// whole.
    pub fn page(&self, page: usize, size: usize) -> Vec<StatusGroup> {
        let size = size.max(1);
        let window = (page.max(1) - 1) * size..page.max(1) * size;
        let mut start = 0;
        let mut groups = Vec::new();
        for g in &self.groups {
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
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(status: ActionStatus, items: &[usize], count: usize) -> StatusGroup {
        StatusGroup {
            status,
            count,
            listed: items.len(),
            offset: 0,
            items: items
                .iter()
                .map(|&item| Entry {
                    incident: 0,
                    item,
                    overdue: false,
                })
                .collect(),
        }
    }

    fn tracker_of(groups: Vec<StatusGroup>) -> Tracker {
        Tracker {
            groups,
            by_owner: Vec::new(),
            by_kind: Vec::new(),
            overdue: 0,
            today: Date::constant(2026, 1, 1),
        }
    }

    /// (status, offset, items) of each group on a page.
    fn shape(groups: &[StatusGroup]) -> Vec<(&'static str, usize, Vec<usize>)> {
        groups
            .iter()
            .map(|g| {
                let items = g.items.iter().map(|e| e.item).collect();
                (g.status.word(), g.offset, items)
            })
            .collect()
    }

    #[test]
    fn action_items_are_cut_into_pages_in_group_order() {
        use ActionStatus::*;
        let all = tracker_of(vec![
            group(Open, &[0, 1, 2], 3),
            group(InProgress, &[], 0),
            group(Done, &[3, 4], 7),
            group(WontDo, &[], 0),
        ]);
        assert_eq!(action_pages(all.listed(), 2), 3);
        assert_eq!(shape(&all.page(1, 2)), [("open", 0, vec![0, 1])]);
        assert_eq!(
            shape(&all.page(2, 2)),
            [
                ("open", 2, vec![2]),
                ("in-progress", 0, vec![]),
                ("done", 0, vec![3]),
            ]
        );
        let last = all.page(3, 2);
        assert_eq!(shape(&last), [("done", 1, vec![4]), ("wont-do", 0, vec![])]);
        assert_eq!(last[0].count, 7, "totals stay whole");
    }

    #[test]
    fn listed_actions_counts_what_the_tracker_lists() {
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
        let today = Date::constant(2026, 1, 1);
        let tracked = tracker(&archive, today);
        assert_eq!(tracked.listed(), 3 + 2 + CLOSED_SHOWN + 5);
        assert_eq!(listed_actions(&archive), tracked.listed());
    }

    #[test]
    fn an_archive_without_action_items_has_one_page_with_every_group() {
        let all = tracker_of(vec![
            group(ActionStatus::Open, &[], 0),
            group(ActionStatus::Done, &[], 0),
        ]);
        assert_eq!(action_pages(all.listed(), 100), 1);
        assert_eq!(all.page(1, 100).len(), 2);
    }
}
