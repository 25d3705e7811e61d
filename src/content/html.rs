//! A small tokenizer for the raw HTML blocks of postmortem bodies.
//!
//! Reports exported from wikis and docs tools are often written partly or
//! wholly in HTML: `<h2>Timeline</h2>`, `<p>` paragraphs, `<ul><li>` lists,
//! `<table>` timelines. The body pass ([`super::markdown`]) reads them as
//! it reads Markdown, so it needs their tags and text with byte offsets.
//! This is not a browser's parser: it splits tags from text, decodes the
//! common entities and skips comments, `<script>` and `<style>`; what it
//! cannot read it leaves as text, which only affects word counts.

use std::borrow::Cow;
use std::ops::Range;

/// One piece of an HTML fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// `<name attrs>` or `<name attrs/>`: the lowercase name, the byte
    /// range of the attributes, the whole tag's range.
    Open {
        /// Lowercase tag name.
        name: String,
        /// Byte range of the text between the name and `>`.
        attrs: Range<usize>,
        /// Byte range of the whole tag.
        range: Range<usize>,
    },
    /// `</name>`.
    Close {
        /// Lowercase tag name.
        name: String,
        /// Byte range of the whole tag.
        range: Range<usize>,
    },
    /// Text between tags (entities not yet decoded).
    Text(Range<usize>),
}

/// Splits `html` into tags and text. Comments, doctypes and the contents
/// of `<script>` and `<style>` are dropped.
pub fn tokens(html: &str) -> Vec<Token> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut text_start = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + found;
        let Some((token, end)) = tag_at(html, lt) else {
            i = lt + 1;
            continue;
        };
        if text_start < lt {
            out.push(Token::Text(text_start..lt));
        }
        i = end;
        if let Some(Token::Open { name, .. }) = &token
            && matches!(name.as_str(), "script" | "style")
        {
            let close = format!("</{name}");
            i = crate::text::find_ascii_ci(&html[end..], &close)
                .next()
                .map_or(html.len(), |at| {
                    let from = end + at;
                    html[from..]
                        .find('>')
                        .map_or(html.len(), |gt| from + gt + 1)
                });
        }
        out.extend(token);
        text_start = i;
    }
    if text_start < html.len() {
        out.push(Token::Text(text_start..html.len()));
    }
    out
}

/// Reads the markup at `lt` (a `<`): `Some((token, end))` for a tag, or
/// `Some((None, end))` for a comment or declaration to skip; `None` when
/// the `<` is just text.
fn tag_at(html: &str, lt: usize) -> Option<(Option<Token>, usize)> {
    let rest = &html[lt..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment.find("-->").map_or(html.len(), |e| lt + 4 + e + 3);
        return Some((None, end));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = rest.find('>').map_or(html.len(), |e| lt + e + 1);
        return Some((None, end));
    }
    let (closing, name_at) = match rest.as_bytes().get(1)? {
        b'/' => (true, 2),
        _ => (false, 1),
    };
    let name_len = rest[name_at..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 || !rest.as_bytes()[name_at].is_ascii_alphabetic() {
        return None;
    }
    let gt = tag_end(rest)?;
    let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
    let range = lt..lt + gt + 1;
    let token = if closing {
        Token::Close { name, range }
    } else {
        let attrs_end = if rest[..gt].ends_with('/') {
            gt - 1
        } else {
            gt
        };
        let attrs = lt + name_at + name_len..lt + attrs_end.max(name_at + name_len);
        Token::Open { name, attrs, range }
    };
    Some((Some(token), lt + gt + 1))
}

/// The offset of the `>` that ends the tag at the start of `rest`,
/// skipping quoted attribute values.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in rest.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i),
            (None, b'<') => return None,
            _ => {}
        }
    }
    None
}

/// The value of attribute `name` in an attribute string, entities decoded.
pub fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let key_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, used) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |c| c + 1);
                    (&after[1..close], (close + 1).min(after.len()))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], end)
                }
            };
            rest = &after[used..];
            value
        } else {
            ""
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(decode(value).into_owned());
        }
    }
}

