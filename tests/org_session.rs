//! `--org ALIAS` through the real Salesforce CLI (`tests/sfcli`, pinned, on Node.js 22
//! from npm), authorised against the simulator as against any org; and what a run says and
//! reports when the CLI or the org refuses.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const REAL_SF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sfcli/sf");
const STUB_SF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bin/sf");

/// A home folder of its own for the CLI, where it keeps its authorisations.
struct CliHome(PathBuf);

impl CliHome {
    fn new() -> CliHome {
        let dir = tmp_artifacts().join("sf-home");
        std::fs::create_dir_all(&dir).unwrap();
        CliHome(dir)
    }

    /// The environment the CLI runs in: its own home, no telemetry or update checks
    /// (there is no network here).
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HOME", self.0.display().to_string()),
            ("SF_DISABLE_TELEMETRY", "true".into()),
            ("SF_AUTOUPDATE_DISABLE", "true".into()),
            ("SF_USE_GENERIC_UNIX_KEYCHAIN", "true".into()),
        ]
    }

    /// `sf org login access-token`: what a CI job does with a session it was given.
    fn authorise(&self, instance_url: &str, token: &str, alias: &str) {
        let out = Command::new(REAL_SF)
            .args([
                "org",
                "login",
                "access-token",
                "--instance-url",
                instance_url,
                "--alias",
                alias,
                "--no-prompt",
                "--json",
            ])
            .envs(self.env())
            .env("SF_ACCESS_TOKEN", token)
            .output()
            .expect("run the Salesforce CLI (bash scripts/test.sh installs it)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("\"username\": \"admin@example.com\""),
            "sf org login access-token: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn run_with_org(alias: &str, sf: &str, artifacts: &Path, env: &[(&str, String)]) -> Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Run::new("tests/runbooks/org-session.yaml")
        .args(["--org", alias, "--sf", sf])
        .artifacts(artifacts)
        .envs(&env)
        .output()
}

#[test]
fn the_real_cli_signs_in_with_a_single_use_link() {
    let h = start_sim(None);
    let token = h.sim.new_session();
    let home = CliHome::new();
    home.authorise(&h.sim.classic_url, &token, "sandbox1");
    let artifacts = tmp_artifacts();
    let out = run_with_org("sandbox1", REAL_SF, &artifacts, &home.env());
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "Signed in to {} with the Salesforce CLI (org sandbox1)",
            h.sim.classic_url
        )),
        "{}",
        out.stdout
    );
    // The link was made for this run and spent by the browser.
    assert!(h.sim.org.lock().unwrap().one_time_logins.is_empty());
    let dir = run_dir(&out.stdout);
    for (path, bytes) in all_files(&dir) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&token) && !text.contains("otp="),
            "{} holds the session or the link",
            path.display()
        );
    }
    assert!(!out.stdout.contains(&token) && !out.stderr.contains(&token));
    assert!(!out.stdout.contains("otp=") && !out.stderr.contains("otp="));
}

#[test]
fn an_expired_cli_session_fails_the_run_with_its_reports() {
    let h = start_sim(None);
    let home = CliHome::new();
    home.authorise(&h.sim.classic_url, &h.sim.new_session(), "sandbox1");
    h.sim.org.lock().unwrap().expire_sessions();
    let artifacts = tmp_artifacts();
    let out = run_with_org("sandbox1", REAL_SF, &artifacts, &home.env());
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("the Salesforce CLI's session for `sandbox1` has expired or was revoked (INVALID_SESSION_ID: Session expired or invalid)")
            && out.stderr.contains("help: log in again with `sf org login web --alias sandbox1"),
        "{}",
        out.stderr
    );
    let dir = run_dir(&out.stdout);
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 3, "sign-in and both top-level steps: {junit}");
    assert!(cases[0].attribute("name").unwrap().starts_with("0 Sign in"));
    assert!(cases[0].children().any(|c| c.has_tag_name("failure")));
    for c in &cases[1..] {
        let skipped = c.children().find(|c| c.has_tag_name("skipped"));
        assert!(
            skipped.is_some_and(|s| s.attribute("message").unwrap().contains("not reached")),
            "{junit}"
        );
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["status"], "failed");
    assert_eq!(
        (report["failed"].as_u64(), report["skipped"].as_u64()),
        (Some(1), Some(2))
    );
    assert!(dir.join("report.html").exists());
}

#[test]
fn a_link_the_org_refuses_leaves_reports_and_a_picture() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    // An old CLI's answer: frontdoor with a session id, here one the org never issued.
    let answer = serde_json::json!({ "status": 0, "result": {
        "url": format!("{}/secur/frontdoor.jsp?sid=00Dexpired!token", h.sim.classic_url),
        "orgId": "00D5g000004SIMAAA", "username": "admin@example.com" }, "warnings": [] });
    let out = run_with_org(
        "sandbox1",
        STUB_SF,
        &artifacts,
        &[("STUB_SF_OUTPUT", answer.to_string())],
    );
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("answered the frontdoor sign-in with its login page (ec=302)"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("00Dexpired!token") && !out.stdout.contains("00Dexpired!token"));
    let dir = run_dir(&out.stdout);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    let first = &report["steps"][0];
    assert_eq!(first["path"], "0");
    assert_eq!(first["status"], "failed");
    let picture = first["screenshot"].as_str().expect("a picture of the page");
    let png = std::fs::read(dir.join(picture)).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{picture}");
    assert!(dir.join("junit.xml").exists() && dir.join("report.html").exists());
    for (path, bytes) in all_files(&dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("00Dexpired!token"),
            "{} holds the session id",
            path.display()
        );
    }
}

