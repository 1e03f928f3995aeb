//! The evidence a run leaves: the HTML report opened from disk in headless Chromium, and
//! the JUnit XML.

mod common;

use common::*;

#[test]
fn the_html_report_shows_every_step_and_screenshot_and_the_failure() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = setupwright(
        &[
            "run",
            "tests/runbooks/diagnostics.yaml",
            "-i",
            &format!("base={}", fx.base),
            "--artifacts",
            artifacts.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.code, 4);
    let dir = run_dir(&out.stdout);
    let report = report(&dir);

    // A runbook that reads the report as a person would: every step, every thumbnail,
    // and the failed step's error.
    let mut steps = vec![format!(
        "  - goto: \"file://{}\"",
        dir.join("report.html").display()
    )];
    for s in report["steps"].as_array().unwrap() {
        let path = s["path"].as_str().unwrap();
        let title = s["title"]
            .as_str()
            .unwrap()
            .replace('"', "\\\"")
            .replace("${", "$${");
        steps.push(format!(
            "  - expect: {{ css: \"[id='step-{path}'] .title\", contains: \"{title}\" }}"
        ));
        if let Some(shot) = s["screenshot"].as_str() {
            steps.push(format!(
                "  - expect: {{ css: \"[id='step-{path}'] img[src='{shot}']\" }}"
            ));
        }
        if s["status"] == "failed" && s["kind"] == "action" {
            steps.push(format!("  - expect: {{ css: \"[id='step-{path}'] .error\", contains: \"no field \\\"Scop\\\" appeared\" }}"));
        }
    }
    let check = artifacts.join("read-report.yaml");
    std::fs::write(
        &check,
        format!("runbook: read the report\nsteps:\n{}\n", steps.join("\n")),
    )
    .unwrap();
    let read = setupwright(
        &[
            "run",
            check.to_str().unwrap(),
            "--artifacts",
            artifacts.to_str().unwrap(),
            "--step-timeout",
            "5s",
        ],
        &[],
    );
    assert_eq!(
        read.code,
        0,
        "{}\n{}",
        read.stdout,
        std::fs::read_to_string(&check).unwrap()
    );
    for s in report["steps"].as_array().unwrap() {
        if let Some(shot) = s["screenshot"].as_str() {
            assert!(
                dir.join(shot).exists(),
                "{shot} is linked from the report and exists"
            );
        }
    }

    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"A typo in a field name inside the classic frame\""),
        "{junit}"
    );
    assert!(junit.contains("tests=\"2\" failures=\"1\""), "{junit}");
    assert!(
        junit.contains("<failure message=\"step 2 &quot;fill field &quot;Scop&quot;"),
        "{junit}"
    );
}

#[test]
fn report_formats_are_chosen_with_report() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = setupwright(
        &[
            "run",
            "tests/runbooks/diagnostics.yaml",
            "-i",
            &format!("base={}", fx.base),
            "--artifacts",
            artifacts.to_str().unwrap(),
            "--report",
            "json",
        ],
        &[],
    );
    let dir = run_dir(&out.stdout);
    assert!(dir.join("report.json").exists());
    assert!(!dir.join("report.html").exists() && !dir.join("junit.xml").exists());
    let bad = setupwright(
        &[
            "run",
            "tests/runbooks/diagnostics.yaml",
            "-i",
            "base=x",
            "--report",
            "pdf",
        ],
        &[],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown report format `pdf`"),
        "{}",
        bad.stderr
    );
}
