//! Run artifacts: the JSON, HTML and JUnit reports, all built from the same step records
//! (reports never talk to the browser), with a last redaction pass over everything written.

pub mod atomic;
pub mod github;
mod junit;

pub use junit::{junit_xml, write_junit};

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::record::{Failure, RunResult, Status, StepKindName, StepRecord};
use crate::redact::Redactor;
use crate::runbook::{Runbook, StepKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    Junit,
}

impl Format {
    pub fn parse_list(s: &str) -> Result<Vec<Format>, String> {
        s.split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| match w {
                "json" => Ok(Format::Json),
                "html" => Ok(Format::Html),
                "junit" => Ok(Format::Junit),
                other => Err(format!(
                    "unknown report format `{other}`; choose from html, junit, json"
                )),
            })
            .collect()
    }
}

#[derive(Debug, Serialize)]
pub struct RunReport {
    pub runbook: String,
    pub file: String,
    pub started: String,
    pub duration_ms: u64,
    pub status: &'static str,
    pub passed: usize,
    pub failed: usize,
    /// Steps a signal (or `--timeout`) cut short: neither passed nor failed.
    pub interrupted: usize,
    pub skipped: usize,
    /// The top-level steps (JUnit's test cases), never reached ones skipped.
    pub top_level: Counts,
    /// The run took a part of the runbook (`--group`, `--from`, `--to`): how many of its
    /// steps; the others are skipped as "not selected".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<SelectionCounts>,
    pub screenshots: usize,
    /// CPU time of setupwright itself (all threads), not of the browser or chromedriver.
    pub executor_cpu_ms: u64,
    /// Inputs as given, secrets as ***.
    pub inputs: serde_json::Map<String, serde_json::Value>,
    /// Names of the values captured; secret ones are listed, never shown.
    pub captures: serde_json::Map<String, serde_json::Value>,
    pub steps: Vec<StepRecord>,
    /// The signal that stopped the run ("SIGTERM"), when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_by: Option<&'static str>,
    /// The code setupwright exits with for this run (see `setupwright --help`).
    pub exit_code: i32,
    /// The command that continues this run where it stopped, when it can be resumed (it
    /// was stopped, or its browser or disk failed it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume_command: Option<String>,
    /// Where a run that did not pass keeps its captured secrets for a resume, and how to
    /// remove them: the file is outside the run folder, so the report must point at it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume_state: Option<ResumeStateFile>,
}

/// Of a run of a part of a runbook: the steps chosen, of how many.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SelectionCounts {
    pub selected: usize,
    pub total: usize,
}

/// The file a run's captured secrets wait in for a resume.
#[derive(Debug, Clone, Serialize)]
pub struct ResumeStateFile {
    pub path: String,
    /// The command that removes it (giving up the resume's captured secrets).
    pub remove_with: String,
}

/// The report of a run: its records in runbook order, with every top-level step it never
/// reached, the counts every format shows, and its inputs and captures as shown.
pub fn build(
    rb: &Runbook,
    result: &RunResult,
    started: time::OffsetDateTime,
    elapsed: Duration,
    input_names: &[String],
    redactor: &Redactor,
) -> RunReport {
    let (steps, failure, values) = (&result.records, result.failure, &result.values);
    let mut steps = steps.to_vec();
    let reason = match failure {
        None => "not reached: the run was interrupted",
        Some(_) => "not reached: the run stopped at an earlier failure",
    };
    for (i, step) in rb.steps.iter().enumerate() {
        let path = (i + 1).to_string();
        if !steps.iter().any(|r| r.depth == 0 && r.path == path) {
            steps.push(never_reached(rb, step, path, reason, redactor));
        }
    }
    steps.sort_by_key(|r| order_key(&r.path));
    let actions = |s: Status| {
        steps
            .iter()
            .filter(|r| r.status == s && r.kind == StepKindName::Action)
            .count()
    };
    // A group or include that failed with no failure inside it (a guard that could not
    // decide, an include's input that had no value) failed as a step of its own.
    let failed_containers = steps
        .iter()
        .filter(|r| r.status == Status::Failed && r.kind != StepKindName::Action)
        .filter(|r| {
            let inside = format!("{}.", r.path);
            !steps
                .iter()
                .any(|o| o.status == Status::Failed && o.path.starts_with(&inside))
        })
        .count();
    let (passed, failed, interrupted) = (
        actions(Status::Passed),
        actions(Status::Failed) + failed_containers,
        actions(Status::Interrupted),
    );
    // Every action of the runbook counts once: what did not pass or fail was skipped
    // (by its condition, by a resume, or because the run stopped before it). A container
    // that failed as a step of its own (a guard that could not decide, a group `verify`
    // found missing) stands for one of its actions, none of which ran.
    let in_runbook = |s: Status| {
        steps
            .iter()
            .filter(|r| r.status == s && r.kind == StepKindName::Action && r.path != "0")
            .count()
    };
    let skipped = action_count(&rb.steps).saturating_sub(
        passed + in_runbook(Status::Failed) + in_runbook(Status::Interrupted) + failed_containers,
    );
    let top = |s: Status| {
        steps
            .iter()
            .filter(|r| r.depth == 0 && r.status == s)
            .count()
    };
    let top_level = Counts {
        passed: top(Status::Passed),
        failed: top(Status::Failed),
        interrupted: top(Status::Interrupted),
        skipped: top(Status::Skipped),
    };
    let mut inputs = serde_json::Map::new();
    let mut captures = serde_json::Map::new();
    for (name, shown) in values {
        if input_names.contains(name) {
            inputs.insert(name.clone(), shown.clone().into());
        } else {
            captures.insert(name.clone(), shown.clone().into());
        }
    }
    RunReport {
        runbook: rb.title.clone(),
        file: rb.path.display().to_string(),
        started: started
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        duration_ms: elapsed.as_millis() as u64,
        status: match failure {
            None => "passed",
            Some(Failure::Expectation) => "failed_expectation",
            Some(Failure::Step | Failure::InputNotGiven) => "failed",
            Some(Failure::Browser) => "browser_failure",
            Some(Failure::Unwritten) => "evidence_not_written",
        },
        passed,
        failed,
        interrupted,
        skipped,
        top_level,
        selection: None,
        screenshots: steps.iter().filter(|r| r.screenshot.is_some()).count(),
        executor_cpu_ms: own_cpu_ms(),
        inputs,
        captures,
        steps,
        stopped_by: None,
        exit_code: match failure {
            None => crate::exit::OK,
            Some(Failure::Expectation) => crate::exit::EXPECTATION_FAILED,
            Some(Failure::Step | Failure::InputNotGiven) => crate::exit::STEP_FAILED,
            Some(Failure::Browser) => crate::exit::BROWSER,
            Some(Failure::Unwritten) => crate::exit::UNWRITTEN,
        },
        resume_command: None,
        resume_state: None,
    }
}

