//! Dialogs are evidence: a classic related list's Del asks "Are you sure?" and then
//! reloads its frame (a cross-origin frame, as Lightning Setup shows classic pages). The
//! step that declares `dialog: accept` deletes the row once, and its record says what was
//! asked and answered; a confirm no step declared is cancelled and fails its step. The
//! same runbook passes every time with both cores busy: the click that opened the confirm
//! was performed, and is never looked for or sent again as if it had not been.

mod common;

use common::*;

fn run(fx: &Fixtures, runbook: &str) -> (Output, serde_json::Value) {
    let artifacts = tmp_artifacts();
    let out = Run::new(runbook)
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "15s"])
        .output();
    let report = report(&run_dir(&out.stdout));
    (out, report)
}

fn deleted(fx: &Fixtures) -> Vec<String> {
    fx.submissions
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|(form, _)| form == "deleted")
        .map(|(_, body)| body.clone())
        .collect()
}

#[test]
fn a_declared_confirm_is_accepted_once_and_recorded() {
    let fx = serve();
    let (out, report) = run(&fx, "tests/runbooks/related-delete.yaml");
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(deleted(&fx), ["Alpha Config"]);
    let step = &report["steps"][1];
    assert_eq!(
        step["dialogs"],
        serde_json::json!([{ "kind": "confirm", "message": "Are you sure?", "answer": "accepted" }]),
        "{step}"
    );
    assert_eq!(step["attempts"], 1, "{step}");
    let html = std::fs::read_to_string(run_dir(&out.stdout).join("report.html")).unwrap();
    assert!(
        html.contains("the page opened a confirm: &quot;Are you sure?&quot;, accepted")
            || html.contains("the page opened a confirm: \"Are you sure?\", accepted"),
        "report.html shows the dialog"
    );
}

#[test]
fn an_undeclared_confirm_is_cancelled_and_fails_its_step() {
    let fx = serve();
    let (out, report) = run(&fx, "tests/runbooks/related-undeclared.yaml");
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        deleted(&fx).is_empty(),
        "nothing was deleted: {:?}",
        deleted(&fx)
    );
    let step = &report["steps"][1];
    assert_eq!(step["status"], "failed");
    assert_eq!(step["dialogs"][0]["answer"], "dismissed", "{step}");
    let error = step["error"].as_str().unwrap();
    assert!(
        error.contains("confirm saying \"Are you sure?\""),
        "{error}"
    );
    assert!(
        out.stdout.contains("dialog: accept"),
        "the help says what to write:\n{}",
        out.stdout
    );
}

/// Two busy loops hold both cores while the runbook runs, three times over.
#[test]
fn a_click_whose_confirm_reloads_the_frame_passes_under_load() {
    under_load(|| {
        for round in 0..3 {
            let fx = serve();
            let (out, report) = run(&fx, "tests/runbooks/related-delete.yaml");
            assert_eq!(
                out.code, 0,
                "round {round}\nstdout:\n{}\nstderr:\n{}",
                out.stdout, out.stderr
            );
            assert_eq!(deleted(&fx), ["Alpha Config"], "round {round}");
            assert_eq!(report["steps"][1]["dialogs"][0]["answer"], "accepted");
        }
    });
}
