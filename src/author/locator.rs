//! The reverse of locating: for an element on the page, the locator a person would write
//! and the engine finds it by again (`engine/author.js`), as a [`Val`] for a [`Draft`]
//! step. The recorder and `import --resolve` use it.
//!
//! [`Draft`]: super::Draft

use fantoccini::elements::Element;

use super::Val;
use crate::driver::Session;
use crate::locate::{self, AuthorAnswer, AuthoredLocator, Control, ElementRef, Request};

/// What to write a locator for.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// An element reference (WebDriver's, or one an engine answer gave).
    Element(&'a Element),
    /// The first shown element a CSS selector selects (through open shadow roots).
    Css(&'a str),
}

/// A locator written for an element.
#[derive(Debug, Clone, PartialEq)]
pub struct Authored {
    /// `{ button: Save }`, `{ field: Country, in_section: Billing Address }`,
    /// `{ css: "..." }`: the step's locator as a draft writes it.
    pub locator: Val,
    /// The engine finds this element by it, and only this one. False for a locator that
    /// picks it among several (`nth`).
    pub unique: bool,
    /// Why the locator is a CSS selector or picks among several: what a person should
    /// check in the runbook.
    pub note: Option<String>,
    /// The element's role, as the engine computes it (`button`, `textbox`...).
    pub role: String,
    /// The element's tag name.
    pub tag: String,
}

impl Authored {
    /// The locator's kind (`field`, `button`, `css`...).
    pub fn kind(&self) -> &str {
        match &self.locator {
            Val::Map(m) => m.first().map_or("", |(k, _)| k.as_str()),
            _ => "",
        }
    }

    /// The name the locator gives (the value of its kind).
    pub fn name(&self) -> &str {
        match self.locator.get(self.kind()) {
            Some(Val::Lit(s)) => s,
            _ => "",
        }
    }

    /// Whether the locator is a kind and a name only, without scopes.
    pub fn is_bare(&self) -> bool {
        matches!(&self.locator, Val::Map(m) if m.len() == 1)
    }
}

/// Why no locator could be written.
#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    #[error(transparent)]
    Engine(#[from] locate::EngineError),
    /// The engine found nothing a runbook can name there; says why.
    #[error("{0}")]
    Nothing(String),
}

/// The locator for `target` in the document of the BiDi `context` (the session's current
/// document when None). `control` is what the step does with a field (a fill works a text
/// box, a select a picklist): the locator is checked with the search that step makes.
pub async fn locator_for(
    session: &Session,
    context: Option<&str>,
    target: Target<'_>,
    control: Option<Control>,
) -> Result<Authored, AuthorError> {
    let (el, css) = match target {
        Target::Element(e) => (Some(ElementRef::of(e)), None),
        Target::Css(s) => (None, Some(s.to_string())),
    };
    let req = Request::Author {
        el,
        css,
        control: control.and_then(control_name),
    };
    let a: AuthorAnswer = match context {
        Some(c) => locate::run_in(session, c, &req, true).await?,
        None => locate::run(session, &req).await?,
    };
    authored(a)
}

/// An engine answer as the locator a draft writes.
pub fn authored(a: AuthorAnswer) -> Result<Authored, AuthorError> {
    let Some(l) = a.locator else {
        return Err(AuthorError::Nothing(
            a.none
                .unwrap_or_else(|| "the engine wrote no locator".into()),
        ));
    };
    Ok(Authored {
        locator: locator_val(&l),
        unique: a.unique,
        note: a.note,
        role: a.role,
        tag: a.tag,
    })
}

/// The engine's locator as a runbook's: `{ kind: value }`, then its scopes.
pub fn locator_val(l: &AuthoredLocator) -> Val {
    let mut m = vec![(l.kind.clone(), Val::lit(l.value.clone()))];
    if let Some(r) = &l.in_row {
        m.push(("in_row".into(), Val::lit(r.clone())));
    }
    if let Some(s) = &l.in_section {
        m.push(("in_section".into(), Val::lit(s.clone())));
    }
    match &l.in_dialog {
        Some(serde_json::Value::Bool(true)) => m.push(("in_dialog".into(), Val::Bool(true))),
        Some(serde_json::Value::String(d)) => m.push(("in_dialog".into(), Val::lit(d.clone()))),
        _ => {}
    }
    if let Some(n) = l.nth {
        m.push(("nth".into(), Val::Int(i64::from(n))));
    }
    Val::Map(m)
}

fn control_name(c: Control) -> Option<&'static str> {
    match c {
        Control::Text => Some("text"),
        Control::Choice => Some("choice"),
        Control::Toggle => Some("toggle"),
        Control::Branch | Control::Edit => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_answer_becomes_the_locator_a_runbook_writes() {
        let a: AuthorAnswer = serde_json::from_value(json!({
            "locator": { "kind": "field", "value": "Country", "in_section": "Billing Address", "in_dialog": true },
            "unique": true, "role": "combobox", "tag": "button"
        }))
        .unwrap();
        let got = authored(a).unwrap();
        assert_eq!(
            got.locator,
            Val::Map(vec![
                ("field".into(), Val::lit("Country")),
                ("in_section".into(), Val::lit("Billing Address")),
                ("in_dialog".into(), Val::Bool(true)),
            ])
        );
        assert_eq!(
            (got.kind(), got.name(), got.is_bare()),
            ("field", "Country", false)
        );
        let none: AuthorAnswer =
            serde_json::from_value(json!({ "none": "nothing a runbook names is at div" })).unwrap();
        let e = authored(none).unwrap_err();
        assert!(e.to_string().contains("nothing a runbook names"), "{e}");
    }
}
