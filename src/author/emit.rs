//! A [`Draft`] as a runbook's text, in the seed runbook's style: short values in flow
//! style on the step's line (`- fill: { field: Name, with: "${app_name}" }`), long ones in
//! block style, text plain where YAML reads it back unchanged and double-quoted otherwise.

use std::fmt::Write as _;
use std::path::Path;

use super::draft::{Draft, DraftInput, DraftItem, DraftStep, Val};
use crate::runbook::parse::MAX_STEPS;
use crate::runbook::source::MAX_BYTES;
use crate::runbook::template::MAX_RENDERED;
use crate::runbook::{self, RunbookErrors};

/// A line longer than this is written in block style.
const WIDTH: usize = 100;

/// The runbook's text.
pub fn emit(d: &Draft) -> String {
    let mut out = String::new();
    let title = one_line(&d.title);
    let _ = writeln!(out, "# {title}");
    for line in &d.header {
        comment(&mut out, "", line);
    }
    let _ = writeln!(out, "runbook: {}", scalar(&Val::Lit(title.clone())));
    if !d.inputs.is_empty() {
        out.push_str("inputs:\n");
        for i in &d.inputs {
            input(&mut out, i);
        }
    }
    out.push_str("\nsteps:\n");
    if d.items.is_empty() {
        out.truncate(out.len() - 1);
        out.push_str(" []\n");
    }
    for (n, item) in d.items.iter().enumerate() {
        match item {
            DraftItem::Step(s) => step(&mut out, "  ", s),
            DraftItem::Group {
                title,
                steps,
                trailer,
            } => {
                if n > 0 {
                    out.push('\n');
                }
                let _ = writeln!(out, "  - group: {}", scalar(&Val::Lit(one_line(title))));
                out.push_str("    steps:\n");
                for s in steps {
                    step(&mut out, "      ", s);
                }
                for c in trailer {
                    comment(&mut out, "      ", c);
                }
                if steps.is_empty() {
                    out.truncate(out.len() - 1);
                    out.push_str(" []\n");
                }
            }
        }
    }
    out
}

/// Why [`emit_checked`] gave no runbook.
#[derive(Debug, Clone)]
pub enum Unwritable {
    /// The runbook would pass bounds `check` sets on every runbook: the recording is too
    /// long for one runbook, nothing is wrong with it.
    TooLarge(Vec<Over>),
    /// The text does not read back as a valid runbook: a bug in what wrote the draft.
    Invalid(RunbookErrors),
}

/// A bound `check` sets, passed: the runbook's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// Bytes of text, more than `source::MAX_BYTES`.
    Bytes(usize),
    /// Steps, groups counted, more than `parse::MAX_STEPS`.
    Steps(usize),
    /// Bytes of the longest value, more than `template::MAX_RENDERED`.
    Value(usize),
}

impl std::fmt::Display for Over {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kib = |n: usize| n.div_ceil(1024);
        match *self {
            Over::Bytes(n) => write!(
                f,
                "{} KiB of text, more than the {} KiB `check` reads",
                kib(n),
                MAX_BYTES / 1024
            ),
            Over::Steps(n) => write!(
                f,
                "{n} steps (groups counted), more than the {MAX_STEPS} `check` reads"
            ),
            Over::Value(n) => write!(
                f,
                "a value of {} KiB, more than the {} KiB `check` reads in one value",
                kib(n),
                MAX_RENDERED / 1024
            ),
        }
    }
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unwritable::TooLarge(over) => {
                let said: Vec<String> = over.iter().map(Over::to_string).collect();
                write!(f, "the runbook would hold {}", said.join(", and "))
            }
            Unwritable::Invalid(e) => write!(f, "{e}"),
        }
    }
}

/// [`emit`], then read back as `check` reads a runbook: what the importers and the
/// recorder hand out always passes `check`, or is refused here. `path` names the file in
/// errors.
pub fn emit_checked(d: &Draft, path: &Path) -> Result<String, Unwritable> {
    let text = emit(d);
    let over = over_bounds(d, &text);
    if !over.is_empty() {
        return Err(Unwritable::TooLarge(over));
    }
    let rb = runbook::load_source(path, &text, Vec::new()).map_err(Unwritable::Invalid)?;
    let errors = runbook::validate::validate(&rb);
    if errors.is_empty() {
        Ok(text)
    } else {
        Err(Unwritable::Invalid(RunbookErrors(errors)))
    }
}

