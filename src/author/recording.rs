//! A recording being turned into a runbook: the recorder's messages (`engine/recorder.js`,
//! one JSON object a step) and the browser's window events, in the order they came, as a
//! [`Draft`]. No browser here: `setupwright record` feeds it.
//!
//! What it does with them: the start page's origin becomes the input `my_domain_url` (and
//! so does that origin in what was typed), a password becomes a secret input named after
//! its field and its value is never seen here, consecutive fills of one field or picks of
//! one picklist keep the last, a dual listbox's moves to one side join into one `choose`,
//! and each Quick Find navigation (`setup:`) starts a group.

use serde_json::Value;

use super::draft::{Draft, DraftInput, DraftItem, DraftStep, Val};
use super::locator::locator_val;
use crate::locate::AuthoredLocator;

/// The first argument of each of the recorder's console messages (`recorder.js`).
const RECORDER_MARK: &str = "setupwright-recorder";

/// The input the start page's origin becomes.
pub const ORIGIN_INPUT: &str = "my_domain_url";

/// A recording in progress.
#[derive(Debug, Clone)]
pub struct Recording {
    origin: String,
    path: String,
    /// Groups in order: a title and its steps (the first one is the start page's).
    groups: Vec<(String, Vec<DraftStep>)>,
    secrets: Vec<(String, String)>,
    /// Windows opened during the recording (top-level browsing contexts).
    popups: Vec<String>,
    /// Messages the recorder could not make a step of, said in the header.
    unnamed: Vec<String>,
    /// The windows open before the recording; the first is the main one.
    known: Vec<String>,
    /// Each frame's parent browsing context, to find the window a message came from.
    parents: std::collections::HashMap<String, String>,
    /// The window the last step was done in.
    current: Option<String>,
    /// Values a person copied (`capture` steps): the field's name, the variable, and the
    /// value when it is not a secret.
    captured: Vec<(String, String, Option<String>)>,
}

impl Recording {
    /// A recording that starts at `url` (checked http or https by the caller).
    pub fn new(url: &url::Url) -> Recording {
        let origin = url.origin().ascii_serialization();
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        let goto = DraftStep::new(
            "goto",
            Val::Template(format!("${{{ORIGIN_INPUT}}}{}", escape(&path))),
        );
        Recording {
            origin,
            path: path.clone(),
            groups: vec![(format!("Go to {}", start_title(&path)), vec![goto])],
            secrets: Vec::new(),
            popups: Vec::new(),
            unnamed: Vec::new(),
            known: Vec::new(),
            parents: Default::default(),
            current: None,
            captured: Vec::new(),
        }
    }

    /// A window that was open before the recording (the first named: the main one).
    pub fn known_window(&mut self, context: &str) {
        self.known.push(context.to_string());
        self.current.get_or_insert_with(|| context.to_string());
    }

    /// The window a browsing context (a frame's, or a window's own) belongs to.
    fn window_of(&self, context: &str) -> String {
        let mut c = context;
        let mut hops = 0;
        while let Some(p) = self.parents.get(c) {
            c = p;
            hops += 1;
            if hops > 64 {
                break;
            }
        }
        c.to_string()
    }

    /// A step done in `context`: a `window` step first when it is another window than
    /// the last step's. A window counts once something is done in it, so one that opens
    /// and closes by itself (or that the browser makes) writes nothing.
    fn done_in(&mut self, context: &str) {
        let window = self.window_of(context);
        if self.current.as_deref() == Some(window.as_str()) {
            return;
        }
        if self.popups.contains(&window) {
            self.push(DraftStep::new("window", Val::lit("new")));
        } else if self.known.first() == Some(&window) {
            self.push(DraftStep::new("window", Val::lit("main")));
        }
        self.current = Some(window);
    }

    /// How many steps were recorded after the start page's `goto`.
    pub fn recorded(&self) -> usize {
        self.groups.iter().map(|(_, s)| s.len()).sum::<usize>() - 1
    }

