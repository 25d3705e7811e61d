//! `build` against the faults a hostile test run found: concurrent builds,
//! special files in `content/`, an output that is a symlink, a mount point
//! or read-only, readers during the swap.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use super::server::Server;
use super::support::{SiteTest, snapshot, spawn_in, wait_within};

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
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
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

/// Runs the binary in `site` with `args`; `None` if it had not finished
/// after `limit` (it is then killed).
pub fn run_within(site: &SiteTest, args: &[&str], limit: Duration) -> Option<Output> {
    let child = spawn_in(
        site,
        Command::new(env!("CARGO_BIN_EXE_hindsight")).args(args),
    );
    wait_within(child, limit)
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "{}",
        path.display()
    );
}

#[test]
fn named_pipes_in_content_are_reported_not_opened() {
    let site = SiteTest::new("basic");
    let outside = tempfile::tempdir().unwrap();
    mkfifo(&site.root.join("content/2022/pipe.md"));
    std::fs::remove_file(site.root.join("content/_index.md")).unwrap();
    mkfifo(&site.root.join("content/_index.md"));
    mkfifo(&site.root.join("content/2022/chart.png"));
    mkfifo(&outside.path().join("target.md"));
    std::os::unix::fs::symlink(
        outside.path().join("target.md"),
        site.root.join("content/2022/link.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink("pipe.md", site.root.join("content/2022/inside-link.md")).unwrap();
    let limit = Duration::from_secs(60);
    let check = run_within(&site, &["check", "--format", "json"], limit).expect("check finishes");
    let stdout = String::from_utf8_lossy(&check.stdout);
    for file in [
        "content/2022/pipe.md",
        "content/_index.md",
        "content/2022/chart.png",
        "content/2022/inside-link.md",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.contains(&format!("\"file\":\"{file}\"")))
            .unwrap_or_else(|| panic!("no finding for {file}: {stdout}"));
        assert!(
            line.contains("read-error") && line.contains("named pipe"),
            "{line}"
        );
    }
    assert!(stdout.contains("content/2022/link.md"), "{stdout}");
    let build = run_within(&site, &["build"], limit).expect("build finishes");
    assert_eq!(build.status.code(), Some(1), "{build:?}");
    // serve starts (it used to hang before printing its URL).
    let server = Server::start(&site);
    assert_eq!(
        server.raw("/__hindsight/status").lines().next(),
        Some("HTTP/1.1 200 OK")
    );
}

/// Runs the binary in `site` under a 4 GB address-space limit, its stderr
/// kept in a file beside the site; returns the exit code, the peak
/// resident memory in KB, and stderr. Panics after `limit`.
fn run_measured(site: &SiteTest, args: &str, limit: Duration) -> (i32, i64, String) {
    let log = site.root.with_file_name("stderr.txt");
    let exe = env!("CARGO_BIN_EXE_hindsight");
    // Reaped below with wait4, which also reports its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v 4000000; exec \"{exe}\" {args}"))
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let started = std::time::Instant::now();
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    // SAFETY: wait4 on our own child, with valid pointers.
    while unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) } == 0 {
        if started.elapsed() > limit {
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            panic!("`hindsight {args}` did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let stderr = std::fs::read_to_string(&log).unwrap_or_default();
    (code, usage.ru_maxrss, stderr)
}

#[test]
fn devices_and_huge_files_are_refused_without_being_read() {
    let site = SiteTest::new("basic");
    std::os::unix::fs::symlink("/dev/zero", site.root.join("content/2022/zero.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", site.root.join("content/2022/zero.png")).unwrap();
    let huge = std::fs::File::create(site.root.join("content/2022/huge.md")).unwrap();
    huge.set_len(1024 * 1024 * 1024).unwrap();
    // /dev/zero itself inside content/, where root may make one.
    let device = site.root.join("content/2022/device.md");
    let c = std::ffi::CString::new(device.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mknod only creates a node.
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 5)) } == 0;
    for args in ["check", "build"] {
        let (code, rss_kb, stderr) = run_measured(&site, args, Duration::from_secs(60));
        assert_eq!(code, 1, "{args}: {stderr}");
        let mut expected = vec![
            ("content/2022/zero.md", "points outside content/"),
            ("content/2022/zero.png", "points outside content/"),
            ("content/2022/huge.md", "larger than 256 MB"),
        ];
        if made {
            expected.push(("content/2022/device.md", "it is a device"));
        }
        for (file, why) in expected {
            assert!(
                stderr.lines().any(|l| l.contains(why)) && stderr.contains(&format!("--> {file}")),
                "{args}: {file}: {stderr}"
            );
        }
        // Reading the 1 GB file would take at least that. (The figure
        // can include this test process's own memory, copied into the
        // child before it ran the binary: hence the margin.)
        assert!(rss_kb < 600_000, "{args} peaked at {rss_kb} KB");
    }
}

#[test]
fn an_output_that_is_a_symlink_is_built_into_and_kept() {
    let site = SiteTest::new("basic");
    let webroot = tempfile::tempdir().unwrap();
    let target = webroot.path().join("site");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("stale.html"), "old").unwrap();
    std::os::unix::fs::symlink(&target, site.root.join("public")).unwrap();
    for round in 0..2 {
        let out = site.run(&["build"]);
        assert_eq!(out.status.code(), Some(0), "round {round}: {out:?}");
        let link = std::fs::symlink_metadata(site.root.join("public")).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "round {round}: the link stays"
        );
        assert_eq!(
            std::fs::read_link(site.root.join("public")).unwrap(),
            target
        );
        assert!(
            target.join("index.html").is_file(),
            "round {round}: written at the target"
        );
        assert!(
            !target.join("stale.html").exists(),
            "round {round}: replaced, not merged"
        );
    }
    // A link to the sources is refused; a dangling one is explained.
    for (to, says) in [
        (site.root.join("content"), "refusing to write the site"),
        (webroot.path().join("missing"), "create that folder"),
    ] {
        std::fs::remove_file(site.root.join("public")).unwrap();
        std::os::unix::fs::symlink(&to, site.root.join("public")).unwrap();
        let out = site.run(&["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert_eq!(std::fs::read_link(site.root.join("public")).unwrap(), to);
    }
    assert!(
        site.root
            .join("content/2022/2022-06-10-cdn-cache.md")
            .is_file()
    );
}

#[test]
fn the_human_report_of_many_findings_in_one_file_is_linear() {
    let site = SiteTest::new("basic");
    let path = "content/2022/2022-06-10-cdn-cache.md";
    let text = std::fs::read_to_string(site.root.join(path)).unwrap();
    let events: String = (0..20_000)
        .map(|i| format!("- 2020-01-01 10:{:02} - step {i}\n", i % 60))
        .collect();
    site.write(
        path,
        &text.replace("- **12:00** Deploy without purge.\n", &events),
    );
    let timed = |args: &[&str]| {
        let started = std::time::Instant::now();
        let out = run_within(&site, args, Duration::from_secs(120)).expect("check finishes");
        (started.elapsed(), out)
    };
    let (json_time, json) = timed(&["check", "--format", "json"]);
    let (human_time, human) = timed(&["check"]);
    let findings = String::from_utf8_lossy(&json.stdout).lines().count();
    let report = String::from_utf8_lossy(&human.stderr);
    assert!(findings >= 20_000, "{findings}");
    assert!(report.matches("warning[timeline-window]").count() >= 20_000);
    assert!(
        report.contains("27 | - 2020-01-01 10:00 - step 0"),
        "lines are quoted"
    );
    // Quadratic, it took 10.4 s against 0.2 s as JSON.
    assert!(
        human_time < json_time * 4 + Duration::from_millis(1500),
        "human {human_time:?} against JSON {json_time:?}"
    );
}

#[test]
fn readers_never_find_the_output_missing_during_a_swap() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    const BUILDS: usize = 60;
    let site = SiteTest::new("basic");
    site.build_clean();
    let index = site.output("index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let (misses, reads) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (index, stop) = (index.clone(), Arc::clone(&stop));
            let (misses, reads) = (Arc::clone(&misses), Arc::clone(&reads));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if std::fs::metadata(&index).is_err() {
                        misses.fetch_add(1, Ordering::Relaxed);
                    }
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for _ in 0..BUILDS {
        assert!(site.build().written.is_some());
    }
    stop.store(true, Ordering::Relaxed);
    readers.into_iter().for_each(|r| r.join().unwrap());
    let (misses, reads) = (
        misses.load(Ordering::Relaxed),
        reads.load(Ordering::Relaxed),
    );
    assert!(reads > 1000, "{reads} reads");
    assert_eq!(
        misses, 0,
        "{misses} of {reads} reads during {BUILDS} builds found no index.html"
    );
}

/// A tmpfs mounted for a test, unmounted when dropped.
struct Mount(std::path::PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn an_output_that_is_a_mount_point_is_explained_and_left_alone() {
    let site = SiteTest::new("basic");
    let public = site.root.join("public");
    std::fs::create_dir(&public).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&public)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED: mounting a tmpfs needs root");
        return;
    }
    let _mount = Mount(public.clone());
    std::fs::write(public.join("index.html"), "the volume's site").unwrap();
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is a mount point") && stderr.contains("--output public/site"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("index.html")).unwrap(),
        "the volume's site"
    );
    let inside = site.run(&["build", "--output", "public/site"]);
    assert_eq!(inside.status.code(), Some(0), "{inside:?}");
    assert!(public.join("site/index.html").is_file());
}

