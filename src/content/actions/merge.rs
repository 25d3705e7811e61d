//! Items written both in front matter and in the body, listed once; a
//! `duplicate-action` finding when the copies disagree.

use super::*;

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
