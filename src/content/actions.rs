//! Action items written in the body, and their merge with front matter.
//!
//! Teams write follow-ups as task lists (`- [ ] Add an alert (@sre)`),
//! as plain or numbered bullets under an `Action Items`, `Follow-ups` or
//! `TODO` heading, or as tables (`| Action Item | Owner | Bug | Due |`).
//! All three are read, with owner, due date, status, kind, priority and
//! ticket where written. An item that is also in front matter (same
//! owner, similar words) is listed once; copies that disagree are
//! reported as `duplicate-action`.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::timeline::Parts;
use crate::diagnostic::Pos;
use crate::model::body::{Cell, Heading, Item, Table};
use crate::model::schema::{ActionKind, ActionStatus};
use crate::model::section::{self, Section};
use crate::model::{ActionItem, ActionSource};
use crate::text::find_ascii_ci;

/// Finds the position of a byte range of the file.
pub type Locate<'a> = &'a dyn Fn(usize, usize) -> Pos;

/// The action items of the body, in document order.
pub fn from_body(parts: &Parts<'_>, at: Locate<'_>) -> Vec<ActionItem> {
    let ranges = section::all_ranges(parts.headings, Section::Measures, parts.source.len());
    let inside = |offset: usize| ranges.iter().any(|r| r.contains(&offset));
    let mut found: Vec<(usize, ActionItem)> = Vec::new();
    let mixed = mixed_lists(parts);
    for item in parts.items.iter().filter(|i| inside(i.offset)) {
        if item.task.is_none()
            && mixed.iter().any(|(heading, ordered)| {
                *ordered != item.ordered && nearest(parts.headings, item.offset) == Some(*heading)
            })
        {
            continue;
        }
        let (source, implied) = match item.task {
            Some(_) => (ActionSource::TaskList, None),
            None if item.depth == 0 => match action_list(parts.headings, item.offset) {
                Some(implied) => (ActionSource::List, implied),
                None => continue,
            },
            None => continue,
        };
        let pos = at(item.offset, item.text.len());
        found.push((item.offset, bullet(item, source, implied, pos)));
    }
    for line in parts.lines.iter().filter(|l| inside(l.offset)) {
        if let Some(implied) = action_list(parts.headings, line.offset)
            && let Some((marked, skip)) = line_marker(&line.text)
        {
            let text = line.text[skip..].trim_start();
            let item = Item {
                text: text.to_string(),
                offset: line.offset + line.text.len() - text.len(),
                depth: 0,
                task: None,
                struck: false,
                ordered: false,
            };
            let pos = at(item.offset, item.text.len());
            found.push((
                item.offset,
                bullet(&item, ActionSource::List, marked.or(implied), pos),
            ));
        }
    }
    for table in parts.tables.iter().filter(|t| inside(t.offset)) {
        found.extend(table_items(table, at));
    }
    found.sort_by_key(|(offset, _)| *offset);
    found.into_iter().map(|(_, a)| a).collect()
}

/// The index of the nearest heading before `offset`.
fn nearest(headings: &[Heading], offset: usize) -> Option<usize> {
    headings.iter().rposition(|h| h.offset < offset)
}

/// Headings under which numbered and bulleted top-level items are mixed,
/// with the kind of the first: the points are numbered and the bullets
/// between them are their details (`1. **Migrate**`, text, `- backfill`).
fn mixed_lists(parts: &Parts<'_>) -> Vec<(usize, bool)> {
    // Top-level items end, and so are listed, in document order.
    let mut first: Vec<(usize, bool)> = Vec::new();
    let mut mixed: Vec<(usize, bool)> = Vec::new();
    for item in parts
        .items
        .iter()
        .filter(|i| i.depth == 0 && i.task.is_none())
    {
        let Some(heading) = nearest(parts.headings, item.offset) else {
            continue;
        };
        match first.iter().find(|(h, _)| *h == heading) {
            Some(&(_, ordered)) if ordered != item.ordered => {
                if !mixed.contains(&(heading, ordered)) {
                    mixed.push((heading, ordered));
                }
            }
            Some(_) => {}
            None => first.push((heading, item.ordered)),
        }
    }
    mixed
}

