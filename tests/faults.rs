//! Faults end a run at its limits and fail it loudly: a stopped chromedriver, a page too
//! big to read, a killed renderer each end the run within a few seconds of its timeout,
//! with a non-zero exit and a report that says why; a full disk fails the run instead of
//! leaving empty reports behind a PASSED.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Time a run may take to start (chromedriver, Chromium, the session) and to end (its
/// reports, the browser closed) around its timeout, on a loaded 2-core machine.
const SLACK: Duration = Duration::from_secs(8);

/// A run of tests/runbooks/faults.yaml, stdout and stderr into files in `artifacts`.
fn spawn_run(base: &str, artifacts: &Path, extra: &[&str]) -> Child {
    let out = std::fs::File::create(artifacts.join("stdout.txt")).unwrap();
    let err = std::fs::File::create(artifacts.join("stderr.txt")).unwrap();
    Run::new("tests/runbooks/faults.yaml")
        .input("base", base)
        .artifacts(artifacts)
        .args(extra)
        .command()
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start setupwright")
}

/// How a run ended, and when.
struct Ended {
    code: Option<i32>,
    took: Duration,
    stdout: String,
    stderr: String,
}

/// Waits for the run until `limit` after `started`; a run still going then is killed
/// (and its `code` is None), so a hang fails the test instead of hanging it.
fn finish(mut child: Child, artifacts: &Path, started: Instant, limit: Duration) -> Ended {
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let took = started.elapsed();
    Ended {
        code,
        took,
        stdout: std::fs::read_to_string(artifacts.join("stdout.txt")).unwrap_or_default(),
        stderr: std::fs::read_to_string(artifacts.join("stderr.txt")).unwrap_or_default(),
    }
}

/// Every file under `dir` whose name ends with `suffix`.
fn files_ending(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_ending(&p, suffix));
        } else if p.to_string_lossy().ends_with(suffix) {
            out.push(p);
        }
    }
    out
}

/// Waits until the run's first step has its picture: the second step is then polling.
fn wait_for_first_picture(artifacts: &Path, child: &mut Child) {
    let until = Instant::now() + Duration::from_secs(60);
    while files_ending(artifacts, ".png").is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its first picture"
        );
        assert!(Instant::now() < until, "no first picture within 60 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `root`'s descendants (by parent pid), each with its command line.
fn descendants(root: u32) -> Vec<(i32, String)> {
    let mut parent = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let ppid: i32 = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        parent.insert(pid, ppid);
    }
    let mut out = Vec::new();
    let mut frontier = vec![root as i32];
    while let Some(p) = frontier.pop() {
        for (&pid, &pp) in &parent {
            if pp == p {
                frontier.push(pid);
                let cmd = std::fs::read(format!("/proc/{pid}/cmdline"))
                    .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
                    .unwrap_or_default();
                out.push((pid, cmd));
            }
        }
    }
    out
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) on a process this test's run started; no memory is touched.
    unsafe { libc::kill(pid, sig) };
}

/// Sends `sig` to every renderer of the run's browser (there is at least one).
fn signal_renderers(child: &Child, sig: i32) {
    let renderers: Vec<i32> = descendants(child.id())
        .into_iter()
        .filter(|(_, cmd)| cmd.contains("--type=renderer"))
        .map(|(pid, _)| pid)
        .collect();
    assert!(!renderers.is_empty(), "no renderer under the run");
    for pid in renderers {
        signal(pid, sig);
    }
}

fn report_of(artifacts: &Path) -> serde_json::Value {
    let file = files_ending(artifacts, "report.json");
    let text = std::fs::read_to_string(file.first().expect("a report.json")).unwrap();
    serde_json::from_str(&text).expect("report.json is whole JSON")
}

