//! What every action's reader shares: required and allowed keys, lists, key names. Each
//! action reads its own value in its file in `runbook/actions/`.

use super::*;

/// The keys of an action's mapping that are not the locator's, in order.
pub type Rest<'n> = Vec<(&'n Node, &'n Node)>;

impl<'a> Parser<'a> {
    pub(super) fn action(&mut self, name: &str, v: &Node, key_span: Span) -> Option<Action> {
        super::super::actions::parse(self, name, v, key_span)
    }

    /// The value of `key` in `rest`, if there.
    pub(in crate::runbook) fn opt<'n>(rest: &Rest<'n>, key: &str) -> Option<&'n Node> {
        rest.iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| *v)
    }

    /// A mapping's entries (none for anything else).
    pub(in crate::runbook) fn entries(v: &Node) -> Rest<'_> {
        v.as_map()
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k, v))
            .collect()
    }

    /// The value of `key` in `rest`; if missing, an error at `at` with an example of
    /// `action` written whole.
    pub(in crate::runbook) fn needed<'n>(
        &mut self,
        rest: &Rest<'n>,
        key: &str,
        at: Span,
        action: &str,
        example: &str,
    ) -> Option<&'n Node> {
        let found = Self::opt(rest, key);
        if found.is_none() {
            self.err_help(
                at,
                format!("`{action}` needs `{key}`"),
                format!("write `{action}: {{ {example} }}`"),
            );
        }
        found
    }

    pub(in crate::runbook) fn template_list(&mut self, v: &Node, what: &str) -> Vec<Template> {
        match &v.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|i| self.template(i, what))
                .collect(),
            NodeKind::Scalar { .. } => self.template(v, what).into_iter().collect(),
            _ => {
                self.err(
                    v.span,
                    format!(
                        "`{what}` must be a list of option names, found {}",
                        v.type_name()
                    ),
                );
                Vec::new()
            }
        }
    }

    pub(in crate::runbook) fn key_name(&mut self, v: &Node, key: &str) -> Option<String> {
        let parts: Vec<&str> = key.split('+').collect();
        for p in &parts {
            if crate::runbook::keys::code(p).is_none() {
                if p.is_empty() {
                    self.err_help(
                        v.span,
                        format!("`{key}` names no key between two `+`"),
                        "`+` joins the keys of a chord (Control+a); the + key itself is `Plus`",
                    );
                    return None;
                }
                let help = nearest(p, crate::runbook::keys::NAMES.iter().map(|(n, _)| *n)).map(|n| format!("did you mean `{n}`?")).unwrap_or_else(|| "keys: Tab, Enter, Escape, Space, Backspace, ArrowDown, a single character, or Control+a".into());
                self.err_help(v.span, format!("unknown key `{p}`"), help);
                return None;
            }
        }
        Some(key.to_string())
    }

    pub(in crate::runbook) fn required<'n>(
        &mut self,
        v: &'n Node,
        key: &str,
        span: Span,
        action: &str,
    ) -> Option<&'n Node> {
        let found = v.get(key);
        if found.is_none() {
            self.err_help(
                span,
                format!("`{action}` needs `{key}`"),
                format!("write `{action}: {{ {key}: ... }}`"),
            );
        }
        found
    }

    pub(in crate::runbook) fn only_keys(&mut self, v: &Node, allowed: &[&str]) {
        if let Some(m) = v.as_map() {
            for (k, _) in m {
                if !allowed.contains(&k.as_str().unwrap_or("")) {
                    self.unknown_key(k, "key", allowed);
                }
            }
        } else {
            self.err(
                v.span,
                format!(
                    "expected a mapping with {}, found {}",
                    allowed.join(", "),
                    v.type_name()
                ),
            );
        }
    }
}
