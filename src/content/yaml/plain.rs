//! A fast reader for the YAML that front matter is nearly always written
//! in: block mappings and sequences of one-line scalars and flow lists,
//! with comments. It gives exactly the value serde_yaml would, or `None`
//! as soon as the text holds anything else (anchors, tags, block or
//! multi-line scalars, flow mappings, tabs, repeated keys, errors), which
//! serde_yaml then reads. Reading front matter through serde_yaml took a
//! quarter of `hindsight check`; this takes a small part of that.

use super::super::value::FmValue;

/// The value of `text` if it is a mapping this reader understands.
pub(super) fn parse(text: &str) -> Option<FmValue> {
    let ascii = |b: &u8| *b == b'\n' || (b' '..=b'~').contains(b);
    if !(text.as_bytes().iter().all(ascii) || text.chars().all(plain_char)) {
        return None;
    }
    let lines = lines(text)?;
    let mut reader = Reader { lines, next: 0 };
    if reader.peek()?.indent != 0 {
        return None;
    }
    let value = reader.block(0)?;
    (reader.next == reader.lines.len() && matches!(value, FmValue::Map(_))).then_some(value)
}

/// Characters YAML reads as themselves: printable, no tabs, no line
/// breaks other than `\n`, no byte-order mark.
fn plain_char(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}')
        || matches!(c, '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

/// A line with content: its indentation and the rest.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    body: &'a str,
}

/// The lines with content; `None` for document markers and directives.
fn lines(text: &str) -> Option<Vec<Line<'_>>> {
    let mut out = Vec::new();
    for line in crate::text::split_lines(text) {
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        let marker = body.starts_with("---") || body.starts_with("...") || body.starts_with('%');
        if indent == 0 && marker {
            return None;
        }
        out.push(Line {
            indent,
            body: body.trim_end_matches(' '),
        });
    }
    Some(out)
}

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    next: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.next).copied()
    }

    /// The mapping or sequence whose lines start at `indent`.
    fn block(&mut self, indent: usize) -> Option<FmValue> {
        let line = self.peek()?;
        if is_item(line.body) {
            self.sequence(indent)
        } else {
            self.mapping(indent)
        }
    }

    fn mapping(&mut self, indent: usize) -> Option<FmValue> {
        let mut entries: Vec<(String, FmValue)> = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_item(line.body) {
                return None;
            }
            let (key, rest) = split_key(line.body)?;
            // A repeated key is an error serde_yaml words and places
            // (and `1:` next to `"1":`, two keys that read alike, is left
            // to it too).
            if matches!(key, FmValue::Float(_) | FmValue::Null) {
                return None;
            }
            let key = key.into_display();
            if entries.iter().any(|(k, _)| *k == key) {
                return None;
            }
            self.next += 1;
            let value = self.value(rest, indent)?;
            entries.push((key, value));
        }
        Some(FmValue::Map(entries))
    }

    /// The value after `key:` on a line at `indent`: on the same line, or
    /// the block below it (a sequence may sit at the key's own indent).
    fn value(&mut self, rest: &str, indent: usize) -> Option<FmValue> {
        let rest = if rest.starts_with('#') { "" } else { rest };
        if !rest.is_empty() {
            let value = inline(rest)?;
            // A more indented line below would continue the scalar.
            return match self.peek() {
                Some(next) if next.indent > indent => None,
                _ => Some(value),
            };
        }
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent),
            Some(next) if next.indent == indent && is_item(next.body) => self.sequence(indent),
            _ => Some(FmValue::Null),
        }
    }

    fn sequence(&mut self, indent: usize) -> Option<FmValue> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent != indent || !is_item(line.body) {
                if line.indent > indent {
                    return None;
                }
                break;
            }
            let content = line.body.strip_prefix('-')?;
            let item = content.trim_start_matches(' ');
            // An empty item, or one whose value is a block below it, is
            // left to serde_yaml, as are nested sequences.
            if item.is_empty() || item.starts_with('#') || is_item(item) {
                return None;
            }
            let column = indent + line.body.len() - item.len();
            if split_key(item).is_some() {
                // `- key: value`: a mapping whose keys line up with this one.
                self.lines[self.next] = Line {
                    indent: column,
                    body: item,
                };
                items.push(self.mapping(column)?);
            } else {
                self.next += 1;
                items.push(self.value(item, indent)?);
            }
        }
        Some(FmValue::List(items))
    }
}

