//! Finds where each key and value of the front matter is written, so
//! schema findings point at the exact line and column.
//!
//! Parsers that build value trees forget positions; instead of depending
//! on one that keeps them, this module scans the front-matter text the way
//! people write it (block mappings, block or flow lists, TOML tables) and
//! places every value of the parsed tree ([`Locator::place`]), in one walk
//! down the tree. A value the scan cannot find is placed at the nearest
//! key that holds it, or at the block's first line.

use crate::diagnostic::Pos;

mod place;

/// One step of a path into the front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    /// A mapping key.
    Key(&'a str),
    /// A list index.
    Index(usize),
}

/// The syntax of a front-matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `---` YAML.
    Yaml,
    /// `+++` TOML.
    Toml,
}

/// Locates paths in one front-matter block.
#[derive(Debug, Clone)]
pub struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Each line's indentation, whether it is blank (or a comment), and
    /// whether it starts a list item: looked at for every field found.
    shape: Vec<Shape>,
    first_line: usize,
    syntax: Syntax,
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    indent: usize,
    blank: bool,
    dash: bool,
    /// Every byte is ASCII, so columns are byte offsets.
    ascii: bool,
}

/// A range of lines forming one mapping; `first_col` is where the first
/// line's content starts when the mapping begins after a list dash.
#[derive(Debug, Clone, Copy)]
struct Scope {
    start: usize,
    end: usize,
    first_col: Option<usize>,
}

/// Where a value sits: on the key's line (column), or in child lines.
#[derive(Debug, Clone, Copy)]
struct ValueAt {
    line: usize,
    col: usize,
    inline: bool,
    child: Scope,
}

