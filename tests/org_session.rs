//! `--org ALIAS` through a stub Salesforce CLI, and what happens when the session is refused.

mod common;

use common::*;

fn sf_json(instance: &str, token: &str) -> String {
    serde_json::json!({ "status": 0, "result": { "instanceUrl": instance, "accessToken": token, "username": "admin@example.com" } }).to_string()
}

#[test]
fn an_org_alias_signs_in_through_frontdoor_without_a_password() {
    let h = start_sim(None);
    let token = h.sim.new_session();
    let artifacts = tmp_artifacts();
    let stub = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bin/sf");
    let out = setupwright(
        &[
            "run",
            "tests/runbooks/org-session.yaml",
            "--org",
            "sandbox1",
            "--sf",
            stub,
            "--artifacts",
            artifacts.to_str().unwrap(),
        ],
        &[("STUB_SF_OUTPUT", &sf_json(&h.sim.classic_url, &token))],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "Signed in to {} with the Salesforce CLI (org sandbox1)",
            h.sim.classic_url
        )),
        "{}",
        out.stdout
    );
    let dir = run_dir(&out.stdout);
    for (path, bytes) in all_files(&dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&token),
            "{} holds the session id",
            path.display()
        );
    }
    assert!(!out.stdout.contains(&token) && !out.stderr.contains(&token));
}

#[test]
fn a_refused_session_says_which_page_salesforce_showed() {
    let h = start_sim(None);
    let stub = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bin/sf");
    let artifacts = tmp_artifacts();
    let out = setupwright(
        &[
            "run",
            "tests/runbooks/org-session.yaml",
            "--org",
            "sandbox1",
            "--sf",
            stub,
            "--artifacts",
            artifacts.to_str().unwrap(),
        ],
        &[(
            "STUB_SF_OUTPUT",
            &sf_json(&h.sim.classic_url, "00Dexpired!token"),
        )],
    );
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("answered the frontdoor login with its login page (ec=302)"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("00Dexpired!token"));

    let cli_error = setupwright(
        &[
            "run",
            "tests/runbooks/org-session.yaml",
            "--org",
            "nosuch",
            "--sf",
            stub,
        ],
        &[
            (
                "STUB_SF_OUTPUT",
                r#"{"status":1,"message":"No authorization information found for nosuch."}"#,
            ),
            ("STUB_SF_EXIT", "1"),
        ],
    );
    assert_eq!(cli_error.code, 2);
    assert!(cli_error.stderr.contains("no usable session for `nosuch`: No authorization information found for nosuch.; log in with `sf org login web -a nosuch`"), "{}", cli_error.stderr);

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