/// True for a block sequence entry (`- x`, or `-` alone).
fn is_item(body: &str) -> bool {
    body == "-" || body.starts_with("- ")
}

/// Splits `key: rest`; `None` if the line is not a simple key and value.
fn split_key(body: &str) -> Option<(FmValue, &str)> {
    let (key, after) = match body.as_bytes().first()? {
        b'"' | b'\'' => {
            let (text, len) = quoted(body)?;
            (FmValue::Str(text), &body[len..])
        }
        _ => {
            let at = colon(body)?;
            let key = body[..at].trim_end_matches(' ');
            // YAML limits simple keys to 1,024 characters.
            if key.is_empty() || key.len() > 1000 || !plain_start(key) || comment_at(key).is_some()
            {
                return None;
            }
            (resolve(key)?, &body[at..])
        }
    };
    let after = after.trim_start_matches(' ').strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some((key, after.trim_start_matches(' ')))
}

/// The position of the first `:` that ends a plain key (followed by a
/// space or the end of the line).
fn colon(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' '))
}

/// `text` without a trailing `# comment` (a `#` after a space).
fn without_comment(text: &str) -> &str {
    match comment_at(text) {
        Some(i) => text[..i].trim_end_matches(' '),
        None => text,
    }
}

/// Where ` #` first occurs in `text`.
fn comment_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&i| i > 0 && bytes[i - 1] == b' ')
        .map(|i| i - 1)
}

/// True when what follows a closed value is nothing, or a comment.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
}

/// A value written on one line: a flow list, a quoted or a plain scalar.
fn inline(text: &str) -> Option<FmValue> {
    match text.as_bytes().first()? {
        b'[' => flow_list(text),
        b'"' | b'\'' => {
            let (value, len) = quoted(text)?;
            only_comment(&text[len..]).then_some(FmValue::Str(value))
        }
        _ => {
            let text = without_comment(text);
            if !plain_start(text) || colon(text).is_some() {
                return None;
            }
            resolve(text)
        }
    }
}

/// `[a, "b", 3]` on one line (no nesting, no trailing comma).
fn flow_list(text: &str) -> Option<FmValue> {
    let inner = text.strip_prefix('[')?;
    let close = inner.rfind(']')?;
    if !only_comment(&inner[close + 1..]) {
        return None;
    }
    let mut rest = inner[..close].trim_matches(' ');
    let mut items = Vec::new();
    while !rest.is_empty() {
        let (item, len) = match rest.as_bytes()[0] {
            b'"' | b'\'' => {
                let (value, len) = quoted(rest)?;
                (FmValue::Str(value), len)
            }
            _ => {
                let len = rest.find(',').unwrap_or(rest.len());
                let plain = rest[..len].trim_end_matches(' ');
                // In a flow, `-`, `?` and `:` start more than a scalar.
                let flow = |c: char| matches!(c, '[' | ']' | '{' | '}' | '#' | ':');
                if !plain_start(plain) || plain.starts_with(['-', '?']) || plain.contains(flow) {
                    return None;
                }
                (resolve(plain)?, len)
            }
        };
        items.push(item);
        rest = rest[len..].trim_start_matches(' ');
        match rest.strip_prefix(',') {
            Some(more) => {
                rest = more.trim_start_matches(' ');
                if rest.is_empty() {
                    return None;
                }
            }
            None if rest.is_empty() => {}
            None => return None,
        }
    }
    Some(FmValue::List(items))
}

