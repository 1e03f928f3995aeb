//! `select`: pick an option in a picklist or combobox.

use super::*;

#[derive(Debug, Clone)]
pub struct Select {
    pub target: Locator,
    pub option: Template,
}

impl Verb for Select {
    const SPEC: ActionSpec = ActionSpec {
        name: "select",
        summary: "Pick an option in a picklist or combobox.",
        keys: &[Key::text("option", "The option to pick, by its label.")],
        locator: LocatorUse::Required,
        required: &["option"],
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let (target, rest) = p.locator(v, &Self::SPEC.key_names())?;
        let option = p.needed(
            &rest,
            "option",
            key,
            "select",
            "field: Status, option: Active",
        )?;
        Some(Select {
            target,
            option: p.template(option, "`option`")?,
        })
    }

    fn title(&self) -> String {
        format!(
            "select \"{}\" in {}",
            self.option.source(),
            self.target.describe()
        )
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }

    fn templates(&self) -> Vec<&Template> {
        vec![&self.option]
    }
}
