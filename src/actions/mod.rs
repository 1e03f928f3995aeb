//! One file per action, each over the same step context: the executor's half of the
//! action of the same name in `runbook/actions/` (which describes and reads it). Actions
//! never parse YAML; they get rendered values and talk to the browser through `locate`
//! and `driver`.

mod capture;
mod check;
mod choose;
mod click;
mod edit_cell;
mod expand;
mod expect;
mod fill;
mod goto;
mod hover;
mod login;
mod press;
mod reorder;
mod select;
mod setup;
mod wait_for;
mod window;

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::WindowHandle;

use crate::driver::Session;
use crate::locate::{
    self, ClickVerdictAnswer, ElementRef, EngineError, FrameState, Hit, Mode, Outcome, Place,
    Purpose, ReadAnswer, Request, Searched, SecretOutcome, Spec, Then,
};
use crate::origins::OrgOrigins;
use crate::poll::{poll, Deadline, Look};
use crate::redact::Redactor;
use crate::runbook::{Action, Locator, Template};
use crate::vars::Vars;

/// Everything an action may touch while it runs.
pub struct Ctx {
    pub session: Session,
    pub frames: FrameState,
    /// Windows in the order the run met them; the first is the main window.
    pub windows: Vec<WindowHandle>,
    /// Windows `window: main` went back from while they stayed open (a tab a person
    /// would close): never a `window: new` again, which means a window opened since.
    pub left: Vec<WindowHandle>,
    pub vars: Vars,
    pub redactor: Redactor,
    /// When the step must be done by, and which limit that is.
    pub deadline: Deadline,
    /// What the step's locator matched, for the report.
    pub matched: Option<Matched>,
    /// The step set its own `timeout:`: wait it out, even for a value that looks final.
    pub patient: bool,
    /// When the last action step ended: what it started may not have answered yet, so
    /// the page counts as still since then at most.
    pub acted: Option<Instant>,
    /// What the step sent that the page may have acted on (a click, keys), once sent:
    /// such a step is never attempted again as if it had not been (see
    /// [`acts_once`]).
    pub performed: Option<&'static str>,
    /// What the attempt's looks saw so far, kept from one look to the next.
    pub looks: Looks,
    /// The origins besides the top document's that a secret may be typed into.
    pub org: OrgOrigins,
    /// A replay for `import --resolve` (see `RunOptions::authoring`).
    pub authoring: bool,
}

/// What one attempt of a step has seen so far. Until the step acts, each of its searches
/// is a single look and the runner's loop makes the next one (the step's only retry
/// loop), so what must outlast one look lives here.
#[derive(Debug)]
pub struct Looks {
    /// When the attempt began.
    pub began: Instant,
    /// Since when a secret's field has matched in several of the org's documents.
    pub ambiguous_since: Option<Instant>,
    /// Error pages reloaded in this attempt.
    pub reloads: u32,
    /// The last wrong value an expectation read: the same again on a still page is final.
    pub wrong: Option<String>,
}

impl Default for Looks {
    fn default() -> Self {
        Looks {
            began: Instant::now(),
            ambiguous_since: None,
            reloads: 0,
            wrong: None,
        }
    }
}

