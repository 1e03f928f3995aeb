//! What the runner reports as it goes: the progress printer and the reports listen.

use serde::Serialize;

use crate::actions::Matched;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKindName {
    Action,
    Group,
    Include,
    /// A navigation step of a `skip_if` / `only_if` check (`at:`).
    Check,
}

/// One step as it ran. Every text in it has been redacted.
#[derive(Debug, Clone, Serialize)]
pub struct StepRecord {
    /// The step's place in the runbook tree: "2", "2.3", "2.3.1".
    pub path: String,
    pub title: String,
    pub kind: StepKindName,
    pub depth: usize,
    pub file: String,
    pub line: usize,
    pub status: Status,
    pub duration_ms: u64,
    pub attempts: u32,
    /// WebDriver commands the step issued, screenshots aside.
    pub commands: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Diagnostics saved on failure: page sources per frame, console log.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
}

pub enum Event<'a> {
    Started { runbook: &'a str, dir: &'a std::path::Path },
    StepStarted { path: &'a str, title: &'a str, depth: usize },
    StepFinished(&'a StepRecord),
}

pub trait Listener: Send {
    fn event(&mut self, e: &Event<'_>);
}

/// Plain progress: one line per finished step, for terminals and CI logs alike.
pub struct LinePrinter {
    pub quiet: bool,
}

impl Listener for LinePrinter {
    fn event(&mut self, e: &Event<'_>) {
        if self.quiet {
            return;
        }
        match e {
            Event::Started { runbook, dir } => println!("Running {runbook}\n  artifacts: {}", dir.display()),
            Event::StepStarted { .. } => {}
            Event::StepFinished(r) => {
                let indent = "  ".repeat(r.depth + 1);
                let mark = match r.status {
                    Status::Passed => "ok  ",
                    Status::Failed => "FAIL",
                    Status::Skipped => "skip",
                };
                let time = format!("{:.1}s", r.duration_ms as f64 / 1000.0);
                match (r.status, r.kind) {
                    (Status::Skipped, _) => println!("{indent}{mark} {} {} ({})", r.path, r.title, r.skip_reason.as_deref().unwrap_or("")),
                    (Status::Failed, _) => println!("{indent}{mark} {} {} [{time}]\n{indent}     {}", r.path, r.title, r.error.as_deref().unwrap_or("")),
                    _ => println!("{indent}{mark} {} {} [{time}]", r.path, r.title),
                }
            }
        }
    }
}
