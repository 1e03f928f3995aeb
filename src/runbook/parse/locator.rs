//! Locators: a string or a mapping of one kind and its scopes; what an action's mapping
//! holds besides is handed back.

use super::*;

impl<'a> Parser<'a> {
    /// Reads a locator from a scalar or from the locator keys of a mapping; the mapping's
    /// other keys must be among `extra` and are handed back for the action to read.
    pub(in crate::runbook) fn locator<'n>(
        &mut self,
        v: &'n Node,
        extra: &[&str],
    ) -> Option<(Locator, Vec<(&'n Node, &'n Node)>)> {
        match &v.kind {
            NodeKind::Scalar { .. } => {
                let value = self.template(v, "a locator")?;
                Some((
                    Locator {
                        kind: LocatorKind::Auto,
                        value,
                        exact: false,
                        nth: None,
                        in_row: None,
                        in_section: None,
                        in_dialog: None,
                        span: v.span,
                    },
                    Vec::new(),
                ))
            }
            NodeKind::Map(entries) => {
                let mut kind: Option<(LocatorKind, Template, Span)> = None;
                let mut loc = Locator {
                    kind: LocatorKind::Auto,
                    value: Template::default(),
                    exact: false,
                    nth: None,
                    in_row: None,
                    in_section: None,
                    in_dialog: None,
                    span: v.span,
                };
                let mut rest = Vec::new();
                let errors_before = self.errors.len();
                let mut valid: Vec<&str> = LocatorKind::NAMED
                    .iter()
                    .map(|(n, _)| *n)
                    .chain(SCOPES.iter().copied())
                    .chain(extra.iter().copied())
                    .collect();
                valid.dedup();
                for (k, val) in entries {
                    let key = k.as_str().unwrap_or("");
                    if let Some((_, lk)) = LocatorKind::NAMED.iter().find(|(n, _)| *n == key) {
                        if let Some((prev, _, _)) = &kind {
                            self.err_help(
                                k.span,
                                format!(
                                    "a locator has one kind, this one has `{}` and `{key}`",
                                    prev.name()
                                ),
                                "use a scope such as `in_row` or `in_section` to narrow it",
                            );
                            continue;
                        }
                        if let Some(t) = self.template(val, "a locator value") {
                            if t.is_empty_literal() {
                                self.err_help(
                                    val.span,
                                    format!("`{key}` is empty"),
                                    "name the thing as it reads on the page",
                                );
                            }
                            kind = Some((*lk, t, k.span));
                        }
                        continue;
                    }
                    match key {
                        "in_row" => loc.in_row = self.template(val, "`in_row`"),
                        "in_section" => loc.in_section = self.template(val, "`in_section`"),
                        "in_dialog" => {
                            loc.in_dialog = match val.as_bool() {
                                Some(true) => Some(Template::default()),
                                _ => self.template(val, "`in_dialog`"),
                            }
                        }
                        "nth" => {
                            loc.nth = self.count(val, "`nth`");
                            if loc.nth == Some(0) {
                                self.err_help(
                                    val.span,
                                    "`nth` counts from 1",
                                    "write `nth: 1` for the first match",
                                );
                            }
                        }
                        "exact" => loc.exact = self.bool(val, "`exact`").unwrap_or(false),
                        _ if extra.contains(&key) => rest.push((k, val)),
                        _ => self.unknown_key(k, "locator key", &valid),
                    }
                }
                match kind {
                    Some((k, value, span)) => {
                        loc.kind = k;
                        loc.value = value;
                        loc.span = span;
                        Some((loc, rest))
                    }
                    // A misspelt kind was reported already; "names nothing" would repeat it.
                    None if self.errors.len() > errors_before => None,
                    None => {
                        self.err_help(
                            v.span,
                            "this locator names nothing",
                            "add one of: button, link, field, text, row, tab, menuitem, css, xpath",
                        );
                        None
                    }
                }
            }
            _ => {
                self.err_help(
                    v.span,
                    format!(
                        "a locator must be a string or a mapping, found {}",
                        v.type_name()
                    ),
                    "write `Save` or `{ button: Save }`",
                );
                None
            }
        }
    }
}