    /// One event of the BiDi connection (`{method, params}`): a recorder message or a
    /// window opening or closing. Anything else is ignored.
    ///
    /// Windows open before the recording started are announced too when it subscribes:
    /// `known_window` names them first.
    pub fn event(&mut self, v: &Value) {
        let params = &v["params"];
        match v["method"].as_str() {
            // Only what the recorder said in the engine's sandbox (see `Bidi::listen`).
            Some("log.entryAdded") if v["sandboxed"] == true => {
                if params["args"][0]["value"] != RECORDER_MARK {
                    return;
                }
                let Some(text) = params["args"][1]["value"].as_str() else {
                    return;
                };
                if let Ok(m) = serde_json::from_str::<Value>(text) {
                    if let Some(c) = params["source"]["context"].as_str() {
                        self.done_in(c);
                    }
                    self.message(&m);
                }
            }
            Some("browsingContext.contextCreated") => {
                let Some(c) = params["context"].as_str() else {
                    return;
                };
                match params["parent"].as_str() {
                    Some(p) => {
                        self.parents.insert(c.to_string(), p.to_string());
                    }
                    None if !self.known.iter().any(|k| k == c) => {
                        self.popups.push(c.to_string());
                    }
                    None => {}
                }
            }
            _ => {}
        }
    }

    /// One recorder message.
    pub fn message(&mut self, m: &Value) {
        if let Some(action) = m["unnamed"].as_str() {
            let why = m["why"].as_str().unwrap_or("no locator");
            self.unnamed
                .push(format!("a {action} was not recorded: {why}"));
            return;
        }
        let Some(action) = m["action"].as_str() else {
            return;
        };
        match action {
            "press" => {
                if let Some(k) = m["key"].as_str() {
                    self.push(DraftStep::new("press", Val::lit(k)));
                }
            }
            "setup" => {
                let Some(page) = m["page"].as_str().filter(|p| !p.is_empty()) else {
                    return;
                };
                let mut v = Vec::new();
                if let Some(s) = m["section"]
                    .as_str()
                    .filter(|s| !s.is_empty() && *s != page)
                {
                    v.push(("section".to_string(), Val::lit(s)));
                }
                v.push(("page".to_string(), Val::lit(page)));
                let typed = m["quickFind"].as_str().unwrap_or(page);
                let step = DraftStep::new("setup", Val::Map(v))
                    .named(format!("In Quick Find, enter {typed}, then select {page}"));
                self.groups.push((page.to_string(), vec![step]));
            }
            _ => self.located(action, m),
        }
    }

