//! `SiteTest`: a fixture site copied to a temporary folder, built with the
//! library, and queried with `scraper` selectors.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use hindsight::site::{self, BuildReport, SiteOptions};
use scraper::{ElementRef, Html, Selector};

/// A fixture site in a temporary folder.
pub struct SiteTest {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// The date tests build "as of", so overdue logic is stable.
pub const TODAY: &str = "2026-01-01";

impl SiteTest {
    /// Copies `tests/fixtures/<name>` into a temporary folder.
    pub fn new(name: &str) -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            &root,
        );
        SiteTest { _dir: dir, root }
    }

    /// A copy of the bundled example archive (the repository's own
    /// `site.toml` and `content/`).
    pub fn example() -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &root.join("content"));
        std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
        SiteTest { _dir: dir, root }
    }

    /// Options for this site, as of [`TODAY`].
    pub fn options(&self) -> SiteOptions {
        SiteOptions {
            today: Some(TODAY.parse().unwrap()),
            ..SiteOptions::new(&self.root)
        }
    }

    /// Builds into `public/` and returns the report.
    pub fn build(&self) -> BuildReport {
        site::build(&self.options(), Path::new("public"), false).expect("build runs")
    }

    /// Builds and asserts that the site was written without findings.
    pub fn build_clean(&self) -> BuildReport {
        let report = self.build();
        assert!(
            report.diagnostics.is_empty(),
            "unexpected findings: {:#?}",
            report.diagnostics
        );
        assert!(report.written.is_some(), "nothing written");
        report
    }

    /// A file of the built site.
    pub fn output(&self, path: &str) -> PathBuf {
        self.root.join("public").join(path)
    }

    /// Reads and parses a page of the built site.
    pub fn page(&self, path: &str) -> Page {
        let file = self.output(path);
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        Page {
            html: Html::parse_document(&text),
        }
    }

    /// Writes a file under the site root.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs the `hindsight` binary in the site root.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("binary runs")
    }
}

/// A parsed page.
pub struct Page {
    pub html: Html,
}

impl Page {
    /// Every element matching `css`.
    pub fn all(&self, css: &str) -> Vec<ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.html.select(&selector).collect()
    }

    /// The only element matching `css`.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let all = self.all(css);
        assert_eq!(all.len(), 1, "expected one `{css}`, found {}", all.len());
        all[0]
    }

    /// Trimmed, whitespace-collapsed text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.all(css).into_iter().map(text).collect()
    }

    /// `attr` of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.all(css)
            .into_iter()
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }
}

/// The whitespace-collapsed text of an element.
pub fn text(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, relative, with its bytes, sorted.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Waits for `child` and collects its output (read as it comes, so a
/// child that prints much never blocks on a full pipe); `None` (and the
/// child killed) if it has not finished after `limit`.
pub fn wait_within(mut child: Child, limit: Duration) -> Option<Output> {
    fn drain(
        pipe: Option<impl std::io::Read + Send + 'static>,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().ok()? {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Some(Output {
        status,
        stdout: stdout.join().ok()?,
        stderr: stderr.join().ok()?,
    })
}

/// Starts `cmd` in `site`'s root without colours, its output captured.
pub fn spawn_in(site: &SiteTest, cmd: &mut Command) -> Child {
    cmd.current_dir(&site.root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts")
}

/// For a test that needs a tool `.ci/run` installs: says `SKIPPED` and
/// returns `true` when it is missing, or fails the test when
/// `HINDSIGHT_BROWSER_TESTS=required` (as in CI), where every tool must be.
pub fn skip_without(tool: &str, present: bool) -> bool {
    if present {
        return false;
    }
    let how = "install it as .ci/run does";
    if std::env::var("HINDSIGHT_BROWSER_TESTS").as_deref() == Ok("required") {
        panic!("{tool} is required (HINDSIGHT_BROWSER_TESTS=required) but missing: {how}");
    }
    eprintln!("SKIPPED: {tool} is missing ({how})");
    true
}

/// True when `program` runs with `args` and exits 0.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The repository's own folder.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The stdout of a process that must have succeeded; fails the test with
/// both of its outputs otherwise.
pub fn success_stdout(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}
