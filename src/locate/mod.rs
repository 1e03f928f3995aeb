//! The locator engine's Rust side. The search itself is one injected script
//! (joined from `engine/*.js`) run per document; this side walks frames, cross-origin ones included,
//! by WebDriver frame switching. It searches the frame the last step used first, so on a
//! classic page inside the Setup iframe a locate costs one round trip. A field a secret
//! goes into is searched for otherwise: in every document, and only the org's may get it
//! (`secret.rs`).

mod frames;
mod protocol;
mod searched;
mod secret;

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use frames::{every_document, every_document_guessing, in_every_frame, Doc, FrameState};
pub use protocol::*;
pub use searched::{Searched, Stillness};
pub use secret::{locate_secret, Place, SecretOutcome};

use crate::driver::Session;
use crate::runbook::LocatorKind;

/// The engine the browser receives: one script joined from a file per concern (see
/// `engine/`), defining `setupwright(request)`. Order matters only for readers: every
/// file declares functions or per-call state that `ops.js`'s `main` uses.
macro_rules! engine_files {
    () => {
        concat!(
            include_str!("engine/tree.js"),
            include_str!("engine/text.js"),
            include_str!("engine/roles.js"),
            include_str!("engine/names.js"),
            include_str!("engine/salesforce.js"),
            include_str!("engine/act.js"),
            include_str!("engine/guard.js"),
            include_str!("engine/match.js"),
            include_str!("engine/author.js"),
            include_str!("engine/stillness.js"),
            include_str!("engine/frames.js"),
            include_str!("engine/painted.js"),
            include_str!("engine/drawn_order.js"),
            include_str!("engine/drawn.js"),
            include_str!("engine/shoot.js"),
            include_str!("engine/ops.js"),
        )
    };
}

pub const SCRIPT: &str = concat!(
    "const setupwright = (() => {\n'use strict';\n",
    engine_files!(),
    "\nreturn main;\n})();\n"
);

/// The click guard's listeners at the window, first of any (`engine/guard_hook.js`).
pub const GUARD_HOOK: &str = include_str!("engine/guard_hook.js");

/// The preload script of the engine's sandbox in every document: the guard's listeners,
/// then the engine itself, so that a new document's first call need not carry the
/// engine's source (77 KB through chromedriver and chromium-bidi). The verdicts channel
/// still comes with the first call: chromedriver gives a preload script's channel
/// nothing.
pub static PRELOAD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "() => {{\n({})();\nglobalThis.setupwrightEngine || (globalThis.setupwrightEngine = (() => {{\n{}\nreturn setupwright;\n}})());\n}}",
        compact(GUARD_HOOK),
        compact(SCRIPT)
    )
});

/// The recorder (`engine/recorder.js`) with the engine it names targets by, as a BiDi
/// preload script's function for the engine's sandbox. It also leaves the engine
/// installed, as `INSTALL` would.
pub const RECORDER: &str = concat!(
    "() => {\n'use strict';\n",
    engine_files!(),
    include_str!("engine/recorder.js"),
    "\nrecord();\nglobalThis.setupwrightEngine = main;\n}\n"
);

