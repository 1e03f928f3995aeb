//! What a run tells GitHub Actions when it runs there (`GITHUB_ACTIONS=true`): an
//! `::error` workflow command per step that failed or was cut short, which GitHub shows on
//! the runbook's line in the pull request and on the run's page, and a Markdown table of
//! the top-level steps appended to the job's summary (`$GITHUB_STEP_SUMMARY`).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::RunReport;
use crate::record::Status;

/// Whether this process runs as a step of GitHub Actions.
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The `::error file=...,line=...,title=...::message` lines of a run: one per step that
/// failed with an error of its own or was interrupted. `tag` names the target of a
/// `run --targets`.
pub fn annotations(report: &RunReport, tag: Option<&str>) -> Vec<String> {
    let root = workspace();
    report
        .steps
        .iter()
        .filter(|s| matches!(s.status, Status::Failed | Status::Interrupted))
        .filter_map(|s| {
            let error = s.error.as_deref()?;
            let mut message = error.to_string();
            if s.status == Status::Interrupted {
                if let Some(cmd) = &report.resume_command {
                    message.push_str(&format!("\nresume with: {cmd}"));
                }
            }
            let title = match tag {
                Some(t) => format!("[{t}] step {} {} {}", s.path, s.title, s.status.word()),
                None => format!("step {} {} {}", s.path, s.title, s.status.word()),
            };
            let file = super::junit::attachment_path(Path::new(&s.file), &root);
            Some(format!(
                "::error file={},line={},title={}::{}",
                property(&file),
                s.line,
                property(&title),
                data(&message)
            ))
        })
        .collect()
}

/// The folder GitHub reads an annotation's file against: the repository's checkout.
fn workspace() -> PathBuf {
    std::env::var_os("GITHUB_WORKSPACE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// A workflow command's message: `%`, CR and LF escaped as the runner reads them back.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`, which end one.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The job summary's section for this run: what ended it, the counts, a table of the
/// top-level steps, and where the run folder is.
pub fn step_summary(report: &RunReport, dir: &Path, tag: Option<&str>) -> String {
    let mut out = String::new();
    let name = match tag {
        Some(t) => format!("{} [{t}]", report.runbook),
        None => report.runbook.clone(),
    };
    out.push_str(&format!(
        "### setupwright: {}: {}\n\n",
        cell(&name),
        report.status
    ));
    out.push_str(&format!(
        "{} passed, {} failed, {}{} skipped of {} steps in {:.1} s; exit code {}\n\n",
        report.passed,
        report.failed,
        if report.interrupted > 0 {
            format!("{} interrupted, ", report.interrupted)
        } else {
            String::new()
        },
        report.skipped,
        report.passed + report.failed + report.interrupted + report.skipped,
        report.duration_ms as f64 / 1000.0,
        report.exit_code
    ));
    out.push_str("| Step | Status | Time | Details |\n|---|---|---|---|\n");
    for g in report.steps.iter().filter(|s| s.depth == 0) {
        let inside = format!("{}.", g.path);
        let detail = match g.status {
            Status::Skipped => g.skip_reason.clone().unwrap_or_default(),
            _ => report
                .steps
                .iter()
                .filter(|s| s.path == g.path || s.path.starts_with(&inside))
                .filter_map(|s| s.error.clone())
                .next_back()
                .unwrap_or_default(),
        };
        out.push_str(&format!(
            "| {} {} | {} | {:.1} s | {} |\n",
            g.path,
            cell(&g.title),
            g.status.word(),
            g.duration_ms as f64 / 1000.0,
            cell(&detail)
        ));
    }
    out.push('\n');
    if let Some(s) = report.stopped_by {
        out.push_str(&format!("Stopped by {s}.\n\n"));
    }
    if let Some(cmd) = &report.resume_command {
        out.push_str(&format!("Resume with: `{}`\n\n", cmd.replace('`', "'")));
    }
    out.push_str(&format!(
        "Run folder: `{}` (report.html, junit.xml, report.json and the pictures)\n\n",
        dir.display()
    ));
    out
}

/// Text that stays inside one Markdown table cell and shows as written.
fn cell(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` to the job summary file GitHub named (`$GITHUB_STEP_SUMMARY`), if any.
pub fn append_step_summary(text: &str) -> std::io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped_as_the_runner_reads_them() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn a_table_cell_holds_one_line_of_literal_text() {
        assert_eq!(cell("a | b\nc <d> `e`"), "a \\| b c &lt;d&gt; \\`e\\`");
    }
}
