//! Parts of a runbook (`--group`, `--from`, `--to`): the seed runbook run in part against
//! the simulator changes only what the chosen part makes, guards still decide, the reports
//! mark the rest "not selected", and a part that needs a value only a step left out
//! captures is refused before any browser starts.

mod common;

use std::path::Path;

use common::*;

const SEED: &str = "runbooks/focus-matters-secured-login.yaml";
const NOT_SELECTED: &str = "not selected (--group/--from/--to)";

/// The top-level records of a report, as (path, status, skip reason).
fn top_level(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["depth"] == 0)
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["skip_reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn assert_not_selected(dir: &Path, report: &serde_json::Value, paths: &[&str]) {
    let top = top_level(report);
    for p in paths {
        let (_, status, reason) = top
            .iter()
            .find(|(path, _, _)| path == p)
            .unwrap_or_else(|| panic!("no record of step {p}: {top:?}"));
        assert_eq!(
            (status.as_str(), reason.as_str()),
            ("skipped", NOT_SELECTED),
            "step {p}"
        );
    }
    // junit.xml: a skipped case with the reason as its text, as GitLab reads it.
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let skipped = junit.matches(&format!(">{NOT_SELECTED}</skipped>")).count();
    assert_eq!(skipped, paths.len(), "{junit}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // (minijinja writes "/" as "&#x2f;")
    assert!(
        html.contains(&NOT_SELECTED.replace('/', "&#x2f;")),
        "report.html names no step not selected"
    );
}

fn ok(out: &Output) {
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
}

#[test]
fn one_group_changes_only_its_part_of_the_org_and_its_guard_still_decides() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let fresh = h.sim.state();
    let pw = h.cfg.password.clone();
    let part = [
        "--group",
        "Go to Setup",
        "--group",
        "step 1: create a new external client app",
    ];

    // `verify` of the part checks only its guarded group.
    let drift = h.seed_cmd("verify", &artifacts, &pw, &part);
    assert_eq!(
        drift.code, 5,
        "stdout:\n{}\nstderr:\n{}",
        drift.stdout, drift.stderr
    );
    assert!(
        drift.stdout.contains("0 of 1 guarded groups done"),
        "{}",
        drift.stdout
    );
    assert!(
        drift
            .stdout
            .contains("MISSING 2 Step 1: Create a New External Client App"),
        "{}",
        drift.stdout
    );

    let out = h.run_seed(&artifacts, &pw, &part);
    ok(&out);
    assert!(
        out.stdout.contains("26 of 93 steps selected"),
        "{}",
        out.stdout
    );
    let s = h.sim.state();
    assert_eq!(s["external_client_apps"].as_array().unwrap().len(), 1);
    assert_eq!(
        s["external_client_apps"][0]["name"],
        "CaseCloud Secured Login Integration"
    );
    for untouched in [
        "auth_providers",
        "named_credentials",
        "custom_metadata_types",
    ] {
        assert_eq!(s[untouched], fresh[untouched], "{untouched} changed");
    }
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("26 of 93 steps selected"),
        "report.html says not how many"
    );
    assert!(
        out.stdout
            .contains("26 of 93 steps selected (--group/--from/--to), the rest skipped"),
        "{}",
        out.stdout
    );
    assert_eq!(report["selection"]["selected"], 26);
    assert_eq!(report["selection"]["total"], 93);
    assert_eq!(report["failed"], 0);
    // Every step left out counts as skipped: no more than the part can have passed.
    assert!(
        report["passed"].as_u64().unwrap() <= 26,
        "{}",
        report["passed"]
    );
    assert_not_selected(&dir, &report, &["3", "4", "5", "6", "7", "8"]);

    // Again: the group's guard finds the app and skips it; the org stays as it is.
    let out = h.run_seed(&artifacts, &pw, &part);
    ok(&out);
    assert_eq!(
        h.sim.state()["external_client_apps"],
        s["external_client_apps"]
    );
    let report = common::report(&run_dir(&out.stdout));
    let (_, status, reason) = &top_level(&report)[1];
    assert_eq!(status, "skipped");
    assert!(reason.starts_with("skip_if:"), "{reason}");

    let drift = h.seed_cmd("verify", &artifacts, &pw, &part);
    ok(&drift);
    assert!(
        drift.stdout.contains("1 of 1 guarded groups done"),
        "{}",
        drift.stdout
    );
}

