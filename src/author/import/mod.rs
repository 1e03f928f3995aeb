//! `setupwright import`: a browser recording made by another tool, as a runbook. Each
//! format reads its file with serde into [`Op`]s (one per recorded step, with the step's
//! index); [`build`] then writes the draft the same way for both: a combobox click and
//! its option become one `select`, a Quick Find search and the page picked become
//! `setup:`, password values become secret inputs, values typed and met again become
//! inputs, and a group starts where the recording goes to another page.

pub mod recorder;
pub mod resolve;
pub mod selectors;
pub mod side;

use std::collections::HashMap;
use std::fmt;

use super::{Draft, DraftInput, DraftItem, DraftStep, Val};
pub use selectors::{Choice, Target};

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Chrome DevTools' Recorder (the `@puppeteer/replay` JSON schema).
    Recorder,
    /// Selenium IDE's `.side` project.
    Side,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Recorder => "a Chrome DevTools Recorder recording",
            Format::Side => "a Selenium IDE project (.side)",
        }
    }
}

/// A file that cannot be imported: not JSON, not a recording of a known format, or
/// a recording whose shape is wrong. `line`/`col` where serde gives them (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub message: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub help: String,
}

impl ImportError {
    fn from_serde(e: &serde_json::Error, what: &str, help: &str) -> ImportError {
        let msg = e.to_string();
        // serde_json ends its message with " at line L column C"; the location is said apart.
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        ImportError {
            message: format!("{what}: {message}"),
            line: (e.line() > 0).then_some(e.line()),
            col: (e.column() > 0).then_some(e.column()),
            help: help.to_string(),
        }
    }

    /// The message with `file:line:col` first.
    pub fn display(&self, file: &str) -> String {
        let at = match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.to_string(),
        };
        format!("error: {at}: {}\n  help: {}", self.message, self.help)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// What a recording became: the draft, the warnings for stderr (steps kept as comments,
/// CSS left in), and which steps only CSS/XPath or generated ids identify.
#[derive(Debug, Clone)]
pub struct Imported {
    pub format: Format,
    pub draft: Draft,
    pub warnings: Vec<String>,
    /// The recorded steps (1-based indexes) a label could not be found for.
    pub unnamed: Vec<usize>,
    /// The recording's operations.
    pub ops: Vec<Op>,
    /// With [`import_probing`]: the steps written with the recorded CSS or XPath (generated
    /// ids included) for a replay to find their elements by, each with its path in the
    /// runbook (`2.7`), for [`resolve::apply`] to name from what the replay matched.
    pub probes: Vec<resolve::Probe>,
}

/// One recorded step as both formats say it. `index` is the step's 1-based place in the
/// recording (a Recorder step, a Selenium IDE command), `what` its type or command.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub index: usize,
    pub what: String,
    pub kind: OpKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum OpKind {
    /// Go to a URL; `title` is the page's title when the recording says it.
    Goto {
        url: String,
        title: Option<String>,
    },
    Click(Target),
    DoubleClick(Target),
    /// A value set in a field: `fill`, or `select` where the field picks from a list.
    Change(Target, String),
    /// An option picked by its label (Selenium IDE `select label=…`).
    Select(Target, String),
    Check(Target, bool),
    /// A key or chord (`Tab`, `Enter`, `Control+a`) pressed where the focus is.
    Press(String),
    Hover(Target),
    WaitFor {
        target: Target,
        gone: bool,
    },
    /// The element shows this text (or is there, with `None`).
    Expect {
        target: Target,
        text: Option<String>,
    },
    ExpectTitle(String),
    /// The field holds this value (Selenium IDE `assertValue`, `verifyValue`).
    ExpectValue(Target, String),
    /// The checkbox is checked or not (Selenium IDE `assertChecked`, `verifyNotChecked`).
    ExpectChecked(Target, bool),
    Window(WindowTo),
    /// A step with nothing to do in a runbook (a viewport size, a scroll, a frame switch
    /// the engine makes itself): said in a comment on the next step.
    Dropped(String),
    /// A step the runbook language cannot say: kept as a comment and warned about.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum WindowTo {
    New,
    Main,
    Close,
}

/// Reads the format from the content: a Recorder recording is an object with `steps`
/// (each with a `type`); a `.side` project has `tests` of `commands`.
pub fn detect(text: &str) -> Result<Format, ImportError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ImportError::from_serde(
            &e,
            "not JSON, so not a recording `import` reads",
            "give a Chrome DevTools Recorder export (JSON) or a Selenium IDE project (.side)",
        )
    })?;
    if v.get("steps").is_some_and(|s| s.is_array()) {
        return Ok(Format::Recorder);
    }
    if v.get("tests").is_some_and(|t| t.is_array()) {
        return Ok(Format::Side);
    }
    Err(ImportError {
        message: "JSON, but neither a Chrome DevTools Recorder recording (an object with `steps`) nor a Selenium IDE project (an object with `tests`)".into(),
        line: Some(1),
        col: Some(1),
        help: "in Chrome's Recorder use Export > JSON; in Selenium IDE save the project (.side); or force a format with --format recorder|side".into(),
    })
}