pub use crate::record::Matched;

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("no {what} appeared within the {limit}: {}", searched.summary())]
    NotFound {
        what: String,
        searched: Box<Searched>,
        limit: String,
    },
    #[error("{what} was found in {frame} but never became ready within the {limit}: {reason}")]
    NotReady {
        what: String,
        frame: String,
        reason: String,
        limit: String,
    },
    #[error("expectation failed: {0}")]
    Expectation(String),
    #[error("{what} is {is}; use `{instead}`")]
    WrongAction {
        what: String,
        is: &'static str,
        instead: &'static str,
    },
    #[error("\"{url}\" is not a URL the browser can open: {why}")]
    BadUrl { url: String, why: String },
    #[error("Quick Find needs an org page open, and the browser is at {at}")]
    NoOrgPage { at: String },
    #[error("this is the run's only window; there is nothing to return to after closing it")]
    OnlyWindow,
    #[error("{what} is not a dual listbox: {why}")]
    NotDualListbox { what: String, why: String },
    #[error("a step that goes to the page the check looks at (`at:`) failed (see above)")]
    CheckNavigation,
    #[error("cannot check for {what}: {why}")]
    CannotCheck { what: String, why: String },
    #[error("the included runbook {path} needs input `{input}`")]
    IncludeInput { path: String, input: String },
    #[error("{what}: the selector is invalid: {why}")]
    BadSelector { what: String, why: String },
    #[error("{what} has no option \"{option}\"; its options: {options}")]
    NoOption {
        what: String,
        option: String,
        options: String,
    },
    #[error("{what} has no \"{option}\" among its chosen options ({chosen}), so it cannot be put in order")]
    NotChosen {
        what: String,
        option: String,
        chosen: String,
    },
    #[error("{what} cannot be set to {value}: {why}")]
    OutOfRange {
        what: String,
        value: String,
        why: String,
    },
    #[error("the login page says: {0}")]
    LoginRefused(String),
    /// A secret's field matched in more than one of the org's documents.
    #[error(
        "{what} matches in {}, so the secret was typed into none of them",
        list(places)
    )]
    SecretAmbiguous { what: String, places: Vec<Place> },
    /// A secret's field matched only in frames of other origins.
    #[error("{what} was found only in {}, and that origin is not the org's: a secret is typed only into the top document or a frame of the org's own origins", list(places))]
    SecretForeign { what: String, places: Vec<Place> },
    #[error(
        "`${{{0}}}` has no value at this point (a skipped step may have been meant to capture it)"
    )]
    Unset(String),
    /// An input the run started without, which this step needs: a secret, or an input
    /// the part of the runbook chosen to run (`--group`...) did not read up front.
    #[error("this step needs the {}input `{name}`, which was not given: {how}", if *secret { "secret " } else { "" })]
    InputNotGiven {
        name: String,
        how: String,
        secret: bool,
    },
    /// A value past the bound on what a template renders to or a capture holds.
    #[error("{what} is longer than {} MiB", crate::runbook::template::MAX_RENDERED / 1024 / 1024)]
    TooLong { what: String },
    /// A secret value too short to redact: it would be left in clear in what the run writes.
    #[error("secret `{name}` is refused: {short}")]
    SecretTooShort {
        name: String,
        short: crate::redact::SecretTooShort,
    },
    #[error("the page opened a {kind} saying \"{message}\", which was {answer}: {why}")]
    Dialog {
        kind: String,
        message: String,
        answer: String,
        why: String,
    },
    /// The step's click or keys were sent, then something went wrong: not sent again.
    #[error(
        "the {what} was sent, then {why}; it is not sent again, as the page may have acted on it"
    )]
    ActedThen {
        what: &'static str,
        why: Box<StepError>,
    },
    #[error("the browser connection failed: {0}")]
    Browser(String),
    /// A round trip to the driver outlived the step's deadline (and a little more) or the
    /// cap on one round trip: the driver or the page stopped answering.
    #[error("{command} did not answer within the {limit}: the browser or chromedriver stopped answering, and the run stopped there")]
    NoAnswer { command: String, limit: String },
    #[error("could not look for {what} within the {limit}: {why}")]
    Unsettled {
        what: String,
        limit: String,
        why: String,
    },
    #[error("{what} is still shown in {frame} after the {limit}")]
    StillShown {
        what: String,
        frame: String,
        limit: String,
    },
    #[error("still on the login page after the {limit}")]
    StillOnLogin { limit: String },
    /// The page has not yet done what the step waits for; another try may see it.
    #[error("{0}")]
    NotYet(String),
    /// A click's guard stopped the click: something was drawn over its target (`in` says
    /// where, when not the target's own document) as the pointer came.
    #[error("the click would have landed on {landed}{in_}, drawn over its target as the pointer came; it was stopped before the page saw it")]
    ClickStopped { landed: String, in_: &'static str },
    #[error("the browser could not load {url} ({how})")]
    Unreachable { url: String, how: String },
    /// The step kept meeting `last` until its deadline.
    #[error("gave up after the {limit}: {last}")]
    GaveUp { limit: String, last: Box<StepError> },
    /// The element found cannot take what the step asks (a leaf to expand, a secret for
    /// a table cell); `try_` says what to do instead.
    #[error("{what} {why}")]
    Unworkable {
        what: String,
        why: String,
        try_: &'static str,
    },
    /// setupwright's own locator engine failed: a bug, reported as such.
    #[error("{0}")]
    Engine(String),
}

