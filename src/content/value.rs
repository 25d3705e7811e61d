//! A neutral tree for front matter, whatever syntax it was written in.
//!
//! YAML (`---`) and TOML (`+++`) front matter and the `[front_matter]`
//! defaults of `site.toml` all become an [`FmValue`], so the schema checks
//! are written once. A file's front matter is then read once into a
//! [`Node`] tree, which carries where each key and value is written
//! ([`locate`](super::locate)), so findings point at the exact place.

use std::borrow::Cow;

use crate::diagnostic::Pos;

/// A front-matter value.
#[derive(Debug, Clone, PartialEq)]
pub enum FmValue {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string (also dates and times, which stay text until validated).
    Str(String),
    /// A sequence.
    List(Vec<FmValue>),
    /// A mapping, in the order written.
    Map(Vec<(String, FmValue)>),
}

impl FmValue {
    /// The value of `key` if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&FmValue> {
        match self {
            FmValue::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            FmValue::Null => "nothing",
            FmValue::Bool(_) => "a boolean",
            FmValue::Int(_) | FmValue::Float(_) => "a number",
            FmValue::Str(_) => "a string",
            FmValue::List(_) => "a list",
            FmValue::Map(_) => "a mapping",
        }
    }

    /// Scalars as text (`3`, `true`); used where a string is expected but
    /// YAML read a number (`title: 404`).
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            FmValue::Str(s) => Some(Cow::Borrowed(s)),
            FmValue::Int(i) => Some(Cow::Owned(i.to_string())),
            FmValue::Float(f) => Some(Cow::Owned(f.to_string())),
            _ => None,
        }
    }

    /// Any value as short text, for messages and map keys.
    pub fn to_display(&self) -> String {
        match self {
            FmValue::Null => "null".into(),
            FmValue::Bool(b) => b.to_string(),
            FmValue::Int(i) => i.to_string(),
            FmValue::Float(f) => f.to_string(),
            FmValue::Str(s) => s.clone(),
            FmValue::List(_) => "[…]".into(),
            FmValue::Map(_) => "{…}".into(),
        }
    }

    /// [`FmValue::to_display`], keeping a string's text without copying
    /// it (mapping keys).
    pub fn into_display(self) -> String {
        match self {
            FmValue::Str(s) => s,
            other => other.to_display(),
        }
    }

    /// Converts a TOML value (from `+++` front matter or `site.toml`).
    pub fn from_toml(value: &toml::Value) -> FmValue {
        match value {
            toml::Value::String(s) => FmValue::Str(s.clone()),
            toml::Value::Integer(i) => FmValue::Int(*i),
            toml::Value::Float(f) => FmValue::Float(*f),
            toml::Value::Boolean(b) => FmValue::Bool(*b),
            toml::Value::Datetime(d) => FmValue::Str(d.to_string()),
            toml::Value::Array(items) => {
                FmValue::List(items.iter().map(FmValue::from_toml).collect())
            }
            toml::Value::Table(table) => FmValue::Map(
                table
                    .iter()
                    .map(|(k, v)| (k.clone(), FmValue::from_toml(v)))
                    .collect(),
            ),
        }
    }
}

/// A front-matter value with the places it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value; a list's items and a mapping's values are nodes too.
    pub kind: Kind,
    /// Where its key (or list item) is written; `None` when the text does
    /// not show it (a default from `site.toml`, a flow mapping's key).
    pub key: Option<Pos>,
    /// Where its value is written, or the nearest place that is written
    /// (the key of the mapping holding it, or the block's first line).
    pub at: Pos,
}

/// What a [`Node`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar: never an [`FmValue::List`] or [`FmValue::Map`].
    Scalar(FmValue),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// `value` as a tree whose every node is placed at `key` and `at`
    /// (values the text does not show).
    pub fn placed(value: FmValue, key: Option<Pos>, at: Pos) -> Node {
        let kind = match value {
            FmValue::List(items) => Kind::List(
                items
                    .into_iter()
                    .map(|v| Node::placed(v, key, at))
                    .collect(),
            ),
            FmValue::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, Node::placed(v, key, at)))
                    .collect(),
            ),
            scalar => Kind::Scalar(scalar),
        };
        Node { kind, key, at }
    }

    /// Places this node and all inside it at `at` (a value the file does
    /// not show).
    pub fn place_at(&mut self, at: Pos) {
        self.key = None;
        self.at = at;
        match &mut self.kind {
            Kind::List(items) => items.iter_mut().for_each(|n| n.place_at(at)),
            Kind::Map(entries) => entries.iter_mut().for_each(|(_, n)| n.place_at(at)),
            Kind::Scalar(_) => {}
        }
    }

    /// The node of `key` if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    pub fn scalar(&self) -> Option<&FmValue> {
        match &self.kind {
            Kind::Scalar(v) => Some(v),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar(v) => v.type_name(),
            Kind::List(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    /// Scalars as text, as [`FmValue::as_text`].
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        self.scalar()?.as_text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_datetimes_become_text() {
        let table: toml::Table =
            toml::from_str("start = 2024-04-18T09:30:00+02:00\nn = 3").unwrap();
        let v = FmValue::from_toml(&toml::Value::Table(table));
        assert_eq!(
            v.get("start"),
            Some(&FmValue::Str("2024-04-18T09:30:00+02:00".into()))
        );
        assert_eq!(v.get("n"), Some(&FmValue::Int(3)));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn scalars_as_text() {
        assert_eq!(FmValue::Int(404).as_text().as_deref(), Some("404"));
        assert_eq!(FmValue::Bool(true).as_text(), None);
        assert_eq!(FmValue::List(vec![]).type_name(), "a list");
    }
}