// The engine runs in a JavaScript world of its own in each document (a WebDriver BiDi
// sandbox, see `Session::isolated`): page scripts can neither see its requests (which may
// carry text a step types) nor find, replace or wrap it. It is installed once per
// document and then called by a short function: sending and compiling its source on every
// call would cost about a millisecond a call. A document that does not have it yet (a new
// page) answers `installEngine`, and the source goes with a second call. Every answer says
// which window it came from (`frameName`).
// An exception inside the engine answers `engineError`, which is never read as "not found".
// `engineMs`: how long the engine took in the page, its awaited waits included (for the
// step's timings: the rest of a round trip is the way through chromedriver and back).
const ANSWER: &str = "then((r) => Object.assign(r, { frameName: window.name, engineMs: performance.now() - callStarted }), (e) => ({ engineError: String((e && e.stack) || e), frameName: window.name }))";
static CALL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("(request) => {{\nconst callStarted = performance.now();\nconst engine = globalThis.setupwrightEngine;\nif (typeof engine !== 'function') return {{ installEngine: true }};\nreturn engine(request).{ANSWER};\n}}")
});
// Sent where the engine may be missing: it installs the engine unless one is there (a
// second engine would start afresh, forgetting the document's stillness and its guards).
// Its source goes without whole-line comments or indentation: a third smaller, it costs
// chromedriver and the browser about 6 ms less on each new document (17 against 23 ms
// a call, a probe of 12 calls each).
static INSTALL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("(request) => {{\nconst callStarted = performance.now();\nconst engine = globalThis.setupwrightEngine || (globalThis.setupwrightEngine = (() => {{\n{}\nreturn setupwright;\n}})());\nreturn engine(request).{ANSWER};\n}}", compact(SCRIPT))
});

/// JavaScript source without its whole-line comments, blank lines and indentation. Line
/// breaks stay (automatic semicolon insertion depends on them); the engine has no
/// template literal a line of which this could change.
fn compact(source: &str) -> String {
    source
        .lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a step wants from the element it looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Click,
    Input,
    Read,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Visible, enabled, stable and not covered: ready for a click or keys.
    Act,
    /// Visible; its value is read.
    Read,
    /// In the document, visible or not.
    Present,
}

/// A locator with its templates rendered.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: LocatorKind,
    pub value: String,
    pub exact: bool,
    pub nth: Option<u32>,
    pub in_row: Option<String>,
    pub in_section: Option<String>,
    pub in_dialog: Option<String>,
    pub purpose: Purpose,
    pub mode: Mode,
    /// An engine kind runbooks cannot name (such as `option` in an open combobox).
    pub raw_kind: Option<&'static str>,
    /// Internal scope: only inside elements matching this CSS (the Setup tree).
    pub within: Option<String>,
    /// The kind of control the action works, which decides between two controls under
    /// one label (a classic "Search: [picklist] for: [text]" row).
    pub control: Option<Control>,
    /// Look without scrolling a list further to find it: a wait for something to go
    /// would otherwise scroll a table at every look.
    pub no_scroll: bool,
}

/// What kind of control an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A text box (fill, clear).
    Text,
    /// A picklist or combobox (select).
    Choice,
    /// A checkbox, radio or switch (check, uncheck); of a row, its selection control.
    Toggle,
    /// The expander of a tree item or tree grid row (expand, collapse).
    Branch,
    /// The inline-edit button of a table cell (edit_cell).
    Edit,
}

