//! What a newcomer meets first: `plan` with defaults, an `expect` whose value will not
//! change, a WebDriver URL nobody answers, `--headed` without a display, and an inputs
//! file others can read.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

#[test]
fn plan_fills_in_defaults_when_other_inputs_are_missing() {
    let out = setupwright(&["plan", "runbooks/focus-matters-secured-login.yaml"], &[]);
    // The plan is printed, and the exit code says a run would be refused (issue 25).
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("error: missing input `my_domain_url`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("input app_name = CaseCloud Secured Login Integration"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("input my_domain_url = (not given)"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_expect_on_a_still_page_fails_without_waiting_out_its_timeout() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let runbook = artifacts.join("final.yaml");
    let write = |timeout: &str| {
        std::fs::write(
            &runbook,
            format!(
                "runbook: A value that will not change\ninputs:\n  base: {{}}\nsteps:\n  - goto: \"${{base}}/fixtures/form.html\"\n  - expect: {{ field: App Name, value: Focus }}\n{timeout}"
            ),
        )
        .unwrap();
    };
    let run = || {
        Run::new(&runbook)
            .input("base", &fx.base)
            .artifacts(&artifacts)
            .args(["--step-timeout", "40s"])
            .output()
    };
    write("");
    let out = run();
    assert_eq!(out.code, 5, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("field \"App Name\" holds \"\", expected \"Focus\" (the page has been still for 3 s, so this will not change"),
        "{}",
        out.stdout
    );
    let first = report(&run_dir(&out.stdout));
    let ms = first["steps"][1]["duration_ms"].as_u64().unwrap();
    assert!(
        ms < 20_000,
        "it stopped long before the 40 s step timeout: {ms} ms"
    );

    // A step with its own timeout waits it out: a server may change the value later.
    write("    timeout: 5s\n");
    let patient = run();
    assert_eq!(patient.code, 5, "{}", patient.stdout);
    assert!(
        !patient.stdout.contains("so this will not change"),
        "{}",
        patient.stdout
    );
    let second = report(&run_dir(&patient.stdout));
    assert!(second["steps"][1]["duration_ms"].as_u64().unwrap() >= 4_500);
}

#[test]
fn browser_problems_get_the_hint_that_fits() {
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "run",
            "tests/runbooks/org-session.yaml",
            "-i",
            "my_domain_url=http://127.0.0.1:9",
        ];
        a.extend(extra);
        a
    };
    // A port nothing listens on.
    let unreachable = setupwright(&args(&["--webdriver", "http://127.0.0.1:9"]), &[]);
    assert_eq!(unreachable.code, 6, "{}", unreachable.stderr);
    assert!(
        unreachable.stderr.contains("help: check that a WebDriver server (chromedriver, or a Selenium Grid hub) listens at http://127.0.0.1:9")
            && !unreachable.stderr.contains("install Chromium"),
        "{}",
        unreachable.stderr
    );

    let headed = setupwright(
        &args(&["--headed"]),
        &[("DISPLAY", ""), ("WAYLAND_DISPLAY", "")],
    );
    assert_eq!(headed.code, 6, "{}", headed.stderr);
    assert!(
        headed
            .stderr
            .contains("help: --headed needs a display, and this session has none"),
        "{}",
        headed.stderr
    );
}

#[test]
fn a_readable_inputs_file_with_a_secret_is_warned_about() {
    let dir = tmp_artifacts();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("inputs.yaml");
    std::fs::write(&file, "login_password: hunter2-secret\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let args = [
        "run",
        "runbooks/focus-matters-secured-login.yaml",
        "--inputs",
        file.to_str().unwrap(),
    ];
    // Inputs are missing, so the run stops before any browser: the warning comes first.
    let open = setupwright(&args, &[]);
    assert!(
        open.stderr.contains(&format!(
            "warning: {} holds the secret input(s) login_password and other users can read it (mode 644)",
            file.display()
        )) && open.stderr.contains(&format!("help: chmod 600 {}", file.display())),
        "{}",
        open.stderr
    );
    assert!(!open.stderr.contains("hunter2-secret"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let closed = setupwright(&args, &[]);
    assert!(
        !closed.stderr.contains("other users can read it"),
        "{}",
        closed.stderr
    );
}
