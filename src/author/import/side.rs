//! Selenium IDE's project file (`.side`, JSON): `{ name, url, tests: [ { name, commands:
//! [ { command, target, targets: [[target, strategy]], value, opensWindow?,
//! windowHandleName? } ] } ] }`. Every test is imported, in order; a command written
//! `//command` is disabled in the IDE and left out here too.

use serde::Deserialize;

use super::selectors;
use super::{ImportError, Op, OpKind, WindowTo};

#[derive(Debug, Deserialize)]
struct Project {
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    tests: Vec<Test>,
}

#[derive(Debug, Deserialize)]
struct Test {
    #[serde(default)]
    name: String,
    #[serde(default)]
    commands: Vec<Command>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Command {
    command: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    targets: Vec<Vec<String>>,
    #[serde(default)]
    value: String,
    #[serde(default)]
    opens_window: bool,
    #[serde(default)]
    window_handle_name: Option<String>,
}

/// The project's title (its only test's name, or the project's), its commands as
/// operations, and header comments.
pub fn read(text: &str) -> Result<(String, Vec<Op>, Vec<String>), ImportError> {
    let p: Project = serde_json::from_str(text).map_err(|e| {
        ImportError::from_serde(
            &e,
            "not a Selenium IDE project",
            "save the project again from Selenium IDE (a .side file), or fix the file at this place",
        )
    })?;
    let title = match p.tests.as_slice() {
        [one] if !one.name.trim().is_empty() => one.name.clone(),
        _ => p.name.clone(),
    };
    let many = p.tests.len() > 1;
    let mut ops = Vec::new();
    // Window handles: the first stored one is the main window; a click's
    // `windowHandleName` names the window it opens.
    let mut main_handle: Option<String> = None;
    let mut opened: Vec<String> = Vec::new();
    let mut visited: Vec<String> = Vec::new();
    for t in &p.tests {
        for (n, c) in t.commands.iter().enumerate() {
            let index = n + 1;
            let what = if many {
                format!("{} in test \"{}\"", c.command, t.name)
            } else {
                c.command.clone()
            };
            let op = |kind: OpKind| Op {
                index,
                what: what.clone(),
                kind,
            };
            let alternatives: Vec<String> = c
                .targets
                .iter()
                .filter_map(|pair| pair.first().cloned())
                .collect();
            let target = || selectors::from_side(&c.target, &alternatives);
            // Selenium IDE leaves a blank row where a command was deleted or not yet written.
            if c.command.trim().is_empty() {
                continue;
            }
            if c.command.starts_with("//") {
                ops.push(op(OpKind::Dropped(format!(
                    "Recorded command {index} ({}) is disabled in the project; left out.",
                    c.command.trim_start_matches('/')
                ))));
                continue;
            }
            if c.opens_window {
                if let Some(h) = &c.window_handle_name {
                    opened.push(h.clone());
                }
            }
            let kind = match c.command.as_str() {
                "open" => OpKind::Goto {
                    url: absolute(&p.url, &c.target),
                    title: None,
                },
                "click" | "clickAt" => OpKind::Click(target()),
                "doubleClick" | "doubleClickAt" => OpKind::DoubleClick(target()),
                "type" | "editContent" => OpKind::Change(target(), c.value.clone()),
                "sendKeys" => {
                    for (k, piece) in keys_and_text(&c.value) {
                        ops.push(op(if k {
                            match key_name(&piece) {
                                Some(name) => OpKind::Press(name.into()),
                                None => OpKind::Unsupported(format!(
                                    "sends the key ${{{piece}}}, which a runbook's `press` does not name|press one of Tab, Enter, Escape, the arrows..."
                                )),
                            }
                        } else {
                            OpKind::Change(target(), piece)
                        }));
                    }
                    continue;
                }
                "select" | "addSelection" => {
                    if let Some(label) = c.value.strip_prefix("label=") {
                        OpKind::Select(target(), label.to_string())
                    } else if let Some(v) = c.value.strip_prefix("value=") {
                        ops.push(op(OpKind::Dropped(format!(
                            "Recorded command {index} picked the option whose value is \"{v}\"; check it is the label the page shows."
                        ))));
                        OpKind::Select(target(), v.to_string())
                    } else {
                        OpKind::Unsupported(format!(
                            "picks an option by `{}`, not by its label|pick it with `label=` in Selenium IDE, or write a `select` step naming the option's label",
                            c.value
                        ))
                    }
                }
                "check" => OpKind::Check(target(), true),
                "uncheck" => OpKind::Check(target(), false),
                "assertText" | "verifyText" | "waitForText" => OpKind::Expect {
                    target: target(),
                    text: Some(c.value.clone()),
                },
                "assertElementPresent" | "verifyElementPresent" | "assertVisible"
                | "verifyVisible" => OpKind::Expect {
                    target: target(),
                    text: None,
                },
                "waitForElementPresent" | "waitForElementVisible" => OpKind::WaitFor {
                    target: target(),
                    gone: false,
                },
                "waitForElementNotPresent"
                | "waitForElementNotVisible"
                | "assertElementNotPresent"
                | "verifyElementNotPresent" => OpKind::WaitFor {
                    target: target(),
                    gone: true,
                },
                "assertTitle" | "verifyTitle" => OpKind::ExpectTitle(c.target.clone()),
                "assertValue" | "verifyValue" => OpKind::ExpectValue(target(), c.value.clone()),
                // A picklist's value is the label it shows.
                "assertSelectedLabel" | "verifySelectedLabel" => {
                    OpKind::ExpectValue(target(), c.value.clone())
                }
                "assertChecked" | "verifyChecked" => OpKind::ExpectChecked(target(), true),
                "assertNotChecked" | "verifyNotChecked" => OpKind::ExpectChecked(target(), false),
                "mouseOver" => OpKind::Hover(target()),
                "mouseOut" | "mouseDown" | "mouseUp" | "mouseMove" => OpKind::Dropped(format!(
                    "Recorded command {index} ({}) moved the mouse; each step points at its element itself.",
                    c.command
                )),
                "selectFrame" => OpKind::Dropped(format!(
                    "Recorded command {index} switched to the frame {}; the engine looks in every frame itself.",
                    c.target
                )),
                "setWindowSize" => OpKind::Dropped(format!(
                    "Recorded command {index} set the window to {}; a run uses its browser's window.",
                    c.target
                )),
                "pause" => OpKind::Dropped(format!(
                    "Recorded command {index} paused {} ms; each step waits for its element.",
                    c.target
                )),
                "echo" => OpKind::Dropped(format!("Recorded note: {}", c.target)),
                "storeWindowHandle" => {
                    main_handle.get_or_insert_with(|| c.target.clone());
                    OpKind::Dropped(format!(
                        "Recorded command {index} stored this window's handle as {}.",
                        c.target
                    ))
                }
                "selectWindow" => {
                    let h = handle(&c.target);
                    if h == "win_ser_local" || main_handle.as_deref() == Some(h.as_str()) {
                        OpKind::Window(WindowTo::Main)
                    } else if !visited.contains(&h)
                        && (opened.contains(&h) || h.starts_with("win_ser_"))
                    {
                        visited.push(h);
                        OpKind::Window(WindowTo::New)
                    } else {
                        OpKind::Unsupported(format!(
                            "switches to the window {}, which no command opened just before|write `window: <its title>` or `window: new` by hand",
                            c.target
                        ))
                    }
                }
                "close" => OpKind::Window(WindowTo::Close),
                other => OpKind::Unsupported(format!(
                    "is the command `{other}`, which has no runbook step ({})|write what it does as runbook steps by hand, or remove it in Selenium IDE",
                    if other.starts_with("store")
                        || other.contains("Script")
                        || matches!(other, "if" | "else" | "elseIf" | "end" | "while" | "do" | "repeatIf" | "times" | "forEach" | "run")
                    {
                        "variables, scripts and control flow are not imported"
                    } else {
                        "not among the commands import reads"
                    }
                )),
            };
            ops.push(op(kind));
        }
    }
    let header = vec![
        format!(
            "Imported from the Selenium IDE project \"{}\" ({} test(s)) by `setupwright import`.",
            p.name,
            p.tests.len()
        ),
        "Check each step's locator and value, then add `skip_if:` guards so a second run changes nothing."
            .into(),
    ];
    Ok((title, ops, header))
}

/// `handle=${win123}` → `win123`.
fn handle(target: &str) -> String {
    let t = target.strip_prefix("handle=").unwrap_or(target);
    t.trim_start_matches("${").trim_end_matches('}').to_string()
}

/// A command's URL against the project's base URL.
fn absolute(base: &str, target: &str) -> String {
    if target.starts_with("http://") || target.starts_with("https://") || base.is_empty() {
        target.to_string()
    } else {
        format!(
            "{}/{}",
            base.trim_end_matches('/'),
            target.trim_start_matches('/')
        )
    }
}

/// `sendKeys` values: `${KEY_ENTER}` tokens (true) and text between them (false).
fn keys_and_text(value: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(at) = rest.find("${KEY_") {
        if at > 0 {
            out.push((false, rest[..at].to_string()));
        }
        let after = &rest[at + 2..];
        match after.find('}') {
            Some(end) => {
                out.push((true, after[..end].to_string()));
                rest = &after[end + 1..];
            }
            None => {
                out.push((false, rest[at..].to_string()));
                rest = "";
            }
        }
    }
    if !rest.is_empty() {
        out.push((false, rest.to_string()));
    }
    out
}

fn key_name(token: &str) -> Option<&'static str> {
    Some(match token {
        "KEY_ENTER" | "KEY_RETURN" => "Enter",
        "KEY_TAB" => "Tab",
        "KEY_ESC" | "KEY_ESCAPE" => "Escape",
        "KEY_BACKSPACE" | "KEY_BKSP" => "Backspace",
        "KEY_DELETE" | "KEY_DEL" => "Delete",
        "KEY_SPACE" => "Space",
        "KEY_UP" => "ArrowUp",
        "KEY_DOWN" => "ArrowDown",
        "KEY_LEFT" => "ArrowLeft",
        "KEY_RIGHT" => "ArrowRight",
        "KEY_HOME" => "Home",
        "KEY_END" => "End",
        "KEY_PAGE_UP" | "KEY_PGUP" => "PageUp",
        "KEY_PAGE_DOWN" | "KEY_PGDN" => "PageDown",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_keys_splits_into_text_and_presses() {
        assert_eq!(
            keys_and_text("abc${KEY_ENTER}"),
            [(false, "abc".into()), (true, "KEY_ENTER".into())]
        );
        let text = r##"{"name":"p","url":"https://acme.my.salesforce.com","tests":[{"name":"t","commands":[
            {"command":"sendKeys","target":"id=x","value":"${KEY_TAB}"},
            {"command":"sendKeys","target":"id=x","value":"${KEY_F13}"}]}]}"##;
        let (_, ops, _) = read(text).unwrap();
        assert_eq!(ops[0].kind, OpKind::Press("Tab".into()));
        assert!(matches!(&ops[1].kind, OpKind::Unsupported(m) if m.contains("KEY_F13")));
        assert_eq!(ops[1].index, 2);
    }

    #[test]
    fn relative_urls_are_against_the_project_url_and_windows_are_followed() {
        let text = r##"{"name":"p","url":"https://acme.my.salesforce.com/","tests":[{"name":"Lookup","commands":[
            {"command":"open","target":"/lightning/setup/SetupOneHome/home"},
            {"command":"storeWindowHandle","target":"root"},
            {"command":"click","target":"linkText=Lookup","opensWindow":true,"windowHandleName":"win42"},
            {"command":"selectWindow","target":"handle=${win42}"},
            {"command":"selectWindow","target":"handle=${root}"},
            {"command":"selectWindow","target":"handle=${win77}"}]}]}"##;
        let (title, ops, _) = read(text).unwrap();
        assert_eq!(title, "Lookup");
        assert_eq!(
            ops[0].kind,
            OpKind::Goto {
                url: "https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home".into(),
                title: None
            }
        );
        assert_eq!(ops[3].kind, OpKind::Window(WindowTo::New));
        assert_eq!(ops[4].kind, OpKind::Window(WindowTo::Main));
        assert!(
            matches!(&ops[5].kind, OpKind::Unsupported(m) if m.contains("win77")),
            "{:?}",
            ops[5]
        );
    }
}
