//! `setupwright import` on the corpus in tests/recordings (recordings written by hand from
//! the published formats, against the simulator's pages, generated ids included): each
//! imports to a runbook that passes `check`, holds no generated id and no secret, and
//! replays green on the simulator under synthetic and under native shadow, leaving the org
//! as the recording meant to.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use setupwright_sim::Shadow;

/// Ids the corpus's recordings carry that a page generated: none may reach a runbook.
const GENERATED: &[&str] = &[
    "input-",
    "combobox-button",
    "option-",
    "checkbox-",
    "j_id",
    "lgt-",
    "brandBand_",
    "tab-71",
    "dual-listbox",
];

/// Values typed into secret fields in the corpus.
const SECRETS: &[&str] = &["Sim-Passw0rd!", "246810", "F00DBABE1234567890"];

struct Imported {
    runbook: PathBuf,
    text: String,
    stderr: String,
}

/// `setupwright import FILE -o OUT` with `extra` flags; asserts it passed, that the runbook
/// passes `check` and carries no generated id and no secret.
fn import(recording: &str, extra: &[&str]) -> Imported {
    import_with(recording, extra, &[])
}

fn import_with(recording: &str, extra: &[&str], envs: &[(&str, &str)]) -> Imported {
    let dir = tmp_artifacts();
    let out = dir.join(
        Path::new(recording)
            .file_stem()
            .map(|s| format!("{}.yaml", s.to_string_lossy()))
            .unwrap(),
    );
    let mut args = vec!["import", recording, "-o", out.to_str().unwrap()];
    args.extend(extra);
    let o = setupwright(&args, envs);
    assert_eq!(o.code, 0, "import {recording}:\n{}\n{}", o.stdout, o.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    let check = setupwright(&["check", out.to_str().unwrap()], &[]);
    assert_eq!(check.code, 0, "{}\n{}\n{text}", check.stdout, check.stderr);
    for g in GENERATED {
        assert!(!text.contains(g), "generated id `{g}` kept:\n{text}");
    }
    for s in SECRETS {
        assert!(!text.contains(s), "secret `{s}` written:\n{text}");
        assert!(!o.stderr.contains(s), "secret `{s}` said:\n{}", o.stderr);
    }
    Imported {
        runbook: out,
        text,
        stderr: o.stderr,
    }
}

/// Runs an imported runbook against the simulator: the recording's origin is the
/// simulator's My Domain, its username the admin's, its password from the environment.
fn replay(h: &SimHandle, runbook: &Path, inputs: &[(&str, String)]) -> Output {
    let artifacts = tmp_artifacts();
    let out = inputs
        .iter()
        .fold(Run::new(runbook), |run, (k, v)| run.input(k, v))
        .artifacts(&artifacts)
        .args(["--step-timeout", "15s", "--no-screenshots"])
        .env("SETUPWRIGHT_LOGIN_PASSWORD", h.cfg.password.as_str())
        .env(
            "SETUPWRIGHT_VERIFICATION_CODE",
            h.cfg.verification_code.as_str(),
        )
        .env("SETUPWRIGHT_CONSUMER_SECRET", "F00DBABE1234567890")
        .output();
    if out.code != 0 {
        let failed: Vec<String> = report(&run_dir(&out.stdout))["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] == "failed")
            .map(|s| s.to_string())
            .collect();
        panic!(
            "{} exited {}:\n{}\n{}\nfailed steps:\n{}",
            runbook.display(),
            out.code,
            out.stdout,
            out.stderr,
            failed.join("\n")
        );
    }
    out
}

fn one<'a>(state: &'a Value, key: &str) -> &'a Value {
    let items = state[key].as_array().unwrap();
    assert_eq!(items.len(), 1, "expected exactly one {key}: {items:#?}");
    &items[0]
}

/// The app the ECA recordings create, as the recording's clicks left it.
fn assert_app_created(h: &SimHandle, name: &str) {
    let s = h.sim.state();
    let app = one(&s, "external_client_apps");
    assert_eq!(app["name"], name);
    assert_eq!(app["api_name"], name.replace(' ', "_"));
    assert_eq!(app["contact_email"], h.cfg.username.as_str());
    assert_eq!(app["distribution_state"], "Local");
    assert_eq!(app["oauth_enabled"], true);
    assert_eq!(app["callback_url"], format!("{}/", h.sim.classic_url));
    assert_eq!(
        app["scopes"],
        serde_json::json!([
            "Full access (full)",
            "Perform requests at any time (refresh_token, offline_access)"
        ])
    );
    // Clicked: on by default, so now off; off by default, so now on.
    assert_eq!(app["introspect_all_tokens"], false);
    assert_eq!(app["configure_id_token"], true);
    assert_eq!(app["flows"]["authorization_code_and_credentials"], true);
    assert_eq!(app["flows"]["client_credentials"], false);
    assert_eq!(app["security"]["require_pkce"], false);
    assert_eq!(app["security"]["require_secret_web_server"], true);
}

