//! `reorder`: put a dual listbox's chosen options in a given order.

use super::*;

#[derive(Debug, Clone)]
pub struct Reorder {
    pub target: Locator,
    pub to: Vec<Template>,
}

impl Verb for Reorder {
    const SPEC: ActionSpec = ActionSpec {
        name: "reorder",
        summary: "Put the chosen options of a dual listbox in this order, with the listbox's own Up button (each option in turn moved up to its place).",
        keys: &[Key::list(
            "to",
            "The chosen options in the order wanted; any not named stay after them, in their order.",
        )],
        locator: LocatorUse::Required,
        required: &["to"],
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let (target, rest) = p.locator(v, &Self::SPEC.key_names())?;
        let to = p.needed(
            &rest,
            "to",
            key,
            "reorder",
            "field: Selected Fields, to: [Name, Owner]",
        )?;
        let span = to.span;
        let to = p.template_list(to, "to");
        if to.is_empty() {
            p.err_help(
                span,
                "`reorder` names no option",
                "list the chosen options in the order wanted: `to: [Name, Owner]`",
            );
            return None;
        }
        Some(Reorder { target, to })
    }

    fn title(&self) -> String {
        let names: Vec<String> = self.to.iter().map(|t| t.source()).collect();
        format!("reorder {} to {}", self.target.describe(), names.join(", "))
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }

    fn templates(&self) -> Vec<&Template> {
        self.to.iter().collect()
    }
}
