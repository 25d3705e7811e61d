//! The candidate entries of a timeline, in the forms teams write them:
//! list items, plain lines, one heading per event, and table rows (the
//! time in the first column or one headed Time/Date/When, the event in
//! the others, a `Time (UTC)` header stating the zone).

use std::ops::Range;

use crate::model::body::{Body, Cell, Heading, Item, Line, Table};
use crate::time::zone::{self, BodyZone};

/// One entry that may start with a time.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    /// The text that may start with a time.
    pub text: &'a str,
    /// Byte offset of `text` in the file.
    pub offset: usize,
    /// The event's text when it is written apart from the time (the
    /// other cells of a table row).
    pub event: Option<String>,
    /// The zone stated by the entry's column header (`Time (UTC)`).
    pub zone: Option<BodyZone>,
    /// What the event is when the entry says no more than its time: the
    /// paragraph under a `### 14:08` heading.
    pub detail: Option<&'a str>,
}

impl<'a> Entry<'a> {
    fn new(text: &'a str, offset: usize) -> Entry<'a> {
        Entry {
            text,
            offset,
            event: None,
            zone: None,
            detail: None,
        }
    }
}

/// What the body pass collected, for reading timelines and action items.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    /// The file's text.
    pub source: &'a str,
    /// The body's headings.
    pub headings: &'a [Heading],
    /// The list items.
    pub items: &'a [Item],
    /// The paragraph lines of timeline and measures sections.
    pub lines: &'a [Line],
    /// The tables of timeline and measures sections.
    pub tables: &'a [Table],
}

impl<'a> Parts<'a> {
    /// The parts of a whole body read from `source`.
    pub fn of(source: &'a str, body: &'a Body) -> Parts<'a> {
        Parts {
            source,
            headings: &body.headings,
            items: &body.items,
            lines: &body.lines,
            tables: &body.tables,
        }
    }
}

/// The entries inside `ranges` (the timeline sections), in document order.
pub fn gather<'a>(parts: &Parts<'a>, ranges: &[Range<usize>]) -> Vec<Entry<'a>> {
    let inside = |offset: usize| ranges.iter().any(|r| r.contains(&offset));
    let mut out: Vec<Entry<'a>> = Vec::new();
    out.extend(
        parts
            .items
            .iter()
            .filter(|i| inside(i.offset))
            .map(|i| Entry::new(&i.text, i.offset)),
    );
    out.extend(
        parts
            .lines
            .iter()
            .filter(|l| inside(l.offset))
            .map(|l| Entry::new(&l.text, l.offset)),
    );
    // Sub-headings of a timeline section: one heading per event.
    out.extend(
        parts
            .headings
            .iter()
            .filter(|h| inside(h.offset) && !ranges.iter().any(|r| r.start == h.offset))
            .map(|h| Entry {
                detail: h.first_paragraph.as_deref(),
                ..Entry::new(&h.text, heading_text_offset(parts.source, h))
            }),
    );
    for table in parts.tables.iter().filter(|t| inside(t.offset)) {
        out.extend(table_entries(table));
    }
    out.sort_by_key(|e| e.offset);
    out
}

/// Where a heading's text starts in the file (after `###` or `<h3>`).
fn heading_text_offset(source: &str, h: &Heading) -> usize {
    let line = source.get(h.offset..h.offset + h.len).unwrap_or("");
    let skip = line.find(h.text.get(..1).unwrap_or(" ")).unwrap_or(0);
    h.offset + skip
}

/// What each column of a timeline table holds.
#[derive(Debug, Clone, Default, PartialEq)]
struct Columns {
    time: usize,
    date: Option<usize>,
    zone: Option<BodyZone>,
}

/// Header words of a time column.
fn is_time_header(key: &str) -> bool {
    matches!(
        key,
        "time"
            | "times"
            | "when"
            | "timestamp"
            | "date/time"
            | "date / time"
            | "datetime"
            | "date and time"
            | "date & time"
            | "time/date"
            | "hour"
            | "clock"
            | "start"
            | "time stamp"
    ) || key.starts_with("time ")
}

fn header_key(text: &str) -> String {
    let lower = text.trim().to_lowercase();
    let head = lower.split('(').next().unwrap_or("").trim();
    head.trim_end_matches(':').trim().to_string()
}

