//! `fill` and `clear`: replace a field's text, or empty it.

use super::*;

#[derive(Debug, Clone)]
pub struct Fill {
    pub target: Locator,
    pub value: Template,
}

impl Verb for Fill {
    const SPEC: ActionSpec = ActionSpec {
        name: "fill",
        summary: "Replace a field's text, or move a slider to a value.",
        keys: &[Key::text(
            "with",
            "The text to put in the field (it replaces what is there); for a slider, the number to move it to.",
        )],
        locator: LocatorUse::Required,
        required: &["with"],
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let (target, rest) = p.locator(v, &Self::SPEC.key_names())?;
        let with = p.needed(&rest, "with", key, "fill", "field: Name, with: \"value\"")?;
        Some(Fill {
            target,
            value: p.template(with, "`with`")?,
        })
    }

    fn title(&self) -> String {
        format!(
            "fill {} with \"{}\"",
            self.target.describe(),
            self.value.source()
        )
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }

    fn templates(&self) -> Vec<&Template> {
        vec![&self.value]
    }
}

#[derive(Debug, Clone)]
pub struct Clear {
    pub target: Locator,
}

impl Verb for Clear {
    const SPEC: ActionSpec = ActionSpec {
        name: "clear",
        summary: "Empty a field.",
        locator: LocatorUse::Required,
        string_form: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        let (target, _) = p.locator(v, &[])?;
        Some(Clear { target })
    }

    fn title(&self) -> String {
        format!("clear {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}
