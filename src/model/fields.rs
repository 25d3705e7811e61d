//! The one table of the format's front-matter fields: their keys, the
//! examples of "missing required field" findings and what each value
//! holds. The front-matter reader reads the fields in this order, unknown
//! keys and their did-you-mean hints come from it, and so do the field
//! names `site.toml` may use (aliases, defaults, required fields), so a
//! new field is one row here and its reading in `content::frontmatter`.

/// One key of the format.
#[derive(Clone, Copy)]
pub struct Spec {
    /// The key as written.
    pub key: &'static str,
    /// A line that sets it, shown when a required field is missing
    /// (empty: none).
    pub example: &'static str,
    /// What the value holds.
    pub shape: Shape,
}

/// What a field's value holds.
#[derive(Clone, Copy)]
pub enum Shape {
    /// A scalar or a list of scalars.
    Plain,
    /// A mapping of its own fields, which `site.toml` names as
    /// `impact.summary`.
    Fields(&'static [Spec]),
    /// A list of items, each a mapping with the keys of [`ACTION_ITEM`].
    Items,
}

const IMPACT_EXAMPLE: &str = "impact: { summary: \"Checkout failed for everyone\" }";

/// The fields of the format, in the documented order (which is also the
/// order messages list them in).
pub const FIELDS: &[Spec] = &[
    plain("title", "title: \"Checkout returned HTTP 500\""),
    plain("slug", ""),
    plain("status", ""),
    plain("severity", "severity: SEV2"),
    plain("start", "start: 2024-04-18T09:30:00+02:00"),
    plain("end", "end: 2024-04-18T11:00:00+02:00"),
    plain("timezone", ""),
    plain("detected", ""),
    plain("mitigated", ""),
    plain("detection", "detection: monitoring"),
    Spec {
        key: "impact",
        example: IMPACT_EXAMPLE,
        shape: Shape::Fields(IMPACT),
    },
    plain("services", "services: [checkout]"),
    plain("tags", "tags: [deploy]"),
    plain("authors", ""),
    plain("related", ""),
    Spec {
        key: "action_items",
        example: "",
        shape: Shape::Items,
    },
];

/// The fields under `impact`.
pub const IMPACT: &[Spec] = &[
    part("summary", IMPACT_EXAMPLE),
    part("users_affected_pct", "impact: { users_affected_pct: 40 }"),
];

/// The keys of an action item.
pub const ACTION_ITEM: &[Spec] = &[
    part("task", ""),
    part("owner", ""),
    part("status", ""),
    part("due", ""),
    part("kind", ""),
];

/// A field whose value is a scalar or a list of scalars.
const fn plain(key: &'static str, example: &'static str) -> Spec {
    Spec {
        key,
        example,
        shape: Shape::Plain,
    }
}

/// A key inside a field, read with the field.
const fn part(key: &'static str, example: &'static str) -> Spec {
    plain(key, example)
}

/// The keys of `specs`, in order.
pub fn keys(specs: &[Spec]) -> impl Iterator<Item = &'static str> + '_ {
    specs.iter().map(|s| s.key)
}

/// `` `a`, `b` and `c` ``: the keys of `specs`, for messages.
pub fn listed(specs: &[Spec]) -> String {
    let quoted: Vec<String> = keys(specs).map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The field at `path` (`start`, `impact.summary`), if the format has one
/// that `site.toml` may name.
pub fn spec(path: &str) -> Option<&'static Spec> {
    let (top, rest) = match path.split_once('.') {
        Some((top, rest)) => (top, Some(rest)),
        None => (path, None),
    };
    let field = FIELDS.iter().find(|s| s.key == top)?;
    match (rest, field.shape) {
        (None, _) => Some(field),
        (Some(key), Shape::Fields(inner)) => inner.iter().find(|s| s.key == key),
        (Some(_), _) => None,
    }
}

/// Every field a `site.toml` may name (aliases, defaults, required
/// fields), nested ones as `impact.summary`.
pub fn field_paths() -> impl Iterator<Item = String> {
    let top = keys(FIELDS).map(str::to_string);
    let nested = FIELDS.iter().flat_map(|field| match field.shape {
        Shape::Fields(inner) => inner
            .iter()
            .map(|s| format!("{}.{}", field.key, s.key))
            .collect(),
        _ => Vec::new(),
    });
    top.chain(nested)
}

/// Whether `path` (`start`, `impact.summary`) names a field of the format.
pub fn is_field(path: &str) -> bool {
    spec(path).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_are_fields() {
        assert!(field_paths().all(|p| is_field(&p)));
        assert!(is_field("impact.users_affected_pct") && is_field("impact"));
        for path in ["impact.pct", "summary", "start.date", "", "impact."] {
            assert!(!is_field(path), "{path}");
        }
    }

    #[test]
    fn paths_and_messages_come_from_the_table() {
        let paths: Vec<String> = field_paths().collect();
        assert_eq!(paths.len(), 18);
        assert_eq!(paths[0], "title");
        assert_eq!(paths[16..], ["impact.summary", "impact.users_affected_pct"]);
        assert!(is_field("impact.summary") && is_field("action_items"));
        assert!(!is_field("action_items.task") && !is_field("impact.x") && !is_field("x"));
        assert_eq!(
            listed(ACTION_ITEM),
            "`task`, `owner`, `status`, `due` and `kind`"
        );
        assert_eq!(listed(IMPACT), "`summary` and `users_affected_pct`");
        assert_eq!(
            spec("impact.summary").map(|s| s.example),
            Some(IMPACT_EXAMPLE)
        );
    }
}
