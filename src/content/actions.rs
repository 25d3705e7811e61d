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

mod merge;
mod table;

pub use merge::{Disagreement, merge};
use table::table_items;

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

#[cfg(test)]
mod tests;