impl Spec {
    pub fn simple(kind: LocatorKind, value: &str, purpose: Purpose, mode: Mode) -> Spec {
        Spec {
            kind,
            value: value.to_string(),
            exact: false,
            nth: None,
            in_row: None,
            in_section: None,
            in_dialog: None,
            purpose,
            mode,
            raw_kind: None,
            within: None,
            control: None,
            no_scroll: false,
        }
    }
    /// This spec, for an action that works a `control`.
    pub fn for_control(mut self, control: Control) -> Spec {
        self.control = Some(control);
        self
    }
    fn request(&self, then: Option<Then>) -> Request {
        Request::Locate {
            spec: self.spec_request(),
            then,
        }
    }
    /// The spec alone, as the engine reads it.
    pub fn spec_request(&self) -> SpecRequest {
        let kind = match (self.raw_kind, self.kind) {
            (Some(raw), _) => raw,
            (None, LocatorKind::Auto) => "auto",
            (None, k) => k.name(),
        };
        SpecRequest {
            kind: kind.to_string(),
            value: self.value.clone(),
            exact: self.exact,
            nth: self.nth,
            in_row: self.in_row.clone(),
            in_section: self.in_section.clone(),
            in_dialog: self.in_dialog.clone(),
            within: self.within.clone(),
            control: self.control.map(|c| match c {
                Control::Text => "text",
                Control::Choice => "choice",
                Control::Toggle => "toggle",
                Control::Branch => "branch",
                Control::Edit => "edit",
            }),
            purpose: match self.purpose {
                Purpose::Click => "click",
                Purpose::Input => "input",
                Purpose::Read => "read",
            },
            mode: match self.mode {
                Mode::Act => "act",
                Mode::Read => "read",
                Mode::Present => "present",
            },
            no_scroll: self.no_scroll,
        }
    }
    pub fn describe(&self) -> String {
        match self.kind {
            LocatorKind::Auto => format!("\"{}\"", self.value),
            k => format!("{} \"{}\"", k.name(), self.value),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Hit {
    /// How long the document had been still when the element was read (reads only).
    pub still: Option<Stillness>,
    pub el: Element,
    /// What to click: the element itself, or the label of a visually hidden checkbox.
    pub target: Element,
    /// The checkbox, switch or radio a click on it turns, if any (for the report).
    pub toggle: Option<Element>,
    pub name: String,
    pub frame: String,
    pub ready: bool,
    pub reason: Option<String>,
    pub value: String,
    pub checked: Option<bool>,
    pub count: u64,
    pub tag: String,
    pub role: String,
    /// The kind of thing that matched (`button`, `field`, `text`...).
    pub kind: String,
    /// Where a pointer click goes: this element's in-view centre moved by (x, y) pixels
    /// lands on the target's centre. It is the target itself, or the nearest ancestor
    /// chromedriver can hit-test: inside LWC's synthetic shadow, `getRootNode()` answers
    /// a root without `elementsFromPoint`, and an action aimed at such an element fails.
    pub aim: Option<(Element, f64, f64)>,
    /// A click on it is judged where it lands (`guard.js`); its verdict is read after.
    pub guarded: bool,
    /// How the target was judged to stay put for a pointer (see `LocateAnswer::steady`).
    pub steady: Option<String>,
    /// See `LocateAnswer::guard_token`.
    pub guard_token: Option<String>,
    /// The answer of the paste that rode on the search (`locate_then`).
    pub then: Option<InsertAnswer>,
    /// The native select's option that rode on the search (`Then::Option`).
    pub option: Option<OptionAnswer>,
    /// A branch: open or not (None for a leaf or anything else).
    pub expanded: Option<bool>,
    /// Its tree or grid still loads children.
    pub loading: bool,
    /// Whether the field shows an error, and which (reads only).
    pub field: Option<FieldAnswer>,
    /// A CSS or XPath match's label locator, as `author.js` writes it.
    pub authored: Option<AuthorAnswer>,
}

pub enum Outcome {
    Found(Box<Hit>),
    Missing(Box<Searched>),
}

/// Runs one engine operation in the current frame.
/// Runs one request in the current document and reads its answer.
pub async fn run<A: DeserializeOwned>(session: &Session, req: &Request) -> Result<A, EngineError> {
    parse(call(session, req, true).await?)
}

/// `run` where the engine already is: None, without installing it, in a document it has
/// never run in (one that replaced the document a step acted in has nothing to answer).
pub async fn run_if_installed<A: DeserializeOwned>(
    session: &Session,
    req: &Request,
) -> Result<Option<A>, EngineError> {
    let context = session.context().await?;
    let req = serde_json::to_value(req)
        .map_err(|e| EngineError::Script(format!("a request that does not serialize ({e})")))?;
    let answer = session
        .isolated_in(&context, &CALL, vec![req], true)
        .await?;
    if answer.get("installEngine").is_some() {
        return Ok(None);
    }
    if let Some(ms) = answer.get("engineMs").and_then(Value::as_f64) {
        session.in_page(ms);
    }
    if let Some(e) = answer.get("engineError").and_then(Value::as_str) {
        return Err(EngineError::Script(
            e.lines().take(4).collect::<Vec<_>>().join(" | "),
        ));
    }
    parse(answer).map(Some)
}

/// `run`, for a screenshot's preparation: not counted with the step's commands.
pub async fn run_for_screenshot<A: DeserializeOwned>(
    session: &Session,
    req: &Request,
) -> Result<A, EngineError> {
    parse(call(session, req, false).await?)
}

async fn call(session: &Session, req: &Request, counted: bool) -> Result<Value, EngineError> {
    let context = session.context().await?;
    call_in(session, context, req, counted).await
}

/// `call` in the document of a BiDi context, installing the engine there if needed.
async fn call_in(
    session: &Session,
    context: String,
    req: &Request,
    counted: bool,
) -> Result<Value, EngineError> {
    let req = serde_json::to_value(req)
        .map_err(|e| EngineError::Script(format!("a request that does not serialize ({e})")))?;
    let args = vec![req];
    // A document whose sandbox the browser announced and the engine never answered from
    // is given the verdicts channel with the first call (the preload script installed the
    // engine there); any other is asked first, and answers `installEngine` when it has
    // none (a document older than the preload script, one it did not run in).
    let first = if session.engine_missing(&context) {
        with_channel(session, &context, &CALL, args.clone(), counted).await?
    } else {
        session
            .isolated_in(&context, &CALL, args.clone(), counted)
            .await?
    };
    let mut answer = if needs_engine(&first) {
        install(session, &context, args, counted).await?
    } else {
        first
    };
    if let Some(ms) = answer.get("engineMs").and_then(Value::as_f64) {
        session.engine_answered(&context);
        session.in_page(ms);
    }
    if let Some(e) = answer.get("engineError").and_then(Value::as_str) {
        let at = answer
            .get("frameName")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(|n| format!(" (in frame {n})"))
            .unwrap_or_default();
        return Err(EngineError::Script(format!(
            "{}{at}",
            e.lines().take(4).collect::<Vec<_>>().join(" | ")
        )));
    }
    // Which document answered, for a second request to the same one (`run_in`).
    if let Value::Object(o) = &mut answer {
        o.insert("context".into(), Value::String(context));
    }
    Ok(answer)
}

/// The engine's source with a request, given the verdicts channel. A driver that takes no
/// channel still gets the engine: its clicks' verdicts are then asked, as they were
/// before the channel.
async fn install(
    session: &Session,
    context: &str,
    args: Vec<Value>,
    counted: bool,
) -> Result<Value, EngineError> {
    tracing::debug!("the engine's source goes to {context}");
    with_channel(session, context, &INSTALL, args, counted).await
}

fn needs_engine(answer: &Value) -> bool {
    answer.get("installEngine").and_then(Value::as_bool) == Some(true)
}

/// `function` called with the verdicts channel, or without where the driver takes none.
async fn with_channel(
    session: &Session,
    context: &str,
    function: &str,
    args: Vec<Value>,
    counted: bool,
) -> Result<Value, EngineError> {
    match session
        .isolated_with_channel(context, function, args.clone(), counted)
        .await
    {
        Ok(answer) => Ok(answer),
        Err(_) => Ok(session
            .isolated_in(context, function, args, counted)
            .await?),
    }
}

/// Runs one request in the document of a BiDi context, wherever the session is; for a
/// document an earlier answer came from (its `context`).
pub async fn run_in<A: DeserializeOwned>(
    session: &Session,
    context: &str,
    req: &Request,
    counted: bool,
) -> Result<A, EngineError> {
    let req = serde_json::to_value(req)
        .map_err(|e| EngineError::Script(format!("a request that does not serialize ({e})")))?;
    let answer = session
        .isolated_in(context, &CALL, vec![req], counted)
        .await?;
    if answer.get("installEngine").is_some() {
        return Err(EngineError::Script(
            "the document was replaced between two requests".into(),
        ));
    }
    if let Some(ms) = answer.get("engineMs").and_then(Value::as_f64) {
        session.in_page(ms);
    }
    if let Some(e) = answer.get("engineError").and_then(Value::as_str) {
        return Err(EngineError::Script(
            e.lines().take(4).collect::<Vec<_>>().join(" | "),
        ));
    }
    parse(answer)
}

/// A frame as its parent document listed it.
#[derive(Clone)]
struct Frame {
    el: ElementRef,
    /// Its label in frame paths.
    name: String,
    /// Its index in the parent's `window.frames`.
    index: Option<u16>,
    /// Its BiDi context.
    context: Option<String>,
}

fn frames_of(listed: &[FrameInfo]) -> Vec<Frame> {
    listed
        .iter()
        .map(|f| {
            let name = [&f.name, &f.title, &f.src]
                .into_iter()
                .find(|s| !s.is_empty())
                .map_or("(unnamed)", |s| s.as_str());
            Frame {
                el: f.el.clone(),
                name: name.to_string(),
                index: u16::try_from(f.index).ok(),
                context: f.win.as_ref().map(|w| w.context.clone()),
            }
        })
        .collect()
}

/// Enters `frame` from its parent and runs `req` there: by index where known (chromedriver
/// switches by index in about 9 ms, by element reference in about 14), else by its
/// element. The engine runs in the frame's own BiDi context either way; the classic switch
/// is for the actions that follow. Ok(None): the frame could not be entered, and the
/// session is still in the parent.
async fn enter_and_run<A: DeserializeOwned + ListsFrames>(
    session: &Session,
    frame: &Frame,
    req: &Request,
) -> Result<Option<Result<A, EngineError>>, EngineError> {
    if !enter(session, frame).await {
        return Ok(None);
    }
    Ok(Some(run(session, req).await))
}

/// Switches into `frame` from its parent; false when it cannot be entered.
async fn enter(session: &Session, frame: &Frame) -> bool {
    let context = frame.context.as_deref();
    if let Some(index) = frame.index {
        if session.enter_frame_index(index, context).await.is_ok() {
            return true;
        }
    }
    match frame.el.resolve(session) {
        Some(el) => session.enter_frame(&el, context).await.is_ok(),
        None => false,
    }
}

fn hit(session: &Session, a: &LocateAnswer, path: &[String]) -> Option<Hit> {
    let el = a.el.as_ref()?.resolve(session)?;
    let target = a
        .target
        .as_ref()
        .and_then(|t| t.resolve(session))
        .unwrap_or_else(|| el.clone());
    Some(Hit {
        el,
        target,
        toggle: a.toggle.as_ref().and_then(|t| t.resolve(session)),
        name: a.name.clone(),
        frame: FrameState::label(path),
        ready: a.ready,
        reason: a.reason.clone(),
        value: a.value.clone().unwrap_or_default(),
        checked: a.checked,
        expanded: a.expanded,
        loading: a.loading,
        count: a.count,
        tag: a.tag.clone(),
        role: a.role.clone(),
        kind: a.kind.clone(),
        aim: a.aim.as_ref().and_then(|a| aim(session, a)),
        guarded: a.guarded,
        steady: a.steady.clone(),
        guard_token: a.guard_token.clone(),
        then: a.then.clone(),
        option: a.option.clone(),
        field: a.field.clone(),
        authored: a.authored.clone(),
        // A page with a spinner is not still, however long its DOM has not changed.
        still: stillness(a).filter(|_| !a.busy),
    })
}

/// How long the answering document had been still, when it said.
fn stillness(a: &LocateAnswer) -> Option<Stillness> {
    let ms = |v: Option<f64>| v.map(|ms| std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0));
    Some(Stillness {
        dom: ms(a.dom_still_ms)?,
        net: ms(a.net_still_ms)?,
    })
}

/// A point the engine aimed a pointer at: the element and an offset from its in-view
/// centre (see `Session::pointer_click`).
pub fn aim(session: &Session, a: &AimInfo) -> Option<(Element, f64, f64)> {
    Some((a.el.resolve(session)?, a.x, a.y))
}

fn note(searched: &mut Searched, a: &LocateAnswer, path: &[String]) {
    let label = FrameState::label(path);
    for n in &a.near {
        searched.near.push((n.clone(), label.clone()));
    }
    if let Some(m) = &a.scope_missing {
        searched.scope_missing.get_or_insert_with(|| m.clone());
    }
    for scope in &a.scopes_found {
        searched.scopes_found.push((scope.clone(), label.clone()));
    }
    searched.titles.push(a.title.clone());
    searched.busy |= a.busy;
    if let Some(still) = stillness(a) {
        searched.still = Some(searched.still.map_or(still, |s| s.least(still)));
    }
    for e in &a.page_errors {
        if !searched.page_errors.contains(e) {
            searched.page_errors.push(e.clone());
        }
    }
    if let Some(b) = &a.bad {
        searched.bad_selector = Some(b.clone());
    }
    if a.nth_missing {
        searched.nth_missing = Some(a.count);
    }
    for l in &a.prefixed {
        if !searched.prefixed.contains(l) {
            searched.prefixed.push(l.clone());
        }
    }
    for s in &a.scrolled {
        searched.scrolled.push(if path.is_empty() {
            s.clone()
        } else {
            format!("{s} (in {label})")
        });
    }
    searched.frames.push(label);
}

/// Is this error the frame (or its document) going away under us, so that the search
/// should restart from the top document?
pub fn frame_lost(e: &CmdError) -> bool {
    e.is_no_such_frame()
        || e.is_stale_element_reference()
        || e.is_no_such_element()
        || e.is_script_timeout()
        || cut_by_navigation(e)
        || e.to_string().contains("unloaded")
        || e.to_string().contains("detached")
}

/// A script whose document navigated away before it answered. Chrome says so at once:
/// "script timeout" for Execute Async Script (w3c/webdriver#1708), "timeout ... aborted
/// by navigation" for Execute Script waiting on a promise. The engine's scripts never
/// run long, so neither is a real timeout.
pub fn cut_by_navigation(e: &CmdError) -> bool {
    e.is_script_timeout() || (e.is_timeout() && e.to_string().contains("aborted by navigation"))
}

/// Searches the current frame, then the whole window, and leaves the session in the
/// frame where the element was found.
pub async fn locate(
    session: &Session,
    frames: &mut FrameState,
    spec: &Spec,
) -> Result<Outcome, EngineError> {
    locate_then(session, frames, spec, None).await
}

/// As `locate`, and where the element is found ready, the engine runs `then` on it in
/// the same round trip (a fill's paste); its answer is the hit's `then`.
pub async fn locate_then(
    session: &Session,
    frames: &mut FrameState,
    spec: &Spec,
    then: Option<Then>,
) -> Result<Outcome, EngineError> {
    if frames.unsure {
        session.enter_top().await?;
        frames.path.clear();
        frames.unsure = false;
    }
    let req = spec.request(then);
    let mut searched = Searched {
        want: spec.value.clone(),
        ..Searched::default()
    };
    let first_path = frames.path.clone();
    // The frame searched first, with its answer, when that search ran.
    let mut first: Option<LocateAnswer> = None;
    match run::<LocateAnswer>(session, &req).await {
        Ok(v) => {
            if let Some(h) = hit(session, &v, &first_path) {
                return Ok(Outcome::Found(Box::new(h)));
            }
            note(&mut searched, &v, &first_path);
            if first_path.is_empty() {
                // Already at the top: walk its frames.
                if let Some(h) =
                    walk(session, &req, &v, &mut Vec::new(), None, &mut searched).await?
                {
                    frames.path = h.1;
                    return Ok(Outcome::Found(Box::new(h.0)));
                }
                // The walk left every frame it entered: the session is at the top.
                frames.path.clear();
                return Ok(Outcome::Missing(Box::new(searched)));
            }
            first = Some(v);
        }
        Err(EngineError::Driver(e))
            if frame_lost(&e) || e.is_javascript_error() || e.is_no_such_window() =>
        {
            if e.is_no_such_window() {
                return Err(e.into());
            }
        }
        Err(e) => return Err(e),
    }
    session.enter_top().await?;
    frames.path.clear();
    let top: LocateAnswer = run(session, &req).await?;
    if let Some(h) = hit(session, &top, &[]) {
        return Ok(Outcome::Found(Box::new(h)));
    }
    note(&mut searched, &top, &[]);
    let skip = first.as_ref().map(|v| (&first_path, v));
    if let Some(h) = walk(session, &req, &top, &mut Vec::new(), skip, &mut searched).await? {
        frames.path = h.1;
        return Ok(Outcome::Found(Box::new(h.0)));
    }
    Ok(Outcome::Missing(Box::new(searched)))
}

/// A match and the frame path that leads to it.
type Located = (Hit, Vec<String>);

/// A recursive search's future, boxed so that it can call itself.
type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// Depth-first through the frames listed in `here`, returning inside the frame that
/// holds the match. `skip` is a frame already searched this time, with its answer.
fn walk<'a>(
    session: &'a Session,
    req: &'a Request,
    here: &'a LocateAnswer,
    path: &'a mut Vec<String>,
    skip: Option<(&'a Vec<String>, &'a LocateAnswer)>,
    searched: &'a mut Searched,
) -> BoxFuture<'a, Result<Option<Located>, EngineError>> {
    Box::pin(async move {
        for frame in frames_of(&here.frames) {
            path.push(frame.name.clone());
            let skipped = skip
                .filter(|(p, _)| p.as_slice() == path.as_slice())
                .map(|(_, v)| v);
            let res = match skipped {
                // Its own document was searched first; enter it only for its child frames.
                Some(v) if v.frames.is_empty() => None,
                Some(v) => enter(session, &frame).await.then(|| Ok(v.clone())),
                None => enter_and_run::<LocateAnswer>(session, &frame, req).await?,
            };
            let Some(res) = res else {
                path.pop();
                continue;
            };
            match res {
                Ok(v) => {
                    if skipped.is_none() {
                        if let Some(h) = hit(session, &v, path) {
                            return Ok(Some((h, path.clone())));
                        }
                        note(searched, &v, path);
                    }
                    if let Some(found) = walk(session, req, &v, path, skip, searched).await? {
                        return Ok(Some(found));
                    }
                }
                Err(EngineError::Driver(e)) if e.is_no_such_window() => return Err(e.into()),
                // The engine failing in a frame is a bug to report, not a frame to pass by.
                Err(e @ EngineError::Script(_)) => return Err(e),
                Err(_) => {}
            }
            session.enter_parent_frame().await?;
            path.pop();
        }
        Ok(None)
    })
}

