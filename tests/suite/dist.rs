//! How hindsight is distributed: the crate package, the README's install
//! section and the one place that names the repository, the container
//! image, and the pre-commit hooks.

use std::path::Path;
use std::process::{Command, Output};

use super::support::{SiteTest, repo, runs, skip_without, success_stdout};

/// Runs cargo on this repository with a target folder of its own, so it
/// never waits for the test run's.
fn cargo(args: &[&str], target: &Path) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(repo())
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap()
}

/// The files `include_str!`/`include_bytes!` name, relative to the
/// repository, and the folders named through `concat!`.
fn embedded_files() -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let dir = entry.path().parent().unwrap();
        for part in text.split("include_").skip(1) {
            let Some(arg) = part
                .strip_prefix("str!(")
                .or_else(|| part.strip_prefix("bytes!("))
            else {
                continue;
            };
            let arg = arg.strip_prefix("concat!(").unwrap_or(arg);
            let Some(literal) = arg.strip_prefix('"').and_then(|a| a.split('"').next()) else {
                continue;
            };
            let path = dir.join(literal);
            let path = std::fs::canonicalize(&path)
                .unwrap_or_else(|e| panic!("{}: {literal}: {e}", entry.path().display()));
            let rel = path
                .strip_prefix(std::fs::canonicalize(repo()).unwrap())
                .unwrap();
            let slash = if literal.ends_with('/') { "/" } else { "" };
            found.push(format!(
                "{}{slash}",
                rel.to_string_lossy().replace('\\', "/")
            ));
        }
    }
    found
}

#[test]
fn the_package_holds_what_the_binary_embeds_and_no_tests() {
    let target = tempfile::tempdir().unwrap();
    let out = cargo(&["package", "--list", "--allow-dirty"], target.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = list.lines().collect();
    let embedded = embedded_files();
    assert!(embedded.len() >= 8, "{embedded:?}");
    for file in &embedded {
        let covered = files
            .iter()
            .any(|f| f == file || (file.ends_with('/') && f.starts_with(file.as_str())));
        assert!(covered, "the package lacks {file}, which the binary embeds");
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(files.contains(&needed), "{needed} missing: {files:?}");
    }
    let leaked: Vec<_> = files
        .iter()
        .filter(|f| f.starts_with("tests/") || f.starts_with("bench/") || f.starts_with("content/"))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
}

#[test]
fn publish_dry_run_where_the_registry_is_reachable() {
    let target = tempfile::tempdir().unwrap();
    let out = cargo(
        &[
            "publish",
            "--dry-run",
            "--no-verify",
            "--allow-dirty",
            "--locked",
        ],
        target.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let unreachable = [
            "failed to",
            "network",
            "Couldn't resolve",
            "timed out",
            "spurious",
        ]
        .iter()
        .any(|m| stderr.contains(m))
            && (stderr.contains("index")
                || stderr.contains("registry")
                || stderr.contains("download"));
        if unreachable {
            eprintln!("SKIPPED: cargo publish --dry-run: the registry is unreachable:\n{stderr}");
            return;
        }
    }
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Uploading hindsight-archive"), "{stderr}");
}

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).unwrap()
}

#[test]
fn the_readme_install_section_is_the_release_notes() {
    let out = Command::new("bash")
        .arg(repo().join("scripts/release"))
        .arg("notes")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let notes = String::from_utf8(out.stdout).unwrap();
    let readme = readme();
    let start = readme
        .find("<!-- install:start")
        .expect("install start marker");
    let body_start = readme[start..].find('\n').unwrap() + start + 1;
    let end = readme.find("<!-- install:end").expect("install end marker");
    assert_eq!(
        readme[body_start..end].trim(),
        notes.trim(),
        "README's install section is out of date: run scripts/release readme"
    );
    for way in [
        "sha256sum",
        "cargo binstall",
        "cargo install hindsight-archive",
        "docker run",
        "uses: ",
    ] {
        assert!(notes.contains(way), "the install section lacks {way}");
    }
}

#[test]
fn only_cargo_toml_names_the_repository() {
    let url = env!("CARGO_PKG_REPOSITORY");
    let generated = {
        let readme = readme();
        let start = readme.find("<!-- install:start").unwrap();
        let end = readme.find("<!-- install:end").unwrap();
        readme[..start].to_string() + &readme[end..]
    };
    let mut files = vec![(
        "README.md (outside the install section)".to_string(),
        generated,
    )];
    for dir in ["src", "scripts", "docs", ".github", "themes"] {
        for entry in walkdir::WalkDir::new(repo().join(dir)) {
            let entry = entry.unwrap();
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                files.push((entry.path().display().to_string(), text));
            }
        }
    }
    for file in ["action.yml", "Dockerfile", ".pre-commit-hooks.yaml"] {
        files.push((
            file.into(),
            std::fs::read_to_string(repo().join(file)).unwrap(),
        ));
    }
    let host_and_owner = url.rsplit_once('/').unwrap().0;
    for (name, text) in files {
        assert!(
            !text.contains(host_and_owner),
            "{name} names the repository {url}; read it from Cargo.toml instead"
        );
    }
}

/// The Dockerfile's instructions, continuation lines joined.
fn dockerfile() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        current.push_str(line.trim_end_matches('\\'));
        current.push(' ');
        if !line.ends_with('\\') {
            let (op, args) = current.trim().split_once(' ').unwrap();
            instructions.push((op.to_uppercase(), args.trim().to_string()));
            current.clear();
        }
    }
    instructions
}

