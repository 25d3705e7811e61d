//! Fitting a file written for another tool to the format before its
//! fields are read: `[front_matter.aliases]` renames keys (also into
//! nested fields, `summary = "impact.summary"`), `[front_matter.defaults]`
//! fills the fields a file lacks. A renamed value keeps the place it is
//! written, so findings about it still point at the file's own line; a
//! default is placed at the nearest key the file wrote around it.

use super::super::value::{FmValue, Kind, Node};
use crate::config::FrontMatterConfig;
use crate::diagnostic::Pos;

/// Renames aliased keys and fills in defaults, returning the file's fields
/// under our names, in the order written (defaults last). A field written
/// twice (a key and an alias of it) keeps its first value; mappings are
/// merged, so a default `impact.users_affected_pct` fills in next to a
/// file's own `impact.summary`. `block` is the block's first line.
pub(super) fn apply(
    entries: Vec<(String, Node)>,
    cfg: &FrontMatterConfig,
    block: Pos,
) -> Vec<(String, Node)> {
    let mut mapped = Vec::with_capacity(entries.len() + cfg.defaults.len());
    for (key, node) in entries {
        match cfg.aliases.get(&key) {
            Some(target) if *target != key => {
                put(&mut mapped, &path_of(target), node, block, Written::InFile)
            }
            _ => put(&mut mapped, &[key.as_str()], node, block, Written::InFile),
        }
    }
    for (path, value) in &cfg.defaults {
        let node = Node::placed(FmValue::from_toml(value), None, block);
        put(&mut mapped, &path_of(path), node, block, Written::Default);
    }
    mapped
}

/// Whether a value put into the fields is the file's or a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    InFile,
    Default,
}

fn path_of(dotted: &str) -> Vec<&str> {
    dotted.split('.').collect()
}

/// Puts `node` at `path` in `map` unless a value is there already; `near`
/// is the innermost key written around `path`, where a value the file
/// does not show (a default) is placed.
fn put(map: &mut Vec<(String, Node)>, path: &[&str], mut node: Node, near: Pos, written: Written) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    match map.iter_mut().find(|(k, _)| k == first) {
        None => {
            if written == Written::Default {
                node.place_at(near);
            }
            let nested = rest.iter().rev().fold(node, |v, k| Node {
                kind: Kind::Map(vec![(k.to_string(), v)]),
                key: None,
                at: near,
            });
            map.push((first.to_string(), nested));
        }
        Some((_, existing)) => {
            let near = existing.key.unwrap_or(near);
            if rest.is_empty() && existing.key.is_none() && node.key.is_some() {
                // A mapping an alias made, now written by the file too.
                existing.key = node.key;
                existing.at = node.at;
            }
            match (&mut existing.kind, node.kind) {
                (Kind::Map(inner), kind) if !rest.is_empty() => {
                    let node = Node { kind, ..node };
                    put(inner, rest, node, near, written);
                }
                (Kind::Map(inner), Kind::Map(entries)) => {
                    for (key, v) in entries {
                        put(inner, &[key.as_str()], v, near, written);
                    }
                }
                // Set already, by the file or an earlier alias: the first
                // value wins.
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::locate::{Locator, Syntax};

    const BLOCK: Pos = Pos {
        line: 1,
        column: 1,
        len: 3,
    };

    fn config(toml: &str) -> FrontMatterConfig {
        crate::config::SiteConfig::parse(toml, std::path::Path::new("site.toml"))
            .expect("valid")
            .front_matter
    }

    /// The entries of `yaml` (a block starting on line 2), placed.
    fn placed(yaml: &str) -> Vec<(String, Node)> {
        let value = crate::content::yaml::parse(yaml).expect("valid YAML");
        match Locator::new(yaml, 2, Syntax::Yaml).place(value, BLOCK).kind {
            Kind::Map(entries) => entries,
            other => panic!("not a mapping: {other:?}"),
        }
    }

    /// A node's value without its places.
    fn plain(node: &Node) -> FmValue {
        match &node.kind {
            Kind::Scalar(v) => v.clone(),
            Kind::List(items) => FmValue::List(items.iter().map(plain).collect()),
            Kind::Map(entries) => {
                FmValue::Map(entries.iter().map(|(k, v)| (k.clone(), plain(v))).collect())
            }
        }
    }

    fn s(text: &str) -> FmValue {
        FmValue::Str(text.into())
    }

    fn get<'m>(entries: &'m [(String, Node)], key: &str) -> &'m Node {
        &entries.iter().find(|(k, _)| k == key).expect(key).1
    }

    #[test]
    fn aliases_reach_nested_fields_and_merge_with_the_files_own() {
        let cfg = config(concat!(
            "[front_matter.aliases]\nsummary = \"impact.summary\"\n",
            "pct = \"impact.users_affected_pct\"\nstart_time = \"start\"\n",
            "[front_matter.defaults]\n\"impact.users_affected_pct\" = 5\nseverity = \"SEV3\"\n",
        ));
        let yaml = concat!(
            "summary: Mail was slow\n",
            "start_time: '2024-04-18 09:30'\n",
            "impact:\n",
            "  summary: 'ignored: set by the alias first'\n",
            "pct: 40\n",
        );
        let mapped = apply(placed(yaml), &cfg, BLOCK);
        let impact = FmValue::Map(vec![
            ("summary".into(), s("Mail was slow")),
            ("users_affected_pct".into(), FmValue::Int(40)),
        ]);
        let values: Vec<(String, FmValue)> =
            mapped.iter().map(|(k, v)| (k.clone(), plain(v))).collect();
        assert_eq!(
            values,
            [
                ("impact".to_string(), impact),
                ("start".to_string(), s("2024-04-18 09:30")),
                ("severity".to_string(), s("SEV3")),
            ]
        );
        // Renamed values keep the places the file wrote them at.
        let pct = get(&mapped, "impact")
            .get("users_affected_pct")
            .expect("pct");
        assert_eq!(pct.key, Some(Pos::new(6, 1, 3)));
        assert_eq!(pct.at, Pos::new(6, 6, 2));
        let start = get(&mapped, "start");
        assert_eq!(start.key, Some(Pos::new(3, 1, 10)));
        assert_eq!(start.at, Pos::new(3, 13, 18));
        // A default the file does not show is placed at the block.
        let severity = get(&mapped, "severity");
        assert_eq!((severity.key, severity.at), (None, BLOCK));
    }

    #[test]
    fn defaults_fill_only_what_is_missing() {
        let cfg = config(
            "[front_matter.defaults]\nimpact = { summary = \"Unknown\", users_affected_pct = 0 }\n",
        );
        let mapped = apply(placed("impact:\n  summary: Own words\n"), &cfg, BLOCK);
        let merged = FmValue::Map(vec![
            ("summary".into(), s("Own words")),
            ("users_affected_pct".into(), FmValue::Int(0)),
        ]);
        assert_eq!(mapped.len(), 1);
        assert_eq!(plain(get(&mapped, "impact")), merged);
        let impact = get(&mapped, "impact");
        let own = impact.get("summary").expect("summary");
        assert_eq!(
            (own.key, own.at),
            (Some(Pos::new(3, 3, 7)), Pos::new(3, 12, 9))
        );
        // The default is placed at the key of the mapping it fills.
        let filled = impact.get("users_affected_pct").expect("default");
        assert_eq!((filled.key, filled.at), (None, Pos::new(2, 1, 6)));
    }
}
