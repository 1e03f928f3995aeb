//! Chrome DevTools' Recorder, exported as JSON: the `@puppeteer/replay` schema. A
//! recording is `{ title, steps: [ { type, selectors?, frame?, target?, ... } ] }`;
//! selectors are alternatives, each a string or a chain of strings through shadow
//! roots. `frame` (a path of frame indexes) needs nothing: the engine looks in every
//! frame. `target` names the page a step happened in: a change of it is a window switch.

use serde::Deserialize;

use super::selectors::{self, Target};
use super::{ImportError, Op, OpKind, WindowTo};

#[derive(Debug, Deserialize)]
struct Recording {
    #[serde(default)]
    title: String,
    steps: Vec<Step>,
}

/// Every field any step type has; which ones a type uses is checked by [`read`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    selectors: Vec<Selector>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    button: Option<String>,
    #[serde(default)]
    asserted_events: Vec<AssertedEvent>,
    #[serde(default)]
    visible: Option<bool>,
    #[serde(default)]
    count: Option<u64>,
    #[serde(default)]
    operator: Option<String>,
    #[serde(default)]
    width: Option<u64>,
    #[serde(default)]
    height: Option<u64>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    expression: Option<String>,
    /// `waitForElement`'s checks of the element's DOM properties and attributes.
    #[serde(default)]
    properties: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    attributes: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Selector {
    One(String),
    Chain(Vec<String>),
}

#[derive(Debug, Deserialize)]
struct AssertedEvent {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    title: Option<String>,
}

const MODIFIERS: &[&str] = &["Shift", "Control", "Alt", "Meta"];

/// The recording's title, its steps as operations, and header comments.
pub fn read(text: &str) -> Result<(String, Vec<Op>, Vec<String>), ImportError> {
    let rec: Recording = serde_json::from_str(text).map_err(|e| {
        ImportError::from_serde(
            &e,
            "not a Chrome DevTools Recorder recording",
            "export the recording again from Chrome's Recorder (Export > JSON), or fix the file at this place",
        )
    })?;
    let mut ops = Vec::new();
    let mut held: Vec<String> = Vec::new();
    let mut page = "main".to_string();
    let mut pages_seen = vec!["main".to_string()];
    for (n, s) in rec.steps.iter().enumerate() {
        let index = n + 1;
        let op = |kind: OpKind| Op {
            index,
            what: s.kind.clone(),
            kind,
        };
        let target = || {
            let chains: Vec<Vec<String>> = s
                .selectors
                .iter()
                .map(|sel| match sel {
                    Selector::One(x) => vec![x.clone()],
                    Selector::Chain(c) => c.clone(),
                })
                .collect();
            selectors::from_recorder(&chains)
        };
        // A step in another page than the one before it: a window switch first.
        let on = s.target.clone().unwrap_or_else(|| "main".into());
        if on != page {
            let to = if on == "main" {
                Some(WindowTo::Main)
            } else if pages_seen.contains(&on) {
                None
            } else {
                pages_seen.push(on.clone());
                Some(WindowTo::New)
            };
            ops.push(op(match to {
                Some(w) => OpKind::Window(w),
                None => OpKind::Unsupported(format!(
                    "goes back to the page {on}, opened earlier|add a `window:` step naming that page's title"
                )),
            }));
            page = on;
        }
        translate(&mut ops, s, index, &target, &mut held);
    }
    let mut header = vec![format!(
        "Imported from a Chrome DevTools Recorder recording ({} steps) by `setupwright import`.",
        rec.steps.len()
    )];
    header.push(
        "Check each step's locator and value, then add `skip_if:` guards so a second run changes nothing."
            .into(),
    );
    Ok((rec.title, ops, header))
}