/// Imports a recording; `format` forces the format instead of reading it from the content.
pub fn import(text: &str, format: Option<Format>) -> Result<Imported, ImportError> {
    read_and_build(text, format, false)
}

/// [`import`] for a replay that reads labels from the page (`--resolve`): a step only CSS,
/// XPath or generated ids identify is written with that selector, and listed in `probes`.
pub fn import_probing(text: &str, format: Option<Format>) -> Result<Imported, ImportError> {
    read_and_build(text, format, true)
}

fn read_and_build(
    text: &str,
    format: Option<Format>,
    probing: bool,
) -> Result<Imported, ImportError> {
    let format = match format {
        Some(f) => f,
        None => detect(text)?,
    };
    let (title, ops, header) = match format {
        Format::Recorder => recorder::read(text)?,
        Format::Side => side::read(text)?,
    };
    let imported = build(format, title, header, ops, probing);
    if imported.draft.steps().next().is_none() {
        // A runbook has one step at least; what was said of each recorded step is the help.
        let said: Vec<&str> = imported
            .warnings
            .iter()
            .map(|w| {
                let first = w.lines().next().unwrap_or_default();
                first.strip_prefix("warning: ").unwrap_or(first)
            })
            .take(5)
            .collect();
        return Err(ImportError {
            message: format!(
                "nothing to import: none of the recording's {} steps can be a runbook step",
                imported.ops.len()
            ),
            line: None,
            col: None,
            help: if said.is_empty() {
                "record the task again, with at least one click, value or navigation".into()
            } else {
                format!(
                    "{}; run import again with --resolve --url <the org's URL> to name elements only generated ids identify",
                    said.join("; ")
                )
            },
        });
    }
    Ok(imported)
}

/// Step index and type, as every message about a recorded step names it.
pub fn where_(op: &Op) -> String {
    format!("step {} ({})", op.index, op.what)
}

/// A runbook input's name from a field's label: `Contact Email` → `contact_email`.
pub fn input_name(label: &str) -> String {
    let mut out = String::new();
    let mut lower_before = false;
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            // An id written in camel case (`ConsumerSecret`) is words too.
            if c.is_ascii_uppercase() && lower_before {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
        lower_before = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("value_{out}")
    } else {
        out
    }
}

/// Labels of fields whose value is a secret: never a literal in the runbook. The
/// recorder's rule is the same (src/locate/engine/recorder.js: SECRET_NAME).
fn secret_label(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    ["password", "verification code", "secret", "token"]
        .iter()
        .any(|w| l.contains(w))
}

/// The origin (`https://host[:port]`) of an absolute http(s) URL.
fn origin(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&url[..url.len() - rest.len() + end])
}

struct Builder {
    draft: Draft,
    warnings: Vec<String>,
    unnamed: Vec<usize>,
    /// Comments waiting for the next step (dropped steps said there).
    pending: Vec<String>,
    /// The group being filled, if a navigation started one.
    group: Option<(String, Vec<DraftStep>)>,
    /// Secret values seen, with their input's name.
    secrets: Vec<(String, String)>,
    /// Typed values, with the field label they were typed into.
    typed: Vec<(String, String)>,
    /// Write the recorded selector for a replay to resolve, instead of a warning.
    probing: bool,
    probes: Vec<resolve::Probe>,
    /// The probe the next pushed step is: its recorded index, the locator to write if the
    /// replay cannot name it (none: only generated ids identified it), and whether a label
    /// names it already (the replay only reads what the click did).
    next_probe: Option<(usize, Option<Val>, bool)>,
}

impl Builder {
    fn push(&mut self, mut step: DraftStep) {
        if let Some((index, fallback, watch)) = self.next_probe.take() {
            let path = match &self.group {
                Some((_, steps)) => format!("{}.{}", self.draft.items.len() + 1, steps.len() + 1),
                None => format!("{}", self.draft.items.len() + 1),
            };
            self.probes.push(resolve::Probe {
                index,
                path,
                fallback,
                watch,
            });
        }
        let mut comments = std::mem::take(&mut self.pending);
        comments.append(&mut step.comments);
        step.comments = comments;
        match &mut self.group {
            Some((_, steps)) => steps.push(step),
            None => self.draft.items.push(DraftItem::Step(step)),
        }
    }

