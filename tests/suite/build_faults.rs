//! `build` against the faults a hostile test run found: concurrent builds,
//! special files in `content/`, an output that is a symlink, a mount point
//! or read-only, readers during the swap.

use std::path::Path;
use std::process::{Command, Output};

use super::support::{SiteTest, snapshot};

/// The basic fixture with `extra` more incidents, so a build takes long
/// enough for another to overlap it.
pub fn bulk_site(extra: usize) -> SiteTest {
    let site = SiteTest::new("basic");
    let template =
        std::fs::read_to_string(site.root.join("content/2022/2022-06-10-cdn-cache.md")).unwrap();
    for i in 0..extra {
        site.write(
            &format!("content/bulk/2021-01-01-bulk-{i}.md"),
            &template.replace("2022-06-10", "2021-01-01"),
        );
    }
    site
}

fn build(root: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .arg("build")
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn ok(out: &Output) -> bool {
    out.status.success()
}

#[test]
fn two_builds_into_one_output_never_leave_a_partial_site() {
    // Before builds took turns, 11 of 12 rounds failed.
    const ROUNDS: usize = 6;
    let site = bulk_site(300);
    let first = site.run(&["build"]);
    assert!(ok(&first), "{first:?}");
    let complete = snapshot(&site.output("")).len();
    let mut failed = Vec::new();
    for round in 0..ROUNDS {
        let (a, b) = (build(&site.root), build(&site.root));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let files = snapshot(&site.output("")).len();
        if !ok(&a) || !ok(&b) || files != complete {
            failed.push(format!(
                "round {round}: exit {:?}/{:?}, {files} of {complete} files; {}{}",
                a.status.code(),
                b.status.code(),
                String::from_utf8_lossy(&a.stderr),
                String::from_utf8_lossy(&b.stderr)
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {ROUNDS} rounds failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("hindsight-tmp") || n.contains("hindsight-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
