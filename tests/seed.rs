//! The seed help article, replayed end to end against the simulator in headless
//! Chromium: the org's final state, the artifacts, idempotence, and a wrong input.

mod common;

use common::*;
use serde_json::Value;

fn one<'a>(state: &'a Value, key: &str) -> &'a Value {
    let items = state[key].as_array().unwrap();
    assert_eq!(items.len(), 1, "expected exactly one {key}: {items:#?}");
    &items[0]
}

fn statuses(report: &Value) -> Vec<(String, String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["title"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn seed_runbook_provisions_the_org_and_a_second_run_changes_nothing() {
    seed_provisions_the_org(setupwright_sim::Shadow::Synthetic);
}

#[test]
fn seed_runbook_under_native_shadow_provisions_the_org_and_a_second_run_changes_nothing() {
    seed_provisions_the_org(setupwright_sim::Shadow::Native);
}

fn seed_provisions_the_org(shadow: setupwright_sim::Shadow) {
    let h = start_sim_in(None, shadow);
    let artifacts = tmp_artifacts();

    // `verify` on a fresh org: everything missing, nothing changed, and said in seconds
    // with the default step timeout (a guard's `at:` step that finds nothing on a settled
    // page does not wait its 30 s out).
    let started = std::time::Instant::now();
    let drift = h.seed_cmd("verify", &artifacts, &h.cfg.password.clone(), &[]);
    let took = started.elapsed();
    eprintln!("verify on a fresh org ({shadow:?} shadow): {took:?}");
    assert_eq!(
        drift.code, 5,
        "stdout:\n{}\nstderr:\n{}",
        drift.stdout, drift.stderr
    );
    assert!(
        took < std::time::Duration::from_secs(30),
        "verify on a fresh org took {took:?}\n{}",
        drift.stdout
    );
    assert!(drift.stdout.contains("MISSING 2 Step 1: Create a New External Client App  (no link \"CaseCloud Secured Login Integration\" on the page)"), "{}", drift.stdout);
    assert!(
        drift.stdout.contains("0 of 7 guarded groups done"),
        "{}",
        drift.stdout
    );
    assert!(
        drift
            .stdout
            .contains("MISSING 8 Step 4: Update AdvoLogix Global Configuration  (cannot check:"),
        "{}",
        drift.stdout
    );
    let fresh = h.sim.state();
    assert!(
        fresh["external_client_apps"].as_array().unwrap().is_empty()
            && fresh["named_credentials"].as_array().unwrap().is_empty(),
        "verify changed the org"
    );

    let out = h.run_seed(&artifacts, &h.cfg.password.clone(), &[]);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    // The simulator draws the Consumer Secret, where it shows it and where it is typed,
    // in a colour of its own: no picture of the run holds a pixel of it.
    assert_eq!(
        pictures_showing_secrets(&run_dir(&out.stdout)),
        Vec::<(String, usize)>::new(),
        "pictures that show the Consumer Secret"
    );

    let s = h.sim.state();
    let app = one(&s, "external_client_apps");
    let provider = one(&s, "auth_providers");
    let nc = one(&s, "named_credentials");

    // Step 1: the app, with the article's exact flags and three scopes.
    assert_eq!(app["name"], "CaseCloud Secured Login Integration");
    assert_eq!(app["api_name"], "CaseCloud_Secured_Login_Integration");
    assert_eq!(app["contact_email"], h.cfg.username.as_str());
    assert_eq!(app["distribution_state"], "Local");
    assert_eq!(app["oauth_enabled"], true);
    assert_eq!(
        app["scopes"],
        serde_json::json!([
            "Access the identity URL service (id, profile, email, address, phone)",
            "Full access (full)",
            "Perform requests at any time (refresh_token, offline_access)"
        ])
    );
    assert_eq!(app["introspect_all_tokens"], false);
    assert_eq!(app["configure_id_token"], false);
    for (flow, on) in [
        ("authorization_code_and_credentials", true),
        ("client_credentials", false),
        ("device", false),
        ("jwt_bearer", false),
        ("token_exchange", false),
    ] {
        assert_eq!(app["flows"][flow], on, "flow {flow}");
    }
    for (flag, on) in [
        ("require_secret_web_server", true),
        ("require_secret_refresh_token", true),
        ("require_pkce", false),
        ("refresh_token_rotation", false),
        ("jwt_access_tokens", false),
    ] {
        assert_eq!(app["security"][flag], on, "security {flag}");
    }

    // Step 2: the provider holds the app's key and secret; the app's callback is the provider's.
    assert_eq!(provider["provider_type"], "Salesforce");
    assert_eq!(provider["name"], "CaseCloud Secured Login Provider");
    assert_eq!(provider["url_suffix"], "CaseCloud_Secured_Login_Provider");
    assert_eq!(provider["consumer_key"], app["consumer_key"]);
    assert_eq!(provider["consumer_secret"], app["consumer_secret"]);
    assert_eq!(provider["use_pkce"], false);
    assert_eq!(provider["default_scopes"], "refresh_token full");
    assert_eq!(app["callback_url"], provider["callback_url"]);

    // Step 3: the Named Credential authenticated through that provider.
    assert_eq!(nc["label"], "CaseCloud Secured Login Named Credential");
    assert_eq!(nc["name"], "CaseCloud_Secured_Login_Named_Credential");
    assert_eq!(nc["url"], format!("{}/", h.sim.classic_url));
    assert_eq!(nc["identity_type"], "Named Principal");
    assert_eq!(nc["protocol"], "OAuth 2.0");
    assert_eq!(nc["auth_provider_id"], provider["id"]);
    assert_eq!(nc["scope"], "refresh_token full");
    assert_eq!(nc["start_auth_flow"], true);
    assert_eq!(nc["generate_auth_header"], true);
    assert_eq!(nc["allow_merge_fields_header"], true);
    assert_eq!(nc["allow_merge_fields_body"], false);
    assert_eq!(
        nc["auth_status"],
        format!("Authenticated as {}", h.cfg.username)
    );

    // Step 4: the metadata record points at the Named Credential.
    let record = &s["custom_metadata_types"][0]["records"][0];
    assert_eq!(record["label"], "My Org Named Credential");
    assert_eq!(record["values"]["Named_Credential_API_Name__c"], nc["name"]);

    // Artifacts: a screenshot for every executed step, each a PNG; no secret anywhere.
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let executed: Vec<&Value> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] != "group" && s["kind"] != "include" && s["status"] == "passed")
        .collect();
    assert!(executed.len() > 80, "{} steps", executed.len());
    for s in &executed {
        assert!(
            s["screenshot"].is_string(),
            "no screenshot for step {} {}",
            s["path"],
            s["title"]
        );
    }
    assert_eq!(assert_screenshots(&dir, &report), executed.len());
    // Lightning loads the page a classic Save led to in a new vfFrameId_ frame: the step
    // after the provider's Save found it in another frame than the fill before it.
    let frame_of = |title: &str| {
        executed
            .iter()
            .find(|s| s["title"].as_str().is_some_and(|t| t.contains(title)))
            .map(|s| {
                s["matched"]["frame"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .unwrap()
    };
    let (form, detail) = (
        frame_of("fill field \"Default Scopes\""),
        frame_of("Copy the Callback URL"),
    );
    assert!(
        form.starts_with("frame vfFrameId_")
            && detail.starts_with("frame vfFrameId_")
            && form != detail,
        "{form} / {detail}"
    );
    let pngs = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .count();
    assert_eq!(pngs, executed.len());
    let secrets = [
        app["consumer_secret"].as_str().unwrap(),
        h.cfg.password.as_str(),
        h.cfg.verification_code.as_str(),
    ];
    for (path, bytes) in all_files(&dir) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert!(!text.contains(secret), "{} holds a secret", path.display());
        }
    }
    for secret in secrets {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "a secret reached the console"
        );
    }

    // A second run against the provisioned org succeeds, creates nothing, skips the work.
    let before = h.sim.state();
    let again = h.run_seed(&artifacts, &h.cfg.password.clone(), &[]);
    assert_eq!(
        again.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        again.stdout, again.stderr
    );
    let after = h.sim.state();
    assert_eq!(before, after, "the second run changed the org");
    let verified = h.seed_cmd("verify", &artifacts, &h.cfg.password.clone(), &[]);
    assert_eq!(verified.code, 0, "stdout:\n{}", verified.stdout);
    assert!(
        verified.stdout.contains("7 of 7 guarded groups done"),
        "{}",
        verified.stdout
    );
    assert_eq!(h.sim.state(), after, "verify changed the org");
    let second = report_of(&again.stdout);
    let st = statuses(&second);
    for group in [
        "Step 1: Create a New External Client App",
        "Step 1: Copy the Consumer Key and Secret",
        "Step 2: Create Auth. Provider",
        "Step 2: Update the External Client App Callback URL",
        "Step 3: Create Named Credential",
        "Step 3: Authenticate the Named Credential (when a run stopped before Allow)",
        "Step 4: Update AdvoLogix Global Configuration",
    ] {
        let found = st
            .iter()
            .find(|(_, t, _)| t == group)
            .unwrap_or_else(|| panic!("no record of {group}: {st:#?}"));
        assert_eq!(found.2, "skipped", "{group} was not skipped");
    }
    // One count everywhere: the console, report.json and junit.xml agree on what was
    // skipped, and a skipped group's steps count as skipped steps.
    let top = &second["top_level"];
    assert_eq!(top["skipped"], 7, "{top}");
    let junit = std::fs::read_to_string(run_dir(&again.stdout).join("junit.xml")).unwrap();
    assert!(junit.contains(" skipped=\"7\" "), "{junit}");
    let skipped = second["skipped"].as_u64().unwrap();
    assert!(skipped > 50, "the steps of the 7 skipped groups: {skipped}");
    let total = second["passed"].as_u64().unwrap() + skipped;
    assert!(
        again.stdout.contains(&format!(
            "PASSED: {} passed, 0 failed, {skipped} skipped of {total} steps (top level: 1 passed, 0 failed, 7 skipped)",
            second["passed"]
        )),
        "{}",
        again.stdout
    );
}

fn report_of(stdout: &str) -> Value {
    report(&run_dir(stdout))
}

#[test]
fn a_wrong_password_fails_at_sign_in_with_a_clear_message_and_a_screenshot() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let out = h.run_seed(&artifacts, "not-the-password", &["--step-timeout", "10s"]);
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout.contains("FAIL 1.2 Sign in if Salesforce asks"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("the login page says: Please check your username and password"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("not-the-password"));
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let failed = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "failed" && s["kind"] == "action")
        .unwrap();
    let shot = failed["screenshot"]
        .as_str()
        .expect("a screenshot of the error page");
    assert!(shot.ends_with("-failed.png"));
    assert!(std::fs::read(dir.join(shot))
        .unwrap()
        .starts_with(b"\x89PNG"));
    assert!(
        !failed["diagnostics"].as_array().unwrap().is_empty(),
        "page sources saved"
    );
    let s = h.sim.state();
    assert!(
        s["external_client_apps"].as_array().unwrap().is_empty(),
        "nothing was created"
    );
}