#[test]
fn a_range_enters_and_leaves_groups() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let fresh = h.sim.state();
    let pw = h.cfg.password.clone();
    // From the start to the Auth. Provider's Save, leaving out its last step (the
    // Callback URL's capture) and all after it.
    let out = h.run_seed(&artifacts, &pw, &["--to", "4.11"]);
    ok(&out);
    assert!(
        out.stdout.contains("47 of 93 steps selected"),
        "{}",
        out.stdout
    );
    let s = h.sim.state();
    assert_eq!(s["external_client_apps"].as_array().unwrap().len(), 1);
    let provider = &s["auth_providers"][0];
    assert_eq!(provider["name"], "CaseCloud Secured Login Provider");
    // Typed from the capture of group 3, in the same run.
    assert_eq!(
        provider["consumer_key"],
        s["external_client_apps"][0]["consumer_key"]
    );
    // Group 5 never ran: the app still has the callback it was created with.
    assert_ne!(
        s["external_client_apps"][0]["callback_url"],
        provider["callback_url"]
    );
    for untouched in ["named_credentials", "custom_metadata_types"] {
        assert_eq!(s[untouched], fresh[untouched], "{untouched} changed");
    }
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    assert_not_selected(&dir, &report, &["5", "6", "7", "8"]);
    let last = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "4.12")
        .expect("a record of 4.12");
    assert_eq!(
        (last["status"].as_str(), last["skip_reason"].as_str()),
        (Some("skipped"), Some(NOT_SELECTED))
    );
    assert!(
        report["captures"].get("callback_url").is_none(),
        "{}",
        report["captures"]
    );
    // Group 4, run in part, is not journaled as done: a resume of the whole runbook
    // looks at it again.
    let journal = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
    let top: Vec<String> = journal
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["depth"] == 0)
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(top, ["1", "2", "3"], "{journal}");
}

/// A dead WebDriver: a run that got as far as starting a browser would exit 6.
const NO_DRIVER: [&str; 2] = ["--webdriver", "http://127.0.0.1:9"];

/// The seed runbook against no org and a dead WebDriver, with `extra` flags.
fn seed_run(artifacts: &Path, extra: &[&str]) -> Run {
    Run::new(SEED)
        .input("my_domain_url", "http://127.0.0.1:9")
        .input("username", "admin@example.com")
        .input("contact_email", "admin@example.com")
        .artifacts(artifacts)
        .args(NO_DRIVER)
        .args(extra)
}

