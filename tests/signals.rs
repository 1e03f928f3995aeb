//! A run ends cleanly however it is stopped: SIGTERM, SIGHUP and SIGINT write the reports
//! and print a resume command that works as printed; chromedriver and every browser
//! process end with the run, also when chromedriver dies under it and when setupwright
//! itself is killed.

mod common;

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Every process: pid -> (parent pid, process group, start time).
fn processes() -> HashMap<i32, (i32, i32, u64)> {
    let mut out = HashMap::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name is in parentheses and may hold spaces.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.first() == Some(&"Z") {
            continue; // a zombie is gone but for its exit status
        }
        let (ppid, pgid, start) = (
            f[1].parse().unwrap_or(0),
            f[2].parse().unwrap_or(0),
            f[19].parse().unwrap_or(0),
        );
        out.insert(pid, (ppid, pgid, start));
    }
    out
}

/// `root`'s descendants, and every process in their process groups, with start times.
fn family(root: i32) -> HashSet<(i32, u64)> {
    let all = processes();
    let mut pids: HashSet<i32> = HashSet::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for (&pid, &(ppid, _, _)) in &all {
            if ppid == p && pids.insert(pid) {
                frontier.push(pid);
            }
        }
    }
    let groups: HashSet<i32> = pids
        .iter()
        .filter_map(|p| all.get(p).map(|x| x.1))
        .collect();
    let me = all.get(&(std::process::id() as i32)).map(|x| x.1);
    for (&pid, &(_, pgid, _)) in &all {
        if groups.contains(&pgid) && Some(pgid) != me {
            pids.insert(pid);
        }
    }
    pids.into_iter()
        .filter_map(|p| all.get(&p).map(|x| (p, x.2)))
        .collect()
}

fn alive(procs: &HashSet<(i32, u64)>) -> Vec<i32> {
    let now = processes();
    procs
        .iter()
        .filter(|(p, start)| now.get(p).is_some_and(|x| x.2 == *start))
        .map(|(p, _)| *p)
        .collect()
}

