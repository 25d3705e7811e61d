//! The parts of `site.toml` that fit an existing archive to the format:
//! `[front_matter]` (aliases, defaults, value maps) and `[validation]
//! required_fields`. Every name is checked against the schema when the
//! configuration is loaded, so a typo in a mapping is a configuration
//! error with a suggestion, not a key that is silently never used.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Fail, SeverityLevel};
use crate::error::Result;
use crate::model::fields as frontmatter;
use crate::model::schema::{Detection, Status};

/// Front-matter compatibility settings, from `[front_matter]`.
#[derive(Debug, Clone, Default)]
pub struct FrontMatterConfig {
    /// Foreign key → our field; nested fields are written `impact.summary`.
    pub aliases: BTreeMap<String, String>,
    /// Values for fields a file does not set (`severity = "SEV3"`); keys
    /// may name nested fields (`"impact.summary"`).
    pub defaults: BTreeMap<String, toml::Value>,
    /// Old vocabularies translated to ours.
    pub values: ValueMaps,
}

/// `[front_matter.values.<field>]`: words of an old vocabulary (`P1`,
/// `critical`) and the values they stand for (`SEV1`).
#[derive(Debug, Clone, Default)]
pub struct ValueMaps {
    /// Field → lowercased old word → our value, as the field spells it.
    maps: BTreeMap<&'static str, BTreeMap<String, String>>,
}

impl ValueMaps {
    /// The fields whose values can be mapped.
    pub const FIELDS: [&'static str; 3] = ["severity", "status", "detection"];

    /// Our value for `word` written in `field`, if the archive maps it
    /// (case-insensitively).
    pub fn translate(&self, field: &str, word: &str) -> Option<&str> {
        let map = self.maps.get(field)?;
        map.get(&word.trim().to_lowercase()).map(String::as_str)
    }
}

/// `[front_matter]` as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFrontMatter {
    #[serde(default)]
    aliases: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    defaults: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    values: BTreeMap<String, Spanned<BTreeMap<String, Spanned<String>>>>,
}

/// The fields a postmortem must have unless `required_fields` says
/// otherwise.
pub const DEFAULT_REQUIRED_FIELDS: [&str; 4] = ["title", "severity", "start", "end"];

/// The raw `required_fields` list.
pub(super) type RawRequired = Option<Spanned<Vec<Spanned<String>>>>;

/// Checks `required_fields`: known field names, and `start` and
/// `severity` always among them.
pub(super) fn resolve_required(raw: RawRequired, fail: &Fail<'_>) -> Result<Vec<String>> {
    let Some(list) = raw else {
        return Ok(DEFAULT_REQUIRED_FIELDS.map(String::from).to_vec());
    };
    let span = list.span();
    let mut fields: Vec<String> = Vec::new();
    for name in list.into_inner() {
        if !frontmatter::is_field(name.get_ref()) {
            let message = unknown_field("required_fields names", name.get_ref());
            return Err(fail(Some(name.span()), message));
        }
        if !fields.contains(name.get_ref()) {
            fields.push(name.into_inner());
        }
    }
    let always = [
        (
            "start",
            "the start places every incident in the archive (its date, year and month)",
        ),
        (
            "severity",
            "every incident is ranked and coloured by it; for files without one, set `[front_matter.defaults] severity = \"SEV3\"`",
        ),
    ];
    for (field, why) in always {
        if !fields.iter().any(|f| f == field) {
            let message = format!("`required_fields` must include `{field}`: {why}");
            return Err(fail(Some(span.clone()), message));
        }
    }
    Ok(fields)
}