#[test]
fn a_stopped_chromedriver_ends_the_run_at_its_timeout() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let timeout = Duration::from_secs(10);
    let started = Instant::now();
    let mut child = spawn_run(
        &fx.base,
        &artifacts,
        &["--timeout", "10s", "--step-timeout", "60s"],
    );
    wait_for_first_picture(&artifacts, &mut child);
    let driver: Vec<i32> = descendants(child.id())
        .into_iter()
        .filter(|(_, cmd)| cmd.contains("chromedriver") && !cmd.starts_with("/bin/sh"))
        .map(|(pid, _)| pid)
        .collect();
    assert!(!driver.is_empty(), "no chromedriver under the run");
    for &pid in &driver {
        signal(pid, libc::SIGSTOP);
    }
    let ended = finish(
        child,
        &artifacts,
        started,
        timeout + Duration::from_secs(60),
    );
    // Whatever happened, nothing stays stopped behind the test.
    for &pid in &driver {
        signal(pid, libc::SIGKILL);
    }
    eprintln!(
        "stopped chromedriver: the run took {:?} with --timeout {timeout:?}",
        ended.took
    );
    assert!(
        ended.code.is_some(),
        "the run hung with chromedriver stopped and was killed after {:?}\n{}\n{}",
        ended.took,
        ended.stdout,
        ended.stderr
    );
    assert!(
        ended.took <= timeout + SLACK,
        "the run took {:?} with --timeout 10s\n{}",
        ended.took,
        ended.stdout
    );
    assert_ne!(ended.code, Some(0), "{}", ended.stdout);
    assert!(!ended.stdout.contains("PASSED"), "{}", ended.stdout);
    let all = format!("{}{}", ended.stdout, ended.stderr);
    assert!(
        all.contains("did not answer within the run timeout of 10s"),
        "{all}"
    );
    assert!(all.contains("resume with:"), "{all}");
    // A driver that stopped answering is a browser failure: exit 6, as a dead one.
    assert_eq!(ended.code, Some(6), "{all}");
    let report = report_of(&artifacts);
    assert_eq!(report["status"], "browser_failure", "{report}");
}

#[test]
fn a_page_too_big_to_read_keeps_the_run_timeout() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let timeout = Duration::from_secs(10);
    let started = Instant::now();
    let child = spawn_run(
        &fx.base,
        &artifacts,
        &[
            "-i",
            "page=flood/20",
            "--timeout",
            "10s",
            "--step-timeout",
            "60s",
        ],
    );
    let ended = finish(
        child,
        &artifacts,
        started,
        timeout + Duration::from_secs(120),
    );
    eprintln!(
        "flooding page: the run took {:?} with --timeout {timeout:?}\n{}\n{}",
        ended.took, ended.stdout, ended.stderr
    );
    assert!(
        ended.code.is_some(),
        "the run was killed after {:?}\n{}\n{}",
        ended.took,
        ended.stdout,
        ended.stderr
    );
    assert!(
        ended.took <= timeout + SLACK,
        "the run took {:?} with --timeout 10s\n{}",
        ended.took,
        ended.stdout
    );
    assert_ne!(ended.code, Some(0), "{}", ended.stdout);
    // The step ends itself at the run's deadline, or (on a loaded machine, where one read
    // of the page outlasts the grace) the run is stopped from outside its steps: either
    // way the run's timeout is what it names.
    assert!(
        ended.stdout.contains("run timeout of 10s")
            || ended.stderr.contains("went past its --timeout of 10s"),
        "{}\n{}",
        ended.stdout,
        ended.stderr
    );
    let report = report_of(&artifacts);
    assert_ne!(report["status"], "passed", "{report}");
}

