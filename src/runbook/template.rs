//! `${...}` templates: the one way values flow between inputs, the environment,
//! captures and the page. Parsed once at load time so `check` can reject a reference
//! to nothing before any browser starts.

use super::yaml::Span;

/// The most a rendered template, an input's default included, may hold: no setting of a
/// Setup page is near it, while defaults that join each other double with each step
/// (`${a}${a}` forty times is a terabyte).
pub const MAX_RENDERED: usize = 1024 * 1024;

/// Where a `${...}` reference looks its value up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarRef {
    /// `${env.NAME}`: the process environment.
    Env(String),
    /// `${name}`: an input or a capture; which one is decided by validation.
    Name(String),
}

impl VarRef {
    pub fn display(&self) -> String {
        match self {
            VarRef::Env(n) => format!("env.{n}"),
            VarRef::Name(n) => n.clone(),
        }
    }
}

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// A variable with no value (yet).
    Unset(VarRef),
    /// The text would pass [`MAX_RENDERED`]; rendering stopped there. `span` is the
    /// template's place in its runbook.
    TooLong { span: Span },
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Unset(v) => write!(f, "`${{{}}}` has no value", v.display()),
            RenderError::TooLong { span } => write!(
                f,
                "the value written at line {}, column {} renders to more than {} MiB",
                span.line,
                span.col,
                MAX_RENDERED / 1024 / 1024
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Lit(String),
    Var { var: VarRef, span: Span },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pub parts: Vec<Part>,
    /// Where it starts in its runbook (the default for one made in code).
    pub span: Span,
}

impl Template {
    pub fn literal(s: impl Into<String>) -> Self {
        Template {
            parts: vec![Part::Lit(s.into())],
            span: Span::default(),
        }
    }

    /// Parses `text`, whose first character sits at `span` (after any opening quote).
    /// `$${` is a literal `${`.
    pub fn parse(text: &str, span: Span) -> Result<Template, (Span, String)> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        let mut col = 0usize;
        while let Some(i) = rest.find('$') {
            lit.push_str(&rest[..i]);
            col += rest[..i].chars().count();
            let after = &rest[i..];
            if let Some(tail) = after.strip_prefix("$${") {
                lit.push_str("${");
                rest = tail;
                col += 3;
            } else if let Some(body) = after.strip_prefix("${") {
                let Some(end) = body.find('}') else {
                    return Err((
                        span.shifted(col),
                        "`${` is never closed: add `}`, or write `$${` for a literal".into(),
                    ));
                };
                let name = body[..end].trim();
                let at = span.shifted(col);
                if name.is_empty() {
                    return Err((
                        at,
                        "empty `${}`: name an input, a capture or `env.NAME`".into(),
                    ));
                }
                let var = if let Some(env) = name.strip_prefix("env.") {
                    VarRef::Env(env.to_string())
                } else {
                    VarRef::Name(name.to_string())
                };
                let valid = |s: &str| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                };
                let bare = match &var {
                    VarRef::Env(n) | VarRef::Name(n) => n,
                };
                if !valid(bare) {
                    return Err((
                        at,
                        format!("`${{{name}}}` is not a valid name: use letters, digits and `_`"),
                    ));
                }
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                parts.push(Part::Var { var, span: at });
                col += 2 + body[..end].chars().count() + 1;
                rest = &body[end + 1..];
            } else {
                lit.push('$');
                rest = &after[1..];
                col += 1;
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() || parts.is_empty() {
            parts.push(Part::Lit(lit));
        }
        Ok(Template { parts, span })
    }

    pub fn vars(&self) -> impl Iterator<Item = (&VarRef, Span)> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { var, span } => Some((var, *span)),
            Part::Lit(_) => None,
        })
    }

    /// The template as written, for `plan` and reports.
    pub fn source(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.replace("${", "$${"),
                Part::Var { var, .. } => format!("${{{}}}", var.display()),
            })
            .collect()
    }

    /// Renders with `lookup`, which answers `None` for a value that is not known yet. The
    /// text is bounded by [`MAX_RENDERED`]: a rendering past it stops there.
    pub fn render(
        &self,
        lookup: &dyn Fn(&VarRef) -> Option<String>,
    ) -> Result<String, RenderError> {
        let mut out = String::new();
        for p in &self.parts {
            let piece = match p {
                Part::Lit(s) => std::borrow::Cow::Borrowed(s.as_str()),
                Part::Var { var, .. } => std::borrow::Cow::Owned(
                    lookup(var).ok_or_else(|| RenderError::Unset(var.clone()))?,
                ),
            };
            if out.len() + piece.len() > MAX_RENDERED {
                return Err(RenderError::TooLong { span: self.span });
            }
            out.push_str(&piece);
        }
        Ok(out)
    }

    /// The most this template can render to, where `bound` knows the most each variable
    /// may hold (`None`: nothing known, counted as empty); saturating.
    pub fn max_len(&self, bound: &dyn Fn(&VarRef) -> Option<usize>) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.len(),
                Part::Var { var, .. } => bound(var).unwrap_or(0),
            })
            .fold(0usize, usize::saturating_add)
    }

    pub fn is_empty_literal(&self) -> bool {
        self.parts
            .iter()
            .all(|p| matches!(p, Part::Lit(s) if s.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp() -> Span {
        Span { line: 1, col: 10 }
    }

    #[test]
    fn parses_names_env_and_escapes() {
        let t = Template::parse("https://${my_domain}/x?e=${env.HOME}&lit=$${no}", sp()).unwrap();
        let vars: Vec<_> = t.vars().map(|(v, s)| (v.clone(), s.col)).collect();
        assert_eq!(
            vars,
            vec![
                (VarRef::Name("my_domain".into()), 18),
                (VarRef::Env("HOME".into()), 35)
            ]
        );
        let out = t.render(&|v| Some(format!("<{}>", v.display()))).unwrap();
        assert_eq!(out, "https://<my_domain>/x?e=<env.HOME>&lit=${no}");
    }

    #[test]
    fn unclosed_and_bad_names_point_at_the_dollar() {
        let (at, msg) = Template::parse("ab ${x", sp()).unwrap_err();
        assert_eq!(at.col, 13);
        assert!(msg.contains("never closed"));
        let (_, msg) = Template::parse("${a b}", sp()).unwrap_err();
        assert!(msg.contains("not a valid name"));
    }

    #[test]
    fn render_reports_the_missing_variable() {
        let t = Template::parse("${a}-${b}", sp()).unwrap();
        let err = t
            .render(&|v| (v.display() == "a").then(|| "1".to_string()))
            .unwrap_err();
        assert_eq!(err, RenderError::Unset(VarRef::Name("b".into())));
    }

    #[test]
    fn a_rendering_past_its_bound_stops_there() {
        let t = Template::parse("${a}${a}", sp()).unwrap();
        let half_and_more = "x".repeat(MAX_RENDERED / 2 + 1);
        assert!(t.render(&|_| Some(half_and_more.clone())).is_err());
        let half = "x".repeat(MAX_RENDERED / 2);
        assert_eq!(
            t.render(&|_| Some(half.clone())).unwrap().len(),
            MAX_RENDERED
        );
    }

    #[test]
    fn a_lone_dollar_is_literal() {
        let t = Template::parse("cost $5", sp()).unwrap();
        assert_eq!(t.render(&|_| None).unwrap(), "cost $5");
    }
}