/// Whether `offset` lies in an action list: under an `Action Items`
/// heading, or a sub-heading of one (`### Technical improvements`) that
/// names no section of its own (`### Timeline` is not an action list). The
/// inner value is the status a sub-heading gives its items (`Immediate
/// actions (completed)`, `Planned (in progress)`).
fn action_list(headings: &[Heading], offset: usize) -> Option<Option<ActionStatus>> {
    let nearest = nearest(headings, offset)?;
    let heading = &headings[nearest];
    match heading.kind {
        Some(k) if k.action_list => return Some(None),
        // A section of its own (`### Timeline` under `## Tasks`).
        Some(k) if k.section != Section::Measures => return None,
        _ => {}
    }
    let mut level = heading.level;
    for h in headings[..nearest].iter().rev() {
        if h.level >= level {
            continue;
        }
        match h.kind {
            Some(k) if k.action_list => return Some(heading_status(&heading.text)),
            Some(k) if k.section != Section::Measures => return None,
            _ => level = h.level,
        }
    }
    None
}

/// The status a sub-heading's words give its items.
fn heading_status(text: &str) -> Option<ActionStatus> {
    let lower = text.to_lowercase();
    if lower.contains("in progress") || lower.contains("in-progress") || lower.contains("ongoing") {
        Some(ActionStatus::InProgress)
    } else if lower.contains("completed") || lower.contains("(done)") || lower.contains("done:") {
        Some(ActionStatus::Done)
    } else {
        None
    }
}

/// A line that is an item without list syntax: `✔️ Add tests`, `• Add
/// tests`. Returns the status its marker gives and the marker's length.
fn line_marker(text: &str) -> Option<(Option<ActionStatus>, usize)> {
    const MARKERS: &[(&str, Option<ActionStatus>)] = &[
        ("✔️", Some(ActionStatus::Done)),
        ("✔", Some(ActionStatus::Done)),
        ("✅", Some(ActionStatus::Done)),
        ("☑️", Some(ActionStatus::Done)),
        ("☑", Some(ActionStatus::Done)),
        ("✓", Some(ActionStatus::Done)),
        ("☐", Some(ActionStatus::Open)),
        ("⬜", Some(ActionStatus::Open)),
        ("•", None),
        ("▪", None),
        ("●", None),
        ("◦", None),
        ("→", None),
    ];
    MARKERS
        .iter()
        .find(|(m, _)| text.starts_with(m))
        .map(|(m, status)| (*status, m.len()))
}

/// An item of a task list or a plain list: `Add an alert (@sre, due
/// 2027-01-15)`, `DONE: rotate the key`, `~~drop the cache~~`.
fn bullet(
    item: &Item,
    source: ActionSource,
    implied: Option<ActionStatus>,
    pos: Pos,
) -> ActionItem {
    let (marked, text) = status_marker(&item.text);
    let status = match (item.task, marked) {
        (Some(true), _) => ActionStatus::Done,
        (_, Some(status)) => status,
        _ if item.struck => ActionStatus::Done,
        _ => implied.unwrap_or(ActionStatus::Open),
    };
    let owner = owner_in(text);
    let due = due_in(text);
    ActionItem {
        task: strip_meta(text),
        owner,
        status,
        due,
        kind: None,
        priority: None,
        ticket: None,
        source,
        pos,
    }
}

/// A status written as a word before or after an item: `DONE`, `[x]`,
/// `TODO:`, `(in progress)`, `- done`, `✅`. Returns it and the text
/// without it. A bare word counts only where it cannot be part of the
/// task: in capitals or before a colon at the start, after a dash at the
/// end (`Open the firewall` is a task, `OPEN: firewall` a status).
fn status_marker(text: &str) -> (Option<ActionStatus>, &str) {
    let t = text.trim();
    let seps = |c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—');
    if let Some((status, rest)) = bracketed(t) {
        return (Some(status), rest.trim_matches(seps));
    }
    // Bare words: look only where one can be.
    let first = t.chars().next().map_or(' ', |c| c.to_ascii_lowercase());
    let bare_prefix = !first.is_ascii() || "dcftoiw".contains(first);
    let tail = t.get(t.len().saturating_sub(16)..).unwrap_or(t);
    let bare_suffix = !t.ends_with(|c: char| c.is_ascii()) || tail.contains(['-', '–', '—', ':']);
    for (word, status) in STATUS_WORDS.iter().filter(|(w, _)| *w != "x") {
        let emoji = !word.is_ascii();
        if let Some(rest) = strip_prefix_ci(t, word).filter(|_| bare_prefix) {
            let head = &t[..word.len()];
            let whole = rest.is_empty() || rest.starts_with(|c: char| !c.is_alphanumeric());
            let marked = emoji
                || !head.chars().any(char::is_lowercase)
                || rest.trim_start().starts_with(':');
            if whole && marked {
                return (Some(*status), rest.trim_start_matches(seps));
            }
        }
        if let Some(rest) = strip_suffix_ci(t, word).filter(|_| bare_suffix) {
            let before = rest.trim_end();
            let marked = emoji || before.ends_with(['-', '–', '—', ':']);
            if marked && before.len() < rest.len() + usize::from(emoji) {
                return (Some(*status), rest.trim_end_matches(seps));
            }
        }
    }
    (None, t)
}