/// The bounds `check` sets that `text`, written from `d`, passes. `load_source` reads
/// text of any size, and its own step-count error would blame includes, so the bounds
/// are looked at here first.
fn over_bounds(d: &Draft, text: &str) -> Vec<Over> {
    let mut over = Vec::new();
    if text.len() as u64 > MAX_BYTES {
        over.push(Over::Bytes(text.len()));
    }
    // The parser counts a group as a step, as well as the steps in it.
    let steps: usize = d
        .items
        .iter()
        .map(|i| match i {
            DraftItem::Step(_) => 1,
            DraftItem::Group { steps, .. } => 1 + steps.len(),
        })
        .sum();
    if steps > MAX_STEPS {
        over.push(Over::Steps(steps));
    }
    let longest = d
        .steps()
        .flat_map(|s| std::iter::once(&s.value).chain(s.extra.iter().map(|(_, v)| v)))
        .map(longest_text)
        .chain(d.inputs.iter().flat_map(|i| {
            [&i.default, &i.example, &i.description]
                .into_iter()
                .flatten()
                .map(String::len)
        }))
        .max()
        .unwrap_or(0);
    if longest > MAX_RENDERED {
        over.push(Over::Value(longest));
    }
    over
}

fn longest_text(v: &Val) -> usize {
    match v {
        Val::Lit(s) | Val::Template(s) => s.len(),
        Val::List(items) => items.iter().map(longest_text).max().unwrap_or(0),
        Val::Map(m) => m.iter().map(|(_, v)| longest_text(v)).max().unwrap_or(0),
        Val::Bool(_) | Val::Int(_) => 0,
    }
}

fn input(out: &mut String, i: &DraftInput) {
    let mut m = Vec::new();
    if i.secret {
        m.push(("secret".to_string(), Val::Bool(true)));
    } else {
        if let Some(d) = &i.default {
            m.push(("default".to_string(), Val::Lit(d.clone())));
        }
        if let Some(e) = &i.example {
            m.push(("example".to_string(), Val::Lit(e.clone())));
        }
    }
    if let Some(d) = &i.description {
        m.push(("description".to_string(), Val::Lit(d.clone())));
    }
    let _ = write!(out, "  {}:", key(&i.name));
    if m.is_empty() {
        out.push_str(" {}\n");
    } else {
        value(out, 4, &Val::Map(m));
    }
}

fn step(out: &mut String, indent: &str, s: &DraftStep) {
    for c in &s.comments {
        comment(out, indent, c);
    }
    let mut first = true;
    let mut line = |out: &mut String, k: &str, v: &Val| {
        let lead = if first { "- " } else { "  " };
        first = false;
        let _ = write!(out, "{indent}{lead}{}:", key(k));
        value(out, indent.len() + 4, v);
    };
    if let Some(n) = &s.name {
        line(out, "name", &Val::Lit(one_line(n)));
    }
    line(out, &s.action, &s.value);
    for (k, v) in &s.extra {
        line(out, k, v);
    }
}

/// Writes ` value` after `key:` on the current line, or the value in block style under
/// it at `indent` when it does not fit.
fn value(out: &mut String, indent: usize, v: &Val) {
    let inline = flow(v);
    let here = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
    if !matches!(v, Val::Map(_) | Val::List(_)) || here + 1 + inline.len() <= WIDTH {
        let _ = writeln!(out, " {inline}");
        return;
    }
    out.push('\n');
    block(out, indent, v);
}

