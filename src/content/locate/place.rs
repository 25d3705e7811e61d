//! Placing a parsed front-matter tree: every key and value of it gets
//! the place the file writes it at, in one walk down the tree (YAML by
//! the scopes of its lines, TOML by paths).

use super::{Locator, Scope, Seg, Syntax, ValueAt, flow_item};
use crate::content::value::{FmValue, Kind, Node};
use crate::diagnostic::Pos;

/// A [`Seg`] owning its key, for paths built while a tree is consumed.
#[derive(Debug, Clone)]
pub(super) enum Owned {
    Key(String),
    Index(usize),
}

impl Owned {
    pub(super) fn seg(&self) -> Seg<'_> {
        match self {
            Owned::Key(k) => Seg::Key(k),
            Owned::Index(n) => Seg::Index(*n),
        }
    }
}

impl Locator<'_> {
    /// The tree of `value` (parsed from this locator's text) with every
    /// key and value placed; `block` is where the block starts, for what
    /// cannot be found.
    pub fn place(&self, value: FmValue, block: Pos) -> Node {
        match self.syntax {
            Syntax::Yaml => {
                let scope = Scope {
                    start: 0,
                    end: self.lines.len(),
                    first_col: None,
                };
                let kind = self.yaml_kind(value, scope, None, block);
                Node {
                    kind,
                    key: None,
                    at: block,
                }
            }
            Syntax::Toml => self.toml_node(value, &mut Vec::new(), block),
        }
    }

    /// Places the contents of a YAML value found in `scope` (`current`:
    /// where the value itself is written); `near` is the innermost key
    /// found around it.
    fn yaml_kind(&self, value: FmValue, scope: Scope, current: Option<ValueAt>, near: Pos) -> Kind {
        match value {
            FmValue::Map(entries) => {
                // Keys come in the order written, so each is looked for
                // after the one before it first.
                let mut from = scope.start;
                let entries = entries
                    .into_iter()
                    .map(|(key, v)| {
                        let (node, next) = self.yaml_entry(&key, v, scope, from, near);
                        from = next;
                        (key, node)
                    })
                    .collect();
                Kind::Map(entries)
            }
            FmValue::List(items) => Kind::List(self.yaml_items(items, current, near)),
            scalar => Kind::Scalar(scalar),
        }
    }

    /// Places the value of `key` in a mapping written in `scope`, looking
    /// from line `from` on first; returns the node and the line after its
    /// value, where the next key is looked for first.
    fn yaml_entry(
        &self,
        key: &str,
        value: FmValue,
        scope: Scope,
        from: usize,
        near: Pos,
    ) -> (Node, usize) {
        let Some((line, col)) = self.find_key_from(scope, key, from) else {
            return (Node::placed(value, None, near), from);
        };
        let found = self.value_after_key(line, col, key);
        let key_pos = self.pos(line, col, key.len());
        let at = self.value_pos(found, line, col, key);
        let kind = self.yaml_kind(value, found.child, Some(found), key_pos);
        let node = Node {
            kind,
            key: Some(key_pos),
            at,
        };
        (node, found.child.end)
    }

    /// Places the items of a list written at `current`: a flow list's
    /// items (and all inside them) at their text, a block list's at their
    /// lines.
    fn yaml_items(&self, items: Vec<FmValue>, current: Option<ValueAt>, near: Pos) -> Vec<Node> {
        let Some(list) = current else {
            return items
                .into_iter()
                .map(|v| Node::placed(v, None, near))
                .collect();
        };
        if list.inline {
            let text = &self.lines[list.line][list.col..];
            return items
                .into_iter()
                .enumerate()
                .map(|(n, v)| match flow_item(text, n) {
                    Some((start, len)) => {
                        let p = self.pos(list.line, list.col + start, len);
                        Node::placed(v, Some(p), p)
                    }
                    None => Node::placed(v, None, near),
                })
                .collect();
        }
        let lines = self.list_items(list.child);
        items
            .into_iter()
            .enumerate()
            .map(|(n, v)| match self.item_at(&lines, list.child, n) {
                Some((line, col, item_scope)) => {
                    let p = self.pos(line, col, self.lines[line].len() - col);
                    let at = ValueAt {
                        line,
                        col,
                        inline: self.lines[line][col..].starts_with('['),
                        child: item_scope,
                    };
                    let kind = self.yaml_kind(v, item_scope, Some(at), p);
                    Node {
                        kind,
                        key: Some(p),
                        at: p,
                    }
                }
                None => Node::placed(v, None, near),
            })
            .collect()
    }

    /// Places a TOML value at `path` and everything inside it.
    fn toml_node(&self, value: FmValue, path: &mut Vec<Owned>, block: Pos) -> Node {
        let segs: Vec<Seg<'_>> = path.iter().map(Owned::seg).collect();
        let (key, at) = if segs.is_empty() {
            (None, block)
        } else {
            let at = self.value(&segs).unwrap_or_else(|| {
                let p = self.nearest(&segs);
                if p.line == 0 { block } else { p }
            });
            (self.key(&segs), at)
        };
        let kind = match value {
            FmValue::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        path.push(Owned::Key(k.clone()));
                        let node = self.toml_node(v, path, block);
                        path.pop();
                        (k, node)
                    })
                    .collect(),
            ),
            FmValue::List(items) => Kind::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(n, v)| {
                        path.push(Owned::Index(n));
                        let node = self.toml_node(v, path, block);
                        path.pop();
                        node
                    })
                    .collect(),
            ),
            scalar => Kind::Scalar(scalar),
        };
        Node { kind, key, at }
    }
}
