//! A postmortem body as read: its HTML and what validation, the incident
//! page and `import` need from it (headings, items, lines, tables, links,
//! prose ranges, words).

use std::ops::Range;

use super::section::{Kind, Section};

/// How a heading was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `## Timeline` or an underlined heading.
    Markdown,
    /// `<h2>Timeline</h2>` in raw HTML.
    Html,
    /// A line of plain text that is only a section name.
    PlainLine,
    /// A line of bold (or italic) text that is only a section name.
    Bold,
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// The text normalised for matching section names
    /// ([`super::section::normalize`]), made once.
    pub key: String,
    /// The section it stands for, if any.
    pub kind: Option<Kind>,
    /// How it was written.
    pub origin: Origin,
    /// The anchor id.
    pub id: String,
    /// Byte offset of the heading in the file.
    pub offset: usize,
    /// Byte length of the heading line.
    pub len: usize,
    /// Plain text of the first paragraph after it, if any.
    pub first_paragraph: Option<String>,
}

impl Heading {
    /// The section this heading stands for, if any.
    pub fn section(&self) -> Option<Section> {
        self.kind.map(|k| k.section)
    }
}

/// A paragraph that opens with a section name as a bold label, as the
/// Google SRE template writes its key facts: `**Root Causes**: the disk
/// filled.` It is that section for validation, but stays a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The section the label names.
    pub kind: Kind,
    /// Byte offset of the paragraph in the file.
    pub offset: usize,
}

/// A list item's own text (without nested lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Plain text of the item's first paragraph.
    pub text: String,
    /// Byte offset in the file of the start of `text`.
    pub offset: usize,
    /// Nesting depth, 0 for a top-level item.
    pub depth: usize,
    /// `Some(checked)` for task-list items.
    pub task: Option<bool>,
    /// True when all of the item's own text is struck through.
    pub struck: bool,
    /// True for an item of a numbered list.
    pub ordered: bool,
}

/// A line of a paragraph (up to a line break) in a timeline or measures
/// section, outside lists and tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Plain text.
    pub text: String,
    /// Byte offset in the file of the start of `text`.
    pub offset: usize,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// Plain text.
    pub text: String,
    /// Byte offset in the file of the start of `text` (of the cell when
    /// it is empty).
    pub offset: usize,
}

/// A table in a timeline or measures section.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The header row's cells (empty for an HTML table without one).
    pub header: Vec<Cell>,
    /// The body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Byte offset of the table in the file.
    pub offset: usize,
}

/// An internal link or image source, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Site-relative path (`incidents/x/`, `2024/chart.svg`); empty for
    /// the page itself.
    pub path: String,
    /// The `#fragment`, if any.
    pub fragment: Option<String>,
    /// The destination as written.
    pub written: String,
    /// Byte offset of the link in the file.
    pub offset: usize,
    /// Byte length of the link.
    pub len: usize,
}

/// Everything the body pass produces.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Rendered HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Paragraphs that open with a section name as a bold label.
    pub labels: Vec<Label>,
    /// List items in order of their end.
    pub items: Vec<Item>,
    /// Paragraph lines of timeline and measures sections, in order.
    pub lines: Vec<Line>,
    /// Tables of timeline and measures sections, in order.
    pub tables: Vec<Table>,
    /// Internal links.
    pub links: Vec<Link>,
    /// `http(s)://` links to other sites: (URL, byte offset, byte length).
    pub external: Vec<(String, usize, usize)>,
    /// Byte ranges in the file of prose text (not code).
    pub prose: Vec<Range<usize>>,
    /// Words of prose.
    pub words: usize,
}