/// True when `text` may start a plain scalar: not an indicator, or `-`,
/// `?`, `:` followed by something other than a space.
fn plain_start(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('-' | '?' | ':') => chars.next().is_some_and(|c| c != ' '),
        Some(c) => !matches!(
            c,
            '-' | '?'
                | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        ),
        None => false,
    }
}

/// A quoted scalar at the start of `text`, closed on this line: its value
/// and how many bytes it takes.
fn quoted(text: &str) -> Option<(String, usize)> {
    let quote = text.chars().next()?;
    // Most quoted values hold no escape: take them whole.
    let special = if quote == '"' { b'\\' } else { b'\'' };
    let body = &text.as_bytes()[1..];
    if let Some(end) = memchr::memchr(quote as u8, body)
        && !body[..end].contains(&special)
        && (quote == '"' || body.get(end + 1) != Some(&b'\''))
    {
        return Some((text[1..end + 1].to_string(), end + 2));
    }
    let mut out = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' if quote == '\'' => {
                if text[i + 1..].starts_with('\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return Some((out, i + 1));
                }
            }
            '"' if quote == '"' => return Some((out, i + 1)),
            '\\' if quote == '"' => out.push(escape(&mut chars)?),
            '\n' => return None,
            c => out.push(c),
        }
    }
    None
}

/// The character a double-quoted escape stands for; `None` for the rare
/// ones left to serde_yaml.
fn escape(chars: &mut impl Iterator<Item = (usize, char)>) -> Option<char> {
    let (_, c) = chars.next()?;
    let hex = |chars: &mut dyn Iterator<Item = (usize, char)>, n: usize| {
        let digits: String = chars.take(n).map(|(_, c)| c).collect();
        let code = (digits.len() == n)
            .then(|| u32::from_str_radix(&digits, 16).ok())
            .flatten()?;
        char::from_u32(code)
    };
    Some(match c {
        '\\' | '"' | '/' | ' ' => c,
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        'x' => hex(chars, 2)?,
        'u' => hex(chars, 4)?,
        'U' => hex(chars, 8)?,
        _ => return None,
    })
}

/// A plain scalar's value, resolved as serde_yaml resolves it; `None` for
/// integers beyond 64 bits, which it reports as errors.
fn resolve(text: &str) -> Option<FmValue> {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Some(FmValue::Null);
    }
    match text {
        "true" | "True" | "TRUE" => return Some(FmValue::Bool(true)),
        "false" | "False" | "FALSE" => return Some(FmValue::Bool(false)),
        _ => {}
    }
    // Numbers start with a digit, a sign or a point.
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Some(FmValue::Str(text.to_string()));
    }
    if let Some(int) = int(text) {
        return int;
    }
    if !leading_zero_digits(text)
        && let Some(float) = float(text)
    {
        return Some(FmValue::Float(float));
    }
    Some(FmValue::Str(text.to_string()))
}

/// An integer as serde_yaml reads one (decimal, `0x`, `0o`, `0b`, signed):
/// `Some(None)` when it is an integer too big for the front-matter tree.
fn int(text: &str) -> Option<Option<FmValue>> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    let (negative, digits) = match unsigned.strip_prefix('-') {
        Some(rest) if !text.starts_with('+') => (true, rest),
        _ => (false, unsigned),
    };
    let (radix, digits) = [("0x", 16), ("0o", 8), ("0b", 2)]
        .iter()
        .find_map(|&(p, r)| digits.strip_prefix(p).map(|d| (r, d)))
        .unwrap_or((10, digits));
    let plain = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_digit(radix));
    if !plain(digits) || (radix == 10 && leading_zero_digits(text)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok();
    Some(match (negative, magnitude) {
        (false, Some(m)) if m <= u128::from(u64::MAX) => Some(match i64::try_from(m) {
            Ok(i) => FmValue::Int(i),
            Err(_) => FmValue::Float(m as f64),
        }),
        (true, Some(m)) if m <= u128::from(i64::MAX as u64) + 1 => {
            Some(FmValue::Int((-(m as i128)) as i64))
        }
        _ => None,
    })
}

