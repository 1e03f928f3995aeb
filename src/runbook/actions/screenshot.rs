//! `screenshot`: take an extra, named picture.

use super::*;

#[derive(Debug, Clone)]
pub struct Screenshot {
    pub name: Template,
}

impl Verb for Screenshot {
    const SPEC: ActionSpec = ActionSpec {
        name: "screenshot",
        summary: "Take an extra, named screenshot.",
        keys: &[Key::text(
            "name",
            "The picture's name, in its file name and the report.",
        )],
        locator: LocatorUse::None,
        required: &["name"],
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let name = match v.as_map() {
            Some(_) => p.required(v, "name", key, "screenshot")?,
            None => v,
        };
        Some(Screenshot {
            name: p.template(name, "`screenshot`")?,
        })
    }

    fn title(&self) -> String {
        format!("screenshot {}", self.name.source())
    }

    fn templates(&self) -> Vec<&Template> {
        vec![&self.name]
    }
}
