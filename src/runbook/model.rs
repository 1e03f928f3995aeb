//! The runbook model: what a YAML runbook means, with every node's position kept for
//! errors and reports. Built only by `parse`; read by validation, `plan` and the runner.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use super::actions::{Action, CaptureItem, Expectation, WindowOp};
use super::template::Template;
use super::yaml::Span;

/// A loaded runbook file and its source text (kept for error rendering and reports).
#[derive(Debug, Clone)]
pub struct Runbook {
    pub title: String,
    pub path: PathBuf,
    pub source: Arc<str>,
    pub inputs: Vec<InputDecl>,
    pub steps: Vec<Step>,
    /// Environment variables whose `${env.NAME}` values are not secret (declared under
    /// `env:` with `secret: false`); every other one read is a secret.
    pub public_env: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct InputDecl {
    pub name: String,
    pub default: Option<Template>,
    pub secret: bool,
    pub example: Option<String>,
    pub description: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Step {
    /// A title given with `name:`, shown in progress, reports and screenshot names.
    pub name: Option<String>,
    pub kind: StepKind,
    pub skip_if: Option<Condition>,
    pub only_if: Option<Condition>,
    pub timeout: Option<Duration>,
    pub retry: u32,
    /// How to answer a dialog (alert, confirm, prompt) the step makes the page open.
    pub dialog: Option<DialogAnswer>,
    pub span: Span,
}

/// A step's answer to a dialog its action makes the page open. A dialog that a step did
/// not declare is answered the safe way (OK on an alert, Cancel otherwise) and fails it.
#[derive(Debug, Clone)]
pub enum DialogAnswer {
    /// OK; on a prompt, with this text (a prompt is never accepted without one).
    Accept(Option<Template>),
    /// Cancel.
    Dismiss,
}

#[derive(Debug, Clone)]
pub enum StepKind {
    Action(Action),
    Group {
        title: String,
        steps: Vec<Step>,
    },
    /// Another runbook, loaded and validated with the including one; it runs with its own
    /// inputs and hands its captures back.
    Include {
        path: PathBuf,
        inputs: Vec<(String, Template)>,
        runbook: Box<Runbook>,
    },
}

/// Where a locator looks and what it calls the thing it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocatorKind {
    /// A bare string: whatever a person would call that, judged by the action's purpose.
    Auto,
    Button,
    Link,
    Field,
    Text,
    Row,
    Cell,
    Tab,
    Menuitem,
    Css,
    Xpath,
}

impl LocatorKind {
    pub const NAMED: &'static [(&'static str, LocatorKind)] = &[
        ("button", LocatorKind::Button),
        ("link", LocatorKind::Link),
        ("field", LocatorKind::Field),
        ("text", LocatorKind::Text),
        ("row", LocatorKind::Row),
        ("cell", LocatorKind::Cell),
        ("tab", LocatorKind::Tab),
        ("menuitem", LocatorKind::Menuitem),
        ("css", LocatorKind::Css),
        ("xpath", LocatorKind::Xpath),
    ];
    pub fn name(self) -> &'static str {
        LocatorKind::NAMED
            .iter()
            .find(|(_, k)| *k == self)
            .map(|(n, _)| *n)
            .unwrap_or("element")
    }
}

#[derive(Debug, Clone)]
pub struct Locator {
    pub kind: LocatorKind,
    pub value: Template,
    pub exact: bool,
    /// 1-based: the nth match in document order.
    pub nth: Option<u32>,
    pub in_row: Option<Template>,
    pub in_section: Option<Template>,
    /// `Some(empty)` means "inside whichever dialog is open".
    pub in_dialog: Option<Template>,
    pub span: Span,
}

impl Locator {
    /// A short human description for logs and errors: `button "Save" in row "X"`.
    pub fn describe(&self) -> String {
        let mut s = match self.kind {
            LocatorKind::Auto => format!("\"{}\"", self.value.source()),
            k => format!("{} \"{}\"", k.name(), self.value.source()),
        };
        if let Some(r) = &self.in_row {
            s.push_str(&format!(" in row \"{}\"", r.source()));
        }
        if let Some(r) = &self.in_section {
            s.push_str(&format!(" in section \"{}\"", r.source()));
        }
        if let Some(r) = &self.in_dialog {
            s.push_str(&format!(" in dialog \"{}\"", r.source()));
        }
        if let Some(n) = self.nth {
            s.push_str(&format!(" (match {n})"));
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct Condition {
    pub test: Test,
    /// Steps that bring the browser to where the test is decided (`at:`).
    pub at: Vec<Step>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Test {
    Exists(Locator),
    Missing(Locator),
    /// A capture or input has a non-empty value.
    Set(String, Span),
    Unset(String, Span),
    Equals(Template, Template),
}

impl Step {
    /// A one-line title: the step's `name`, or what it does.
    pub fn title(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        match &self.kind {
            StepKind::Group { title, .. } => title.clone(),
            StepKind::Include { path, .. } => format!("include {}", path.display()),
            StepKind::Action(a) => a.title(),
        }
    }
}
