//! Section headings as Markdown headings: a section name written as a
//! plain line, a bold line or an HTML `<hN>` becomes `## Name` at the
//! level the reader gave it, and trailing colons on headings go.
//!
//! Each change is checked by reading the fixed body again: the headings
//! must be the same sections at the same levels with the same anchors,
//! and the rest of the body must read the same (items, tables, links,
//! words). A change that would alter anything else is left out and
//! reported, so a fix never changes what a postmortem says.

use crate::content::html::{self, Token};
use crate::model::body::{Body, Heading, Origin};
use crate::text::pos_in;

use super::Outcome;
use super::edit::{Edit, apply};

/// A change to one heading, before it is checked.
#[derive(Debug, Clone)]
pub(super) struct Proposal {
    /// The replacement.
    pub(super) edit: Edit,
    /// What to report when it is made.
    pub(super) outcome: Outcome,
    /// The index of the heading in the body's headings.
    index: usize,
    /// The heading's text once fixed.
    text: String,
    /// True when the heading becomes a Markdown heading.
    markdown: bool,
}

/// The changes the headings of `body` call for, and what is left as
/// written with the reason.
pub(super) fn propose(text: &str, body: &Body) -> (Vec<Proposal>, Vec<Outcome>) {
    let mut proposals = Vec::new();
    let mut left = Vec::new();
    for (index, h) in body.headings.iter().enumerate() {
        let found = match h.origin {
            Origin::PlainLine | Origin::Bold => Some(Ok(from_line(text, h))),
            Origin::Html if h.kind.is_some() => from_html(text, h),
            Origin::Html => None,
            Origin::Markdown => colon(text, h).map(Ok),
        };
        // An HTML heading that stays HTML still loses its colon.
        let found = match found {
            Some(Err(note)) => {
                left.push(note);
                colon(text, h)
            }
            Some(Ok(edit)) => Some(edit),
            None => None,
        };
        if let Some((edit, markdown)) = found {
            let outcome = describe(text, h, &edit);
            proposals.push(Proposal {
                edit,
                outcome,
                index,
                text: without_colon(&h.text).to_string(),
                markdown,
            });
        }
    }
    (proposals, left)
}

/// What an edit of heading `h` does: its line before and after.
fn describe(text: &str, h: &Heading, edit: &Edit) -> Outcome {
    let line = line_at(text, edit.range.start);
    let was = &text[line.clone()];
    let now = format!(
        "{}{}{}",
        &text[line.start..edit.range.start],
        edit.text,
        &text[edit.range.end..line.end]
    );
    let pos = pos_in(text, h.offset, text[h.offset..line.end].chars().count());
    Outcome::fixed(pos, format!("`{}` is now `{}`", was.trim(), now.trim()))
}

/// The heading text without a trailing colon.
fn without_colon(text: &str) -> &str {
    text.trim().trim_end_matches([':', '：']).trim_end()
}

/// The byte range of the line holding `offset`, without its newline.
fn line_at(text: &str, offset: usize) -> std::ops::Range<usize> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    start..end
}

/// `## Name` for a heading written as a plain or bold line: the whole
/// line is replaced.
fn from_line(text: &str, h: &Heading) -> (Edit, bool) {
    let line = line_at(text, h.offset);
    (Edit::new(h.offset..line.end, atx(h)), true)
}

/// `h` as an ATX heading at its level, without a trailing colon.
fn atx(h: &Heading) -> String {
    let hashes = "#".repeat(usize::from(h.level.clamp(1, 6)));
    format!("{hashes} {}", without_colon(&h.text))
}

/// `## Name` for an HTML heading alone on its line, with no attributes
/// and no tags inside; otherwise why it stays HTML.
fn from_html(text: &str, h: &Heading) -> Option<Result<(Edit, bool), Outcome>> {
    let range = h.offset..h.offset + h.len;
    let written = text.get(range.clone())?;
    let tokens = html::tokens(written);
    let pos = pos_in(text, h.offset, written.chars().count());
    let leave = |why: String| Some(Err(Outcome::left(pos, why)));
    let attrs = match tokens.first() {
        Some(Token::Open { attrs, .. }) => written[attrs.clone()].trim(),
        _ => return None,
    };
    if !attrs.is_empty() {
        return leave(format!(
            "this HTML heading has attributes (`{attrs}`) that a Markdown heading would lose; it stays HTML"
        ));
    }
    // Only text between the tags: a comment or a tag inside would be lost.
    let only_text = match &tokens[..] {
        [
            Token::Open { range: open, .. },
            Token::Text(inner),
            Token::Close { range: close, .. },
        ] => inner.start == open.end && inner.end == close.start,
        _ => false,
    };
    if !only_text {
        return leave(
            "this HTML heading has markup inside that a Markdown heading would lose; it stays HTML"
                .into(),
        );
    }
    let line = line_at(text, h.offset);
    let alone = text[line.start..range.start].trim().is_empty()
        && range.end <= line.end
        && text[range.end..line.end].trim().is_empty();
    if !alone {
        return leave(
            "this HTML heading shares its line with other HTML, or spans several lines; put it on a line of its own to have it fixed"
                .into(),
        );
    }
    Some(Ok((Edit::new(line.start..line.end, atx(h)), true)))
}