    fn last_step_mut(&mut self) -> Option<&mut DraftStep> {
        match &mut self.group {
            Some((_, steps)) => steps.last_mut(),
            None => match self.draft.items.last_mut() {
                Some(DraftItem::Step(s)) => Some(s),
                _ => None,
            },
        }
    }

    fn start_group(&mut self, title: String) {
        self.close_group();
        self.group = Some((title, Vec::new()));
    }

    /// Ends the group being filled. What was said since its last step (steps recorded
    /// there and not imported) stays at its end: it belongs to that part of the
    /// recording, not to the next one.
    fn close_group(&mut self) {
        if let Some((title, steps)) = self.group.take() {
            if steps.is_empty() {
                return;
            }
            let trailer = std::mem::take(&mut self.pending);
            self.draft.items.push(DraftItem::Group {
                title,
                steps,
                trailer,
            });
        }
    }

    /// The locator for an op's target, with a comment and a warning when it is CSS or
    /// XPath, or a comment-only step when nothing but generated ids named it.
    fn locate(
        &mut self,
        op: &Op,
        t: &Target,
        bare: &'static str,
        extra: Vec<(&str, Val)>,
    ) -> Result<(Val, Vec<String>), ()> {
        let mut comments = Vec::new();
        if !t.is_usable() {
            self.unsupported(op, &t.why_unusable(), "write the step by hand");
            return Err(());
        }
        if self.probing && !t.is_named() {
            // The replay finds the element by the recorded id where there is one (a
            // generated id holds for this one replay), else by the CSS or XPath kept.
            let mut probe = t.clone();
            probe.choice = match (t.css.first().and_then(|c| c.last()), t.xpath.first()) {
                (Some(c), _) => Choice::Css(c.clone()),
                (None, Some(x)) => Choice::Xpath(x.clone()),
                (None, None) => Choice::Nothing,
            };
            let fallback = t.locator(bare, extra.clone());
            if let Some(v) = probe.locator(bare, extra) {
                self.next_probe = Some((op.index, fallback, false));
                return Ok((v, comments));
            }
            return Err(());
        }
        match &t.choice {
            Choice::Css(_) | Choice::Xpath(_) => {
                self.unnamed.push(op.index);
                self.warnings.push(format!(
                    "warning: {}: only CSS or XPath identifies the element ({}); kept as is\n  help: run import again with --resolve --url <the org's URL> to read its label from the page, or write a label locator by hand",
                    where_(op),
                    match &t.choice {
                        Choice::Css(c) => c.as_str(),
                        Choice::Xpath(x) => x.as_str(),
                        _ => "",
                    }
                ));
                comments.push(format!(
                    "Recorded step {}: only CSS/XPath identified this element; a label locator (field:, button:...) survives a page change better.",
                    op.index
                ));
            }
            Choice::Nothing => {
                self.unnamed.push(op.index);
                self.warnings.push(format!(
                    "warning: {}: only ids the page generated identify the element ({}); they change on every load, so the step is kept as a comment\n  help: run import again with --resolve --url <the org's URL>, or write the step by hand",
                    where_(op),
                    t.raw.join(", ")
                ));
                self.pending.push(format!(
                    "Recorded step {} ({}) not imported: only ids the page generated identify its element; run import with --resolve, or write the step by hand.",
                    op.index,
                    op.what,
                ));
                return Err(());
            }
            _ => {}
        }
        match t.locator(bare, extra) {
            Some(v) => Ok((v, comments)),
            None => Err(()),
        }
    }

    /// A step `action` on `t`'s locator, pushed; nothing when only generated ids name
    /// it (`locate` said so).
    fn locate_and_push(
        &mut self,
        op: &Op,
        t: &Target,
        bare: &'static str,
        extra: Vec<(&str, Val)>,
        action: &str,
    ) {
        if let Ok((v, c)) = self.locate(op, t, bare, extra) {
            let mut s = DraftStep::new(action, v);
            s.comments = c;
            self.push(s);
        }
    }

    fn unsupported(&mut self, op: &Op, why: &str, help: &str) {
        self.warnings.push(format!(
            "warning: {}: {why}; kept as a comment\n  help: {help}",
            where_(op)
        ));
        self.pending.push(format!(
            "Recorded step {} ({}) not imported: {why}.",
            op.index, op.what
        ));
    }