impl StepError {
    /// What to try, for the frame a failed step is shown in.
    pub fn help(&self) -> Option<&'static str> {
        Some(match self {
            StepError::NotFound { .. } => "compare with the names near it, and with the failure's screenshot and page source in the run folder",
            StepError::NotReady { .. } => "something covers it or it stays disabled: the failure's screenshot shows which",
            StepError::Unsettled { .. } | StepError::NotYet(_) => "if the org is only slow, give the step a longer `timeout:`",
            StepError::ClickStopped { .. } => "something keeps being drawn over the target (the failure's screenshot shows it): wait for it to go first (`wait_for: { ..., gone: true }`), or close it in a step before",
            StepError::StillShown { .. } => "if the org is only slow, give the step a longer `timeout:`; if it stays by design (a message that does not close), wait for something else that shows the step is done",
            StepError::StillOnLogin { .. } => "the page neither moved on nor said why: the failure's screenshot shows whether it asks for a verification code or MFA, which an unattended run cannot answer",
            StepError::WrongAction { .. } => "use the action named above: it is the one made for this kind of control",
            StepError::BadUrl { .. } => "write an absolute URL (https://...) or a path starting with /",
            StepError::NoOrgPage { .. } => "start the runbook with `goto: <My Domain URL>`, or sign in first (--org, or a `login` step)",
            StepError::OnlyWindow => "close only a window the run opened and switched to (`window: new`)",
            StepError::NotDualListbox { .. } => "point the locator at the dual listbox by its label (`field: Selected OAuth Scopes`), and compare with the failure's screenshot",
            StepError::CheckNavigation => "fix the failing `at:` step above; the check decides nothing until it reaches its page",
            StepError::CannotCheck { .. } => "the page shows an error that reloading did not cure, so the check cannot decide: look at the org, then resume",
            StepError::IncludeInput { .. } => "pass it under `inputs:` on the include step, or give it a `default:` in the included runbook",
            StepError::BadSelector { .. } => "try the selector in the browser's console first: document.querySelectorAll('...') for css, document.evaluate('...', document) for xpath",
            StepError::NotChosen { .. } => "move it to the chosen list first with `choose: { field: ..., add: [...] }`, or write it as the list shows it",
            StepError::OutOfRange { .. } => "give a value the slider can take: a number between its ends, on its step",
            StepError::NoOption { .. } => "write the option as the list shows it (one of those above), or pick it by its value",
            StepError::SecretAmbiguous { .. } => "make the locator match in one document only (a label, `in_section:` or `in_dialog:` the other does not have); if the page shows the field twice, close what shows the other",
            StepError::SecretForeign { .. } => "if that frame is the org's, trust its origin with `--trust-origin URL`; otherwise the page's own field never appeared: compare with the failure's screenshot",
            StepError::LoginRefused(_) => "check the username and the password input (SETUPWRIGHT_LOGIN_PASSWORD or an --inputs file); a locked user is unlocked in Setup > Users",
            StepError::Unreachable { .. } => "check the URL, and that the org answers from this machine (curl -sSI URL)",
            StepError::GaveUp { last, .. } => return last.help(),
            StepError::Unset(_) => "capture the value in a step that always runs, or guard this step with `only_if: { set: NAME }`",
            StepError::InputNotGiven { secret: true, .. } => "give it as the message above says, then resume with the command printed below: a secret input is asked for only when a step needs it",
            StepError::InputNotGiven { .. } => "give it as the message above says, then resume with the command printed below (the part of the runbook chosen to run did not read it, so it was not asked for up front)",
            StepError::TooLong { .. } => "a value this long is no setting: check the inputs and captures the template joins (or what the capture points at)",
            StepError::SecretTooShort { .. } => "point the capture or input at the secret itself (the failure's screenshot shows what was read), or drop `secret: true` if the value is not one",
            StepError::Dialog { .. } => "say how the step answers it: `dialog: accept`, `dialog: dismiss`, or `dialog: { accept: TEXT }` for a prompt",
            StepError::ActedThen { .. } => "look at the failure's screenshot: the page may have done what the step asked. A step that is safe to repeat can say so with `retry:`",
            StepError::Browser(_) => "the browser went away; resume with the command printed below",
            StepError::NoAnswer { .. } => "a stopped or overloaded chromedriver, a crashed tab, or a page too big to read keeps a browser from answering: check the machine's load and the page, then resume with the command printed below",
            StepError::Engine(_) => "this is a bug in setupwright's locator engine; please report it with the page source from the run folder",
            StepError::Unworkable { try_, .. } => try_,
            StepError::Expectation(_) => return None,
        })
    }

    /// A failed WebDriver command as the step's failure: a round trip abandoned at its
    /// deadline says so (and which limit it was), anything else is the browser's failure.
    pub fn driver(e: &CmdError) -> StepError {
        match crate::driver::no_answer(e) {
            Some((command, limit)) => StepError::NoAnswer { command, limit },
            None => StepError::Browser(e.to_string()),
        }
    }

    /// A failure a look makes of what it saw, already naming the limit it ran out against
    /// (or needing none): the step's failure as it is when its time runs out.
    pub fn says_its_limit(&self) -> bool {
        matches!(
            self,
            StepError::NotFound { .. }
                | StepError::NotReady { .. }
                | StepError::SecretForeign { .. }
                | StepError::Unsettled { .. }
                | StepError::StillShown { .. }
                | StepError::Expectation(_)
        )
    }

    /// Of what an earlier look and this one saw, what the step's failure should say: a
    /// look cut short by the page says less than an earlier one that saw the page.
    pub fn or_more_telling(self, now: StepError) -> StepError {
        let cut_short = matches!(now, StepError::Unsettled { .. });
        let saw_the_page = matches!(
            self,
            StepError::NotFound { .. }
                | StepError::NotReady { .. }
                | StepError::SecretForeign { .. }
                | StepError::Expectation(_)
        );
        if cut_short && saw_the_page {
            self
        } else {
            now
        }
    }

    /// The browser or its driver failed, and nothing more can be done in this run.
    pub fn ends_run(&self) -> bool {
        matches!(self, StepError::Browser(_) | StepError::NoAnswer { .. })
    }

    /// A WebDriver error that says the page moved under us: worth another try.
    pub fn transient(e: &CmdError) -> bool {
        e.is_stale_element_reference()
            || e.is_element_not_interactable()
            || e.is_no_such_element()
            || e.is_no_such_frame()
            || e.is_javascript_error()
            || e.is_move_target_out_of_bounds()
            || e.is_invalid_element_state()
            || e.to_string().contains("element click intercepted")
            || e.to_string().contains("unloaded")
            || crate::locate::cut_by_navigation(e)
    }
}

/// Documents as an error lists them: "the top document (https://…) and frame x (…)".
/// A click or keys refused before anything reached the page: the element went stale,
/// moved, is covered or cannot take input. Any other error may come after the page got
/// them.
pub fn refused_before_dispatch(e: &CmdError) -> bool {
    e.is_stale_element_reference()
        || e.is_no_such_element()
        || e.is_element_not_interactable()
        || e.is_move_target_out_of_bounds()
        || e.is_invalid_element_state()
        || e.to_string().contains("element click intercepted")
}

/// Whether an action's effect may not be sent twice in one step: a click or keys may
/// have been acted on whatever came back. The other actions read the page's state before
/// they change it (a checkbox already checked is not clicked), so another attempt is safe.
pub fn acts_once(action: &Action) -> bool {
    matches!(action, Action::Click(_) | Action::Press(_))
}

