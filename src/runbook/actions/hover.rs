//! `hover`: move the pointer over an element.

use super::*;

#[derive(Debug, Clone)]
pub struct Hover {
    pub target: Locator,
}

impl Verb for Hover {
    const SPEC: ActionSpec = ActionSpec {
        name: "hover",
        summary: "Move the pointer over an element.",
        locator: LocatorUse::Required,
        string_form: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let (target, _) = p.locator(v, &[])?;
        Some(Hover { target })
    }

    fn title(&self) -> String {
        format!("hover {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}
