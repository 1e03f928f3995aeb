//! Each action's value: its keys, their types, what is required, and a `capture`'s
//! variables.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn action(&mut self, name: &str, v: &Node, key_span: Span) -> Option<Action> {
        let spec = ACTIONS.iter().find(|a| a.name == name)?;
        match name {
            "goto" => {
                let url = match v.as_map() {
                    Some(_) => self.required(v, "url", key_span, "goto")?,
                    None => v,
                };
                Some(Action::Goto {
                    url: self.template(url, "`goto`")?,
                })
            }
            "setup" => {
                if v.as_map().is_some() {
                    self.only_keys(v, spec.options);
                    let page = self.required(v, "page", key_span, "setup")?;
                    let section = match v.get("section") {
                        Some(s) => Some(self.template(s, "`section`")?),
                        None => None,
                    };
                    Some(Action::Setup {
                        page: self.template(page, "`page`")?,
                        section,
                    })
                } else {
                    Some(Action::Setup {
                        page: self.template(v, "`setup`")?,
                        section: None,
                    })
                }
            }
            "screenshot" => {
                let n = match v.as_map() {
                    Some(_) => self.required(v, "name", key_span, "screenshot")?,
                    None => v,
                };
                Some(Action::Screenshot {
                    name: self.template(n, "`screenshot`")?,
                })
            }
            "window" => {
                let text = self.string(v, "`window`")?;
                let op = match text.as_str() {
                    "new" => WindowOp::New,
                    "close" => WindowOp::Close,
                    "main" => WindowOp::Main,
                    _ => WindowOp::Titled(self.template(v, "`window`")?),
                };
                Some(Action::Window { op })
            }
            "login" => {
                self.only_keys(v, spec.options);
                let u = self.required(v, "username", key_span, "login")?;
                let p = self.required(v, "password", key_span, "login")?;
                Some(Action::Login {
                    username: self.template(u, "`username`")?,
                    password: self.template(p, "`password`")?,
                })
            }
            "capture" => self.capture(v, key_span),
            "press" => {
                if let Some(key) = v.as_str() {
                    return Some(Action::Press {
                        key: self.key_name(v, key)?,
                        target: None,
                    });
                }
                let (target, rest) = match v.get("key") {
                    Some(_)
                        if v.as_map()
                            .is_some_and(|m| m.iter().all(|(k, _)| k.as_str() == Some("key"))) =>
                    {
                        (
                            None,
                            v.as_map()
                                .unwrap_or_default()
                                .iter()
                                .map(|(k, v)| (k, v))
                                .collect::<Vec<_>>(),
                        )
                    }
                    _ => {
                        let (l, r) = self.locator(v, spec.options)?;
                        (Some(l), r)
                    }
                };
                let Some(kn) = opt(&rest, "key") else {
                    self.err_help(
                        key_span,
                        "`press` needs a key",
                        "write `press: Tab` or `press: { key: Enter, field: Search }`",
                    );
                    return None;
                };
                let text = self.string(kn, "`key`")?;
                Some(Action::Press {
                    key: self.key_name(kn, &text)?,
                    target,
                })
            }
            "expect" => {
                let (target, rest) = if v.as_map().is_some_and(|m| {
                    m.iter()
                        .all(|(k, _)| spec.options.contains(&k.as_str().unwrap_or("")))
                }) {
                    (
                        None,
                        v.as_map()
                            .unwrap_or_default()
                            .iter()
                            .map(|(k, v)| (k, v))
                            .collect::<Vec<_>>(),
                    )
                } else {
                    let (l, r) = self.locator(v, spec.options)?;
                    (Some(l), r)
                };
                if rest.len() > 1 {
                    self.err_help(
                        rest[1].0.span,
                        "an `expect` checks one thing",
                        "split it into two `expect` steps",
                    );
                }
                let check = match rest.first() {
                    None => Expectation::Visible,
                    Some((k, val)) => match k.as_str().unwrap_or("") {
                        "visible" => {
                            if self.bool(val, "`visible`")? {
                                Expectation::Visible
                            } else {
                                Expectation::Hidden
                            }
                        }
                        "hidden" => {
                            if self.bool(val, "`hidden`")? {
                                Expectation::Hidden
                            } else {
                                Expectation::Visible
                            }
                        }
                        "value" => Expectation::Value(self.template(val, "`value`")?),
                        "contains" => Expectation::Contains(self.template(val, "`contains`")?),
                        "not_empty" => {
                            if !self.bool(val, "`not_empty`")? {
                                self.err_help(
                                    val.span,
                                    "`not_empty: false` checks nothing",
                                    "use `value: \"\"` to expect an empty field",
                                );
                            }
                            Expectation::NotEmpty
                        }
                        "checked" => Expectation::Checked(self.bool(val, "`checked`")?),
                        "url_contains" => {
                            Expectation::UrlContains(self.template(val, "`url_contains`")?)
                        }
                        "title" => Expectation::Title(self.template(val, "`title`")?),
                        _ => return None,
                    },
                };
                let page_level =
                    matches!(check, Expectation::UrlContains(_) | Expectation::Title(_));
                if target.is_none() && !page_level {
                    self.err_help(
                        key_span,
                        "this `expect` names no element",
                        "add a locator such as `text: Saved`, or check `url_contains` / `title`",
                    );
                    return None;
                }
                Some(Action::Expect { target, check })
            }
            _ => {
                let (target, rest) = self.locator(v, spec.options)?;
                let need = |this: &mut Self, key: &str, example: &str| -> Option<&Node> {
                    let found = opt(&rest, key);
                    if found.is_none() {
                        this.err_help(
                            key_span,
                            format!("`{name}` needs `{key}`"),
                            format!("write `{name}: {{ {example} }}`"),
                        );
                    }
                    found
                };
                let action = match name {
                    "click" => Action::Click { target },
                    "clear" => Action::Clear { target },
                    "check" => Action::Check { target },
                    "uncheck" => Action::Uncheck { target },
                    "hover" => Action::Hover { target },
                    "fill" => {
                        let w = need(self, "with", "field: Name, with: \"value\"")?;
                        Action::Fill {
                            target,
                            value: self.template(w, "`with`")?,
                        }
                    }
                    "select" => {
                        let o = need(self, "option", "field: Status, option: Active")?;
                        Action::Select {
                            target,
                            option: self.template(o, "`option`")?,
                        }
                    }
                    "choose" => {
                        let add = opt(&rest, "add")
                            .map(|n| self.template_list(n, "add"))
                            .unwrap_or_default();
                        let remove = opt(&rest, "remove")
                            .map(|n| self.template_list(n, "remove"))
                            .unwrap_or_default();
                        if add.is_empty() && remove.is_empty() {
                            self.err_help(
                                key_span,
                                "`choose` moves nothing",
                                "add `add: [..]` or `remove: [..]`",
                            );
                            return None;
                        }
                        Action::Choose {
                            target,
                            add,
                            remove,
                        }
                    }
                    "wait_for" => {
                        let gone = match opt(&rest, "gone") {
                            Some(g) => self.bool(g, "`gone`")?,
                            None => false,
                        };
                        Action::WaitFor { target, gone }
                    }
                    _ => return None,
                };
                Some(action)
            }
        }
    }

    pub(super) fn template_list(&mut self, v: &Node, what: &str) -> Vec<Template> {
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

    pub(super) fn key_name(&mut self, v: &Node, key: &str) -> Option<String> {
        let parts: Vec<&str> = key.split('+').collect();
        for p in &parts {
            if crate::runbook::keys::code(p).is_none() {
                let help = nearest(p, crate::runbook::keys::NAMES.iter().map(|(n, _)| *n)).map(|n| format!("did you mean `{n}`?")).unwrap_or_else(|| "keys: Tab, Enter, Escape, Space, Backspace, ArrowDown, a single character, or Control+a".into());
                self.err_help(v.span, format!("unknown key `{p}`"), help);
                return None;
            }
        }
        Some(key.to_string())
    }

    pub(super) fn required<'n>(
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

    pub(super) fn only_keys(&mut self, v: &Node, allowed: &[&str]) {
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

    pub(super) fn capture(&mut self, v: &Node, key_span: Span) -> Option<Action> {
        let Some(map) = v.as_map() else {
            self.err_help(
                v.span,
                format!("`capture` must be a mapping, found {}", v.type_name()),
                "write `capture: { consumer_key: { field: Consumer Key } }`",
            );
            return None;
        };
        let mut secret = false;
        let mut after = None;
        let mut items = Vec::new();
        for (k, val) in map {
            let key = k.as_str().unwrap_or("");
            match key {
                "secret" => secret = self.bool(val, "`secret`").unwrap_or(false),
                "after" => after = self.string(val, "`after`"),
                _ => {
                    if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || key.is_empty()
                    {
                        self.err_help(
                            k.span,
                            format!("`{key}` is not a valid variable name"),
                            "use letters, digits and `_`",
                        );
                        continue;
                    }
                    if let Some((target, _)) = self.locator(val, &[]) {
                        items.push(CaptureItem {
                            var: key.to_string(),
                            target,
                            after: None,
                        });
                    }
                }
            }
        }
        if items.is_empty() {
            self.err_help(
                key_span,
                "`capture` names no variable",
                "write `capture: { consumer_key: { field: Consumer Key } }`",
            );
            return None;
        }
        for i in &mut items {
            i.after = after.clone();
        }
        Some(Action::Capture { items, secret })
    }
}

fn opt<'n>(rest: &[(&'n Node, &'n Node)], key: &str) -> Option<&'n Node> {
    rest.iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| *v)
}