#[test]
fn cli_problems_say_what_to_do() {
    let h = start_sim(None);
    let home = CliHome::new();
    home.authorise(&h.sim.classic_url, &h.sim.new_session(), "sandbox1");
    let artifacts = tmp_artifacts();

    let unknown = run_with_org("nosuch", REAL_SF, &artifacts, &home.env());
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("the Salesforce CLI knows no org `nosuch` (Parsing --target-org No authorization information found for nosuch.)")
            && unknown.stderr.contains("`sf org list` shows the aliases it knows"),
        "{}",
        unknown.stderr
    );

    let missing = run_with_org("sandbox1", "/nonexistent/sf", &artifacts, &[]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("the Salesforce CLI `/nonexistent/sf` is not installed or not on PATH"),
        "{}",
        missing.stderr
    );

    // What the current CLI does on Node.js 20: a crash, no JSON.
    let broken = run_with_org(
        "sandbox1",
        STUB_SF,
        &artifacts,
        &[
            (
                "STUB_SF_OUTPUT",
                "TypeError: Cannot read properties of undefined (reading 'bind')".into(),
            ),
            ("STUB_SF_EXIT", "1".into()),
        ],
    );
    assert_eq!(broken.code, 2);
    assert!(
        broken
            .stderr
            .contains("did not answer JSON (exit 1); it said: TypeError")
            && broken.stderr.contains("Node.js 22"),
        "{}",
        broken.stderr
    );

    let no_token = setupwright(
        &[
            "run",
            "tests/runbooks/org-session.yaml",
            "--instance-url",
            &h.sim.classic_url,
        ],
        &[],
    );
    assert_eq!(no_token.code, 2);
    assert!(
        no_token
            .stderr
            .contains("needs the access token in the environment variable SF_ACCESS_TOKEN"),
        "{}",
        no_token.stderr
    );
}

#[test]
fn the_seed_signed_in_through_the_cli_asks_for_each_secret_only_where_a_step_needs_it() {
    // Signed in by the CLI's single-use link, the seed's own sign-in step never runs, so
    // the run starts without the password. The org still asks for the verification code
    // before it shows the Consumer Secret, and the Named Credential's OAuth flow shows a
    // login page: each secret is asked for there, and a resume finishes once it is given.
    let h = start_sim(None);
    let token = h.sim.new_session();
    let home = CliHome::new();
    home.authorise(&h.sim.classic_url, &token, "sandbox1");
    let artifacts = tmp_artifacts();
    let seed = |secrets: &[(&str, &str)], resume: Option<&Path>| -> Output {
        let mut extra = vec!["--org", "sandbox1", "--sf", REAL_SF];
        if let Some(dir) = resume {
            extra.extend(["--resume", dir.to_str().unwrap()]);
        }
        let mut c = h.seed_command("run", &artifacts, "", &extra);
        c.env_remove("SETUPWRIGHT_LOGIN_PASSWORD")
            .env_remove("SETUPWRIGHT_VERIFICATION_CODE")
            .envs(home.env())
            .envs(secrets.iter().copied());
        c.output().expect("run setupwright").into()
    };
    let asks = |out: &Output, input: &str, env: &str| {
        assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
        assert!(
            out.stdout.contains(&format!(
                "this step needs the secret input `{input}`, which was not given: set {env}"
            )),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("resume with:"), "{}", out.stdout);
    };
    let first = seed(&[], None);
    asks(&first, "verification_code", "SETUPWRIGHT_VERIFICATION_CODE");
    assert!(!first.stdout.contains("login_password"), "{}", first.stdout);
    let dir = run_dir(&first.stdout);
    let code = h.cfg.verification_code.clone();
    let second = seed(&[("SETUPWRIGHT_VERIFICATION_CODE", &code)], Some(&dir));
    asks(&second, "login_password", "SETUPWRIGHT_LOGIN_PASSWORD");
    let password = h.cfg.password.clone();
    let third = seed(
        &[
            ("SETUPWRIGHT_VERIFICATION_CODE", &code),
            ("SETUPWRIGHT_LOGIN_PASSWORD", &password),
        ],
        Some(&dir),
    );
    assert_eq!(third.code, 0, "{}\n{}", third.stdout, third.stderr);
    let s = h.sim.state();
    assert_eq!(
        s["named_credentials"][0]["auth_status"],
        format!("Authenticated as {}", h.cfg.username),
        "{s}"
    );
    assert_eq!(s["external_client_apps"].as_array().map(Vec::len), Some(1));
}
