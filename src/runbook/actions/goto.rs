//! `goto`: open a URL.

use super::*;

#[derive(Debug, Clone)]
pub struct Goto {
    pub url: Template,
}

impl Verb for Goto {
    const SPEC: ActionSpec = ActionSpec {
        name: "goto",
        summary: "Open a URL (absolute, or a path on the current site).",
        keys: &[Key::text(
            "url",
            "The URL: absolute, or a path on the current site.",
        )],
        locator: LocatorUse::None,
        required: &["url"],
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let url = match v.as_map() {
            Some(_) => p.required(v, "url", key, "goto")?,
            None => v,
        };
        Some(Goto {
            url: p.template(url, "`goto`")?,
        })
    }

    fn title(&self) -> String {
        format!("go to {}", self.url.source())
    }

    fn templates(&self) -> Vec<&Template> {
        vec![&self.url]
    }
}
