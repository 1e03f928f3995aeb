//! Rows, trees and cells of Salesforce's base components (a datatable with row selection
//! and inline edit, one with single selection, a tree grid and a tree whose branches load
//! their children when opened), under LWC's synthetic shadow and under native shadow
//! roots; each step checked against what the page reports it received.

mod common;

use common::*;

fn drives_rows_trees_and_cells(shadow: &str) {
    let fx = serve();
    let shadow_input = format!("shadow={shadow}");
    let out = run_fixture_runbook(
        "tests/runbooks/row-components.yaml",
        &fx.base,
        &[&shadow_input],
        "10s",
    );
    let page: serde_json::Value =
        serde_json::from_str(&fx.submissions.last("rows").expect("the page was submitted"))
            .unwrap();
    assert_eq!(page["team"], serde_json::json!(["Mary Jackson"]));
    assert_eq!(page["queue"], serde_json::json!(["Billing Queue"]));
    assert_eq!(
        page["roles"],
        serde_json::json!(["Chief Financial Officer"])
    );
    assert_eq!(
        page["emails"][0], "Dorothy Vaughan=dvaughan@nasa.example.com",
        "{page}"
    );
    assert_eq!(
        page["titles"],
        serde_json::json!([
            "Dorothy Vaughan=Supervisor",
            "Katherine Johnson=Mathematician",
            "Mary Jackson=Aerospace Engineer",
            "Margaret Hamilton=555-0102 desk"
        ])
    );
    let events: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert_eq!(
        events,
        [
            "team:Dorothy Vaughan",
            "team:Dorothy Vaughan|Mary Jackson",
            "team:Mary Jackson",
            "queue:Billing Queue",
            "saved:Dorothy Vaughan:email=dvaughan@nasa.example.com",
            // The table tells its selection again when its data changes.
            "team:Mary Jackson",
            "saved:Mary Jackson:title=Aerospace Engineer",
            "saved:Margaret Hamilton:title=555-0102 desk",
            "expand:vp-sales",
            "loaded:vp-sales",
            "roles:Director EMEA Sales",
            "collapse:ceo",
            // A tree grid unselects the rows a collapse hides.
            "roles:",
            "roles:Chief Financial Officer",
            "open:security",
            "loaded:security",
            "area:named-credentials",
            "open:apps",
            "loaded:apps",
            "close:users",
        ],
        "{events:?}"
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    assert_eq!(report["status"], "passed");
}

#[test]
fn rows_trees_and_cells_under_synthetic_shadow() {
    drives_rows_trees_and_cells("synthetic");
}

#[test]
fn rows_trees_and_cells_under_native_shadow() {
    drives_rows_trees_and_cells("native");
}

/// A classic list view and a related list, each with its Action checkbox column, in the
/// cross-origin Setup frame: what the page received is what the rows' boxes held.
#[test]
fn classic_list_rows_are_selected_in_the_setup_frame() {
    let fx = serve();
    let out = run_fixture_runbook("tests/runbooks/classic-list.yaml", &fx.base, &[], "10s");
    let page: serde_json::Value = serde_json::from_str(
        &fx.submissions
            .last("classic-list")
            .expect("the page was submitted"),
    )
    .unwrap();
    assert_eq!(
        page["reset"],
        serde_json::json!(["005000000000002", "005000000000003"])
    );
    assert_eq!(page["removed"], serde_json::json!(["00G000000000002"]));
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    assert_eq!(report["status"], "passed");
    let steps = report["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .filter(|s| s["kind"] == "action"
                && s["title"].as_str().is_some_and(|t| t.starts_with("check")))
            .all(|s| s["matched"]["frame"] == "frame vfFrameId_1772739916412"),
        "{steps:#?}"
    );
}
