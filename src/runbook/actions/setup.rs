//! `setup`: find a Setup page with Quick Find and open it.

use super::*;

/// Quick Find in the Setup tree, then the matching entry.
#[derive(Debug, Clone)]
pub struct Setup {
    pub page: Template,
    pub section: Option<Template>,
}

impl Verb for Setup {
    const SPEC: ActionSpec = ActionSpec {
        name: "setup",
        summary: "Find a Setup page with Quick Find and open it.",
        keys: &[
            Key::text("page", "The Setup page's name, as the Setup tree shows it."),
            Key::text(
                "section",
                "The Setup tree section the page is in, when the name alone is ambiguous.",
            ),
        ],
        locator: LocatorUse::None,
        required: &["page"],
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        if v.as_map().is_none() {
            return Some(Setup {
                page: p.template(v, "`setup`")?,
                section: None,
            });
        }
        p.only_keys(v, &Self::SPEC.key_names());
        let page = p.required(v, "page", key, "setup")?;
        let section = match v.get("section") {
            Some(s) => Some(p.template(s, "`section`")?),
            None => None,
        };
        Some(Setup {
            page: p.template(page, "`page`")?,
            section,
        })
    }

    fn title(&self) -> String {
        format!("setup {}", self.page.source())
    }

    fn templates(&self) -> Vec<&Template> {
        std::iter::once(&self.page).chain(&self.section).collect()
    }
}