    fn secret_for(&mut self, label: &str, value: &str) -> String {
        if let Some((_, name)) = self.secrets.iter().find(|(v, _)| v == value) {
            return name.clone();
        }
        let mut name = input_name(label);
        if name == "password" {
            name = "login_password".into();
        }
        while self.draft.inputs.iter().any(|i| i.name == name) {
            name.push_str("_2");
        }
        self.draft.inputs.push(DraftInput {
            name: name.clone(),
            secret: true,
            description: Some(format!(
                "Typed into \"{label}\" when the recording was made"
            )),
            ..Default::default()
        });
        self.secrets.push((value.to_string(), name.clone()));
        name
    }
}

/// The draft for a recording's operations.
pub fn build(
    format: Format,
    title: String,
    header: Vec<String>,
    ops: Vec<Op>,
    probing: bool,
) -> Imported {
    let mut b = Builder {
        draft: Draft {
            title: if title.trim().is_empty() {
                "Imported recording".into()
            } else {
                title
            },
            header,
            ..Default::default()
        },
        warnings: Vec::new(),
        unnamed: Vec::new(),
        pending: Vec::new(),
        group: None,
        secrets: Vec::new(),
        typed: Vec::new(),
        probing,
        probes: Vec::new(),
        next_probe: None,
    };
    let mut i = 0;
    while i < ops.len() {
        let op = &ops[i];
        let next = ops.get(i + 1);
        i += 1;
        match &op.kind {
            OpKind::Goto { url, title } => {
                let group = title.clone().unwrap_or_else(|| {
                    // The path names the page; a query (a session id, say) is no title.
                    let path = origin(url).map_or(url.as_str(), |o| &url[o.len()..]);
                    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
                    format!("Open {}", if path.is_empty() { "/" } else { path })
                });
                b.start_group(group);
                b.push(DraftStep::new("goto", Val::lit(url.clone())));
            }
            // A click into a field, then a value typed there: the `fill` says both.
            OpKind::Click(t) if matches!(next, Some(Op { kind: OpKind::Change(n, _), .. }) if n.raw.first() == t.raw.first()) =>
            {
                continue;
            }
            OpKind::Click(t) if t.is_combobox() => {
                // A combobox opened, then one of its options picked: one `select`.
                let option = next.and_then(|n| match &n.kind {
                    OpKind::Click(o) if o.is_option() && o.is_named() => o.name(),
                    _ => None,
                });
                let field = t.name().map(str::to_string);
                match (option, field) {
                    (Some(option), Some(field)) => {
                        i += 1;
                        let step = DraftStep::new(
                            "select",
                            Val::map([("field", Val::lit(field)), ("option", Val::lit(option))]),
                        );
                        b.push(step);
                    }
                    _ => click(&mut b, op, t),
                }
            }
            OpKind::Click(t) if t.is_option() && !t.is_combobox() && !t.is_combobox_item() => {
                // Options clicked, then the button that moves them: a dual listbox's `choose`.
                let mut picked = vec![t.clone()];
                let mut j = i;
                while let Some(Op {
                    kind: OpKind::Click(o),
                    ..
                }) = ops.get(j)
                {
                    if o.is_option() && !o.is_combobox_item() {
                        picked.push(o.clone());
                        j += 1;
                    } else {
                        break;
                    }
                }
                let mover = ops.get(j).and_then(|n| match &n.kind {
                    OpKind::Click(m) => m
                        .name()
                        .and_then(|n| n.strip_prefix("Move selection to "))
                        .map(str::to_string),
                    _ => None,
                });
                match mover {
                    Some(list) if picked.iter().all(Target::is_named) => {
                        i = j + 1;
                        let (field, key) = dual_listbox_move(&list);
                        let mut names: Vec<Val> = picked
                            .iter()
                            .filter_map(|p| p.name().map(Val::lit))
                            .collect();
                        // Options moved one at a time: one `choose` for them all.
                        if let Some(prev) = b.last_step_mut() {
                            if prev.action == "choose"
                                && prev.value.get("field") == Some(&Val::lit(field.clone()))
                            {
                                if let Val::Map(m) = &mut prev.value {
                                    if let Some((_, Val::List(l))) =
                                        m.iter_mut().find(|(k, _)| k == key)
                                    {
                                        l.append(&mut names);
                                        // Only the line saying how it was recorded is
                                        // replaced: what was said before the step stays.
                                        prev.comments.retain(|c| !c.starts_with(RECORDED_AS));
                                        prev.comments.push(format!(
                                            "{RECORDED_AS}{} options and on \"Move selection to {list}\" after each.",
                                            l.len()
                                        ));
                                        continue;
                                    }
                                }
                            }
                        }
                        b.push(
                            DraftStep::new(
                                "choose",
                                Val::map([("field", Val::lit(field)), (key, Val::List(names))]),
                            )
                            .comment(format!(
                                "{RECORDED_AS}{} option(s), then on \"Move selection to {list}\".",
                                picked.len()
                            )),
                        );
                    }
                    _ => click(&mut b, op, t),
                }
            }
            OpKind::Click(t) => click(&mut b, op, t),
            OpKind::DoubleClick(t) => {
                if let Ok((v, mut c)) = b.locate(op, t, "", vec![]) {
                    c.push(format!(
                        "Recorded step {} was a double click; a runbook clicks once.",
                        op.index
                    ));
                    b.warnings.push(format!(
                        "warning: {}: a double click became one click\n  help: if the page needs two (to open a row, say), repeat the step",
                        where_(op)
                    ));
                    let mut s = DraftStep::new("click", v);
                    s.comments = c;
                    b.push(s);
                }
            }
            OpKind::Change(t, value) | OpKind::Select(t, value) => {
                let label = t
                    .name()
                    .map(str::to_string)
                    .or_else(|| t.hint())
                    .unwrap_or_default();
                let quick_find = label.eq_ignore_ascii_case("Quick Find")
                    || label.eq_ignore_ascii_case("Search Setup");
                if quick_find {
                    // Quick Find typed, then the page picked in the tree: `setup:`.
                    let picked = next.and_then(|n| match &n.kind {
                        OpKind::Click(p) if p.may_be_a_setup_page() => p.name().map(str::to_string),
                        _ => None,
                    });
                    if let Some(page) = picked {
                        i += 1;
                        b.start_group(page.clone());
                        // What was typed names the section, unless it was the page's own name.
                        let by_page = page.to_lowercase().contains(&value.trim().to_lowercase());
                        let v = if by_page {
                            Val::lit(page.clone())
                        } else {
                            Val::map([
                                ("section", Val::lit(value.clone())),
                                ("page", Val::lit(page.clone())),
                            ])
                        };
                        b.push(
                            DraftStep::new("setup", v)
                                .named(format!("In Quick Find, enter {value}, then select {page}")),
                        );
                        continue;
                    }
                }
                let as_select =
                    matches!(op.kind, OpKind::Select(..)) || t.is_select() || t.is_combobox();
                if as_select {
                    if let Ok((v, c)) =
                        b.locate(op, t, "field", vec![("option", Val::lit(value.clone()))])
                    {
                        let mut s = DraftStep::new("select", v);
                        s.comments = c;
                        if matches!(op.kind, OpKind::Change(..)) {
                            s.comments.push(format!(
                                "Recorded step {} set the list's value; check \"{value}\" is the option's label as the page shows it.",
                                op.index
                            ));
                        }
                        b.push(s);
                    }
                    continue;
                }
                let secret = t.password || secret_label(&label);
                let with = if secret {
                    let name =
                        b.secret_for(if label.is_empty() { "password" } else { &label }, value);
                    Val::Template(format!("${{{name}}}"))
                } else {
                    b.typed.push((value.clone(), label.clone()));
                    Val::lit(value.clone())
                };
                b.locate_and_push(op, t, "field", vec![("with", with)], "fill")
            }
            OpKind::Check(t, on) => {
                let action = if *on { "check" } else { "uncheck" };
                b.locate_and_push(op, t, "", vec![], action)
            }
            OpKind::Press(key) => b.push(DraftStep::new("press", Val::lit(key.clone()))),
            OpKind::Hover(t) => b.locate_and_push(op, t, "", vec![], "hover"),
            OpKind::WaitFor { target, gone } => {
                let extra = if *gone {
                    vec![("gone", Val::Bool(true))]
                } else {
                    vec![]
                };
                b.locate_and_push(op, target, "text", extra, "wait_for")
            }
            OpKind::Expect { target, text } => {
                // An empty text checks nothing the element's presence does not.
                let text = text.as_ref().filter(|t| !t.trim().is_empty());
                if !b.probing && matches!(target.choice, Choice::Nothing) {
                    // Only generated ids name the element: the text alone can be checked,
                    // anywhere on the page, and is said to be.
                    match text {
                        Some(t) => {
                            b.warnings.push(format!(
                                "warning: {}: only ids the page generated identify the element, so its text is checked anywhere on the page\n  help: run import again with --resolve --url <the org's URL>, or name the element by hand",
                                where_(op)
                            ));
                            b.push(DraftStep::new("expect", Val::pair("text", t.clone())).comment(format!(
                                "Recorded step {} checked this text in an element only generated ids identify; this checks the page shows it.",
                                op.index
                            )));
                        }
                        None => b.unsupported(
                            op,
                            "only ids the page generated identify what it checks",
                            "run import again with --resolve --url <the org's URL>, or write an `expect` by hand",
                        ),
                    }
                    continue;
                }
                let extra = match text {
                    Some(t) => vec![("contains", Val::lit(t.clone()))],
                    None => vec![],
                };
                match b.locate(op, target, "text", extra) {
                    Ok((v, c)) => {
                        let mut s = DraftStep::new("expect", v);
                        s.comments = c;
                        b.push(s);
                    }
                    Err(()) => match text {
                        Some(t) => b.push(DraftStep::new("expect", Val::pair("text", t.clone())).comment(format!(
                            "Recorded step {} checked this text in an element nothing here names; this checks the page shows it.",
                            op.index
                        ))),
                        None => b.unsupported(
                            op,
                            "no label, text or stable selector names what it checks",
                            "write an `expect` by hand",
                        ),
                    },
                }
            }
            OpKind::ExpectValue(t, value) => b.locate_and_push(
                op,
                t,
                "field",
                vec![("value", Val::lit(value.clone()))],
                "expect",
            ),
            OpKind::ExpectChecked(t, on) => {
                b.locate_and_push(op, t, "field", vec![("checked", Val::Bool(*on))], "expect")
            }
            OpKind::ExpectTitle(t) => {
                b.push(DraftStep::new("expect", Val::pair("title", t.clone())))
            }
            OpKind::Window(w) => {
                let v = match w {
                    WindowTo::New => "new",
                    WindowTo::Main => "main",
                    WindowTo::Close => "close",
                };
                b.push(DraftStep::new("window", Val::lit(v)));
            }
            OpKind::Dropped(why) => b.pending.push(why.clone()),
            OpKind::Unsupported(why) => {
                let (why, help) = why
                    .split_once('|')
                    .unwrap_or((why, "write the step by hand"));
                b.unsupported(op, why, help);
            }
        }
    }
    b.close_group();
    if !b.pending.is_empty() {
        // Comments with no step after them go under the title.
        let rest = std::mem::take(&mut b.pending);
        b.draft.header.extend(rest);
    }
    url_secrets(&mut b, &ops);
    // Secrets first: a secret typed again into a field no label marks (a "Confirm") is
    // the secret input there, never a value kept as another input's default.
    scrub_values(&mut b);
    inputs_from_values(&mut b);
    scrub_texts(&mut b);
    Imported {
        format,
        draft: b.draft,
        warnings: b.warnings,
        unnamed: b.unnamed,
        ops,
        probes: b.probes,
    }
}

