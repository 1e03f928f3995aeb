//! The executor against fixture pages, in real headless Chromium through chromedriver.

mod common;

use common::*;

#[test]
fn fixture_form_exercises_every_locator_and_action() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = setupwright(
        &["run", "tests/runbooks/fixture-form.yaml", "--input", &format!("base={}", fx.base), "--artifacts", artifacts.to_str().unwrap(), "--step-timeout", "15s"],
        &[],
    );
    assert_eq!(out.code, 0, "stdout:\n{}\nstderr:\n{}", out.stdout, out.stderr);
    let form: serde_json::Value = serde_json::from_str(&fx.submissions.last("form").expect("the form was saved")).unwrap();
    assert_eq!(form["app"], "Acme App");
    assert_eq!(form["email"], "ops@example.com");
    assert_eq!(form["phone"], "555-0100");
    assert_eq!(form["desc"], "described by aria-labelledby");
    assert_eq!(form["search"], "by placeholder");
    assert_eq!(form["state"], "local");
    assert_eq!(form["name2"], "in security");
    assert_eq!(form["lwc_name"], "CaseCloud Secured Login Integration");
    assert_eq!(form["lwc_api"], "CaseCloud_Secured_Login_Integration");
    assert_eq!(form["introspect"], false);
    assert_eq!(form["auth"], true);
    assert_eq!(form["dist"], "packaged");
    assert_eq!(form["scopes"], serde_json::json!(["full", "refresh_token"]));
    assert_eq!(form["late"], "appeared late");
    assert_eq!(form["actions"], serde_json::json!(["new", "menu:legacy", "Manage Records:AdvoLogix"]));

    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(report["status"], "passed");
    assert_eq!(assert_screenshots(&dir, &report), steps.len());
    // The classic fields were found inside the cross-origin frame.
    let classic = steps.iter().find(|s| s["title"].as_str().unwrap().contains("refresh_token full")).unwrap();
    assert_eq!(classic["matched"]["frame"], "frame vfFrameId_1772739916061");
    // The secret capture never reaches the report.
    let text = std::fs::read_to_string(dir.join("report.json")).unwrap();
    assert!(!text.contains("F1XTURESECRET99"));
    assert!(text.contains("3MVG9-FIXTURE-KEY"));
}