fn assert_all_gone(procs: &HashSet<(i32, u64)>, what: &str) {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let left = alive(procs);
        if left.is_empty() {
            return;
        }
        assert!(Instant::now() < until, "{what}: still running: {left:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Started {
    child: Child,
    base: String,
}

/// Starts a run that waits on a page for a minute, and returns once its browser is up
/// (Chromium processes among its descendants).
#[allow(clippy::zombie_processes)] // the caller waits; a panic here fails the test anyway
fn start_waiting_run(fx: &Fixtures) -> (Started, HashSet<(i32, u64)>) {
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    let child = Run::new("tests/runbooks/slow.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "90s"])
        .env("SETUPWRIGHT_AFTER", "60000")
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let fam = family(pid);
        let chromium = fam
            .iter()
            .filter(|(p, _)| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| c.trim().starts_with("chrom") && !c.contains("driver"))
            })
            .count();
        // The page is open once the first screenshot is written.
        let shot = std::fs::read_dir(&artifacts)
            .ok()
            .and_then(|mut d| d.next())
            .is_some_and(|run| {
                std::fs::read_dir(run.unwrap().path())
                    .map(|files| {
                        files
                            .flatten()
                            .any(|f| f.path().extension().is_some_and(|x| x == "png"))
                    })
                    .unwrap_or(false)
            });
        if chromium >= 3 && shot {
            return (Started { child, base }, family(pid));
        }
        assert!(Instant::now() < until, "the browser did not start: {fam:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

fn finish(child: Child) -> Output {
    child.wait_with_output().unwrap().into()
}

fn stopped_by(sig: i32, code: i32) {
    let fx = serve();
    let (run, procs) = start_waiting_run(&fx);
    assert!(
        procs.len() >= 4,
        "chromedriver, its keeper and Chromium: {procs:?}"
    );
    signal(&run.child, sig);
    let out = finish(run.child);
    assert_eq!(
        out.code, code,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("INTERRUPTED"), "{}", out.stdout);
    assert!(out.stdout.contains("resume with:"), "{}", out.stdout);
    let dir = run_dir(&out.stdout);
    for f in ["report.json", "report.html", "junit.xml"] {
        assert!(dir.join(f).exists(), "{f} is written");
    }
    assert_eq!(report(&dir)["status"], "interrupted");
    assert_all_gone(&procs, "after the signal");
}

#[test]
fn sigterm_writes_the_reports_ends_every_process_and_the_printed_resume_works() {
    let fx = serve();
    let (run, procs) = start_waiting_run(&fx);
    signal(&run.child, libc::SIGTERM);
    let out = finish(run.child);
    assert_eq!(
        out.code, 143,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("stopped by SIGTERM"), "{}", out.stdout);
    assert_all_gone(&procs, "after SIGTERM");
    let dir = run_dir(&out.stdout);
    assert_eq!(report(&dir)["status"], "interrupted", "{}", report(&dir));
    // The resume command, run as printed (the page is ready at once this time).
    let line = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("resume with: "))
        .unwrap_or_else(|| panic!("no resume command in:\n{}", out.stdout));
    assert!(
        line.contains(&run.base),
        "the inputs given are part of it: {line}"
    );
    let resumed = Command::new("/bin/sh")
        .arg("-c")
        .arg(line.replacen("setupwright", env!("CARGO_BIN_EXE_setupwright"), 1))
        .env("SETUPWRIGHT_AFTER", "0")
        .env("SETUPWRIGHT_STATE_DIR", state_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&resumed.stdout);
    assert_eq!(
        resumed.status.code(),
        Some(0),
        "{line}\n{stdout}\n{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(run_dir(&stdout), dir, "the same run folder");
}

#[test]
fn sighup_and_sigint_end_the_run_as_sigterm_does() {
    stopped_by(libc::SIGHUP, 129);
    stopped_by(libc::SIGINT, 130);
}

#[test]
fn when_chromedriver_dies_the_browser_goes_with_it() {
    let fx = serve();
    let (run, procs) = start_waiting_run(&fx);
    let driver = procs
        .iter()
        .find(|(p, _)| {
            std::fs::read_to_string(format!("/proc/{p}/comm"))
                .is_ok_and(|c| c.trim() == "chromedriver")
        })
        .expect("a chromedriver")
        .0;
    // SAFETY: kill(2) on a process this test's child started.
    unsafe { libc::kill(driver, libc::SIGKILL) };
    let out = finish(run.child);
    assert_eq!(
        out.code, 6,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("resume with:"), "{}", out.stdout);
    assert_all_gone(&procs, "after chromedriver died");
}

#[test]
fn when_setupwright_is_killed_its_browser_goes_too() {
    let fx = serve();
    let (run, procs) = start_waiting_run(&fx);
    signal(&run.child, libc::SIGKILL);
    let _ = finish(run.child);
    assert_all_gone(&procs, "after setupwright was killed");
}

/// The command name of a process.
fn comm(pid: i32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim().to_string())
        .unwrap_or_default()
}

/// Polls `what` every few milliseconds until it gives a value, for at most `secs`.
fn wait_for<T>(secs: u64, about: &str, mut what: impl FnMut() -> Option<T>) -> T {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = what() {
            return v;
        }
        assert!(Instant::now() < until, "never happened: {about}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A stopped run's reports, each of which names the signal.
fn assert_reports_name(dir: &std::path::Path, signal: &str) {
    let r = report(dir);
    assert_eq!(r["status"], "interrupted", "{r}");
    assert_eq!(r["stopped_by"], signal, "{r}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains(&format!("stopped by {signal}")),
        "report.html"
    );
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains(&format!(r#"name="stopped_by" value="{signal}""#)),
        "{junit}"
    );
}

#[test]
fn sigterm_while_the_salesforce_cli_runs_ends_it_and_writes_the_reports() {
    let artifacts = tmp_artifacts();
    let child = Run::new("tests/runbooks/slow.yaml")
        .input("base", "http://127.0.0.1:9")
        .args(["--org", "dev", "--sf", "tests/bin/sf"])
        .artifacts(&artifacts)
        .env("STUB_SF_HANG", "1")
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    // The CLI is waiting (on its own child, as Node.js on a slow org).
    let procs = wait_for(30, "the stub CLI's sleep", || {
        let fam = family(pid);
        fam.iter().any(|(p, _)| comm(*p) == "sleep").then_some(fam)
    });
    signal(&child, libc::SIGTERM);
    let out = finish(child);
    // Whatever happened, no stub is left sleeping for ten minutes.
    let left = alive(&procs);
    for p in &left {
        // SAFETY: kill(2) on a process this test's child started.
        unsafe { libc::kill(*p, libc::SIGKILL) };
    }
    assert!(left.is_empty(), "the CLI outlived the run: {left:?}");
    assert_eq!(
        out.code, 143,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("INTERRUPTED"), "{}", out.stdout);
    assert!(out.stdout.contains("stopped by SIGTERM"), "{}", out.stdout);
    assert_reports_name(&run_dir(&out.stdout), "SIGTERM");
}

#[test]
fn sigterm_during_sign_in_writes_the_reports_and_leaves_no_process_or_profile() {
    // An org that takes the connection and never answers: the run is signing in for as
    // long as the test likes.
    let org = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", org.local_addr().unwrap().port());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        while let Ok((conn, _)) = org.accept() {
            held.push(conn);
            let _ = tx.send(());
        }
    });
    let artifacts = tmp_artifacts();
    let child = Run::new("tests/runbooks/slow.yaml")
        .input("base", "http://127.0.0.1:9")
        .arg("--instance-url")
        .arg(&url)
        .artifacts(&artifacts)
        .env("SF_ACCESS_TOKEN", "00Dxx0000000001!a-session-for-the-test")
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the browser never opened the sign-in page");
    let procs = family(child.id() as i32);
    let profile = procs
        .iter()
        .find_map(|(p, _)| {
            let cmd = std::fs::read(format!("/proc/{p}/cmdline")).ok()?;
            cmd.split(|b| *b == 0).find_map(|a| {
                let a = String::from_utf8_lossy(a);
                a.strip_prefix("--user-data-dir=")
                    .map(std::path::PathBuf::from)
            })
        })
        .expect("a Chromium with a profile of its own");
    assert!(profile.is_dir(), "{}", profile.display());
    assert!(
        procs.iter().any(|(p, _)| comm(*p) == "chromedriver"),
        "{procs:?}"
    );
    signal(&child, libc::SIGTERM);
    let out = finish(child);
    assert_all_gone(&procs, "after SIGTERM during sign-in");
    assert!(
        !profile.exists(),
        "the browser profile {} is left",
        profile.display()
    );
    assert_eq!(
        out.code, 143,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("stopped by SIGTERM"), "{}", out.stdout);
    assert_reports_name(&run_dir(&out.stdout), "SIGTERM");
}

#[test]
fn sigterm_after_the_last_step_is_not_swallowed() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    let child = Run::new("tests/runbooks/slow.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The journal's line for the last step (2) is written as that step ends: the signal
    // comes while the run closes the browser and writes its reports.
    wait_for(60, "the last step's journal line", || {
        let run = std::fs::read_dir(&artifacts).ok()?.flatten().next()?;
        let journal = std::fs::read_to_string(run.path().join("journal.jsonl")).ok()?;
        journal.contains(r#""path":"2""#).then_some(())
    });
    signal(&child, libc::SIGTERM);
    let out = finish(child);
    assert_eq!(
        out.code, 143,
        "the signal was swallowed:\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("stopped by SIGTERM"), "{}", out.stdout);
    assert_reports_name(&run_dir(&out.stdout), "SIGTERM");
}

#[test]
fn when_a_watcher_of_the_keeper_dies_killing_setupwright_still_ends_the_browser() {
    let fx = serve();
    let (run, procs) = start_waiting_run(&fx);
    let all = processes();
    let driver = procs
        .iter()
        .map(|(p, _)| *p)
        .find(|p| comm(*p) == "chromedriver")
        .expect("a chromedriver");
    let group = all[&driver].1;
    // The watcher: a shell of the keeper's group, not the keeper, that has no children.
    let watcher = procs
        .iter()
        .map(|(p, _)| *p)
        .find(|p| {
            *p != group
                && all.get(p).is_some_and(|x| x.1 == group)
                && comm(*p) == "sh"
                && !all.values().any(|x| x.0 == *p)
        })
        .unwrap_or_else(|| panic!("no watcher shell in group {group}: {procs:?}"));
    // SAFETY: kill(2) on a process this test's child started.
    unsafe { libc::kill(watcher, libc::SIGKILL) };
    wait_for(10, "the watcher's end", || {
        (!processes().contains_key(&watcher)).then_some(())
    });
    signal(&run.child, libc::SIGKILL);
    let _ = finish(run.child);
    assert_all_gone(&procs, "after a watcher and then setupwright were killed");
}

#[test]
fn sigterm_under_targets_writes_every_targets_reports_and_leaves_no_process() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let targets = artifacts.join("targets.yaml");
    // Three orgs, two at a time: two are running when the signal comes, one never started.
    std::fs::write(
        &targets,
        format!(
            "inputs:\n  base: '{}'\ntargets:\n  - name: uat\n  - name: qa\n  - name: dev\n",
            fx.base
        ),
    )
    .unwrap();
    let child = Run::new("tests/runbooks/slow.yaml")
        .arg("--targets")
        .arg(&targets)
        .arg("--jobs")
        .arg("2")
        .arg("--step-timeout")
        .arg("90s")
        .artifacts(&artifacts)
        .env("SETUPWRIGHT_AFTER", "60000")
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    // Both running targets have their page open: each wrote its first picture.
    let procs = wait_for(90, "both running targets' first pictures", || {
        let pictured = ["uat", "qa"].iter().all(|t| {
            std::fs::read_dir(artifacts.join(t))
                .into_iter()
                .flatten()
                .flatten()
                .any(|run| {
                    std::fs::read_dir(run.path())
                        .into_iter()
                        .flatten()
                        .flatten()
                        .any(|f| f.path().extension().is_some_and(|x| x == "png"))
                })
        });
        pictured.then(|| family(pid))
    });
    signal(&child, libc::SIGTERM);
    let out = finish(child);
    assert_eq!(
        out.code, 143,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_all_gone(&procs, "after SIGTERM under --targets");
    for t in ["uat", "qa"] {
        let run = std::fs::read_dir(artifacts.join(t))
            .unwrap()
            .flatten()
            .next()
            .unwrap_or_else(|| panic!("target {t} has a run folder"))
            .path();
        assert_reports_name(&run, "SIGTERM");
    }
    // The table counts the step each running target was in as interrupted.
    assert!(
        out.stdout.contains("ok   fail   intr   skip"),
        "{}",
        out.stdout
    );
    for t in ["uat", "qa"] {
        let row: Vec<&str> = out
            .stdout
            .lines()
            .find(|l| l.starts_with(t) && l.contains("interrupted"))
            .unwrap_or_else(|| panic!("a row for {t}: {}", out.stdout))
            .split_whitespace()
            .collect();
        assert_eq!(row[4], "1", "{t}'s interrupted steps: {}", out.stdout);
    }
    // The target that never started is said to be so, not run after the signal.
    assert!(
        std::fs::read_dir(artifacts.join("dev"))
            .map(|d| d.count() == 0)
            .unwrap_or(true),
        "a target not started when the signal came is not started after it"
    );
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("dev") && l.contains("interrupted")),
        "{}",
        out.stdout
    );
}