#[cfg(test)]
mod tests {
    /// The preload's listeners are the guard's only listeners in a document it reached:
    /// an event guard.js judges but the preload does not listen for would go unguarded.
    #[test]
    fn the_preload_listens_for_every_event_the_guard_judges() {
        let guard = include_str!("engine/guard.js");
        let events = guard
            .lines()
            .find_map(|l| l.strip_prefix("const GUARDED_EVENTS = "))
            .and_then(|l| l.strip_suffix(';'))
            .expect("guard.js lists GUARDED_EVENTS on one line");
        assert!(
            super::GUARD_HOOK.contains(events),
            "guard_hook.js must listen for {events}"
        );
    }

    /// Compaction drops whole-line comments and indentation only, which is safe while no
    /// line of the engine's code belongs to a template literal (a line of one could
    /// start with "//" or with spaces that matter).
    #[test]
    fn the_compacted_engine_keeps_its_code() {
        let compacted = super::compact(super::SCRIPT);
        assert!(
            compacted.len() * 3 < super::SCRIPT.len() * 2,
            "a third smaller"
        );
        let backticks = compacted
            .lines()
            .filter(|l| l.split("//").next().is_some_and(|code| code.contains('`')))
            .count();
        assert_eq!(backticks, 0, "a template literal in the engine's code");
        assert_eq!(
            super::compact("  a();\n\n  // why\nb(); // kept\n"),
            "a();\nb(); // kept"
        );
    }
}