#[test]
fn a_killed_renderer_fails_the_step_promptly() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let step_timeout = Duration::from_secs(15);
    let started = Instant::now();
    let mut child = spawn_run(&fx.base, &artifacts, &["--step-timeout", "15s"]);
    wait_for_first_picture(&artifacts, &mut child);
    let killed_at = Instant::now();
    signal_renderers(&child, libc::SIGKILL);
    let ended = finish(child, &artifacts, started, Duration::from_secs(150));
    let after_kill = killed_at.elapsed();
    eprintln!(
        "killed renderer: the run ended {after_kill:?} after the kill, with --step-timeout {step_timeout:?}"
    );
    assert!(
        ended.code.is_some(),
        "the run was killed after {:?}\n{}\n{}",
        ended.took,
        ended.stdout,
        ended.stderr
    );
    // Promptly: well before the step's own time is up, not at it.
    assert!(
        after_kill <= step_timeout / 2,
        "the run went on {after_kill:?} after its renderer was killed\n{}",
        ended.stdout
    );
    assert!(ended.stdout.contains("tab crashed"), "{}", ended.stdout);
    assert_ne!(ended.code, Some(0), "{}", ended.stdout);
    assert!(!ended.stdout.contains("PASSED"), "{}", ended.stdout);
    let report = report_of(&artifacts);
    assert_ne!(report["status"], "passed", "{report}");
}

/// A tmpfs of `size` mounted at a fresh folder, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    /// None where this process may not mount (not root, or a sandbox that refuses).
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tmp_artifacts();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk(dir))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Whether `bytes` are a whole PNG: its signature, and its IEND chunk at the end.
fn whole_png(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.ends_with(b"IEND\xaeB`\x82")
}

#[test]
fn a_full_disk_fails_the_run_and_leaves_no_torn_file() {
    let Some(disk) = SmallDisk::mount("300k") else {
        eprintln!("skipped: cannot mount a tmpfs here (it needs root)");
        return;
    };
    // Most of the disk is taken already, so the pictures fill the rest within the run.
    std::fs::write(disk.0.join("filler"), vec![0u8; 230 * 1024]).unwrap();
    let fx = serve();
    let started = Instant::now();
    let out = Run::new("tests/runbooks/full-disk.yaml")
        .input("base", &fx.base)
        .artifacts(&disk.0)
        .arg("--fresh-screenshots")
        .command()
        .output()
        .expect("run setupwright");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    eprintln!(
        "full disk: the run took {:?}\n{stdout}\n{stderr}",
        started.elapsed()
    );
    assert!(!stdout.contains("PASSED"), "{stdout}\n{stderr}");
    assert_eq!(out.status.code(), Some(8), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("could not all be written") && stderr.contains("No space left"),
        "{stderr}"
    );
    let files: Vec<(PathBuf, Vec<u8>)> = all_files(&disk.0)
        .into_iter()
        .filter(|(p, _)| !p.ends_with("filler"))
        .collect();
    assert!(!files.is_empty(), "the run left nothing");
    for (p, bytes) in &files {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name} stayed behind");
        assert!(!bytes.is_empty(), "{name} is empty");
        let text = String::from_utf8_lossy(bytes);
        if name.ends_with(".png") {
            assert!(whole_png(bytes), "{name} is cut short");
        } else if name == "report.json" {
            let v: serde_json::Value = serde_json::from_slice(bytes).expect("whole JSON");
            assert_ne!(v["status"], "passed", "{v}");
        } else if name == "report.html" {
            assert!(text.trim_end().ends_with("</html>"), "{name} is cut short");
        } else if name == "junit.xml" {
            assert!(
                text.trim_end().ends_with("</testsuites>"),
                "{name} is cut short"
            );
        } else if name == "journal.jsonl" {
            assert!(text.ends_with('\n'), "{name} is cut short");
            for line in text.lines() {
                serde_json::from_str::<serde_json::Value>(line).expect("whole journal lines");
            }
        }
    }
}

