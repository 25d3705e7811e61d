//! One file's fixes, planned in memory: read the file as `check` does,
//! collect the fixes of each kind, keep the heading fixes that read back
//! as intended, and apply them all to the file's text as it is on disk.

use crate::config::SiteConfig;
use crate::content::frontmatter;
use crate::content::markdown::{self, LinkContext};
use crate::text::{normalize_newlines, pos_in};

use super::edit::{Edit, RawMap, apply};
use super::{Outcome, due, headings, zone};

/// What fixing one file's text gives.
#[derive(Debug, Clone, Default)]
pub(super) struct Planned {
    /// Fixes and problems left, in file order.
    pub(super) outcomes: Vec<Outcome>,
    /// The file's new text, when there is a fix.
    pub(super) fixed: Option<String>,
}

/// Plans the fixes of the file whose text on disk is `raw`, at
/// `content_path` (relative to `content/`).
pub(super) fn plan(raw: &str, content_path: &str, cfg: &SiteConfig) -> Planned {
    let text = normalize_newlines(raw.to_string());
    // Without a front-matter block there is no telling where the body
    // starts; `check` reports it.
    let Ok(block) = frontmatter::split(&text) else {
        return Planned::default();
    };
    let body_offset = block.body_offset;
    let nowhere = |_: &str| None;
    let ctx = LinkContext {
        root: "/",
        dir: content_path.rsplit_once('/').map_or("", |(d, _)| d),
        incident_path: &nowhere,
        html: false,
        sanitize: false,
        sections: &cfg.sections,
    };
    let read = |t: &str| markdown::render(t.get(body_offset..).unwrap_or(""), body_offset, &ctx);
    let body = read(&text);
    let (proposals, mut outcomes) = headings::propose(&text, &body);
    let (kept, left) = headings::accept(&text, &body, proposals, &read);
    outcomes.extend(left);
    let mut edits = Vec::new();
    for p in kept {
        edits.push(p.edit);
        outcomes.push(p.outcome);
    }
    let others = zone::fix(&text, &block, &body, cfg)
        .into_iter()
        .chain(due::fixes(&text, &body));
    for found in others {
        match found {
            Ok((edit, outcome)) => {
                edits.push(edit);
                outcomes.push(outcome);
            }
            Err(outcome) => outcomes.push(outcome),
        }
    }
    outcomes.sort_by_key(|o| (o.pos, o.fixed));
    let fixed = on_disk(raw, &text, &edits);
    if fixed.is_none() && !edits.is_empty() {
        let pos = pos_in(&text, 0, 1);
        outcomes.retain(|o| !o.fixed);
        outcomes.insert(0, Outcome::left(pos, "this file has line ends hindsight cannot write back exactly (a lone carriage return); save it with LF or CRLF line ends to have it fixed"));
    }
    Planned { outcomes, fixed }
}

/// `raw` with `edits` (made on its normalised form `text`) applied; `None`
/// without edits, or when the result would not be `text` with the edits.
fn on_disk(raw: &str, text: &str, edits: &[Edit]) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let moved = RawMap::new(raw).carry(edits)?;
    let fixed = apply(raw, &moved);
    (normalize_newlines(fixed.clone()) == apply(text, edits)).then_some(fixed)
}
