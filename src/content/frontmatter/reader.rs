//! Typing a file's fields: each value of the front matter is checked
//! against the format and `site.toml` (value maps, severities, required
//! fields), with a finding at the exact place of every problem.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::fields::{self, FIELDS, IMPACT, Spec};
use super::{Block, Field, FrontMatter, mapping};
use crate::config::SiteConfig;
use crate::content::Findings;
use crate::content::locate::{Locator, Seg};
use crate::content::value::{FmValue, Kind, Node};
use crate::diagnostic::{Pos, Rule};
use crate::model::url::Slug;
use crate::time::{self, Stamp, TimeErrorKind};

/// Reads typed front matter from a parsed block.
pub(super) fn read(
    value: FmValue,
    block: &Block<'_>,
    cfg: &SiteConfig,
    findings: &mut Findings,
) -> FrontMatter {
    let block_pos = Pos::new(block.first_line - 1, 1, 3);
    let root = Locator::new(block.text, block.first_line, block.syntax).place(value, block_pos);
    let entries = match root.kind {
        Kind::Map(entries) => entries,
        Kind::Scalar(FmValue::Null) => Vec::new(),
        _ => {
            findings.push(
                Rule::FrontMatter,
                block_pos,
                format!(
                    "the front matter is {} but must be a set of `key: value` lines",
                    root.type_name()
                ),
            );
            Vec::new()
        }
    };
    let entries = mapping::apply(entries, &cfg.front_matter, block_pos);
    let mut r = Reader {
        findings,
        cfg,
        block_pos,
    };
    r.read_map(&entries)
}

/// Reads one file's fields, with what findings need to place themselves.
pub(super) struct Reader<'a, 'f> {
    pub(super) findings: &'f mut Findings,
    cfg: &'a SiteConfig,
    block_pos: Pos,
}

impl Reader<'_, '_> {
    pub(super) fn type_error(&mut self, path: &[Seg<'_>], value: &Node, expected: &str) {
        let name = path_name(path);
        self.findings.push(
            Rule::FieldType,
            value.at,
            format!("`{name}` must be {expected}, not {}", value.type_name()),
        );
    }

    pub(super) fn unknown_keys(&mut self, map: &[(String, Node)], known: &[Spec]) {
        for (key, node) in map {
            if known.iter().any(|s| s.key == key) {
                continue;
            }
            let pos = node.key.unwrap_or(self.block_pos);
            let hint = match crate::text::suggest(key, fields::keys(known)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => {
                    let names: Vec<&str> = fields::keys(known).collect();
                    format!("known keys here are: {}", names.join(", "))
                }
            };
            self.findings.push(
                Rule::UnknownField,
                pos,
                format!("unknown field `{key}`; {hint}"),
            );
        }
    }

    /// Reads every field of the table, then checks the required ones.
    fn read_map(&mut self, map: &[(String, Node)]) -> FrontMatter {
        self.unknown_keys(map, FIELDS);
        let mut fm = FrontMatter::empty(self.block_pos);
        for spec in FIELDS {
            let value = map.iter().find(|(key, _)| key == spec.key).map(|(_, v)| v);
            fields::read(spec, self, value, &mut fm);
        }
        let cfg = self.cfg;
        for path in &cfg.validation.required_fields {
            if lookup(map, path).is_none() {
                self.missing(path);
            }
        }
        fm
    }

    fn missing(&mut self, path: &str) {
        let example = fields::spec(path).map_or("", |s| s.example);
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

    pub(super) fn string(&mut self, value: Option<&Node>, key: &str) -> Option<Field<String>> {
        let value = value?;
        let path = [Seg::Key(key)];
        match value.as_text() {
            Some(s) if !s.trim().is_empty() => Some(Field {
                value: s.trim().to_string(),
                pos: value.at,
            }),
            Some(_) => {
                self.findings.push(
                    Rule::MissingField,
                    value.at,
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

    pub(super) fn slug(&mut self, value: Option<&Node>) -> Option<Field<Slug>> {
        let field = self.string(value, "slug")?;
        if let Some(slug) = Slug::new(&field.value) {
            return Some(Field {
                value: slug,
                pos: field.pos,
            });
        }
        let fixed = Slug::from_text(&field.value);
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

    pub(super) fn word<T>(
        &mut self,
        value: Option<&Node>,
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

    pub(super) fn severity(&mut self, value: Option<&Node>) -> Option<Field<String>> {
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

    pub(super) fn timezone(&mut self, value: Option<&Node>) -> Option<Field<(TimeZone, String)>> {
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

    pub(super) fn stamp(&mut self, value: Option<&Node>, key: &str) -> Option<Field<Stamp>> {
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

    pub(super) fn impact(&mut self, value: Option<&Node>) -> (Option<String>, Option<f64>) {
        let Some(value) = value else {
            return (None, None);
        };
        let Kind::Map(map) = &value.kind else {
            let expected = format!("a mapping with {}", fields::listed(IMPACT));
            self.type_error(&[Seg::Key("impact")], value, &expected);
            return (None, None);
        };
        self.unknown_keys(map, IMPACT);
        let summary = match value.get("summary") {
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
        let Some(node) = value.get("users_affected_pct") else {
            return (summary, None);
        };
        let written = match node.scalar() {
            Some(FmValue::Int(i)) => Some(*i as f64),
            Some(FmValue::Float(f)) => Some(*f),
            Some(FmValue::Str(s)) => s.trim().trim_end_matches('%').parse::<f64>().ok(),
            _ => None,
        };
        let Some(pct) = written else {
            let path = [Seg::Key("impact"), Seg::Key("users_affected_pct")];
            self.type_error(&path, node, "a number from 0 to 100");
            return (summary, None);
        };
        if !(0.0..=100.0).contains(&pct) || pct.is_nan() {
            self.findings.push(
                Rule::FieldType,
                node.at,
                format!("`users_affected_pct` is {pct}; it must be a share from 0 to 100"),
            );
            return (summary, None);
        }
        (summary, Some(pct))
    }

    pub(super) fn list(&mut self, value: Option<&Node>, key: &str) -> Vec<Field<String>> {
        let Some(value) = value else {
            return Vec::new();
        };
        let items = match &value.kind {
            Kind::List(items) => items,
            Kind::Scalar(FmValue::Null) => return Vec::new(),
            Kind::Scalar(scalar) if scalar.as_text().is_some() => {
                let text = scalar.as_text().unwrap_or_default();
                let pos = value.at;
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
            _ => {
                self.type_error(&[Seg::Key(key)], value, "a list of strings");
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = [Seg::Key(key), Seg::Index(i)];
            match item.as_text() {
                Some(s) if !s.trim().is_empty() => out.push(Field {
                    value: s.trim().to_string(),
                    pos: item.at,
                }),
                // An empty name would be an empty pill on the page and a
                // term page with no name.
                Some(_) => {
                    let message = format!(
                        "`{}` is an empty string; write a name or remove the item",
                        path_name(&path)
                    );
                    self.findings.push(Rule::FieldType, item.at, message);
                }
                None => self.type_error(&path, item, "a string"),
            }
        }
        out
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
fn lookup<'m>(map: &'m [(String, Node)], path: &str) -> Option<&'m Node> {
    let mut keys = path.split('.');
    let first = keys.next()?;
    let top = map.iter().find(|(k, _)| k == first).map(|(_, v)| v)?;
    keys.try_fold(top, |value, key| value.get(key))
}

/// `action_items[0].task`: a path as its name in messages.
pub(super) fn path_name(path: &[Seg<'_>]) -> String {
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
