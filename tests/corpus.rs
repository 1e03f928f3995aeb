//! The bad-runbook corpus: each `tests/corpus/NAME.yaml` is checked by the real binary,
//! and its stderr must equal `NAME.stderr` and its exit code 3 (invalid runbook).
//! Adding a case is adding two files; `BLESS=1 cargo test --test corpus` writes the
//! expected files for new cases (review them before committing).

mod common;

#[test]
fn every_malformed_runbook_gets_its_message_and_exit_code() {
    let cases = common::corpus_cases("corpus");
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let bless = std::env::var("BLESS").is_ok();
    let mut failures = Vec::new();
    for (case, rel) in &cases {
        let out = common::setupwright(&["check", rel], &[]);
        let expected_path = case.with_extension("stderr");
        if bless && !expected_path.exists() {
            std::fs::write(&expected_path, &out.stderr).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| format!("(no {} yet)", expected_path.display()));
        if out.code != 3 {
            failures.push(format!("{rel}: exit code {} instead of 3", out.code));
        }
        if out.stderr.contains("panicked") {
            failures.push(format!("{rel}: panicked"));
        }
        if out.stderr != expected {
            failures.push(format!(
                "{rel}: stderr differs\n--- expected\n{expected}\n--- got\n{}",
                out.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The resource bombs end in their message within seconds and well under 200 MB.
#[test]
fn bombs_end_quickly_in_little_memory() {
    use std::os::unix::process::ExitStatusExt;
    #[allow(clippy::zombie_processes)] // reaped by wait4 below, which also reads its usage
    for case in [
        "60-alias-bomb",
        "61-include-diamond",
        "62-nested-groups",
        "67-include-dev-zero",
        "70-nested-groups-flow",
        "72-alias-long-scalar",
        "73-chained-defaults",
    ] {
        let started = std::time::Instant::now();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_setupwright"))
            .args(["check", &format!("tests/corpus/{case}.yaml")])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value for wait4(2) to fill.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4(2) on our own child, with pointers to live locals.
        let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
        assert_eq!(pid, child.id() as i32);
        let elapsed = started.elapsed();
        let code = std::process::ExitStatus::from_raw(status).code();
        let rss_mb = usage.ru_maxrss as f64 / 1024.0;
        assert_eq!(code, Some(3), "{case}");
        assert!(
            elapsed < std::time::Duration::from_secs(5),
            "{case}: {elapsed:?}"
        );
        assert!(rss_mb < 200.0, "{case}: {rss_mb:.0} MB");
        eprintln!("{case}: {:.2} s, {rss_mb:.1} MB", elapsed.as_secs_f64());
    }
}

/// Defaults that join each other are refused by `plan` and `run` as by `check` (exit 3,
/// the message at the default), not rendered until the process aborts out of memory.
#[test]
fn chained_defaults_stop_plan_and_run_at_their_place() {
    let rel = "tests/corpus/73-chained-defaults.yaml";
    for cmd in [&["plan", rel][..], &["run", rel]] {
        let out = common::setupwright(cmd, &[]);
        assert_eq!(out.code, 3, "{cmd:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("73-chained-defaults.yaml:21:"),
            "{cmd:?}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("the default of `a18`"),
            "{}",
            out.stderr
        );
    }
}

/// `include:` reads only under the runbook's folder or `--include-root`, and `check`
/// never prints a line of a file that does not read as a runbook (a credentials file).
#[test]
fn includes_stay_under_their_root_and_files_that_are_no_runbook_are_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir(&book).unwrap();
    let creds = dir.path().join("credentials");
    std::fs::write(
        &creds,
        "[default]\naws_secret_access_key = hunter2-IN-CLEAR\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&creds, book.join("link.yaml")).unwrap();
    let main = book.join("main.yaml");
    std::fs::write(&main, "runbook: main\nsteps:\n  - include: link.yaml\n").unwrap();
    let main = main.to_str().unwrap();
    let out = common::setupwright(&["check", main], &[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("is a symbolic link to"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    // With the wider root the link is followed, and the file is named, not shown.
    let root = dir.path().to_str().unwrap();
    let out = common::setupwright(&["check", "--include-root", root, main], &[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("does not read as a runbook"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    // Checked itself, it is not shown either.
    let out = common::setupwright(&["check", creds.to_str().unwrap()], &[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    let out = common::setupwright(&["check", "--include-root", "/no/such/dir", main], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}
