//! What the body pass keeps of timeline and measures sections besides
//! list items: the lines of paragraphs (`14:02 UTC: alert fires` written
//! as plain lines) and tables (`| Time | Event |`, `| Task | Owner |`).
//! Only these sections are read this way, so other prose costs nothing.

use pulldown_cmark::{Tag, TagEnd};

use super::{Body, Cell, Line, Table};
use crate::model::section::{Kind, Section};

/// The state of what is being collected.
#[derive(Debug, Default)]
pub(super) struct Collector {
    /// Open strikethrough spans (Markdown `~~` or HTML `<del>`).
    pub(super) strike: usize,
    /// The level of the timeline or measures heading whose section the
    /// pass is in.
    capture: Option<u8>,
    line: Option<Line>,
    table: Option<Table>,
    row: Option<Vec<Cell>>,
    cell: Option<Cell>,
}

impl Collector {
    /// A heading: the section it opens is collected if it is a timeline
    /// or measures section, or lies within one.
    pub(super) fn heading(&mut self, level: u8, kind: Option<Kind>) {
        let wanted =
            kind.is_some_and(|k| matches!(k.section, Section::Timeline | Section::Measures));
        if wanted {
            self.capture = Some(level);
        } else if self.capture.is_some_and(|open| level <= open) {
            self.capture = None;
        }
    }

    /// A paragraph line starts.
    pub(super) fn start_line(&mut self) {
        if self.capture.is_some() && self.table.is_none() {
            self.line = Some(Line {
                text: String::new(),
                offset: usize::MAX,
            });
        }
    }

    /// The line ends; true when one was open.
    pub(super) fn end_line(&mut self, body: &mut Body) -> bool {
        let Some(mut line) = self.line.take() else {
            return false;
        };
        let trimmed = line.text.trim();
        if !trimmed.is_empty() {
            if trimmed.len() != line.text.len() {
                line.text = trimmed.to_string();
            }
            body.lines.push(line);
        }
        true
    }

    /// Text outside list items.
    pub(super) fn text(&mut self, t: &str, offset: usize) {
        let target = match (&mut self.cell, &mut self.line) {
            (Some(cell), _) => {
                if cell.text.trim().is_empty() {
                    cell.offset = offset;
                }
                &mut cell.text
            }
            (None, Some(line)) => {
                if line.offset == usize::MAX {
                    line.offset = offset + (t.len() - t.trim_start().len());
                }
                &mut line.text
            }
            (None, None) => return,
        };
        target.push_str(t);
    }

    /// A table, its head, a row or a cell starts.
    pub(super) fn start_table_part(&mut self, tag: &Tag<'_>, offset: usize) {
        match tag {
            Tag::Table(_) if self.capture.is_some() => {
                self.table = Some(Table {
                    offset,
                    ..Table::default()
                });
            }
            Tag::TableHead | Tag::TableRow if self.table.is_some() => self.row = Some(Vec::new()),
            Tag::TableCell if self.row.is_some() => {
                self.cell = Some(Cell {
                    text: String::new(),
                    offset,
                });
            }
            _ => {}
        }
    }

    /// A table, its head, a row or a cell ends.
    pub(super) fn end_table_part(&mut self, end: TagEnd, body: &mut Body) {
        match end {
            TagEnd::TableCell => {
                if let (Some(row), Some(mut cell)) = (&mut self.row, self.cell.take()) {
                    cell.text = cell.text.trim().to_string();
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let (Some(table), Some(row)) = (&mut self.table, self.row.take()) {
                    table.header = row;
                }
            }
            TagEnd::TableRow => {
                if let (Some(table), Some(row)) = (&mut self.table, self.row.take()) {
                    table.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    body.tables.push(table);
                }
            }
            _ => {}
        }
    }
}
