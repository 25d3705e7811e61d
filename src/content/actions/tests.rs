//! Unit tests of body action items and their merge with front matter.

use super::*;
use crate::content::markdown::{self, LinkContext};
use crate::model::section::SectionTable;

fn read(src: &str) -> Vec<ActionItem> {
    let lookup = |_: &str| None;
    let ctx = LinkContext {
        root: "/",
        dir: "",
        incident_path: &lookup,
        html: false,
        sanitize: false,
        sections: SectionTable::built_in(),
    };
    let body = markdown::render(src, 0, &ctx);
    let parts = Parts::of(src, &body);
    let at = |offset: usize, len: usize| crate::text::pos_in(src, offset, len);
    from_body(&parts, &at)
}

fn shown(items: &[ActionItem]) -> Vec<(String, Option<String>, &'static str, Option<String>)> {
    items
        .iter()
        .map(|a| {
            (
                a.task.clone(),
                a.owner.clone(),
                a.status.word(),
                a.due.map(|d| d.to_string()),
            )
        })
        .collect()
}

fn item(task: &str, owner: Option<&str>, status: ActionStatus, due: Option<&str>) -> ActionItem {
    ActionItem {
        task: task.into(),
        owner: owner.map(str::to_string),
        status,
        due: due.map(|d| d.parse().unwrap()),
        kind: None,
        priority: None,
        ticket: None,
        source: ActionSource::FrontMatter,
        pos: Pos::new(7, 3, 1),
    }
}

#[test]
fn bullets_under_action_lists_are_items_measures_prose_is_not() {
    let src = "## Corrective and Preventative Measures\n\nWe will improve broadly:\n\n- Better tests in general\n- [ ] Add a disk alert (@storage, due 2027-08-01)\n\n### Action items\n\n1. DONE: rotate the key (@security)\n2. Add a canary stage - done\n3. ~~Drop the cache~~\n4. Open the firewall for probes (Owner: netops)\n   - a detail, not an item\n5. [WIP] Split the queue\n\n## Lessons\n\n- Not an action\n";
    let items = read(src);
    let owned = |s: &str| Some(s.to_string());
    assert_eq!(
        shown(&items),
        [
            (
                "Add a disk alert".to_string(),
                owned("storage"),
                "open",
                owned("2027-08-01")
            ),
            (
                "rotate the key".to_string(),
                owned("security"),
                "done",
                None
            ),
            ("Add a canary stage".to_string(), None, "done", None),
            ("Drop the cache".to_string(), None, "done", None),
            (
                "Open the firewall for probes".to_string(),
                owned("netops"),
                "open",
                None
            ),
            ("Split the queue".to_string(), None, "in-progress", None),
        ]
    );
    let sources: Vec<ActionSource> = items.iter().map(|a| a.source).collect();
    assert_eq!(sources[0], ActionSource::TaskList);
    assert!(sources[1..].iter().all(|s| *s == ActionSource::List));
    assert_eq!(
        items[1].pos.line,
        src[..src.find("DONE").unwrap()].matches('\n').count() + 1
    );
}

#[test]
fn sub_headings_of_action_lists_and_marked_lines() {
    let src = "## Action items\n\n### Immediate actions (completed)\n\n- Raise the timeout\n\n### Planned (in progress)\n\n- Split the pools\n- TODO: load test\n\n### Later\n\n✔️ Add tests  \n☐ Add a runbook  \nnot an item\n\n### Timeline\n\n- 09:00 not an action either\n\n## Lessons\n\n### What went well\n\n- Not an action\n";
    let items = read(src);
    let owned = |s: &str| s.to_string();
    assert_eq!(
        shown(&items),
        [
            (owned("Raise the timeout"), None, "done", None),
            (owned("Split the pools"), None, "in-progress", None),
            (owned("load test"), None, "open", None),
            (owned("Add tests"), None, "done", None),
            (owned("Add a runbook"), None, "open", None),
        ]
    );
    assert_eq!((items[3].pos.line, items[3].pos.column), (14, 4));
}

