//! Salesforce's base components (lightning-base-components on lwc), driven by label and
//! text only, under LWC's synthetic shadow and under native shadow roots.

mod common;

use common::*;

fn drives_every_component(shadow: &str) {
    let fx = serve();
    let shadow_input = format!("shadow={shadow}");
    let out = run_fixture_runbook(
        "tests/runbooks/components.yaml",
        &fx.base,
        &[&shadow_input],
        "15s",
    );
    let page: serde_json::Value = serde_json::from_str(
        &fx.submissions
            .last("components")
            .expect("the page was submitted"),
    )
    .unwrap();
    assert_eq!(page["account"], "Acme Corp");
    assert_eq!(page["email"], "ops@example.com");
    assert_eq!(page["website"], "https://acme.example.com");
    assert_eq!(page["active"], true);
    assert_eq!(page["notify"], true);
    assert_eq!(page["notes"], "Some notes");
    assert_eq!(page["priority"], "High");
    assert_eq!(page["rating"], "Warm");
    assert_eq!(page["channels"], serde_json::json!(["Phone", "Chat"]));
    assert_eq!(page["billing"], "France");
    assert_eq!(page["shipping"], "Japan");
    assert_eq!(page["languages"], serde_json::json!(["French", "Japanese"]));
    assert_eq!(page["insideB"], "opened");
    assert_eq!(page["modal"], "From the modal");
    assert_eq!(
        page["events"],
        serde_json::json!([
            "new opportunity",
            "new",
            "more:archive",
            "settings",
            "row:delete:Globex",
            "tab:related",
            "modal:From the modal",
            "link:acme"
        ])
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    assert_eq!(report["status"], "passed");
    assert_eq!(
        assert_screenshots(&dir, &report),
        report["steps"].as_array().unwrap().len()
    );
}

#[test]
fn base_components_under_synthetic_shadow() {
    drives_every_component("synthetic");
}

#[test]
fn base_components_under_native_shadow() {
    drives_every_component("native");
}