#[test]
fn dockerfile_is_multi_stage_and_ships_only_the_static_binary() {
    let instructions = dockerfile();
    let stages: Vec<usize> = (0..instructions.len())
        .filter(|&i| instructions[i].0 == "FROM")
        .collect();
    assert!(stages.len() >= 2, "multi-stage");
    let last = *stages.last().unwrap();
    assert_eq!(
        instructions[last].1, "scratch",
        "the image holds only the binary"
    );
    for (op, args) in &instructions[..last] {
        assert!(
            !(op == "FROM" && (args.contains(":latest") || !args.contains(':'))),
            "pin the base image: {args}"
        );
        assert_ne!(op, "ADD", "COPY, not ADD");
        if op == "RUN" {
            assert!(!args.contains("cd "), "WORKDIR, not cd: {args}");
            assert!(
                !args.contains("apk add") || args.contains("--no-cache"),
                "{args}"
            );
        }
    }
    let build = instructions
        .iter()
        .find(|(op, args)| op == "RUN" && args.contains("cargo build"))
        .unwrap();
    assert!(
        build.1.contains("--release") && build.1.contains("--locked"),
        "{}",
        build.1
    );
    let final_stage = &instructions[last + 1..];
    let mut binary = None;
    for (op, args) in final_stage {
        match op.as_str() {
            "COPY" => {
                assert!(args.starts_with("--from="), "only the built binary: {args}");
                binary = args.split_whitespace().last().map(str::to_string);
            }
            "WORKDIR" => assert_eq!(args, "/site"),
            "ENTRYPOINT" | "CMD" => assert!(args.starts_with('['), "exec form: {op} {args}"),
            other => panic!("{other} in the final stage"),
        }
    }
    let binary = binary.expect("the binary is copied");
    let entrypoint = final_stage
        .iter()
        .find(|(op, _)| op == "ENTRYPOINT")
        .unwrap();
    assert_eq!(entrypoint.1, format!("[\"{binary}\"]"));
    let ignore = std::fs::read_to_string(repo().join(".dockerignore")).unwrap();
    for (op, args) in &instructions[..last] {
        if op == "COPY" {
            let words: Vec<&str> = args.split_whitespace().collect();
            for source in &words[..words.len() - 1] {
                assert!(repo().join(source).exists(), "COPY {source}: no such file");
                let name = source.trim_end_matches('/');
                assert!(
                    ignore
                        .lines()
                        .any(|l| l.trim_start_matches('!').trim_end_matches('/') == name),
                    ".dockerignore leaves out {source}"
                );
            }
        }
    }
}

#[test]
fn docker_image_builds_and_runs_where_docker_is() {
    if !runs("docker", &["info"]) {
        eprintln!("SKIPPED: the container image is not built: no docker daemon here");
        return;
    }
    let tag = "hindsight-test:latest";
    let out = Command::new("docker")
        .args(["build", "-t", tag, "."])
        .current_dir(repo())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && (stderr.contains("pull") || stderr.contains("resolve")) {
        eprintln!("SKIPPED: the base image cannot be pulled here:\n{stderr}");
        return;
    }
    assert!(out.status.success(), "{stderr}");
    let site = SiteTest::new("rules/clean");
    let mount = format!("{}:/site", site.root.display());
    let out = Command::new("docker")
        .args(["run", "--rm", "-v", &mount, tag, "build"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(site.root.join("public/index.html").is_file());
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Runs the `hindsight-check-system` hook with pre-commit on `dir`. The
/// hook repository is a copy of `.pre-commit-hooks.yaml` alone, committed,
/// as pre-commit reads it from a clone: a system hook needs nothing else.
fn pre_commit(dir: &Path, home: &Path) -> Output {
    let hooks = home.join("hooks");
    if !hooks.exists() {
        std::fs::create_dir_all(&hooks).unwrap();
        std::fs::copy(
            repo().join(".pre-commit-hooks.yaml"),
            hooks.join(".pre-commit-hooks.yaml"),
        )
        .unwrap();
        git(&hooks, &["init", "-q"]);
        git(&hooks, &["add", "."]);
        git(&hooks, &["commit", "-q", "-m", "hooks"]);
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_hindsight")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("pre-commit")
        .args(["try-repo"])
        .arg(&hooks)
        .args(["hindsight-check-system", "--all-files"])
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn pre_commit_hooks_check_the_archive() {
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks = hindsight::content::yaml::parse(&hooks).unwrap();
    let text = format!("{hooks:?}");
    for needed in [
        "hindsight-check",
        "hindsight-check-system",
        "\"rust\"",
        "\"system\"",
    ] {
        assert!(text.contains(needed), "{needed} missing: {text}");
    }
    if skip_without(
        "pre-commit (apt-get install pre-commit)",
        runs("pre-commit", &["--version"]),
    ) {
        return;
    }
    let site = SiteTest::new("rules/clean");
    let home = tempfile::tempdir().unwrap();
    git(&site.root, &["init", "-q"]);
    git(&site.root, &["add", "."]);
    let out = pre_commit(&site.root, home.path());
    let stdout = success_stdout(&out);
    assert!(
        stdout.contains("hindsight check") && stdout.contains("Passed"),
        "{stdout}"
    );

    let file = "content/2024-05-02-search-latency.md";
    let body = std::fs::read_to_string(site.root.join(file)).unwrap();
    site.write(
        file,
        &body.replace("end: 2024-05-02T11:00:00Z", "end: 2024-05-02T09:00:00Z"),
    );
    git(&site.root, &["add", "."]);
    let out = pre_commit(&site.root, home.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[end-before-start]"), "{stdout}");
}
