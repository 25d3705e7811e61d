//! Front matter: splitting it from the body, and reading it into typed
//! fields with a finding for every missing, unknown or ill-typed key.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::Findings;
use super::locate::{Locator, Seg, Syntax};
use super::value::FmValue;
use crate::config::SiteConfig;
use crate::diagnostic::{Pos, Rule};
use crate::model::schema::{ActionKind, ActionStatus, Detection, IMPACT_KEYS, KEYS, Status};
use crate::time::{self, Stamp, TimeErrorKind};

mod mapping;

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
    pub slug: Option<Field<String>>,
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

const ACTION_KEYS: &[&str] = &["task", "owner", "status", "due", "kind"];

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
    let locator = Locator::new(block.text, block.first_line, block.syntax);
    let block_pos = Pos::new(block.first_line - 1, 1, 3);
    let entries = match value {
        FmValue::Map(entries) => entries,
        FmValue::Null => Vec::new(),
        other => {
            findings.push(
                Rule::FrontMatter,
                block_pos,
                format!(
                    "the front matter is {} but must be a set of `key: value` lines",
                    other.type_name()
                ),
            );
            Vec::new()
        }
    };
    let mapped = mapping::apply(entries, &cfg.front_matter);
    let mut r = Reader {
        locator,
        findings,
        cfg,
        written: mapped.written,
        block_pos,
    };
    r.read_map(&mapped.entries)
}

struct Reader<'a, 'f> {
    locator: Locator<'a>,
    findings: &'f mut Findings,
    cfg: &'a SiteConfig,
    /// Our field path → the key as written (aliases).
    written: Vec<(String, String)>,
    block_pos: Pos,
}

