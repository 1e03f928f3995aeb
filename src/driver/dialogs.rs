//! The page's dialogs (alert, confirm, prompt, "leave site?"): each is answered as the
//! running step declared, the safe way when it declared nothing, and kept as evidence for
//! the step's record. The browser leaves them open (`unhandledPromptBehavior: ignore`);
//! the BiDi reader sees each one open and answers it at once with the command built here.

use std::sync::Mutex;

use serde_json::{json, Value};

/// How the running step said to answer a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// OK; on a prompt, with this text.
    Accept(Option<String>),
    /// Cancel.
    Dismiss,
}

/// One dialog the page opened, and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Met {
    /// alert, confirm, prompt or beforeunload.
    pub kind: String,
    pub message: String,
    /// "accepted", "accepted with the step's text", or "dismissed".
    pub answer: String,
    /// Why this dialog fails its step: no step declared it, or it asked for what the
    /// step's answer cannot give (a prompt accepted without text).
    pub refused: Option<String>,
}

#[derive(Default)]
struct State {
    answer: Option<Answer>,
    met: Vec<Met>,
}

/// The dialogs of one session: the running step's answer, and what was met since the
/// step began.
#[derive(Default)]
pub struct Dialogs {
    state: Mutex<State>,
}

impl Dialogs {
    /// A step begins: its answer (None when it declared none), and nothing met yet.
    pub fn begin(&self, answer: Option<Answer>) {
        if let Ok(mut s) = self.state.lock() {
            s.answer = answer;
            s.met.clear();
        }
    }

    /// The dialogs met since the step began.
    pub fn take(&self) -> Vec<Met> {
        self.state
            .lock()
            .map(|mut s| std::mem::take(&mut s.met))
            .unwrap_or_default()
    }

    /// A dialog opened (the params of BiDi's `browsingContext.userPromptOpened`): records
    /// it and returns the params of the `browsingContext.handleUserPrompt` that answers it.
    pub fn opened(&self, params: &Value) -> Option<Value> {
        let context = params.get("context")?.as_str()?;
        let kind = params
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("alert");
        let message = params
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Ok(mut s) = self.state.lock() else {
            return None;
        };
        let (accept, text, answer, refused) = decide(kind, s.answer.as_ref());
        s.met.push(Met {
            kind: kind.to_string(),
            message: message.to_string(),
            answer: answer.to_string(),
            refused,
        });
        let mut out = json!({ "context": context, "accept": accept });
        if let Some(t) = text {
            out["userText"] = json!(t);
        }
        Some(out)
    }
}

/// How to answer a dialog of `kind` given the step's answer: (accept, text, what was
/// done, why it fails the step).
fn decide(
    kind: &str,
    declared: Option<&Answer>,
) -> (bool, Option<String>, &'static str, Option<String>) {
    match (declared, kind) {
        (Some(Answer::Dismiss), _) => (false, None, "dismissed", None),
        (Some(Answer::Accept(Some(t))), "prompt") => {
            (true, Some(t.clone()), "accepted with the step's text", None)
        }
        // A prompt is never accepted with a text nobody chose.
        (Some(Answer::Accept(None)), "prompt") => (
            false,
            None,
            "dismissed",
            Some("the page asked for text, and the step's `dialog: accept` gives none".into()),
        ),
        (Some(Answer::Accept(_)), _) => (true, None, "accepted", None),
        // Leaving a page is what the step that navigates asked for.
        (None, "beforeunload") => (true, None, "accepted", None),
        (None, "alert") => (true, None, "accepted", Some(undeclared(kind))),
        (None, _) => (false, None, "dismissed", Some(undeclared(kind))),
    }
}

fn undeclared(kind: &str) -> String {
    format!("the page opened a {kind} that the step did not declare")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(d: &Dialogs, kind: &str) -> Value {
        d.opened(&json!({ "context": "C", "type": kind, "message": "Are you sure?" }))
            .unwrap()
    }

    #[test]
    fn each_dialog_is_answered_as_declared_and_recorded() {
        let d = Dialogs::default();
        d.begin(Some(Answer::Accept(None)));
        assert_eq!(
            open(&d, "confirm"),
            json!({ "context": "C", "accept": true })
        );
        d.begin(Some(Answer::Dismiss));
        assert_eq!(
            open(&d, "confirm"),
            json!({ "context": "C", "accept": false })
        );
        d.begin(Some(Answer::Accept(Some("Acme".into()))));
        assert_eq!(
            open(&d, "prompt"),
            json!({ "context": "C", "accept": true, "userText": "Acme" })
        );
        let met = d.take();
        assert_eq!(met.len(), 1);
        assert_eq!(met[0].message, "Are you sure?");
        assert!(met[0].refused.is_none());
        assert!(d.take().is_empty());
    }

    #[test]
    fn an_undeclared_dialog_is_answered_the_safe_way_and_fails_its_step() {
        let d = Dialogs::default();
        d.begin(None);
        assert_eq!(open(&d, "confirm")["accept"], false);
        assert_eq!(open(&d, "prompt")["accept"], false);
        assert_eq!(open(&d, "alert")["accept"], true);
        assert_eq!(open(&d, "beforeunload")["accept"], true);
        let met = d.take();
        let refused: Vec<bool> = met.iter().map(|m| m.refused.is_some()).collect();
        assert_eq!(refused, [true, true, true, false]);
        // A prompt gets no silent default, even under `dialog: accept`.
        d.begin(Some(Answer::Accept(None)));
        let p = open(&d, "prompt");
        assert_eq!(p["accept"], false);
        assert!(p.get("userText").is_none());
        assert!(d.take()[0].refused.is_some());
    }
}