fn list(places: &[Place]) -> String {
    let all: Vec<String> = places.iter().map(Place::to_string).collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => all.join(""),
    }
}

/// Either something worth another try (and the failure it becomes if the step's time
/// runs out first), or a step failure.
pub enum Attempt {
    Retry(StepError),
    Fail(StepError),
}

impl Attempt {
    /// The page has not yet done what the step waits for.
    pub fn not_yet(why: impl Into<String>) -> Attempt {
        Attempt::Retry(StepError::NotYet(why.into()))
    }
}

impl From<crate::runbook::RenderError> for StepError {
    fn from(e: crate::runbook::RenderError) -> Self {
        match e {
            crate::runbook::RenderError::Unset(v) => StepError::Unset(v.display()),
            crate::runbook::RenderError::TooLong { span } => StepError::TooLong {
                what: format!(
                    "the value written at line {}, column {}",
                    span.line, span.col
                ),
            },
        }
    }
}

impl From<StepError> for Attempt {
    fn from(e: StepError) -> Self {
        Attempt::Fail(e)
    }
}

impl From<CmdError> for Attempt {
    fn from(e: CmdError) -> Self {
        if StepError::transient(&e) {
            Attempt::not_yet(e.to_string())
        } else {
            Attempt::Fail(StepError::driver(&e))
        }
    }
}

impl From<EngineError> for Attempt {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Driver(e) => e.into(),
            script @ EngineError::Script(_) => Attempt::Fail(StepError::Engine(script.to_string())),
        }
    }
}

pub type AResult<T> = Result<T, Attempt>;

/// How long a control has to show a choice just made before the step tries again (a
/// re-render can swallow a click).
const CONFIRM_WITHIN: Duration = Duration::from_millis(500);

/// How often one step may reload a transient error page before giving up.
const MAX_RELOADS: u32 = 5;
/// How long a click's verdict may take to come on the channel after the click was sent
/// before it is asked instead: it is said while the click's events are dispatched (or a
/// select's change), which the click's command waits for, so it comes within a
/// millisecond unless the page stopped the events or the browser holds the message up.
const SAID_WITHIN: Duration = Duration::from_millis(100);

/// How long a secret's field may match in several of the org's documents before the step
/// fails: long enough for a frame being replaced (a classic page loads its next page in a
/// new frame) to go, short of waiting out the whole step for a locator that will not
/// change.
const AMBIGUOUS_FOR: Duration = Duration::from_secs(1);

impl Ctx {
    pub fn render(&self, t: &Template) -> Result<String, StepError> {
        self.vars
            .register_env_secrets(t, &self.redactor)
            .map_err(|(name, short)| StepError::SecretTooShort { name, short })?;
        self.vars.render(t).map_err(|e| match &e {
            crate::runbook::RenderError::Unset(crate::runbook::VarRef::Name(name)) => {
                match self.vars.not_given(name) {
                    Some(n) => StepError::InputNotGiven {
                        name: n.name.clone(),
                        how: n.how.clone(),
                        secret: n.secret,
                    },
                    None => StepError::from(e),
                }
            }
            _ => StepError::from(e),
        })
    }

    pub fn spec(&self, l: &Locator, purpose: Purpose, mode: Mode) -> Result<Spec, StepError> {
        let opt = |t: &Option<Template>| t.as_ref().map(|t| self.render(t)).transpose();
        Ok(Spec {
            kind: l.kind,
            value: self.render(&l.value)?,
            exact: l.exact,
            nth: l.nth,
            in_row: opt(&l.in_row)?,
            in_section: opt(&l.in_section)?,
            in_dialog: opt(&l.in_dialog)?,
            purpose,
            mode,
            raw_kind: None,
            within: None,
            control: None,
            no_scroll: false,
        })
    }

    /// Waits for the element and, in `Act` mode, for it to be actionable.
    pub async fn find(&mut self, spec: &Spec) -> AResult<Hit> {
        self.find_then(spec, None).await
    }

    /// As `find`, running `then` on the element in the search's round trip once it is
    /// ready (see `locate::locate_then`).
    pub async fn find_then(&mut self, spec: &Spec, then: Option<Then>) -> AResult<Hit> {
        self.find_where(spec, then, false).await
    }

    /// As `find_then`, for a field a secret goes into: searched in every document, found
    /// only in exactly one of the org's (see `locate::locate_secret`).
    pub async fn find_secret_target(&mut self, spec: &Spec, then: Option<Then>) -> AResult<Hit> {
        self.find_where(spec, then, true).await
    }

