//! `skip_if` / `only_if`: a condition and the `at:` steps that go to its page.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn condition(&mut self, v: &Node) -> Option<Condition> {
        let Some(map) = v.as_map() else {
            self.err_help(
                v.span,
                format!("a condition must be a mapping, found {}", v.type_name()),
                "write `{ exists: { row: \"Name\" } }`, `{ set: var }` or `{ unset: var }`",
            );
            return None;
        };
        let mut test = None;
        let mut at = Vec::new();
        for (k, val) in map {
            let t = match k.as_str() {
                Some("exists") => self.locator(val, &[]).map(|(l, _)| Test::Exists(l)),
                Some("missing") => self.locator(val, &[]).map(|(l, _)| Test::Missing(l)),
                Some("set") => self.string(val, "`set`").map(|s| Test::Set(s, val.span)),
                Some("unset") => self
                    .string(val, "`unset`")
                    .map(|s| Test::Unset(s, val.span)),
                Some("equals") => match val.as_seq() {
                    Some([a, b]) => {
                        match (self.template(a, "a value"), self.template(b, "a value")) {
                            (Some(a), Some(b)) => Some(Test::Equals(a, b)),
                            _ => None,
                        }
                    }
                    _ => {
                        self.err_help(
                            val.span,
                            "`equals` takes a list of two values",
                            "write `equals: [\"${a}\", \"b\"]`",
                        );
                        None
                    }
                },
                Some("at") => {
                    at = self.at_steps(val);
                    continue;
                }
                _ => {
                    self.unknown_key(k, "condition", CONDITIONS);
                    continue;
                }
            };
            if test.is_some() {
                self.err_help(
                    k.span,
                    "a condition has one test",
                    "use nested groups to combine conditions",
                );
            } else {
                test = t;
            }
        }
        let Some(test) = test else {
            if !self.errors.iter().any(|e| e.span.line == v.span.line) {
                self.err_help(
                    v.span,
                    "this condition has no test",
                    "add `exists:`, `missing:`, `set:`, `unset:` or `equals:`",
                );
            }
            return None;
        };
        Some(Condition {
            test,
            at,
            span: v.span,
        })
    }

    /// `at:` is a Setup page name (Quick Find), or a list of steps.
    pub(super) fn at_steps(&mut self, v: &Node) -> Vec<Step> {
        match &v.kind {
            NodeKind::Scalar { .. } => match self.template(v, "`at`") {
                Some(page) => vec![Step {
                    name: None,
                    kind: StepKind::Action(Action::Setup(super::super::actions::Setup {
                        page,
                        section: None,
                    })),
                    skip_if: None,
                    only_if: None,
                    timeout: None,
                    retry: 0,
                    dialog: None,
                    span: v.span,
                }],
                None => Vec::new(),
            },
            NodeKind::Seq(_) => self.steps(v),
            _ => {
                self.err_help(
                    v.span,
                    format!(
                        "`at` must be a Setup page name or a list of steps, found {}",
                        v.type_name()
                    ),
                    "write `at: Named Credentials`",
                );
                Vec::new()
            }
        }
    }
}
