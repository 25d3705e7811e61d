//! Findings as SARIF 2.1.0, the format GitHub code scanning reads: one
//! run, every rule with its id and help text, one result per finding with
//! its file, line and column.

use std::io::{self, Write};
use std::path::{Component, Path};

use serde::Serialize;
use serde_json::{Value, json};

use super::{Diagnostic, Level, Rule};
use crate::project;

/// Writes `diagnostics` as one SARIF log. Their files are relative to the
/// site root `root`, which is put in front of each file's URI so that
/// code scanning finds the files from the repository's root when the site
/// is a folder of it (`--root docs/incidents`). Results are serialized
/// one at a time, so a log of many thousand findings is never held whole.
pub fn write(out: &mut dyn Write, diagnostics: &[Diagnostic], root: &Path) -> io::Result<()> {
    let base = uri_base(root);
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: json!({"driver": {
                "name": "hindsight",
                "version": project::VERSION,
                "semanticVersion": project::VERSION,
                "informationUri": project::REPOSITORY,
                "rules": Rule::ALL.iter().map(|r| rule(*r)).collect::<Vec<_>>(),
            }}),
            // hindsight counts columns in characters.
            column_kind: "unicodeCodePoints",
            results: Results {
                diagnostics,
                base: &base,
            },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Value,
    column_kind: &'static str,
    results: Results<'a>,
}

/// The findings, turned into SARIF results as they are written.
struct Results<'a> {
    diagnostics: &'a [Diagnostic],
    base: &'a str,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.diagnostics.iter().map(|d| result(d, self.base)))
    }
}

fn rule(rule: Rule) -> Value {
    json!({
        "id": rule.id(),
        "shortDescription": {"text": help(rule)},
        "help": {"text": format!("{}. See the rule table in hindsight's README.", help(rule))},
        "helpUri": format!("{}#rules", project::REPOSITORY),
        "defaultConfiguration": {"level": level(rule.default_level())},
    })
}

fn result(d: &Diagnostic, base: &str) -> Value {
    let mut location = json!({"artifactLocation": {"uri": format!("{base}{}", encode(&d.file))}});
    if d.line > 0 {
        location["region"] = json!({
            "startLine": d.line,
            "startColumn": d.column.max(1),
            "endColumn": d.column.max(1) + d.len.max(1),
        });
    }
    let index = Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
    json!({
        "ruleId": d.rule.id(),
        "ruleIndex": index,
        "level": level(d.level),
        "message": {"text": d.message},
        "locations": [{"physicalLocation": location}],
    })
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// The URI prefix of files under `root`: a relative path for a relative
/// root (empty for the current folder), a `file://` URI for an absolute one.
fn uri_base(root: &Path) -> String {
    let mut base = String::new();
    if root.is_absolute() {
        base.push_str("file://");
    }
    for part in root.components() {
        match part {
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => base.push('/'),
            other => {
                base.push_str(&encode(&other.as_os_str().to_string_lossy()));
                base.push('/');
            }
        }
    }
    base
}

/// Percent-encodes what may not stand in a URI path as it is.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What each rule finds, as the README's rule table says it.
fn help(rule: Rule) -> &'static str {
    match rule {
        Rule::FrontMatter => "missing, unterminated, or invalid YAML/TOML",
        Rule::FieldType => "wrong type, unknown value (severity, status, …) or an empty list item",
        Rule::MissingField => {
            "a field of `required_fields` missing (default title, severity, start, end)"
        }
        Rule::UnknownField => "a key the schema does not know (with a suggestion)",
        Rule::Timezone => {
            "no offset and no `timezone`, unknown zone, or an abbreviation in front matter; a warning when the text states a zone that disagrees with `timezone`, or writes an abbreviation it does not resolve"
        }
        Rule::EndBeforeStart => "end ≤ start, or detected/mitigated outside start..end",
        Rule::DuplicateSlug => "two files with the same slug",
        Rule::UnknownRelated => "`related` names a slug that does not exist",
        Rule::MissingSection => "a required section is absent (with near-miss suggestion)",
        Rule::DuplicateSection => "the same section twice",
        Rule::TimelineOrder => "an event earlier than the one before it",
        Rule::TimelineWindow => "an event far outside start..end (`timeline_slack`)",
        Rule::TimelineEmpty => "no timed event in the Timeline",
        Rule::WordCount => "body outside `word_count` (default 400..600)",
        Rule::Impact => "no impact summary or share of users",
        Rule::ActionOwner => "an action item without owner, or open past its due date",
        Rule::Blame => "blaming or counterfactual wording (`blame_words`)",
        Rule::Clock => "an impossible time (`14:00 PM`, `25:10`) or an ambiguous date (`11/3/23`)",
        Rule::BrokenLink => "an internal link or anchor that does not resolve in the built site",
        Rule::HeadingStyle => {
            "a section written as a plain or bold line instead of a heading (once per file)"
        }
        Rule::DuplicateAction => {
            "an action item in front matter and in the body that disagree on status or due date"
        }
        Rule::Placeholder => {
            "a placeholder time (`HH:MM`, `14:??`) left out of the timeline; never fails a check"
        }
        Rule::SlugCollision => "two spellings of a tag or service that share a page",
        Rule::ReadError => {
            "a file that cannot be read (permissions, not UTF-8, binary, symlink out of `content/`)"
        }
        // Reported by `serve` only, never in a check's log.
        Rule::Config | Rule::Template | Rule::Build => "a rebuild that failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Pos;

    #[test]
    fn help_text_is_the_readme_rule_table() {
        let readme = include_str!("../../README.md");
        for rule in Rule::ALL {
            let row = format!(
                "| `{}` | {} | {} |",
                rule.id(),
                rule.default_level(),
                help(*rule)
            );
            assert!(readme.contains(&row), "README has no row {row}");
        }
    }

    #[test]
    fn uris_start_at_the_root_given() {
        assert_eq!(uri_base(Path::new(".")), "");
        assert_eq!(uri_base(Path::new("./docs/incidents")), "docs/incidents/");
        assert_eq!(
            uri_base(Path::new("/srv/my site")),
            "file:///srv/my%20site/"
        );
        assert_eq!(
            encode("content/2024/a b#c%.md"),
            "content/2024/a%20b%23c%25.md"
        );
        assert_eq!(encode("content/é.md"), "content/%C3%A9.md");
    }

    #[test]
    fn results_carry_rule_level_and_region() {
        let d = Diagnostic::new(
            Rule::Blame,
            "content/a.md",
            Pos::new(12, 3, 5),
            "blaming words",
        );
        let mut out = Vec::new();
        write(&mut out, &[d], Path::new("docs")).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "blame");
        assert_eq!(result["level"], "warning");
        let rules = &log["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(
            rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "blame"
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "docs/content/a.md");
        assert_eq!(location["region"]["startLine"], 12);
        assert_eq!(
            (
                location["region"]["startColumn"].as_u64(),
                location["region"]["endColumn"].as_u64()
            ),
            (Some(3), Some(8))
        );
    }
}