/// The removal of a trailing colon written at the end of a heading's
/// first line, before a closing `#` sequence, `{#id}` attributes,
/// emphasis markers or an HTML closing tag.
fn colon(text: &str, h: &Heading) -> Option<(Edit, bool)> {
    if without_colon(&h.text).len() == h.text.trim().len() {
        return None;
    }
    let rest = if h.origin == Origin::Html {
        let written = text.get(h.offset..h.offset + h.len)?;
        &written[..written.rfind("</")?]
    } else {
        strip_closing(&text[h.offset..line_at(text, h.offset).end])
    };
    let rest = rest.trim_end().trim_end_matches(['*', '_']).trim_end();
    let body = rest.trim_end_matches([':', '：']).trim_end();
    if body.len() == rest.len() || body.ends_with('\\') || body.is_empty() {
        return None;
    }
    Some((
        Edit::new(h.offset + body.len()..h.offset + rest.len(), ""),
        false,
    ))
}

/// An ATX heading line without its `{#id .class}` attributes and closing
/// `#` sequence.
fn strip_closing(line: &str) -> &str {
    let mut rest = line.trim_end();
    if rest.ends_with('}')
        && let Some(open) = rest.rfind('{')
    {
        rest = rest[..open].trim_end();
    }
    let hashes = rest.trim_end_matches('#');
    if hashes.len() < rest.len() && hashes.ends_with([' ', '\t']) {
        rest = hashes.trim_end();
    }
    rest
}

/// The proposals that read back as intended: all of them when together
/// they do, else each one that does on top of those kept before it.
/// `read` reads a whole fixed text's body.
pub(super) fn accept(
    text: &str,
    before: &Body,
    proposals: Vec<Proposal>,
    read: &dyn Fn(&str) -> Body,
) -> (Vec<Proposal>, Vec<Outcome>) {
    if proposals.is_empty() || reads_as_intended(text, before, &proposals, read) {
        return (proposals, Vec::new());
    }
    let mut kept: Vec<Proposal> = Vec::new();
    let mut left = Vec::new();
    for p in proposals {
        kept.push(p);
        if !reads_as_intended(text, before, &kept, read)
            && let Some(p) = kept.pop()
        {
            left.push(Outcome::left(
                p.outcome.pos,
                "this heading is left as written: the fixed line would change how the text after it reads",
            ));
        }
    }
    (kept, left)
}

fn reads_as_intended(
    text: &str,
    before: &Body,
    proposals: &[Proposal],
    read: &dyn Fn(&str) -> Body,
) -> bool {
    let edits: Vec<Edit> = proposals.iter().map(|p| p.edit.clone()).collect();
    let after = read(&apply(text, &edits));
    if after.headings.len() != before.headings.len() || shape(&after) != shape(before) {
        return false;
    }
    before
        .headings
        .iter()
        .zip(&after.headings)
        .enumerate()
        .all(|(i, (was, now))| {
            let change = proposals.iter().find(|p| p.index == i);
            let (text, origin) = match change {
                Some(p) if p.markdown => (p.text.as_str(), Origin::Markdown),
                Some(p) => (p.text.as_str(), was.origin),
                None => (was.text.as_str(), was.origin),
            };
            now.text == text
                && now.origin == origin
                && now.level == was.level
                && now.kind == was.kind
                && now.id == was.id
        })
}

/// What a body holds besides its headings, to tell that a fix left it
/// as it was.
fn shape(body: &Body) -> (usize, usize, usize, usize, usize, usize, usize) {
    (
        body.items.len(),
        body.lines.len(),
        body.tables.len(),
        body.links.len(),
        body.external.len(),
        body.labels.len(),
        body.words,
    )
}