#[test]
fn action_tables() {
    let src = "## Follow-ups\n\n| Action Item | Type | Owner | Bug | Due | Status |\n| --- | --- | --- | --- | --- | --- |\n| Alert on queue depth | Detection | @sre | [#42](https://example.com/42) | 2027-03-01 | Done |\n| Shard the queue | Prevent | platform | #43 | — | in progress |\n| | | | | | |\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 09:00 | not an action |\n";
    let items = read(src);
    assert_eq!(items.len(), 2);
    let a = &items[0];
    assert_eq!(a.task, "Alert on queue depth");
    assert_eq!(a.owner.as_deref(), Some("sre"));
    assert_eq!(a.status, ActionStatus::Done);
    assert_eq!(a.kind, Some(ActionKind::Detect));
    assert_eq!(a.ticket.as_deref(), Some("#42"));
    assert_eq!(a.due.map(|d| d.to_string()).as_deref(), Some("2027-03-01"));
    assert_eq!(a.source, ActionSource::Table);
    let b = &items[1];
    assert_eq!(
        (b.status, b.kind, b.due),
        (ActionStatus::InProgress, Some(ActionKind::Prevent), None)
    );
}

#[test]
fn status_words_only_where_they_cannot_be_the_task() {
    for (text, status, rest) in [
        ("DONE rotate", Some(ActionStatus::Done), "rotate"),
        ("Done: rotate", Some(ActionStatus::Done), "rotate"),
        ("[x] rotate", Some(ActionStatus::Done), "rotate"),
        (
            "rotate (in progress)",
            Some(ActionStatus::InProgress),
            "rotate",
        ),
        ("rotate ✅", Some(ActionStatus::Done), "rotate"),
        ("TODO: rotate", Some(ActionStatus::Open), "rotate"),
        ("Open the firewall", None, "Open the firewall"),
        ("Fix the x", None, "Fix the x"),
        ("Mark it undone", None, "Mark it undone"),
        ("Donate spare disks", None, "Donate spare disks"),
    ] {
        assert_eq!(status_marker(text), (status, rest), "{text}");
    }
}

#[test]
fn copies_of_front_matter_items_are_merged_and_disagreements_reported() {
    let front = vec![
        item("Alert on disk usage", Some("sre"), ActionStatus::Open, None),
        item(
            "Verify mirrored packages against upstream checksums before publishing the mirror",
            Some("platform-team"),
            ActionStatus::Open,
            Some("2027-09-01"),
        ),
        item(
            "Stage unattended upgrades: canary hosts first, mail servers 24 hours later",
            Some("it-systems-team"),
            ActionStatus::InProgress,
            None,
        ),
    ];
    let mut body = vec![
        item(
            "Compare mirror checksums with upstream before each publish",
            Some("platform-team"),
            ActionStatus::Open,
            Some("2027-09-01"),
        ),
        item(
            "Update canary hosts first and mail servers a day later",
            Some("it-systems-team"),
            ActionStatus::Done,
            Some("2027-07-15"),
        ),
        item(
            "Compare mirror checksums with upstream",
            Some("someone-else"),
            ActionStatus::Open,
            None,
        ),
        item("Write the runbook", None, ActionStatus::Open, None),
        item(
            "Alert on disk latency",
            Some("sre"),
            ActionStatus::Open,
            None,
        ),
    ];
    body[1].pos = Pos::new(40, 3, 10);
    let (merged, disagreements) = merge(front.clone(), body);
    // Open and in-progress both say "not done yet".
    let open = vec![item(
        "Update canary hosts first and mail servers a day later",
        Some("it-systems-team"),
        ActionStatus::Open,
        None,
    )];
    assert!(merge(front.clone(), open).1.is_empty());
    let tasks: Vec<&str> = merged.iter().map(|a| &a.task[..12]).collect();
    assert_eq!(
        tasks,
        [
            "Alert on dis",
            "Verify mirro",
            "Stage unatte",
            "Compare mirr",
            "Write the ru",
            "Alert on dis"
        ]
    );
    assert_eq!(
        merged[2].due.map(|d| d.to_string()).as_deref(),
        Some("2027-07-15"),
        "the body copy fills the due date"
    );
    assert_eq!(disagreements.len(), 1);
    assert_eq!(disagreements[0].pos.line, 40);
    assert!(
        disagreements[0]
            .message
            .contains("its status is `done` here and `in-progress` in front matter"),
        "{}",
        disagreements[0].message
    );
}
