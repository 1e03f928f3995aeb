//! `wait_for`: wait until an element appears, or disappears.

use super::*;

#[derive(Debug, Clone)]
pub struct WaitFor {
    pub target: Locator,
    pub gone: bool,
}

impl Verb for WaitFor {
    const SPEC: ActionSpec = ActionSpec {
        name: "wait_for",
        summary: "Wait until an element appears (or, with gone: true, disappears).",
        keys: &[Key::flag(
            "gone",
            "Wait until the element disappears instead.",
        )],
        locator: LocatorUse::Required,
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let (target, rest) = p.locator(v, &Self::SPEC.key_names())?;
        let gone = match Parser::opt(&rest, "gone") {
            Some(g) => p.bool(g, "`gone`")?,
            None => false,
        };
        Some(WaitFor { target, gone })
    }

    fn title(&self) -> String {
        format!(
            "wait for {} to {}",
            self.target.describe(),
            if self.gone { "go" } else { "appear" }
        )
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}
