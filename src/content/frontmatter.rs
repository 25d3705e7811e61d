//! Front matter: splitting it from the body, and reading it into typed
//! fields with a finding for every missing, unknown or ill-typed key.
//!
//! A block is read once: its text becomes a value tree ([`FmValue`], by
//! [`yaml`](super::yaml) or the `toml` crate), every key and value of the
//! tree is placed where the file writes it in one walk
//! ([`locate`](super::locate), giving a [`Node`](super::value::Node)
//! tree), `site.toml`'s aliases and defaults are applied to that tree
//! (`mapping`; renamed values keep their places), and the reader
//! (`reader`, `action_items`) types each field of the one field table
//! (`fields`), which also gives the known keys, the did-you-mean hints
//! and the names `site.toml` may use. Every finding takes its position
//! from the node it is about.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Findings;
use super::locate::Syntax;
use super::value::FmValue;
use crate::config::SiteConfig;
use crate::diagnostic::{Pos, Rule};
use crate::model::schema::{ActionKind, ActionStatus, Detection, Status};
use crate::model::url::Slug;
use crate::time::Stamp;

mod action_items;
mod fields;
mod mapping;
mod reader;

pub use crate::model::fields::{field_paths, is_field};

/// A front-matter block found at the top of a file.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    /// YAML or TOML.
    pub syntax: Syntax,
    /// The text between the delimiter lines.
    pub text: &'a str,
    /// File line of the block's first text line.
    pub first_line: usize,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Splits `text` (newlines already normalised) into front matter and body.
pub fn split(text: &str) -> Result<Block<'_>, (Pos, String)> {
    let first = text.split('\n').next().unwrap_or("");
    let (syntax, delimiter) = match first.trim_end() {
        "---" => (Syntax::Yaml, "---"),
        "+++" => (Syntax::Toml, "+++"),
        _ => {
            let message = if text.trim().is_empty() {
                "the file is empty; start it with a `---` line, the fields (title, severity, start, end), and another `---` line"
            } else {
                "no front matter: start the file with a `---` line, then the fields (title, severity, start, end), then another `---` line"
            };
            return Err((Pos::new(1, 1, first.chars().count()), message.into()));
        }
    };
    let start = first.len() + 1;
    let mut offset = start;
    for line in crate::text::split_lines(text.get(start..).unwrap_or("")) {
        if line.trim_end() == delimiter {
            let body_offset = (offset + line.len() + 1).min(text.len());
            return Ok(Block {
                syntax,
                text: &text[start..offset],
                first_line: 2,
                body_offset,
            });
        }
        offset += line.len() + 1;
    }
    Err((
        Pos::new(1, 1, 3),
        format!(
            "the front matter starting here is never closed; add a `{delimiter}` line after the last field"
        ),
    ))
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// Where its value is written.
    pub pos: Pos,
}

/// An action item from front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct FmActionItem {
    /// What to do.
    pub task: String,
    /// Who does it.
    pub owner: Option<String>,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// What it improves.
    pub kind: Option<ActionKind>,
    /// Where the item is written.
    pub pos: Pos,
}

/// The typed front matter of one file. Fields with errors are `None`; the
/// errors are in the file's findings.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<Field<String>>,
    /// `slug`.
    pub slug: Option<Field<Slug>>,
    /// `status` (default final).
    pub status: Status,
    /// `severity`, checked against `site.toml`.
    pub severity: Option<Field<String>>,
    /// `start`.
    pub start: Option<Field<Stamp>>,
    /// `end`.
    pub end: Option<Field<Stamp>>,
    /// `detected`.
    pub detected: Option<Field<Stamp>>,
    /// `mitigated`.
    pub mitigated: Option<Field<Stamp>>,
    /// `timezone` and its name as written.
    pub timezone: Option<Field<(TimeZone, String)>>,
    /// `timezone` was written but is not a usable zone (already reported).
    pub timezone_invalid: bool,
    /// `detection`.
    pub detection: Option<Detection>,
    /// `impact.summary`.
    pub impact_summary: Option<String>,
    /// `impact.users_affected_pct`.
    pub users_affected_pct: Option<f64>,
    /// `services`.
    pub services: Vec<Field<String>>,
    /// `tags`.
    pub tags: Vec<Field<String>>,
    /// `authors`.
    pub authors: Vec<String>,
    /// `related`.
    pub related: Vec<Field<String>>,
    /// `action_items`.
    pub action_items: Vec<FmActionItem>,
    /// The opening delimiter line (for findings about the whole block).
    pub block_pos: Pos,
}

impl FrontMatter {
    /// Front matter with no field set, before a file's are read.
    fn empty(block_pos: Pos) -> FrontMatter {
        FrontMatter {
            title: None,
            slug: None,
            status: Status::Final,
            severity: None,
            start: None,
            end: None,
            detected: None,
            mitigated: None,
            timezone: None,
            timezone_invalid: false,
            detection: None,
            impact_summary: None,
            users_affected_pct: None,
            services: Vec::new(),
            tags: Vec::new(),
            authors: Vec::new(),
            related: Vec::new(),
            action_items: Vec::new(),
            block_pos,
        }
    }
}

/// Parses a block's text into a value tree, reporting syntax errors.
pub fn parse_block(block: &Block<'_>, findings: &mut Findings) -> Option<FmValue> {
    match block.syntax {
        Syntax::Yaml => match super::yaml::parse(block.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let pos = Pos::new(block.first_line + e.line - 1, e.column, 1);
                findings.push(Rule::FrontMatter, pos, e.message);
                None
            }
        },
        Syntax::Toml => match block.text.parse::<toml::Table>() {
            Ok(t) => Some(FmValue::from_toml(&toml::Value::Table(t))),
            Err(e) => {
                let index = crate::text::LineIndex::new(block.text);
                let at = e.span().map_or(0, |s| s.start);
                let p = index.pos(block.text, at, 1);
                let pos = Pos::new(block.first_line + p.line - 1, p.column, 1);
                findings.push(
                    Rule::FrontMatter,
                    pos,
                    format!("invalid TOML: {}", e.message().trim()),
                );
                None
            }
        },
    }
}

/// Reads typed front matter from a parsed block.
pub fn read(
    value: FmValue,
    block: &Block<'_>,
    cfg: &SiteConfig,
    findings: &mut Findings,
) -> FrontMatter {
    reader::read(value, block, cfg, findings)
}

#[cfg(test)]
mod reading_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_block() {
        let text = "---\ntitle: x\n---\nbody\n";
        let b = split(text).unwrap();
        assert_eq!(b.syntax, Syntax::Yaml);
        assert_eq!(b.text, "title: x\n");
        assert_eq!(&text[b.body_offset..], "body\n");
        let b = split("+++\ntitle = 'x'\n+++\n").unwrap();
        assert_eq!(b.syntax, Syntax::Toml);
        let b = split("---\ntitle: x\n---").unwrap();
        assert_eq!(b.body_offset, 16);
    }

    #[test]
    fn split_errors() {
        let (pos, message) = split("# Just markdown\n").unwrap_err();
        assert_eq!(pos.line, 1);
        assert!(message.contains("no front matter"));
        let (_, message) = split("").unwrap_err();
        assert!(message.contains("empty"));
        let (pos, message) = split("---\ntitle: x\n\nbody\n").unwrap_err();
        assert_eq!((pos.line, pos.column), (1, 1));
        assert!(message.contains("never closed"));
    }
}
