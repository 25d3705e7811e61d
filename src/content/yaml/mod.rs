//! The only module that calls `serde_yaml`: YAML text → [`FmValue`].
//!
//! `serde_yaml` is archived upstream; keeping every call here means
//! swapping it for another parser touches one file. Its limits against
//! alias bombs and deep nesting stay in force because we deserialize
//! through it rather than walking events ourselves.

mod plain;

use super::value::FmValue;

/// A YAML syntax error with its place in the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the YAML text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The parser's explanation, made readable.
    pub message: String,
}

/// Parses YAML front matter into a neutral value tree: the plain kind
/// that nearly every postmortem uses by a fast reader of our own
/// (`plain`), anything else by serde_yaml, with the same result.
///
/// This is the one place that chooses the reader. The fast one must give
/// exactly serde_yaml's value or decline; its differential property test
/// holds it to that. It stays because it pays: serde_yaml for every file
/// costs `check` 55 % more instructions at 10,000 postmortems
/// (BENCHMARKS.md).
pub fn parse(text: &str) -> Result<FmValue, YamlError> {
    if text.trim().is_empty() {
        return Ok(FmValue::Map(Vec::new()));
    }
    match plain::parse(text) {
        Some(value) => Ok(value),
        None => parse_with_serde(text),
    }
}

