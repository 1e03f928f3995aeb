//! A run killed at the worst moments, right after a Save whose follow-up has not happened
//! yet, leaves a half-done org. `verify` calls it drift, and both a resume and a plain
//! re-run finish the job: the seed runbook's guards check what each group must leave
//! behind, not only that its record exists.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// Starts the seed run and kills it (SIGKILL) as soon as the org's state satisfies `when`.
fn kill_when(h: &SimHandle, artifacts: &std::path::Path, when: impl Fn(&Value) -> bool) {
    let mut child = h
        .seed_command("run", artifacts, &h.cfg.password, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if when(&h.sim.state()) {
            child.kill().unwrap();
            child.wait().unwrap();
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before the moment came");
        }
        assert!(Instant::now() < deadline, "the moment never came");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The one run folder under `artifacts`.
fn only_run(artifacts: &std::path::Path) -> std::path::PathBuf {
    let runs: Vec<_> = std::fs::read_dir(artifacts).unwrap().flatten().collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    runs[0].path()
}

fn assert_fully_provisioned(s: &Value, username: &str) {
    let one = |k: &str| {
        let a = s[k].as_array().unwrap();
        assert_eq!(a.len(), 1, "{k}: {a:?}");
        a[0].clone()
    };
    let (app, provider, nc) = (
        one("external_client_apps"),
        one("auth_providers"),
        one("named_credentials"),
    );
    assert_eq!(
        app["callback_url"], provider["callback_url"],
        "the app has the provider's callback"
    );
    assert_eq!(provider["consumer_key"], app["consumer_key"]);
    assert_eq!(nc["auth_provider_id"], provider["id"]);
    assert_eq!(nc["auth_status"], format!("Authenticated as {username}"));
    let record = &s["custom_metadata_types"][0]["records"][0];
    assert_eq!(record["values"]["Named_Credential_API_Name__c"], nc["name"]);
}

#[test]
fn killed_between_the_providers_save_and_the_callback_update_a_resume_finishes() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    kill_when(&h, &artifacts, |s| {
        s["auth_providers"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    });
    let s = h.sim.state();
    assert_ne!(
        s["external_client_apps"][0]["callback_url"], s["auth_providers"][0]["callback_url"],
        "killed before the callback was copied"
    );
    let dir = only_run(&artifacts);
    let resumed = h.run_seed(
        &artifacts,
        &h.cfg.password.clone(),
        &["--resume", dir.to_str().unwrap()],
    );
    assert_eq!(
        resumed.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        resumed.stdout, resumed.stderr
    );
    assert_fully_provisioned(&h.sim.state(), &h.cfg.username);
}

#[test]
fn killed_between_the_credentials_save_and_allow_verify_sees_drift_and_a_rerun_repairs() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    kill_when(&h, &artifacts, |s| {
        s["named_credentials"][0]["auth_status"] == "Pending"
    });
    assert_eq!(
        h.sim.state()["named_credentials"][0]["auth_status"],
        "Pending"
    );

    let drift = h.seed_cmd("verify", &artifacts, &h.cfg.password.clone(), &[]);
    assert_eq!(
        drift.code, 5,
        "stdout:\n{}\nstderr:\n{}",
        drift.stdout, drift.stderr
    );
    assert!(
        drift
            .stdout
            .contains("MISSING 7 Step 3: Authenticate the Named Credential"),
        "{}",
        drift.stdout
    );
    assert!(
        drift
            .stdout
            .contains("done    6 Step 3: Create Named Credential"),
        "{}",
        drift.stdout
    );

    let again = h.run_seed(&artifacts, &h.cfg.password.clone(), &[]);
    assert_eq!(
        again.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        again.stdout, again.stderr
    );
    let s = h.sim.state();
    assert_fully_provisioned(&s, &h.cfg.username);
    let verified = h.seed_cmd("verify", &artifacts, &h.cfg.password.clone(), &[]);
    assert_eq!(verified.code, 0, "stdout:\n{}", verified.stdout);
    assert!(
        verified.stdout.contains("7 of 7 guarded groups done"),
        "{}",
        verified.stdout
    );
}
