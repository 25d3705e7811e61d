//! The one table of the format's front-matter fields. Reading a file,
//! the unknown-key findings and their did-you-mean hints, the examples in
//! "missing required field" findings and the field names `site.toml` may
//! use (aliases, defaults, required fields) all come from [`FIELDS`], so a
//! new field is one row here.

use super::FrontMatter;
use super::reader::Reader;
use crate::content::schema::{Detection, Status};
use crate::content::value::FmValue;

/// Reads one field's value (absent: `None`) into the front matter.
type Read = fn(&mut Reader<'_, '_>, &'static str, Option<&FmValue>, &mut FrontMatter);

/// One key of the format.
#[derive(Clone, Copy)]
pub(crate) struct Spec {
    /// The key as written.
    pub(crate) key: &'static str,
    /// A line that sets it, shown when a required field is missing
    /// (empty: none).
    pub(crate) example: &'static str,
    /// What the value holds.
    pub(crate) shape: Shape,
    /// Reads the value.
    read: Read,
}

/// What a field's value holds.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
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
pub(crate) const FIELDS: &[Spec] = &[
    plain(
        "title",
        "title: \"Checkout returned HTTP 500\"",
        |r, key, v, fm| {
            fm.title = r.string(v, key);
        },
    ),
    plain("slug", "", |r, _, v, fm| fm.slug = r.slug(v)),
    plain("status", "", |r, key, v, fm| {
        fm.status = r
            .word(v, key, Status::parse, Status::choices)
            .unwrap_or(Status::Final);
    }),
    plain("severity", "severity: SEV2", |r, _, v, fm| {
        fm.severity = r.severity(v);
    }),
    plain("start", "start: 2024-04-18T09:30:00+02:00", stamp),
    plain("end", "end: 2024-04-18T11:00:00+02:00", stamp),
    plain("timezone", "", |r, _, v, fm| {
        fm.timezone = r.timezone(v);
        fm.timezone_invalid = fm.timezone.is_none() && v.is_some();
    }),
    plain("detected", "", stamp),
    plain("mitigated", "", stamp),
    plain("detection", "detection: monitoring", |r, key, v, fm| {
        fm.detection = r.word(v, key, Detection::parse, Detection::choices);
    }),
    Spec {
        key: "impact",
        example: IMPACT_EXAMPLE,
        shape: Shape::Fields(IMPACT),
        read: |r, _, v, fm| (fm.impact_summary, fm.users_affected_pct) = r.impact(v),
    },
    plain("services", "services: [checkout]", |r, key, v, fm| {
        fm.services = r.list(v, key);
    }),
    plain("tags", "tags: [deploy]", |r, key, v, fm| {
        fm.tags = r.list(v, key)
    }),
    plain("authors", "", |r, key, v, fm| {
        fm.authors = r.list(v, key).into_iter().map(|f| f.value).collect();
    }),
    plain("related", "", |r, key, v, fm| fm.related = r.list(v, key)),
    Spec {
        key: "action_items",
        example: "",
        shape: Shape::Items,
        read: |r, _, v, fm| fm.action_items = r.action_items(v),
    },
];

/// The fields under `impact`.
pub(crate) const IMPACT: &[Spec] = &[
    part("summary", IMPACT_EXAMPLE),
    part("users_affected_pct", "impact: { users_affected_pct: 40 }"),
];

/// The keys of an action item.
pub(crate) const ACTION_ITEM: &[Spec] = &[
    part("task", ""),
    part("owner", ""),
    part("status", ""),
    part("due", ""),
    part("kind", ""),
];

/// A field whose value is a scalar or a list of scalars.
const fn plain(key: &'static str, example: &'static str, read: Read) -> Spec {
    Spec {
        key,
        example,
        shape: Shape::Plain,
        read,
    }
}

/// A key inside a field, read with the field.
const fn part(key: &'static str, example: &'static str) -> Spec {
    plain(key, example, |_, _, _, _| {})
}

/// `start`, `end`, `detected` or `mitigated`.
fn stamp(r: &mut Reader<'_, '_>, key: &'static str, v: Option<&FmValue>, fm: &mut FrontMatter) {
    let field = r.stamp(v, key);
    match key {
        "start" => fm.start = field,
        "end" => fm.end = field,
        "detected" => fm.detected = field,
        _ => fm.mitigated = field,
    }
}

impl Spec {
    /// Reads this field from `value` into `fm`.
    pub(super) fn read(
        &self,
        r: &mut Reader<'_, '_>,
        value: Option<&FmValue>,
        fm: &mut FrontMatter,
    ) {
        (self.read)(r, self.key, value, fm);
    }
}

/// The keys of `specs`, in order.
pub(crate) fn keys(specs: &[Spec]) -> impl Iterator<Item = &'static str> + '_ {
    specs.iter().map(|s| s.key)
}

/// `` `a`, `b` and `c` ``: the keys of `specs`, for messages.
pub(crate) fn listed(specs: &[Spec]) -> String {
    let quoted: Vec<String> = keys(specs).map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The field at `path` (`start`, `impact.summary`), if the format has one
/// that `site.toml` may name.
pub(crate) fn spec(path: &str) -> Option<&'static Spec> {
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
