//! What a run produces, step by step: the records the runner makes and every report
//! reads. A leaf: it knows neither the runner nor the reports.

use serde::Serialize;

/// The log target of step-end and run-end events; `--log-format json` and `-v` turn it on.
pub const STEP_LOG: &str = "setupwright::steps";

/// What a step's locator matched, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Matched {
    pub locator: String,
    pub name: String,
    pub frame: String,
    /// The element's role as the engine reads it (`import --resolve` writes a label
    /// locator from it and the name).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// For a CSS or XPath locator: the label locator the engine would find the element by
    /// (`{ kind, value, in_row?, in_section?, in_dialog?, nth?, role }`, the role that of
    /// the control it names), checked by finding it again; `import --resolve` writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authored: Option<serde_json::Value>,
    /// For a click on a checkbox, switch or radio (or its label): whether it was checked
    /// once the click was done. `import --resolve` writes `check:` or `uncheck:` from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked: Option<bool>,
}

/// What a run produced: every step's record in the order they finished, how it ended,
/// what `verify` found, and the values it held (name and value as shown, secrets as ***).
pub struct RunResult {
    pub records: Vec<StepRecord>,
    pub failure: Option<Failure>,
    /// `verify`: (path, title, done, why) per guarded group.
    pub drift: Vec<(String, String, bool, String)>,
    pub values: Vec<(String, String)>,
    /// The evidence that could not be written: each file and why.
    pub unwritten: Vec<String>,
}

/// Why a run stopped early; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Step,
    Expectation,
    Browser,
    /// Evidence (a picture, the journal, a report) could not be written: a run that cannot
    /// show what it did has not passed.
    Unwritten,
    /// A step needed a secret input the run started without: a failed step, which a
    /// resume finishes once the input is given.
    InputNotGiven,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
    /// The step was in progress when a signal (or the run's `--timeout`) stopped the run:
    /// neither passed nor failed, and what it did to the org is unknown.
    Interrupted,
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

/// A dialog (alert, confirm, prompt, "leave site?") the page opened during a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dialog {
    pub kind: String,
    pub message: String,
    /// How it was answered: "accepted", "accepted with the step's text", "dismissed".
    pub answer: String,
    /// Why it failed its step (no step declared it; a prompt accepted without text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// Where an action step's time went, in ms. Measured as consecutive laps of one clock
/// (nothing counted twice); the engine's own clock cuts two of them further.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    /// The engine's round trips during the attempts: finding the element and readying it,
    /// and what rides on the same call (a fill's paste, a checkbox's state).
    pub locate: f64,
    /// The rest of the attempts: the action's WebDriver commands (a click, keys, a
    /// navigation), reading back what it did, waits between attempts.
    pub action: f64,
    /// The picture's wait for the page to finish loading (as the page measured it).
    pub settle: f64,
    /// The picture's looks for what to cover (before and after the capture), the verdicts
    /// on the page's texts included.
    pub look: f64,
    /// The browser's capture, transfer and decoding of the picture.
    pub capture: f64,
    /// Painting the covers and encoding the picture.
    pub cover: f64,
    /// Writing the picture file (or linking the last one).
    pub write: f64,
    /// Building the step's record and writing it to the journal.
    pub records: f64,
    /// Not a phase: of `locate`, `settle` and `look`, the time the engine's calls ran in
    /// the page by the page's clock (their waits for an animation frame included); the
    /// rest of those round trips is the way through chromedriver and back.
    pub in_page: f64,
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
    /// Round trips (WebDriver and BiDi) its picture took: the looks for what to cover,
    /// the verdicts, the capture. An action step's only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub picture_commands: Option<u64>,
    /// Where an action step's time went; the phases add up to no more than `duration_ms`.
    #[serde(rename = "timings_ms", skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
    /// The earlier picture this step's screenshot is (the page had not changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot_same_as: Option<String>,
    /// Why the step has no screenshot, when one was due (the page could not be pictured
    /// without showing a secret, or the picture could not be taken).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screenshot_withheld: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// A failure shown as `check` shows a bad runbook: the runbook line with a caret at
    /// the step's locator, the error, and what to try. For the console.
    #[serde(skip)]
    pub frame: Option<String>,
    /// The dialogs (alert, confirm, prompt) the page opened during the step, and how each
    /// was answered.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dialogs: Vec<Dialog>,
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
            Status::Interrupted => "interrupted",
        }
    }
}

/// The log's record of a finished step, one event each: `-v` shows it as a line with its
/// time, and `--log-format json` always carries it.
pub fn log_step_end(r: &StepRecord) {
    macro_rules! step_end {
        ($level:ident) => {
            tracing::$level!(
                target: STEP_LOG,
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
        Status::Failed | Status::Interrupted => step_end!(warn),
        _ => step_end!(info),
    }
}

impl StepRecord {
    /// The sign-in before the first step, failed: it is reported as step 0, so a run the
    /// org refused still has a failed test case, its error and its picture.
    pub fn sign_in_failed(file: &std::path::Path, title: &str, error: &str) -> StepRecord {
        let mut rec = StepRecord::new("0", title, StepKindName::Action, 0, file, 1, Status::Failed);
        rec.attempts = 1;
        rec.error = Some(error.to_string());
        rec
    }

    /// A record with nothing measured or found yet.
    pub fn new(
        path: &str,
        title: &str,
        kind: StepKindName,
        depth: usize,
        file: &std::path::Path,
        line: usize,
        status: Status,
    ) -> StepRecord {
        StepRecord {
            path: path.to_string(),
            title: title.to_string(),
            kind,
            depth,
            file: file.display().to_string(),
            line,
            status,
            duration_ms: 0,
            attempts: 0,
            commands: 0,
            picture_commands: None,
            timings: None,
            matched: None,
            screenshot: None,
            screenshot_same_as: None,
            screenshot_withheld: None,
            error: None,
            skip_reason: None,
            frame: None,
            dialogs: Vec::new(),
            diagnostics: Vec::new(),
        }
    }
}
