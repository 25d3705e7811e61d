//! Reading fields as a file and its archive's `site.toml` write them.

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
