//! Action items in front matter: a list of tasks, each a mapping of
//! [`ACTION_ITEM`] keys or a plain string.

use jiff::civil::Date;

use super::FmActionItem;
use super::fields::{self, ACTION_ITEM};
use super::reader::Reader;
use crate::content::locate::Seg;
use crate::content::value::FmValue;
use crate::diagnostic::Rule;
use crate::model::schema::{ActionKind, ActionStatus};

impl Reader<'_, '_> {
    pub(super) fn action_items(&mut self, value: Option<&FmValue>) -> Vec<FmActionItem> {
        let items = match value {
            None | Some(FmValue::Null) => return Vec::new(),
            Some(FmValue::List(items)) => items,
            Some(other) => {
                let expected = format!("a list of items with {}", fields::listed(ACTION_ITEM));
                self.type_error(&[Seg::Key("action_items")], other, &expected);
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
                let expected = format!("a mapping with {}", fields::listed(ACTION_ITEM));
                self.type_error(&base, other, &expected);
                return None;
            }
        };
        self.unknown_keys(map, ACTION_ITEM, &base);
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
