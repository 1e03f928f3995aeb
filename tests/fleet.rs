//! `run --targets` checks every target before any browser starts.

mod common;

use common::*;

#[test]
fn every_target_is_checked_before_anything_runs() {
    let dir = tmp_artifacts();
    let targets = dir.join("targets.yaml");
    std::fs::write(
        &targets,
        "inputs:\n  contact_email: ops@example.com\ntargets:\n  - name: uat\n    inputs: { my_domain_url: 'http://127.0.0.1:9', username: a@b.c, login_password: hunter22 }\n  - name: qa\n    inputs: { my_domian_url: 'http://127.0.0.1:9', username: a@b.c }\n",
    )
    .unwrap();
    let out = Run::new("runbooks/focus-matters-secured-login.yaml")
        .arg("--targets")
        .arg(targets.to_str().unwrap())
        .artifacts(&dir)
        .args(["--chromedriver", "/nonexistent/chromedriver"])
        .output();
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    let t = targets.display();
    assert!(out.stderr.contains(&format!("{t} target `uat`: `login_password` is secret and must not be written in the targets file; set SETUPWRIGHT_UAT_LOGIN_PASSWORD")), "{}", out.stderr);
    assert!(out.stderr.contains(&format!("{t} target `qa`: the runbook has no input `my_domian_url` (did you mean `my_domain_url`?)")), "{}", out.stderr);
    // A secret not given is asked for only when a step needs it, not refused up front.
    assert!(
        !out.stderr
            .contains(&format!("{t} target `qa`: missing input `login_password`")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("nothing was run"), "{}", out.stderr);
    assert!(!out.stderr.contains("hunter22") && !out.stdout.contains("hunter22"));
    // No browser was asked for (the chromedriver path does not exist) and no run folder made.
    assert!(!dir.join("uat").exists() && !dir.join("qa").exists());
}

#[test]
fn a_malformed_targets_file_is_named_with_its_line() {
    let dir = tmp_artifacts();
    let targets = dir.join("targets.yaml");
    std::fs::write(
        &targets,
        "targets:\n  - name: uat\n    org: x\n    inputs_fiel: a.yaml\n",
    )
    .unwrap();
    let out = setupwright(
        &[
            "run",
            "runbooks/focus-matters-secured-login.yaml",
            "--targets",
            targets.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!(
            "{}:4:5: targets[0]: unknown field `inputs_fiel`",
            targets.display()
        )),
        "{}",
        out.stderr
    );
    let out = setupwright(
        &[
            "run",
            "runbooks/focus-matters-secured-login.yaml",
            "--jobs",
            "2",
        ],
        &[],
    );
    assert_eq!(out.code, 2, "--jobs needs --targets: {}", out.stderr);
}
