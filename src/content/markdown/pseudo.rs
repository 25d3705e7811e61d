//! Section names written as plain or bold lines.
//!
//! Many reports mark their sections with a line of their own instead of a
//! heading: `Timeline` alone, `**Root Cause:**`, `*Action items*`. The
//! lines of each top-level paragraph are held back one at a time until it
//! is known whether the line is only such a name; if it is, it becomes a
//! heading (so sections, the table of contents and anchors all work), the
//! lines before it stay one paragraph and the lines after it another. A
//! name after the first line must start with a capital or be bold: a
//! wrapped line of prose is rarely that. Validation reports these headings
//! as `heading-style`.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{LinkContext, Origin, State, heading_level};

/// The longest line still read as a section name.
const MAX_NAME: usize = 60;

/// The most inline events a name line can have (`**`, text, `**`, `:`).
const MAX_EVENTS: usize = 12;

impl<'a> State<'a> {
    /// Takes an event while a line of a paragraph is held back.
    pub(super) fn pending_event(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        ctx: &LinkContext<'_>,
    ) {
        let inline = matches!(
            event,
            Event::Text(_)
                | Event::Start(Tag::Strong | Tag::Emphasis)
                | Event::End(TagEnd::Strong | TagEnd::Emphasis)
        );
        let line_end = matches!(
            event,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
        );
        if let Some(pending) = &mut self.pending
            && inline
            && pending.len() < MAX_EVENTS
        {
            pending.push((event, range));
            return;
        }
        if line_end && let Some(origin) = self.name_line(ctx) {
            self.heading_from_line(origin, event, range, ctx);
            return;
        }
        self.flush_pending(ctx);
        self.line_event(event, range, ctx);
    }

    /// Sends the held-back events on as they are.
    pub(super) fn flush_pending(&mut self, ctx: &LinkContext<'_>) {
        let pending = self.pending.take().unwrap_or_default();
        if self.collect
            && let Some(label) = lead_in(&pending, ctx)
        {
            self.body.labels.push(label);
        }
        for (event, range) in pending {
            self.dispatch(event, range, ctx);
        }
    }

    /// How the held-back line is written, if it is only a section name.
    fn name_line(&self, ctx: &LinkContext<'_>) -> Option<Origin> {
        let pending = self.pending.as_ref()?;
        let length: usize = pending
            .iter()
            .map(|(e, _)| match e {
                Event::Text(t) => t.len(),
                _ => 0,
            })
            .sum();
        // Four bytes a character at most: longer lines cannot be a name.
        if length == 0 || length > MAX_NAME * 4 {
            return None;
        }
        let (mut text, mut outside) = (String::new(), String::new());
        let (mut depth, mut marked) = (0usize, false);
        for (event, _) in &pending[1..] {
            match event {
                Event::Start(_) => {
                    depth += 1;
                    marked = true;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                Event::Text(t) => {
                    text.push_str(t);
                    if depth == 0 {
                        outside.push_str(t);
                    }
                }
                _ => return None,
            }
        }
        let name = text.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return None;
        }
        // Only punctuation may stand outside the markers: `**Timeline**:`,
        // `/*Timeline*/`.
        let origin = if !marked {
            Origin::PlainLine
        } else if !outside.chars().any(char::is_alphanumeric) {
            Origin::Bold
        } else {
            return None;
        };
        if origin == Origin::PlainLine
            && (name.ends_with(['.', ',', ';'])
                || (self.later_line() && !name.starts_with(char::is_uppercase)))
        {
            return None;
        }
        let key = crate::model::section::normalize(name);
        ctx.sections.classify_key(&key).map(|_| origin)
    }

    /// Whether the held-back line follows a line break of its paragraph.
    fn later_line(&self) -> bool {
        self.pending
            .as_ref()
            .is_some_and(|p| matches!(p.first(), Some((Event::SoftBreak | Event::HardBreak, _))))
    }

    /// Turns the held-back line into a heading; the lines before it and
    /// those after it stay paragraphs.
    fn heading_from_line(
        &mut self,
        origin: Origin,
        end: Event<'a>,
        end_range: Range<usize>,
        ctx: &LinkContext<'_>,
    ) {
        let later = self.later_line();
        let pending = self.pending.take().unwrap_or_default();
        if later && let Some((_, at)) = pending.first() {
            self.dispatch(Event::End(TagEnd::Paragraph), at.start..at.start, ctx);
        }
        let first = pending.get(usize::from(later));
        let start = first.map_or(end_range.start, |(_, r)| r.start);
        // The line ends where its last piece of text or emphasis does.
        let line_end = pending[1..]
            .iter()
            .map(|(_, r)| r.end)
            .max()
            .unwrap_or(end_range.start)
            .max(start);
        let level = match self.last_heading {
            Some((level, true)) => level,
            Some((level, false)) => (level + 1).min(6),
            None => 2,
        };
        self.dispatch(
            Event::Start(Tag::Heading {
                level: heading_level(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            }),
            start..line_end,
            ctx,
        );
        if let Some(h) = &mut self.heading {
            h.origin = origin;
        }
        for (event, range) in pending {
            if let Event::Text(_) = event {
                self.dispatch(event, range, ctx);
            }
        }
        self.dispatch(
            Event::End(TagEnd::Heading(heading_level(level))),
            start..line_end,
            ctx,
        );
        if matches!(end, Event::End(TagEnd::Paragraph)) {
            self.top_paragraph = false;
        } else {
            self.dispatch(
                Event::Start(Tag::Paragraph),
                end_range.end..end_range.end,
                ctx,
            );
        }
    }
}

/// A paragraph opening with a bold section name and a colon, then text:
/// `**Root Causes**: the disk filled.`, `**Impact:** 40% of users`.
fn lead_in(pending: &[(Event<'_>, Range<usize>)], ctx: &LinkContext<'_>) -> Option<super::Label> {
    let [
        (Event::Start(Tag::Paragraph), at),
        (Event::Start(Tag::Strong), _),
        (Event::Text(name), _),
        (Event::End(TagEnd::Strong), _),
        rest @ ..,
    ] = pending
    else {
        return None;
    };
    let after = match rest.first() {
        Some((Event::Text(t), _)) => t.as_ref(),
        _ => "",
    };
    let colon = name.trim_end().ends_with(':') || after.starts_with(':');
    if !colon {
        return None;
    }
    let key = crate::model::section::normalize(name);
    let kind = ctx.sections.classify_key(&key)?;
    Some(super::Label {
        kind,
        offset: at.start,
    })
}