    /// One owner for a step's retries: until the step has acted, a search is a single look
    /// whose miss is worth another try (`Attempt::Retry`, saying what it saw), and the
    /// runner's loop makes the next look. Once the step has acted (a click, keys, text
    /// typed), a search waits within the step's deadline for what the act brings (the
    /// options of a list it opened): a step that acted never starts again as if it had not.
    async fn find_where(&mut self, spec: &Spec, then: Option<Then>, secret: bool) -> AResult<Hit> {
        let waits = self.performed.is_some();
        let deadline = if waits {
            self.deadline.clone()
        } else {
            self.deadline.within(Duration::ZERO)
        };
        let mut last_unready: Option<Hit> = None;
        let mut last_missing: Option<Box<Searched>> = None;
        let mut last_error: Option<String> = None;
        // A secret's field seen only in other origins' frames: the page's own may yet come.
        let mut last_foreign: Option<Vec<Place>> = None;
        let found = poll(&deadline, async || {
            let outcome = if secret {
                locate::locate_secret(
                    &self.session,
                    &mut self.frames,
                    spec,
                    then.clone(),
                    &self.org,
                )
                .await
            } else {
                locate::locate_then(&self.session, &mut self.frames, spec, then.clone())
                    .await
                    .map(|o| match o {
                        Outcome::Found(h) => SecretOutcome::Found(h),
                        Outcome::Missing(s) => SecretOutcome::Missing(s),
                    })
            };
            if !matches!(outcome, Ok(SecretOutcome::Ambiguous(_))) {
                self.looks.ambiguous_since = None;
            }
            if !matches!(outcome, Ok(SecretOutcome::Foreign(_))) {
                last_foreign = None;
            }
            match outcome {
                Ok(SecretOutcome::Ambiguous(places)) => {
                    // Long enough for a frame being replaced (a classic page loads its next
                    // page in a new frame) to go.
                    let since = *self.looks.ambiguous_since.get_or_insert_with(Instant::now);
                    if since.elapsed() < AMBIGUOUS_FOR {
                        return Look::Again;
                    }
                    Look::Done(Err(StepError::SecretAmbiguous {
                        what: spec.describe(),
                        places,
                    }
                    .into()))
                }
                Ok(SecretOutcome::Foreign(places)) => {
                    last_foreign = Some(places);
                    Look::Again
                }
                Ok(SecretOutcome::Found(hit)) if hit.ready || spec.mode != Mode::Act => {
                    self.matched = Some(Matched {
                        locator: spec.describe(),
                        name: hit.name.clone(),
                        frame: hit.frame.clone(),
                        role: hit.role.clone(),
                        authored: hit
                            .authored
                            .as_ref()
                            .filter(|a| a.unique)
                            .and_then(|a| a.locator.as_ref().map(|l| (l, &a.role)))
                            .map(|(l, role)| {
                                serde_json::json!({
                                    "kind": l.kind, "value": l.value, "in_row": l.in_row,
                                    "in_section": l.in_section, "in_dialog": l.in_dialog, "nth": l.nth,
                                    "role": role,
                                })
                            }),
                        checked: None,
                    });
                    if let Some(how) = &hit.steady {
                        tracing::debug!(
                            target: "setupwright::locate",
                            "{}: found, steady by {how}",
                            spec.describe()
                        );
                    }
                    // Text pasted in the search's round trip is the step's act.
                    if hit.then.is_some() && matches!(then, Some(Then::Insert { .. })) {
                        self.performed = Some("text");
                    }
                    Look::Done(Ok(*hit))
                }
                Ok(SecretOutcome::Found(hit)) => {
                    last_unready = Some(*hit);
                    Look::Again
                }
                Ok(SecretOutcome::Missing(searched)) => {
                    if let Some(why) = &searched.bad_selector {
                        return Look::Done(Err(StepError::BadSelector {
                            what: spec.describe(),
                            why: why.clone(),
                        }
                        .into()));
                    }
                    if let Some(reloaded) = self.reload_error_page(&searched).await {
                        if let Err(e) = reloaded {
                            last_error = Some(e.to_string());
                        }
                        return Look::AgainNow;
                    }
                    last_unready = None;
                    last_missing = Some(searched);
                    Look::Again
                }
                Err(EngineError::Driver(e)) if e.is_no_such_window() => {
                    match self.recover_window().await {
                        Ok(()) => Look::AgainNow,
                        Err(e) => Look::Done(Err(e)),
                    }
                }
                Err(EngineError::Driver(e))
                    if StepError::transient(&e) || locate::frame_lost(&e) =>
                {
                    self.frames.lost();
                    last_error = Some(e.to_string());
                    Look::Again
                }
                Err(EngineError::Driver(e)) => Look::Done(Err(StepError::driver(&e).into())),
                Err(script) => Look::Done(Err(script.into())),
            }
        })
        .await;
        if let Some(answer) = found {
            return answer;
        }
        // What the look saw, as the step's failure should its time run out now.
        let limit = deadline.limit;
        let seen = if let Some(places) = last_foreign {
            StepError::SecretForeign {
                what: spec.describe(),
                places,
            }
        } else {
            match (last_unready, last_missing) {
                (Some(h), _) => StepError::NotReady {
                    what: spec.describe(),
                    frame: h.frame,
                    reason: h.reason.unwrap_or_default(),
                    limit,
                },
                (None, Some(searched)) => StepError::NotFound {
                    what: spec.describe(),
                    searched,
                    limit,
                },
                (None, None) => StepError::Unsettled {
                    what: spec.describe(),
                    limit,
                    why: last_error.unwrap_or_else(|| "the page kept changing".into()),
                },
            }
        };
        Err(if waits {
            Attempt::Fail(seen)
        } else {
            Attempt::Retry(seen)
        })
    }

    /// A 503 page goes away on reload; a person would reload, so do we, up to
    /// MAX_RELOADS times per attempt. `None`: the search did not land on such a page, or
    /// the reloads are used up.
    pub async fn reload_error_page(
        &mut self,
        searched: &locate::Searched,
    ) -> Option<Result<(), CmdError>> {
        if self.looks.reloads >= MAX_RELOADS || !searched.on_error_page() {
            return None;
        }
        self.looks.reloads += 1;
        let reloads = self.looks.reloads;
        tracing::info!(
            "the page says \"{}\"; reloading ({reloads}/{MAX_RELOADS})",
            searched.titles.join("\", \"")
        );
        let done = self.session.refresh().await;
        self.frames.path.clear();
        Some(done)
    }

