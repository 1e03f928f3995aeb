//! What a run says on stderr and stdout at each setting: JSON logs line for line, `-v`
//! and `-vv`, `--quiet`, and the live progress line in a terminal.

mod common;

use common::*;
use serde_json::Value;

fn run_report_order(extra: &[&str]) -> (Output, std::path::PathBuf) {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    let out = Run::new("tests/runbooks/report-order.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .args(extra)
        .output();
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    (out, artifacts)
}

#[test]
fn json_logs_are_json_on_every_line_with_one_event_per_step_end() {
    let (out, _) = run_report_order(&["--log-format", "json"]);
    let lines: Vec<Value> = out
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let steps: Vec<&Value> = lines
        .iter()
        .filter(|l| l["fields"]["path"].is_string())
        .collect();
    let report = report(&run_dir(&out.stdout));
    let ran: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["skip_reason"] != "not reached: the run stopped at an earlier failure")
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    let mut logged: Vec<&str> = steps
        .iter()
        .map(|l| l["fields"]["path"].as_str().unwrap())
        .collect();
    logged.sort();
    assert_eq!(logged, ran, "{}", out.stderr);
    let failed = steps.iter().find(|l| l["fields"]["path"] == "3.2").unwrap();
    assert_eq!(failed["level"], "WARN");
    assert_eq!(failed["fields"]["status"], "failed");
    assert!(
        failed["fields"]["error"]
            .as_str()
            .unwrap()
            .contains("no field \"Scop\" appeared"),
        "{failed}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "run ended: failed" && l["fields"]["failed"] == 1),
        "{}",
        out.stderr
    );

    // An error before any step is JSON too.
    let usage = setupwright(
        &[
            "--log-format",
            "json",
            "run",
            "tests/runbooks/no-such-runbook.yaml",
        ],
        &[],
    );
    assert_ne!(usage.code, 0);
    let lines: Vec<Value> = usage
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["level"] == "ERROR"
            && l["fields"]["message"]
                .as_str()
                .unwrap()
                .contains("no-such-runbook.yaml")),
        "{}",
        usage.stderr
    );
}

#[test]
fn verbosity_adds_step_lines_then_webdriver_commands() {
    let (quiet_logs, _) = run_report_order(&[]);
    assert_eq!(quiet_logs.stderr.trim(), "", "no -v: nothing on stderr");

    let (v, _) = run_report_order(&["-v"]);
    let step_lines: Vec<&str> = v
        .stderr
        .lines()
        .filter(|l| l.contains(" INFO step ") || l.contains(" WARN step "))
        .collect();
    assert_eq!(step_lines.len(), 7, "{}", v.stderr);
    assert!(
        step_lines.iter().any(|l| l
            .contains("step 2.1 fill field \"App Name\" with \"Focus\" passed in ")
            && l.contains(" ms")),
        "{}",
        v.stderr
    );
    assert!(!v.stderr.contains("WebDriver"), "{}", v.stderr);

    let (vv, _) = run_report_order(&["-vv"]);
    assert!(
        vv.stderr.contains("WebDriver Navigate To "),
        "{}",
        vv.stderr
    );
    assert!(
        vv.stderr.contains("WebDriver Get Window Handle"),
        "{}",
        vv.stderr
    );
    assert!(
        vv.stderr.contains("script.callFunction in "),
        "{}",
        vv.stderr
    );
}