#[test]
fn a_part_that_needs_a_capture_from_outside_is_refused_before_the_browser() {
    let artifacts = tmp_artifacts();
    let out = seed_run(&artifacts, &["--group", "Step 2: Create Auth. Provider"]).output();
    assert_eq!(
        out.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    for said in [
        "`${consumer_key}`",
        "step 3.8 \"capture consumer_key\"",
        "needed by: step 4.7",
        "focus-matters-secured-login.yaml:98:",
        "add --group 3",
        "--resume RUN_DIR",
        "`${consumer_secret}`",
    ] {
        assert!(out.stderr.contains(said), "{said} not in:\n{}", out.stderr);
    }
    assert!(
        std::fs::read_dir(&artifacts).unwrap().next().is_none(),
        "a run folder was made"
    );
    // The same as JSON, with the value and the step that captures it as fields.
    let out = seed_run(&artifacts, &["--group", "4"])
        .global_args(["--log-format", "json"])
        .output();
    assert_eq!(out.code, 2, "{}", out.stderr);
    let first: serde_json::Value =
        serde_json::from_str(out.stderr.lines().next().unwrap()).unwrap();
    assert_eq!(first["fields"]["kind"], "usage");
    assert_eq!(first["fields"]["exit_code"], 2);
    assert_eq!(first["fields"]["value"], "consumer_key");
    assert_eq!(first["fields"]["captured_by"]["step"], "3.8");

    // With the group that captures them, nothing is missing: the run gets as far as the
    // (dead) browser.
    let out = seed_run(&artifacts, &["--group", "3", "--group", "4"]).output();
    assert_eq!(
        out.code, 6,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
}

#[test]
fn a_resumed_runs_journal_gives_the_values_a_part_needs() {
    let artifacts = tmp_artifacts();
    // A run folder as an interrupted run leaves it: its journal holds the Consumer Key,
    // the private state file its Consumer Secret.
    let dir = artifacts.join("interrupted");
    std::fs::create_dir_all(&dir).unwrap();
    let id = "0123456789abcdef0123456789abcdef";
    std::fs::write(
        dir.join("journal.jsonl"),
        format!(
            "{}\n{}\n",
            serde_json::json!({ "runbook": SEED, "run_id": id }),
            serde_json::json!({ "path": "3", "depth": 0, "status": "passed", "captures": { "consumer_key": "KEY1" }, "secret_captures": ["consumer_secret"] })
        ),
    )
    .unwrap();
    let state = state_dir().join("resume");
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&state)
            .unwrap();
        let f = state.join(format!("{id}.json"));
        std::fs::write(&f, r#"{"consumer_secret":"a-long-enough-secret"}"#).unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let d = dir.to_str().unwrap();
    let out = seed_run(&artifacts, &["--group", "4", "--resume", d]).output();
    // Not refused for the values: it got as far as the (dead) browser.
    assert_eq!(
        out.code, 6,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(!out.stderr.contains("consumer_key"), "{}", out.stderr);
}

#[test]
fn plan_of_a_part_prints_only_it_and_what_it_leaves_out() {
    let out = setupwright(
        &[
            "plan",
            SEED,
            "-i",
            "my_domain_url=https://acme.my.salesforce.com",
            "-i",
            "username=a@example.com",
            "-i",
            "contact_email=a@example.com",
            "--group",
            "7",
            "--from",
            "allow access",
        ],
        &[],
    );
    ok(&out);
    let steps: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()) && l.starts_with("  "))
        .collect();
    let (taken, left): (Vec<&str>, Vec<&str>) = {
        let cut = out
            .stdout
            .find("left out (not selected):")
            .expect("a left-out list");
        let (a, b) = out.stdout.split_at(cut);
        (
            steps.iter().copied().filter(|l| a.contains(*l)).collect(),
            b.lines().skip(1).collect(),
        )
    };
    assert_eq!(
        taken.iter().map(|l| l.trim()).collect::<Vec<_>>(),
        [
            "7 Step 3: Authenticate the Named Credential (when a run stopped before Allow)  [skip_if]  [in part]",
            "7.7 Allow access",
            "7.8 expect field \"Authentication Status\"",
        ],
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("2 of 93 steps selected"),
        "{}",
        out.stdout
    );
    let left: Vec<&str> = left.iter().map(|l| l.trim()).collect();
    assert!(left.contains(&"1 Go to Setup"), "{left:?}");
    assert!(left.contains(&"7.1 to 7.6 (6 steps)"), "{left:?}");
    assert!(
        left.contains(&"8 Step 4: Update AdvoLogix Global Configuration"),
        "{left:?}"
    );

    // A name that matches two steps: refused with both.
    let out = setupwright(&["plan", SEED, "--from", "Allow access"], &[]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("6.23 Allow access") && out.stderr.contains("7.7 Allow access"),
        "{}",
        out.stderr
    );
}

/// A part needs the inputs its steps read and no others: group 3 (copy the Consumer Key
/// and Secret) reads the app's and the provider's names, never the My Domain URL or the
/// username; group 2 reads the contact email.
#[test]
fn a_part_needs_only_the_inputs_its_steps_read() {
    let out = setupwright(&["plan", SEED, "--group", "3"], &[]);
    ok(&out);
    assert!(
        out.stdout
            .contains("input my_domain_url = (not given: asked for if a step needs it)"),
        "{}",
        out.stdout
    );
    // Run: not refused for those inputs, it gets as far as the (dead) browser.
    let artifacts = tmp_artifacts();
    let out = Run::new(SEED)
        .artifacts(&artifacts)
        .args(NO_DRIVER)
        .args(["--group", "3"])
        .output();
    assert_eq!(out.code, 6, "{}\n{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("missing input"), "{}", out.stderr);
    // Group 2 reads the contact email (and the My Domain URL, for the Callback URL), and
    // not the username.
    let out = Run::new(SEED)
        .artifacts(&artifacts)
        .args(NO_DRIVER)
        .args(["--group", "2"])
        .output();
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("missing input `contact_email`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("missing input `my_domain_url`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("`username`"), "{}", out.stderr);
}

#[test]
fn a_part_resumes_with_the_captures_the_stopped_run_made() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let pw = h.cfg.password.clone();
    // A whole run, stopped once group 3 has copied the Consumer Key and Secret.
    let run = h
        .seed_command("run", &artifacts, &pw, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let dir = loop {
        assert!(Instant::now() < deadline, "the run never finished group 3");
        let dir = std::fs::read_dir(&artifacts)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.is_dir());
        if let Some(dir) = dir {
            let journal = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap_or_default();
            let group_3_done = journal.lines().any(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap_or_default();
                v["path"] == "3" && v["depth"] == 0 && v["status"] == "passed"
            });
            if group_3_done {
                break dir;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // SAFETY: kill(2) on a child this test started.
    unsafe { libc::kill(run.id() as i32, libc::SIGTERM) };
    let out: Output = run.wait_with_output().unwrap().into();
    assert_eq!(
        out.code, 143,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(h.sim.state()["auth_providers"]
        .as_array()
        .unwrap()
        .is_empty());

    // Group 4 alone would lack them; from the stopped run's journal it has them.
    let d = dir.to_str().unwrap();
    let out = h.run_seed(
        &artifacts,
        &pw,
        &["--group", "1", "--group", "4", "--resume", d],
    );
    ok(&out);
    let s = h.sim.state();
    let (app, provider) = (&s["external_client_apps"][0], &s["auth_providers"][0]);
    assert_eq!(provider["consumer_key"], app["consumer_key"]);
    assert_eq!(provider["consumer_secret"], app["consumer_secret"]);
    assert!(s["named_credentials"].as_array().unwrap().is_empty());
    let report = report(&dir);
    assert_not_selected(&dir, &report, &["2", "3", "5", "6", "7", "8"]);
}

#[test]
fn every_target_runs_the_same_part_and_one_lacking_a_value_stops_all_before_a_browser() {
    let dir = tmp_artifacts();
    let targets = dir.join("targets.yaml");
    std::fs::write(
        &targets,
        "inputs:\n  contact_email: ops@example.com\ntargets:\n  - name: uat\n    inputs: { my_domain_url: 'http://127.0.0.1:9', username: a@b.c }\n  - name: qa\n    inputs: { my_domain_url: 'http://127.0.0.1:9', username: a@b.c }\n",
    )
    .unwrap();
    let run = |part: &[&str]| {
        Run::new(SEED)
            .arg("--targets")
            .arg(&targets)
            .artifacts(&dir)
            .args(["--chromedriver", "/nonexistent/chromedriver"])
            .args(part)
            .output()
    };
    let out = run(&["--group", "4"]);
    assert_eq!(
        out.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stderr.contains("`${consumer_key}`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("nothing was run: target uat"),
        "{}",
        out.stderr
    );
    let out = run(&["--group", "no such group"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("no top-level group has that title"),
        "{}",
        out.stderr
    );
    // A part with what it needs gets as far as the (missing) chromedriver.
    let out = run(&["--group", "3", "--group", "4"]);
    assert_eq!(
        out.code, 6,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    // Targets that give only what group 3 reads: that part starts, group 2 does not.
    let bare = dir.join("bare.yaml");
    std::fs::write(&bare, "targets:\n  - name: uat\n  - name: qa\n").unwrap();
    let run_bare = |part: &[&str]| {
        Run::new(SEED)
            .arg("--targets")
            .arg(&bare)
            .artifacts(&dir)
            .args(["--chromedriver", "/nonexistent/chromedriver"])
            .args(part)
            .output()
    };
    let out = run_bare(&["--group", "3"]);
    assert_eq!(out.code, 6, "{}\n{}", out.stdout, out.stderr);
    let out = run_bare(&["--group", "2"]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("target `uat`: missing input `my_domain_url`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("`username`"), "{}", out.stderr);
}