fn block(out: &mut String, indent: usize, v: &Val) {
    let pad = " ".repeat(indent);
    match v {
        Val::Map(m) => {
            for (k, item) in m {
                let _ = write!(out, "{pad}{}:", key(k));
                value(out, indent + 2, item);
            }
        }
        Val::List(items) => {
            for item in items {
                let _ = write!(out, "{pad}-");
                match item {
                    Val::Map(_) | Val::List(_)
                        if indent + 2 + flow(item).len() > WIDTH && !is_empty(item) =>
                    {
                        // The item's first entry on the dash's line, the rest under it.
                        let mut inner = String::new();
                        block(&mut inner, indent + 2, item);
                        out.push(' ');
                        out.push_str(inner.trim_start());
                    }
                    _ => {
                        let _ = writeln!(out, " {}", flow(item));
                    }
                }
            }
        }
        _ => {
            let _ = writeln!(out, "{pad}{}", flow(v));
        }
    }
}

fn is_empty(v: &Val) -> bool {
    matches!(v, Val::Map(m) if m.is_empty()) || matches!(v, Val::List(l) if l.is_empty())
}

fn flow(v: &Val) -> String {
    match v {
        Val::Map(m) if m.is_empty() => "{}".into(),
        Val::List(l) if l.is_empty() => "[]".into(),
        Val::Map(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", key(k), flow(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Val::List(l) => {
            let parts: Vec<String> = l.iter().map(flow).collect();
            format!("[ {} ]", parts.join(", "))
        }
        other => scalar(other),
    }
}

fn key(k: &str) -> String {
    scalar(&Val::Lit(k.to_string()))
}

fn scalar(v: &Val) -> String {
    match v {
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Lit(s) => {
            let escaped = s.replace("${", "$${");
            if plain_is_safe(&escaped) {
                escaped
            } else {
                quoted(&escaped)
            }
        }
        Val::Template(t) => quoted(t),
        Val::Map(_) | Val::List(_) => flow(v),
    }
}

/// A JSON string is a YAML double-quoted scalar: every escape JSON writes, YAML reads.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Whether `s` written plain reads back as the same string, in block and flow context.
fn plain_is_safe(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !s.ends_with(' ')
        && !s.contains("  ")
        && !WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')' | '/' | '+' | '\'')
        })
}

fn comment(out: &mut String, indent: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    let text = text.replace("\r\n", "\n");
    let mut lines: Vec<&str> = text.split(is_break).collect();
    if lines.len() > 1 && lines.last() == Some(&"") {
        lines.pop();
    }
    for line in lines {
        let line = visible(line.trim_end());
        if line.is_empty() {
            let _ = writeln!(out, "{indent}#");
        } else {
            let _ = writeln!(out, "{indent}# {line}");
        }
    }
}

