//! `click`: click a button, link, tab, menu item or any element.

use super::*;

#[derive(Debug, Clone)]
pub struct Click {
    pub target: Locator,
}

impl Verb for Click {
    const SPEC: ActionSpec = ActionSpec {
        name: "click",
        summary: "Click a button, link, tab, menu item or any element.",
        locator: LocatorUse::Required,
        string_form: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let (target, _) = p.locator(v, &[])?;
        Some(Click { target })
    }

    fn title(&self) -> String {
        format!("click {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}
