//! `setupwright import` on recordings written apart from the importer's own corpus
//! (tests/recordings-unseen), as Chrome's Recorder and Selenium IDE write them on the
//! gallery pages of Salesforce's base components: a viewport first, a click into each
//! field before its value, Tab between fields, clicks on a checkbox's faux box, a
//! combobox's button then its item, a dual listbox's option then its move button, scrolls,
//! double clicks, waits. Each imports to a runbook that passes `check` and keeps no
//! generated id, then replays under synthetic and native shadow, and the page reports
//! receiving what the recording did.

mod common;

use std::path::Path;

use common::*;

/// Ids the recordings carry that a page generated (each followed by its number): none may
/// reach a runbook.
const GENERATED: &[&str] = &[
    "input-",
    "combobox-button",
    "option-",
    "checkbox-",
    "checkbox-toggle-",
    "select-",
    "radio-",
    "dropdown-element",
    "source-list-",
];

/// Imports `recording` and runs the runbook on the fixture pages under `shadow`; checks
/// it passes `check` and keeps no generated id; returns the fixtures and the runbook.
/// Without `resolve`, the recording is imported as made under `shadow` (its page's URL
/// says which). With `resolve`, it is imported with `--resolve` on the page it was made on
/// (synthetic shadow, where Selenium IDE can see inside components), and the runbook the
/// replay named is run under `shadow`.
fn import_and_replay(recording: &str, shadow: &str, resolve: bool) -> (Fixtures, String) {
    let fx = serve();
    let dir = tmp_artifacts();
    let recorded_in = if resolve { "synthetic" } else { shadow };
    let text = std::fs::read_to_string(recording)
        .unwrap()
        .replace("shadow=synthetic", &format!("shadow={recorded_in}"));
    let src = dir.join(Path::new(recording).file_name().unwrap());
    std::fs::write(&src, text).unwrap();
    let out = dir.join("imported.yaml");
    let mut args = vec!["import", src.to_str().unwrap(), "-o", out.to_str().unwrap()];
    if resolve {
        args.extend(["--resolve", "--url", fx.base.as_str()]);
    }
    let o = setupwright(&args, &[]);
    assert_eq!(o.code, 0, "import {recording}:\n{}\n{}", o.stdout, o.stderr);
    let runbook = std::fs::read_to_string(&out)
        .unwrap()
        .replace("shadow=synthetic", &format!("shadow={shadow}"));
    std::fs::write(&out, &runbook).unwrap();
    let check = setupwright(&["check", out.to_str().unwrap()], &[]);
    assert_eq!(
        check.code, 0,
        "{}\n{}\n{runbook}",
        check.stdout, check.stderr
    );
    for g in GENERATED {
        let numbered = runbook
            .match_indices(g)
            .any(|(i, _)| runbook[i + g.len()..].starts_with(|c: char| c.is_ascii_digit()));
        assert!(!numbered, "generated id `{g}…` kept:\n{runbook}");
    }
    // Values the recording typed and used again are inputs whose default is what was
    // typed: only the origin must be given.
    let run = Run::new(&out)
        .input("base_url", &fx.base)
        .artifacts(tmp_artifacts())
        .args(["--step-timeout", "10s", "--no-screenshots"])
        .output();
    assert_eq!(
        run.code, 0,
        "{recording} under {shadow} shadow:\n{runbook}\n{}\n{}",
        run.stdout, run.stderr
    );
    (fx, runbook)
}

fn gallery(shadow: &str) {
    let recording = if shadow == "native" {
        "tests/recordings-unseen/recorder-components-gallery-native.json"
    } else {
        "tests/recordings-unseen/recorder-components-gallery.json"
    };
    let (fx, runbook) = import_and_replay(recording, shadow, false);
    let page = fx.submissions.last_json("components");
    let want = serde_json::json!({
        "account": "Acme Corp",
        "email": "ops@example.com",
        "website": "https://acme.example.com",
        "active": true,
        "notify": true,
        "notes": "Some notes",
        "priority": "High",
        "rating": "Warm",
        "shipping": "Japan",
        "channels": ["Phone"],
        "languages": ["French"],
    });
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&page[k], v, "{k} in {page:#}\n{runbook}");
    }
    let events: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    assert_eq!(
        events,
        ["new opportunity", "more:archive", "tab:related"],
        "{runbook}"
    );
}

#[test]
fn recorder_gallery_under_synthetic_shadow() {
    gallery("synthetic");
}

/// Made under native shadow: Chrome writes a chain through the shadow roots where no
/// label names the element (the checkbox's faux box, the combobox's button), and no XPath.
#[test]
fn recorder_gallery_under_native_shadow() {
    gallery("native");
}

/// Selenium IDE on the same page: generated ids first in each command's targets, then CSS
/// and XPaths (attributes, id-relative, position, inner text), `${KEY_TAB}` sent, a
/// `select` by label, an `assertText`.
fn side_gallery(shadow: &str) {
    let (fx, runbook) = import_and_replay(
        "tests/recordings-unseen/side-components-gallery.side",
        shadow,
        true,
    );
    let page = fx.submissions.last_json("components");
    let want = serde_json::json!({
        "account": "Acme Corp",
        "email": "ops@example.com",
        "active": true,
        "priority": "High",
        "events": ["new opportunity"],
    });
    for (k, v) in want.as_object().unwrap() {
        assert_eq!(&page[k], v, "{k} in {page:#}\n{runbook}");
    }
}

#[test]
fn side_gallery_under_synthetic_shadow() {
    side_gallery("synthetic");
}

#[test]
fn side_gallery_under_native_shadow() {
    side_gallery("native");
}
