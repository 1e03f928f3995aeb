//! The runner: walks the runbook's steps, decides skip/only, keeps variables and
//! secrets, retries within deadlines, takes the screenshot after each step, and hands
//! finished steps to listeners and the report.

pub mod events;
pub mod inputs;
pub mod journal;
pub mod vars;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::actions::{self, Attempt, Ctx, StepError};
use crate::driver::Session;
use crate::locate::{
    self, EngineError, FrameState, MaskAnswer, Mode, Outcome, Purpose, Request, ShootAnswer,
    SourceAnswer, Stillness,
};
use crate::report::{self, RunReport};
use crate::runbook::{Action, Condition, Runbook, Step, StepKind, Test};
use events::{Event, Listener, Status, StepKindName, StepRecord};
use vars::{Redactor, Vars};

/// How long a page must go without a network response before a condition may decide
/// that what it looks for is not there: half a second, as Playwright's "networkidle".
/// Since a request shows only once it answers, a request the last action started counts
/// as pending for that long.
const CONDITION_NET_QUIET: Duration = Duration::from_millis(500);
/// How long its DOM must also stay unchanged: Lightning renders a list a moment after
/// its data arrives and the spinner goes; rendering is made of DOM changes a few
/// milliseconds apart, not pauses this long without a request.
const CONDITION_DOM_QUIET: Duration = Duration::from_millis(250);
/// However long the page says it has been still, a guard looks at least this long.
const CONDITION_LOOK: Duration = Duration::from_millis(150);
/// A page that never stops changing (a clock, an animation), or gives no word of its
/// stillness, is looked at for this long.
const CONDITION_LOOK_MAX: Duration = Duration::from_millis(1000);

/// Whether a guard that keeps finding nothing (and no spinner) may decide "missing" now
/// (`None`), or how long until it may. Either it has looked for CONDITION_LOOK_MAX itself,
/// or it has looked for CONDITION_LOOK and the page, by its own clock (which counts the
/// time before the guard began), has been still long enough both ways.
fn quiet_wait(looked: Duration, page_still: Option<Stillness>) -> Option<Duration> {
    if looked >= CONDITION_LOOK_MAX {
        return None;
    }
    let by_page = page_still.map(|still| {
        let page = CONDITION_NET_QUIET
            .saturating_sub(still.net)
            .max(CONDITION_DOM_QUIET.saturating_sub(still.dom));
        CONDITION_LOOK.saturating_sub(looked).max(page)
    });
    let wait = by_page.map_or(CONDITION_LOOK_MAX - looked, |p| {
        p.min(CONDITION_LOOK_MAX - looked)
    });
    if wait.is_zero() {
        None
    } else {
        // Never a busy loop: the page is asked again at most every 5 ms.
        Some(wait.max(Duration::from_millis(5)))
    }
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub step_timeout: Duration,
    /// How long a `skip_if` / `only_if` test waits for its element before deciding.
    pub condition_timeout: Duration,
    pub run_timeout: Option<Duration>,
    pub screenshots: bool,
    /// Capture every picture, even where the page proves it has not changed since the
    /// last one (which is otherwise linked, not captured again).
    pub fresh_screenshots: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            step_timeout: Duration::from_secs(30),
            condition_timeout: Duration::from_secs(4),
            run_timeout: None,
            screenshots: true,
            fresh_screenshots: false,
        }
    }
}

/// Why a run stopped early; decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Step,
    Expectation,
    Browser,
}

pub struct Runner<'l> {
    ctx: Ctx,
    /// Locators of secret captures, masked in every screenshot.
    secret_targets: Vec<crate::runbook::Locator>,
    opts: RunOptions,
    dir: PathBuf,
    run_deadline: Option<Instant>,
    seq: usize,
    pub records: Vec<StepRecord>,
    listener: &'l mut dyn Listener,
    pub failure: Option<Failure>,
    journal: Option<journal::Journal>,
    input_names: Vec<String>,
    /// Top-level steps an interrupted run finished (`--resume`).
    resumed: std::collections::HashSet<String>,
    /// `verify`: decide which guarded groups are done; change nothing.
    verify: bool,
    /// What `verify` found: (path, title, done, why).
    pub drift: Vec<(String, String, bool, String)>,
    /// When the last action step ended. What it started (a request whose answer has not
    /// come yet) shows in neither the DOM nor Resource Timing, so a guard counts the
    /// page as still since then at most.
    acted: Option<Instant>,
    /// The last picture captured and the documents it showed, each as it was then.
    last_picture: Option<Picture>,
}

/// A screenshot file and the documents of the window it pictured: (frame label, the
/// document's own mark), top first.
struct Picture {
    file: String,
    docs: Vec<(String, String)>,
}

/// Actions `verify` may run: they read or move around, and cannot change the org's data.
fn read_only(a: &Action) -> bool {
    matches!(
        a,
        Action::Goto { .. }
            | Action::Setup { .. }
            | Action::Login { .. }
            | Action::Window { .. }
            | Action::WaitFor { .. }
            | Action::Expect { .. }
            | Action::Capture { .. }
            | Action::Screenshot { .. }
    )
}