/// Decodes the entities people write (`&amp;`, `&lt;`, `&nbsp;`, `&#8212;`,
/// `&#x2014;` and a few named dashes and quotes); others stay as written.
pub fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match entity(rest) {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character of the entity at the start of `s` and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s[..s.len().min(12)].find(';')?;
    let name = &s[1..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "ndash" => '–',
            "mdash" => '—',
            "rsquo" => '’',
            "lsquo" => '‘',
            "rdquo" => '”',
            "ldquo" => '“',
            "hellip" => '…',
            "rarr" => '→',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

/// True for tags that flow inside a line of text; every other tag
/// (paragraphs, list items, cells, `<br>`) separates words.
pub fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "cite"
            | "code"
            | "del"
            | "em"
            | "font"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

/// The level of a heading tag (`h2` → 2).
pub fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// Structure the body pass reads in an HTML block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// `<p>`.
    Paragraph,
    /// `<li>`.
    Item,
    /// `<table>`.
    Table,
    /// `<tr>`.
    Row,
    /// `<td>`, `<th>`.
    Cell,
    /// `<del>`, `<s>`, `<strike>`.
    Strike,
}

/// What the body pass does with each part of an HTML block, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Output this range of the block unchanged.
    Raw(Range<usize>),
    /// A heading starts (`<h2 …>`). Its output is rebuilt with an anchor
    /// from the open tag's attributes and the raw inner HTML.
    HeadingStart {
        /// 1 to 6.
        level: u8,
        /// The `id` attribute, if written.
        id: Option<String>,
        /// The attributes of the open tag.
        attrs: Range<usize>,
        /// The raw HTML inside the heading.
        inner: Range<usize>,
        /// The whole heading, tags included.
        range: Range<usize>,
    },
    /// The heading ends.
    HeadingEnd,
    /// Text, entities decoded, and its range in the block.
    Text(String, Range<usize>),
    /// A block starts.
    Start(Block),
    /// A block ends.
    End(Block),
    /// A break between words and lines (`<p>`, `<br>`, `<div>`…).
    Break,
}

/// Reads an HTML block into [`Piece`]s: every byte of the block is in
/// exactly one `Raw` piece or one heading, so output can be rebuilt.
pub fn read_block(html: &str) -> Vec<Piece> {
    let tokens = tokens(html);
    let mut out = Vec::with_capacity(tokens.len() + 2);
    let mut raw_from = 0;
    let mut open_heading: Option<(u8, usize)> = None;
    let mut lists = Lists::default();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Open { name, attrs, range } => {
                if let Some(level) = heading_level(name).filter(|_| open_heading.is_none()) {
                    let end = heading_end(html, &tokens[i + 1..], name);
                    out.push(Piece::Raw(raw_from..range.start));
                    out.push(Piece::HeadingStart {
                        level,
                        id: attr(&html[attrs.clone()], "id"),
                        attrs: attrs.clone(),
                        inner: range.end..end.0,
                        range: range.start..end.1,
                    });
                    raw_from = end.1;
                    open_heading = Some((level, end.1));
                    continue;
                }
                out.extend(lists.open(name));
                out.extend(structure(name, true));
            }
            Token::Close { name, range } => {
                if let Some((level, end)) = open_heading
                    && heading_level(name) == Some(level)
                    && range.end == end
                {
                    out.push(Piece::HeadingEnd);
                    open_heading = None;
                    continue;
                }
                out.extend(lists.close(name));
                if name != "li" {
                    out.extend(structure(name, false));
                }
            }
            Token::Text(range) => {
                let text = decode(&html[range.clone()]).into_owned();
                out.push(Piece::Text(text, range.clone()));
            }
        }
    }
    if open_heading.is_some() {
        out.push(Piece::HeadingEnd);
    }
    out.push(Piece::Raw(raw_from..html.len()));
    out.retain(|p| !matches!(p, Piece::Raw(r) if r.is_empty()));
    out
}

/// Open HTML lists, each with whether an item of it is open: `<li>` may
/// go unclosed, so the next `<li>` or the list's end closes it.
#[derive(Default)]
struct Lists(Vec<bool>);

impl Lists {
    /// The item end an opening tag implies.
    fn open(&mut self, name: &str) -> Option<Piece> {
        match name {
            "li" => {
                if self.0.is_empty() {
                    self.0.push(false);
                }
                let was_open = self
                    .0
                    .last_mut()
                    .is_some_and(|o| std::mem::replace(o, true));
                was_open.then_some(Piece::End(Block::Item))
            }
            "ul" | "ol" => {
                self.0.push(false);
                None
            }
            _ => None,
        }
    }

    /// The item end a closing tag implies.
    fn close(&mut self, name: &str) -> Option<Piece> {
        let was_open = match name {
            "li" => self
                .0
                .last_mut()
                .is_some_and(|o| std::mem::replace(o, false)),
            "ul" | "ol" => self.0.pop() == Some(true),
            _ => false,
        };
        was_open.then_some(Piece::End(Block::Item))
    }
}