fn org_inputs(h: &SimHandle) -> Vec<(&'static str, String)> {
    vec![
        ("my_domain_url", h.sim.classic_url.clone()),
        ("username", h.cfg.username.clone()),
    ]
}

fn recorder_eca(shadow: Shadow) {
    let i = import("tests/recordings/recorder-eca-create.json", &[]);
    // The recording's aria selectors became label locators; the clicks on a combobox and
    // its option one select; Quick Find a setup step; the password a secret input.
    for line in [
        "setup: { section: External Client Apps, page: External Client App Manager }",
        "- select: { field: Distribution State, option: Local }",
        "- fill: { field: Password, with: \"${login_password}\" }",
        "- fill: { field: Contact Email, with: \"${username}\" }",
        "- goto: \"${my_domain_url}/lightning/setup/SetupOneHome/home\"",
        "- press: Tab",
    ] {
        assert!(i.text.contains(line), "no `{line}` in:\n{}", i.text);
    }
    assert!(i.stderr.contains("(0 warning(s))"), "{}", i.stderr);
    let h = start_sim_in(None, shadow);
    replay(&h, &i.runbook, &org_inputs(&h));
    assert_app_created(&h, "Imported Recorder App");
}

#[test]
fn recorder_recording_replays_under_synthetic_shadow() {
    recorder_eca(Shadow::Synthetic);
}

#[test]
fn recorder_recording_replays_under_native_shadow() {
    recorder_eca(Shadow::Native);
}

/// Classic pages in the simulator's cross-origin frame (the steps' `frame` paths), then
/// a lookup popup (steps in another `target`, with frames of their own): an Auth. Provider,
/// then a Named Credential that picks it in the popup.
fn frames_and_popups(shadow: Shadow) {
    let provider = import("tests/recordings/recorder-auth-provider-frame.json", &[]);
    for line in [
        "- select: { field: Provider Type, option: Salesforce }",
        "- fill: { field: Consumer Secret, with: \"${consumer_secret}\" }",
        "setup: { section: Identity, page: Auth. Providers }",
    ] {
        assert!(
            provider.text.contains(line),
            "no `{line}` in:\n{}",
            provider.text
        );
    }
    let nc = import("tests/recordings/recorder-named-credential-popup.json", &[]);
    for line in [
        "- click: { link: Authentication Provider Lookup (New Window) }\n      - window: new\n",
        "- window: main\n",
        // Quick Find typed the page's own name: no section said.
        "setup: Named Credentials\n",
    ] {
        assert!(nc.text.contains(line), "no `{line}` in:\n{}", nc.text);
    }
    let h = start_sim_in(None, shadow);
    replay(
        &h,
        &provider.runbook,
        &[("my_domain_url", h.sim.classic_url.clone())],
    );
    replay(
        &h,
        &nc.runbook,
        &[
            ("my_domain_url", h.sim.classic_url.clone()),
            ("search", "Imported Provider".into()),
        ],
    );
    let s = h.sim.state();
    let p = one(&s, "auth_providers");
    assert_eq!(p["provider_type"], "Salesforce");
    assert_eq!(p["name"], "Imported Provider");
    assert_eq!(p["url_suffix"], "Imported_Provider");
    assert_eq!(p["consumer_key"], "3MVG9.Imported.Consumer.Key");
    assert_eq!(p["consumer_secret"], "F00DBABE1234567890");
    assert_eq!(p["use_pkce"], false);
    assert_eq!(p["default_scopes"], "refresh_token full");
    let nc = one(&s, "named_credentials");
    assert_eq!(nc["label"], "Imported Named Credential");
    assert_eq!(nc["name"], "Imported_Named_Credential");
    assert_eq!(nc["url"], format!("{}/", h.sim.classic_url));
    assert_eq!(nc["protocol"], "OAuth 2.0");
    assert_eq!(nc["auth_provider_id"], p["id"]);
    assert_eq!(nc["scope"], "refresh_token full");
}

#[test]
fn frames_and_popups_replay_under_synthetic_shadow() {
    frames_and_popups(Shadow::Synthetic);
}

