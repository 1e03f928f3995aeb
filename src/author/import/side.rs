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
            // A variable's value is known only while the IDE plays the test: written as
            // recorded, `${name}` would be typed or looked for literally.
            if let Some(var) = selenium_variable(c) {
                ops.push(op(OpKind::Unsupported(format!(
                    "uses the Selenium IDE variable ${{{var}}}, whose value is set only while the IDE plays the test|put the value in the recording, or write the step by hand with a runbook input (declare it under `inputs:` and write ${{{}}})",
                    super::input_name(&var)
                ))));
                continue;
            }
            let element = ELEMENT_COMMANDS.contains(&c.command.as_str())
                || (c.command == "sendKeys" && keys_and_text(&c.value).iter().any(|(k, _)| !k));
            if element && !target().is_usable() {
                ops.push(op(OpKind::Unsupported(format!(
                    "its target `{}` names no element (empty, or a kind of locator import does not read)|give the command a target in Selenium IDE (id=, name=, css=, xpath=, linkText=), or write the step by hand",
                    c.target.trim()
                ))));
                continue;
            }
            if let Some(why) = vacuous(c, &p.url) {
                ops.push(op(OpKind::Unsupported(why)));
                continue;
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

/// The commands that act on or read an element their target names (`sendKeys` too,
/// where it types text).
const ELEMENT_COMMANDS: [&str; 32] = [
    "click",
    "clickAt",
    "doubleClick",
    "doubleClickAt",
    "type",
    "editContent",
    "select",
    "addSelection",
    "check",
    "uncheck",
    "assertText",
    "verifyText",
    "waitForText",
    "assertElementPresent",
    "verifyElementPresent",
    "assertVisible",
    "verifyVisible",
    "waitForElementPresent",
    "waitForElementVisible",
    "waitForElementNotPresent",
    "waitForElementNotVisible",
    "assertElementNotPresent",
    "verifyElementNotPresent",
    "assertValue",
    "verifyValue",
    "assertSelectedLabel",
    "verifySelectedLabel",
    "assertChecked",
    "verifyChecked",
    "assertNotChecked",
    "verifyNotChecked",
    "mouseOver",
];

/// The first Selenium IDE variable (`${accountName}`) a command that becomes a step reads
/// in its target or value. `${KEY_ENTER}` in `sendKeys` is a key, not a variable; the
/// other commands (`selectWindow`'s handle, `store…`, `if`) are said otherwise.
fn selenium_variable(c: &Command) -> Option<String> {
    let becomes_a_step = ELEMENT_COMMANDS.contains(&c.command.as_str())
        || matches!(
            c.command.as_str(),
            "open" | "sendKeys" | "assertTitle" | "verifyTitle"
        );
    if !becomes_a_step {
        return None;
    }
    let alternatives = c.targets.iter().filter_map(|pair| pair.first());
    std::iter::once(&c.target)
        .chain(alternatives)
        .chain(std::iter::once(&c.value))
        .find_map(|s| {
            let mut rest = s.as_str();
            while let Some(at) = rest.find("${") {
                let after = &rest[at + 2..];
                let name = &after[..after.find('}')?];
                let is_key = c.command == "sendKeys" && name.starts_with("KEY_");
                if !is_key && !name.trim().is_empty() {
                    return Some(name.trim().to_string());
                }
                rest = after;
            }
            None
        })
}

/// Why a command with an empty value would hold on every page once written as a step:
/// `expect` compares a text or a title by `contains`, and everything contains "", while
/// Selenium compared it whole (the element's text, the title, is empty). `open` with no
/// URL and no project URL has nowhere to go; `select label=` names no option.
fn vacuous(c: &Command, base: &str) -> Option<String> {
    let why = match c.command.as_str() {
        "assertText" | "verifyText" | "waitForText" if c.value.trim().is_empty() => {
            "checks that the element's text is empty, which `expect: { contains }` cannot say|write the check by hand"
        }
        "assertTitle" | "verifyTitle" if c.target.trim().is_empty() => {
            "checks that the page's title is empty, which `expect: { title }` cannot say|write the check by hand"
        }
        "open" if c.target.trim().is_empty() && base.trim().is_empty() => {
            "opens no URL: its target and the project's URL are empty|write a `goto:` step by hand"
        }
        "select" | "addSelection"
            if ["label=", "value="]
                .iter()
                .any(|p| c.value.strip_prefix(p).is_some_and(|v| v.trim().is_empty())) =>
        {
            "picks an option whose label or value is empty|write a `select` step naming the option's label as the page shows it"
        }
        _ => return None,
    };
    Some(why.to_string())
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

    fn import(commands: &str) -> (super::super::Imported, String) {
        let text = format!(
            r#"{{"name":"p","url":"https://acme.my.salesforce.com","tests":[{{"name":"t","commands":[{commands}]}}]}}"#
        );
        let i = super::super::import(&text, None).unwrap_or_else(|e| panic!("{e}"));
        let yaml = crate::author::emit_checked(&i.draft, std::path::Path::new("t.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        (i, yaml)
    }

    /// A command whose target or value is empty is a comment and a warning, never a step
    /// that `check` refuses or one that holds on any page.
    #[test]
    fn empty_targets_and_empty_expectations_are_comments() {
        for command in [
            r#"{"command":"click","target":"linkText=","value":""}"#,
            r#"{"command":"click","target":"linkText=   ","value":""}"#,
            r#"{"command":"click","target":"partialLinkText=","value":""}"#,
            r#"{"command":"click","target":"id=","value":""}"#,
            r#"{"command":"type","target":"","value":"Acme"}"#,
            r#"{"command":"click","target":"foo=bar","value":""}"#,
            r#"{"command":"assertChecked","target":"xpath= ","value":""}"#,
            r#"{"command":"sendKeys","target":"name=","value":"abc${KEY_ENTER}"}"#,
            r#"{"command":"assertText","target":"linkText=Home","value":""}"#,
            r#"{"command":"verifyText","target":"css=div.x","value":"  "}"#,
            r#"{"command":"assertTitle","target":"","value":""}"#,
            r#"{"command":"select","target":"name=country","value":"label="}"#,
        ] {
            // A step after it: a runbook of no steps is another matter.
            let (i, yaml) = import(&format!(
                r#"{command}, {{"command":"click","target":"linkText=Next","value":""}}"#
            ));
            assert_eq!(i.draft.steps().count(), 1, "{command}: {yaml}");
            assert!(
                yaml.contains("- click: { link: Next }"),
                "{command}: {yaml}"
            );
            assert_eq!(i.warnings.len(), 1, "{command}: {:?}", i.warnings);
            assert!(yaml.contains("Recorded step 1 ("), "{command}: {yaml}");
        }
        let text = r#"{"name":"p","url":"","tests":[{"name":"t","commands":[
            {"command":"open","target":" ","value":""},
            {"command":"click","target":"linkText=Next","value":""}]}]}"#;
        let i = super::super::import(text, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.draft.steps().count(), 1);
        assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
        // An empty target with a usable alternative, and keys with no target, still work.
        let (i, yaml) = import(
            r#"{"command":"click","target":"linkText=","targets":[["linkText=","linkText"],["css=a.home","css:finder"]],"value":""},
               {"command":"sendKeys","target":"","value":"${KEY_ENTER}"},
               {"command":"assertValue","target":"name=q","value":""}"#,
        );
        assert!(yaml.contains("- click: { css: a.home }"), "{yaml}");
        assert!(yaml.contains("- press: Enter"), "{yaml}");
        assert!(yaml.contains("value: \"\""), "{yaml}");
        assert_eq!(i.draft.steps().count(), 3);
    }

    /// `${accountName}` is the value a `store` gave while the IDE played the test: typed
    /// as recorded it would be the literal text, so each command that reads a variable is
    /// a comment and a warning.
    #[test]
    fn selenium_variables_are_warned_about_and_never_typed_literally() {
        let (i, yaml) = import(
            r#"{"command":"store","target":"Acme Corp","value":"accountName"},
               {"command":"type","target":"linkText=Account Name","value":"${accountName}"},
               {"command":"click","target":"linkText=${accountName}","value":""},
               {"command":"open","target":"${base}/lightning/setup","value":""},
               {"command":"sendKeys","target":"id=search","value":"${KEY_ENTER}"},
               {"command":"assertText","target":"css=h1","value":"Hello ${ who }"}"#,
        );
        assert_eq!(i.warnings.len(), 5, "{:?}", i.warnings);
        for (w, var) in i.warnings[1..]
            .iter()
            .zip(["accountName", "accountName", "base", "who"])
        {
            assert!(
                w.contains(&format!("Selenium IDE variable ${{{var}}}")),
                "{w}"
            );
        }
        assert!(
            i.warnings[1].contains("${account_name}"),
            "{}",
            i.warnings[1]
        );
        assert!(!yaml.contains("$${"), "{yaml}");
        assert_eq!(i.draft.steps().count(), 1, "{yaml}");
        assert!(yaml.contains("- press: Enter"), "{yaml}");
    }
}
