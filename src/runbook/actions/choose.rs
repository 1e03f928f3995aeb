//! `choose`: move options between the lists of a dual listbox.

use super::*;

#[derive(Debug, Clone)]
pub struct Choose {
    pub target: Locator,
    pub add: Vec<Template>,
    pub remove: Vec<Template>,
}

impl Verb for Choose {
    const SPEC: ActionSpec = ActionSpec {
        name: "choose",
        summary: "Move options between the lists of a dual listbox.",
        keys: &[
            Key::list("add", "Options to move to the chosen list."),
            Key::list("remove", "Options to move back to the available list."),
        ],
        locator: LocatorUse::Required,
        one_of: &["add", "remove"],
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let (target, rest) = p.locator(v, &Self::SPEC.key_names())?;
        let mut list = |name: &str| {
            Parser::opt(&rest, name)
                .map(|n| p.template_list(n, name))
                .unwrap_or_default()
        };
        let (add, remove) = (list("add"), list("remove"));
        if add.is_empty() && remove.is_empty() {
            p.err_help(
                key,
                "`choose` moves nothing",
                "add `add: [..]` or `remove: [..]`",
            );
            return None;
        }
        Some(Choose {
            target,
            add,
            remove,
        })
    }

    fn title(&self) -> String {
        let names = |v: &[Template]| v.iter().map(|t| t.source()).collect::<Vec<_>>().join(", ");
        let mut s = format!("choose in {}", self.target.describe());
        if !self.add.is_empty() {
            s.push_str(&format!(": add {}", names(&self.add)));
        }
        if !self.remove.is_empty() {
            s.push_str(&format!(": remove {}", names(&self.remove)));
        }
        s
    }

    fn target(&self) -> Option<&Locator> {
        Some(&self.target)
    }

    fn templates(&self) -> Vec<&Template> {
        self.add.iter().chain(&self.remove).collect()
    }
}
