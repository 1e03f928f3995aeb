//! `expect`: assert one thing the page shows.

use super::*;

#[derive(Debug, Clone)]
pub struct Expect {
    /// `None` for a check of the page itself (its URL or title).
    pub target: Option<Locator>,
    pub check: Expectation,
}

#[derive(Debug, Clone)]
pub enum Expectation {
    Visible,
    Hidden,
    Value(Template),
    Contains(Template),
    NotEmpty,
    Checked(bool),
    UrlContains(Template),
    Title(Template),
    /// The field shows an error that contains this text.
    Error(Template),
    /// The field shows no error (true) or shows one (false).
    Valid(bool),
}

/// The checks an `expect` may make; at most one a step.
const CHECKS: &[&str] = &[
    "visible",
    "hidden",
    "value",
    "contains",
    "not_empty",
    "checked",
    "url_contains",
    "title",
    "error",
    "valid",
];

impl Verb for Expect {
    const SPEC: ActionSpec = ActionSpec {
        name: "expect",
        summary: "Assert what the page shows; a failure is an expectation failure.",
        keys: &[
            Key::flag("visible", "The element is visible (true) or not (false)."),
            Key::flag("hidden", "The element is not visible."),
            Key::text(
                "value",
                "The element shows exactly this value (a field's value, or an element's text).",
            ),
            Key::text("contains", "The element's value or text contains this."),
            Key::flag("not_empty", "The element's value or text is not empty."),
            Key::flag("checked", "The checkbox is checked (true) or not (false)."),
            Key::text("url_contains", "The page's URL contains this."),
            Key::text("title", "The page's title contains this."),
            Key::text(
                "error",
                "The field shows an error containing this text (under the field, or as its accessible description while it is marked invalid).",
            ),
            Key::flag(
                "valid",
                "The field shows no error and is not marked invalid (true), or shows one (false).",
            ),
        ],
        locator: LocatorUse::Optional,
        at_most_one: CHECKS,
        string_form: true,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let page_only = v.as_map().is_some_and(|m| {
            m.iter()
                .all(|(k, _)| CHECKS.contains(&k.as_str().unwrap_or("")))
        });
        let (target, rest) = if page_only {
            (None, Parser::entries(v))
        } else {
            let (l, r) = p.locator(v, CHECKS)?;
            (Some(l), r)
        };
        if rest.len() > 1 {
            p.err_help(
                rest[1].0.span,
                "an `expect` checks one thing",
                "split it into two `expect` steps",
            );
        }
        let check = match rest.first() {
            None => Expectation::Visible,
            Some((k, val)) => check(p, k.as_str().unwrap_or(""), val)?,
        };
        let page_level = matches!(check, Expectation::UrlContains(_) | Expectation::Title(_));
        if target.is_none() && !page_level {
            p.err_help(
                key,
                "this `expect` names no element",
                "add a locator such as `text: Saved`, or check `url_contains` / `title`",
            );
            return None;
        }
        Some(Expect { target, check })
    }

    fn title(&self) -> String {
        match &self.target {
            Some(t) => format!("expect {}", t.describe()),
            None => "expect page".into(),
        }
    }

    fn target(&self) -> Option<&Locator> {
        self.target.as_ref()
    }

    fn templates(&self) -> Vec<&Template> {
        match &self.check {
            Expectation::Value(t)
            | Expectation::Contains(t)
            | Expectation::UrlContains(t)
            | Expectation::Title(t)
            | Expectation::Error(t) => vec![t],
            _ => Vec::new(),
        }
    }
}

/// The check `name: val` says to make.
fn check(p: &mut Parser, name: &str, val: &Node) -> Option<Expectation> {
    Some(match name {
        "visible" if p.bool(val, "`visible`")? => Expectation::Visible,
        "visible" => Expectation::Hidden,
        "hidden" if p.bool(val, "`hidden`")? => Expectation::Hidden,
        "hidden" => Expectation::Visible,
        "value" => Expectation::Value(p.template(val, "`value`")?),
        "contains" => Expectation::Contains(p.template(val, "`contains`")?),
        "not_empty" => {
            if !p.bool(val, "`not_empty`")? {
                p.err_help(
                    val.span,
                    "`not_empty: false` checks nothing",
                    "use `value: \"\"` to expect an empty field",
                );
            }
            Expectation::NotEmpty
        }
        "checked" => Expectation::Checked(p.bool(val, "`checked`")?),
        "url_contains" => Expectation::UrlContains(p.template(val, "`url_contains`")?),
        "title" => Expectation::Title(p.template(val, "`title`")?),
        "error" => Expectation::Error(p.template(val, "`error`")?),
        "valid" => Expectation::Valid(p.bool(val, "`valid`")?),
        _ => return None,
    })
}