#[test]
fn frames_and_popups_replay_under_native_shadow() {
    frames_and_popups(Shadow::Native);
}

/// A recording only CSS, XPath or generated ids identify: without --resolve its steps on
/// generated ids are comments, each warned about with its index; with --resolve (a replay
/// on the simulator, which does the task there too) every step gets a label locator, and
/// the runbook replays on a fresh org under both shadows.
fn resolved_by_replay(
    recording: &str,
    app: &str,
    named: usize,
    plain_warnings: &[&str],
    lines: &[&str],
) {
    let plain = import(recording, &[]);
    for w in plain_warnings {
        assert!(plain.stderr.contains(w), "no `{w}` in:\n{}", plain.stderr);
    }
    assert!(
        plain.text.contains("only ids the page generated"),
        "{}",
        plain.text
    );

    let first = start_sim_in(None, Shadow::Synthetic);
    let password = first.cfg.password.clone();
    let url = first.sim.classic_url.clone();
    let resolved = import_with(
        recording,
        &["--resolve", "--url", &url],
        &[("SETUPWRIGHT_LOGIN_PASSWORD", &password)],
    );
    assert!(
        resolved.stderr.contains("(0 warning(s))"),
        "{}",
        resolved.stderr
    );
    // Every step named by the locator the engine writes and checks (locatorFor).
    assert!(
        resolved.stderr.contains(&format!(
            "--resolve named {named} of {named} step(s) ({named} by the engine's checked locator, 0 by role and name)"
        )),
        "{}",
        resolved.stderr
    );
    assert!(!resolved.text.contains("css:"), "{}", resolved.text);
    assert!(!resolved.text.contains("xpath:"), "{}", resolved.text);
    for line in [
        "- fill: { field: Username, with: \"${username}\" }",
        "- fill: { field: Password, with: \"${login_password}\" }",
        "- fill: { field: Callback URL, with: \"${my_domain_url}/\" }",
        // Two options moved one at a time: one `choose`.
        "- choose:\n          field: OAuth Scopes\n          add:\n            - Full access (full)\n            - \"Perform requests at any time (refresh_token, offline_access)\"\n",
        "- click: { button: Create }",
    ]
    .iter()
    .chain(lines)
    {
        assert!(
            resolved.text.contains(line),
            "no `{line}` in:\n{}",
            resolved.text
        );
    }
    // The replay that named the steps did what the recording did.
    assert_app_created(&first, app);
    drop(first);

    for shadow in [Shadow::Synthetic, Shadow::Native] {
        let h = start_sim_in(None, shadow);
        replay(&h, &resolved.runbook, &org_inputs(&h));
        assert_app_created(&h, app);
    }
}

#[test]
fn a_css_only_recording_is_resolved_by_a_replay() {
    resolved_by_replay(
        "tests/recordings/recorder-css-only.json",
        "Imported CSS App",
        20,
        &[
            "warning: step 11 (change): only ids the page generated identify the element (#input-5)",
            "warning: step 4 (change): only CSS or XPath identifies the element (#username)",
        ],
        &[
            // Clicked on a fresh app: the replay saw the clicks leave the boxes so.
            "- check: { field: Enable OAuth }",
            "- uncheck: { field: Introspect all Tokens }",
            "- check: { field: Enable Authorization Code and Credentials Flow }",
            // A click on the combobox, then one on its option.
            "- select: { field: Distribution State, option: Local }",
            "setup: { section: External Client Apps, page: External Client App Manager }",
        ],
    );
}

#[test]
fn a_selenium_ide_project_is_resolved_by_a_replay() {
    resolved_by_replay(
        "tests/recordings/side-eca-create.side",
        "Imported SIDE App",
        15,
        &[
            "warning: step 14 (click): only ids the page generated identify the element (id=combobox-button-17",
            "warning: step 16 (check): only ids the page generated",
            "warning: step 11 (type): only CSS or XPath identifies the element (//lightning-input/div/div/input)",
        ],
        &[
            "- fill: { field: External Client App Name, with: Imported SIDE App }",
            "- check: { field: Enable OAuth }",
            "- uncheck: { field: Introspect all Tokens }",
            "- select: { field: Distribution State, option: Local }",
        ],
    );
}