/// Digits with a leading zero (`007`): a string in YAML 1.2.
fn leading_zero_digits(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A finite float, `.inf` or `.nan`, as serde_yaml reads them.
fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (unsigned, text) {
        (".inf" | ".Inf" | ".INF", _) => return Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => return Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => return Some(f64::NAN.copysign(1.0)),
        _ => {}
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Checks that the fast reader, when it answers, answers as serde_yaml
    /// does; returns whether it answered.
    fn same_as_serde(text: &str) -> bool {
        let Some(fast) = parse(text) else {
            return false;
        };
        match super::super::parse_with_serde(text) {
            // Debug text, so that NaN equals NaN.
            Ok(slow) => assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text}"),
            Err(e) => panic!("serde_yaml refuses what the fast reader took: {e:?}\n{text}"),
        }
        true
    }

    #[test]
    fn typical_front_matter_is_read_fast_and_the_same() {
        let text = "title: \"Checkout returned HTTP 500 after a config typo\"   # required\nslug: checkout-500\nstatus: final\nseverity: SEV2\nstart: 2024-04-18T09:30:00+02:00\nend:   2024-04-18 11:00\ntimezone: Africa/Johannesburg\nimpact:\n  summary: 'Staff could not send or receive email'\n  users_affected_pct: 90\nservices: [email, \"smtp relay\"]\ntags:\n- deploy\n- corrupted-package\nauthors: []\nrelated: [mail-queue-stall-2023]\naction_items:\n  - task: \"Validate update packages before deploy\"\n    owner: platform-team\n    status: open\n    due: 2024-05-01\n    kind: prevent\n  - task: Page on queue depth\n    owner:\n";
        assert!(same_as_serde(text));
    }

    #[test]
    fn the_example_archive_is_read_fast_and_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut read = 0;
        for entry in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            if !name.ends_with(".md") || name.starts_with('_') {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let block = crate::content::frontmatter::split(&text).expect("front matter");
            assert!(same_as_serde(block.text), "{}", entry.path().display());
            read += 1;
        }
        assert!(read >= 10, "only {read} postmortems found");
    }

    #[test]
    fn scalars_resolve_as_serde_yaml_resolves_them() {
        let scalars = [
            "0",
            "007",
            "-08",
            "-3",
            "+4",
            "-0",
            "0x1F",
            "-0x1f",
            "+0x1F",
            "0o17",
            "0b101",
            "0x",
            "1e3",
            ".5",
            "1.",
            "-1.5",
            "+-5",
            "++5",
            "+.nan",
            ".inf",
            "-.Inf",
            ".NaN",
            "inf",
            "nan",
            "1_000",
            "null",
            "Null",
            "~",
            "True",
            "FALSE",
            "yes",
            "off",
            "09:30",
            "2024-05-01",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "-9223372036854775808",
            "a#b",
            "a b c",
            "it's",
            "x \"y\"",
            "é ü",
            "-x",
            "?x",
            ":x",
        ];
        for s in scalars {
            for text in [
                format!("k: {s}\n"),
                format!("k: [{s}]\n"),
                format!("{s}: v\n"),
            ] {
                same_as_serde(&text);
            }
            assert!(
                same_as_serde(&format!("k: {s}\n")),
                "{s} should be read fast"
            );
        }
    }

    #[test]
    fn anything_unusual_is_left_to_serde_yaml() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !tag v\n",
            "a: |\n  block\n",
            "a: >\n  folded\n",
            "a: plain\n  continued\n",
            "a: \"open\n  quote\"\n",
            "a: {b: 1}\n",
            "a: [b, [c]]\n",
            "a: [b,]\n",
            "a:\tb\n",
            "a: 1\na: 2\n",
            "1: a\n'1': b\n",
            "true: a\n\"true\": b\n",
            "a: b: c\n",
            "a: @x\n",
            "a: - b\n",
            "- a\n- b\n",
            "  a: 1\n",
            "a: 1\n  b: 2\n",
            "---\na: 1\n",
            "%YAML 1.2\na: 1\n",
            "a: \"\\q\"\n",
            "a: 340282366920938463463374607431768211455\n",
            "a:\n  -\n    b: 1\n",
            "a: x\u{2028}y\n",
            "? a\n: b\n",
            "1.5: x\n",
            "~: x\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn comments_quotes_and_escapes() {
        for text in [
            "a: x # note\nb: \"y # not a note\"  # note\nc: 'it''s' #n\n# full line\nd: [p, 'q r', \"s\"] # n\n",
            "a: \"\\u00e9\\x41\\t\\\\ \\\" \\/\"\n",
            "a:\n\n  # between\n  b: 1\n",
            "a: # only a note\nb: 2\n",
            "k: v\nlist:\n  - one\n  - two # n\n  - 'three'\nafter: 1\n",
            "items:\n- task: a\n  owner: b\n- task: c\n",
            "outer:\n  inner:\n    deep: 1\n  back: 2\ntop: 3\n",
            "\"quoted key\": 1\n'single': 2\n1: int\ntrue: yes\n",
        ] {
            assert!(same_as_serde(text), "{text:?}");
        }
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[a-zA-Z0-9][a-zA-Z0-9 .:/_'-]{0,14}",
            1 => prop::sample::select(vec![
                "x", "a b", "0", "007", "-3", "+4", "0x1F", "1e3", ".5", "1.", ".inf", ".nan",
                "null", "~", "True", "yes", "09:30", "2024-05-01T09:30:00Z", "a #b", "a#b", "a: b",
                "x:", "-x", "- x", "?x", ":x", "@x", "`x", "%x", "it's", "\"q \\\" e\"", "'s ''q'",
                "\"\\u00e9\"", "\"\\q\"", "[a, b]", "[]", "[a, [b]]", "['x', \"y\"]", "[a,]",
                "{a: 1}", "|", ">", "&a x", "*a", "!t x", "é", "\"a # b\"", "[\"a]\", b]", "",
            ])
            .prop_map(str::to_string),
            1 => "[a-z0-9 .:#'\"-]{0,12}",
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "title", "a b", "1", "true", "'q'", "\"dq\"", "k-2", "é", "x_y", "null", "-k", "k",
        ])
        .prop_map(str::to_string)
    }

    /// Lines of front matter: entries with scalar, nested, list and
    /// list-of-mapping values, with comments and blank lines between.
    fn document() -> impl Strategy<Value = String> {
        let entry = (
            key(),
            scalar(),
            0..6u8,
            prop::sample::select(vec!["", " # c", "#c"]),
        );
        prop::collection::vec(entry, 1..8).prop_map(|entries| {
            let mut out = String::new();
            for (key, value, shape, note) in entries {
                match shape {
                    0 => out.push_str(&format!("{key}: {value}{note}\n")),
                    1 => out.push_str(&format!("{key}:\n  inner: {value}{note}\n  other: 1\n")),
                    2 => out.push_str(&format!("{key}:\n  - {value}{note}\n  - b\n")),
                    3 => out.push_str(&format!("{key}:\n- {value}\n")),
                    4 => out.push_str(&format!("{key}:\n  - task: {value}\n    owner: o{note}\n")),
                    _ => out.push_str(&format!("\n# {value}\n{key}: [{value}]\n")),
                }
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn the_fast_reader_agrees_with_serde_yaml(text in document()) {
            same_as_serde(&text);
        }
    }
}
