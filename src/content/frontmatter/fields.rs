//! How each field of [`crate::model::fields::FIELDS`] is read into the
//! front matter: one reading per key.

use super::FrontMatter;
use super::reader::Reader;
use crate::content::value::Node;
use crate::model::schema::{Detection, Status};

pub(crate) use crate::model::fields::{ACTION_ITEM, FIELDS, IMPACT, Spec, keys, listed, spec};

/// Reads one field's value (absent: `None`) into the front matter.
type Read = fn(&mut Reader<'_, '_>, &'static str, Option<&Node>, &mut FrontMatter);

/// Reads the field `spec` from `value` into `fm`.
pub(super) fn read(
    spec: &Spec,
    r: &mut Reader<'_, '_>,
    value: Option<&Node>,
    fm: &mut FrontMatter,
) {
    if let Some(read) = reader(spec.key) {
        read(r, spec.key, value, fm);
    }
}

/// The reading of a top-level field; keys inside a field (`impact`'s,
/// an action item's) are read with it.
fn reader(key: &str) -> Option<Read> {
    let read: Read = match key {
        "title" => |r, key, v, fm| fm.title = r.string(v, key),
        "slug" => |r, _, v, fm| fm.slug = r.slug(v),
        "status" => |r, key, v, fm| {
            fm.status = r
                .word(v, key, Status::parse, Status::choices)
                .unwrap_or(Status::Final);
        },
        "severity" => |r, _, v, fm| fm.severity = r.severity(v),
        "start" | "end" | "detected" | "mitigated" => stamp,
        "timezone" => |r, _, v, fm| {
            fm.timezone = r.timezone(v);
            fm.timezone_invalid = fm.timezone.is_none() && v.is_some();
        },
        "detection" => |r, key, v, fm| {
            fm.detection = r.word(v, key, Detection::parse, Detection::choices);
        },
        "impact" => |r, _, v, fm| (fm.impact_summary, fm.users_affected_pct) = r.impact(v),
        "services" => |r, key, v, fm| fm.services = r.list(v, key),
        "tags" => |r, key, v, fm| fm.tags = r.list(v, key),
        "authors" => |r, key, v, fm| {
            fm.authors = r.list(v, key).into_iter().map(|f| f.value).collect();
        },
        "related" => |r, key, v, fm| fm.related = r.list(v, key),
        "action_items" => |r, _, v, fm| fm.action_items = r.action_items(v),
        _ => return None,
    };
    Some(read)
}

/// `start`, `end`, `detected` or `mitigated`.
fn stamp(r: &mut Reader<'_, '_>, key: &'static str, v: Option<&Node>, fm: &mut FrontMatter) {
    let field = r.stamp(v, key);
    match key {
        "start" => fm.start = field,
        "end" => fm.end = field,
        "detected" => fm.detected = field,
        _ => fm.mitigated = field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_table_is_read_and_nothing_else() {
        for spec in FIELDS {
            assert!(reader(spec.key).is_some(), "no reading for `{}`", spec.key);
        }
        assert!(reader("summary").is_none() && reader("task").is_none());
    }
}