#[test]
fn resume_refuses_a_damaged_journal_or_report() {
    let runbook = "tests/runbooks/faults.yaml";
    let header = r#"{"runbook":"tests/runbooks/faults.yaml","run_id":"0123456789abcdef"}"#;
    let step = r#"{"path":"1","depth":0,"status":"passed","captures":{},"secret_captures":[]}"#;
    for (what, journal, report, expected) in [
        (
            "a journal cut short",
            format!("{header}\n{{\"path\":\"1\",\"dep"),
            None,
            "journal is damaged",
        ),
        (
            "a journal line without a status",
            format!("{header}\n{{\"path\":\"1\",\"depth\":0}}\n"),
            None,
            "journal is damaged",
        ),
        (
            "an empty journal",
            String::new(),
            None,
            "journal is damaged",
        ),
        (
            "a report cut short",
            format!("{header}\n{step}\n"),
            Some("{\"status\": \"pas"),
            "report.json is damaged",
        ),
    ] {
        let dir = tmp_artifacts();
        std::fs::write(dir.join("journal.jsonl"), journal).unwrap();
        if let Some(r) = report {
            std::fs::write(dir.join("report.json"), r).unwrap();
        }
        let out = setupwright(
            &[
                "run",
                runbook,
                "-i",
                "base=http://127.0.0.1:9",
                "--resume",
                dir.to_str().unwrap(),
                "--timeout",
                "5s",
            ],
            &[],
        );
        assert_eq!(out.code, 2, "{what}: {}\n{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(expected)
                && out.stderr.contains("help: run again without --resume"),
            "{what}: {}",
            out.stderr
        );
        assert!(!out.stdout.contains("PASSED"), "{what}: {}", out.stdout);
    }
}

/// A WebDriver endpoint that accepts the connection and never answers (a hung driver or
/// Grid hub): `--timeout` still ends the run, a little after it, with the reports written
/// and a message that says which phase kept waiting.
#[test]
fn a_driver_that_never_answers_its_session_keeps_the_run_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accepts, reads, and holds every connection open without a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let artifacts = tmp_artifacts();
    let started = Instant::now();
    let child = spawn_run(
        "http://127.0.0.1:9",
        &artifacts,
        &["--webdriver", &url, "--timeout", "4s"],
    );
    let ended = finish(child, &artifacts, started, Duration::from_secs(4) + SLACK);
    assert!(
        ended.code.is_some(),
        "still running {:?} after its --timeout of 4s",
        ended.took
    );
    assert_eq!(
        ended.code,
        Some(6),
        "stdout:\n{}\nstderr:\n{}",
        ended.stdout,
        ended.stderr
    );
    assert!(
        ended.stderr.contains("went past its --timeout of 4s")
            && ended.stderr.contains("the browser's start or the sign-in"),
        "{}",
        ended.stderr
    );
    assert!(artifacts
        .read_dir()
        .unwrap()
        .flatten()
        .any(|e| e.path().join("report.json").exists()));
}

/// Files under `dir` whose name ends with `.dmp`, at any depth.
fn minidumps(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "dmp") {
                found.push(p);
            }
        }
    }
    found
}

#[test]
fn a_crashed_renderer_leaves_no_minidump_behind() {
    // Chromium's crash handler writes a minidump (a piece of the page's memory) of a
    // crashed renderer into its configuration home, which is not the profile.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let home = artifacts.join("home");
    let tmp = artifacts.join("tmp");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let started = Instant::now();
    let mut child = Run::new("tests/runbooks/faults.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "15s"])
        .command()
        .env("HOME", &home)
        .env("TMPDIR", &tmp)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("CHROME_CONFIG_HOME")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(artifacts.join("stdout.txt")).unwrap())
        .stderr(std::fs::File::create(artifacts.join("stderr.txt")).unwrap())
        .spawn()
        .expect("start setupwright");
    wait_for_first_picture(&artifacts, &mut child);
    signal_renderers(&child, libc::SIGSEGV);
    let ended = finish(child, &artifacts, started, Duration::from_secs(150));
    assert!(ended.stdout.contains("tab crashed"), "{}", ended.stdout);
    // The janitor removes the private folders once the browser's group is gone.
    let until = Instant::now() + Duration::from_secs(15);
    while std::fs::read_dir(&tmp).unwrap().next().is_some() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left in TMPDIR: {left:?}");
    assert_eq!(minidumps(&home), Vec::<PathBuf>::new(), "minidumps in HOME");
}