/// Parses with serde_yaml (every YAML construct, and its error messages).
fn parse_with_serde(text: &str) -> Result<FmValue, YamlError> {
    let repeated = std::cell::RefCell::new(None);
    let seed = Tree {
        repeated: &repeated,
    };
    match serde::de::DeserializeSeed::deserialize(seed, serde_yaml::Deserializer::from_str(text)) {
        Ok(value) => Ok(value),
        Err(e) => {
            let (mut line, mut column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            // The parser places a repeated key at the start of its mapping:
            // point at the repeat instead.
            if let Some(at) = repeated
                .take()
                .and_then(|key: String| second_key_line(text, line, &key))
            {
                (line, column) = at;
            }
            Err(YamlError {
                line,
                column,
                message: humanize(&e.to_string()),
            })
        }
    }
}

/// The line and column of the second `key:` at one indentation from line
/// `from` on (both 1-based).
fn second_key_line(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let mut indent = None;
    for (n, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let body = line.trim_start_matches(' ');
        let rest = body
            .strip_prefix(key)
            .or_else(|| body.strip_prefix(&format!("\"{key}\"")))
            .or_else(|| body.strip_prefix(&format!("'{key}'")));
        if !rest.is_some_and(|r| r.trim_start_matches(' ').starts_with(':')) {
            continue;
        }
        let here = line.len() - body.len();
        match indent {
            None => indent = Some(here),
            Some(first) if first == here => return Some((n + 1, here + 1)),
            Some(_) => {}
        }
    }
    None
}

/// Deserializes an [`FmValue`] straight from the parser's events, without
/// building `serde_yaml::Value` (and its hashed mappings) first, and notes
/// the key when a mapping repeats one.
#[derive(Clone, Copy)]
struct Tree<'a> {
    repeated: &'a std::cell::RefCell<Option<String>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Tree<'_> {
    type Value = FmValue;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<FmValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Tree<'_> {
    type Value = FmValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<FmValue, E> {
        Ok(FmValue::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<FmValue, E> {
        Ok(FmValue::Int(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<FmValue, E> {
        Ok(i64::try_from(u).map_or(FmValue::Float(u as f64), FmValue::Int))
    }

    fn visit_f64<E>(self, f: f64) -> Result<FmValue, E> {
        Ok(FmValue::Float(f))
    }

    fn visit_str<E>(self, s: &str) -> Result<FmValue, E> {
        Ok(FmValue::Str(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<FmValue, E> {
        Ok(FmValue::Str(s))
    }

    fn visit_unit<E>(self) -> Result<FmValue, E> {
        Ok(FmValue::Null)
    }

    fn visit_none<E>(self) -> Result<FmValue, E> {
        Ok(FmValue::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<FmValue, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FmValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(FmValue::List(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FmValue, A::Error> {
        let mut entries: Vec<(String, FmValue)> = Vec::new();
        let mut seen = SeenKeys::default();
        while let Some(key) = map.next_key_seed(self)? {
            if !seen.insert(&key) {
                let message = duplicate_message(&key);
                *self.repeated.borrow_mut() = Some(key.to_display());
                return Err(serde::de::Error::custom(message));
            }
            let value = map.next_value_seed(self)?;
            entries.push((key.into_display(), value));
        }
        Ok(FmValue::Map(entries))
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<FmValue, A::Error> {
        // A tagged value (`!tag value`): the tag is dropped.
        use serde::de::VariantAccess;
        let (_tag, contents): (String, _) = data.variant()?;
        contents.newtype_variant_seed(self)
    }
}

/// The keys of one mapping so far, as written (`1` and `"1"` differ):
/// scanned while few, hashed once there are many.
#[derive(Default)]
struct SeenKeys {
    few: Vec<FmValue>,
    many: std::collections::HashSet<String>,
}

impl SeenKeys {
    /// Records `key`; false if it was already there.
    fn insert(&mut self, key: &FmValue) -> bool {
        const FEW: usize = 16;
        if self.many.is_empty() && self.few.len() < FEW {
            if self.few.contains(key) {
                return false;
            }
            self.few.push(key.clone());
            return true;
        }
        if self.many.is_empty() {
            self.many = self.few.drain(..).map(|k| format!("{k:?}")).collect();
        }
        self.many.insert(format!("{key:?}"))
    }
}

/// serde_yaml's wording for a repeated key.
fn duplicate_message(key: &FmValue) -> String {
    match key {
        FmValue::Null => "duplicate entry with null key".to_string(),
        FmValue::Bool(b) => format!("duplicate entry with key `{b}`"),
        FmValue::Int(_) | FmValue::Float(_) => {
            format!("duplicate entry with key {}", key.to_display())
        }
        FmValue::Str(s) => format!("duplicate entry with key {s:?}"),
        FmValue::List(_) | FmValue::Map(_) => "duplicate entry in YAML map".to_string(),
    }
}

/// Turns serde_yaml's wording into advice a writer can act on.
fn humanize(raw: &str) -> String {
    // Drop the " at line X column Y" suffix: we report the place ourselves.
    let message = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let advice = if message.contains("did not find expected key")
        || message.contains("could not find expected ':'")
    {
        "; check the indentation and that each line is `key: value` (quote values that contain `: ` or start with a special character)"
    } else if message.contains("found character that cannot start any token") {
        "; YAML does not allow tabs for indentation and reserves characters like `@` and `` ` `` at the start of a value: use spaces, or quote the value"
    } else if message.contains("duplicate entry") {
        "; each key may appear only once: remove or merge the duplicate"
    } else if message.contains("mapping values are not allowed") {
        "; check this line's indentation, and quote values that contain `: `"
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        "; the front matter nests or repeats aliases too deeply, write the values out plainly"
    } else if message.contains("did not find expected")
        || message.contains("found unexpected end of stream")
    {
        "; a quote or bracket is probably not closed"
    } else {
        ""
    };
    format!("invalid YAML: {message}{advice}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let v = parse("title: \"x\"\nn: 3\nf: 1.5\nb: true\nl: [a, 2]\nm:\n  k: ~\n").unwrap();
        assert_eq!(
            v,
            FmValue::Map(vec![
                ("title".into(), FmValue::Str("x".into())),
                ("n".into(), FmValue::Int(3)),
                ("f".into(), FmValue::Float(1.5)),
                ("b".into(), FmValue::Bool(true)),
                (
                    "l".into(),
                    FmValue::List(vec![FmValue::Str("a".into()), FmValue::Int(2)])
                ),
                ("m".into(), FmValue::Map(vec![("k".into(), FmValue::Null)])),
            ])
        );
    }

    #[test]
    fn timestamps_stay_strings() {
        let v = parse("start: 2024-04-18T09:30:00+02:00\ndue: 2024-05-01\n").unwrap();
        assert_eq!(
            v.get("start"),
            Some(&FmValue::Str("2024-04-18T09:30:00+02:00".into()))
        );
        assert_eq!(v.get("due"), Some(&FmValue::Str("2024-05-01".into())));
    }

    #[test]
    fn errors_have_places_and_advice() {
        let e = parse("title: a\nseverity: SEV2\n  bad: indent\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("invalid YAML: "), "{}", e.message);
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert!(e.message.contains("only once"), "{}", e.message);
        let e = parse("a:\n\t- x\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("tabs"), "{}", e.message);
    }

    #[test]
    fn repeated_keys_are_refused_in_short_and_long_maps() {
        let e = parse("title: a\nn: 1\ntitle: b\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e:?}");
        assert!(e.message.contains("\"title\""), "{}", e.message);
        let e = parse("title: a\nimpact:\n  summary: x\n  users: 3\n  summary: y\n").unwrap_err();
        assert_eq!((e.line, e.column), (5, 3), "{e:?}");
        // Keys of different types are different keys.
        let v = parse("1: int\n\"1\": text\n").unwrap();
        assert_eq!(v.get("1"), Some(&FmValue::Str("int".into())));
        let mut long: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(parse(&long).is_ok());
        long.push_str("k7: again\n");
        let e = parse(&long).unwrap_err();
        assert_eq!(e.line, 41, "{e:?}");
        assert!(e.message.contains("\"k7\""), "{}", e.message);
    }

    #[test]
    fn tags_are_dropped_and_big_numbers_become_floats() {
        let v = parse("a: !custom text\nb: 18446744073709551615\nc: -3\n").unwrap();
        assert_eq!(v.get("a"), Some(&FmValue::Str("text".into())));
        assert_eq!(v.get("b"), Some(&FmValue::Float(18446744073709551615.0)));
        assert_eq!(v.get("c"), Some(&FmValue::Int(-3)));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (i, prev) in ('b'..='j').zip('a'..='i') {
            bomb.push_str(&format!("{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("repetition limit"), "{}", e.message);
    }
}
