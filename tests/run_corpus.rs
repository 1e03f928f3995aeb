//! The run-time corpus: each `tests/corpus-run/NAME.yaml` runs against the fixture pages
//! and must fail as `NAME.out` says. Its first line is the exit code (`exit 4`); the rest
//! is what the console prints with `--quiet`: the failed step in its runbook frame, with
//! the near misses, and the summary. The fixture servers' addresses read `${base}` and
//! `${other}`, the run folder `<run>`, and the run's own time `<t>`. Adding a case is
//! adding two files; `BLESS=1 cargo test --test run_corpus` writes the expected file for
//! a new case (review it before committing).

mod common;

use std::path::{Path, PathBuf};

use common::{serve, tmp_artifacts, Run};

fn normalise(text: &str, base: &str, other: &str, run: &Path) -> String {
    let run = run.to_string_lossy();
    let text = text
        .replace(base, "${base}")
        .replace(other, "${other}")
        .replace(run.as_ref(), "<run>");
    text.lines().map(timeless).collect::<Vec<_>>().join("\n") + "\n"
}

/// A line without what changes from run to run: the summary's time ("in 3.2s;"), a
/// step's time ("[2.1s]") and the run folder's stamp ("<run>/20261130-182719-name").
fn timeless(line: &str) -> String {
    let mut l = line.to_string();
    if l.starts_with("FAILED") || l.starts_with("INTERRUPTED") {
        if let (Some(i), Some(j)) = (l.rfind(" in "), l.rfind("s;")) {
            if j > i {
                l = format!("{} in <t>{}", &l[..i], &l[j + 1..]);
            }
        }
    }
    if l.trim_start().starts_with("FAIL ") && l.ends_with("s]") {
        if let Some(i) = l.rfind(" [") {
            l = format!("{} [<t>]", &l[..i]);
        }
    }
    if let Some(i) = l.find("<run>/") {
        let stamp = i + "<run>/".len();
        let is_stamp = l.get(stamp..stamp + 16).is_some_and(|s| {
            s.bytes().enumerate().all(|(k, b)| {
                if k == 8 || k == 15 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
        });
        if is_stamp {
            l = format!("{}<stamp>{}", &l[..stamp], &l[stamp + 15..]);
        }
    }
    l
}

#[test]
fn every_failing_run_says_what_failed_where_and_what_is_near() {
    let fx = serve();
    let cases = common::corpus_cases("corpus-run");
    assert!(cases.len() >= 8, "the corpus has {} cases", cases.len());
    let bless = std::env::var("BLESS").is_ok();
    // Each case is a browser of its own; two at a time keep a 2-core machine honest.
    let results: Vec<(PathBuf, String)> = std::thread::scope(|s| {
        let chunks: Vec<_> = cases.chunks(cases.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                let fx = &fx;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(case, rel)| {
                            let artifacts = tmp_artifacts();
                            let out = Run::new(rel)
                                .input("base", &fx.base)
                                .artifacts(&artifacts)
                                .args(["--step-timeout", "3s", "--quiet"])
                                .env("NO_COLOR", "1")
                                .output();
                            let got = format!(
                                "exit {}\n{}{}",
                                out.code,
                                normalise(&out.stdout, &fx.base, &fx.other, &artifacts),
                                if out.stderr.is_empty() {
                                    String::new()
                                } else {
                                    format!(
                                        "--- stderr\n{}",
                                        normalise(&out.stderr, &fx.base, &fx.other, &artifacts)
                                    )
                                }
                            );
                            (case.clone(), got)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    for (case, got) in &results {
        let expected_path = case.with_extension("out");
        if bless && !expected_path.exists() {
            std::fs::write(&expected_path, got).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| format!("(no {} yet)", expected_path.display()));
        // 0 passed, 2 is a usage error, 3 an invalid runbook: none of them a failing run.
        if ["exit 0\n", "exit 2\n", "exit 3\n"]
            .iter()
            .any(|c| got.starts_with(c))
            || got.contains("panicked")
        {
            failures.push(format!("{}: did not fail as a run\n{got}", case.display()));
        } else if *got != expected {
            failures.push(format!(
                "{}: output differs\n--- expected\n{expected}--- got\n{got}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        results.len(),
        failures.join("\n\n")
    );
}