    fn located(&mut self, action: &str, m: &Value) {
        let Ok(l) = serde_json::from_value::<AuthoredLocator>(m["locator"].clone()) else {
            return;
        };
        let locator = locator_val(&l);
        let mut step = match action {
            "fill" if m["secret"] == true => {
                let name = self.secret_for(&l.value);
                DraftStep::new(
                    "fill",
                    with(&locator, "with", Val::Template(format!("${{{name}}}"))),
                )
            }
            "fill" => {
                let text = m["text"].as_str().unwrap_or_default();
                DraftStep::new("fill", with(&locator, "with", self.templated(text)))
            }
            "select" => {
                let option = m["option"].as_str().unwrap_or_default();
                DraftStep::new("select", with(&locator, "option", Val::lit(option)))
            }
            "choose" => {
                let (side, list) = if m["add"].is_array() {
                    ("add", &m["add"])
                } else {
                    ("remove", &m["remove"])
                };
                let items = list
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).map(Val::lit).collect())
                    .unwrap_or_default();
                DraftStep::new("choose", with(&locator, side, Val::List(items)))
            }
            "check" | "uncheck" | "click" => DraftStep::new(action, short(&locator)),
            "capture" => {
                let secret = m["secret"] == true;
                let name = self.capture_for(&l.value, m["value"].as_str().filter(|_| !secret));
                let mut v = vec![(name, locator)];
                if secret {
                    v.push(("secret".to_string(), Val::Bool(true)));
                }
                DraftStep::new("capture", Val::Map(v))
            }
            _ => return,
        };
        if let Some(note) = m["note"].as_str() {
            step = step.comment(format!("Check this locator: {note}."));
        } else if m["unique"] == false {
            step = step.comment("Check this locator: it picks one of several.");
        }
        self.push(step);
    }

    /// Adds a step, folding it into the one before where a person did one thing in
    /// several events: the same field filled again, the same picklist picked again,
    /// more options moved the same way in the same dual listbox.
    fn push(&mut self, step: DraftStep) {
        let steps = match self.groups.last_mut() {
            Some((_, s)) => s,
            None => return,
        };
        if let Some(last) = steps.last_mut() {
            let same_target = last.action == step.action
                && strip(&last.value, &["with", "option", "add", "remove"])
                    == strip(&step.value, &["with", "option", "add", "remove"]);
            if same_target && matches!(step.action.as_str(), "fill" | "select") {
                *last = step;
                return;
            }
            if same_target && step.action == "choose" {
                if let (Val::Map(a), Val::Map(b)) = (&mut last.value, &step.value) {
                    let side = |m: &Vec<(String, Val)>| {
                        m.iter().find(|(k, _)| k == "add" || k == "remove").cloned()
                    };
                    if let (Some((ka, _)), Some((kb, Val::List(more)))) = (side(a), side(b)) {
                        if ka == kb {
                            for (k, v) in a.iter_mut() {
                                if *k == ka {
                                    if let Val::List(l) = v {
                                        l.extend(
                                            more.iter()
                                                .filter(|x| !l.contains(x))
                                                .cloned()
                                                .collect::<Vec<_>>(),
                                        );
                                    }
                                }
                            }
                            return;
                        }
                    }
                }
            }
        }
        steps.push(step);
    }

    /// The variable a value copied from the field `field` goes into: one per field name,
    /// none an input's. A value copied again from a field of that name (the same key,
    /// read on another page) is read into the same variable.
    fn capture_for(&mut self, field: &str, value: Option<&str>) -> String {
        let value = value.map(str::to_string);
        if let Some(c) = self.captured.iter_mut().find(|(f, _, _)| f == field) {
            if value.is_some() {
                c.2 = value;
            }
            return c.1.clone();
        }
        let mut base = snake(field);
        if base.is_empty() || base == ORIGIN_INPUT {
            base = "copied".into();
        }
        let taken = |n: &str, r: &Recording| {
            r.captured.iter().any(|(_, c, _)| c == n) || r.secrets.iter().any(|(_, s)| s == n)
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken(&name, self) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.captured.push((field.to_string(), name.clone(), value));
        name
    }

    /// The secret input for a password field named `field`: one per field name. A
    /// secret copied before from a field of that name (a Consumer Secret pasted into the
    /// Consumer Secret field of another page) is what goes in, and no input is asked for.
    fn secret_for(&mut self, field: &str) -> String {
        if let Some((_, n, _)) = self
            .captured
            .iter()
            .find(|(f, _, v)| f == field && v.is_none())
        {
            return n.clone();
        }
        if let Some((_, n)) = self.secrets.iter().find(|(f, _)| f == field) {
            return n.clone();
        }
        let mut base = snake(field);
        if base.is_empty() || base == ORIGIN_INPUT {
            base = "password".into();
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.secrets.iter().any(|(_, s)| *s == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.secrets.push((field.to_string(), name.clone()));
        name
    }

    /// Typed text, with the start page's origin as the input it becomes, and a value
    /// copied before (a Consumer Key pasted) as the variable it was captured into: a run
    /// on another org types that org's.
    fn templated(&self, text: &str) -> Val {
        let copied = self
            .captured
            .iter()
            .filter_map(|(_, name, v)| Some((name, v.as_deref()?)))
            // Short values (a "1", a "Yes") would be found in text they never came from.
            .filter(|(_, v)| v.len() >= 6)
            .max_by_key(|(_, v)| v.len());
        if let Some((name, v)) = copied.filter(|(_, v)| text.contains(v)) {
            let parts: Vec<String> = text.split(v).map(|p| self.origin_in(p)).collect();
            return Val::Template(parts.join(&format!("${{{name}}}")));
        }
        if !text.contains(&self.origin) {
            return Val::lit(text);
        }
        Val::Template(self.origin_in(text))
    }

    /// Text as a template's part: the start page's origin as its input, `${` as text.
    fn origin_in(&self, text: &str) -> String {
        let parts: Vec<String> = text.split(&self.origin).map(escape).collect();
        parts.join(&format!("${{{ORIGIN_INPUT}}}"))
    }

    /// The runbook so far.
    pub fn draft(&self, started: &str) -> Draft {
        let mut header = vec![
            format!("Recorded with `setupwright record` from {}{} ({started}).", self.origin, self.path),
            "Before a second run: add a `skip_if` guard to each group whose work is done once (see docs/record.md), give the steps names, and turn values that differ between orgs into inputs.".to_string(),
        ];
        header.extend(self.unnamed.iter().cloned());
        let mut inputs = vec![DraftInput {
            name: ORIGIN_INPUT.into(),
            example: Some(self.origin.clone()),
            description: Some("The org's My Domain URL, no trailing slash".into()),
            ..Default::default()
        }];
        for (field, name) in &self.secrets {
            inputs.push(DraftInput {
                name: name.clone(),
                secret: true,
                description: Some(format!("What goes into the {field} field")),
                ..Default::default()
            });
        }
        Draft {
            title: format!("Recorded on {}", host(&self.origin)),
            header,
            inputs,
            items: self
                .groups
                .iter()
                .filter(|(_, s)| !s.is_empty())
                .map(|(title, steps)| DraftItem::Group {
                    title: title.clone(),
                    steps: steps.clone(),
                    trailer: Vec::new(),
                })
                .collect(),
        }
    }
}

/// A locator map with one more entry (`with`, `option`...).
fn with(locator: &Val, key: &str, v: Val) -> Val {
    let mut m = match locator {
        Val::Map(m) => m.clone(),
        other => vec![("field".into(), other.clone())],
    };
    m.push((key.to_string(), v));
    Val::Map(m)
}

/// A field's bare locator in its string form (`check: Enable OAuth`), as the seed writes
/// checks; every other locator as it is.
fn short(locator: &Val) -> Val {
    match locator {
        Val::Map(m) if m.len() == 1 && m[0].0 == "field" => m[0].1.clone(),
        other => other.clone(),
    }
}

fn strip(v: &Val, keys: &[&str]) -> Val {
    match v {
        Val::Map(m) => Val::Map(
            m.iter()
                .filter(|(k, _)| !keys.contains(&k.as_str()))
                .cloned()
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Text inside a template: a `${` stays text.
fn escape(s: &str) -> String {
    s.replace("${", "$${")
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("f_{out}")
    } else {
        out
    }
}

fn host(origin: &str) -> &str {
    origin.split("://").nth(1).unwrap_or(origin)
}

fn start_title(path: &str) -> String {
    if path.starts_with("/lightning/setup/") {
        "Setup".into()
    } else {
        "the start page".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn msg(r: &mut Recording, m: Value) {
        r.message(&m);
    }

    #[test]
    fn a_recording_becomes_a_runbook_that_check_accepts() {
        let url =
            url::Url::parse("http://127.0.0.1:4000/lightning/setup/SetupOneHome/home").unwrap();
        let mut r = Recording::new(&url);
        msg(
            &mut r,
            json!({"action": "fill", "locator": {"kind": "field", "value": "Username"}, "text": "admin@example.com"}),
        );
        msg(
            &mut r,
            json!({"action": "fill", "locator": {"kind": "field", "value": "Password"}, "secret": true}),
        );
        msg(
            &mut r,
            json!({"action": "click", "locator": {"kind": "button", "value": "Log In"}}),
        );
        msg(
            &mut r,
            json!({"action": "setup", "page": "External Client App Manager", "section": "External Client Apps", "quickFind": "External Client Apps"}),
        );
        msg(
            &mut r,
            json!({"action": "fill", "locator": {"kind": "field", "value": "Name"}, "text": "A"}),
        );
        msg(
            &mut r,
            json!({"action": "fill", "locator": {"kind": "field", "value": "Name"}, "text": "App ${x}"}),
        );
        msg(&mut r, json!({"action": "press", "key": "Tab"}));
        msg(
            &mut r,
            json!({"action": "select", "locator": {"kind": "field", "value": "Distribution State"}, "option": "Packaged"}),
        );
        msg(
            &mut r,
            json!({"action": "select", "locator": {"kind": "field", "value": "Distribution State"}, "option": "Local"}),
        );
        msg(
            &mut r,
            json!({"action": "check", "locator": {"kind": "field", "value": "Enable OAuth"}}),
        );
        msg(
            &mut r,
            json!({"action": "fill", "locator": {"kind": "field", "value": "Callback URL"}, "text": "http://127.0.0.1:4000/cb"}),
        );
        msg(
            &mut r,
            json!({"action": "choose", "locator": {"kind": "field", "value": "OAuth Scopes"}, "add": ["Full access (full)"]}),
        );
        msg(
            &mut r,
            json!({"action": "choose", "locator": {"kind": "field", "value": "OAuth Scopes"}, "add": ["Perform requests"]}),
        );
        msg(
            &mut r,
            json!({"action": "click", "locator": {"kind": "css", "value": "div.x > button"}, "note": "button \"Edit\" names 2 elements here"}),
        );
        // A window the browser opens and closes by itself writes nothing; one a step is
        // done in is switched to, and back.
        r.known_window("M");
        let said = |c: &str, m: Value| json!({"method": "log.entryAdded", "sandboxed": true, "params": {"args": [{"type": "string", "value": RECORDER_MARK}, {"type": "string", "value": m.to_string()}], "source": {"context": c, "realm": "r"}}});
        r.event(&json!({"method": "browsingContext.contextCreated", "params": {"context": "M", "parent": null}}));
        r.event(&json!({"method": "browsingContext.contextCreated", "params": {"context": "X", "parent": null}}));
        r.event(&json!({"method": "browsingContext.contextCreated", "params": {"context": "P", "parent": null}}));
        r.event(&json!({"method": "browsingContext.contextCreated", "params": {"context": "PF", "parent": "P"}}));
        r.event(&said("PF", json!({"action": "fill", "locator": {"kind": "field", "value": "Verification Code"}, "text": "1"})));
        r.event(&said(
            "M",
            json!({"action": "click", "locator": {"kind": "button", "value": "Done"}}),
        ));
        // Not the recorder's: a page's own console, or another mark.
        let mut forged = said(
            "M",
            json!({"action": "click", "locator": {"kind": "button", "value": "Forged"}}),
        );
        forged["sandboxed"] = json!(false);
        r.event(&forged);
        let text = crate::author::emit_checked(&r.draft("2026-12-07"), Path::new("rec.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        for want in [
            "goto: \"${my_domain_url}/lightning/setup/SetupOneHome/home\"",
            "fill: { field: Password, with: \"${password}\" }",
            "password: { secret: true",
            "setup: { section: External Client Apps, page: External Client App Manager }",
            "fill: { field: Name, with: \"App $${x}\" }",
            "select: { field: Distribution State, option: Local }",
            "check: Enable OAuth",
            "with: \"${my_domain_url}/cb\"",
            "add: [ Full access (full), Perform requests ]",
            "# Check this locator: button \"Edit\" names 2 elements here.",
            "- window: new\n      - fill: { field: Verification Code, with: \"1\" }\n      - window: main\n      - click: { button: Done }",
            "example: \"http://127.0.0.1:4000\"",
        ] {
            assert!(text.contains(want), "no {want:?} in:\n{text}");
        }
        assert!(
            !text.contains("Packaged") && !text.contains("with: A "),
            "{text}"
        );
        assert_eq!(text.matches("- group:").count(), 2, "{text}");
    }

    /// What a person copies is captured, and where they paste it the runbook uses the
    /// capture: the key by its value, the secret (whose value never comes) by its field's
    /// name; no input is asked for either.
    #[test]
    fn a_copied_value_is_captured_and_pasted_from_the_capture() {
        let url =
            url::Url::parse("http://127.0.0.1:4000/lightning/setup/SetupOneHome/home").unwrap();
        let mut r = Recording::new(&url);
        for m in [
            json!({"action": "capture", "locator": {"kind": "field", "value": "Consumer Key"}, "value": "3MVG9-KEY-0001"}),
            json!({"action": "capture", "locator": {"kind": "field", "value": "Consumer Secret"}, "secret": true}),
            json!({"action": "fill", "locator": {"kind": "field", "value": "Consumer Key"}, "text": "3MVG9-KEY-0001"}),
            json!({"action": "fill", "locator": {"kind": "field", "value": "Consumer Secret"}, "secret": true}),
            json!({"action": "fill", "locator": {"kind": "field", "value": "Note"}, "text": "key 3MVG9-KEY-0001 at http://127.0.0.1:4000/x"}),
        ] {
            msg(&mut r, m);
        }
        let text = crate::author::emit_checked(&r.draft("2026-12-07"), Path::new("rec.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        for want in [
            "capture: { consumer_key: { field: Consumer Key } }",
            "capture: { consumer_secret: { field: Consumer Secret }, secret: true }",
            "fill: { field: Consumer Key, with: \"${consumer_key}\" }",
            "fill: { field: Consumer Secret, with: \"${consumer_secret}\" }",
            "with: \"key ${consumer_key} at ${my_domain_url}/x\"",
        ] {
            assert!(text.contains(want), "no {want:?} in:\n{text}");
        }
        assert!(!text.contains("consumer_secret: { secret: true"), "{text}");
        assert!(!text.contains("with: 3MVG9"), "{text}");
    }
}