    pub async fn find_locator(
        &mut self,
        l: &Locator,
        purpose: Purpose,
        mode: Mode,
    ) -> AResult<Hit> {
        let spec = self.spec(l, purpose, mode)?;
        self.find(&spec).await
    }

    /// A click that lands where a person's would: on the control, or the label that
    /// covers a visually hidden checkbox.
    pub async fn click(&mut self, hit: &Hit) -> AResult<()> {
        self.click_reading(hit, None).await.map(|_| ())
    }

    /// `click`, then with `read` what that element shows after it (read with the click's
    /// verdict, in the same round trip); None where it could not be read.
    pub async fn click_reading(
        &mut self,
        hit: &Hit,
        read: Option<&Element>,
    ) -> AResult<Option<ReadAnswer>> {
        // A target in a frame: what the top document draws over the frame (a toast, a
        // menu) would take the click's events where the frame's own guard never sees them.
        let above = if hit.guarded && !self.frames.path.is_empty() {
            self.guard_above().await
        } else {
            None
        };
        let clicked = match &hit.aim {
            Some(aim) => self.session.pointer_click(aim).await,
            // Found without the actionability checks: let chromedriver make its own.
            None => self.session.click(&hit.target).await,
        };
        self.performed = Some("click");
        // Its verdict unread (the click failed, or led away), the top document's guard
        // would stop every click there until the next search: reading it disarms it.
        if let (Err(_), Some(top)) = (&clicked, &above) {
            let disarm = Request::ClickVerdict { read: None };
            let _ = locate::run_in::<ClickVerdictAnswer>(&self.session, top, &disarm, true).await;
        }
        match clicked {
            // The click closed its own window (a lookup popup picking a value): done.
            Err(e) if e.is_no_such_window() => {
                let _ = self.recover_window().await;
                Ok(None)
            }
            // Refused before anything reached the page: not performed, worth another try.
            Err(e) if refused_before_dispatch(&e) => {
                self.performed = None;
                Err(e.into())
            }
            // The click opened a dialog (a classic Del's "Are you sure?", which the session
            // answers as the step declared) or led its document away (a link, a frame that
            // reloads): it was performed, and is never sent again as if it had not been.
            Err(e) if e.is_unexpected_alert_open() || StepError::transient(&e) => Ok(None),
            Err(e) => Err(e.into()),
            Ok(()) if hit.guarded || read.is_some() => {
                self.judge_click(read, above, hit.guard_token.as_deref())
                    .await
            }
            Ok(()) => Ok(None),
        }
    }

    /// Reads where a guarded click landed (`guard.js`). On the target, or led to another
    /// document: done. Stopped because something moved over the target (in its document,
    /// or with `above`, the top document's context, over the frame it is in): nothing
    /// reached the page, and the step tries again. Landed in no part of its document
    /// (another frame or window covered the point): performed, but not on the target.
    async fn judge_click(
        &mut self,
        read: Option<&Element>,
        above: Option<String>,
        token: Option<&str>,
    ) -> AResult<Option<ReadAnswer>> {
        let here = async {
            match self.said_verdict(token, read).await {
                Some(said) => Ok(Some(said)),
                None => self.verdict_here(read).await,
            }
        };
        let (here, top) = futures_util::future::join(here, async {
            match &above {
                Some(top) => {
                    let asked = Request::ClickVerdict { read: None };
                    locate::run_in::<ClickVerdictAnswer>(&self.session, top, &asked, true)
                        .await
                        .ok()
                }
                None => None,
            }
        })
        .await;
        // Unread (the top document went on, or a dialog holds it): nothing was stopped there
        // that the frame's verdict would not tell.
        if let Some(top) = top.filter(|v| v.verdict == "blocked") {
            self.performed = None;
            return Err(Attempt::Retry(StepError::ClickStopped {
                landed: top.landed,
                in_: " in the top document, over the frame the target is in",
            }));
        }
        let verdict: ClickVerdictAnswer = match here {
            Ok(Some(v)) => v,
            // A document the engine never ran in: the click led to it.
            Ok(None) => return Ok(None),
            // The click closed its window, or its document went on the way a link leads.
            Err(EngineError::Driver(e)) if e.is_no_such_window() => {
                let _ = self.recover_window().await;
                return Ok(None);
            }
            Err(EngineError::Driver(e))
                if e.is_unexpected_alert_open() || StepError::transient(&e) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(e.into()),
        };
        match verdict.verdict.as_str() {
            _ if !verdict.armed => Ok(verdict.read),
            "hit" => Ok(verdict.read),
            "blocked" => {
                self.performed = None;
                Err(Attempt::Retry(StepError::ClickStopped {
                    landed: verdict.landed,
                    in_: "",
                }))
            }
            _ => Err(Attempt::not_yet(
                "no event of the click reached the page its target is in: another frame \
                 covered the point, or the page stopped the events before its own listeners"
                    .to_string(),
            )),
        }
    }

