//! Fitting a file written for another tool to the format before its
//! fields are read: `[front_matter.aliases]` renames keys (also into
//! nested fields, `summary = "impact.summary"`), `[front_matter.defaults]`
//! fills the fields a file lacks. The keys as written are remembered, so
//! findings about a renamed field still point at the file's own line.

use super::super::locate::Seg;
use super::super::value::FmValue;
use crate::config::FrontMatterConfig;

/// A file's fields under our names.
#[derive(Debug, Default)]
pub(super) struct Mapped {
    /// Our fields, in the order written (defaults last).
    pub(super) entries: Vec<(String, FmValue)>,
    /// Our field path (`impact.summary`) → the key as written, for each
    /// key the file wrote under an alias.
    pub(super) written: Vec<(String, String)>,
}

/// Renames aliased keys and fills in defaults. A field written twice (a
/// key and an alias of it) keeps its first value; mappings are merged, so
/// a default `impact.users_affected_pct` fills in next to a file's own
/// `impact.summary`.
pub(super) fn apply(entries: Vec<(String, FmValue)>, cfg: &FrontMatterConfig) -> Mapped {
    let mut mapped = Mapped {
        entries: Vec::with_capacity(entries.len() + cfg.defaults.len()),
        written: Vec::new(),
    };
    for (key, value) in entries {
        match cfg.aliases.get(&key) {
            Some(target) if *target != key => {
                put(&mut mapped.entries, &path_of(target), value);
                mapped.written.push((target.clone(), key));
            }
            _ => put(&mut mapped.entries, &[key.as_str()], value),
        }
    }
    for (path, value) in &cfg.defaults {
        put(
            &mut mapped.entries,
            &path_of(path),
            FmValue::from_toml(value),
        );
    }
    mapped
}

fn path_of(dotted: &str) -> Vec<&str> {
    dotted.split('.').collect()
}

/// Puts `value` at `path` in `map` unless a value is there already.
fn put(map: &mut Vec<(String, FmValue)>, path: &[&str], value: FmValue) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match map.iter_mut().find(|(k, _)| k == first) {
        None => {
            let nested = rest
                .iter()
                .rev()
                .fold(value, |v, k| FmValue::Map(vec![(k.to_string(), v)]));
            map.push((first.to_string(), nested));
        }
        Some((_, FmValue::Map(inner))) if !rest.is_empty() => put(inner, rest, value),
        Some((_, FmValue::Map(inner))) => {
            if let FmValue::Map(entries) = value {
                for (key, v) in entries {
                    put(inner, &[key.as_str()], v);
                }
            }
        }
        // Set already, by the file or an earlier alias: the first value wins.
        Some(_) => {}
    }
}

/// `path` (into our fields) as written in the file: the longest leading
/// part that an alias renamed is replaced by the key the file used.
pub(super) fn as_written<'p>(written: &'p [(String, String)], path: &[Seg<'p>]) -> Vec<Seg<'p>> {
    if written.is_empty() {
        return path.to_vec();
    }
    for n in (1..=path.len()).rev() {
        let ours = super::reader::path_name(&path[..n]);
        if let Some((_, key)) = written.iter().find(|(o, _)| *o == ours) {
            let mut out = vec![Seg::Key(key.as_str())];
            out.extend_from_slice(&path[n..]);
            return out;
        }
    }
    path.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> FrontMatterConfig {
        crate::config::SiteConfig::parse(toml, std::path::Path::new("site.toml"))
            .expect("valid")
            .front_matter
    }

    fn s(text: &str) -> FmValue {
        FmValue::Str(text.into())
    }

    #[test]
    fn aliases_reach_nested_fields_and_merge_with_the_files_own() {
        let cfg = config(concat!(
            "[front_matter.aliases]\nsummary = \"impact.summary\"\n",
            "pct = \"impact.users_affected_pct\"\nstart_time = \"start\"\n",
            "[front_matter.defaults]\n\"impact.users_affected_pct\" = 5\nseverity = \"SEV3\"\n",
        ));
        let entries = vec![
            ("summary".to_string(), s("Mail was slow")),
            ("start_time".to_string(), s("2024-04-18 09:30")),
            (
                "impact".to_string(),
                FmValue::Map(vec![(
                    "summary".into(),
                    s("ignored: set by the alias first"),
                )]),
            ),
            ("pct".to_string(), FmValue::Int(40)),
        ];
        let mapped = apply(entries, &cfg);
        let impact = FmValue::Map(vec![
            ("summary".into(), s("Mail was slow")),
            ("users_affected_pct".into(), FmValue::Int(40)),
        ]);
        assert_eq!(
            mapped.entries,
            [
                ("impact".to_string(), impact),
                ("start".to_string(), s("2024-04-18 09:30")),
                ("severity".to_string(), s("SEV3")),
            ]
        );
        let path = [Seg::Key("impact"), Seg::Key("users_affected_pct")];
        assert_eq!(as_written(&mapped.written, &path), [Seg::Key("pct")]);
        let path = [Seg::Key("start")];
        assert_eq!(as_written(&mapped.written, &path), [Seg::Key("start_time")]);
        let path = [Seg::Key("tags"), Seg::Index(1)];
        assert_eq!(as_written(&mapped.written, &path), path);
    }

    #[test]
    fn defaults_fill_only_what_is_missing() {
        let cfg = config(
            "[front_matter.defaults]\nimpact = { summary = \"Unknown\", users_affected_pct = 0 }\n",
        );
        let own = FmValue::Map(vec![("summary".into(), s("Own words"))]);
        let mapped = apply(vec![("impact".to_string(), own)], &cfg);
        let merged = FmValue::Map(vec![
            ("summary".into(), s("Own words")),
            ("users_affected_pct".into(), FmValue::Int(0)),
        ]);
        assert_eq!(mapped.entries, [("impact".to_string(), merged)]);
        assert!(mapped.written.is_empty());
    }
}
