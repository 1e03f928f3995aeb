//! A secret is redacted from a failed run's files in every form Chromium writes it: its
//! console log escapes `<`, `>` and `&` as \u003C, \u003E and \u0026 (issue 21, point 5).

mod common;

use common::*;

#[test]
fn a_secret_with_markup_characters_is_not_in_the_failed_run_s_console_file() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let secret = "tok<en>&\"q'9";
    let out = Run::new("tests/runbooks/console-secret.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .env("SETUPWRIGHT_TOKEN", secret)
        .output();
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let dir = run_dir(&out.stdout);
    let files = all_files(&dir);
    let console = files
        .iter()
        .find(|(p, _)| p.to_string_lossy().ends_with("-failed-console.json"))
        .unwrap_or_else(|| panic!("no console file in {}", dir.display()));
    let text = String::from_utf8_lossy(&console.1);
    assert!(
        text.contains("typed: ***"),
        "the page's line is there, redacted: {text}"
    );
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for form in [secret, "tok\\u003Cen\\u003E", "tok<en>", "tok&lt;en&gt;"] {
            assert!(!text.contains(form), "{} holds {form}", path.display());
        }
    }
}

/// A secret too short to redact is refused where it is given, by `plan` as by `run`.
#[test]
fn a_secret_under_three_characters_is_refused_by_plan_and_run() {
    for cmd in ["plan", "run"] {
        let out = setupwright(
            &[
                cmd,
                "tests/runbooks/console-secret.yaml",
                "-i",
                "base=http://127.0.0.1:9",
            ],
            &[("SETUPWRIGHT_TOKEN", "ab")],
        );
        assert_eq!(out.code, 2, "{cmd}: {}\n{}", out.stdout, out.stderr);
        assert!(
            out.stderr
                .contains("secret input `token` (from SETUPWRIGHT_TOKEN) is refused"),
            "{cmd}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("under 3 characters"), "{}", out.stderr);
    }
}