/// Checks `[front_matter]`: aliases and defaults name fields of the
/// format, value maps translate to valid values.
pub(super) fn resolve(
    raw: RawFrontMatter,
    severities: &[SeverityLevel],
    fail: &Fail<'_>,
) -> Result<FrontMatterConfig> {
    let mut aliases = BTreeMap::new();
    for (key, target) in raw.aliases {
        if !frontmatter::is_field(target.get_ref()) {
            let what = format!("the alias `{key}` maps to");
            let message = unknown_field(&what, target.get_ref());
            return Err(fail(Some(target.span()), message));
        }
        aliases.insert(key, target.into_inner());
    }
    let mut defaults = BTreeMap::new();
    for (key, value) in raw.defaults {
        // A table (`impact = { summary = "…" }`) sets the fields inside it.
        let inner: Vec<String> = match value.get_ref() {
            toml::Value::Table(table) => table.keys().map(|k| format!("{key}.{k}")).collect(),
            _ => Vec::new(),
        };
        let unknown = std::iter::once(&key)
            .chain(&inner)
            .find(|path| !frontmatter::is_field(path));
        if let Some(path) = unknown {
            let message = unknown_field("[front_matter.defaults] sets", path);
            return Err(fail(Some(value.span()), message));
        }
        defaults.insert(key, value.into_inner());
    }
    let mut values = ValueMaps::default();
    for (field, map) in raw.values {
        let span = map.span();
        let Some(field) = ValueMaps::FIELDS.into_iter().find(|f| *f == field) else {
            let hint = crate::text::suggest(&field, ValueMaps::FIELDS)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            let message = format!(
                "`[front_matter.values.{field}]`: {hint}values can be mapped for {}",
                ValueMaps::FIELDS.join(", ")
            );
            return Err(fail(Some(span), message));
        };
        values
            .maps
            .insert(field, value_map(field, map.into_inner(), severities, fail)?);
    }
    Ok(FrontMatterConfig {
        aliases,
        defaults,
        values,
    })
}

/// One `[front_matter.values.<field>]` table, keys lowercased, targets
/// spelt as the field spells them.
fn value_map(
    field: &str,
    raw: BTreeMap<String, Spanned<String>>,
    severities: &[SeverityLevel],
    fail: &Fail<'_>,
) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for (word, target) in raw {
        let ours = match field {
            "severity" => severities
                .iter()
                .find(|s| s.id.eq_ignore_ascii_case(target.get_ref().trim()))
                .map(|s| s.id.clone()),
            "status" => Status::parse(target.get_ref()).map(|s| s.word().to_string()),
            _ => Detection::parse(target.get_ref()).map(|d| d.word().to_string()),
        };
        let Some(ours) = ours else {
            let choices = match field {
                "severity" => severities
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                "status" => Status::choices(),
                _ => Detection::choices(),
            };
            let message = format!(
                "`{word} = \"{}\"` maps to no {field}; use one of {choices}",
                target.get_ref()
            );
            return Err(fail(Some(target.span()), message));
        };
        let key = word.trim().to_lowercase();
        if map.get(&key).is_some_and(|earlier| *earlier != ours) {
            let message =
                format!("`{word}` is mapped twice (keys are matched ignoring case); keep one");
            return Err(fail(Some(target.span()), message));
        }
        map.insert(key, ours);
    }
    Ok(map)
}

