//! From the marked YAML tree to the runbook model. Every rejection names its place and,
//! for a misspelt word, the nearest valid one. Parsing goes on after an error so that
//! `check` reports all of a file's problems at once.

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use super::duration::parse_duration;

mod action;
mod condition;
mod locator;

use super::error::{nearest, RunbookError};
use super::model::*;
use super::template::Template;
use super::yaml::{Node, NodeKind, Span};

pub use super::actions::ACTIONS;
pub use super::vocabulary::{
    ActionSpec, LocatorUse, CONDITIONS, INPUT_KEYS, MODIFIERS, SCOPES, STRUCTURE, TOP_KEYS,
};

pub struct Parser<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub errors: Vec<RunbookError>,
    /// Files being loaded, outermost first, to reject include cycles.
    pub include_stack: Vec<PathBuf>,
    /// Steps left for the whole runbook, includes included.
    pub budget: std::rc::Rc<StepBudget>,
}

/// The most steps a runbook may have once its includes are expanded: far above any real
/// runbook, far below what an include diamond (each file including the next twice) makes.
pub const MAX_STEPS: usize = 20_000;

/// Runbooks including runbooks, outermost first.
pub const MAX_INCLUDE_DEPTH: usize = 32;

/// Bytes of included runbooks read for one runbook, each inclusion counted: each file is
/// bounded by `source::MAX_BYTES`, but one large file included thousands of times (each
/// a step under `MAX_STEPS`) would be read, parsed and held that many times.
pub const MAX_INCLUDED_BYTES: usize = 8 * 1024 * 1024;

/// Steps counted across a runbook and everything it includes, and the folder all of its
/// includes must be in.
#[derive(Debug, Default)]
pub struct StepBudget {
    used: std::cell::Cell<usize>,
    /// The limit was reported once; later steps are dropped without a word.
    told: std::cell::Cell<bool>,
    /// Bytes of included runbooks read so far.
    bytes: std::cell::Cell<usize>,
    /// `MAX_INCLUDED_BYTES` was reported once; later includes are dropped without a word.
    told_bytes: std::cell::Cell<bool>,
    /// Canonical; the outermost runbook's folder unless `--include-root` named another
    /// (set at the first include when the load did not say).
    root: std::cell::OnceCell<PathBuf>,
}

/// A canonical path as the user reads it: relative to the working folder when under it.
fn shown(p: &Path) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok());
    let shown = cwd
        .as_ref()
        .and_then(|c| p.strip_prefix(c).ok())
        .unwrap_or(p)
        .display()
        .to_string();
    // The working folder itself.
    if shown.is_empty() {
        ".".into()
    } else {
        shown
    }
}

/// The folder a file is in, canonical (symbolic links and `..` resolved) where it exists.
pub fn folder_of(path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    parent
        .canonicalize()
        .unwrap_or_else(|_| parent.to_path_buf())
}

impl StepBudget {
    /// A budget whose includes must stay under `root` (canonical).
    pub fn within(root: PathBuf) -> StepBudget {
        let budget = StepBudget::default();
        let _ = budget.root.set(root);
        budget
    }
    /// Counts one step; false once the runbook has more than `MAX_STEPS`.
    fn take(&self) -> bool {
        self.used.set(self.used.get() + 1);
        self.used.get() <= MAX_STEPS
    }
    fn exhausted(&self) -> bool {
        self.used.get() > MAX_STEPS
    }
}

/// A runbook's parts as the parser read them.
pub struct Parsed {
    pub title: String,
    pub inputs: Vec<InputDecl>,
    pub steps: Vec<Step>,
    /// Environment variables declared not secret (`env:`).
    pub public_env: Vec<String>,
}