/// A file that is no recording: exit 3 with its place, no runbook written.
#[test]
fn a_file_that_is_no_recording_is_refused_with_its_place() {
    let dir = tmp_artifacts();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"steps\": [\n    {\"type\": \"click\", \"selectors\": 3}\n  ]\n}\n",
    )
    .unwrap();
    let o = setupwright(&["import", bad.to_str().unwrap()], &[]);
    assert_eq!(o.code, 3, "{}\n{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains(&format!("error: {}:3:", bad.display())),
        "{}",
        o.stderr
    );
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    let yaml = dir.join("runbook.yaml");
    std::fs::write(&yaml, "runbook: x\nsteps: []\n").unwrap();
    let o = setupwright(&["import", yaml.to_str().unwrap()], &[]);
    assert_eq!(o.code, 3, "{}", o.stderr);
    assert!(o.stderr.contains(":1:1: not JSON"), "{}", o.stderr);
}

/// Clicks on Salesforce's base components that only CSS and generated ids identify
/// (tests/recordings/recorder-gallery-css-only.json): with --resolve, a click the replay
/// saw turn a checkbox, switch or radio is `check:`/`uncheck:` with the state it left
/// (three clicks in a row on one switch, one step; two on one checkbox, `uncheck:`), and a
/// click that opened a combobox then one on its option is one `select:`, and options
/// moved one at a time by a dual listbox's button are one `choose:`. The runbook then
/// leaves the page as the recording did under both shadows.
#[test]
fn resolved_clicks_on_checkboxes_and_comboboxes_are_the_steps_a_person_means() {
    let recording = "tests/recordings/recorder-gallery-css-only.json";
    let fx = serve();
    let resolved = import(recording, &["--resolve", "--url", &fx.base]);
    for line in [
        "- check: { field: Active }",
        "- check: { field: Notifications }",
        "- select: { field: Priority, option: High }",
        "- check: { field: Warm }",
        "- check: { field: Phone",
        "- uncheck: { field: Email",
        "- select: { field: Country, in_section: Shipping Address, option: Japan }",
        "- select: { field: Country, in_section: Billing Address, option: Germany }",
        "- choose: { field: Chosen, add: [ French, German ] }",
        "- click: { button: Submit }",
    ] {
        assert!(
            resolved.text.contains(line),
            "no `{line}` in:\n{}\n{}",
            resolved.text,
            resolved.stderr
        );
    }
    assert_eq!(
        resolved.text.matches("field: Notifications").count(),
        1,
        "{}",
        resolved.text
    );
    assert!(
        !resolved.text.contains("- click: { field"),
        "{}",
        resolved.text
    );
    assert!(!resolved.text.contains("css:"), "{}", resolved.text);
    assert!(
        resolved.stderr.contains("(0 warning(s))"),
        "{}",
        resolved.stderr
    );
    drop(fx);
    for (shadow, page, text) in replayed_in_each_shadow(&resolved.text, "components") {
        let want = serde_json::json!({
            "active": true,
            "notify": true,
            "priority": "High",
            "rating": "Warm",
            "channels": ["Phone"],
            "shipping": "Japan",
            "billing": "Germany",
            "languages": ["French", "German"],
        });
        for (k, v) in want.as_object().unwrap() {
            assert_eq!(&page[k], v, "{k} under {shadow} shadow in {page:#}\n{text}");
        }
    }
}

/// Sliders moved in a recording that only CSS identifies (a `change` on a
/// `lightning-slider`'s range input): with --resolve they are `fill`s of the slider by its
/// label, which move it by keys, and the page receives the values under both shadows.
#[test]
fn a_change_on_a_slider_is_a_fill_that_moves_it() {
    let recording = "tests/recordings/recorder-slider-css-only.json";
    let fx = serve();
    let resolved = import(recording, &["--resolve", "--url", &fx.base]);
    for line in [
        "- fill: { field: Minimum Password Length, with: \"12\" }",
        "- fill: { field: Maximum Invalid Login Attempts, with: \"5\" }",
    ] {
        assert!(
            resolved.text.contains(line),
            "no `{line}` in:\n{}\n{}",
            resolved.text,
            resolved.stderr
        );
    }
    assert!(
        resolved.stderr.contains("(0 warning(s))"),
        "{}",
        resolved.stderr
    );
    drop(fx);
    for (shadow, page, text) in replayed_in_each_shadow(&resolved.text, "steps") {
        assert_eq!(
            page["minLength"], "12",
            "under {shadow} shadow: {page:#}\n{text}"
        );
        assert_eq!(
            page["lockout"], "5",
            "under {shadow} shadow: {page:#}\n{text}"
        );
    }
}