/// "`{what}` `{name}`, which is not a field of the format", with the
/// closest field or the list of fields.
fn unknown_field(what: &str, name: &str) -> String {
    let fields: Vec<String> = frontmatter::field_paths().collect();
    let hint = match crate::text::suggest(name, fields.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the fields are {}", fields.join(", ")),
    };
    format!("{what} `{name}`, which is not a field of the format; {hint}")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::SiteConfig;
    use crate::config::tests::config_error;

    fn parse(text: &str) -> SiteConfig {
        SiteConfig::parse(text, Path::new("site.toml")).expect("a valid site.toml")
    }

    #[test]
    fn required_fields_default_to_the_four_of_the_format() {
        let c = parse("");
        assert_eq!(
            c.validation.required_fields,
            ["title", "severity", "start", "end"]
        );
        let c = parse(
            "[validation]\nrequired_fields = [\"severity\", \"start\", \"services\", \"start\"]\n",
        );
        assert_eq!(
            c.validation.required_fields,
            ["severity", "start", "services"]
        );
        assert!(!c.validation.requires("end") && c.validation.requires("services"));
    }

    #[test]
    fn start_and_severity_stay_required() {
        let (line, column, message) =
            config_error("[validation]\nrequired_fields = [\"title\", \"severity\"]\n");
        assert_eq!((line, column), (2, 19));
        assert!(message.contains("must include `start`"), "{message}");
        assert!(message.contains("places every incident"), "{message}");
        let (_, _, message) = config_error("[validation]\nrequired_fields = [\"start\"]\n");
        assert!(message.contains("must include `severity`"), "{message}");
        assert!(
            message.contains("[front_matter.defaults] severity = \"SEV3\""),
            "{message}"
        );
    }

    #[test]
    fn unknown_required_fields_are_named_with_a_suggestion() {
        let (line, column, message) =
            config_error("[validation]\nrequired_fields = [\"severity\", \"start\", \"ned\"]\n");
        assert_eq!((line, column), (2, 41));
        assert!(message.contains("`ned`"), "{message}");
        assert!(message.contains("did you mean `end`?"), "{message}");
    }

    #[test]
    fn aliases_may_target_nested_fields_but_only_fields() {
        let c = parse(
            "[front_matter.aliases]\nsummary = \"impact.summary\"\naffected_pct = \"impact.users_affected_pct\"\n",
        );
        assert_eq!(c.front_matter.aliases["summary"], "impact.summary");
        let (line, column, message) =
            config_error("[front_matter.aliases]\nstart_time = \"strat\"\n");
        assert_eq!((line, column), (2, 14));
        assert!(message.contains("alias `start_time`"), "{message}");
        assert!(message.contains("did you mean `start`?"), "{message}");
        let (_, _, message) =
            config_error("[front_matter.aliases]\npct = \"impact.user_affected_pct\"\n");
        assert!(
            message.contains("did you mean `impact.users_affected_pct`?"),
            "{message}"
        );
        let (_, _, message) = config_error("[front_matter.aliases]\nx = \"owner\"\n");
        assert!(message.contains("the fields are title, slug"), "{message}");
    }

    #[test]
    fn defaults_must_name_fields() {
        let c = parse("[front_matter.defaults]\n\"impact.summary\" = \"Not recorded\"\n");
        assert!(c.front_matter.defaults.contains_key("impact.summary"));
        let (line, _, message) =
            config_error("[front_matter.defaults]\ntimezone = \"UTC\"\nseverty = \"SEV3\"\n");
        assert_eq!(line, 3);
        assert!(message.contains("did you mean `severity`?"), "{message}");
        let (line, _, message) =
            config_error("[front_matter.defaults]\nimpact = { sumary = \"Unknown\" }\n");
        assert_eq!(line, 2);
        assert!(message.contains("`impact.sumary`"), "{message}");
        assert!(
            message.contains("did you mean `impact.summary`?"),
            "{message}"
        );
    }

    #[test]
    fn value_maps_match_any_case_and_spell_targets_as_the_field_does() {
        let c = parse(concat!(
            "[front_matter.values.severity]\nP1 = \"sev1\"\ncritical = \"SEV1\"\n",
            "[front_matter.values.status]\nPublished = \"Final\"\n",
            "[front_matter.values.detection]\npager = \"monitoring\"\n",
        ));
        let values = &c.front_matter.values;
        assert_eq!(values.translate("severity", "p1"), Some("SEV1"));
        assert_eq!(values.translate("severity", " CRITICAL "), Some("SEV1"));
        assert_eq!(values.translate("severity", "SEV2"), None);
        assert_eq!(values.translate("status", "published"), Some("final"));
        assert_eq!(values.translate("detection", "Pager"), Some("monitoring"));
        assert_eq!(values.translate("tags", "pager"), None);
    }

    #[test]
    fn value_maps_must_translate_to_valid_values() {
        let (line, column, message) =
            config_error("[front_matter.values.severity]\nP1 = \"SEV0\"\n");
        assert_eq!((line, column), (2, 6));
        assert!(
            message.contains("maps to no severity; use one of SEV1, SEV2, SEV3, SEV4"),
            "{message}"
        );
        let (_, _, message) = config_error("[front_matter.values.status]\nlive = \"published\"\n");
        assert!(message.contains("draft, review, final"), "{message}");
        let (_, _, message) = config_error("[front_matter.values.sevrity]\nP1 = \"SEV1\"\n");
        assert!(message.contains("did you mean `severity`?"), "{message}");
        let (_, _, message) =
            config_error("[front_matter.values.severity]\nP1 = \"SEV1\"\np1 = \"SEV2\"\n");
        assert!(message.contains("mapped twice"), "{message}");
    }
}
