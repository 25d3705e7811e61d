//! What the body pass collects as it goes: list items, paragraphs and
//! their first sentences, line breaks, and the text of prose and headings.

use std::ops::Range;

use super::{ItemBuf, State};
use crate::model::body::Item;

impl State<'_> {
    pub(super) fn start_item(&mut self) {
        self.space();
        if self.collect {
            let depth = self.items.len();
            if let Some(parent) = self.items.last_mut() {
                parent.closed = true;
            }
            self.items.push(ItemBuf {
                text: String::new(),
                offset: None,
                depth,
                task: None,
                struck: None,
                ordered: self.lists.last().copied().unwrap_or(false),
                closed: false,
            });
        }
    }

    pub(super) fn end_item(&mut self) {
        self.space();
        if let Some(item) = self.items.pop()
            && let Some(offset) = item.offset
        {
            self.body.items.push(Item {
                text: item.text.trim().to_string(),
                offset,
                depth: item.depth,
                task: item.task,
                struck: item.struck == Some(true),
                ordered: item.ordered,
            });
        }
    }

    pub(super) fn start_paragraph(&mut self) {
        self.space();
        let wants = self.collect
            && self.items.is_empty()
            && self
                .body
                .headings
                .last()
                .is_some_and(|h| h.first_paragraph.is_none());
        if wants {
            self.paragraph = Some(String::new());
        }
        if self.collect && self.lists.is_empty() {
            self.collector.start_line();
        }
    }

    pub(super) fn end_paragraph(&mut self) {
        self.space();
        if let Some(item) = self.items.last_mut() {
            item.closed = true;
        }
        if let Some(text) = self.paragraph.take()
            && let Some(h) = self.body.headings.last_mut()
        {
            h.first_paragraph = Some(text.trim().to_string());
        }
        self.collector.end_line(&mut self.body);
    }

    /// A soft or hard line break: words and lines end, sentences go on.
    pub(super) fn line_break(&mut self) {
        self.space();
        if let Some(h) = &mut self.heading {
            h.text.push(' ');
        }
        if !self.collect {
            return;
        }
        if let Some(p) = &mut self.paragraph {
            p.push(' ');
        }
        if let Some(item) = self.items.last_mut().filter(|i| !i.closed) {
            item.text.push(' ');
        }
        if self.collector.end_line(&mut self.body) {
            self.collector.start_line();
        }
    }

    pub(super) fn text(&mut self, t: &str, range: Range<usize>) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(t);
        }
        if !self.collect {
            return;
        }
        self.words.push(t);
        self.body.prose.push(range.clone());
        if let Some(p) = &mut self.paragraph {
            p.push_str(t);
        }
        let struck = self.collector.strike > 0;
        if let Some(item) = self.items.last_mut().filter(|i| !i.closed) {
            item.offset.get_or_insert(range.start);
            item.text.push_str(t);
            if !t.trim().is_empty() {
                item.struck = Some(item.struck.unwrap_or(true) && struck);
            }
        }
        if self.items.is_empty() {
            self.collector.text(t, range.start);
        }
    }
}
