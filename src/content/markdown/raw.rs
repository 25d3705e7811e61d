//! Raw HTML blocks of a body, read like Markdown: `<h2>` headings become
//! headings with anchors, `<li>` items, `<table>` rows and the text between
//! tags are collected, and everything else is output as written.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{HeadingBuf, LinkContext, Origin, State};
use crate::content::html::{Block, Piece, read_block};

/// The raw HTML of one block, and where each of its pieces is in the
/// file (a block inside a list or quote loses its indentation).
#[derive(Debug, Default)]
pub(super) struct Buffer {
    text: String,
    /// (offset in `text`, offset in the file) of each piece.
    map: Vec<(usize, usize)>,
}

impl Buffer {
    /// Appends a piece of the block found at `offset` in the file.
    pub(super) fn push(&mut self, piece: &str, offset: usize) {
        self.map.push((self.text.len(), offset));
        self.text.push_str(piece);
    }

    /// The file offset of position `at` of the block (`end`: the position
    /// ends a range).
    fn file_offset(&self, at: usize, end: bool) -> usize {
        let probe = if end { at.saturating_sub(1) } else { at };
        let i = self.map.partition_point(|(start, _)| *start <= probe);
        let (start, file) = self.map[i.saturating_sub(1).min(self.map.len().saturating_sub(1))];
        file + at.saturating_sub(start)
    }

    fn file_range(&self, r: &Range<usize>) -> Range<usize> {
        self.file_offset(r.start, false)..self.file_offset(r.end, true)
    }
}

impl State<'_> {
    /// Reads the HTML block collected so far and outputs it.
    pub(super) fn html_block(&mut self, ctx: &LinkContext<'_>) {
        let Some(buf) = self.html.take() else {
            return;
        };
        if buf.map.is_empty() {
            return;
        }
        let mut out = String::with_capacity(buf.text.len());
        let mut open_items = 0usize;
        for piece in read_block(&buf.text) {
            match piece {
                Piece::Raw(r) => out.push_str(&buf.text[r]),
                Piece::HeadingStart {
                    level,
                    id,
                    attrs,
                    inner,
                    range,
                } => {
                    if !out.is_empty() {
                        self.out.push(Event::Html(std::mem::take(&mut out).into()));
                    }
                    self.space();
                    let file = buf.file_range(&range);
                    self.heading = Some(HeadingBuf {
                        level,
                        custom_id: id,
                        events: Vec::new(),
                        raw: Some((buf.text[attrs].to_string(), buf.text[inner].to_string())),
                        text: String::new(),
                        offset: file.start,
                        len: file.len(),
                        origin: Origin::Html,
                    });
                }
                Piece::HeadingEnd => self.end_heading(ctx),
                Piece::Text(text, r) => self.text(&text, buf.file_range(&r)),
                Piece::Start(block) => {
                    self.html_start(block, &mut open_items, buf.file_offset(0, false))
                }
                Piece::End(block) => self.html_end(block, &mut open_items),
                Piece::Break => self.line_break(),
            }
        }
        for _ in 0..open_items {
            self.end_item();
        }
        if !out.is_empty() {
            self.out.push(Event::Html(out.into()));
        }
    }

    fn html_start(&mut self, block: Block, open_items: &mut usize, offset: usize) {
        match block {
            Block::Item => {
                *open_items += 1;
                self.start_item();
            }
            Block::Paragraph => self.start_paragraph(),
            Block::Strike => self.collector.strike += 1,
            Block::Table => self.start_block(&Tag::Table(Vec::new()), offset),
            Block::Row => self.start_block(&Tag::TableRow, offset),
            Block::Cell => self.start_block(&Tag::TableCell, offset),
        }
    }

    fn html_end(&mut self, block: Block, open_items: &mut usize) {
        match block {
            Block::Item if *open_items > 0 => {
                *open_items -= 1;
                self.end_item();
            }
            Block::Item => {}
            Block::Paragraph => self.end_paragraph(),
            Block::Strike => self.collector.strike = self.collector.strike.saturating_sub(1),
            Block::Table => self.end_block(TagEnd::Table),
            Block::Row => self.end_block(TagEnd::TableRow),
            Block::Cell => self.end_block(TagEnd::TableCell),
        }
    }
}