/// Where the heading opened by `name` ends: (start, end) of its close
/// tag, or the end of the block when it is never closed.
fn heading_end(html: &str, after: &[Token], name: &str) -> (usize, usize) {
    after
        .iter()
        .find_map(|t| match t {
            Token::Close { name: n, range } if n == name => Some((range.start, range.end)),
            _ => None,
        })
        .unwrap_or((html.len(), html.len()))
}

/// The pieces a tag other than a heading stands for.
fn structure(name: &str, open: bool) -> Option<Piece> {
    let block = match name {
        "p" => Block::Paragraph,
        "li" => Block::Item,
        "table" => Block::Table,
        "tr" => Block::Row,
        "td" | "th" => Block::Cell,
        "del" | "s" | "strike" => Block::Strike,
        n if is_inline(n) => return None,
        _ => return Some(Piece::Break),
    };
    Some(if open {
        Piece::Start(block)
    } else {
        Piece::End(block)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(html: &str) -> Vec<String> {
        tokens(html)
            .into_iter()
            .map(|t| match t {
                Token::Open { name, attrs, .. } => format!("<{name}{}>", &html[attrs]),
                Token::Close { name, .. } => format!("</{name}>"),
                Token::Text(r) => html[r].to_string(),
            })
            .collect()
    }

    #[test]
    fn tags_and_text() {
        assert_eq!(
            shapes("<h2 class=\"x\">Time<b>line</b>:</h2>\n<p>a &amp; b</p>"),
            [
                "<h2 class=\"x\">",
                "Time",
                "<b>",
                "line",
                "</b>",
                ":",
                "</h2>",
                "\n",
                "<p>",
                "a &amp; b",
                "</p>"
            ]
        );
        assert_eq!(
            shapes("<p title='a > b'>x</p><!-- hidden <p> --><br/>y"),
            ["<p title='a > b'>", "x", "</p>", "<br>", "y"]
        );
        assert_eq!(
            shapes("a < b <script>var x = '<p>';</script><STYLE>p{}</Style>c"),
            ["a < b ", "<script>", "<style>", "c"]
        );
        assert_eq!(shapes("x <3 y"), ["x <3 y"]);
    }

    #[test]
    fn attributes_and_entities() {
        assert_eq!(
            attr(" id=\"root-cause\" class=x", "id").as_deref(),
            Some("root-cause")
        );
        assert_eq!(attr(" class=x ID='a&amp;b'", "id").as_deref(), Some("a&b"));
        assert_eq!(attr(" hidden class=x", "class").as_deref(), Some("x"));
        assert_eq!(attr(" class=x", "id"), None);
        assert_eq!(
            decode("a &amp; b &#8212; c &#x2019; &bogus; &"),
            "a & b — c ’ &bogus; &"
        );
        assert_eq!(heading_level("h3"), Some(3));
        assert_eq!(heading_level("hr"), None);
    }

    #[test]
    fn blocks_keep_every_byte_and_mark_structure() {
        let html = "<div>\n<h2 id=\"t\">Time<b>line</b></h2>\n<ul><li>09:30 &ndash; <del>up</del></li></ul>\n</div>";
        let pieces = read_block(html);
        let mut rebuilt = String::new();
        for p in &pieces {
            match p {
                Piece::Raw(r) => rebuilt.push_str(&html[r.clone()]),
                Piece::HeadingStart { range, .. } => rebuilt.push_str(&html[range.clone()]),
                _ => {}
            }
        }
        assert_eq!(rebuilt, html);
        let Some(Piece::HeadingStart {
            level, id, inner, ..
        }) = pieces
            .iter()
            .find(|p| matches!(p, Piece::HeadingStart { .. }))
        else {
            panic!("{pieces:?}")
        };
        assert_eq!(
            (*level, id.as_deref(), &html[inner.clone()]),
            (2, Some("t"), "Time<b>line</b>")
        );
        let texts: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t, _) => Some(t.trim()),
                _ => None,
            })
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(texts, ["Time", "line", "09:30 –", "up"]);
        assert!(pieces.contains(&Piece::Start(Block::Item)));
        assert!(pieces.contains(&Piece::End(Block::Strike)));
        assert!(pieces.contains(&Piece::HeadingEnd));
        let items = |html: &str| {
            read_block(html)
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Start(Block::Item) => Some('('),
                    Piece::End(Block::Item) => Some(')'),
                    _ => None,
                })
                .collect::<String>()
        };
        assert_eq!(items("<ul><li>a<li>b<ul><li>c</ul></ul>"), "()(())");
        assert_eq!(items("<ol><li>a</li><li>b</li></ol>"), "()()");
    }
}