/// How a `choose` step's comment begins: the line a later move in the same list rewrites.
const RECORDED_AS: &str = "Recorded as clicks on ";

/// What a comment says of a click on a checkbox, which `--resolve` may make `check:`.
const TURNS_OVER: &str = "clicked a checkbox: a click turns it over";

fn click(b: &mut Builder, op: &Op, t: &Target) {
    if b.probing && t.is_named() && t.may_turn_or_pick() {
        // Named already, but only the page says whether the click turned a checkbox (and
        // how it left it) or opened a list: the replay reads it back.
        b.next_probe = Some((op.index, t.locator("", vec![]), true));
    }
    if let Ok((v, mut c)) = b.locate(op, t, "", vec![]) {
        if t.is_checkbox() {
            c.push(format!(
                "Recorded step {} {TURNS_OVER}. Write `check:` or `uncheck:` for a runbook that can run twice.",
                op.index
            ));
        }
        let mut s = DraftStep::new("click", v);
        s.comments = c;
        b.push(s);
    }
}

/// What a dual listbox's "Move selection to LIST" button does: the field it belongs to,
/// and whether it adds options to the chosen list or removes them. The button to the
/// source list is named after it, and Salesforce calls a source list "Available …"; the
/// other list's name varies (Selected, Chosen, Visible, Enabled …).
pub(super) fn dual_listbox_move(list: &str) -> (String, &'static str) {
    // "Selected OAuth Scopes" and "Available OAuth Scopes" are the lists of "OAuth Scopes".
    let field = list
        .strip_prefix("Selected ")
        .or_else(|| list.strip_prefix("Available "))
        .unwrap_or(list)
        .to_string();
    let key = if list.starts_with("Available") {
        "remove"
    } else {
        "add"
    };
    (field, key)
}

