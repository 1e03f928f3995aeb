//! Pictures are judged by their pixels: a page draws a secret, in a colour nothing else
//! on it uses, 0 to 50 ms after a click, in every way a page can (a text node, text split
//! over elements, a field value set by script, a placeholder, generated content, SVG
//! text, an open and a closed shadow root, a canvas) and a secret of its own in a field a secret
//! capture reads later. No picture of the run may hold a pixel of that colour, and the
//! page, which watches its own DOM, must see no change it did not make (a mask in the
//! page tells a watcher which of its strings is the secret).

mod common;

use common::*;

#[test]
fn no_picture_shows_a_secret_whenever_and_however_the_page_draws_it() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let token = "T0ken-7c1f9e2ab4";
    let base = format!("base={}", fx.base);
    let out = Run::new("tests/runbooks/reveal.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s"])
        .env("SETUPWRIGHT_TOKEN", token)
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let steps = report["steps"].as_array().unwrap();
    let mut pictures = 0;
    for step in steps {
        assert!(
            step.get("screenshot_withheld").is_none(),
            "every step is pictured: {step}"
        );
        let file = step["screenshot"].as_str().expect("a screenshot per step");
        let png = std::fs::read(dir.join(file)).unwrap();
        let n = secret_pixels(&png);
        assert_eq!(n, 0, "{file} shows the secret's colour in {n} pixels");
        pictures += 1;
    }
    assert!(pictures >= 18, "{pictures} pictures");
    // Only the pictures: a control that the secret was drawn at all, in the colour looked for.
    let log: serde_json::Value =
        serde_json::from_str(&fx.submissions.last("reveal").expect("the log was sent")).unwrap();
    assert_eq!(
        log["foreign"],
        serde_json::json!([]),
        "the page saw changes to its DOM it did not make"
    );
    let own = log["own"].as_str().unwrap();
    for (path, bytes) in all_files(&dir) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(token), "{} holds the token", path.display());
        assert!(
            !text.contains(own),
            "{} holds the page's secret",
            path.display()
        );
    }
}

/// The control for the test above: the same page pictured by Chromium with nothing
/// covered shows the colour, so a clean picture means covered, not undrawn.
#[test]
fn the_colour_looked_for_is_on_the_page_when_nothing_covers_it() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    // No secret input: `token` is an ordinary input here, so nothing is covered.
    let out = Run::new("tests/runbooks/reveal-plain.yaml")
        .input_pair(&base)
        .artifacts(&artifacts)
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let last = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find_map(|s| s["screenshot"].as_str())
        .unwrap()
        .to_string();
    let n = secret_pixels(&std::fs::read(dir.join(&last)).unwrap());
    assert!(n > 2000, "{last}: only {n} pixels of the colour");
}

/// `${env.NAME}` values are secrets unless the runbook declares the variable
/// `secret: false` under `env:`: the token read from the environment is covered in every
/// picture and written nowhere; declared public, it shows.
#[test]
fn a_value_read_from_the_environment_is_a_secret_unless_declared_public() {
    let token = "Env-T0ken-5e81d0";
    let run = |runbook: &str| {
        let fx = serve();
        let artifacts = tmp_artifacts();
        let out = Run::new(runbook)
            .input("base", &fx.base)
            .artifacts(&artifacts)
            .arg("-vv")
            .env("SW_TEST_PIPELINE_TOKEN", token)
            .output();
        assert_eq!(
            out.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        let dir = run_dir(&out.stdout);
        (out, dir)
    };
    let (out, dir) = run("tests/runbooks/env-secret.yaml");
    assert_eq!(
        pictures_showing_secrets(&dir),
        Vec::<(String, usize)>::new()
    );
    assert!(!out.stdout.contains(token) && !out.stderr.contains(token));
    for (path, bytes) in all_files(&dir) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(token),
            "{} holds the token",
            path.display()
        );
    }
    let (_, dir) = run("tests/runbooks/env-public.yaml");
    assert!(
        !pictures_showing_secrets(&dir).is_empty(),
        "declared public, the value is pictured as the page shows it"
    );
}
