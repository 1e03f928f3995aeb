//! `window`: switch windows.

use super::*;

#[derive(Debug, Clone)]
pub struct Window {
    pub op: WindowOp,
}

#[derive(Debug, Clone)]
pub enum WindowOp {
    /// Switch to the window opened most recently (a new tab or popup), waiting for it;
    /// never one the run has been in and left open with `main`.
    New,
    /// Close the current window and return to the one before it.
    Close,
    /// Return to the first window of the run; the windows left stay open.
    Main,
    /// Switch to the window whose title or URL contains this text.
    Titled(Template),
}

impl Verb for Window {
    const SPEC: ActionSpec = ActionSpec {
        name: "window",
        summary: "Switch windows: new, close, main, or a title.",
        locator: LocatorUse::None,
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let text = p.string(v, "`window`")?;
        let op = match text.as_str() {
            "new" => WindowOp::New,
            "close" => WindowOp::Close,
            "main" => WindowOp::Main,
            _ => WindowOp::Titled(p.template(v, "`window`")?),
        };
        Some(Window { op })
    }

    fn title(&self) -> String {
        match &self.op {
            WindowOp::New => "switch to the new window".into(),
            WindowOp::Close => "close this window".into(),
            WindowOp::Main => "switch to the main window".into(),
            WindowOp::Titled(t) => format!("switch to window \"{}\"", t.source()),
        }
    }

    fn templates(&self) -> Vec<&Template> {
        match &self.op {
            WindowOp::Titled(t) => vec![t],
            _ => Vec::new(),
        }
    }
}
