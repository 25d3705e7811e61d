//! Reading fields through the archive's `site.toml`: required fields,
//! aliases into nested fields, value maps, empty list items.

use std::path::Path;

use super::*;

/// Reads the YAML fields `yaml` as the front matter of a file of a site
/// configured by `site_toml`; findings as `line:column rule message`.
fn read_with(site_toml: &str, yaml: &str) -> (FrontMatter, Vec<String>) {
    let cfg = SiteConfig::parse(site_toml, Path::new("site.toml")).expect("valid site.toml");
    let text = format!("---\n{yaml}---\n");
    let block = split(&text).expect("a block");
    let mut findings = Findings::new("content/x.md");
    let value = parse_block(&block, &mut findings).expect("valid YAML");
    let fm = read(value, &block, &cfg, &mut findings);
    let found = findings
        .list
        .iter()
        .map(|d| format!("{}:{} {} {}", d.line, d.column, d.rule, d.message))
        .collect();
    (fm, found)
}

const TIMES: &str = "start: 2024-05-02T10:00:00Z\nend: 2024-05-02T11:00:00Z\n";

#[test]
fn empty_strings_in_lists_are_errors_at_the_item() {
    let yaml = format!(
        "title: x\nseverity: SEV3\n{TIMES}services: [\"\"]\ntags: [api, \"\"]\nauthors: \"  \"\n"
    );
    let (fm, found) = read_with("", &yaml);
    assert_eq!(
        found,
        [
            "6:12 field-type `services[0]` is an empty string; write a name or remove the item",
            "7:13 field-type `tags[1]` is an empty string; write a name or remove the item",
            "8:10 field-type `authors` is an empty string; write a list like `authors: [name]`, or leave the field out",
        ]
    );
    assert!(fm.services.is_empty() && fm.authors.is_empty());
    assert_eq!(fm.tags.len(), 1);
    assert_eq!(fm.tags[0].value, "api");
}

#[test]
fn required_fields_come_from_site_toml() {
    let (fm, found) = read_with(
        "",
        "title: x\nseverity: SEV3\nstart: 2024-05-02T10:00:00Z\n",
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("1:1 missing-field missing required field `end`"),
        "{found:?}"
    );
    assert!(fm.end.is_none());
    let toml = "[validation]\nrequired_fields = [\"severity\", \"start\", \"impact.summary\"]\n";
    let (fm, found) = read_with(toml, "severity: SEV3\nstart: 2024-05-02T10:00:00Z\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("missing required field `impact.summary`"),
        "{found:?}"
    );
    assert!(fm.title.is_none() && fm.end.is_none());
}

#[test]
fn aliases_fill_nested_fields_and_findings_point_at_the_alias() {
    let toml = "[front_matter.aliases]\nsummary = \"impact.summary\"\naffected_pct = \"impact.users_affected_pct\"\n";
    let yaml =
        format!("title: x\nseverity: SEV3\n{TIMES}summary: Mail was slow\naffected_pct: 40\n");
    let (fm, found) = read_with(toml, &yaml);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(fm.impact_summary.as_deref(), Some("Mail was slow"));
    assert_eq!(fm.users_affected_pct, Some(40.0));
    let yaml = format!("title: x\nseverity: SEV3\n{TIMES}affected_pct: 140\n");
    let (_, found) = read_with(toml, &yaml);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("6:15 field-type"), "{found:?}");
}

#[test]
fn value_maps_translate_old_words() {
    let toml = concat!(
        "[front_matter.values.severity]\nP1 = \"SEV1\"\n",
        "[front_matter.values.status]\npublished = \"final\"\n",
        "[front_matter.values.detection]\npager = \"monitoring\"\n",
    );
    let yaml = format!("title: x\nseverity: p1\nstatus: Published\ndetection: PAGER\n{TIMES}");
    let (fm, found) = read_with(toml, &yaml);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(fm.severity.map(|f| f.value).as_deref(), Some("SEV1"));
    assert_eq!(fm.status, Status::Final);
    assert_eq!(fm.detection, Some(Detection::Monitoring));
    let (_, found) = read_with(toml, &format!("title: x\nseverity: P2\n{TIMES}"));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("3:11 field-type unknown severity `P2`")
            && found[0].contains("[front_matter.values.severity]"),
        "{found:?}"
    );
}
