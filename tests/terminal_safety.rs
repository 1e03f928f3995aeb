//! Control characters from a runbook (an ESC that clears the screen, a CR that overwrites
//! a line with a fake "PASSED") reach neither the terminal nor the reports raw, and
//! `junit.xml` stays well-formed XML.

mod common;

use common::*;

#[test]
fn control_characters_are_shown_escaped_and_reports_stay_well_formed() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    let out = Run::new("tests/runbooks/control-chars.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .output();
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let raw = |s: &str| s.chars().any(|c| c.is_control() && c != '\n' && c != '\t');
    assert!(
        !raw(&out.stdout),
        "stdout holds a raw control character:\n{:?}",
        out.stdout
    );
    assert!(
        !raw(&out.stderr),
        "stderr holds a raw control character:\n{:?}",
        out.stderr
    );
    assert!(
        out.stdout.contains("\\x1b[2J"),
        "shown escaped:\n{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\\rPASSED"),
        "shown escaped:\n{}",
        out.stdout
    );
    let dir = run_dir(&out.stdout);
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&junit).unwrap_or_else(|e| panic!("{e}\n{junit}"));
    assert!(doc.descendants().any(|n| n.has_tag_name("failure")));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!raw(&html), "report.html holds a raw control character");
    // report.json is JSON, which escapes control characters itself.
    let report = report(&dir);
    assert!(report["steps"][1]["title"]
        .as_str()
        .unwrap()
        .contains('\u{1b}'));
}

/// `setupwright schema | head -1`: a reader that goes away ends the output quietly.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    for args in [
        &["schema"][..],
        &["check", "runbooks/focus-matters-secured-login.yaml"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_setupwright"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before the first line is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Logs carry no colour codes when stderr is not a terminal (CI logs, a file).
#[test]
fn logs_off_a_terminal_have_no_colour_codes() {
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/slow.yaml")
        .arg(
            // Nobody listens there: the goto retries).arg(and says so at -vv.
            "-i",
        )
        .arg("base=http://127.0.0.1:1")
        .arg("--step-timeout")
        .arg("1s")
        .arg("-vv")
        .artifacts(&artifacts)
        .output();
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("DEBUG"), "-vv logs: {}", out.stderr);
    assert!(
        !out.stderr.contains('\u{1b}'),
        "colour codes: {:?}",
        out.stderr
    );
}
