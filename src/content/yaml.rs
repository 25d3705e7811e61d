//! The only module that calls `serde_yaml`: YAML text → [`FmValue`].
//!
//! `serde_yaml` is archived upstream; keeping every call here means
//! swapping it for another parser touches one file. Its limits against
//! alias bombs and deep nesting stay in force because we deserialize
//! through it rather than walking events ourselves.

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

/// Parses YAML front matter into a neutral value tree.
pub fn parse(text: &str) -> Result<FmValue, YamlError> {
    if text.trim().is_empty() {
        return Ok(FmValue::Map(Vec::new()));
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(value) => Ok(convert(value)),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            Err(YamlError {
                line,
                column,
                message: humanize(&e.to_string()),
            })
        }
    }
}

fn convert(value: serde_yaml::Value) -> FmValue {
    use serde_yaml::Value;
    match value {
        Value::Null => FmValue::Null,
        Value::Bool(b) => FmValue::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => FmValue::Int(i),
            None => FmValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => FmValue::Str(s),
        Value::Sequence(items) => FmValue::List(items.into_iter().map(convert).collect()),
        Value::Mapping(map) => FmValue::Map(
            map.into_iter()
                .map(|(k, v)| (key_string(k), convert(v)))
                .collect(),
        ),
        Value::Tagged(tagged) => convert(tagged.value),
    }
}

fn key_string(key: serde_yaml::Value) -> String {
    match convert(key) {
        FmValue::Str(s) => s,
        other => other.to_display(),
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