/// What a YAML reader may take for a line break: YAML 1.2 has only LF and CR, but 1.1
/// also NEL, LS and PS, and a comment must end where any reader thinks it does, or the
/// recorded text after the break is read as steps.
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// A character YAML refuses raw (a NUL ends yaml-rust2's stream mid-file), or that a
/// terminal showing the runbook would act on: C0 and C1 controls but tab, DEL, the
/// byte-order mark and the two non-characters.
fn is_hidden(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// `s` with every [`is_hidden`] character and line break written as an escape (`\x00`,
/// `\u{2028}`), as `printable` shows them on a terminal: a comment or a title says what
/// was recorded without carrying it raw.
fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| is_hidden(c) || is_break(c)) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if (is_hidden(c) || is_break(c)) && c.is_ascii() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_hidden(c) || is_break(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// Titles and names are one line: a line break in a recording's title would end the
/// comment it heads; the other hidden characters are shown escaped.
fn one_line(s: &str) -> String {
    let joined = if s.contains(is_break) {
        s.split(is_break)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s.to_string()
    };
    visible(&joined).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{Action, StepKind};

    fn draft(steps: Vec<DraftStep>) -> Draft {
        Draft {
            title: "Imported".into(),
            header: vec!["From a recording.".into()],
            inputs: vec![
                DraftInput {
                    name: "app_name".into(),
                    example: Some("My App".into()),
                    ..Default::default()
                },
                DraftInput {
                    name: "login_password".into(),
                    secret: true,
                    // A secret's recorded value must never be written out.
                    example: Some("hunter2".into()),
                    default: Some("hunter2".into()),
                    ..Default::default()
                },
            ],
            items: vec![DraftItem::Group {
                title: "Create the app".into(),
                steps,
                trailer: Vec::new(),
            }],
        }
    }

    #[test]
    fn what_is_written_reads_back_as_the_same_steps() {
        let tricky = [
            "Plain Name",
            "yes",
            "No",
            "12",
            "-1",
            "a: b",
            "a #b",
            "{x}",
            "[y]",
            "it's",
            "'quoted'",
            "\"dq\"",
            "tab\there",
            "new\nline",
            "cost ${price}",
            "trailing ",
            " leading",
            "ünïcödé Ñame",
            "",
            "*star",
            "&amp",
            "!bang",
            "%pct",
            "@at",
            "`tick",
            "a,b",
            "|pipe",
            ">gt",
            "?q",
            "https://acme.my.salesforce.com/x?y=1#z",
        ];
        let steps = tricky
            .iter()
            .map(|t| {
                // (A field's name must not be empty: `check` says so.)
                let field = format!("Field {t}");
                DraftStep::new(
                    "fill",
                    Val::map([("field", Val::lit(field)), ("with", Val::lit(*t))]),
                )
            })
            .collect();
        let text = emit_checked(&draft(steps), Path::new("imported.yaml"))
            .unwrap_or_else(|e| panic!("{e}\n"));
        assert!(!text.contains("hunter2"), "{text}");
        let rb = runbook::load_source(Path::new("x.yaml"), &text, Vec::new()).expect("parses");
        let StepKind::Group { steps, .. } = &rb.steps[0].kind else {
            panic!("a group")
        };
        for (s, want) in steps.iter().zip(tricky) {
            let StepKind::Action(Action::Fill(f)) = &s.kind else {
                panic!("a fill")
            };
            let vars = crate::vars::Vars::default();
            let with = vars.render(&f.value);
            assert_eq!(with.as_deref().ok(), Some(want), "{text}");
        }
    }

    #[test]
    fn long_values_go_to_block_style_and_templates_stay_templates() {
        let scopes: Vec<Val> = (0..4)
            .map(|i| {
                Val::lit(format!(
                    "A rather long OAuth scope name number {i} (scope_{i})"
                ))
            })
            .collect();
        let steps = vec![
            DraftStep::new(
                "choose",
                Val::map([
                    ("field", Val::lit("OAuth Scopes")),
                    ("add", Val::List(scopes)),
                ]),
            )
            .named("Pick the scopes")
            .comment("Recorded as four clicks on the listbox."),
            DraftStep::new(
                "fill",
                Val::map([
                    ("field", Val::lit("Name")),
                    ("with", Val::Template("${app_name}".into())),
                ]),
            ),
        ];
        let text =
            emit_checked(&draft(steps), Path::new("x.yaml")).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            text.contains("      - name: Pick the scopes\n        choose:\n"),
            "{text}"
        );
        assert!(text.contains("      # Recorded as four clicks"), "{text}");
        assert!(text.contains("with: \"${app_name}\""), "{text}");
        assert!(text.lines().all(|l| l.len() <= WIDTH + 20), "{text}");
    }

    #[test]
    fn a_draft_past_checks_bounds_is_refused_as_too_large_not_as_invalid() {
        let click = || DraftStep::new("click", Val::pair("button", "S"));
        let too_many = draft((0..MAX_STEPS).map(|_| click()).collect());
        let e = emit_checked(&too_many, Path::new("x.yaml")).unwrap_err();
        let said = e.to_string();
        assert!(
            said.contains("20001 steps (groups counted), more than the 20000 `check` reads"),
            "{said}"
        );
        assert!(!said.contains("KiB"), "{said}");
        // Under the step bound, but the comments make the text longer than `check` reads.
        let said_much = (0..4000)
            .map(|_| click().comment("a comment of three hundred bytes ".repeat(9)))
            .collect();
        let e = emit_checked(&draft(said_much), Path::new("x.yaml")).unwrap_err();
        let said = e.to_string();
        assert!(
            said.contains("KiB of text, more than the 1024 KiB `check` reads"),
            "{said}"
        );
        let long = DraftStep::new(
            "fill",
            Val::map([
                ("field", Val::lit("F")),
                ("with", Val::lit("a".repeat(MAX_RENDERED + 1))),
            ]),
        );
        let e = emit_checked(&draft(vec![long]), Path::new("x.yaml")).unwrap_err();
        let said = e.to_string();
        assert!(
            said.contains("a value of 1025 KiB, more than the 1024 KiB `check` reads in one value"),
            "{said}"
        );
        assert!(said.starts_with("the runbook would hold "), "{said}");
    }

    /// Every character YAML may read as a line break (YAML 1.1's NEL, LS and PS too) and
    /// every one it refuses raw or a terminal acts on (C0 and C1 controls, DEL, the
    /// byte-order mark, U+FFFE/FFFF); tab among them, the one that may stay.
    fn hostile_chars() -> Vec<char> {
        let mut cs: Vec<char> = ('\0'..='\u{1f}').collect();
        cs.extend('\u{7f}'..='\u{9f}');
        cs.extend(['\u{2028}', '\u{2029}', '\u{feff}', '\u{fffe}', '\u{ffff}']);
        cs
    }

    /// Text after a line break that would be a live step, or break the file, were it
    /// read as YAML instead of as the rest of a comment.
    fn payloads(c: char) -> Vec<String> {
        vec![
            format!("x{c}      - click: {{ button: Delete All }}{c}      #"),
            format!("x{c}  - click: Delete All"),
            format!("x{c}- click: Delete All"),
            format!("x{c}\n      - click: Delete All"),
            format!("x{c}steps: [ {{ click: Delete All }} ]"),
            format!("a{c}b"),
        ]
    }

    fn hostile_draft(c: char, title: &str, name: &str) -> Draft {
        let mut step = DraftStep::new("click", Val::pair("button", "Save")).named(name);
        step.comments = payloads(c);
        let mut d = draft(vec![step]);
        d.title = title.into();
        d.header = payloads(c);
        d.items.push(DraftItem::Group {
            title: title.into(),
            steps: vec![DraftStep::new("click", Val::pair("button", "OK"))],
            trailer: payloads(c),
        });
        d
    }

    #[test]
    fn no_text_in_a_comment_or_a_title_ends_it_or_reaches_the_file_raw() {
        let baseline = emit(&hostile_draft(' ', "T", "N"));
        let code = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .map(String::from)
                .collect()
        };
        for c in hostile_chars() {
            // Comments alone: what the parser reads is what it read without them.
            let d = hostile_draft(c, "T", "N");
            let text = emit_checked(&d, Path::new("x.yaml"))
                .unwrap_or_else(|e| panic!("U+{:04X}: {e}\n{text}", c as u32, text = emit(&d)));
            assert_eq!(code(&text), code(&baseline), "U+{:04X}:\n{text}", c as u32);
            let rb = runbook::load_source(Path::new("x.yaml"), &text, Vec::new()).expect("parses");
            assert!(
                !format!("{:?}", rb.steps).contains("Delete"),
                "U+{:04X}",
                c as u32
            );
            // Titles and names too: one line, and no character a terminal acts on.
            let title = format!("a{c}b{c}      - click: Delete All");
            let d = hostile_draft(c, &title, &title);
            let text = emit_checked(&d, Path::new("x.yaml"))
                .unwrap_or_else(|e| panic!("U+{:04X}: {e}\n{text}", c as u32, text = emit(&d)));
            let rb = runbook::load_source(Path::new("x.yaml"), &text, Vec::new()).expect("parses");
            assert!(!rb
                .title
                .contains(|t| t != '\t' && hostile_chars().contains(&t)));
            let StepKind::Group { steps, .. } = &rb.steps[0].kind else {
                panic!("a group")
            };
            assert_eq!(steps.len(), 1, "U+{:04X}:\n{text}", c as u32);
            assert_eq!(rb.steps.len(), 2, "U+{:04X}:\n{text}", c as u32);
            for raw in text.chars().filter(|&r| r != '\n' && r != '\t') {
                assert!(
                    !hostile_chars().contains(&raw),
                    "U+{:04X} raw:\n{text}",
                    raw as u32
                );
            }
        }
    }
}