impl<'a> Parser<'a> {
    pub(in crate::runbook) fn err(&mut self, span: Span, msg: impl Into<String>) {
        self.errors
            .push(RunbookError::new(self.path, self.source, span, msg));
    }
    pub(in crate::runbook) fn err_help(
        &mut self,
        span: Span,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.errors
            .push(RunbookError::new(self.path, self.source, span, msg).with_help(help));
    }
    fn unknown_key(&mut self, key: &Node, what: &str, valid: &[&str]) {
        let word = key.as_str().unwrap_or("?");
        match nearest(word, valid.iter().copied()) {
            Some(n) => self.err_help(
                key.span,
                format!("unknown {what} `{word}`"),
                format!("did you mean `{n}`?"),
            ),
            None => self.err_help(
                key.span,
                format!("unknown {what} `{word}`"),
                format!("expected one of: {}", valid.join(", ")),
            ),
        }
    }

    pub fn runbook(&mut self, root: &Node) -> Option<Parsed> {
        let Some(map) = root.as_map() else {
            self.err_help(
                root.span,
                format!("a runbook must be a mapping, found {}", root.type_name()),
                "start with `runbook: <title>`, `inputs:` and `steps:`",
            );
            return None;
        };
        let mut title = None;
        let mut inputs = Vec::new();
        let mut steps = None;
        let mut public_env = Vec::new();
        for (k, v) in map {
            match k.as_str() {
                Some("runbook") => title = self.string(v, "the runbook title"),
                Some("inputs") => inputs = self.inputs(v),
                Some("env") => public_env = self.env(v),
                Some("steps") => steps = Some(self.steps(v)),
                _ => self.unknown_key(k, "top-level key", TOP_KEYS),
            }
        }
        if title.is_none() && !map.iter().any(|(k, _)| k.as_str() == Some("runbook")) {
            self.err_help(
                root.span,
                "the runbook has no title",
                "add `runbook: <what it does>` at the top",
            );
        }
        let steps = match steps {
            Some(s) => s,
            None => {
                self.err_help(
                    root.span,
                    "the runbook has no `steps`",
                    "add `steps:` with at least one step",
                );
                Vec::new()
            }
        };
        Some(Parsed {
            title: title.unwrap_or_default(),
            inputs,
            steps,
            public_env,
        })
    }

    /// `env:`: environment variables the runbook reads, each `NAME: { secret: false }`
    /// when its value may be shown (every other `${env.NAME}` value is a secret). Returns
    /// the names declared not secret.
    fn env(&mut self, v: &Node) -> Vec<String> {
        const HELP: &str =
            "write `env:` then one `NAME: { secret: false }` per variable whose value may be shown";
        let Some(map) = v.as_map() else {
            self.err_help(
                v.span,
                format!("`env` must be a mapping of names, found {}", v.type_name()),
                HELP,
            );
            return Vec::new();
        };
        let mut public = Vec::new();
        for (k, val) in map {
            let Some(name) = self.string(k, "an environment variable's name") else {
                continue;
            };
            let mut secret = true;
            match val.as_map() {
                Some(entries) => {
                    for (ek, ev) in entries {
                        match ek.as_str() {
                            Some("secret") => secret = self.bool(ev, "`secret`").unwrap_or(true),
                            _ => self.unknown_key(ek, "environment variable key", &["secret"]),
                        }
                    }
                }
                None => self.err_help(
                    val.span,
                    format!(
                        "`{name}` must be a mapping such as `{{ secret: false }}`, found {}",
                        val.type_name()
                    ),
                    HELP,
                ),
            }
            if !secret {
                public.push(name);
            }
        }
        public
    }

