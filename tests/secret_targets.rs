//! A secret goes only where the runbook sends it: into the top document or a frame of the
//! org's own origins, never first-wins across documents. Each page here holds a
//! third-party widget (the fixture server's other origin) with a field of the same label
//! as the page's own, and the widget reports every value its fields take.

mod common;

use common::*;

/// What the widget's fields received, as it reported them.
fn widget_got(fx: &Fixtures) -> Vec<String> {
    fx.submissions
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|(f, _)| f == "widget-got")
        .map(|(_, b)| b.clone())
        .collect()
}

/// `setupwright run` of `runbook` against the fixtures, with `args` after the runbook
/// (`--input page=...`, `--trust-origin URL`).
fn run(fx: &Fixtures, runbook: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    Run::new(runbook)
        .input_pair(&base)
        .args(args)
        .artifacts(&artifacts)
        .args(["--step-timeout", "5s"])
        .envs(env)
        .output()
}

/// The failed step's error in the run's report.
fn failed_error(out: &Output) -> String {
    let report = report(&run_dir(&out.stdout));
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "failed")
        .and_then(|s| s["error"].as_str())
        .unwrap_or_default()
        .to_string()
}

fn assert_never_got(got: &[String], secret: &str) {
    for b in got {
        assert!(
            !b.contains(secret),
            "the third-party widget got the secret: {b}"
        );
    }
}

/// The page's own field renders a second late; the widget's field of the same label is
/// there from the start. The secret waits for the page's field.
#[test]
fn a_secret_waits_for_the_page_field_rather_than_go_to_a_third_party_frame() {
    let fx = serve();
    let token = "tok-Late-5ecret";
    let out = run(
        &fx,
        "tests/runbooks/secret-late.yaml",
        &[],
        &[("SETUPWRIGHT_TOKEN", token)],
    );
    assert_never_got(&widget_got(&fx), token);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let saved = fx.submissions.last("secret-top").expect("the page saved");
    assert!(
        saved.contains(token),
        "the page's field got the token: {saved}"
    );
}

/// The step before acted in the widget, so an ordinary search would start there; a
/// secret's search does not, and the widget is not the org's.
#[test]
fn a_secret_after_a_step_in_a_third_party_frame_goes_to_the_top_document() {
    let fx = serve();
    let token = "tok-After-Fr4me";
    let out = run(
        &fx,
        "tests/runbooks/secret-targets.yaml",
        &[],
        &[("SETUPWRIGHT_TOKEN", token)],
    );
    let got = widget_got(&fx);
    assert_never_got(&got, token);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        got.iter().any(|b| b.contains("a note in the widget")),
        "the ordinary step before acted in the widget: {got:?}"
    );
    let saved = fx.submissions.last("secret-top").expect("the page saved");
    assert!(
        saved.contains(token),
        "the page's field got the token: {saved}"
    );
}

/// The same, with the widget of the page's own origin: both fields are the org's, so the
/// secret goes to neither, and the error names both documents.
#[test]
fn a_secret_whose_field_is_in_two_org_documents_is_ambiguous() {
    let fx = serve();
    let token = "tok-Two-Pl4ces";
    let out = run(
        &fx,
        "tests/runbooks/secret-targets.yaml",
        &["--input", "page=same"],
        &[("SETUPWRIGHT_TOKEN", token)],
    );
    assert_never_got(&widget_got(&fx), token);
    assert!(
        fx.submissions.last("secret-top").is_none(),
        "nothing was saved"
    );
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let error = failed_error(&out);
    assert!(error.contains("the top document"), "{error}");
    assert!(error.contains("frame widget"), "{error}");
    assert!(
        error.contains(&fx.base),
        "the error names the origins: {error}"
    );
}

/// A frame named trusted on the command line (`--trust-origin`) is the org's: with the
/// page's field there too, the secret goes to neither.
#[test]
fn a_trusted_origin_counts_as_the_org_s() {
    let fx = serve();
    let token = "tok-Trusted-0rigin";
    let out = run(
        &fx,
        "tests/runbooks/secret-targets.yaml",
        &["--trust-origin", &fx.other],
        &[("SETUPWRIGHT_TOKEN", token)],
    );
    assert_never_got(&widget_got(&fx), token);
    assert!(
        fx.submissions.last("secret-top").is_none(),
        "nothing was saved"
    );
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let error = failed_error(&out);
    assert!(error.contains("frame widget"), "{error}");
    assert!(
        error.contains(&fx.other),
        "the error names the origins: {error}"
    );
}

/// `login` signs in on the page's own form, which renders a second late, and never in
/// the widget's form with the same ids.
#[test]
fn login_uses_the_page_form_not_a_third_party_frame_s() {
    let fx = serve();
    let password = "Pw-Late-L0gin";
    let out = run(
        &fx,
        "tests/runbooks/login-widget.yaml",
        &[],
        &[("SETUPWRIGHT_PASSWORD", password)],
    );
    let got = widget_got(&fx);
    assert_never_got(&got, password);
    assert!(
        !got.iter().any(|b| b.contains("admin@example.com")),
        "the widget got the username: {got:?}"
    );
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let posted = fx
        .submissions
        .last("login-top")
        .expect("the page's form was sent");
    assert!(posted.contains("Pw-Late-L0gin"), "{posted}");
}

/// With the login form only in the widget, `login` refuses it and says why.
#[test]
fn login_refuses_a_form_only_in_a_third_party_frame() {
    let fx = serve();
    let password = "Pw-Only-Fr4me";
    let out = run(
        &fx,
        "tests/runbooks/login-widget.yaml",
        &["--input", "page=never"],
        &[("SETUPWRIGHT_PASSWORD", password)],
    );
    let got = widget_got(&fx);
    assert!(got.is_empty(), "the widget got something: {got:?}");
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let error = failed_error(&out);
    assert!(
        error.contains(&fx.other),
        "the error names the frame's origin: {error}"
    );
    assert!(error.contains("not the org's"), "{error}");
}
