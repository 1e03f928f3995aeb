//! The browser at rest (issue 21, point 11): what a run leaves on the machine while it
//! runs and after it is killed. The profile is private (0700) and removed even after
//! SIGKILL, Chromium writes no chrome_debug.log, no process of the run may dump core,
//! chromedriver and Chromium get none of the run's secret environment variables, and
//! `RUST_LOG=trace` does not log the WebDriver and WebSocket traffic.

mod common;

use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// Every live process: (pid, parent pid).
fn processes() -> Vec<(i32, i32)> {
    let mut out = Vec::new();
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
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.first() == Some(&"Z") {
            continue;
        }
        out.push((pid, f[1].parse().unwrap_or(0)));
    }
    out
}

fn descendants(root: i32) -> HashSet<i32> {
    let all = processes();
    let mut found = HashSet::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(pid, ppid) in &all {
            if ppid == p && found.insert(pid) {
                frontier.push(pid);
            }
        }
    }
    found
}

fn comm(pid: i32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The soft and hard limits on core file size, from /proc/PID/limits.
fn core_limit(pid: i32) -> String {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap_or_default();
    limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .map(|l| {
            l.split_whitespace()
                .skip(4)
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

const SECRET_ENV: &[(&str, &str)] = &[
    ("SETUPWRIGHT_LOGIN_PASSWORD", "env-secret-password-1"),
    ("SETUPWRIGHT_VERIFICATION_CODE", "env-secret-code-2"),
    ("SF_ACCESS_TOKEN", "00Dxx!env-secret-token-3"),
];

#[test]
fn a_killed_run_leaves_no_profile_no_log_no_core_and_no_secret_environment() {
    let fx = serve();
    let tmp = tempfile::tempdir().unwrap();
    let artifacts = tmp.path().join("artifacts");
    let base = format!("base={}", fx.base);
    // A file, not a pipe: trace logging would fill a pipe nobody reads meanwhile.
    let log = tmp.path().join("stderr.log");
    let mut child = Run::new("tests/runbooks/slow.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "90s"])
        .env("SETUPWRIGHT_AFTER", "60000")
        .command()
        // The profile is made under TMPDIR: a folder of this test's own.
        .env("TMPDIR", tmp.path())
        .env("RUST_LOG", "trace")
        .envs(SECRET_ENV.iter().copied())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    // Up once Chromium runs and the first picture is written (the page is open).
    let until = Instant::now() + Duration::from_secs(60);
    let (driver, chromium) = loop {
        let fam = descendants(pid);
        let driver: Vec<i32> = fam
            .iter()
            .copied()
            .filter(|p| comm(*p) == "chromedriver")
            .collect();
        let chromium: Vec<i32> = fam
            .iter()
            .copied()
            .filter(|p| comm(*p).starts_with("chrom") && comm(*p) != "chromedriver")
            .collect();
        let shot = walk(&artifacts)
            .iter()
            .any(|f| f.extension().is_some_and(|x| x == "png"));
        if !driver.is_empty() && chromium.len() >= 3 && shot {
            break (driver[0], chromium);
        }
        assert!(Instant::now() < until, "the browser did not start: {fam:?}");
        std::thread::sleep(Duration::from_millis(100));
    };

    // No core dumps: setupwright and every child.
    assert_eq!(core_limit(pid), "0 0", "setupwright");
    for p in chromium.iter().chain([&driver]) {
        let limit = core_limit(*p);
        // Empty: a helper process that ended meanwhile.
        assert!(
            limit == "0 0" || limit.is_empty(),
            "{} {p}: {limit}",
            comm(*p)
        );
    }

    // No secret environment variable in chromedriver or Chromium.
    for p in chromium.iter().chain([&driver]) {
        let Ok(environ) = std::fs::read(format!("/proc/{p}/environ")) else {
            continue; // gone meanwhile (a helper process)
        };
        let environ = String::from_utf8_lossy(&environ);
        for (name, value) in SECRET_ENV {
            assert!(!environ.contains(name), "{} {p} has {name}", comm(*p));
            assert!(
                !environ.contains(value),
                "{} {p} has {name}'s value",
                comm(*p)
            );
        }
    }

    // The profile: the one Chromium was given, private, with no debug log.
    let profile = chromium
        .iter()
        .filter_map(|p| std::fs::read(format!("/proc/{p}/cmdline")).ok())
        .find_map(|cmdline| {
            String::from_utf8_lossy(&cmdline)
                // A helper rewrites its command line into one string, spaced.
                .split(['\0', ' '])
                .find_map(|a| a.strip_prefix("--user-data-dir="))
                .map(std::path::PathBuf::from)
        })
        .expect("a Chromium process with --user-data-dir");
    assert!(profile.starts_with(tmp.path()), "{}", profile.display());
    let mode = std::fs::metadata(&profile).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "profile mode {mode:o}");
    let logs: Vec<_> = walk(&profile)
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "chrome_debug.log"))
        .collect();
    assert!(logs.is_empty(), "{logs:?}");

    // Killed outright: the profile goes too.
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    child.wait().unwrap();
    let until = Instant::now() + Duration::from_secs(15);
    while profile.exists() {
        assert!(
            Instant::now() < until,
            "the profile stays after SIGKILL: {:?}",
            walk(&profile).iter().take(5).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // RUST_LOG=trace: setupwright's own lines, never the wire crates' (WebSocket frames,
    // HTTP bodies, hex dumps no redactor reads).
    let stderr = std::fs::read_to_string(&log).unwrap();
    // setupwright's own debug lines name a call and its time, never its body.
    for wire in [
        "Frame {",
        "payload",
        "\"method\"",
        "\\\"method\\\"",
        "functionDeclaration",
    ] {
        assert!(
            !stderr.contains(wire),
            "stderr holds `{wire}`: {}",
            stderr
                .lines()
                .filter(|l| l.contains(wire))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