    pub(in crate::runbook) fn string(&mut self, v: &Node, what: &str) -> Option<String> {
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(
                    v.span,
                    format!("{what} must be a string, found {}", v.type_name()),
                );
                None
            }
        }
    }

    pub(in crate::runbook) fn template(&mut self, v: &Node, what: &str) -> Option<Template> {
        let text = self.string(v, what)?;
        let start = if v.is_quoted() {
            v.span.shifted(1)
        } else {
            v.span
        };
        match Template::parse(&text, start) {
            Ok(t) => Some(t),
            Err((span, msg)) => {
                self.err(span, msg);
                None
            }
        }
    }

    pub(in crate::runbook) fn bool(&mut self, v: &Node, what: &str) -> Option<bool> {
        let b = v.as_bool();
        if b.is_none() {
            self.err_help(
                v.span,
                format!("{what} must be true or false, found {}", v.type_name()),
                "write true or false without quotes",
            );
        }
        b
    }

    fn inputs(&mut self, v: &Node) -> Vec<InputDecl> {
        let Some(map) = v.as_map() else {
            if !matches!(v.kind, NodeKind::Null) {
                self.err_help(
                    v.span,
                    format!(
                        "`inputs` must be a mapping of names, found {}",
                        v.type_name()
                    ),
                    "write `inputs:` then one `name: {}` per line",
                );
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, val) in map {
            let Some(name) = self.string(k, "an input name") else {
                continue;
            };
            if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                || name.starts_with(|c: char| c.is_ascii_digit())
            {
                self.err_help(
                    k.span,
                    format!("`{name}` is not a valid input name"),
                    "use letters, digits and `_`, starting with a letter",
                );
                continue;
            }
            let mut decl = InputDecl {
                name,
                default: None,
                secret: false,
                example: None,
                description: None,
                span: k.span,
            };
            match &val.kind {
                NodeKind::Null => {}
                NodeKind::Map(entries) => {
                    for (ik, iv) in entries {
                        match ik.as_str() {
                            Some("default") => {
                                decl.default = self.template(iv, "an input's default")
                            }
                            Some("secret") => {
                                decl.secret = self.bool(iv, "`secret`").unwrap_or(false)
                            }
                            Some("example") => decl.example = self.string(iv, "an input's example"),
                            Some("description") => {
                                decl.description = self.string(iv, "an input's description")
                            }
                            _ => self.unknown_key(ik, "input property", INPUT_KEYS),
                        }
                    }
                }
                NodeKind::Scalar { .. } => decl.default = self.template(val, "an input's default"),
                NodeKind::Seq(_) => self.err_help(
                    val.span,
                    "an input must be a mapping or a default value, found a list",
                    "write `name: { default: ..., secret: true }`",
                ),
            }
            out.push(decl);
        }
        out
    }

    pub fn steps(&mut self, v: &Node) -> Vec<Step> {
        let Some(items) = v.as_seq() else {
            self.err_help(
                v.span,
                format!("`steps` must be a list, found {}", v.type_name()),
                "write each step on its own line starting with `- `",
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.err_help(
                v.span,
                "`steps` is empty",
                "add at least one step, such as `- click: Save`",
            );
        }
        items.iter().filter_map(|s| self.step(s)).collect()
    }

    fn step(&mut self, node: &Node) -> Option<Step> {
        if !self.budget.take() {
            if !self.budget.told.replace(true) {
                self.err_help(
                    node.span,
                    format!("the runbook has more than {MAX_STEPS} steps once its includes are expanded"),
                    "an include inside a loop of includes, or one file included many times? include each file once",
                );
            }
            return None;
        }
        let map = match &node.kind {
            NodeKind::Map(m) => m,
            NodeKind::Scalar { text, .. } => {
                let hint = match nearest(text, ACTIONS.iter().map(|a| a.name)) {
                    Some(a) => format!("a step is a mapping such as `- {a}: ...`"),
                    None => "a step is a mapping such as `- click: Save`".into(),
                };
                self.err_help(
                    node.span,
                    format!("a step must be a mapping, found the string `{text}`"),
                    hint,
                );
                return None;
            }
            _ => {
                self.err_help(
                    node.span,
                    format!("a step must be a mapping, found {}", node.type_name()),
                    "a step is a mapping such as `- click: Save`",
                );
                return None;
            }
        };
        let mut step = Step {
            name: None,
            kind: StepKind::Group {
                title: String::new(),
                steps: Vec::new(),
            },
            skip_if: None,
            only_if: None,
            timeout: None,
            retry: 0,
            dialog: None,
            span: node.span,
        };
        let mut action: Option<(&Node, &Node)> = None;
        let mut group: Option<&Node> = None;
        let mut body: Option<&Node> = None;
        let mut include: Option<&Node> = None;
        let mut include_inputs: Option<&Node> = None;
        let mut reported = false;
        let all_keys: Vec<&str> = ACTIONS
            .iter()
            .map(|a| a.name)
            .chain(MODIFIERS.iter().copied())
            .chain(STRUCTURE.iter().copied())
            .collect();
        for (k, v) in map {
            let Some(key) = k.as_str() else {
                self.err(k.span, "a step's keys must be words");
                continue;
            };
            match key {
                "name" => step.name = self.string(v, "`name`"),
                "skip_if" => step.skip_if = self.condition(v),
                "only_if" => step.only_if = self.condition(v),
                "timeout" => step.timeout = self.duration(v),
                "retry" => step.retry = self.count(v, "`retry`").unwrap_or(0),
                "dialog" => step.dialog = self.dialog(v),
                "group" => group = Some(v),
                "steps" => body = Some(v),
                "include" => include = Some(v),
                "inputs" => include_inputs = Some(v),
                _ if ACTIONS.iter().any(|a| a.name == key) => {
                    if let Some((first, _)) = action {
                        let first = first.as_str().unwrap_or("");
                        self.err_help(
                            k.span,
                            format!("a step has one action, this one has `{first}` and `{key}`"),
                            "split them into two steps",
                        );
                    } else {
                        action = Some((k, v));
                    }
                }
                _ => {
                    self.unknown_key(k, "action or step key", &all_keys);
                    reported = true;
                }
            }
        }
        let shapes = [
            action.is_some(),
            group.is_some() || body.is_some(),
            include.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if shapes > 1 {
            self.err_help(
                node.span,
                "a step is either an action, a `group` with `steps`, or an `include`",
                "split this step in two",
            );
            return None;
        }
        if include_inputs.is_some() && include.is_none() {
            self.err_help(
                node.span,
                "`inputs` on a step belongs to `include`",
                "add `include: <file>` or move `inputs` to the top of the runbook",
            );
        }
        if let Some((k, v)) = action {
            let name = k.as_str().unwrap_or("");
            step.kind = StepKind::Action(self.action(name, v, k.span)?);
        } else if group.is_some() || body.is_some() {
            let title = match group {
                Some(g) => self.string(g, "a group's title")?,
                None => {
                    self.err_help(
                        node.span,
                        "`steps` inside a step needs a `group` title",
                        "add `group: <title>`",
                    );
                    return None;
                }
            };
            let Some(body) = body else {
                self.err_help(
                    node.span,
                    format!("group `{title}` has no `steps`"),
                    "add `steps:` with the group's steps",
                );
                return None;
            };
            step.kind = StepKind::Group {
                title,
                steps: self.steps(body),
            };
        } else if let Some(inc) = include {
            step.kind = self.include(inc, include_inputs)?;
        } else if reported {
            return None;
        } else {
            self.err_help(
                node.span,
                "this step has no action",
                format!(
                    "add an action such as `click:`; actions: {}",
                    ACTIONS
                        .iter()
                        .map(|a| a.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        }
        Some(step)
    }

    fn include(&mut self, inc: &Node, inputs: Option<&Node>) -> Option<StepKind> {
        let rel = self.string(inc, "`include`")?;
        if Path::new(&rel).is_absolute() {
            self.err_help(
                inc.span,
                format!("`{rel}` is an absolute path; an include is read only from under the runbook's folder"),
                "write the path relative to the including runbook's folder; to include from a wider folder, name it with --include-root DIR",
            );
            return None;
        }
        let path = self.path.parent().unwrap_or(Path::new(".")).join(&rel);
        let root = self
            .budget
            .root
            .get_or_init(|| folder_of(self.path))
            .clone();
        // Where the file really is, `..` and symbolic links resolved; a file that does
        // not exist is said so by the read below.
        let real = path.canonicalize().ok();
        if let Some(real) = real.as_ref().filter(|r| !r.starts_with(&root)) {
            let link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            let how = if link {
                format!("is a symbolic link to {}", shown(real))
            } else {
                format!("is {}", shown(real))
            };
            self.err_help(
                inc.span,
                format!(
                    "`{rel}` {how}, outside the folder includes are read from ({})",
                    shown(&root)
                ),
                "move the file under that folder, or name a folder holding both with --include-root DIR",
            );
            return None;
        }
        let mut given = Vec::new();
        if let Some(inputs) = inputs {
            match inputs.as_map() {
                Some(m) => {
                    for (k, v) in m {
                        if let (Some(name), Some(t)) = (
                            k.as_str().map(str::to_string),
                            self.template(v, "an included input"),
                        ) {
                            given.push((name, t));
                        }
                    }
                }
                None => self.err(
                    inputs.span,
                    format!(
                        "`inputs` of an include must be a mapping, found {}",
                        inputs.type_name()
                    ),
                ),
            }
        }
        let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
        if let Some(pos) = self.include_stack.iter().position(|p| *p == canon) {
            let cwd = std::env::current_dir()
                .ok()
                .and_then(|d| d.canonicalize().ok());
            let shown = |p: &PathBuf| {
                cwd.as_ref()
                    .and_then(|c| p.strip_prefix(c).ok())
                    .unwrap_or(p)
                    .display()
                    .to_string()
            };
            let chain: Vec<String> = self.include_stack[pos..]
                .iter()
                .chain(std::iter::once(&canon))
                .map(shown)
                .collect();
            self.err_help(
                inc.span,
                format!("include cycle: {}", chain.join(" -> ")),
                "a runbook cannot include itself, directly or through others",
            );
            return None;
        }
        if self.budget.exhausted() {
            return None;
        }
        if self.include_stack.len() >= MAX_INCLUDE_DEPTH {
            self.err_help(
                inc.span,
                format!("includes are nested more than {MAX_INCLUDE_DEPTH} deep here"),
                "a runbook includes a few others; flatten the chain",
            );
            return None;
        }
        let source = match super::source::read_text(&path, "included runbook") {
            Ok(s) => s,
            Err(e) => {
                let help = if e.help == "check the path" {
                    "the path is relative to the including runbook's folder".to_string()
                } else if e.span.line == 1 && e.span.col == 1 {
                    format!(
                        "{}; the path is relative to the including runbook's folder",
                        e.help
                    )
                } else {
                    format!(
                        "{} (at line {}, column {} of that file)",
                        e.help, e.span.line, e.span.col
                    )
                };
                self.err_help(inc.span, e.message, help);
                return None;
            }
        };
        if path.canonicalize().ok() != real {
            // A link swapped between the check above and the read.
            self.err_help(
                inc.span,
                format!("{} changed while it was read", path.display()),
                "check the file again; nothing else should be changing it",
            );
            return None;
        }
        self.budget
            .bytes
            .set(self.budget.bytes.get().saturating_add(source.len()));
        if self.budget.bytes.get() > MAX_INCLUDED_BYTES {
            if !self.budget.told_bytes.replace(true) {
                self.err_help(
                    inc.span,
                    format!(
                        "the includes read more than {} MiB of included runbooks here, each inclusion counted",
                        MAX_INCLUDED_BYTES / 1024 / 1024
                    ),
                    "a large file included many times? include it once, in a group that the steps needing it share",
                );
            }
            return None;
        }
        if !super::source::reads_as_runbook(&source) {
            // Its errors would print its lines: a credentials file included by mistake
            // is named, never shown.
            self.err_help(
                inc.span,
                format!(
                    "{} does not read as a runbook (no `runbook:` or `steps:` at its top), so none of its lines is shown",
                    path.display()
                ),
                "include a runbook; check the path",
            );
            return None;
        }
        let mut stack = self.include_stack.clone();
        stack.push(canon);
        match super::load_source_within(&path, &source, stack, self.budget.clone()) {
            Ok(rb) => {
                let names: Vec<&str> = rb.inputs.iter().map(|i| i.name.as_str()).collect();
                // Inputs a misspelt name was taken for: already reported with it.
                let mut meant = Vec::new();
                for (name, t) in &given {
                    if !names.contains(&name.as_str()) {
                        let span = t.vars().next().map(|(_, s)| s).unwrap_or(inc.span);
                        let near = nearest(name, names.iter().copied());
                        meant.extend(near);
                        let help =
                            near.map(|n| format!("did you mean `{n}`?"))
                                .unwrap_or_else(|| {
                                    format!("{} takes: {}", path.display(), names.join(", "))
                                });
                        self.err_help(
                            span,
                            format!("`{}` has no input `{name}`", path.display()),
                            help,
                        );
                    }
                }
                // An included runbook gets only what the include hands it: an input
                // without a default must be handed over.
                for input in &rb.inputs {
                    let handed = given.iter().any(|(n, _)| *n == input.name);
                    if !handed && input.default.is_none() && !meant.contains(&input.name.as_str()) {
                        self.err_help(
                            inc.span,
                            format!("`{}` needs input `{}`", path.display(), input.name),
                            format!(
                                "hand it over: `inputs: {{ {}: ... }}` on this step",
                                input.name
                            ),
                        );
                    }
                }
                Some(StepKind::Include {
                    path,
                    inputs: given,
                    runbook: Box::new(rb),
                })
            }
            Err(errs) => {
                self.errors.extend(errs.0);
                None
            }
        }
    }

    fn duration(&mut self, v: &Node) -> Option<Duration> {
        let text = v.as_str().unwrap_or("");
        let parsed = parse_duration(text);
        if parsed.is_none() {
            self.err_help(
                v.span,
                format!("`{text}` is not a duration"),
                "write a number of seconds, or 500ms, 30s, 2m",
            );
        }
        parsed
    }

    /// `dialog: accept`, `dialog: dismiss`, or `dialog: { accept: TEXT }` for a prompt.
    fn dialog(&mut self, v: &Node) -> Option<DialogAnswer> {
        const HELP: &str = "write `dialog: accept`, `dialog: dismiss`, or `dialog: { accept: TEXT }` for a prompt that asks for text";
        if let Some(word) = v.as_str() {
            return match word {
                "accept" => Some(DialogAnswer::Accept(None)),
                "dismiss" => Some(DialogAnswer::Dismiss),
                other => {
                    self.err_help(
                        v.span,
                        format!("`{other}` is not an answer to a dialog"),
                        HELP,
                    );
                    None
                }
            };
        }
        match v.as_map() {
            Some([(k, text)]) if k.as_str() == Some("accept") => Some(DialogAnswer::Accept(Some(
                self.template(text, "the prompt's text")?,
            ))),
            _ => {
                self.err_help(
                    v.span,
                    format!(
                        "`dialog` must be a word or `{{ accept: TEXT }}`, found {}",
                        v.type_name()
                    ),
                    HELP,
                );
                None
            }
        }
    }

    fn count(&mut self, v: &Node, what: &str) -> Option<u32> {
        let n = v.as_str().and_then(|s| s.parse::<u32>().ok());
        if n.is_none() {
            self.err(
                v.span,
                format!("{what} must be a whole number, found {}", v.type_name()),
            );
        }
        n
    }
}