/// Values met again become inputs: the origin of the URLs the recording went to (the
/// org's My Domain, so the runbook runs on another org), and values typed into a field
/// that the recording uses again (a name typed, then clicked as a link).
fn inputs_from_values(b: &mut Builder) {
    let mut origins: Vec<String> = Vec::new();
    for s in b.draft.steps() {
        if s.action == "goto" {
            if let Val::Lit(u) | Val::Template(u) = &s.value {
                // A secret in the user part stays where it is (see `url_secrets`).
                if let Some(o) = origin(u).filter(|o| !o.contains('@') && !o.contains('$')) {
                    if !origins.iter().any(|x| x == o) {
                        origins.push(o.to_string());
                    }
                }
            }
        }
    }
    for (n, o) in origins.iter().enumerate() {
        let name = match n {
            0 if o.contains(".salesforce.com") || o.contains(".force.com") => {
                "my_domain_url".to_string()
            }
            0 => "base_url".to_string(),
            n => format!("base_url_{}", n + 1),
        };
        let mut used = false;
        for s in b.draft.steps_mut() {
            let mut vals: Vec<&mut Val> = s.value.texts_mut();
            for (_, v) in s.extra.iter_mut() {
                vals.extend(v.texts_mut());
            }
            for v in vals {
                let rest = match &*v {
                    Val::Lit(text) if text.starts_with(o.as_str()) => {
                        escape_template(&text[o.len()..])
                    }
                    // A URL a secret was taken out of: its rest is template text already.
                    Val::Template(text) if text.starts_with(o.as_str()) => {
                        text[o.len()..].to_string()
                    }
                    _ => continue,
                };
                *v = Val::Template(format!("${{{name}}}{rest}"));
                used = true;
            }
        }
        if used {
            b.draft.inputs.insert(
                n.min(b.draft.inputs.len()),
                DraftInput {
                    name,
                    example: Some(o.clone()),
                    description: Some(
                        "Where the recording was made; give the org's own URL (no trailing slash)"
                            .into(),
                    ),
                    ..Default::default()
                },
            );
        }
    }
    // A typed value met in two steps or more; never in a key's or a window's name, which
    // a template would not be (`press: "${key}"` names no key).
    let typed = std::mem::take(&mut b.typed);
    // Counted in one pass and replaced in another: a recording of thousands of values
    // is read in linear time.
    let mut count: HashMap<String, usize> = HashMap::new();
    for s in b.draft.steps_mut().filter(|s| takes_inputs(s)) {
        for v in step_literals(s) {
            if let Val::Lit(t) = v {
                *count.entry(t.clone()).or_default() += 1;
            }
        }
    }
    let mut named: HashMap<String, String> = HashMap::new();
    for (value, label) in &typed {
        if value.trim().is_empty() || named.contains_key(value) || count.get(value) < Some(&2) {
            continue;
        }
        let mut name = input_name(if label.is_empty() { "value" } else { label });
        while b.draft.inputs.iter().any(|i| i.name == name) {
            name.push_str("_2");
        }
        named.insert(value.clone(), name.clone());
        // The recorded value is its default: the runbook replays as recorded, and one
        // `-i` changes the name everywhere it was used. (The org's URL is no default: a
        // run must say which org it acts on.)
        b.draft.inputs.push(DraftInput {
            name,
            default: Some(value.clone()),
            description: Some(format!(
                "Typed into \"{label}\" and used again in the recording"
            )),
            ..Default::default()
        });
    }
    if named.is_empty() {
        return;
    }
    for s in b.draft.steps_mut().filter(|s| takes_inputs(s)) {
        for v in step_literals(s) {
            let name = match &*v {
                Val::Lit(t) => named.get(t),
                _ => None,
            };
            if let Some(name) = name {
                *v = Val::Template(format!("${{{name}}}"));
            }
        }
    }
}

