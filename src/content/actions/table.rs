//! Action items from tables: columns named like Action Item/Task,
//! Owner/Who, Type, Priority, Bug/Ticket, Due and Status.

use super::*;

/// What a column of an action table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Task,
    Owner,
    Kind,
    Priority,
    Ticket,
    Due,
    Status,
}

fn column_of(header: &str) -> Option<Column> {
    let key = header.trim().trim_end_matches(':').to_lowercase();
    let key = key.split('(').next().unwrap_or("").trim();
    Some(match key {
        "action item" | "action items" | "action" | "actions" | "task" | "tasks" | "item"
        | "items" | "description" | "what" | "remediation" | "follow up" | "follow-up" | "todo"
        | "to do" | "title" | "summary" | "name" => Column::Task,
        "owner" | "owners" | "who" | "assignee" | "assigned to" | "responsible" | "team"
        | "dri" => Column::Owner,
        "type" | "kind" | "category" => Column::Kind,
        "priority" | "prio" | "pri" => Column::Priority,
        "bug" | "bugs" | "ticket" | "tickets" | "issue" | "issues" | "jira" | "link"
        | "tracking" | "tracker" | "pr" | "reference" => Column::Ticket,
        "due" | "due date" | "deadline" | "eta" | "target date" | "target" | "by when" | "when" => {
            Column::Due
        }
        "status" | "state" | "progress" => Column::Status,
        _ => return None,
    })
}

/// The items of an action table: one per row with a task.
pub(super) fn table_items(table: &Table, at: Locate<'_>) -> Vec<(usize, ActionItem)> {
    let columns: Vec<Option<Column>> = table.header.iter().map(|c| column_of(&c.text)).collect();
    let known: BTreeSet<Column> = columns.iter().flatten().copied().collect();
    if known.is_empty() {
        return Vec::new();
    }
    let task_col = columns
        .iter()
        .position(|c| *c == Some(Column::Task))
        .or_else(|| columns.iter().position(Option::is_none))
        .unwrap_or(0);
    table
        .rows
        .iter()
        .filter_map(|row| {
            let task = row.get(task_col).filter(|c| !c.text.is_empty())?;
            let cell = |want: Column| {
                columns
                    .iter()
                    .position(|c| *c == Some(want))
                    .and_then(|i| row.get(i))
                    .map(|c| c.text.as_str())
                    .filter(|t| !t.is_empty() && *t != "-" && *t != "—")
            };
            Some((task.offset, row_item(task, &cell, at)))
        })
        .collect()
}

fn row_item<'r>(
    task: &Cell,
    cell: &dyn Fn(Column) -> Option<&'r str>,
    at: Locate<'_>,
) -> ActionItem {
    let (marked, text) = status_marker(&task.text);
    let status = cell(Column::Status)
        .and_then(status_word)
        .or(marked)
        .unwrap_or(ActionStatus::Open);
    ActionItem {
        task: strip_meta(text),
        owner: cell(Column::Owner)
            .map(|o| o.trim_start_matches('@').to_string())
            .or_else(|| owner_in(text)),
        status,
        due: cell(Column::Due)
            .and_then(|d| d.get(..10).and_then(|d| d.parse().ok()))
            .or_else(|| due_in(text)),
        kind: cell(Column::Kind).and_then(kind_word),
        priority: cell(Column::Priority).map(str::to_string),
        ticket: cell(Column::Ticket).map(str::to_string),
        source: ActionSource::Table,
        pos: at(task.offset, task.text.len()),
    }
}

/// A status as written in a status column.
fn status_word(text: &str) -> Option<ActionStatus> {
    let lower = text.trim().to_lowercase();
    ActionStatus::parse(&lower).or(match lower.as_str() {
        "done" | "complete" | "completed" | "closed" | "fixed" | "resolved" | "shipped" | "yes"
        | "✅" | "✔" | "✔️" | "x" => Some(ActionStatus::Done),
        "wip" | "ongoing" | "started" | "in review" | "doing" => Some(ActionStatus::InProgress),
        "todo" | "to do" | "not started" | "planned" | "pending" | "new" | "no" | "backlog" => {
            Some(ActionStatus::Open)
        }
        "won't do" | "won't fix" | "wontfix" | "cancelled" | "canceled" | "dropped" => {
            Some(ActionStatus::WontDo)
        }
        _ => None,
    })
}

/// A kind as written in a type column.
fn kind_word(text: &str) -> Option<ActionKind> {
    let lower = text.trim().to_lowercase();
    ActionKind::parse(&lower).or(match lower.as_str() {
        "prevention" | "preventative" | "preventive" => Some(ActionKind::Prevent),
        "detection" | "monitoring" | "alerting" => Some(ActionKind::Detect),
        "mitigation" | "repair" | "recovery" => Some(ActionKind::Mitigate),
        "documentation" | "docs" | "training" | "runbook" => Some(ActionKind::Process),
        _ => None,
    })
}
