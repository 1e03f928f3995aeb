//! Classic Setup markup as Salesforce renders it, driven by label and text inside the
//! cross-origin Setup frame (tests/fixtures/classic-blocks.html): what the page ended up
//! holding is what it posts on Save.

mod common;

use common::*;

#[test]
fn classic_structures_are_driven_by_label_and_text_in_the_setup_frame() {
    drives_classic_structures();
}

/// The same, with both cores held by busy loops (an overloaded CI runner).
#[test]
fn classic_structures_are_driven_under_load() {
    under_load(drives_classic_structures);
}

fn drives_classic_structures() {
    let fx = serve();
    let out = run_fixture_runbook(
        "tests/runbooks/classic-structures.yaml",
        &fx.base,
        &[],
        "10s",
    );
    let page: serde_json::Value = serde_json::from_str(
        &fx.submissions
            .last("classic-structures")
            .expect("the page was saved"),
    )
    .unwrap();
    // A label cell holding an inline-help bubble and its script is read by its visible text.
    assert_eq!(page["consumer_key"], "3MVG9-CLASSIC");
    assert_eq!(page["callback_url"], "https://acme.example.com/callback");
    // One label over two controls: the action picks the control it works.
    assert_eq!(page["search_field"], "email");
    assert_eq!(page["search_text"], "ops@");
    assert_eq!(page["owner_scope"], "00G");
    assert_eq!(page["owner"], "Support");
    // A related list is its whole block: the button of the list named, not the first.
    assert_eq!(
        page["clicked"],
        serde_json::json!(["find:email:ops@", "edit:groups", "edit:permission sets"])
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let steps = report["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .filter(|s| s["kind"] == "action"
                && s["title"] != "go to ${base}/fixtures/classic-structures.html")
            .all(|s| s["matched"].is_null()
                || s["matched"]["frame"] == "frame vfFrameId_1772739916099"),
        "{steps:#?}"
    );
}

#[test]
fn a_missing_element_in_a_found_section_names_the_frame_where_the_section_is() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let rb = artifacts.join("missing.yaml");
    std::fs::write(
        &rb,
        format!("runbook: missing\nsteps:\n  - goto: \"{}/fixtures/classic-structures.html\"\n  - click: {{ button: Delete, in_section: Public Group Membership }}\n", fx.base),
    )
    .unwrap();
    let out = Run::new(&rb)
        .artifacts(&artifacts)
        .args(["--step-timeout", "3s"])
        .output();
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("section \"Public Group Membership\" is in frame vfFrameId_1772739916099, and nothing in it matched"), "{}", out.stdout);
}

#[test]
fn the_simulators_classic_pages_carry_the_same_structures() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let domain = format!("my_domain_url={}", h.sim.classic_url);
    let out = Run::new("tests/runbooks/sim-classic-pages.yaml")
        .input_pair(&domain)
        .artifacts(&artifacts)
        .env("SETUPWRIGHT_PASSWORD", h.cfg.password.as_str())
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
}

/// A classic form's `div.errorMsg` is the error of the field whose cell holds it: `expect
/// { field, error }` reads it there, in the Setup frame, and a field without one is valid.
#[test]
fn a_classic_forms_field_errors_are_read_from_under_each_field() {
    let h = start_sim(None);
    let artifacts = tmp_artifacts();
    let domain = format!("my_domain_url={}", h.sim.classic_url);
    let out = Run::new("tests/runbooks/sim-classic-errors.yaml")
        .input_pair(&domain)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s"])
        .env("SETUPWRIGHT_PASSWORD", h.cfg.password.as_str())
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    // Nothing was saved: both Saves were refused.
    let state = h.sim.org.lock().unwrap();
    assert!(state.auth_providers.is_empty());
}