fn columns(header: &[Cell]) -> Columns {
    let keys: Vec<String> = header.iter().map(|c| header_key(&c.text)).collect();
    let time = keys.iter().position(|k| is_time_header(k));
    let date = keys.iter().position(|k| k == "date" || k == "day");
    let (time, date) = match (time, date) {
        (Some(t), d) => (t, d),
        // A `Date` column alone holds date and time.
        (None, Some(d)) => (d, None),
        (None, None) => (0, None),
    };
    let zone = [Some(time), date]
        .into_iter()
        .flatten()
        .find_map(|i| header.get(i).and_then(|c| zone::parenthetical(&c.text)));
    Columns { time, date, zone }
}

/// A table's header and body rows: the Markdown header, or for an HTML
/// table the first row when it names a time column.
fn header_and_rows(table: &Table) -> (&[Cell], &[Vec<Cell>]) {
    if !table.header.is_empty() {
        return (&table.header, &table.rows);
    }
    match table.rows.split_first() {
        Some((first, rest))
            if first
                .iter()
                .any(|c| is_time_header(&header_key(&c.text)) || header_key(&c.text) == "date") =>
        {
            (first, rest)
        }
        _ => (&[], &table.rows),
    }
}

fn table_entries(table: &Table) -> Vec<Entry<'_>> {
    let (header, rows) = header_and_rows(table);
    let cols = columns(header);
    let mut out = Vec::new();
    for row in rows {
        if let Some(date) = cols
            .date
            .and_then(|d| row.get(d))
            .filter(|c| !c.text.is_empty())
        {
            out.push(Entry::new(&date.text, date.offset));
        }
        let Some(time) = row.get(cols.time) else {
            continue;
        };
        let event: Vec<&str> = row
            .iter()
            .enumerate()
            .filter(|(i, c)| *i != cols.time && Some(*i) != cols.date && !c.text.is_empty())
            .map(|(_, c)| c.text.as_str())
            .collect();
        out.push(Entry {
            event: Some(event.join(" — ")),
            zone: cols.zone.clone(),
            ..Entry::new(&time.text, time.offset)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, offset: usize) -> Cell {
        Cell {
            text: text.into(),
            offset,
        }
    }

    #[test]
    fn table_columns() {
        let header = [cell("Date", 0), cell("Time (UTC)", 1), cell("Event", 2)];
        let cols = columns(&header);
        assert_eq!((cols.time, cols.date), (1, Some(0)));
        assert_eq!(
            cols.zone.map(|z| z.name().to_string()).as_deref(),
            Some("UTC")
        );
        let cols = columns(&[cell("Who", 0), cell("When", 1)]);
        assert_eq!((cols.time, cols.date), (1, None));
        let cols = columns(&[cell("Date", 0), cell("Event", 1)]);
        assert_eq!((cols.time, cols.date), (0, None));
        assert_eq!(columns(&[]).time, 0);
    }

    #[test]
    fn rows_become_entries() {
        let table = Table {
            header: vec![
                cell("Date", 0),
                cell("Time", 1),
                cell("What", 2),
                cell("Link", 3),
            ],
            rows: vec![
                vec![
                    cell("2024-03-02", 10),
                    cell("08:21", 20),
                    cell("push", 30),
                    cell("", 40),
                ],
                vec![
                    cell("", 50),
                    cell("08:29", 60),
                    cell("alert", 70),
                    cell("graph", 80),
                ],
            ],
            offset: 0,
        };
        let entries = table_entries(&table);
        let shown: Vec<(&str, usize, Option<&str>)> = entries
            .iter()
            .map(|e| (e.text, e.offset, e.event.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("2024-03-02", 10, None),
                ("08:21", 20, Some("push")),
                ("08:29", 60, Some("alert — graph"))
            ]
        );
    }

    #[test]
    fn html_tables_take_their_header_from_the_first_row() {
        let table = Table {
            header: vec![],
            rows: vec![
                vec![cell("Time (PDT)", 0), cell("Event", 1)],
                vec![cell("14:02", 10), cell("alert", 11)],
            ],
            offset: 0,
        };
        let entries = table_entries(&table);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].zone.as_ref().map(|z| z.name()), Some("PDT"));
    }
}
