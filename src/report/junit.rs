//! `junit.xml`, as CI servers read it: a test case per top-level step (group or action).
//! Written with quick-junit, so the XML's shape and escaping are a kept crate's.
//!
//! How each case reads:
//! - a failed step is a `<failure>`; the case whose failure ended the run on a browser,
//!   WebDriver or disk fault (exit 6 or 8) is an `<error>`: the setup under test did not
//!   fail, the infrastructure did;
//! - the case a signal (or `--timeout`) cut short is an `<error type="interrupted">` that
//!   names the signal and the resume command;
//! - a skipped case gives its reason as the element's text (GitLab shows the text) and as
//!   its `message` (Jenkins and most others show that);
//! - a case that did not pass attaches its failure picture and diagnostics in
//!   `<system-out>` as `[[ATTACHMENT|path]]` lines (Jenkins' junit-attachments plugin,
//!   GitLab's test report), the picture first, as GitLab shows only the first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::RunReport;
use crate::record::{Status, StepRecord};
use crate::redact::Redactor;

/// Writes `junit.xml` into the run folder `dir`.
pub fn write_junit(
    report: &RunReport,
    dir: &Path,
    redactor: &Redactor,
) -> std::io::Result<PathBuf> {
    let xml = junit_xml(report, dir, redactor)?;
    let path = dir.join("junit.xml");
    // Every text in the report was redacted when it was made; this is a last guard.
    super::atomic::write(&path, redactor.redact(&xml).as_bytes())?;
    Ok(path)
}

/// The XML of `junit.xml` for a run whose folder is `dir`.
pub fn junit_xml(report: &RunReport, dir: &Path, redactor: &Redactor) -> std::io::Result<String> {
    // A control character a runbook or a page put into a text is shown escaped (XML 1.0
    // allows none but tab and line breaks, and quick-junit would drop it silently).
    let text = |s: &str| crate::printable::printable_lines(&redactor.redact(s));
    let mut suite = TestSuite::new(text(&report.runbook));
    suite.set_time(Duration::from_millis(report.duration_ms));
    suite
        .extra
        .insert("timestamp".into(), text(&report.started).into());
    suite.extra.insert("file".into(), text(&report.file).into());
    let mut property = |name: &str, value: &str| {
        suite.add_property(Property::new(name, text(value)));
    };
    property("status", report.status);
    property("exit_code", &report.exit_code.to_string());
    if let Some(s) = report.stopped_by {
        property("stopped_by", s);
    }
    if let Some(cmd) = &report.resume_command {
        property("resume_command", cmd);
    }
    if let Some(state) = &report.resume_state {
        property("resume_state", &state.path);
    }
    let top: Vec<&StepRecord> = report.steps.iter().filter(|s| s.depth == 0).collect();
    // The case whose failure ended a run on an infrastructure fault: the last one failed.
    let infrastructure = matches!(report.status, "browser_failure" | "evidence_not_written");
    let last_failed = top.iter().rposition(|g| g.status == Status::Failed);
    let attach_root = attachment_root();
    for (i, g) in top.iter().enumerate() {
        let inside: Vec<&StepRecord> = report
            .steps
            .iter()
            .filter(|s| s.path == g.path || s.path.starts_with(&format!("{}.", g.path)))
            .collect();
        // The deepest record that says what went wrong: the action, not its group.
        let cause = inside
            .iter()
            .filter(|s| s.error.is_some())
            .min_by_key(|s| std::cmp::Reverse(s.depth));
        let message = cause.and_then(|s| s.error.clone()).unwrap_or_default();
        let detail = cause
            .and_then(|s| s.frame.clone())
            .unwrap_or_else(|| message.clone());
        let status = match g.status {
            Status::Passed => TestCaseStatus::success(),
            Status::Skipped => {
                let reason = g.skip_reason.clone().unwrap_or_default();
                let mut st = TestCaseStatus::skipped();
                st.set_message(text(&reason)).set_description(text(&reason));
                st
            }
            Status::Interrupted => {
                let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
                let mut description = detail.clone();
                if let Some(cmd) = &report.resume_command {
                    description.push_str(&format!("\nresume with: {cmd}"));
                }
                st.set_message(text(&message))
                    .set_type("interrupted")
                    .set_description(text(&description));
                st
            }
            Status::Failed => {
                let kind = if infrastructure && Some(i) == last_failed {
                    NonSuccessKind::Error
                } else {
                    NonSuccessKind::Failure
                };
                let mut st = TestCaseStatus::non_success(kind);
                st.set_message(text(&message))
                    .set_type(report.status)
                    .set_description(text(&detail));
                st
            }
        };
        let mut case = TestCase::new(text(&format!("{} {}", g.path, g.title)), status);
        case.set_classname(text(&report.runbook));
        case.set_time(Duration::from_millis(g.duration_ms));
        case.extra.insert("file".into(), text(&g.file).into());
        case.extra.insert("line".into(), g.line.to_string().into());
        if g.status != Status::Passed && g.status != Status::Skipped {
            let lines = attachments(&inside, dir, &attach_root);
            if !lines.is_empty() {
                case.set_system_out(text(&lines.join("\n")));
            }
        }
        suite.add_test_case(case);
    }
    let mut junit = Report::new(text(&report.runbook));
    junit.set_time(Duration::from_millis(report.duration_ms));
    junit.add_test_suite(suite);
    junit.to_string().map_err(std::io::Error::other)
}

/// The `[[ATTACHMENT|path]]` lines of the records that did not pass: each one's picture,
/// then its diagnostics (page sources, console log).
fn attachments(records: &[&StepRecord], dir: &Path, root: &Path) -> Vec<String> {
    let mut files: Vec<&str> = Vec::new();
    for r in records.iter().filter(|r| r.error.is_some()) {
        files.extend(r.screenshot.as_deref());
    }
    for r in records.iter().filter(|r| r.error.is_some()) {
        files.extend(r.diagnostics.iter().map(String::as_str));
    }
    files
        .into_iter()
        .map(|f| format!("[[ATTACHMENT|{}]]", attachment_path(&dir.join(f), root)))
        .collect()
}

/// The folder CI servers read attachment paths against: not the junit file's folder but
/// the job's own, GitLab's project folder (`CI_PROJECT_DIR`) and Jenkins' workspace
/// (`WORKSPACE`); elsewhere the folder setupwright was started in.
fn attachment_root() -> PathBuf {
    ["CI_PROJECT_DIR", "WORKSPACE"]
        .iter()
        .filter_map(std::env::var_os)
        .find(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// `file` as a path relative to `root` when it lies under it; absolute otherwise (which
/// Jenkins reads, and GitLab cannot: its attachments must be under the project folder).
pub(crate) fn attachment_path(file: &Path, root: &Path) -> String {
    let absolute = if file.is_absolute() {
        file.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(file)
    };
    let relative = absolute
        .strip_prefix(root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            // The same folder under another name (a symbolic link such as /tmp on macOS).
            let (a, r) = (absolute.canonicalize().ok()?, root.canonicalize().ok()?);
            a.strip_prefix(r).ok().map(Path::to_path_buf)
        });
    relative.unwrap_or(absolute).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attachment_is_named_from_the_ci_root() {
        let root = Path::new("/builds/acme/org-setup");
        assert_eq!(
            attachment_path(&root.join("artifacts/run-1/003-fail.png"), root),
            "artifacts/run-1/003-fail.png"
        );
        assert_eq!(
            attachment_path(Path::new("/elsewhere/run-1/003-fail.png"), root),
            "/elsewhere/run-1/003-fail.png"
        );
    }
}