#[test]
fn quiet_prints_the_failure_and_the_summary() {
    let (out, _) = run_report_order(&["--quiet"]);
    assert!(!out.stdout.contains("ok   "), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("FAIL 3.2 fill field \"Scop\" with \"refresh_token full\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("no field \"Scop\" appeared"),
        "{}",
        out.stdout
    );
    // The failure is shown as `check` shows a bad runbook: its line, a caret, what to try.
    assert!(
        out.stdout
            .contains("--> tests/runbooks/report-order.yaml:13:")
            && out
                .stdout
                .contains("13 |       - fill: { field: Scop, with: \"refresh_token full\" }")
            && out
                .stdout
                .contains("= help: compare with the names near it"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("FAILED: 4 passed, 1 failed, 1 skipped of 6 steps"),
        "{}",
        out.stdout
    );

    // A quiet success still says so.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let ok = Run::new("tests/runbooks/fixture-form.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .arg("-q")
        .output();
    assert_eq!(ok.code, 0, "{}\n{}", ok.stdout, ok.stderr);
    let first = ok
        .stdout
        .lines()
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    assert!(first.starts_with("PASSED: "), "{}", ok.stdout);
}

/// In a terminal the live line is erased before the summary, so nothing of it is left
/// on screen after the run: what the terminal shows last are the summary and reports.
#[test]
fn the_live_line_is_cleared_before_the_summary() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let command = format!(
        "COLUMNS=60 {} run tests/runbooks/report-order.yaml -i base={} --artifacts {}",
        env!("CARGO_BIN_EXE_setupwright"),
        fx.base,
        artifacts.display()
    );
    // `script` gives the run a terminal on stdout and stderr and records what it drew.
    let typescript = artifacts.join("typescript");
    let status = std::process::Command::new("script")
        .args(["-qec", &command, typescript.to_str().unwrap()])
        .env("SETUPWRIGHT_STATE_DIR", state_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null())
        // script(1) also echoes the session; only its typescript is read.
        .stdout(std::process::Stdio::null())
        .status()
        .expect("script(1) from util-linux");
    assert_eq!(status.code(), Some(4));
    let screen = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).to_string();
    let summary = screen.find("FAILED: ").expect("the summary is printed");
    let last_spinner = screen
        .rfind("[00:00:0")
        .expect("a live line was drawn in the terminal");
    assert!(
        last_spinner < summary,
        "the live line came back after the summary"
    );
    // Between the last live line and the summary, the line is erased (ESC [2K or ESC [K).
    let between = &screen[last_spinner..summary];
    assert!(
        between.contains("\x1b[2K") || between.contains("\x1b[K") || between.contains("\x1b[1K"),
        "the live line is not erased before the summary: {between:?}"
    );
    // And every report line is whole.
    assert!(screen.contains("junit.xml"), "{screen}");
}

/// `tests/runbooks/frame-steps.yaml` (steps in another site's frame, a secret held) at -vv.
fn frame_steps_logged() -> Output {
    let fx = serve();
    let artifacts = tmp_artifacts();
    Run::new("tests/runbooks/frame-steps.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .arg("-vv")
        .env("SETUPWRIGHT_TOKEN", "tk-Never-Shown-77")
        .output()
}

/// Steps in a row inside a classic frame enter it once: the screenshot after each step
/// reaches every document by its BiDi context, without switching WebDriver frames, and
/// leaves the session where the step acted (`-vv` logs each WebDriver command).
#[test]
fn steps_in_a_frame_enter_it_once() {
    let out = frame_steps_logged();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let switches: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("WebDriver Switch To Frame"))
        .collect();
    assert_eq!(
        switches
            .iter()
            .filter(|l| l.contains("(index)") || l.contains("(element)"))
            .count(),
        1,
        "one switch into the classic frame for four steps in it:\n{}",
        switches.join("\n")
    );
    // Each picture still shows the frame's document: its answer was counted.
    let report = report(&run_dir(&out.stdout));
    assert_eq!(assert_screenshots(&run_dir(&out.stdout), &report), 5);
}

#[test]
fn a_new_document_has_the_engine_from_its_start() {
    // The engine comes with the sandbox's preload script, in the top document and in
    // another site's frame alike: no call sends its source (about 77 KB a document
    // before), and the first call in each document gives it the verdicts channel, which
    // the click on a checkbox in the frame then reports on.
    let out = frame_steps_logged();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let sent: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("the engine's source goes to"))
        .collect();
    assert!(
        sent.is_empty(),
        "the engine's source was sent:\n{}",
        sent.join("\n")
    );
    assert!(
        out.stderr
            .lines()
            .any(|l| l.contains("the verdict came after")),
        "the click's verdict came on the channel:\n{}",
        out.stderr
    );
}