/// A step's literal texts, its value's and its other keys'.
fn step_literals(s: &mut DraftStep) -> Vec<&mut Val> {
    let mut vals: Vec<&mut Val> = s.value.literals_mut();
    for (_, v) in s.extra.iter_mut() {
        vals.extend(v.literals_mut());
    }
    vals
}

/// A literal's text inside a template: `${` written `$${`.
fn escape_template(s: &str) -> String {
    s.replace("${", "$${")
}

/// Whether a step's texts may become templates: a key's or a window's name may not.
fn takes_inputs(s: &DraftStep) -> bool {
    !matches!(s.action.as_str(), "press" | "window")
}

/// Query parameters whose value is a credential: a URL the recording went to with one
/// (Salesforce's `frontdoor.jsp?sid=`, an OAuth redirect with a token) keeps it in a
/// secret input, never in the runbook.
const SECRET_PARAMS: &[&str] = &[
    "sid",
    "sessionid",
    "session_id",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "password",
    "passwd",
    "pwd",
    "pw",
    "secret",
    "client_secret",
];

/// Registers as secrets the credentials in the URLs the recording went to: a password in
/// the URL's user part, and the values of [`SECRET_PARAMS`] in its query or fragment.
fn url_secrets(b: &mut Builder, ops: &[Op]) {
    for op in ops {
        let OpKind::Goto { url, .. } = &op.kind else {
            continue;
        };
        let Ok(parsed) = url::Url::parse(url) else {
            continue;
        };
        let mut found: Vec<(String, String)> = Vec::new();
        if let Some(pw) = parsed.password() {
            found.push(("url_password".into(), pw.to_string()));
        }
        let fragment = parsed.fragment().unwrap_or_default();
        for part in [parsed.query().unwrap_or_default(), fragment] {
            for pair in part.split('&') {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                if !v.is_empty() && SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(k)) {
                    let name = if k.eq_ignore_ascii_case("sid") {
                        "session_id".to_string()
                    } else {
                        input_name(k)
                    };
                    found.push((name, v.to_string()));
                }
            }
        }
        for (name, value) in found {
            if b.secrets.iter().any(|(v, _)| *v == value) {
                continue;
            }
            let mut name = name;
            while b.draft.inputs.iter().any(|i| i.name == name) {
                name.push_str("_2");
            }
            b.warnings.push(format!(
                "warning: {}: the URL carries a credential; it became the secret input `{name}`\n  help: give it at run time as other secrets are given; a session id expires, so a runbook is better started with `login`",
                where_(op)
            ));
            b.draft.inputs.push(DraftInput {
                name: name.clone(),
                secret: true,
                description: Some("In a URL the recording went to".into()),
                ..Default::default()
            });
            b.secrets.push((value, name));
        }
    }
}

