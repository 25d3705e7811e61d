//! The imported file: inferred front matter, a comment for each value
//! the text does not state, then the body exactly as it was.

use std::fmt::Write as _;

use super::infer::Inference;
use crate::model::ActionItem;

/// The text of the imported file for a report `text`.
pub(super) fn file(inference: &Inference, text: &str) -> String {
    let body = &text[inference.body_offset..];
    let mut out = String::with_capacity(body.len() + 1024);
    out.push_str("---\n");
    let value = |field: &str| {
        inference
            .fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.value.as_str())
    };
    for field in ["title", "severity"] {
        if let Some(v) = value(field) {
            let _ = writeln!(out, "{field}: {}", quoted(v));
        }
    }
    for field in ["start", "end"] {
        if let Some(v) = value(field) {
            let _ = writeln!(out, "{field}: {v}");
        }
    }
    if let Some(v) = value("timezone") {
        let _ = writeln!(out, "timezone: {}", quoted(v));
    }
    for field in ["detected", "mitigated"] {
        if let Some(v) = value(field) {
            let _ = writeln!(out, "{field}: {v}");
        }
    }
    impact(
        &mut out,
        value("impact.summary"),
        value("impact.users_affected_pct"),
    );
    for field in ["services", "tags"] {
        if let Some(v) = value(field) {
            let list: Vec<String> = v.split(", ").map(quoted).collect();
            let _ = writeln!(out, "{field}: [{}]", list.join(", "));
        }
    }
    actions(&mut out, &inference.actions);
    for (field, why) in &inference.missing {
        let _ = writeln!(out, "# {field}: {why}");
    }
    out.push_str("---\n");
    if !body.starts_with('\n') {
        out.push('\n');
    }
    out.push_str(body);
    out
}

fn impact(out: &mut String, summary: Option<&str>, pct: Option<&str>) {
    if summary.is_none() && pct.is_none() {
        return;
    }
    out.push_str("impact:\n");
    if let Some(s) = summary {
        let _ = writeln!(out, "  summary: {}", quoted(s));
    }
    if let Some(p) = pct {
        let _ = writeln!(out, "  users_affected_pct: {p}");
    }
}

fn actions(out: &mut String, items: &[ActionItem]) {
    if items.is_empty() {
        return;
    }
    out.push_str("action_items:\n");
    for a in items {
        let _ = writeln!(out, "  - task: {}", quoted(&a.task));
        if let Some(owner) = &a.owner {
            let _ = writeln!(out, "    owner: {}", quoted(owner));
        }
        let _ = writeln!(out, "    status: {}", a.status.word());
        if let Some(due) = a.due {
            let _ = writeln!(out, "    due: {due}");
        }
        if let Some(kind) = a.kind {
            let _ = writeln!(out, "    kind: {}", kind.word());
        }
    }
}

/// A YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_yaml() {
        for s in [
            "plain",
            "a \"quote\" and \\ back",
            "colon: yes",
            "# not a comment",
            "tab\there",
        ] {
            let yaml = format!("v: {}\n", quoted(s));
            let value = crate::content::yaml::parse(&yaml).unwrap();
            let read = value
                .get("v")
                .and_then(|v| v.as_text())
                .map(|t| t.into_owned());
            assert_eq!(read.as_deref(), Some(s), "{yaml}");
        }
    }
}
