//! The module graph of `src/`: every top-level module uses only modules of
//! a lower layer, so no two modules use each other and nothing reaches up.
//! A new module must be given its layer here.

use std::collections::BTreeSet;
use std::path::Path;

use super::support::repo;

/// The layers, lowest first. A module may use the modules of the layers
/// below its own, never those of its own layer or above.
const LAYERS: &[&[&str]] = &[
    // Text helpers and the project's own facts.
    &["project", "text"],
    // Plain data, reading times, findings.
    &["model", "time", "diagnostic"],
    // Errors, reading files, the command line as typed.
    &["error", "input", "cli"],
    // The stages, in pipeline order.
    &["config"],
    &["content"],
    &["analysis"],
    &["validate"],
    &["output"],
    &["render"],
    // Running the stages.
    &["session"],
    &["site"],
    &["fix", "import", "scaffold"],
    &["serve"],
    &["cmd"],
    // The fuzz targets' entry points drive every stage.
    &["fuzzing"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`lib` for lib.rs).
fn top_module(rel: &Path) -> String {
    let first = rel.components().next().map_or(String::new(), |c| {
        c.as_os_str().to_string_lossy().into_owned()
    });
    first.trim_end_matches(".rs").to_string()
}

/// The modules a source text names as `crate::module`, outside comments.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `hindsight_crate::x` or `$crate::x` are not this crate's paths.
            let before = rest[..at].chars().next_back();
            if !name.is_empty()
                && !matches!(before, Some(c) if c.is_alphanumeric() || c == '_' || c == '$')
            {
                // `crate::Result` and `crate::Error` are lib.rs's
                // re-exports of the error module.
                let module = if matches!(name.as_str(), "Error" | "Result") {
                    "error".to_string()
                } else {
                    name
                };
                out.insert(module);
            }
            rest = after;
        }
    }
    out
}

#[test]
fn modules_use_only_lower_layers() {
    let src = repo().join("src");
    let mut upward = Vec::new();
    let mut unplaced = BTreeSet::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ can be walked");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).expect("a path under src/");
        let from = top_module(rel);
        if from == "lib" || from == "main" {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(path).expect("a source file is UTF-8");
        let Some(from_layer) = layer(&from) else {
            unplaced.insert(from.clone());
            continue;
        };
        for to in uses(&text) {
            if to == from {
                continue;
            }
            match layer(&to) {
                Some(to_layer) if to_layer < from_layer => {}
                Some(_) => upward.push(format!("{} uses crate::{to}", rel.display())),
                None => {
                    unplaced.insert(to);
                }
            }
        }
    }
    assert!(files > 50, "read only {files} files of src/");
    assert!(
        unplaced.is_empty(),
        "modules without a layer in tests/suite/layers.rs: {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "uses of a module of the same or a higher layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_layer_check_sees_paths_and_skips_comments() {
    let text = "use crate::model::Archive;\n// crate::serve in a comment\nlet x = crate::text::slugify(\"a\");\nmacro! { $crate::cmd }\nfn f() -> crate::Result<()> {}\n";
    let found: Vec<String> = uses(text).into_iter().collect();
    assert_eq!(found, ["error", "model", "text"]);
    assert_eq!(
        layer("serve").map(|l| l > layer("site").unwrap_or(0)),
        Some(true)
    );
}