/// Passed, failed and skipped, of one kind of thing.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub interrupted: usize,
    pub skipped: usize,
}

/// A top-level step the run never came to, as the reports show it: skipped, and why.
fn never_reached(
    rb: &Runbook,
    step: &crate::runbook::Step,
    path: String,
    reason: &str,
    redactor: &Redactor,
) -> StepRecord {
    let kind = match step.kind {
        StepKind::Action(_) => StepKindName::Action,
        StepKind::Group { .. } => StepKindName::Group,
        StepKind::Include { .. } => StepKindName::Include,
    };
    let mut rec = StepRecord::new(
        &path,
        &redactor.redact(&step.title()),
        kind,
        0,
        &rb.path,
        step.span.line,
        Status::Skipped,
    );
    rec.skip_reason = Some(reason.to_string());
    rec
}

/// The actions in these steps, groups and includes opened.
fn action_count(steps: &[crate::runbook::Step]) -> usize {
    steps
        .iter()
        .map(|s| match &s.kind {
            StepKind::Action(_) => 1,
            StepKind::Group { steps, .. } => action_count(steps),
            StepKind::Include { runbook, .. } => action_count(&runbook.steps),
        })
        .sum()
}

/// Runbook order for step paths: "2" before "2.check1" before "2.1" before "10"; the
/// sign-in ("0") first.
fn order_key(path: &str) -> Vec<(u8, u64)> {
    path.split('.')
        .map(|part| match part.strip_prefix("check") {
            Some(n) => (0, n.parse().unwrap_or(0)),
            None => (1, part.parse().unwrap_or(u64::MAX)),
        })
        .collect()
}

/// User plus system CPU time of this process so far.
pub fn own_cpu_ms() -> u64 {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return 0;
    }
    let ms = |t: libc::timeval| t.tv_sec as u64 * 1000 + t.tv_usec as u64 / 1000;
    ms(ru.ru_utime) + ms(ru.ru_stime)
}

/// Writes `report.json`; the text is redacted once more as a last guard.
pub fn write_json(
    report: &RunReport,
    dir: &Path,
    redactor: &Redactor,
) -> std::io::Result<std::path::PathBuf> {
    let text = serde_json::to_string_pretty(report).map_err(std::io::Error::other)?;
    let path = dir.join("report.json");
    atomic::write(&path, redactor.redact(&text).as_bytes())?;
    Ok(path)
}

fn environment() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("report.html", include_str!("templates/report.html"))
        .expect("report.html compiles");
    env
}

/// `report.html`: the timeline with thumbnails; opens from disk with no server or network.
pub fn write_html(
    report: &RunReport,
    dir: &Path,
    redactor: &Redactor,
) -> std::io::Result<std::path::PathBuf> {
    let html = environment()
        .get_template("report.html")
        .and_then(|t| t.render(minijinja::context! { r => report }))
        .map_err(std::io::Error::other)?;
    let path = dir.join("report.html");
    // A control character from a step name or a page stays readable and the file valid.
    let html = crate::printable::printable_lines(&redactor.redact(&html));
    atomic::write(&path, html.as_bytes())?;
    Ok(path)
}
#[cfg(test)]
mod counts {
    use super::*;
    use crate::record::{RunResult, StepRecord};

    #[test]
    fn a_group_found_missing_stands_for_one_of_its_actions_so_every_action_counts_once() {
        let rb = crate::runbook::load_source(
            std::path::Path::new("t.yaml"),
            "runbook: t\nsteps:\n  - group: G\n    skip_if: { exists: { link: X } }\n    steps:\n      - click: A\n      - click: B\n      - click: C\n  - click: D\n",
            vec![],
        )
        .unwrap();
        let rec = |path: &str, kind, depth, status| {
            StepRecord::new(path, path, kind, depth, &rb.path, 1, status)
        };
        let result = RunResult {
            records: vec![
                rec("1.check1", StepKindName::Check, 1, Status::Passed),
                rec("1", StepKindName::Group, 0, Status::Failed),
                rec("2", StepKindName::Action, 0, Status::Passed),
            ],
            failure: Some(Failure::Expectation),
            drift: Vec::new(),
            values: Vec::new(),
            unwritten: Vec::new(),
        };
        let r = build(
            &rb,
            &result,
            time::OffsetDateTime::UNIX_EPOCH,
            Duration::ZERO,
            &[],
            &Redactor::default(),
        );
        assert_eq!((r.passed, r.failed, r.skipped), (1, 1, 2));
    }
}