/// Where `secret` shows in `text`: everywhere when it is long enough to be told apart,
/// else only as a word of its own (a one-letter password is no secret inside "Record").
fn secret_at(text: &str, secret: &str) -> Vec<usize> {
    if secret.trim().is_empty() {
        return Vec::new();
    }
    let short = secret.chars().count() < 6;
    text.match_indices(secret)
        .map(|(at, _)| at)
        .filter(|&at| {
            !short
                || (!text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                    && !text[at + secret.len()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric))
        })
        .collect()
}

/// `text` with each place of `secret` ([`secret_at`]) replaced by `with`, its other
/// parts passed through `other`; `None` where it shows nowhere.
fn replace_secret(
    text: &str,
    secret: &str,
    with: &str,
    other: impl Fn(&str) -> String,
) -> Option<String> {
    let at = secret_at(text, secret);
    if at.is_empty() {
        return None;
    }
    let mut out = String::new();
    let mut from = 0;
    for a in at {
        out.push_str(&other(&text[from..a]));
        out.push_str(with);
        from = a + secret.len();
    }
    out.push_str(&other(&text[from..]));
    Some(out)
}

/// A secret value appears in no step: a text that holds one becomes a template naming
/// its input (the same text at run time).
fn scrub_values(b: &mut Builder) {
    let secrets = b.secrets.clone();
    for s in b.draft.steps_mut() {
        let mut vals: Vec<&mut Val> = s.value.texts_mut();
        for (_, v) in s.extra.iter_mut() {
            vals.extend(v.texts_mut());
        }
        for v in vals {
            for (sv, name) in &secrets {
                let with = format!("${{{name}}}");
                let next = match &*v {
                    Val::Lit(t) => replace_secret(t, sv, &with, escape_template),
                    Val::Template(t) => {
                        replace_secret(t, &escape_template(sv), &with, str::to_string)
                    }
                    _ => None,
                };
                if let Some(t) = next {
                    *v = Val::Template(t);
                }
            }
        }
    }
}

/// A secret value appears in no comment, title, warning or input's text.
fn scrub_texts(b: &mut Builder) {
    let secrets = b.secrets.clone();
    let hide = |t: &mut String| {
        for (sv, _) in &secrets {
            if let Some(h) = replace_secret(t, sv, "***", str::to_string) {
                *t = h;
            }
        }
    };
    let hide_step = |s: &mut DraftStep| {
        s.comments.iter_mut().chain(s.name.as_mut()).for_each(hide);
    };
    for item in b.draft.items.iter_mut() {
        match item {
            DraftItem::Step(s) => hide_step(s),
            DraftItem::Group {
                title,
                steps,
                trailer,
            } => {
                hide(title);
                steps.iter_mut().for_each(hide_step);
                trailer.iter_mut().for_each(hide);
            }
        }
    }
    for w in b.warnings.iter_mut().chain(b.draft.header.iter_mut()) {
        hide(w);
    }
    hide(&mut b.draft.title);
    for i in b.draft.inputs.iter_mut() {
        for t in [&mut i.default, &mut i.example, &mut i.description]
            .into_iter()
            .flatten()
        {
            hide(t);
        }
    }
}

#[cfg(test)]
mod tests;
