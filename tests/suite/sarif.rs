//! `check --format sarif`: a SARIF 2.1.0 log that passes the standard's
//! JSON schema (vendored in tests/schemas/) and says what the JSON lines
//! format says, for every rule's fixture.

use std::path::Path;

use serde_json::Value;

use super::support::SiteTest;

/// The SARIF 2.1.0 schema, compiled once per test.
fn sarif_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0-rtm.5.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "file:///sarif-2.1.0-rtm.5.json";
    compiler.add_resource(url, schema).unwrap();
    let index = compiler.compile(url, &mut schemas).unwrap();
    (schemas, index)
}

fn run_json(site: &SiteTest, args: &[&str]) -> String {
    let out = site.run(args);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?}: {out:?}"
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sarif_passes_the_schema_and_matches_the_json_findings() {
    let (schemas, index) = sarif_schema();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut levels = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let site = SiteTest::new(&format!("rules/{name}"));
        let log: Value = serde_json::from_str(&run_json(&site, &["check", "--format", "sarif"]))
            .unwrap_or_else(|e| panic!("{name}: not JSON: {e}"));
        if let Err(e) = schemas.validate(&log, index) {
            panic!("{name}: the SARIF log fails the schema: {e:#}");
        }
        let json = run_json(&site, &["check", "--format", "json"]);
        let findings: Vec<Value> = json
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), findings.len(), "{name}");
        for (result, finding) in results.iter().zip(&findings) {
            let level = match finding["level"].as_str().unwrap() {
                "info" => "note",
                other => other,
            };
            levels.insert(level.to_string());
            assert_eq!(result["ruleId"], finding["rule"], "{name}");
            assert_eq!(result["level"], level, "{name}");
            assert_eq!(result["message"]["text"], finding["message"], "{name}");
            let place = &result["locations"][0]["physicalLocation"];
            assert_eq!(place["artifactLocation"]["uri"], finding["file"], "{name}");
            assert_eq!(place["region"]["startLine"], finding["line"], "{name}");
            assert_eq!(place["region"]["startColumn"], finding["column"], "{name}");
            let rules = &log["runs"][0]["tool"]["driver"]["rules"];
            let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], finding["rule"], "{name}");
            assert!(
                rule["help"]["text"].as_str().is_some_and(|t| t.len() > 20),
                "{rule}"
            );
        }
    }
    assert_eq!(
        levels.len(),
        3,
        "errors, warnings and notes covered: {levels:?}"
    );
}

#[test]
fn sarif_paths_start_at_the_root_given() {
    let site = SiteTest::new("rules/end-before-start");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .args(["check", "--format", "sarif", "--root", "site"])
        .current_dir(site.root.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert!(
        uri.as_str().is_some_and(|u| u.starts_with("site/content/")),
        "{uri}"
    );
}
