//! `expand` and `collapse`: open or close a branch of a tree or tree grid by its name.

use super::*;

/// The branch an `expand` or `collapse` names: a bare name is a tree item or row.
fn branch(p: &mut Parser, v: &Node) -> Option<Locator> {
    let (mut target, _) = p.locator(v, &[])?;
    if target.kind == LocatorKind::Auto {
        target.kind = LocatorKind::Row;
    }
    Some(target)
}

#[derive(Debug, Clone)]
pub struct Expand {
    pub target: Locator,
}

impl Verb for Expand {
    const SPEC: ActionSpec = ActionSpec {
        name: "expand",
        summary: "Open a branch of a tree or tree grid, named by its label or row text, and wait for its children (no change if it is open).",
        locator: LocatorUse::Required,
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        Some(Expand {
            target: branch(p, v)?,
        })
    }

    fn title(&self) -> String {
        format!("expand {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}

#[derive(Debug, Clone)]
pub struct Collapse {
    pub target: Locator,
}

impl Verb for Collapse {
    const SPEC: ActionSpec = ActionSpec {
        name: "collapse",
        summary: "Close a branch of a tree or tree grid, named by its label or row text (no change if it is closed).",
        locator: LocatorUse::Required,
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, _key: Span) -> Option<Self> {
        Some(Collapse {
            target: branch(p, v)?,
        })
    }

    fn title(&self) -> String {
        format!("collapse {}", self.target.describe())
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }
}