/// The operation for one step (none for a key going down, or a modifier).
fn translate(
    ops: &mut Vec<Op>,
    s: &Step,
    index: usize,
    target: &dyn Fn() -> Target,
    held: &mut Vec<String>,
) {
    let op = |kind: OpKind| Op {
        index,
        what: s.kind.clone(),
        kind,
    };
    let missing = |field: &str| {
        op(OpKind::Unsupported(format!(
            "has no `{field}`|export the recording again; a `{}` step always has one",
            s.kind
        )))
    };
    let needs_selectors = matches!(
        s.kind.as_str(),
        "click" | "doubleClick" | "change" | "hover" | "waitForElement"
    );
    if needs_selectors && s.selectors.is_empty() {
        ops.push(missing("selectors"));
        return;
    }
    let next = match s.kind.as_str() {
        "navigate" => match &s.url {
            Some(url) => {
                let title = s
                    .asserted_events
                    .iter()
                    .find(|e| e.kind == "navigation")
                    .and_then(|e| e.title.clone())
                    .filter(|t| !t.trim().is_empty());
                op(OpKind::Goto {
                    url: url.clone(),
                    title,
                })
            }
            None => missing("url"),
        },
        "click" => match s.button.as_deref() {
            Some("secondary") => op(OpKind::Unsupported(
                "a right click (a context menu) has no runbook step|click what the menu offers instead, or write the step by hand".into(),
            )),
            _ => op(OpKind::Click(target())),
        },
        "doubleClick" => op(OpKind::DoubleClick(target())),
        "change" => match &s.value {
            Some(v) => op(OpKind::Change(target(), v.clone())),
            None => missing("value"),
        },
        "hover" => op(OpKind::Hover(target())),
        "keyDown" => {
            let Some(k) = &s.key else {
                ops.push(missing("key"));
                return;
            };
            if MODIFIERS.contains(&k.as_str()) {
                if !held.contains(k) {
                    held.push(k.clone());
                }
                return;
            }
            // The press is said where the key went down, with the modifiers held then: a
            // modifier let go before the key, or a key whose keyUp the recording lacks,
            // still pressed what the page saw.
            let name = key_name(k);
            if crate::runbook::keys::code(&name).is_none() {
                op(OpKind::Unsupported(format!(
                    "the key `{k}` has no name a runbook's `press` knows|use one of Tab, Enter, Escape, Space, Backspace, Delete, the arrows, Home, End, PageUp, PageDown, or a single character"
                )))
            } else {
                let chord = held
                    .iter()
                    .cloned()
                    .chain(std::iter::once(name))
                    .collect::<Vec<_>>()
                    .join("+");
                op(OpKind::Press(chord))
            }
        }
        "keyUp" => {
            let Some(k) = &s.key else {
                ops.push(missing("key"));
                return;
            };
            held.retain(|h| h != k);
            return;
        }
        "waitForElement" => {
            // The schema's defaults: `operator` "==", `count` 1. A wait_for waits for one
            // element, or for none with `gone`; other counts are said, never dropped.
            let operator = s.operator.as_deref().unwrap_or("==");
            let count = s.count.unwrap_or(1);
            let gone = s.visible == Some(false) || (count == 0 && operator != ">=");
            match (operator, count) {
                _ if gone => {}
                (">=", 0) => {
                    ops.push(op(OpKind::Dropped(format!(
                        "Recorded step {index} waited for at least no element, which holds at once; left out."
                    ))));
                    return;
                }
                ("==" | ">=", 1) => {}
                ("==" | ">=", n) => ops.push(op(OpKind::Dropped(format!(
                    "Recorded step {index} waited for {} {n} elements; this waits for one. Add an `expect` of what the page shows by hand.",
                    if operator == "==" { "exactly" } else { "at least" }
                )))),
                _ => {
                    ops.push(op(OpKind::Unsupported(format!(
                        "waits for `{operator}` {count} elements, which a runbook's `wait_for` cannot say|write a `wait_for` (with `gone: true` for none) or an `expect` by hand"
                    ))));
                    return;
                }
            }
            let value = s.properties.get("value").and_then(|v| v.as_str());
            let others: Vec<&str> = s
                .properties
                .keys()
                .filter(|k| *k != "value")
                .chain(s.attributes.keys())
                .map(String::as_str)
                .collect();
            if !others.is_empty() {
                // Said before the step, as the comment above it.
                ops.push(op(OpKind::Dropped(format!(
                    "Recorded step {index} also waited for the element's {}; add an `expect` of what the page shows by hand.",
                    others.join(", ")
                ))));
            }
            match value {
                // A wait for a field's value is the check that it holds it.
                Some(v) if !gone => op(OpKind::ExpectValue(target(), v.to_string())),
                _ => op(OpKind::WaitFor {
                    target: target(),
                    gone,
                }),
            }
        }
        "setViewport" => op(OpKind::Dropped(format!(
            "Recorded step {index} set the viewport to {}x{}; a run uses its browser's window.",
            s.width.unwrap_or(0),
            s.height.unwrap_or(0)
        ))),
        "scroll" => op(OpKind::Dropped(format!(
            "Recorded step {index} scrolled the page; each step scrolls to its element itself."
        ))),
        "emulateNetworkConditions" => op(OpKind::Dropped(format!(
            "Recorded step {index} emulated network conditions; a run uses the network as it is."
        ))),
        "close" => op(OpKind::Window(WindowTo::Close)),
        "waitForExpression" => op(OpKind::Unsupported(format!(
            "waits for a JavaScript expression ({}), which a runbook does not run|replace it with a `wait_for` or `expect` on what the page shows",
            s.expression.as_deref().unwrap_or("?")
        ))),
        "customStep" => op(OpKind::Unsupported(format!(
            "is a custom step ({}) of a Recorder extension|write what it does as runbook steps by hand",
            s.name.as_deref().unwrap_or("unnamed")
        ))),
        other => op(OpKind::Unsupported(format!(
            "has the type `{other}`, which the Recorder schema does not define|check the file came from Chrome's Recorder; remove or rewrite the step"
        ))),
    };
    ops.push(next);
}

