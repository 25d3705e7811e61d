//! Action items in front matter: a list of tasks, each a mapping of
//! [`ACTION_ITEM`] keys or a plain string.

use jiff::civil::Date;

use super::FmActionItem;
use super::fields::{self, ACTION_ITEM};
use super::reader::Reader;
use crate::content::locate::Seg;
use crate::content::value::{FmValue, Kind, Node};
use crate::diagnostic::Rule;
use crate::model::schema::{ActionKind, ActionStatus};

impl Reader<'_, '_> {
    pub(super) fn action_items(&mut self, value: Option<&Node>) -> Vec<FmActionItem> {
        let Some(value) = value else {
            return Vec::new();
        };
        let items = match &value.kind {
            Kind::Scalar(FmValue::Null) => return Vec::new(),
            Kind::List(items) => items,
            _ => {
                let expected = format!("a list of items with {}", fields::listed(ACTION_ITEM));
                self.type_error(&[Seg::Key("action_items")], value, &expected);
                return Vec::new();
            }
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.action_item(i, item))
            .collect()
    }

    fn action_item(&mut self, i: usize, item: &Node) -> Option<FmActionItem> {
        let base = [Seg::Key("action_items"), Seg::Index(i)];
        let pos = item.at;
        let map = match &item.kind {
            Kind::Map(map) => map,
            Kind::Scalar(FmValue::Str(task)) => {
                return Some(FmActionItem {
                    task: task.clone(),
                    owner: None,
                    status: ActionStatus::Open,
                    due: None,
                    kind: None,
                    pos,
                });
            }
            _ => {
                let expected = format!("a mapping with {}", fields::listed(ACTION_ITEM));
                self.type_error(&base, item, &expected);
                return None;
            }
        };
        self.unknown_keys(map, ACTION_ITEM);
        let Some(task) = self.item_text(item, i, "task") else {
            if item.get("task").is_none() {
                self.findings.push(
                    Rule::MissingField,
                    pos,
                    "this action item has no `task`; say what will be done",
                );
            }
            return None;
        };
        let owner = self.item_text(item, i, "owner");
        let status = self.item_text(item, i, "status");
        let kind = self.item_text(item, i, "kind");
        let due = self.item_text(item, i, "due");
        let status = self
            .item_choice(item, "status", status, ActionStatus::parse, |s| {
                format!(
                    "action item status `{s}` is not one of: {}",
                    ActionStatus::choices()
                )
            })
            .ok()?
            .unwrap_or(ActionStatus::Open);
        let kind = self
            .item_choice(item, "kind", kind, ActionKind::parse, |k| {
                format!(
                    "action item kind `{k}` is not one of: {}",
                    ActionKind::choices()
                )
            })
            .unwrap_or(None);
        let due = self
            .item_choice(
                item,
                "due",
                due,
                |d| d.parse::<Date>().ok(),
                |d| format!("due date `{d}` is not a date; write it as YYYY-MM-DD"),
            )
            .unwrap_or(None);
        Some(FmActionItem {
            task,
            owner,
            status,
            due,
            kind,
            pos,
        })
    }

    /// The trimmed text of `key` in item `i`; a value that is not
    /// non-empty text is a `field-type` finding.
    fn item_text(&mut self, item: &Node, i: usize, key: &str) -> Option<String> {
        let v = item.get(key)?;
        match v.as_text() {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => {
                let path = [Seg::Key("action_items"), Seg::Index(i), Seg::Key(key)];
                self.type_error(&path, v, "a non-empty string");
                None
            }
        }
    }

    /// `written` read with `parse`; text it refuses is a `field-type`
    /// finding at `key` of `item`, saying `refused`, and `Err`.
    fn item_choice<T>(
        &mut self,
        item: &Node,
        key: &str,
        written: Option<String>,
        parse: impl Fn(&str) -> Option<T>,
        refused: impl Fn(&str) -> String,
    ) -> Result<Option<T>, ()> {
        let Some(s) = written else {
            return Ok(None);
        };
        if let Some(value) = parse(&s) {
            return Ok(Some(value));
        }
        let at = item.get(key).map_or(item.at, |n| n.at);
        self.findings.push(Rule::FieldType, at, refused(&s));
        Err(())
    }
}
