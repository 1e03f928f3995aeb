//! The bad-runbook corpus: each `tests/corpus/NAME.yaml` is checked by the real binary,
//! and its stderr must equal `NAME.stderr` and its exit code 3 (invalid runbook).
//! Adding a case is adding two files; `BLESS=1 cargo test --test corpus` writes the
//! expected files for new cases (review them before committing).

mod common;

use std::path::Path;

#[test]
fn every_malformed_runbook_gets_its_message_and_exit_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    let bless = std::env::var("BLESS").is_ok();
    let mut failures = Vec::new();
    for case in &cases {
        let rel = case
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap()
            .to_str()
            .unwrap()
            .trim_start_matches('/')
            .to_string();
        let out = common::setupwright(&["check", &rel], &[]);
        let expected_path = case.with_extension("stderr");
        if bless && !expected_path.exists() {
            std::fs::write(&expected_path, &out.stderr).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| format!("(no {} yet)", expected_path.display()));
        if out.code != 3 {
            failures.push(format!("{rel}: exit code {} instead of 3", out.code));
        }
        if out.stderr.contains("panicked") {
            failures.push(format!("{rel}: panicked"));
        }
        if out.stderr != expected {
            failures.push(format!(
                "{rel}: stderr differs\n--- expected\n{expected}\n--- got\n{}",
                out.stderr
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