/// A runbook resolved on a fixture page, run on a fresh fixture server under each shadow
/// mode: what the page `form` last submitted under each, with the runbook's text.
fn replayed_in_each_shadow(resolved: &str, form: &str) -> Vec<(&'static str, Value, String)> {
    let mut out = Vec::new();
    for shadow in ["synthetic", "native"] {
        let fx = serve();
        let text = resolved.replace("shadow=synthetic", &format!("shadow={shadow}"));
        let runbook = tmp_artifacts().join(format!("{form}.yaml"));
        std::fs::write(&runbook, &text).unwrap();
        let run = Run::new(&runbook)
            .input("base_url", &fx.base)
            .artifacts(tmp_artifacts())
            .args(["--step-timeout", "10s", "--no-screenshots"])
            .output();
        assert_eq!(
            run.code, 0,
            "under {shadow} shadow:\n{text}\n{}\n{}",
            run.stdout, run.stderr
        );
        out.push((shadow, fx.submissions.last_json(form), text));
    }
    out
}

/// A recording in the classic Setup frame (a cross-origin frame: the Recorder's `frame`
/// paths, Selenium IDE's `selectFrame`) that only CSS and XPath identify: --resolve replays
/// it on the simulator and names every step from the classic page (its labels, its
/// buttons), the `<select>` only an id named included; the runbook then makes the same
/// Auth. Provider on a fresh org under both shadows.
fn classic_frame_resolved(recording: &str, provider: &str) {
    let secret = ("SETUPWRIGHT_CONSUMER_SECRET", "F00DBABE1234567890");
    let first = start_sim_in(None, Shadow::Synthetic);
    let password = first.cfg.password.clone();
    let url = first.sim.classic_url.clone();
    let resolved = import_with(
        recording,
        &["--resolve", "--url", &url],
        &[("SETUPWRIGHT_LOGIN_PASSWORD", &password), secret],
    );
    for line in [
        "setup: { section: Identity, page: Auth. Providers }",
        "- click: { button: New }",
        "- select: { field: Provider Type, option: Salesforce }",
        &format!("- fill: {{ field: Name, with: {provider} }}"),
        "- fill: { field: Consumer Key, with: \"3MVG9.Imported.Consumer.Key\" }",
        "- fill: { field: Consumer Secret, with: \"${consumer_secret}\" }",
        "- uncheck: { field: Use Proof Key for Code Exchange (PKCE) Extension }",
        "- fill: { field: Default Scopes, with: refresh_token full }",
        // The page has a Save at its top and at its bottom.
        "- click: { button: Save, in_row: Auth. Provider Edit }",
    ] {
        assert!(
            resolved.text.contains(line),
            "no `{line}` in:\n{}\n{}",
            resolved.text,
            resolved.stderr
        );
    }
    assert!(!resolved.text.contains("css:"), "{}", resolved.text);
    assert!(!resolved.text.contains("xpath:"), "{}", resolved.text);
    assert!(
        resolved.stderr.contains("(0 warning(s))"),
        "{}",
        resolved.stderr
    );
    drop(first);
    for shadow in [Shadow::Synthetic, Shadow::Native] {
        let h = start_sim_in(None, shadow);
        let artifacts = tmp_artifacts();
        let out = Run::new(&resolved.runbook)
            .input("my_domain_url", &h.sim.classic_url)
            .artifacts(&artifacts)
            .args(["--step-timeout", "15s", "--no-screenshots"])
            .env("SETUPWRIGHT_LOGIN_PASSWORD", h.cfg.password.as_str())
            .env(secret.0, secret.1)
            .output();
        assert_eq!(
            out.code, 0,
            "{}\n{}\n{}",
            resolved.text, out.stdout, out.stderr
        );
        let s = h.sim.state();
        let p = one(&s, "auth_providers");
        assert_eq!(p["provider_type"], "Salesforce");
        assert_eq!(p["name"], provider);
        assert_eq!(p["url_suffix"], provider.replace(' ', "_"));
        assert_eq!(p["consumer_key"], "3MVG9.Imported.Consumer.Key");
        assert_eq!(p["consumer_secret"], "F00DBABE1234567890");
        assert_eq!(p["use_pkce"], false);
        assert_eq!(p["default_scopes"], "refresh_token full");
    }
}

#[test]
fn a_css_only_recording_in_the_classic_frame_is_resolved_by_a_replay() {
    classic_frame_resolved(
        "tests/recordings/recorder-auth-provider-frame-css-only.json",
        "Imported Provider",
    );
}

#[test]
fn a_selenium_ide_project_in_the_classic_frame_is_resolved_by_a_replay() {
    classic_frame_resolved(
        "tests/recordings/side-auth-provider-frame.side",
        "Imported SIDE Provider",
    );
}