    /// The verdict the guard said on the executor's channel under `token` (no round trip),
    /// with what `read` shows when it read that element; None when none came in time (the
    /// click led the document away first, no event of it reached the document, or the
    /// engine there has no channel): the verdict is then asked.
    pub(super) async fn said_verdict(
        &self,
        token: Option<&str>,
        read: Option<&Element>,
    ) -> Option<ClickVerdictAnswer> {
        let token = token?;
        let started = Instant::now();
        let said = self.session.said_verdict(token, SAID_WITHIN).await;
        tracing::debug!(
            "the verdict {} after {:.1} ms",
            if said.is_some() {
                "came"
            } else {
                "did not come: asked"
            },
            started.elapsed().as_secs_f64() * 1000.0
        );
        let said = said?;
        let mut verdict: ClickVerdictAnswer = serde_json::from_value(said).ok()?;
        verdict.armed = true;
        match read {
            None => verdict.read = None,
            Some(el) if verdict.read_of.as_ref().map(|r| &r.0) != Some(&ElementRef::of(el).0) => {
                return None
            }
            Some(_) => {}
        }
        Some(verdict)
    }

    /// The verdict of the guard in the current document, None where the engine never ran
    /// (the click led there). An element to `read` that the click took away (a re-render)
    /// must not cost the verdict: it is then asked alone.
    async fn verdict_here(
        &self,
        read: Option<&Element>,
    ) -> Result<Option<ClickVerdictAnswer>, EngineError> {
        let asked = Request::ClickVerdict {
            read: read.map(ElementRef::of),
        };
        match locate::run_if_installed(&self.session, &asked).await {
            Err(EngineError::Driver(e)) if read.is_some() && StepError::transient(&e) => {
                let alone = Request::ClickVerdict { read: None };
                locate::run_if_installed(&self.session, &alone).await
            }
            other => other,
        }
    }

    /// Arms the top document's guard for a click on a target in a frame below it; its
    /// BiDi context, or None where it could not be armed (the click then goes unguarded
    /// there, as before the guard).
    async fn guard_above(&self) -> Option<String> {
        let top = self.session.top_context().await.ok()?;
        let armed: Result<serde_json::Value, _> =
            locate::run_in(&self.session, &top, &Request::GuardAbove, true).await;
        armed.ok().map(|_| top)
    }

    /// The current window was closed (a popup that closed itself): go back to the
    /// most recent window still open.
    pub async fn recover_window(&mut self) -> AResult<()> {
        let open = self
            .session
            .windows()
            .await
            .map_err(|e| StepError::driver(&e))?;
        self.windows.retain(|w| open.contains(w));
        let to = self
            .windows
            .last()
            .cloned()
            .or_else(|| open.first().cloned());
        if let Some(w) = to {
            self.session
                .switch_to_window(w)
                .await
                .map_err(|e| StepError::driver(&e))?;
        }
        self.frames.path.clear();
        Err(Attempt::not_yet("the window closed"))
    }

    /// Types `text` over a field's content, key by key: where the browser refuses a paste.
    pub async fn retype(&self, el: &Element, text: &str) -> AResult<()> {
        let keys = format!(
            "{}\u{E003}{text}",
            crate::runbook::keys::sequence("Control+a")
        );
        Ok(self.session.send_keys(el, &keys).await?)
    }

    /// Reads `el` until it `shows` what an action just did, for at most
    /// [`CONFIRM_WITHIN`]; false if it never did (a re-render can swallow a click).
    pub async fn confirm(
        &self,
        el: &Element,
        shows: impl Fn(&ReadAnswer) -> bool,
    ) -> AResult<bool> {
        let confirmed = poll(&self.deadline.within(CONFIRM_WITHIN), async || {
            match self.read(el).await {
                Ok(now) if shows(&now) => Look::Done(Ok(())),
                Ok(_) => Look::Again,
                Err(e) => Look::Done(Err(e)),
            }
        })
        .await;
        confirmed.map_or(Ok(false), |answer| answer.map(|()| true))
    }

    pub async fn read(&self, el: &Element) -> AResult<ReadAnswer> {
        Ok(locate::run(
            &self.session,
            &Request::Read {
                el: ElementRef::of(el),
            },
        )
        .await?)
    }
}