impl<'a> Locator<'a> {
    /// A locator for `text`, whose first line is line `first_line` of the file.
    pub fn new(text: &'a str, first_line: usize, syntax: Syntax) -> Locator<'a> {
        let lines: Vec<&str> = crate::text::split_lines(text).collect();
        let shape = lines
            .iter()
            .map(|l| Shape {
                indent: indent(l),
                blank: is_blank(l),
                dash: l.trim_start().starts_with('-'),
                ascii: l.is_ascii(),
            })
            .collect();
        Locator {
            lines,
            shape,
            first_line,
            syntax,
        }
    }

    /// The position of the last key of `path` (or of the list item).
    pub fn key(&self, path: &[Seg<'_>]) -> Option<Pos> {
        self.walk(path).map(|(key, _)| key)
    }

    /// The position of the value at `path`; the key's position when the
    /// value is not on the key's line.
    pub fn value(&self, path: &[Seg<'_>]) -> Option<Pos> {
        self.walk(path).map(|(_, value)| value)
    }

    /// The position of the deepest part of `path` that exists.
    pub fn nearest(&self, path: &[Seg<'_>]) -> Pos {
        (1..=path.len())
            .rev()
            .find_map(|n| self.key(&path[..n]))
            .unwrap_or(Pos::new(self.first_line.saturating_sub(1), 1, 3))
    }

    fn pos(&self, line: usize, byte_col: usize, len_bytes: usize) -> Pos {
        let text = self.lines[line];
        let byte_col = byte_col.min(text.len());
        let end = (byte_col + len_bytes).min(text.len());
        if self.shape[line].ascii {
            return Pos::new(self.first_line + line, byte_col + 1, end - byte_col);
        }
        let column = text[..byte_col].chars().count() + 1;
        let len = text.get(byte_col..end).map_or(1, |s| s.chars().count());
        Pos::new(self.first_line + line, column, len)
    }

    fn walk(&self, path: &[Seg<'_>]) -> Option<(Pos, Pos)> {
        match self.syntax {
            Syntax::Yaml => self.walk_yaml(path),
            Syntax::Toml => self.walk_toml(path),
        }
    }

    fn walk_yaml(&self, path: &[Seg<'_>]) -> Option<(Pos, Pos)> {
        let mut scope = Scope {
            start: 0,
            end: self.lines.len(),
            first_col: None,
        };
        let mut current: Option<ValueAt> = None;
        let mut found = None;
        for seg in path {
            match *seg {
                Seg::Key(key) => {
                    let (line, col) = self.find_key(scope, key)?;
                    let value = self.value_after_key(line, col, key);
                    found = Some((
                        self.pos(line, col, key.len()),
                        self.value_pos(value, line, col, key),
                    ));
                    scope = value.child;
                    current = Some(value);
                }
                Seg::Index(n) => {
                    let value = current?;
                    if value.inline {
                        let text = &self.lines[value.line][value.col..];
                        let (start, len) = flow_item(text, n)?;
                        let p = self.pos(value.line, value.col + start, len);
                        return Some((p, p));
                    }
                    let (line, col, item_scope) = self.list_item(value.child, n)?;
                    let len = self.lines[line].len() - col;
                    let p = self.pos(line, col, len);
                    found = Some((p, p));
                    scope = item_scope;
                    current = Some(ValueAt {
                        line,
                        col,
                        inline: self.lines[line][col..].starts_with('['),
                        child: item_scope,
                    });
                }
            }
        }
        found
    }

    fn value_pos(&self, value: ValueAt, line: usize, col: usize, key: &str) -> Pos {
        if value.inline {
            let text = self.lines[value.line][value.col..].trim_end();
            let text = strip_comment(text);
            self.pos(value.line, value.col, text.trim_end().len())
        } else {
            self.pos(line, col, key.len())
        }
    }

    fn find_key(&self, scope: Scope, key: &str) -> Option<(usize, usize)> {
        self.find_key_from(scope, key, scope.start)
    }

    /// [`Locator::find_key`], looking from line `from` to the end of the
    /// scope first, then from its start. A mapping the YAML readers
    /// accept has each key once, so the line found is the same.
    fn find_key_from(&self, scope: Scope, key: &str, from: usize) -> Option<(usize, usize)> {
        let key_indent = match scope.first_col {
            Some(col) => col,
            None => self.first_indent(scope)?,
        };
        let from = from.clamp(scope.start, scope.end);
        (from..scope.end).chain(scope.start..from).find_map(|i| {
            let col = match scope.first_col {
                Some(c) if i == scope.start => c,
                _ => self.shape[i].indent,
            };
            (col == key_indent && key_matches(&self.lines[i][col..], key, ':')).then_some((i, col))
        })
    }

    fn value_after_key(&self, line: usize, col: usize, key: &str) -> ValueAt {
        let text = self.lines[line];
        let colon = text[col..].find(':').map_or(text.len(), |i| col + i + 1);
        let rest = &text[colon..];
        let value_col = colon + (rest.len() - rest.trim_start().len());
        let inline = !strip_comment(rest.trim()).is_empty();
        let mut end = line + 1;
        while end < self.lines.len() {
            let Shape {
                indent: ind,
                blank,
                dash,
                ..
            } = self.shape[end];
            if !(blank || ind > col || (ind == col && dash)) {
                break;
            }
            end += 1;
        }
        let _ = key;
        ValueAt {
            line,
            col: value_col,
            inline,
            child: Scope {
                start: line + 1,
                end,
                first_col: None,
            },
        }
    }

    fn list_item(&self, scope: Scope, n: usize) -> Option<(usize, usize, Scope)> {
        self.item_at(&self.list_items(scope), scope, n)
    }

    /// The lines where the items of the block list in `scope` start.
    fn list_items(&self, scope: Scope) -> Vec<usize> {
        let Some(dash_indent) = self.first_indent(scope) else {
            return Vec::new();
        };
        (scope.start..scope.end)
            .filter(|&i| self.shape[i].indent == dash_indent && self.shape[i].dash)
            .collect()
    }

    /// Item `n` of the block list in `scope` whose items start at `items`:
    /// its line, the column after its dash, and its lines.
    fn item_at(&self, items: &[usize], scope: Scope, n: usize) -> Option<(usize, usize, Scope)> {
        let line = *items.get(n)?;
        let dash_indent = self.shape[line].indent;
        let end = items.get(n + 1).copied().unwrap_or(scope.end);
        let after_dash = &self.lines[line][dash_indent + 1..];
        let col = dash_indent + 1 + (after_dash.len() - after_dash.trim_start().len());
        Some((
            line,
            col,
            Scope {
                start: line,
                end,
                first_col: Some(col),
            },
        ))
    }

    /// The indentation of the first line of `scope` with content.
    fn first_indent(&self, scope: Scope) -> Option<usize> {
        (scope.start..scope.end)
            .find(|&i| !self.shape[i].blank)
            .map(|i| self.shape[i].indent)
    }

    fn walk_toml(&self, path: &[Seg<'_>]) -> Option<(Pos, Pos)> {
        let (start, end, rest) = match path {
            [Seg::Key(table), Seg::Index(n), rest @ ..]
                if self.table_header(table, true, *n).is_some() =>
            {
                let (s, e) = self.table_header(table, true, *n)?;
                if rest.is_empty() {
                    let p = self.pos(s - 1, 0, self.lines[s - 1].len());
                    return Some((p, p));
                }
                (s, e, rest)
            }
            [Seg::Key(table), rest @ ..]
                if !rest.is_empty() && self.table_header(table, false, 0).is_some() =>
            {
                let (s, e) = self.table_header(table, false, 0)?;
                (s, e, rest)
            }
            _ => (0, self.first_header().unwrap_or(self.lines.len()), path),
        };
        let Some(Seg::Key(key)) = rest.first() else {
            return None;
        };
        let line = (start..end).find(|&i| key_matches(self.lines[i].trim_start(), key, '='))?;
        let col = indent(self.lines[line]);
        let key_pos = self.pos(line, col, key.len());
        let eq = self.lines[line].find('=')? + 1;
        let after = &self.lines[line][eq..];
        let value_col = eq + (after.len() - after.trim_start().len());
        match rest.get(1) {
            Some(Seg::Index(n)) => {
                let (s, len) = flow_item(&self.lines[line][value_col..], *n)?;
                let p = self.pos(line, value_col + s, len);
                Some((p, p))
            }
            _ => {
                let len = strip_comment(after.trim()).trim_end().len();
                Some((key_pos, self.pos(line, value_col, len)))
            }
        }
    }

    fn first_header(&self) -> Option<usize> {
        self.lines
            .iter()
            .position(|l| l.trim_start().starts_with('['))
    }

    /// The body lines of `[name]` or the `n`th `[[name]]`.
    fn table_header(&self, name: &str, array: bool, n: usize) -> Option<(usize, usize)> {
        let header = if array {
            format!("[[{name}]]")
        } else {
            format!("[{name}]")
        };
        let line = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim() == header)
            .nth(n)?
            .0;
        let end = (line + 1..self.lines.len())
            .find(|&i| self.lines[i].trim_start().starts_with('['))
            .unwrap_or(self.lines.len());
        Some((line + 1, end))
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn strip_comment(s: &str) -> &str {
    // A ` #` outside quotes starts a comment.
    let bytes = s.as_bytes();
    if memchr::memchr(b'#', bytes).is_none() {
        return s;
    }
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'#') if i == 0 || bytes[i - 1] == b' ' => return &s[..i],
            _ => {}
        }
    }
    s
}

/// True when `content` starts with `key` (bare or quoted) followed by `sep`.
fn key_matches(content: &str, key: &str, sep: char) -> bool {
    // Most lines hold another key: tell by the first byte.
    match (content.as_bytes().first(), key.as_bytes().first()) {
        (Some(b'"' | b'\''), _) | (_, None) => {}
        (Some(c), Some(k)) if c == k => {}
        _ => return false,
    }
    let rest = ["", "\"", "'"].iter().find_map(|q| {
        content
            .strip_prefix(q)
            .and_then(|c| c.strip_prefix(key))
            .and_then(|c| c.strip_prefix(q))
    });
    let Some(rest) = rest else {
        return false;
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.strip_prefix(sep)
        .is_some_and(|after| sep == '=' || after.is_empty() || after.starts_with([' ', '\t']))
}

/// Byte start and length of item `n` of a flow list `[a, "b", c]`.
fn flow_item(text: &str, n: usize) -> Option<(usize, usize)> {
    let body_start = text.find('[')? + 1;
    let mut item = 0;
    let mut depth = 0usize;
    let mut quote = None;
    let mut start = body_start;
    for (i, c) in text[body_start..]
        .char_indices()
        .map(|(i, c)| (i + body_start, c))
    {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') if depth > 0 => depth -= 1,
            (None, ',' | ']') if depth == 0 => {
                if item == n {
                    let raw = &text[start..i];
                    let lead = raw.len() - raw.trim_start().len();
                    return Some((start + lead, raw.trim().len()));
                }
                item += 1;
                start = i + 1;
                if c == ']' {
                    break;
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::place::Owned;
    use super::*;
    use crate::content::value::{FmValue, Kind, Node};

    const YAML: &str = "title: \"Mail down\"\nseverity: SEV2   # comment\nimpact:\n  summary: \"No mail\"\n  users_affected_pct: 90\ntags: [deploy, \"corrupted-package\", x]\nservices:\n- email\n- web\naction_items:\n  - task: \"Validate\"\n    owner: platform\n  - task: Second\n    due: 2024-13-01\n";

    fn at(p: Option<Pos>) -> (usize, usize, usize) {
        let p = p.expect("located");
        (p.line, p.column, p.len)
    }

    /// Checks that every node of `node` (at `path`) is placed where the
    /// locator finds that path, or at the nearest key found around it.
    fn placed_as_found(l: &Locator<'_>, node: &Node, path: &mut Vec<Owned>, block: Pos) -> usize {
        let segs: Vec<Seg<'_>> = path.iter().map(Owned::seg).collect();
        if !segs.is_empty() {
            assert_eq!(node.key, l.key(&segs), "key of {segs:?}");
            let near = l.nearest(&segs);
            let expected = l
                .value(&segs)
                .unwrap_or(if near.line == 0 { block } else { near });
            assert_eq!(node.at, expected, "value of {segs:?}");
        }
        let mut count = 1;
        match &node.kind {
            Kind::Scalar(_) => {}
            Kind::List(items) => {
                for (n, item) in items.iter().enumerate() {
                    path.push(Owned::Index(n));
                    count += placed_as_found(l, item, path, block);
                    path.pop();
                }
            }
            Kind::Map(entries) => {
                for (k, v) in entries {
                    path.push(Owned::Key(k.clone()));
                    count += placed_as_found(l, v, path, block);
                    path.pop();
                }
            }
        }
        count
    }

    #[test]
    fn one_walk_places_every_value_where_its_path_is_found() {
        let block = Pos::new(1, 1, 3);
        let flow = "impact: {summary: x, extra: 1}\naction_items: [{task: a}, b]\nlists:\n  - [1, 2]\n  -\n    - deep: [3]\n";
        let toml = "title = 'x'\ntags = ['a', 'b']\n[impact]\nsummary = 'y'\n[[action_items]]\ntask = 'z'\n";
        for (text, syntax, nodes) in [
            (YAML, Syntax::Yaml, 20),
            (flow, Syntax::Yaml, 16),
            (toml, Syntax::Toml, 10),
        ] {
            let value = match syntax {
                Syntax::Yaml => crate::content::yaml::parse(text).expect("valid YAML"),
                Syntax::Toml => FmValue::from_toml(&toml::Value::Table(
                    text.parse::<toml::Table>().expect("valid TOML"),
                )),
            };
            let l = Locator::new(text, 2, syntax);
            let root = l.place(value, block);
            assert_eq!(placed_as_found(&l, &root, &mut Vec::new(), block), nodes);
        }
    }

    #[test]
    fn yaml_keys_and_values() {
        let l = Locator::new(YAML, 2, Syntax::Yaml);
        assert_eq!(at(l.key(&[Seg::Key("title")])), (2, 1, 5));
        assert_eq!(at(l.value(&[Seg::Key("title")])), (2, 8, 11));
        assert_eq!(at(l.value(&[Seg::Key("severity")])), (3, 11, 4));
        assert_eq!(
            at(l.value(&[Seg::Key("impact"), Seg::Key("users_affected_pct")])),
            (6, 23, 2)
        );
        assert_eq!(at(l.value(&[Seg::Key("tags"), Seg::Index(1)])), (7, 16, 19));
        assert_eq!(
            at(l.value(&[Seg::Key("services"), Seg::Index(1)])),
            (10, 3, 3)
        );
        assert_eq!(
            at(l.key(&[Seg::Key("action_items"), Seg::Index(1), Seg::Key("due")])),
            (15, 5, 3)
        );
        assert_eq!(
            at(l.value(&[Seg::Key("action_items"), Seg::Index(1), Seg::Key("due")])),
            (15, 10, 10)
        );
        assert_eq!(
            at(l.key(&[Seg::Key("action_items"), Seg::Index(0), Seg::Key("task")])),
            (12, 5, 4)
        );
        assert_eq!(l.key(&[Seg::Key("summary")]), None);
        assert_eq!(
            at(Some(l.nearest(&[Seg::Key("impact"), Seg::Key("nope")]))),
            (4, 1, 6)
        );
    }

    #[test]
    fn toml_keys_and_values() {
        let text = "title = \"x\"\ntags = [\"a\", \"b\"]\n\n[impact]\nsummary = \"s\"\n\n[[action_items]]\ntask = \"t\"\n[[action_items]]\ntask = \"u\"\nowner = \"o\"\n";
        let l = Locator::new(text, 2, Syntax::Toml);
        assert_eq!(at(l.value(&[Seg::Key("title")])), (2, 9, 3));
        assert_eq!(at(l.value(&[Seg::Key("tags"), Seg::Index(1)])), (3, 14, 3));
        assert_eq!(
            at(l.value(&[Seg::Key("impact"), Seg::Key("summary")])),
            (6, 11, 3)
        );
        assert_eq!(
            at(l.key(&[Seg::Key("action_items"), Seg::Index(1), Seg::Key("owner")])),
            (12, 1, 5)
        );
    }

    #[test]
    fn columns_count_characters_and_comments_respect_quotes() {
        let text = "title: \"Zürich mail\"\ntags: [café, naïve, x]\n\"owner\": 'o # p'  # who\nsummary: a#b # c\n";
        let l = Locator::new(text, 2, Syntax::Yaml);
        assert_eq!(at(l.value(&[Seg::Key("title")])), (2, 8, 13));
        assert_eq!(at(l.value(&[Seg::Key("tags"), Seg::Index(1)])), (3, 14, 5));
        assert_eq!(at(l.value(&[Seg::Key("tags"), Seg::Index(2)])), (3, 21, 1));
        assert_eq!(at(l.key(&[Seg::Key("owner")])), (4, 1, 5));
        assert_eq!(strip_comment("'o # p'  # who"), "'o # p'  ");
        assert_eq!(strip_comment("a#b # c"), "a#b ");
        assert_eq!(strip_comment("# all"), "");
        assert_eq!(strip_comment("plain"), "plain");
        assert!(key_matches("owner: x", "owner", ':'));
        assert!(key_matches("'owner' : x", "owner", ':'));
        assert!(!key_matches("owners: x", "owner", ':'));
        assert!(!key_matches("task: x", "owner", ':'));
    }

    #[test]
    fn flow_items_respect_quotes() {
        assert_eq!(flow_item("[a, \"b, c\", d]", 1), Some((4, 6)));
        assert_eq!(flow_item("[a, \"b, c\", d]", 2), Some((12, 1)));
        assert_eq!(flow_item("[a]", 3), None);
    }
}
