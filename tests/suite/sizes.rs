//! Holds the source to the sizes the layout asks for: no file of `src/`
//! over 600 lines before its tests, no function over 80 lines. Test
//! modules (`#[cfg(test)]` and their files) are not counted.

use std::path::Path;

use super::support::repo;

/// The longest a file may be, up to its `#[cfg(test)]` module.
const MAX_FILE: usize = 600;
/// The longest a function may be, from `fn` to its closing brace.
const MAX_FN: usize = 80;

/// The lines of a source file before its test module.
fn code_lines(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|l| !l.starts_with("#[cfg(test)]"))
        .collect()
}

/// Whether `line` starts a function item (not a closure or a signature
/// in a trait without a body).
fn fn_start(line: &str) -> bool {
    let t = line.trim_start();
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub(super) "))
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t);
    let t = t.strip_prefix("const ").unwrap_or(t);
    let t = t.strip_prefix("async ").unwrap_or(t);
    let t = t.strip_prefix("unsafe ").unwrap_or(t);
    t.starts_with("fn ")
}

/// Every function of `lines` longer than [`MAX_FN`], as `(name line, length)`:
/// a function ends at the first `}` line indented as its `fn` line.
fn long_functions(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !fn_start(lines[i]) {
            i += 1;
            continue;
        }
        let indent = lines[i].len() - lines[i].trim_start().len();
        // The signature ends with `{` (a body) or `;` (none).
        let mut j = i;
        while j < lines.len() && !lines[j].trim_end().ends_with(['{', ';']) {
            j += 1;
        }
        if j >= lines.len() || lines[j].trim_end().ends_with(';') {
            i = j + 1;
            continue;
        }
        let close = " ".repeat(indent) + "}";
        let end = (j + 1..lines.len())
            .find(|&k| lines[k].starts_with(&close) && lines[k][indent..].starts_with('}'))
            .unwrap_or(lines.len() - 1);
        let len = end - i + 1;
        if len > MAX_FN {
            out.push((i + 1, len));
        }
        i = end + 1;
    }
    out
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name == "tests.rs" || name.ends_with("_tests.rs")
}

#[test]
fn files_and_functions_stay_within_the_sizes_of_the_layout() {
    let src = repo().join("src");
    let mut too_long = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ can be walked");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || is_test_file(path) {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(path).expect("a source file is UTF-8");
        let rel = path
            .strip_prefix(&src)
            .expect("a path under src/")
            .display();
        let lines = code_lines(&text);
        if lines.len() > MAX_FILE {
            too_long.push(format!("src/{rel}: {} lines", lines.len()));
        }
        for (line, len) in long_functions(&lines) {
            too_long.push(format!("src/{rel}:{line}: a function of {len} lines"));
        }
    }
    assert!(files > 50, "read only {files} files of src/");
    assert!(
        too_long.is_empty(),
        "split these (files at most {MAX_FILE} lines before their tests, functions at most {MAX_FN}):\n{}",
        too_long.join("\n")
    );
}

#[test]
fn function_lengths_are_counted_from_fn_to_its_closing_brace() {
    let mut text = String::from(
        "/// doc\npub fn short() {\n    x();\n}\n\nimpl A {\n    fn long(\n        a: u8,\n    ) -> u8 {\n",
    );
    for _ in 0..MAX_FN {
        text.push_str("        a;\n");
    }
    text.push_str("    }\n\n    fn declared(&self);\n}\n");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(long_functions(&lines), [(7, MAX_FN + 4)]);
    assert_eq!(code_lines("a\n#[cfg(test)]\nmod tests {}\n"), ["a"]);
    assert!(fn_start("    pub(crate) async fn x() {") && !fn_start("let f = |x| x;"));
}
