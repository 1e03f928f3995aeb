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

/// The same, with both cores held by busy loops (an overloaded CI runner).
#[test]
fn base_components_under_load() {
    under_load(|| drives_every_component("synthetic"));
}

/// Navigation (breadcrumbs, vertical navigation, a tree), typed inputs (number, password,
/// search, date, time), a button radio group, the compound name and address inputs, a
/// pill's remove button, a stateful button and vertical tabs.
fn drives_more_components(shadow: &str) {
    let fx = serve();
    let shadow_input = format!("shadow={shadow}");
    let out = run_fixture_runbook(
        "tests/runbooks/more-components.yaml",
        &fx.base,
        &[&shadow_input],
        "10s",
    );
    let page: serde_json::Value =
        serde_json::from_str(&fx.submissions.last("more").expect("the page was submitted"))
            .unwrap();
    assert_eq!(page["max"], "5");
    assert_eq!(page["secretLength"], 15);
    assert_eq!(page["search"], "timeout");
    assert_eq!(page["start"], "2026-12-24");
    assert_eq!(page["at"], "09:00:00.000");
    assert_eq!(page["level"], "Edit");
    assert_eq!(page["salutation"], "Dr.");
    assert_eq!(page["first"], "Ada");
    assert_eq!(page["last"], "Lovelace");
    assert_eq!(page["street"], "1 Market St");
    assert_eq!(page["city"], "San Francisco");
    assert_eq!(page["province"], "CA");
    assert_eq!(page["postal"], "94105");
    assert_eq!(page["country"], "US");
    assert_eq!(page["pills"], serde_json::json!(["Sales", "Marketing"]));
    assert_eq!(page["following"], true);
    let events: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    // The vertical navigation reports its selection as it renders too; what the runbook
    // did comes in its order.
    let did: Vec<&str> = events
        .iter()
        .copied()
        .filter(|e| !e.starts_with("nav:") || *e == "nav:ips")
        .fold(Vec::new(), |mut v, e| {
            if v.last() != Some(&e) {
                v.push(e);
            }
            v
        });
    assert_eq!(
        did,
        [
            "crumb:Security",
            "nav:ips",
            "tree:standard",
            "follow:true",
            "removed:Service",
            "tab:policies"
        ],
        "{events:?}"
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    assert_eq!(report["status"], "passed");
    for (path, bytes) in all_files(&dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("s3cret-Passw0rd"),
            "the password is in {}",
            path.display()
        );
    }
}

#[test]
fn more_base_components_under_synthetic_shadow() {
    drives_more_components("synthetic");
}

#[test]
fn more_base_components_under_native_shadow() {
    drives_more_components("native");
}