/// A DOM `key` value as a runbook key name (`" "` is `Space`).
fn key_name(k: &str) -> String {
    match k {
        " " => "Space".into(),
        "Esc" => "Escape".into(),
        "+" => "Plus".into(),
        "Up" | "Down" | "Left" | "Right" => format!("Arrow{k}"),
        _ => k.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_down_and_up_pairs_become_one_press_with_modifiers_held() {
        let text = r##"{"title":"t","steps":[
            {"type":"keyDown","key":"Tab"},{"type":"keyUp","key":"Tab"},
            {"type":"keyDown","key":"Control"},{"type":"keyDown","key":"a"},
            {"type":"keyUp","key":"a"},{"type":"keyUp","key":"Control"},
            {"type":"keyDown","key":" "},{"type":"keyUp","key":" "}]}"##;
        let (_, ops, _) = read(text).unwrap();
        let presses: Vec<&OpKind> = ops.iter().map(|o| &o.kind).collect();
        assert_eq!(
            presses,
            [
                &OpKind::Press("Tab".into()),
                &OpKind::Press("Control+a".into()),
                &OpKind::Press("Space".into())
            ]
        );
        // The press keeps the index of the keyDown that made it.
        assert_eq!(ops[0].index, 1);
        assert_eq!(ops[1].index, 4);
    }

    #[test]
    fn a_press_is_what_the_page_saw_when_the_key_went_down() {
        let text = r##"{"title":"t","steps":[
            {"type":"keyDown","key":"Control"},{"type":"keyDown","key":"v"},
            {"type":"keyUp","key":"Control"},{"type":"keyUp","key":"v"},
            {"type":"keyDown","key":"Enter"},
            {"type":"keyDown","key":"+"},{"type":"keyUp","key":"+"}]}"##;
        let (_, ops, _) = read(text).unwrap();
        let presses: Vec<&OpKind> = ops.iter().map(|o| &o.kind).collect();
        // The modifier let go first still held the v; an Enter with no keyUp was pressed;
        // the + key has a name a chord cannot mistake.
        assert_eq!(
            presses,
            [
                &OpKind::Press("Control+v".into()),
                &OpKind::Press("Enter".into()),
                &OpKind::Press("Plus".into())
            ]
        );
        for chord in ["Control+v", "Enter", "Plus"] {
            assert!(
                crate::runbook::keys::chord_keys(chord).len() == chord.split('+').count(),
                "{chord}"
            );
        }
    }

    #[test]
    fn a_wait_for_a_count_is_said_or_refused_never_narrowed() {
        let wait = |extra: &str| {
            let text = format!(
                r##"{{"title":"t","steps":[{{"type":"waitForElement","selectors":[["aria/Save[role=\"button\"]"]]{extra}}}]}}"##
            );
            let (_, ops, _) = read(&text).unwrap();
            ops.into_iter().map(|o| o.kind).collect::<Vec<_>>()
        };
        let gone = |kinds: &[OpKind]| {
            kinds.iter().find_map(|k| match k {
                OpKind::WaitFor { gone, .. } => Some(*gone),
                _ => None,
            })
        };
        // The schema's defaults: exactly one.
        assert_eq!(gone(&wait("")), Some(false));
        assert_eq!(gone(&wait(r#","count":0"#)), Some(true));
        // "At most none" is none too.
        assert_eq!(gone(&wait(r#","operator":"<=","count":0"#)), Some(true));
        // "At least none" holds at once: said, not waited for.
        let k = wait(r#","operator":">=","count":0"#);
        assert_eq!(gone(&k), None);
        assert!(matches!(&k[..], [OpKind::Dropped(_)]), "{k:?}");
        // "At most two" holds with none: no wait_for says it.
        let k = wait(r#","operator":"<=","count":2"#);
        assert!(matches!(&k[..], [OpKind::Unsupported(_)]), "{k:?}");
        // Three or more: the wait for one is said to be less.
        let k = wait(r#","operator":">=","count":3"#);
        assert!(
            matches!(&k[..], [OpKind::Dropped(c), OpKind::WaitFor { gone: false, .. }] if c.contains("at least 3")),
            "{k:?}"
        );
    }

    #[test]
    fn a_shape_error_says_where_in_the_file() {
        let text = "{\"title\":\"t\",\"steps\":[\n  {\"type\":\"click\",\"selectors\":7}\n]}";
        let e = read(text).unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
        assert!(e.col.is_some());
        assert!(
            e.message
                .starts_with("not a Chrome DevTools Recorder recording"),
            "{e:?}"
        );
        let shown = e.display("r.json");
        assert!(shown.starts_with("error: r.json:2:"), "{shown}");
        assert!(
            shown.contains("help: export the recording again"),
            "{shown}"
        );
    }

    #[test]
    fn a_step_in_another_target_switches_windows_and_back() {
        let text = r##"{"title":"t","steps":[
            {"type":"click","selectors":[["aria/Lookup[role=\"link\"]"]]},
            {"type":"click","target":"https://x/_ui/common/data/LookupPage","selectors":[["aria/Go![role=\"button\"]"]]},
            {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}]}"##;
        let (_, ops, _) = read(text).unwrap();
        let kinds: Vec<String> = ops
            .iter()
            .map(|o| match &o.kind {
                OpKind::Window(w) => format!("window {w:?}"),
                OpKind::Click(t) => format!("click {}", t.name().unwrap_or("")),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "click Lookup",
                "window New",
                "click Go!",
                "window Main",
                "click Save"
            ]
        );
    }
}
