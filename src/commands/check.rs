//! `check`: load and validate runbooks, no browser.

use std::path::PathBuf;

use setupwright::exit;
use setupwright::runbook;
use setupwright::{errln, outln};

pub(crate) fn check(paths: &[PathBuf]) -> i32 {
    let mut bad = 0;
    for p in paths {
        match runbook::load(p) {
            Ok(rb) => outln!(
                "ok  {} ({}: {} steps)",
                p.display(),
                rb.title,
                count_steps(&rb.steps)
            ),
            Err(e) => {
                errln!("{e}\n");
                bad += 1;
            }
        }
    }
    if bad > 0 {
        errln!("{bad} of {} runbook(s) invalid", paths.len());
        exit::INVALID_RUNBOOK
    } else {
        exit::OK
    }
}

pub(crate) fn count_steps(steps: &[runbook::Step]) -> usize {
    steps
        .iter()
        .map(|s| match &s.kind {
            runbook::StepKind::Group { steps, .. } => count_steps(steps),
            runbook::StepKind::Include { runbook, .. } => count_steps(&runbook.steps),
            runbook::StepKind::Action(_) => 1,
        })
        .sum()
}
