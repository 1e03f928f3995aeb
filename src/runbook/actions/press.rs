//! `press`: press a key or chord, optionally in a field.

use super::*;

#[derive(Debug, Clone)]
pub struct Press {
    /// A key name or chord as the runbook wrote it (`Tab`, `Control+a`), checked by the
    /// parser against `runbook::keys`.
    pub key: String,
    pub target: Option<Locator>,
}

impl Verb for Press {
    const SPEC: ActionSpec = ActionSpec {
        name: "press",
        summary: "Press a key (Tab, Enter, Escape...), optionally in a field.",
        keys: &[Key::text(
            "key",
            "The key or chord to press: Tab, Enter, Escape, Control+a...",
        )],
        locator: LocatorUse::Optional,
        required: &["key"],
        string_form: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        if let Some(name) = v.as_str() {
            return Some(Press {
                key: p.key_name(v, name)?,
                target: None,
            });
        }
        let only_key = v
            .as_map()
            .is_some_and(|m| m.iter().all(|(k, _)| k.as_str() == Some("key")));
        let (target, rest) = if only_key {
            (None, Parser::entries(v))
        } else {
            let (l, r) = p.locator(v, &Self::SPEC.key_names())?;
            (Some(l), r)
        };
        let Some(named) = Parser::opt(&rest, "key") else {
            p.err_help(
                key,
                "`press` needs a key",
                "write `press: Tab` or `press: { key: Enter, field: Search }`",
            );
            return None;
        };
        let text = p.string(named, "`key`")?;
        Some(Press {
            key: p.key_name(named, &text)?,
            target,
        })
    }

    fn title(&self) -> String {
        match &self.target {
            Some(t) => format!("press {} in {}", self.key, t.describe()),
            None => format!("press {}", self.key),
        }
    }

    fn target(&self) -> Option<&Locator> {
        self.target.as_ref()
    }
}
