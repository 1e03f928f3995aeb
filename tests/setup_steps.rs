//! The steps a Setup page asks for beyond fields and buttons (issue 22, points 3 to 6),
//! on a gallery of Salesforce's base components (`sim/lightning/src/modules/fixture/
//! setupSteps`), under synthetic and under native shadow: each interaction is checked
//! against what the page says it received.

mod common;

use common::*;
use serde_json::json;

fn drives_the_setup_steps(shadow: &str) {
    let fx = serve();
    let shadow_input = format!("shadow={shadow}");
    let out = run_fixture_runbook(
        "tests/runbooks/setup-steps.yaml",
        &fx.base,
        &[&shadow_input],
        "10s",
    );
    let page: serde_json::Value =
        serde_json::from_str(&fx.submissions.last("steps").expect("the page was saved")).unwrap();
    assert_eq!(page["username"], "ada@example.com");
    assert_eq!(page["email"], "ada@example.com");
    assert_eq!(page["alias"], "ada");
    // The sliders were moved by keys, which the component heard.
    assert_eq!(page["minLength"], "12");
    assert_eq!(page["lockout"], "5");
    assert_eq!(page["zone"], "zone10");
    assert_eq!(
        page["fields"],
        json!(["Industry", "Name", "Phone", "Owner"])
    );
    // Three Saves: two refused by the fields' own validation, then the one that posted.
    assert_eq!(page["saves"], 3);
    let events: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    // The table loaded three more pages for row 47, and no more than it needed.
    assert_eq!(
        events
            .iter()
            .filter(|e| e.starts_with("loaded:"))
            .copied()
            .collect::<Vec<_>>(),
        ["loaded:30", "loaded:45", "loaded:60"],
        "{events:?}"
    );
    assert!(events.contains(&"row:view:Account 047"), "{events:?}");
    assert!(events.contains(&"slider:min-length=12"), "{events:?}");
    assert!(events.contains(&"slider:lockout=5"), "{events:?}");
    assert!(events.contains(&"zone:zone10"), "{events:?}");
    assert_eq!(
        events
            .iter()
            .filter(|e| e.starts_with("save:"))
            .copied()
            .collect::<Vec<_>>(),
        ["save:invalid", "save:invalid", "save:valid"]
    );
    let dir = run_dir(&out.stdout);
    assert_eq!(report(&dir)["status"], "passed");
}

#[test]
fn setup_steps_under_synthetic_shadow() {
    drives_the_setup_steps("synthetic");
}

#[test]
fn setup_steps_under_native_shadow() {
    drives_the_setup_steps("native");
}

/// A row the table never loads: the search scrolls the table to its end and no further,
/// and the failure says so ("scrolled the table to its end: 15 -> 60 rows").
#[test]
fn a_row_past_the_end_says_how_far_the_table_was_scrolled() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    let out = Run::new("tests/runbooks/setup-steps-missing-row.yaml")
        .input_pair(&base)
        .input("shadow", "native")
        .artifacts(&artifacts)
        .arg("--quiet")
        .output();
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("no row \"Account 099\" to look in; searched the top document; scrolled the table to its end: 15 -> 60 rows"),
        "{}",
        out.stdout
    );
}
