//! What the runner reports as it goes: the progress printer and the reports listen.

use serde::Serialize;

use crate::actions::Matched;
use crate::outln;

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
    /// The earlier picture this step's screenshot is (the page had not changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot_same_as: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Diagnostics saved on failure: page sources per frame, console log.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
}

impl Status {
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Skipped => "skipped",
        }
    }
}

/// The log's record of a finished step, one event each: `-v` shows it as a line with its
/// time, and `--log-format json` always carries it.
pub fn log_step_end(r: &StepRecord) {
    macro_rules! step_end {
        ($level:ident) => {
            tracing::$level!(
                target: "setupwright::steps",
                path = %r.path,
                title = %r.title,
                status = r.status.word(),
                duration_ms = r.duration_ms,
                attempts = r.attempts,
                commands = r.commands,
                error = r.error.as_deref(),
                skip_reason = r.skip_reason.as_deref(),
                screenshot = r.screenshot.as_deref(),
                "step {} {} {} in {} ms",
                r.path,
                r.title,
                r.status.word(),
                r.duration_ms
            )
        };
    }
    // A failure is a warning, so a log reader filtering by level finds it.
    match r.status {
        Status::Failed => step_end!(warn),
        _ => step_end!(info),
    }
}

impl StepRecord {
    /// The sign-in before the first step, failed: it is reported as step 0, so a run the
    /// org refused still has a failed test case, its error and its picture.
    pub fn sign_in_failed(file: &std::path::Path, title: &str, error: &str) -> StepRecord {
        StepRecord {
            path: "0".into(),
            title: title.to_string(),
            kind: StepKindName::Action,
            depth: 0,
            file: file.display().to_string(),
            line: 1,
            status: Status::Failed,
            duration_ms: 0,
            attempts: 1,
            commands: 0,
            matched: None,
            screenshot: None,
            screenshot_same_as: None,
            error: Some(error.to_string()),
            skip_reason: None,
            diagnostics: Vec::new(),
        }
    }
}

pub enum Event<'a> {
    Started {
        runbook: &'a str,
        dir: &'a std::path::Path,
    },
    StepStarted {
        path: &'a str,
        title: &'a str,
        depth: usize,
    },
    StepFinished(&'a StepRecord),
}

pub trait Listener: Send {
    fn event(&mut self, e: &Event<'_>);
}

/// Progress: one line per finished step; in a terminal also a live line with the
/// current group and step and the elapsed time. `quiet` prints neither.
pub struct LinePrinter {
    pub quiet: bool,
    live: Option<indicatif::ProgressBar>,
    groups: Vec<(usize, String)>,
    /// Set when several runs share the console: lines start with `[tag]` and only
    /// top-level steps and failures are printed.
    tag: Option<String>,
}

impl LinePrinter {
    pub fn new(quiet: bool) -> LinePrinter {
        use std::io::IsTerminal;
        // The live line draws on stderr: never where stderr carries JSON lines.
        let live = (!quiet && std::io::stdout().is_terminal() && !crate::console::json_stderr())
            .then(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_msg}",
                ) {
                    bar.set_style(style);
                }
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                crate::console::set_live(Some(bar.clone()));
                bar
            });
        LinePrinter {
            quiet,
            live,
            groups: Vec::new(),
            tag: None,
        }
    }

    /// A printer for one of several runs at once.
    pub fn tagged(tag: &str) -> LinePrinter {
        LinePrinter {
            quiet: false,
            live: None,
            groups: Vec::new(),
            tag: Some(tag.to_string()),
        }
    }

    /// Prints a line; control characters a runbook or a page put into it (an ESC that
    /// clears the screen, a CR that overwrites the line) are shown escaped.
    fn print(&self, line: String) {
        let line = crate::printable::printable_lines(&line);
        // Lines go to stdout; `outln!` hides the live line (on stderr) while it writes.
        match &self.tag {
            Some(t) => line
                .lines()
                .for_each(|l| outln!("[{t}] {}", l.trim_start())),
            None => outln!("{line}"),
        }
    }
}

impl LinePrinter {
    /// Takes the live line off the screen for good; what is printed next starts clean.
    pub fn finish(&mut self) {
        if self.live.take().is_some() {
            crate::console::set_live(None);
        }
    }
}

impl Drop for LinePrinter {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Listener for LinePrinter {
    fn event(&mut self, e: &Event<'_>) {
        // Quiet: only a failed step, with its error.
        if self.quiet
            && !matches!(e, Event::StepFinished(r) if r.status == Status::Failed && r.error.is_some())
        {
            return;
        }
        match e {
            Event::Started { runbook, dir } => {
                self.print(format!("Running {runbook}\n  artifacts: {}", dir.display()))
            }
            Event::StepStarted { path, title, depth } => {
                if let Some(bar) = &self.live {
                    self.groups.retain(|(d, _)| d < depth);
                    let trail: Vec<&str> = self.groups.iter().map(|(_, t)| t.as_str()).collect();
                    let message = if trail.is_empty() {
                        format!("{path} {title}")
                    } else {
                        format!("{} › {path} {title}", trail.join(" › "))
                    };
                    bar.set_message(crate::printable::printable(&message).into_owned());
                    self.groups.push((*depth, title.to_string()));
                }
            }
            Event::StepFinished(r)
                if self.tag.is_some() && r.depth > 0 && r.status != Status::Failed => {}
            Event::StepFinished(r) => {
                let indent = "  ".repeat(r.depth + 1);
                let mark = match r.status {
                    Status::Passed => "ok  ",
                    Status::Failed => "FAIL",
                    Status::Skipped => "skip",
                };
                let time = format!("{:.1}s", r.duration_ms as f64 / 1000.0);
                self.print(match (r.status, r.kind) {
                    (Status::Skipped, _) => format!(
                        "{indent}{mark} {} {} ({})",
                        r.path,
                        r.title,
                        r.skip_reason.as_deref().unwrap_or("")
                    ),
                    (Status::Failed, _) => format!(
                        "{indent}{mark} {} {} [{time}]\n{indent}     {}",
                        r.path,
                        r.title,
                        r.error.as_deref().unwrap_or("")
                    ),
                    _ => format!("{indent}{mark} {} {} [{time}]", r.path, r.title),
                })
            }
        }
    }
}