/// Whether a step, or any step inside it, could change the org's data.
fn changes_org(step: &Step) -> bool {
    match &step.kind {
        StepKind::Action(a) => !read_only(a),
        StepKind::Group { steps, .. } => steps.iter().any(changes_org),
        StepKind::Include { runbook, .. } => runbook.steps.iter().any(changes_org),
    }
}

struct Stop;

impl<'l> Runner<'l> {
    pub async fn new(
        session: Session,
        vars: Vars,
        redactor: Redactor,
        opts: RunOptions,
        dir: PathBuf,
        listener: &'l mut dyn Listener,
    ) -> Result<Runner<'l>, String> {
        let main = session
            .window()
            .await
            .map_err(|e| format!("the browser session is not usable: {e}"))?;
        let run_deadline = opts.run_timeout.map(|t| Instant::now() + t);
        let ctx = Ctx {
            session,
            frames: FrameState::default(),
            windows: vec![main],
            vars,
            redactor,
            deadline: Instant::now(),
            limit: String::new(),
            matched: None,
            patient: false,
            acted: None,
        };
        Ok(Runner {
            ctx,
            secret_targets: Vec::new(),
            opts,
            dir,
            run_deadline,
            seq: 0,
            records: Vec::new(),
            listener,
            failure: None,
            journal: None,
            input_names: Vec::new(),
            resumed: Default::default(),
            verify: false,
            drift: Vec::new(),
            acted: None,
            last_picture: None,
        })
    }

    /// Runs as `verify`: guarded groups are checked, not run; only read-only actions run.
    pub fn verify_only(&mut self) {
        self.verify = true;
    }

    /// Keeps a journal in the run folder, and continues an interrupted run when given
    /// its state: its captures come back and its finished top-level steps are skipped.
    pub fn with_journal(
        &mut self,
        rb: &Runbook,
        resume: Option<journal::ResumeState>,
    ) -> std::io::Result<()> {
        self.input_names = rb.inputs.iter().map(|i| i.name.clone()).collect();
        self.journal = Some(journal::Journal::create(&self.dir, &rb.path)?);
        if let Some(st) = resume {
            let redactor = self.ctx.redactor.clone();
            for (k, v) in st.captures {
                self.ctx.vars.set(&k, v, false, &redactor);
            }
            for (k, v) in st.secret_captures {
                self.ctx.vars.set(&k, v, true, &redactor);
            }
            self.resumed = st.done_top_level;
            // Screenshots go on numbering after the ones already there.
            self.seq = std::fs::read_dir(&self.dir)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                        .count()
                })
                .unwrap_or(0);
        }
        Ok(())
    }

    pub fn vars(&self) -> &Vars {
        &self.ctx.vars
    }

    pub async fn run(&mut self, rb: &Runbook) -> bool {
        collect_secret_targets(&rb.steps, &mut self.secret_targets);
        self.listener.event(&Event::Started {
            runbook: &rb.title,
            dir: &self.dir,
        });
        self.steps(rb, &rb.steps, "", 0, None).await.is_ok()
    }

    fn deadline_for(
        &self,
        step_timeout: Option<Duration>,
        group: Option<&(Instant, String)>,
    ) -> (Instant, String) {
        let t = step_timeout.unwrap_or(self.opts.step_timeout);
        let mut best = (Instant::now() + t, format!("step timeout of {}", human(t)));
        if let Some((g, label)) = group {
            if *g < best.0 {
                best = (*g, label.clone());
            }
        }
        if let (Some(r), Some(t)) = (self.run_deadline, self.opts.run_timeout) {
            if r < best.0 {
                best = (r, format!("run timeout of {} (--timeout)", human(t)));
            }
        }
        best
    }

    fn steps<'a>(
        &'a mut self,
        rb: &'a Runbook,
        steps: &'a [Step],
        prefix: &'a str,
        depth: usize,
        group: Option<(Instant, String)>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Stop>> + 'a>> {
        Box::pin(async move {
            for (i, step) in steps.iter().enumerate() {
                let path = if prefix.is_empty() {
                    format!("{}", i + 1)
                } else {
                    format!("{prefix}.{}", i + 1)
                };
                let res = self.step(rb, step, &path, depth, group.clone()).await;
                // `verify` reports a guarded group it could not check as missing, and goes
                // on; an unguarded step that fails (the sign-in) ends it as in a run.
                if res.is_err()
                    && self.verify
                    && depth == 0
                    && step.skip_if.is_some()
                    && self.failure != Some(Failure::Browser)
                {
                    let why = self
                        .records
                        .iter()
                        .rev()
                        .find_map(|r| r.error.clone())
                        .unwrap_or_default();
                    self.drift
                        .push((path, step.title(), false, format!("cannot check: {why}")));
                    self.failure = None;
                    continue;
                }
                res?;
            }
            Ok(())
        })
    }

    fn record(
        &self,
        rb: &Runbook,
        step: &Step,
        path: &str,
        depth: usize,
        kind: StepKindName,
        status: Status,
    ) -> StepRecord {
        StepRecord {
            path: path.to_string(),
            title: self.ctx.redactor.redact(&step.title()),
            kind,
            depth,
            file: rb.path.display().to_string(),
            line: step.span.line,
            status,
            duration_ms: 0,
            attempts: 0,
            commands: 0,
            matched: None,
            screenshot: None,
            screenshot_same_as: None,
            error: None,
            skip_reason: None,
            diagnostics: Vec::new(),
        }
    }

    /// Records a group or include once its steps have run: passed when they all did.
    #[allow(clippy::too_many_arguments)]
    fn finish_container(
        &mut self,
        rb: &Runbook,
        step: &Step,
        path: &str,
        depth: usize,
        kind: StepKindName,
        started: Instant,
        passed: bool,
    ) {
        let status = if passed {
            Status::Passed
        } else {
            Status::Failed
        };
        let mut rec = self.record(rb, step, path, depth, kind, status);
        rec.duration_ms = started.elapsed().as_millis() as u64;
        self.finish(rec);
    }

    fn finish(&mut self, rec: StepRecord) {
        if let Some(j) = &self.journal {
            if let Err(e) = j.step(&rec, &self.ctx.vars, &self.input_names) {
                tracing::warn!("cannot write the journal: {e}");
            }
        }
        events::log_step_end(&rec);
        self.listener.event(&Event::StepFinished(&rec));
        self.records.push(rec);
    }

    async fn step(
        &mut self,
        rb: &Runbook,
        step: &Step,
        path: &str,
        depth: usize,
        group: Option<(Instant, String)>,
    ) -> Result<(), Stop> {
        let kind = match &step.kind {
            StepKind::Action(_) => StepKindName::Action,
            StepKind::Group { .. } => StepKindName::Group,
            StepKind::Include { .. } => StepKindName::Include,
        };
        self.listener.event(&Event::StepStarted {
            path,
            title: &step.title(),
            depth,
        });
        let started = Instant::now();
        // A guarded step's effect lives in the org, so a finished one is skipped; an
        // unguarded one (sign-in, navigation) made browser state that died with the
        // browser, so it runs again.
        let guarded = step.skip_if.is_some() || step.only_if.is_some();
        if depth == 0 && guarded && self.resumed.contains(path) {
            let mut rec = self.record(rb, step, path, depth, kind, Status::Skipped);
            rec.skip_reason = Some("done before the run was resumed".into());
            self.finish(rec);
            return Ok(());
        }
        if self.verify {
            if let Some(cond) = &step.skip_if {
                let (done, why) = match self.condition(rb, cond, path, depth, group.as_ref()).await
                {
                    Ok((holds, why)) => (holds, why),
                    Err(e) => {
                        // A check that could not get to its page says "not done" (drift),
                        // not "a step failed"; a dead browser still ends the run.
                        if self.failure != Some(Failure::Browser) {
                            self.failure = None;
                        }
                        (
                            false,
                            format!("cannot check: {}", self.ctx.redactor.redact(&e.to_string())),
                        )
                    }
                };
                let mut rec = self.record(
                    rb,
                    step,
                    path,
                    depth,
                    kind,
                    if done { Status::Passed } else { Status::Failed },
                );
                rec.skip_reason = Some(self.ctx.redactor.redact(&why));
                if !done {
                    rec.error = Some(format!("missing: {}", self.ctx.redactor.redact(&why)));
                }
                rec.duration_ms = started.elapsed().as_millis() as u64;
                self.drift.push((
                    path.to_string(),
                    rec.title.clone(),
                    done,
                    rec.skip_reason.clone().unwrap_or_default(),
                ));
                events::log_step_end(&rec);
                self.listener.event(&Event::StepFinished(&rec));
                self.records.push(rec);
                return Ok(());
            }
            // An unguarded step or group that could change the org is not judged: run
            // without its clicks, what follows them would fail for no fault of the org's.
            if changes_org(step) {
                let mut rec = self.record(rb, step, path, depth, kind, Status::Skipped);
                rec.skip_reason = Some(
                    "verify runs only what reads the org: this step could change it and has no skip_if to check".into(),
                );
                self.finish(rec);
                return Ok(());
            }
        }
        for (cond, skip_when) in [(&step.only_if, false), (&step.skip_if, true)] {
            let Some(cond) = cond else { continue };
            match self.condition(rb, cond, path, depth, group.as_ref()).await {
                Ok((holds, why)) if holds == skip_when => {
                    let mut rec = self.record(rb, step, path, depth, kind, Status::Skipped);
                    rec.skip_reason = Some(self.ctx.redactor.redact(&format!(
                        "{}: {why}",
                        if skip_when { "skip_if" } else { "only_if" }
                    )));
                    rec.duration_ms = started.elapsed().as_millis() as u64;
                    self.finish(rec);
                    return Ok(());
                }
                Ok(_) => {}
                Err(e) => {
                    let mut rec = self.record(rb, step, path, depth, kind, Status::Failed);
                    rec.error = Some(
                        self.ctx
                            .redactor
                            .redact(&format!("deciding whether to run this step: {e}")),
                    );
                    self.fail_with(&e, rec).await;
                    return Err(Stop);
                }
            }
        }
        match &step.kind {
            StepKind::Group { steps, .. } => {
                let inner = match step.timeout {
                    Some(t) => {
                        let d = Instant::now() + t;
                        match &group {
                            Some((g, l)) if *g < d => Some((*g, l.clone())),
                            _ => Some((
                                d,
                                format!("group timeout of {} on \"{}\"", human(t), step.title()),
                            )),
                        }
                    }
                    None => group.clone(),
                };
                let res = self.steps(rb, steps, path, depth + 1, inner).await;
                self.finish_container(rb, step, path, depth, kind, started, res.is_ok());
                res
            }
            StepKind::Include {
                inputs, runbook, ..
            } => {
                let res = self.include(rb, runbook, inputs, path, depth, group).await;
                self.finish_container(rb, step, path, depth, kind, started, res.is_ok());
                res
            }
            StepKind::Action(action) => {
                self.action(rb, step, action, path, depth, kind, group.as_ref())
                    .await
            }
        }
    }

    async fn include(
        &mut self,
        outer: &Runbook,
        inner: &Runbook,
        given: &[(String, crate::runbook::Template)],
        path: &str,
        depth: usize,
        group: Option<(Instant, String)>,
    ) -> Result<(), Stop> {
        let mut scope = Vars {
            values: Default::default(),
            secret_names: Vec::new(),
        };
        for decl in &inner.inputs {
            let value = match given.iter().find(|(n, _)| *n == decl.name) {
                Some((_, t)) => self.ctx.vars.render(t).ok(),
                None => decl.default.as_ref().and_then(|d| scope.render(d).ok()),
            };
            let Some(value) = value else {
                let e = StepError::Page(format!(
                    "the included runbook {} needs input `{}`; pass it under `inputs:`",
                    inner.path.display(),
                    decl.name
                ));
                let mut rec = StepRecord {
                    error: Some(e.to_string()),
                    ..self.record(
                        outer,
                        &outer.steps[0],
                        path,
                        depth,
                        StepKindName::Include,
                        Status::Failed,
                    )
                };
                rec.title = format!("include {}", inner.path.display());
                self.fail_with(&e, rec).await;
                return Err(Stop);
            };
            let secret = decl.secret
                || given.iter().any(|(n, t)| {
                    *n == decl.name && t.vars().any(|(v, _)| self.ctx.vars.is_secret(&v.display()))
                });
            scope.set(&decl.name, value, secret, &self.ctx.redactor);
        }
        let outer_vars = std::mem::replace(&mut self.ctx.vars, scope);
        let res = self
            .steps(inner, &inner.steps, path, depth + 1, group)
            .await;
        let inner_vars = std::mem::replace(&mut self.ctx.vars, outer_vars);
        // Captures come back to the caller; the included runbook's inputs stay inside.
        for (k, v) in inner_vars.values {
            if !inner.inputs.iter().any(|i| i.name == k) {
                let secret = inner_vars.secret_names.contains(&k);
                self.ctx.vars.set(&k, v, secret, &self.ctx.redactor.clone());
            }
        }
        res
    }

    async fn condition(
        &mut self,
        rb: &Runbook,
        c: &Condition,
        path: &str,
        depth: usize,
        group: Option<&(Instant, String)>,
    ) -> Result<(bool, String), StepError> {
        if !c.at.is_empty() {
            let at_path = format!("{path}.check");
            for (i, s) in c.at.iter().enumerate() {
                let StepKind::Action(a) = &s.kind else {
                    continue;
                };
                if self
                    .action(
                        rb,
                        s,
                        a,
                        &format!("{at_path}{}", i + 1),
                        depth + 1,
                        StepKindName::Check,
                        group,
                    )
                    .await
                    .is_err()
                {
                    let why = "a navigation step of the check failed (see above)".to_string();
                    // A dead browser keeps its own exit code (and its resume hint).
                    return Err(if matches!(self.failure, Some(Failure::Browser)) {
                        StepError::Browser(why)
                    } else {
                        StepError::Page(why)
                    });
                }
            }
        }
        let vars = &self.ctx.vars;
        let is_set = |n: &str| vars.values.get(n).is_some_and(|v| !v.is_empty());
        Ok(match &c.test {
            Test::Set(n, _) => (
                is_set(n),
                format!("`{n}` is {}", if is_set(n) { "set" } else { "not set" }),
            ),
            Test::Unset(n, _) => (
                !is_set(n),
                format!("`{n}` is {}", if is_set(n) { "set" } else { "not set" }),
            ),
            Test::Equals(a, b) => {
                let (a, b) = (self.ctx.render(a)?, self.ctx.render(b)?);
                (
                    a == b,
                    format!(
                        "\"{a}\" {} \"{b}\"",
                        if a == b { "equals" } else { "differs from" }
                    ),
                )
            }
            Test::Exists(l) | Test::Missing(l) => {
                let spec = self.ctx.spec(l, Purpose::Read, Mode::Read)?;
                let deadline = Instant::now() + self.opts.condition_timeout;
                let mut round = 0;
                // "Missing" is decided once the page has stopped loading for a while, not
                // at the end of the condition timeout: a fresh org's guards cost little.
                let mut quiet_since: Option<Instant> = None;
                let mut reloads = 0;
                let found = loop {
                    match locate::locate(&self.ctx.session, &mut self.ctx.frames, &spec).await {
                        Ok(Outcome::Found(h)) => break Some(h.frame),
                        // An error page says nothing of what the org holds: reload it, and
                        // where that does not cure it, decide nothing.
                        Ok(Outcome::Missing(searched)) if searched.on_error_page() => {
                            match self.ctx.reload_error_page(&searched, &mut reloads).await {
                                Some(Ok(())) => {
                                    quiet_since = None;
                                    self.acted = Some(Instant::now());
                                    continue;
                                }
                                Some(Err(e)) if StepError::transient(&e) => quiet_since = None,
                                Some(Err(e)) => return Err(StepError::Browser(e.to_string())),
                                None => {
                                    return Err(StepError::Page(format!(
                                        "cannot check for {}: {}",
                                        spec.describe(),
                                        searched.summary()
                                    )))
                                }
                            }
                        }
                        Ok(Outcome::Missing(_)) if Instant::now() >= deadline => break None,
                        Ok(Outcome::Missing(searched)) if searched.busy => quiet_since = None,
                        Ok(Outcome::Missing(searched)) => {
                            let since = *quiet_since.get_or_insert_with(Instant::now);
                            let still = searched
                                .still
                                .map(|s| self.acted.map_or(s, |a| s.at_most(a.elapsed())));
                            match quiet_wait(since.elapsed(), still) {
                                None => break None,
                                Some(wait) => {
                                    tokio::time::sleep(wait.min(actions::backoff(round))).await;
                                    round += 1;
                                    continue;
                                }
                            }
                        }
                        Err(EngineError::Driver(e))
                            if (StepError::transient(&e) || locate::frame_lost(&e))
                                && Instant::now() < deadline =>
                        {
                            self.ctx.frames.lost();
                            quiet_since = None;
                        }
                        Err(EngineError::Driver(e)) => {
                            return Err(StepError::Browser(e.to_string()))
                        }
                        Err(script) => return Err(StepError::Engine(script.to_string())),
                    }
                    tokio::time::sleep(actions::backoff(round)).await;
                    round += 1;
                };
                let what = spec.describe();
                let exists = found.is_some();
                let why = match found {
                    Some(f) => format!("{what} exists in {f}"),
                    None => format!("no {what} on the page"),
                };
                (
                    if matches!(c.test, Test::Exists(_)) {
                        exists
                    } else {
                        !exists
                    },
                    why,
                )
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn action(
        &mut self,
        rb: &Runbook,
        step: &Step,
        action: &Action,
        path: &str,
        depth: usize,
        kind: StepKindName,
        group: Option<&(Instant, String)>,
    ) -> Result<(), Stop> {
        let started = Instant::now();
        let commands_before = self.ctx.session.commands();
        self.ctx.matched = None;
        let mut attempts = 0;
        let mut outcome: Result<(), StepError>;
        loop {
            attempts += 1;
            let (deadline, limit) = self.deadline_for(step.timeout, group);
            self.ctx.deadline = deadline;
            self.ctx.limit = limit.clone();
            self.ctx.patient = step.timeout.is_some();
            self.ctx.acted = self.acted;
            let mut round = 0;
            outcome = loop {
                match actions::perform(&mut self.ctx, action).await {
                    Ok(()) => break Ok(()),
                    Err(Attempt::Fail(e)) => break Err(e),
                    Err(Attempt::Retry(why)) => {
                        if Instant::now() >= self.ctx.deadline {
                            break Err(StepError::Timeout(format!(
                                "gave up after the {limit}: {why}"
                            )));
                        }
                        tracing::debug!(
                            step = path,
                            "retrying: {}",
                            self.ctx.redactor.redact(&why)
                        );
                        tokio::time::sleep(actions::backoff(round)).await;
                        round += 1;
                    }
                }
            };
            if outcome.is_ok()
                || attempts > step.retry
                || matches!(outcome, Err(StepError::Browser(_)))
            {
                break;
            }
            tracing::info!(
                step = path,
                "step failed, retrying ({attempts}/{})",
                step.retry
            );
        }
        self.acted = Some(Instant::now());
        let mut rec = self.record(
            rb,
            step,
            path,
            depth,
            kind,
            if outcome.is_ok() {
                Status::Passed
            } else {
                Status::Failed
            },
        );
        rec.attempts = attempts;
        rec.commands = self.ctx.session.commands() - commands_before;
        rec.matched = self.ctx.matched.take().map(|mut m| {
            m.name = self.ctx.redactor.redact(&m.name);
            m.locator = self.ctx.redactor.redact(&m.locator);
            m
        });
        match outcome {
            Ok(()) => {
                let name = match action {
                    Action::Screenshot { name } => {
                        self.ctx.render(name).unwrap_or_else(|_| step.title())
                    }
                    _ => step.title(),
                };
                rec.screenshot = self.screenshot(&name, "").await;
                rec.screenshot_same_as = match (&rec.screenshot, &self.last_picture) {
                    (Some(mine), Some(last)) if *mine != last.file => Some(last.file.clone()),
                    _ => None,
                };
                rec.duration_ms = started.elapsed().as_millis() as u64;
                self.finish(rec);
                Ok(())
            }
            Err(e) => {
                rec.error = Some(self.ctx.redactor.redact(&format!(
                    "step {path} \"{}\" ({}:{}): {e}",
                    step.title(),
                    rb.path.display(),
                    step.span.line
                )));
                rec.duration_ms = started.elapsed().as_millis() as u64;
                self.fail_with(&e, rec).await;
                Err(Stop)
            }
        }
    }

    async fn fail_with(&mut self, e: &StepError, mut rec: StepRecord) {
        self.failure = Some(match e {
            StepError::Expectation(_) => Failure::Expectation,
            StepError::Browser(_) => Failure::Browser,
            _ => Failure::Step,
        });
        if !matches!(e, StepError::Browser(_)) {
            rec.screenshot = self.screenshot(&rec.title.clone(), "-failed").await;
            rec.diagnostics = self.diagnostics().await;
        }
        self.finish(rec);
    }

    /// The org refused the sign-in before the first step: recorded as a failed step 0
    /// with a picture of what the browser shows and the page's source.
    pub async fn sign_in_failed(&mut self, rb: &Runbook, title: &str, error: &str) {
        self.failure = Some(Failure::Step);
        let mut rec = StepRecord::sign_in_failed(
            &rb.path,
            &self.ctx.redactor.redact(title),
            &self.ctx.redactor.redact(error),
        );
        rec.screenshot = self.screenshot(&rec.title.clone(), "-failed").await;
        rec.diagnostics = self.diagnostics().await;
        self.finish(rec);
    }

    /// Page source of every frame and the browser console, redacted, for a failed step.
    async fn diagnostics(&mut self) -> Vec<String> {
        let mut saved = Vec::new();
        let n = self.seq;
        let docs = locate::in_every_frame::<SourceAnswer>(
            &self.ctx.session,
            &mut self.ctx.frames,
            &Request::Source,
        )
        .await;
        if let Ok(docs) = docs {
            for (i, (label, doc)) in docs.iter().enumerate() {
                let file = format!("{n:03}-failed-source-{i}.html");
                let body = format!("<!-- {label}: {} -->\n{}", doc.url, doc.html);
                if std::fs::write(self.dir.join(&file), self.ctx.redactor.redact(&body)).is_ok() {
                    saved.push(file);
                }
            }
        }
        if let Ok(log) = self.ctx.session.console_log().await {
            let file = format!("{n:03}-failed-console.json");
            let text = serde_json::to_string_pretty(&log).unwrap_or_default();
            if std::fs::write(self.dir.join(&file), self.ctx.redactor.redact(&text)).is_ok() {
                saved.push(file);
            }
        }
        saved
    }

    /// Takes the step's screenshot, with every control or text that shows a secret
    /// masked first (the masks stay; the next screenshot updates them).
    async fn screenshot(&mut self, title: &str, suffix: &str) -> Option<String> {
        if !self.opts.screenshots {
            return None;
        }
        // Every picture has its own number, a failure's too, so files sort in the order
        // they were taken and none shares a number with the step before.
        self.seq += 1;
        // The picture should show where the step led: wait (bounded) for loading to end.
        // A failure is pictured as it is.
        let settle_ms = if suffix.is_empty() { 1500 } else { 0 };
        let secrets = self.ctx.redactor.values();
        let min_len = secrets.iter().map(|s| s.chars().count()).min().unwrap_or(0);
        let specs: Vec<_> = self
            .secret_targets
            .iter()
            .filter_map(|l| self.ctx.spec(l, Purpose::Read, Mode::Read).ok())
            .map(|s| s.spec_request())
            .collect();
        let nothing_to_hide = secrets.is_empty() && specs.is_empty();
        let req = Request::Shoot {
            ms: settle_ms,
            min_len,
            specs,
        };
        // What each document said: whether the walk saw them all, and whether each looks
        // as it did at the last picture.
        let mut answers: Vec<(String, ShootAnswer)> = Vec::new();
        let last = self.last_picture.take();
        if nothing_to_hide {
            // Nothing to hide: settle where the step acted, and skip the frame walk.
            let at_top = self.ctx.frames.at_top();
            if let Ok(v) = locate::run_for_screenshot::<ShootAnswer>(&self.ctx.session, &req).await
            {
                if at_top {
                    answers.push((FrameState::label(&[]), v));
                }
            }
        } else {
            let mut tries = 0;
            let res = loop {
                tries += 1;
                match locate::in_every_frame::<ShootAnswer>(
                    &self.ctx.session,
                    &mut self.ctx.frames,
                    &req,
                )
                .await
                {
                    // The step closed the window it acted in: picture the one the run is back in.
                    Err(EngineError::Driver(e)) if e.is_no_such_window() && tries < 3 => {
                        let _ = self.ctx.recover_window().await;
                    }
                    // A document went away under the walk (a page that navigates a moment
                    // after a save): mask the one that replaced it.
                    Err(EngineError::Driver(e)) if locate::frame_lost(&e) && tries < 3 => {
                        tokio::time::sleep(Duration::from_millis(50)).await
                    }
                    other => break other,
                }
            };
            match res.map(|docs| mask_secrets(&self.ctx.session, docs, &secrets)) {
                Ok(masking) => match masking.await {
                    Ok(docs) => answers = docs,
                    Err(e) => {
                        tracing::warn!(
                            "could not mask secrets before the screenshot, skipping it: {e}"
                        );
                        return None;
                    }
                },
                Err(e) => {
                    // Without a mask, no picture: a leaked secret costs more than a missing image.
                    tracing::warn!(
                        "could not mask secrets before the screenshot, skipping it: {e}"
                    );
                    return None;
                }
            }
        }
        let file = format!(
            "{:03}-{}{suffix}.png",
            self.seq,
            slug(&self.ctx.redactor.redact(title))
        );
        let docs = pictured(&answers);
        if let (Some(last), Some(docs)) = (&last, &docs) {
            let unchanged = suffix.is_empty()
                && !self.opts.fresh_screenshots
                && *docs == last.docs
                && answers.iter().all(|(_, v)| v.unchanged);
            if unchanged && link_picture(&self.dir, &last.file, &file) {
                tracing::debug!("{file}: the page has not changed since {}", last.file);
                self.last_picture = Some(Picture {
                    file: last.file.clone(),
                    docs: docs.clone(),
                });
                return Some(file);
            }
        }
        let mut png = self.ctx.session.screenshot().await;
        let mut docs = docs;
        if png.as_ref().is_err_and(|e| e.is_no_such_window()) {
            // The step closed the window it acted in: picture the one the run is back in
            // (whose documents the answers above do not describe).
            let _ = self.ctx.recover_window().await;
            png = self.ctx.session.screenshot().await;
            docs = None;
        }
        let png = match png {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!("screenshot failed: {e}");
                return None;
            }
        };
        match std::fs::write(self.dir.join(&file), png) {
            Ok(()) => {
                if suffix.is_empty() {
                    self.last_picture = docs.map(|docs| Picture {
                        file: file.clone(),
                        docs,
                    });
                }
                Some(file)
            }
            Err(e) => {
                tracing::warn!("cannot write {file}: {e}");
                None
            }
        }
    }

    pub fn report(
        &self,
        rb: &Runbook,
        started: time::OffsetDateTime,
        elapsed: Duration,
        inputs: &[String],
    ) -> RunReport {
        report::build(
            rb,
            &self.records,
            started,
            elapsed,
            self.failure,
            &self.ctx.vars,
            inputs,
            &self.ctx.redactor,
            &self.dir,
        )
    }
}

/// Looks for secrets in the texts each document answered, and has each document that
/// shows one masked (or one that no longer does unmasked): the secrets stay on this side.
/// A document whose masks moved no longer looks as at its last picture.
async fn mask_secrets(
    session: &crate::driver::Session,
    mut docs: Vec<(String, ShootAnswer)>,
    secrets: &[String],
) -> Result<Vec<(String, ShootAnswer)>, EngineError> {
    for (_, doc) in &mut docs {
        let hide: Vec<usize> = doc
            .texts
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                secrets
                    .iter()
                    .any(|s| !s.is_empty() && t.contains(s.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        if hide == doc.text_masked {
            continue;
        }
        let req = Request::Mask { hide };
        let done: MaskAnswer = locate::run_in(session, &doc.context, &req, false).await?;
        if done.known != doc.texts.len() as u64 {
            return Err(EngineError::Script(
                "the document was replaced between reading its texts and masking them".into(),
            ));
        }
        if done.moved > 0 {
            doc.unchanged = false;
        }
    }
    Ok(docs)
}

/// The documents a screenshot shows, from the shoot answers: `None` unless the answers
/// cover every document of the window (each frame a document listed was searched too).
fn pictured(answers: &[(String, ShootAnswer)]) -> Option<Vec<(String, String)>> {
    let listed: usize = answers.iter().map(|(_, v)| v.frames.len()).sum();
    if answers.is_empty() || answers.len() != listed + 1 {
        return None;
    }
    answers
        .iter()
        .map(|(label, v)| {
            Some((
                label.clone(),
                Some(v.doc.clone()).filter(|d| !d.is_empty())?,
            ))
        })
        .collect()
}

/// The picture of an unchanged page is the last one: a hard link to its file (a copy
/// where links are refused). False when neither worked.
fn link_picture(dir: &Path, from: &str, to: &str) -> bool {
    let (from, to) = (dir.join(from), dir.join(to));
    std::fs::hard_link(&from, &to).is_ok() || std::fs::copy(&from, &to).is_ok()
}

fn collect_secret_targets(steps: &[Step], out: &mut Vec<crate::runbook::Locator>) {
    for s in steps {
        match &s.kind {
            StepKind::Action(Action::Capture {
                items,
                secret: true,
            }) => out.extend(items.iter().map(|i| i.target.clone())),
            StepKind::Group { steps, .. } => collect_secret_targets(steps, out),
            StepKind::Include { runbook, .. } => collect_secret_targets(&runbook.steps, out),
            _ => {}
        }
    }
}

pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 && ms < 10_000 {
        format!("{ms}ms")
    } else if ms >= 60_000 && ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else {
        format!("{}s", d.as_secs())
    }
}

/// A file-name-safe form of a step title: "click button \"New\"" -> "click-button-new".
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The run's artifacts folder: `<root>/<time>-<runbook>`.
pub fn run_dir(root: &Path, rb: &Runbook, now: time::OffsetDateTime) -> PathBuf {
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let stem = rb
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "run".into());
    let mut dir = root.join(format!("{stamp}-{}", slug(&stem)));
    let mut n = 2;
    while dir.exists() {
        dir = root.join(format!("{stamp}-{}-{n}", slug(&stem)));
        n += 1;
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn guards_count_the_pages_own_stillness() {
        let ms = Duration::from_millis;
        let still = |dom, net| {
            Some(Stillness {
                dom: ms(dom),
                net: ms(net),
            })
        };
        // Looked long enough itself.
        assert_eq!(quiet_wait(ms(1000), None), None);
        assert_eq!(quiet_wait(ms(1000), still(0, 0)), None);
        // The page has been still long enough, but the guard looks a little first.
        assert_eq!(quiet_wait(ms(0), still(900, 900)), Some(ms(150)));
        assert_eq!(quiet_wait(ms(150), still(900, 900)), None);
        // A response 100 ms ago: 400 ms more.
        assert_eq!(quiet_wait(ms(0), still(900, 100)), Some(ms(400)));
        // A DOM change 100 ms ago, the network long quiet: 150 ms more.
        assert_eq!(quiet_wait(ms(0), still(100, 900)), Some(ms(150)));
        assert_eq!(quiet_wait(ms(150), still(250, 1050)), None);
        // Both: the later of the two.
        assert_eq!(quiet_wait(ms(0), still(0, 300)), Some(ms(250)));
        assert_eq!(quiet_wait(ms(0), still(200, 0)), Some(ms(500)));
        // A page that keeps changing: the guard's own limit is the nearer one.
        assert_eq!(quiet_wait(ms(900), still(0, 0)), Some(ms(100)));
        // Without the page's word, only the guard's own limit counts.
        assert_eq!(quiet_wait(ms(100), None), Some(ms(900)));
    }

    #[test]
    fn a_picture_names_every_document_or_none() {
        let shoot = |v: serde_json::Value| -> ShootAnswer { serde_json::from_value(v).unwrap() };
        let top = shoot(serde_json::json!({ "doc": "a", "frames": [{ "name": "vf" }] }));
        let frame = shoot(serde_json::json!({ "doc": "b", "frames": [] }));
        let both = vec![
            ("the top document".to_string(), top.clone()),
            ("frame vf".to_string(), frame),
        ];
        assert_eq!(
            pictured(&both),
            Some(vec![
                ("the top document".into(), "a".into()),
                ("frame vf".into(), "b".into())
            ])
        );
        // A frame the walk could not enter: the picture is not known document by document.
        assert_eq!(pictured(&both[..1]), None);
        assert_eq!(pictured(&[]), None);
        // An engine that gave no mark.
        assert_eq!(
            pictured(&[(
                "the top document".into(),
                shoot(serde_json::json!({ "frames": [] }))
            )]),
            None
        );
    }

    #[test]
    fn slugs_and_durations() {
        assert_eq!(
            slug("click button \"New External Client App\""),
            "click-button-new-external-client-app"
        );
        assert_eq!(human(Duration::from_secs(30)), "30s");
        assert_eq!(human(Duration::from_millis(1500)), "1500ms");
        assert_eq!(human(Duration::from_secs(120)), "2m");
    }
}