/// A status in brackets at either end: `[DONE] x`, `x (in progress)`.
fn bracketed(t: &str) -> Option<(ActionStatus, &str)> {
    let word = |inner: &str| {
        STATUS_WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(inner.trim()))
            .map(|(_, s)| *s)
    };
    if let Some(open) = t.chars().next().filter(|c| matches!(c, '[' | '(')) {
        let close = if open == '[' { ']' } else { ')' };
        if let Some(end) = t.get(..20.min(t.len())).and_then(|head| head.find(close))
            && let Some(status) = t.get(1..end).and_then(word)
        {
            return Some((status, &t[end + 1..]));
        }
    }
    if let Some(close) = t.chars().last().filter(|c| matches!(c, ']' | ')')) {
        let open = if close == ']' { '[' } else { '(' };
        let start = t.rfind(open)?;
        let status = t.get(start + 1..t.len() - 1).and_then(word)?;
        return Some((status, &t[..start]));
    }
    None
}

const STATUS_WORDS: &[(&str, ActionStatus)] = &[
    ("done", ActionStatus::Done),
    ("completed", ActionStatus::Done),
    ("complete", ActionStatus::Done),
    ("fixed", ActionStatus::Done),
    ("x", ActionStatus::Done),
    ("✅", ActionStatus::Done),
    ("✔️", ActionStatus::Done),
    ("✔", ActionStatus::Done),
    ("☑", ActionStatus::Done),
    ("todo", ActionStatus::Open),
    ("to do", ActionStatus::Open),
    ("open", ActionStatus::Open),
    ("in progress", ActionStatus::InProgress),
    ("in-progress", ActionStatus::InProgress),
    ("wip", ActionStatus::InProgress),
    ("won't do", ActionStatus::WontDo),
    ("wont do", ActionStatus::WontDo),
    ("won't fix", ActionStatus::WontDo),
    ("wontfix", ActionStatus::WontDo),
];

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

/// `@team`, `Owner: team`, `owned by team`, `assignee: x`.
fn owner_in(text: &str) -> Option<String> {
    let word = |s: &str| {
        s.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';'))
            .next()
            .map(|o| o.trim_matches(['.', ':', '@', '*']).to_string())
            .filter(|o| !o.is_empty())
    };
    if let Some(o) = text
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .find_map(|w| w.strip_prefix('@'))
        .and_then(word)
    {
        return Some(o);
    }
    [
        "owner:",
        "owners:",
        "assignee:",
        "owned by ",
        "assigned to ",
    ]
    .iter()
    .find_map(|label| {
        let at = find_ascii_ci(text, label).next()? + label.len();
        word(text[at..].trim_start())
    })
}

/// `due 2027-01-15`, `due: 2027-01-15`, `by 2027-01-15`.
fn due_in(text: &str) -> Option<Date> {
    if !text.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    ["due", "by ", "deadline"].iter().find_map(|label| {
        find_ascii_ci(text, label).find_map(|i| {
            let rest = text[i + label.len()..].trim_start_matches([':', ' ']);
            rest.get(..10).and_then(|d| d.parse().ok())
        })
    })
}

/// The task without a trailing `(@owner, due …)` group.
fn strip_meta(text: &str) -> String {
    let mut task = text.trim().to_string();
    if let Some(open) = task.rfind('(') {
        let meta = task[open..].to_ascii_lowercase();
        if meta.ends_with(')')
            && (meta.contains('@') || meta.contains("due") || meta.contains("owner"))
        {
            task.truncate(open);
        }
    }
    task.trim().trim_end_matches([',', ';']).trim().to_string()
}

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
fn table_items(table: &Table, at: Locate<'_>) -> Vec<(usize, ActionItem)> {
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

/// A copy of a front-matter item found in the body that disagrees with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// The body copy.
    pub pos: Pos,
    /// What differs and what to do.
    pub message: String,
}