impl Reader<'_, '_> {
    fn pos_of(&self, path: &[Seg<'_>]) -> Pos {
        let path = mapping::as_written(&self.written, path);
        self.locator.value(&path).unwrap_or_else(|| {
            let p = self.locator.nearest(&path);
            if p.line == 0 { self.block_pos } else { p }
        })
    }

    fn key_pos(&self, path: &[Seg<'_>]) -> Pos {
        let path = mapping::as_written(&self.written, path);
        self.locator.key(&path).unwrap_or(self.block_pos)
    }

    fn type_error(&mut self, path: &[Seg<'_>], value: &FmValue, expected: &str) {
        let pos = self.pos_of(path);
        let name = path_name(path);
        self.findings.push(
            Rule::FieldType,
            pos,
            format!("`{name}` must be {expected}, not {}", value.type_name()),
        );
    }

    fn unknown_keys(&mut self, map: &[(String, FmValue)], known: &[&str], parent: &[Seg<'_>]) {
        for (key, _) in map {
            if known.contains(&key.as_str()) {
                continue;
            }
            let mut path = parent.to_vec();
            path.push(Seg::Key(key));
            let pos = self.key_pos(&path);
            let hint = match crate::text::suggest(key, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known keys here are: {}", known.join(", ")),
            };
            self.findings.push(
                Rule::UnknownField,
                pos,
                format!("unknown field `{key}`; {hint}"),
            );
        }
    }

    fn read_map(&mut self, map: &[(String, FmValue)]) -> FrontMatter {
        self.unknown_keys(map, KEYS, &[]);
        let get = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        let title = self.string(get("title"), "title");
        let slug = self.slug(get("slug"));
        let status = self
            .word(get("status"), "status", Status::parse, Status::choices)
            .unwrap_or(Status::Final);
        let severity = self.severity(get("severity"));
        let timezone = self.timezone(get("timezone"));
        let start = self.stamp(get("start"), "start");
        let end = self.stamp(get("end"), "end");
        let detected = self.stamp(get("detected"), "detected");
        let mitigated = self.stamp(get("mitigated"), "mitigated");
        let detection = self.word(
            get("detection"),
            "detection",
            Detection::parse,
            Detection::choices,
        );
        let (impact_summary, users_affected_pct) = self.impact(get("impact"));
        let cfg = self.cfg;
        for path in &cfg.validation.required_fields {
            if lookup(map, path).is_none() {
                self.missing(path);
            }
        }
        FrontMatter {
            title,
            slug,
            status,
            severity,
            start,
            end,
            detected,
            mitigated,
            timezone_invalid: timezone.is_none() && get("timezone").is_some(),
            timezone,
            detection,
            impact_summary,
            users_affected_pct,
            services: self.list(get("services"), "services"),
            tags: self.list(get("tags"), "tags"),
            authors: self
                .list(get("authors"), "authors")
                .into_iter()
                .map(|f| f.value)
                .collect(),
            related: self.list(get("related"), "related"),
            action_items: self.action_items(get("action_items")),
            block_pos: self.block_pos,
        }
    }

    fn missing(&mut self, path: &str) {
        let example = match path {
            "title" => "title: \"Checkout returned HTTP 500\"",
            "severity" => "severity: SEV2",
            "start" => "start: 2024-04-18T09:30:00+02:00",
            "end" => "end: 2024-04-18T11:00:00+02:00",
            "impact" | "impact.summary" => "impact: { summary: \"Checkout failed for everyone\" }",
            "impact.users_affected_pct" => "impact: { users_affected_pct: 40 }",
            "services" => "services: [checkout]",
            "tags" => "tags: [deploy]",
            "detection" => "detection: monitoring",
            _ => "",
        };
        let how = if example.is_empty() {
            format!("add `{path}` (site.toml's `[validation] required_fields` asks for it)")
        } else {
            format!("add a line like `{example}`")
        };
        let pos = self.block_pos;
        self.findings.push(
            Rule::MissingField,
            pos,
            format!("missing required field `{path}`; {how}"),
        );
    }

    fn string(&mut self, value: Option<&FmValue>, key: &str) -> Option<Field<String>> {
        let value = value?;
        let path = [Seg::Key(key)];
        match value.as_text() {
            Some(s) if !s.trim().is_empty() => Some(Field {
                value: s.trim().to_string(),
                pos: self.pos_of(&path),
            }),
            Some(_) => {
                let pos = self.pos_of(&path);
                self.findings.push(
                    Rule::MissingField,
                    pos,
                    format!("`{key}` is empty; write a value"),
                );
                None
            }
            None => {
                self.type_error(&path, value, "a string");
                None
            }
        }
    }

    fn slug(&mut self, value: Option<&FmValue>) -> Option<Field<String>> {
        let field = self.string(value, "slug")?;
        if crate::text::is_valid_slug(&field.value) {
            return Some(field);
        }
        let fixed = crate::text::slugify(&field.value);
        self.findings.push(
            Rule::FieldType,
            field.pos,
            format!(
                "slug `{}` may only use a-z, 0-9 and single dashes; write `{fixed}`",
                field.value
            ),
        );
        None
    }

    fn word<T>(
        &mut self,
        value: Option<&FmValue>,
        key: &str,
        parse: fn(&str) -> Option<T>,
        choices: fn() -> String,
    ) -> Option<T> {
        let field = self.string(value, key)?;
        let values = &self.cfg.front_matter.values;
        let parsed = parse(values.translate(key, &field.value).unwrap_or(&field.value));
        if parsed.is_none() {
            let message = format!(
                "`{key}: {}` is not one of: {}; fix it, or map it to one in site.toml's `[front_matter.values.{key}]`",
                field.value,
                choices()
            );
            self.findings.push(Rule::FieldType, field.pos, message);
        }
        parsed
    }

    fn severity(&mut self, value: Option<&FmValue>) -> Option<Field<String>> {
        let mut field = self.string(value, "severity")?;
        let values = &self.cfg.front_matter.values;
        let written = values
            .translate("severity", &field.value)
            .unwrap_or(&field.value);
        let id = self
            .cfg
            .severities
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(written))
            .map(|s| s.id.clone());
        match id {
            Some(id) => {
                field.value = id;
                Some(field)
            }
            None => {
                let ids: Vec<&str> = self.cfg.severities.iter().map(|s| s.id.as_str()).collect();
                let message = format!(
                    "unknown severity `{}`; use one of {} (set in site.toml), or map it to one in `[front_matter.values.severity]`",
                    field.value,
                    ids.join(", ")
                );
                self.findings.push(Rule::FieldType, field.pos, message);
                None
            }
        }
    }

    fn timezone(&mut self, value: Option<&FmValue>) -> Option<Field<(TimeZone, String)>> {
        let field = self.string(value, "timezone")?;
        match time::parse_zone(&field.value) {
            Ok(tz) => Some(Field {
                value: (tz, field.value),
                pos: field.pos,
            }),
            Err(message) => {
                self.findings.push(Rule::Timezone, field.pos, message);
                None
            }
        }
    }

    fn stamp(&mut self, value: Option<&FmValue>, key: &str) -> Option<Field<Stamp>> {
        let field = self.string(value, key)?;
        let parsed = match date_alone(&field.value) {
            // The day is known, the time of day is not.
            Some(stamp) if key == "start" => Ok(stamp),
            Some(_) => {
                let also = if self.cfg.validation.requires(key) {
                    format!(" and take `{key}` out of site.toml's `[validation] required_fields`")
                } else {
                    String::new()
                };
                let message = format!(
                    "`{key}: {}` is a date alone; only `start` may be one. Add the time (2024-04-18T11:00:00+02:00), or, if it is unknown, leave `{key}` out{also}",
                    field.value
                );
                self.findings.push(Rule::FieldType, field.pos, message);
                return None;
            }
            None => time::parse_datetime(&field.value),
        };
        match parsed {
            Ok(stamp) if !plausible(&stamp) => {
                self.findings.push(
                    Rule::FieldType,
                    field.pos,
                    format!("`{key}: {}` is not a plausible incident date (years 1970 to 2100); check the year", field.value),
                );
                None
            }
            Ok(stamp) => Some(Field {
                value: stamp,
                pos: field.pos,
            }),
            Err(e) => {
                let rule = match e.kind {
                    TimeErrorKind::Clock => Rule::Clock,
                    TimeErrorKind::Zone => Rule::Timezone,
                    TimeErrorKind::Format => Rule::FieldType,
                };
                let quoted = field.pos.len > field.value.chars().count();
                let lead = field.value[..e.offset].chars().count() + usize::from(quoted);
                let len = field.value[e.offset..].chars().take(e.len).count();
                let pos = Pos::new(field.pos.line, field.pos.column + lead, len);
                self.findings
                    .push(rule, pos, format!("`{key}`: {}", e.message));
                None
            }
        }
    }

    fn impact(&mut self, value: Option<&FmValue>) -> (Option<String>, Option<f64>) {
        let Some(value) = value else {
            return (None, None);
        };
        let FmValue::Map(map) = value else {
            self.type_error(
                &[Seg::Key("impact")],
                value,
                "a mapping with `summary` and `users_affected_pct`",
            );
            return (None, None);
        };
        self.unknown_keys(map, IMPACT_KEYS, &[Seg::Key("impact")]);
        let get = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        let summary = match get("summary") {
            Some(v) => match v.as_text() {
                Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Some(_) => None,
                None => {
                    self.type_error(&[Seg::Key("impact"), Seg::Key("summary")], v, "a string");
                    None
                }
            },
            None => None,
        };
        let path = [Seg::Key("impact"), Seg::Key("users_affected_pct")];
        let pct = match get("users_affected_pct") {
            Some(FmValue::Int(i)) => Some(*i as f64),
            Some(FmValue::Float(f)) => Some(*f),
            Some(FmValue::Str(s)) if s.trim().trim_end_matches('%').parse::<f64>().is_ok() => {
                s.trim().trim_end_matches('%').parse::<f64>().ok()
            }
            Some(v) => {
                self.type_error(&path, v, "a number from 0 to 100");
                None
            }
            None => None,
        };
        let pct = match pct {
            Some(p) if !(0.0..=100.0).contains(&p) || p.is_nan() => {
                let pos = self.pos_of(&path);
                self.findings.push(
                    Rule::FieldType,
                    pos,
                    format!("`users_affected_pct` is {p}; it must be a share from 0 to 100"),
                );
                None
            }
            p => p,
        };
        (summary, pct)
    }

    fn list(&mut self, value: Option<&FmValue>, key: &str) -> Vec<Field<String>> {
        let Some(value) = value else {
            return Vec::new();
        };
        let items: Vec<(usize, &FmValue)> = match value {
            FmValue::List(items) => items.iter().enumerate().collect(),
            FmValue::Null => Vec::new(),
            scalar if scalar.as_text().is_some() => {
                let text = scalar.as_text().unwrap_or_default();
                let pos = self.pos_of(&[Seg::Key(key)]);
                if text.trim().is_empty() {
                    let message = format!(
                        "`{key}` is an empty string; write a list like `{key}: [name]`, or leave the field out"
                    );
                    self.findings.push(Rule::FieldType, pos, message);
                    return Vec::new();
                }
                return vec![Field {
                    value: text.trim().to_string(),
                    pos,
                }];
            }
            other => {
                self.type_error(&[Seg::Key(key)], other, "a list of strings");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items {
            let path = [Seg::Key(key), Seg::Index(i)];
            match item.as_text() {
                Some(s) if !s.trim().is_empty() => out.push(Field {
                    value: s.trim().to_string(),
                    pos: self.pos_of(&path),
                }),
                // An empty name would be an empty pill on the page and a
                // term page with no name.
                Some(_) => {
                    let pos = self.pos_of(&path);
                    let message = format!(
                        "`{}` is an empty string; write a name or remove the item",
                        path_name(&path)
                    );
                    self.findings.push(Rule::FieldType, pos, message);
                }
                None => self.type_error(&path, item, "a string"),
            }
        }
        out
    }

    fn action_items(&mut self, value: Option<&FmValue>) -> Vec<FmActionItem> {
        let items = match value {
            None | Some(FmValue::Null) => return Vec::new(),
            Some(FmValue::List(items)) => items,
            Some(other) => {
                self.type_error(
                    &[Seg::Key("action_items")],
                    other,
                    "a list of items with `task`, `owner`, `status`, `due` and `kind`",
                );
                return Vec::new();
            }
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.action_item(i, item))
            .collect()
    }

    fn action_item(&mut self, i: usize, item: &FmValue) -> Option<FmActionItem> {
        let base = [Seg::Key("action_items"), Seg::Index(i)];
        let pos = self.pos_of(&base);
        let map = match item {
            FmValue::Map(map) => map,
            FmValue::Str(task) => {
                return Some(FmActionItem {
                    task: task.clone(),
                    owner: None,
                    status: ActionStatus::Open,
                    due: None,
                    kind: None,
                    pos,
                });
            }
            other => {
                self.type_error(
                    &base,
                    other,
                    "a mapping with `task`, `owner`, `status`, `due` and `kind`",
                );
                return None;
            }
        };
        self.unknown_keys(map, ACTION_KEYS, &base);
        let get = |k: &str| map.iter().find(|(key, _)| key == k).map(|(_, v)| v);
        let text = |r: &mut Self, k: &'static str| -> Option<String> {
            let v = get(k)?;
            let path = [base[0], base[1], Seg::Key(k)];
            match v.as_text() {
                Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => {
                    r.type_error(&path, v, "a non-empty string");
                    None
                }
            }
        };
        let Some(task) = text(self, "task") else {
            if get("task").is_none() {
                self.findings.push(
                    Rule::MissingField,
                    pos,
                    "this action item has no `task`; say what will be done",
                );
            }
            return None;
        };
        let owner = text(self, "owner");
        let status_text = text(self, "status");
        let kind_text = text(self, "kind");
        let due_text = text(self, "due");
        let at = |r: &Self, k: &str| r.pos_of(&[base[0], base[1], Seg::Key(k)]);
        let status = match status_text {
            Some(s) => ActionStatus::parse(&s).or_else(|| {
                let p = at(self, "status");
                self.findings.push(
                    Rule::FieldType,
                    p,
                    format!(
                        "action item status `{s}` is not one of: {}",
                        ActionStatus::choices()
                    ),
                );
                None
            })?,
            None => ActionStatus::Open,
        };
        let kind = kind_text.and_then(|k| {
            ActionKind::parse(&k).or_else(|| {
                let p = at(self, "kind");
                self.findings.push(
                    Rule::FieldType,
                    p,
                    format!(
                        "action item kind `{k}` is not one of: {}",
                        ActionKind::choices()
                    ),
                );
                None
            })
        });
        let due = due_text.and_then(|d| {
            d.parse::<Date>().ok().or_else(|| {
                let p = at(self, "due");
                self.findings.push(
                    Rule::FieldType,
                    p,
                    format!("due date `{d}` is not a date; write it as YYYY-MM-DD"),
                );
                None
            })
        });
        Some(FmActionItem {
            task,
            owner,
            status,
            due,
            kind,
            pos,
        })
    }
}

/// A date alone, `2024-04-18`, as a stamp without time or zone.
fn date_alone(text: &str) -> Option<Stamp> {
    let text = text.trim();
    let shape = text.len() == 10 && text.bytes().filter(|b| *b == b'-').count() == 2;
    let date: Date = text.parse().ok().filter(|_| shape)?;
    Some(Stamp {
        date: time::DatePart::Full(date),
        time: None,
        zone: time::ZonePart::None,
        len: text.len(),
    })
}

/// Incidents happen between 1970 and 2100; anything else is a typo (and
/// would stretch every chart over centuries).
fn plausible(stamp: &Stamp) -> bool {
    match stamp.date {
        time::DatePart::Full(d) => (1970..=2100).contains(&d.year()),
        _ => true,
    }
}

/// The value at `path` (`start`, `impact.summary`) in a mapping's entries.
fn lookup<'m>(map: &'m [(String, FmValue)], path: &str) -> Option<&'m FmValue> {
    let mut keys = path.split('.');
    let first = keys.next()?;
    let top = map.iter().find(|(k, _)| k == first).map(|(_, v)| v)?;
    keys.try_fold(top, |value, key| value.get(key))
}

fn path_name(path: &[Seg<'_>]) -> String {
    let mut name = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(k);
            }
            Seg::Index(i) => name.push_str(&format!("[{i}]")),
        }
    }
    name
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