/// Runs one action once; the runner retries `Attempt::Retry` until the deadline.
pub async fn perform(ctx: &mut Ctx, action: &Action) -> AResult<()> {
    use crate::runbook::actions as a;
    match action {
        Action::Goto(a::Goto { url }) => goto::run(ctx, url).await,
        Action::Setup(a::Setup { page, section }) => setup::run(ctx, page, section.as_ref()).await,
        Action::Click(a::Click { target }) => click::run(ctx, target).await,
        Action::Fill(a::Fill { target, value }) => fill::fill(ctx, target, value).await,
        Action::Clear(a::Clear { target }) => fill::clear(ctx, target).await,
        Action::Select(a::Select { target, option }) => select::run(ctx, target, option).await,
        Action::Check(a::Check { target }) => check::run(ctx, target, true).await,
        Action::Uncheck(a::Uncheck { target }) => check::run(ctx, target, false).await,
        Action::Choose(a::Choose {
            target,
            add,
            remove,
        }) => choose::run(ctx, target, add, remove).await,
        Action::Press(a::Press { key, target }) => press::run(ctx, key, target.as_ref()).await,
        Action::Hover(a::Hover { target }) => hover::run(ctx, target).await,
        Action::WaitFor(a::WaitFor { target, gone }) => wait_for::run(ctx, target, *gone).await,
        Action::Expect(a::Expect { target, check }) => {
            expect::run(ctx, target.as_ref(), check).await
        }
        Action::Capture(a::Capture { items, secret }) => capture::run(ctx, items, *secret).await,
        // The runner takes the picture, as it does after every step, under the step's name.
        Action::Screenshot(_) => Ok(()),
        Action::Window(a::Window { op }) => window::run(ctx, op).await,
        Action::Login(a::Login { username, password }) => login::run(ctx, username, password).await,
        Action::Expand(a::Expand { target }) => expand::run(ctx, target, true).await,
        Action::Collapse(a::Collapse { target }) => expand::run(ctx, target, false).await,
        Action::EditCell(a::EditCell {
            target,
            value,
            save,
        }) => edit_cell::run(ctx, target, value, *save).await,
        Action::Reorder(a::Reorder { target, to }) => reorder::run(ctx, target, to).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fantoccini::error::{ErrorStatus, WebDriver};

    #[test]
    fn a_click_refused_before_dispatch_may_be_sent_again_and_one_cut_short_after_may_not() {
        let err = |status, msg: &str| CmdError::Standard(WebDriver::new(status, msg.to_string()));
        // Refused before the page got anything: another attempt is safe.
        for e in [
            err(
                ErrorStatus::StaleElementReference,
                "stale element reference",
            ),
            err(
                ErrorStatus::ElementNotInteractable,
                "element not interactable",
            ),
            err(
                ErrorStatus::MoveTargetOutOfBounds,
                "move target out of bounds",
            ),
            err(
                ErrorStatus::ElementClickIntercepted,
                "element click intercepted: other element would receive the click",
            ),
        ] {
            assert!(refused_before_dispatch(&e), "{e}");
        }
        // Answered after the page got the click: a dialog, a document that went away.
        for e in [
            err(ErrorStatus::UnexpectedAlertOpen, "unexpected alert open"),
            err(ErrorStatus::ScriptTimeout, "script timeout"),
            err(ErrorStatus::NoSuchFrame, "no such frame"),
            err(
                ErrorStatus::JavascriptError,
                "javascript error: document unloaded while waiting for result",
            ),
        ] {
            assert!(!refused_before_dispatch(&e), "{e}");
        }
        let load = |src: &str| {
            crate::runbook::load_source(std::path::Path::new("t.yaml"), src, vec![]).unwrap()
        };
        let rb = load("runbook: t\nsteps:\n  - click: Save\n  - check: Active\n  - press: Tab\n");
        let kinds: Vec<bool> = rb
            .steps
            .iter()
            .map(|s| match &s.kind {
                crate::runbook::StepKind::Action(act) => acts_once(act),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(kinds, [true, false, true]);
    }

    #[test]
    fn the_step_fails_on_what_its_looks_saw_of_the_page_not_on_a_look_cut_short() {
        let not_found = || StepError::NotFound {
            what: "button \"Save\"".into(),
            searched: Box::default(),
            limit: "step timeout of 30s".into(),
        };
        let cut = || StepError::Unsettled {
            what: "button \"Save\"".into(),
            limit: "step timeout of 30s".into(),
            why: "document unloaded".into(),
        };
        assert!(matches!(
            not_found().or_more_telling(cut()),
            StepError::NotFound { .. }
        ));
        assert!(matches!(
            cut().or_more_telling(not_found()),
            StepError::NotFound { .. }
        ));
        assert!(matches!(
            StepError::Expectation("a".into()).or_more_telling(StepError::Expectation("b".into())),
            StepError::Expectation(b) if b == "b"
        ));
        // What a look saw is the failure as it stands; a transient error is wrapped in
        // the limit it outlasted.
        assert!(not_found().says_its_limit() && cut().says_its_limit());
        assert!(!StepError::NotYet("the field holds \"\"".into()).says_its_limit());
    }

    #[test]
    fn a_click_stopped_until_the_deadline_says_where_it_would_have_landed_and_what_to_try() {
        let stopped = StepError::ClickStopped {
            landed: "button#banner".into(),
            in_: " in the top document, over the frame the target is in",
        };
        let gave_up = StepError::GaveUp {
            limit: "step timeout of 3s".into(),
            last: Box::new(stopped),
        };
        let said = gave_up.to_string();
        assert!(
            said.contains("would have landed on button#banner in the top document"),
            "{said}"
        );
        assert!(gave_up.help().is_some_and(|h| h.contains("gone: true")));
    }

    #[test]
    fn a_script_cut_short_by_navigation_is_worth_another_try() {
        // Chrome's answers when the document goes away under Execute Async Script, and
        // under Execute Script waiting on a promise (seen with chromedriver 156).
        let e = CmdError::Standard(WebDriver::new(ErrorStatus::ScriptTimeout, "script timeout"));
        assert!(StepError::transient(&e));
        assert!(crate::locate::frame_lost(&e));
        let e = CmdError::Standard(WebDriver::new(
            ErrorStatus::Timeout,
            "timeout\nfrom aborted by navigation: Inspected target navigated or closed",
        ));
        assert!(StepError::transient(&e));
        assert!(crate::locate::frame_lost(&e));
        // A real timeout is not.
        let e = CmdError::Standard(WebDriver::new(
            ErrorStatus::Timeout,
            "timeout: Timed out receiving message from renderer: 10.000",
        ));
        assert!(!StepError::transient(&e));
        let e = CmdError::Standard(WebDriver::new(ErrorStatus::SessionNotCreated, "no session"));
        assert!(!StepError::transient(&e));
    }
}