/// Front-matter items, then body items that are not copies of one. A body
/// copy fills what its front-matter item leaves out; copies that disagree
/// on status or due date are reported.
pub fn merge(
    front: Vec<ActionItem>,
    body: Vec<ActionItem>,
) -> (Vec<ActionItem>, Vec<Disagreement>) {
    if front.is_empty() || body.is_empty() {
        let mut all = front;
        all.extend(body);
        return (all, Vec::new());
    }
    let front_words: Vec<Vec<u64>> = front.iter().map(|a| stems(&a.task)).collect();
    let mut merged = front;
    let front_len = merged.len();
    let mut taken = vec![false; front_len];
    let mut disagreements = Vec::new();
    for item in body {
        let words = stems(&item.task);
        let best = (0..front_len)
            .filter(|&i| !taken[i])
            .filter_map(|i| {
                same_item(&merged[i], &front_words[i], &item, &words).map(|score| (score, i))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, i)) = best else {
            merged.push(item);
            continue;
        };
        taken[i] = true;
        if let Some(message) = disagreement(&merged[i], &item) {
            disagreements.push(Disagreement {
                pos: item.pos,
                message,
            });
        }
        let kept = &mut merged[i];
        kept.owner = kept.owner.take().or(item.owner);
        kept.due = kept.due.or(item.due);
        kept.kind = kept.kind.or(item.kind);
        kept.priority = kept.priority.take().or(item.priority);
        kept.ticket = kept.ticket.take().or(item.ticket);
    }
    (merged, disagreements)
}

/// How alike two items are, when they are the same item: the share of
/// the shorter one's words the other has (words compared by their first
/// five letters, so `publish` matches `publishing`). Owners must agree.
fn same_item(a: &ActionItem, wa: &[u64], b: &ActionItem, wb: &[u64]) -> Option<f64> {
    let owners = match (&a.owner, &b.owner) {
        (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y) => return None,
        (Some(_), Some(_)) => true,
        _ => false,
    };
    let shorter = wa.len().min(wb.len());
    if shorter == 0 {
        return None;
    }
    let common = shared(wa, wb);
    let score = common as f64 / shorter as f64;
    // Short tasks share words by chance (`Alert on disk usage`, `Alert
    // on disk latency`): a few words in common are needed too.
    let needed = if owners { 0.5 } else { 0.75 };
    (score >= needed && (common >= 3 || score >= 0.99)).then_some(score)
}

/// The words of a task as hashes of their first five letters, lowercase,
/// sorted, without the commonest words: so `publish` matches `publishing`.
fn stems(text: &str) -> Vec<u64> {
    let mut out: Vec<u64> = if text.is_ascii() {
        // Five ASCII letters fit in the key itself.
        text.as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty() && !is_stop_word(w))
            .map(|w| {
                w.iter()
                    .take(5)
                    .fold(0u64, |key, b| key << 8 | u64::from(b.to_ascii_lowercase()))
            })
            .collect()
    } else {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && !is_stop_word(w.as_bytes()))
            .map(|w| {
                use std::hash::{Hash, Hasher};
                let mut h = rustc_hash::FxHasher::default();
                for c in w.chars().take(5).flat_map(char::to_lowercase) {
                    c.hash(&mut h);
                }
                h.finish() | 1 << 63
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The commonest words, which say nothing about what a task is.
fn is_stop_word(w: &[u8]) -> bool {
    let stop: &[&str] = match w.len() {
        1 => &["a"],
        2 => &[
            "an", "or", "of", "to", "in", "on", "by", "at", "is", "be", "it", "we", "so",
        ],
        3 => &["the", "and", "for", "all", "not", "are", "its", "our"],
        4 => &[
            "with", "from", "each", "when", "only", "into", "that", "this",
        ],
        5 => &["every", "after"],
        6 => &["before"],
        _ => return false,
    };
    stop.iter().any(|s| s.as_bytes().eq_ignore_ascii_case(w))
}

/// How many values two sorted lists share.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn disagreement(front: &ActionItem, body: &ActionItem) -> Option<String> {
    let mut differs = Vec::new();
    // A checkbox or a plain bullet says "done" or "not done", not whether
    // the work has started or was dropped: only that must agree.
    if front.status.is_pending() != body.status.is_pending() {
        differs.push(format!(
            "its status is `{}` here and `{}` in front matter",
            body.status.word(),
            front.status.word()
        ));
    }
    if let (Some(a), Some(b)) = (front.due, body.due)
        && a != b
    {
        differs.push(format!("it is due {b} here and {a} in front matter"));
    }
    if differs.is_empty() {
        return None;
    }
    Some(format!(
        "this action item repeats \"{}\" from front matter (line {}), but {}; keep one copy, or make them agree",
        front.task.chars().take(60).collect::<String>(),
        front.pos.line,
        differs.join(" and ")
    ))
}

#[cfg(test)]
mod tests;
