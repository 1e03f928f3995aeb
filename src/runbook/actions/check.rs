//! `check` and `uncheck`: make a checkbox checked or unchecked.

use super::*;

#[derive(Debug, Clone)]
pub struct Check {
    pub target: Locator,
}

impl Verb for Check {
    const SPEC: ActionSpec = ActionSpec {
        name: "check",
        summary: "Make a checkbox checked (no change if it already is).",
        locator: LocatorUse::Required,
        string_form: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let (target, _) = p.locator(v, &[])?;
        Some(Check { target })
    }

    fn title(&self) -> String {
        format!("check {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}

#[derive(Debug, Clone)]
pub struct Uncheck {
    pub target: Locator,
}

impl Verb for Uncheck {
    const SPEC: ActionSpec = ActionSpec {
        name: "uncheck",
        summary: "Make a checkbox unchecked (no change if it already is).",
        locator: LocatorUse::Required,
        string_form: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let (target, _) = p.locator(v, &[])?;
        Some(Uncheck { target })
    }

    fn title(&self) -> String {
        format!("uncheck {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}
