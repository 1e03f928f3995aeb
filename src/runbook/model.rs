//! The runbook model: what a YAML runbook means, with every node's position kept for
//! errors and reports. Built only by `parse`; read by validation, `plan` and the runner.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

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
    pub span: Span,
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
pub enum Action {
    Goto {
        url: Template,
    },
    /// Quick Find in the Setup tree, then the matching entry.
    Setup {
        page: Template,
        section: Option<Template>,
    },
    Click {
        target: Locator,
    },
    Fill {
        target: Locator,
        value: Template,
    },
    Clear {
        target: Locator,
    },
    Select {
        target: Locator,
        option: Template,
    },
    Check {
        target: Locator,
    },
    Uncheck {
        target: Locator,
    },
    Choose {
        target: Locator,
        add: Vec<Template>,
        remove: Vec<Template>,
    },
    Press {
        key: String,
        target: Option<Locator>,
    },
    Hover {
        target: Locator,
    },
    WaitFor {
        target: Locator,
        gone: bool,
    },
    Expect {
        target: Option<Locator>,
        check: Expectation,
    },
    Capture {
        items: Vec<CaptureItem>,
        secret: bool,
    },
    Screenshot {
        name: Template,
    },
    Window {
        op: WindowOp,
    },
    Login {
        username: Template,
        password: Template,
    },
}

impl Action {
    /// The action's key in a runbook (`click`, `wait_for`...), its name in the vocabulary.
    pub fn keyword(&self) -> &'static str {
        match self {
            Action::Goto { .. } => "goto",
            Action::Setup { .. } => "setup",
            Action::Click { .. } => "click",
            Action::Fill { .. } => "fill",
            Action::Clear { .. } => "clear",
            Action::Select { .. } => "select",
            Action::Check { .. } => "check",
            Action::Uncheck { .. } => "uncheck",
            Action::Choose { .. } => "choose",
            Action::Press { .. } => "press",
            Action::Hover { .. } => "hover",
            Action::WaitFor { .. } => "wait_for",
            Action::Expect { .. } => "expect",
            Action::Capture { .. } => "capture",
            Action::Screenshot { .. } => "screenshot",
            Action::Window { .. } => "window",
            Action::Login { .. } => "login",
        }
    }

    pub fn target(&self) -> Option<&Locator> {
        match self {
            Action::Click { target }
            | Action::Fill { target, .. }
            | Action::Clear { target }
            | Action::Select { target, .. }
            | Action::Check { target }
            | Action::Uncheck { target }
            | Action::Choose { target, .. }
            | Action::Hover { target }
            | Action::WaitFor { target, .. } => Some(target),
            Action::Press { target, .. } | Action::Expect { target, .. } => target.as_ref(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaptureItem {
    pub var: String,
    pub target: Locator,
    /// An optional regular-expression-free extraction: the text after this prefix.
    pub after: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Expectation {
    Visible,
    Hidden,
    Value(Template),
    Contains(Template),
    NotEmpty,
    Checked(bool),
    UrlContains(Template),
    Title(Template),
}

#[derive(Debug, Clone)]
pub enum WindowOp {
    /// Switch to the window opened most recently (a new tab or popup), waiting for it.
    New,
    /// Close the current window and return to the one before it.
    Close,
    /// Return to the first window of the run.
    Main,
    /// Switch to the window whose title or URL contains this text.
    Titled(Template),
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
            StepKind::Action(a) => action_title(a),
        }
    }
}

fn action_title(a: &Action) -> String {
    use Action::*;
    let loc = |l: &Locator| l.describe();
    match a {
        Goto { url } => format!("go to {}", url.source()),
        Setup { page, .. } => format!("setup {}", page.source()),
        Click { target } => format!("click {}", loc(target)),
        Fill { target, value } => format!("fill {} with \"{}\"", loc(target), value.source()),
        Clear { target } => format!("clear {}", loc(target)),
        Select { target, option } => format!("select \"{}\" in {}", option.source(), loc(target)),
        Check { target } => format!("check {}", loc(target)),
        Uncheck { target } => format!("uncheck {}", loc(target)),
        Choose {
            target,
            add,
            remove,
        } => {
            let names =
                |v: &Vec<Template>| v.iter().map(|t| t.source()).collect::<Vec<_>>().join(", ");
            let mut s = format!("choose in {}", loc(target));
            if !add.is_empty() {
                s.push_str(&format!(": add {}", names(add)));
            }
            if !remove.is_empty() {
                s.push_str(&format!(": remove {}", names(remove)));
            }
            s
        }
        Press { key, target } => match target {
            Some(t) => format!("press {key} in {}", loc(t)),
            None => format!("press {key}"),
        },
        Hover { target } => format!("hover {}", loc(target)),
        WaitFor { target, gone } => format!(
            "wait for {} to {}",
            loc(target),
            if *gone { "go" } else { "appear" }
        ),
        Expect { target, .. } => match target {
            Some(t) => format!("expect {}", loc(t)),
            None => "expect page".into(),
        },
        Capture { items, .. } => format!(
            "capture {}",
            items
                .iter()
                .map(|i| i.var.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Screenshot { name } => format!("screenshot {}", name.source()),
        Window { op } => match op {
            WindowOp::New => "switch to the new window".into(),
            WindowOp::Close => "close this window".into(),
            WindowOp::Main => "switch to the main window".into(),
            WindowOp::Titled(t) => format!("switch to window \"{}\"", t.source()),
        },
        Login { .. } => "log in".into(),
    }
}