/// Runs the binary in `site` as a user without root's power to ignore
/// permissions (`nobody`, when the tests run as root).
fn run_unprivileged(site: &SiteTest, args: &[&str]) -> Output {
    let exe = env!("CARGO_BIN_EXE_hindsight");
    let mut cmd = if unsafe { libc::geteuid() } == 0 {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", exe]);
        c
    } else {
        Command::new(exe)
    };
    cmd.args(args)
        .current_dir(&site.root)
        .env("NO_COLOR", "1")
        .output()
        .expect("the build runs")
}

/// Sets the mode of every folder under `dir` (files keep theirs).
fn chmod_folders(dir: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir() {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
}

#[test]
fn a_read_only_output_is_replaced_and_does_not_block_later_builds() {
    let site = SiteTest::new("basic");
    if unsafe { libc::geteuid() } == 0 {
        // Let `nobody` into the site and its temporary parent.
        let parent = site.root.parent().unwrap();
        let status = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(&site.root)
            .status();
        assert!(status.is_ok_and(|s| s.success()));
        chmod_folders(parent, 0o755);
        std::os::unix::fs::chown(parent, Some(0), Some(0)).unwrap();
    }
    let first = run_unprivileged(&site, &["build"]);
    assert_eq!(first.status.code(), Some(0), "{first:?}");
    chmod_folders(&site.output(""), 0o555);
    let text = std::fs::read_to_string(site.root.join(CDN)).unwrap();
    for (round, title) in ["Renamed once", "Renamed twice"].into_iter().enumerate() {
        site.write(CDN, &text.replace("CDN served a stale homepage", title));
        let out = run_unprivileged(&site, &["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "round {round}: {stderr}");
        let page =
            std::fs::read_to_string(site.output("incidents/2022-06-10-cdn-cache/index.html"));
        assert!(page.unwrap().contains(title), "round {round}");
        let leftovers: Vec<String> = std::fs::read_dir(&site.root)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".hindsight-") && !n.ends_with("-lock"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

const CDN: &str = "content/2022/2022-06-10-cdn-cache.md";
