//! The step walk: each step in order, its guards, its action within its deadline and
//! retries, its record.

use super::verify::changes_org;
use super::*;
use crate::poll::{poll, Look};

impl<'l> Runner<'l> {
    /// A step's deadline: its own timeout, or its group's, or the run's, whichever is first.
    pub(super) fn deadline_for(
        &self,
        step_timeout: Option<Duration>,
        group: Option<&Deadline>,
    ) -> Deadline {
        let run = self.run_deadline.as_ref();
        Deadline::step(step_timeout.unwrap_or(self.opts.step_timeout))
            .or_earlier(group)
            .or_earlier(run)
    }

    pub(super) fn steps<'a>(
        &'a mut self,
        rb: &'a Runbook,
        steps: &'a [Step],
        prefix: &'a str,
        depth: usize,
        group: Option<Deadline>,
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
                // Evidence that could not be written (a full disk) ends the run here: what
                // follows would lose its evidence too, and a resume finishes it.
                if !self.evidence.unwritten.is_empty() {
                    self.failure.get_or_insert(Failure::Unwritten);
                    return Err(Stop);
                }
            }
            Ok(())
        })
    }

    pub(super) fn record(
        &self,
        rb: &Runbook,
        step: &Step,
        path: &str,
        depth: usize,
        kind: StepKindName,
        status: Status,
    ) -> StepRecord {
        StepRecord::new(
            path,
            &self.ctx.redactor.redact(&step.title()),
            kind,
            depth,
            &rb.path,
            step.span.line,
            status,
        )
    }

    /// Records a group or include once its steps have run: passed when they all did.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish_container(
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

    pub(super) fn finish(&mut self, rec: StepRecord) {
        if let Some(j) = &self.journal {
            if let Err(e) = j.step(&rec, &self.ctx.vars, &self.input_names) {
                tracing::warn!("cannot write the journal: {e}");
                self.evidence
                    .unwritten
                    .push(format!("{}: {e}", journal::JOURNAL));
            }
        }
        events::log_step_end(&rec);
        self.listener.event(&Event::StepFinished(&rec));
        self.records.push(rec);
    }

    pub(super) async fn step(
        &mut self,
        rb: &Runbook,
        step: &Step,
        path: &str,
        depth: usize,
        group: Option<Deadline>,
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
        // Its guards talk to the browser within the step's time, as its action does.
        self.ctx
            .session
            .bound(&self.deadline_for(step.timeout, group.as_ref()));
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
                    self.fail_step(&e, rec).await;
                    return Err(Stop);
                }
            }
        }
        match &step.kind {
            StepKind::Group { steps, .. } => {
                let inner = match step.timeout {
                    Some(t) => Some(
                        Deadline::after(
                            t,
                            format!("group timeout of {} on \"{}\"", human(t), step.title()),
                        )
                        .or_earlier(group.as_ref()),
                    ),
                    None => group.clone(),
                };
                let res = self.steps(rb, steps, path, depth + 1, inner).await;
                self.finish_container(rb, step, path, depth, kind, started, res.is_ok());
                res
            }
            StepKind::Include {
                inputs, runbook, ..
            } => {
                let scope = match self.include_scope(runbook, inputs) {
                    Ok(scope) => scope,
                    Err(e) => {
                        let rec = StepRecord {
                            error: Some(e.to_string()),
                            frame: Some(self.failure_frame(rb, step.span, path, &e)),
                            ..self.record(rb, step, path, depth, kind, Status::Failed)
                        };
                        self.fail_step(&e, rec).await;
                        return Err(Stop);
                    }
                };
                let res = self.include(runbook, scope, path, depth, group).await;
                self.finish_container(rb, step, path, depth, kind, started, res.is_ok());
                res
            }
            StepKind::Action(action) => {
                self.action(rb, step, action, path, depth, kind, group.as_ref())
                    .await
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn action(
        &mut self,
        rb: &Runbook,
        step: &Step,
        action: &Action,
        path: &str,
        depth: usize,
        kind: StepKindName,
        group: Option<&Deadline>,
    ) -> Result<(), Stop> {
        let started = Instant::now();
        let commands_before = self.ctx.session.commands();
        self.ctx.matched = None;
        let mut attempts = 0;
        let mut outcome: Result<(), StepError>;
        loop {
            attempts += 1;
            // A step whose answer to a dialog cannot be given (its text names a value not
            // set) does not act.
            if let Err(e) = self.begin_dialogs(step) {
                outcome = Err(e);
                break;
            }
            let deadline = self.deadline_for(step.timeout, group);
            self.ctx.deadline = deadline.clone();
            self.ctx.session.bound(&deadline);
            self.ctx.patient = step.timeout.is_some();
            self.ctx.acted = self.acted;
            // A new attempt of the whole step (`retry:`) may act again; its own looks not.
            self.ctx.performed = None;
            let mut last_retry: Option<StepError> = None;
            let ctx = &mut self.ctx;
            // A step whose time ran out before it began (the run's, in the previous
            // step's picture) sends nothing: it says so below.
            let begun = !deadline.passed();
            let done = poll(&deadline, async || {
                if !begun {
                    return Look::Again;
                }
                match actions::perform(ctx, action).await {
                    Ok(()) => Look::Done(Ok(())),
                    Err(Attempt::Fail(e)) => Look::Done(Err(e)),
                    // One owner for the step's retries: an attempt that sent a click or
                    // keys is not made again as if it had not happened.
                    Err(Attempt::Retry(why))
                        if actions::acts_once(action) && ctx.performed.is_some() =>
                    {
                        Look::Done(Err(StepError::ActedThen {
                            what: ctx.performed.unwrap_or("action"),
                            why: Box::new(why),
                        }))
                    }
                    Err(Attempt::Retry(why)) => {
                        tracing::debug!(
                            step = path,
                            "retrying: {}",
                            ctx.redactor.redact(&why.to_string())
                        );
                        last_retry = Some(why);
                        Look::Again
                    }
                }
            })
            .await;
            outcome =
                done.unwrap_or_else(|| {
                    Err(StepError::GaveUp {
                        limit: deadline.limit.clone(),
                        last: Box::new(last_retry.unwrap_or_else(|| {
                            StepError::NotYet("the step never got to try".into())
                        })),
                    })
                });
            if outcome.is_ok()
                || attempts > step.retry
                || outcome.as_ref().is_err_and(StepError::ends_run)
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
        let outcome = match outcome {
            Ok(()) => {
                let name = match action {
                    Action::Screenshot(shot) => {
                        self.ctx.render(&shot.name).unwrap_or_else(|_| step.title())
                    }
                    _ => step.title(),
                };
                // The picture has the time of a step of its own, within the run's.
                self.ctx.session.bound(
                    &Deadline::after(
                        self.opts.step_timeout,
                        format!(
                            "step timeout of {} (the step's picture)",
                            human(self.opts.step_timeout)
                        ),
                    )
                    .or_earlier(self.run_deadline.as_ref()),
                );
                self.evidence
                    .screenshot(&mut self.ctx, &name, "")
                    .await
                    .record(&mut rec);
                rec.dialogs = self.dialogs_met();
                match refused_dialog(&rec.dialogs) {
                    None => {
                        rec.duration_ms = started.elapsed().as_millis() as u64;
                        self.finish(rec);
                        return Ok(());
                    }
                    Some(e) => Err(e),
                }
            }
            Err(e) => {
                rec.dialogs = self.dialogs_met();
                Err(e)
            }
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(e) => {
                rec.status = Status::Failed;
                rec.error = Some(self.ctx.redactor.redact(&format!(
                    "step {path} \"{}\" ({}:{}): {e}",
                    step.title(),
                    rb.path.display(),
                    step.span.line
                )));
                // The caret goes under what the step looked for, else under the value it
                // was given (a URL, a page's name), else under the step.
                let span = action
                    .target()
                    .map(|l| l.span)
                    .or_else(|| action.templates().first().map(|t| t.span))
                    .unwrap_or(step.span);
                rec.frame = Some(self.failure_frame(rb, span, path, &e));
                rec.duration_ms = started.elapsed().as_millis() as u64;
                self.fail_step(&e, rec).await;
                Err(Stop)
            }
        }
    }
}

impl Runner<'_> {
    /// Tells the session how the step answers a dialog its action makes the page open.
    fn begin_dialogs(&mut self, step: &Step) -> Result<(), StepError> {
        use crate::driver::dialogs::Answer;
        use crate::runbook::DialogAnswer;
        let answer = match &step.dialog {
            None => None,
            Some(DialogAnswer::Dismiss) => Some(Answer::Dismiss),
            Some(DialogAnswer::Accept(text)) => Some(Answer::Accept(
                text.as_ref().map(|t| self.ctx.render(t)).transpose()?,
            )),
        };
        self.ctx.session.dialogs().begin(answer);
        Ok(())
    }

    /// The dialogs the step met, as its record keeps them (redacted).
    fn dialogs_met(&self) -> Vec<crate::record::Dialog> {
        let redact = |s: &str| self.ctx.redactor.redact(s);
        self.ctx
            .session
            .dialogs()
            .take()
            .into_iter()
            .map(|m| crate::record::Dialog {
                kind: m.kind,
                message: redact(&m.message),
                answer: m.answer,
                refused: m.refused.as_deref().map(redact),
            })
            .collect()
    }
}

/// The first dialog that fails its step, as the step's error.
fn refused_dialog(met: &[crate::record::Dialog]) -> Option<StepError> {
    met.iter().find_map(|m| {
        Some(StepError::Dialog {
            kind: m.kind.clone(),
            message: m.message.clone(),
            answer: m.answer.clone(),
            why: m.refused.clone()?,
        })
    })
}

/// How long a failure's evidence (its picture, page sources, console) may take, past the
/// deadline that failed the step: the run ends within this of its timeout.
const FAILURE_EVIDENCE: Duration = Duration::from_secs(2);

impl Runner<'_> {
    /// Records a failed step with its evidence, which is bounded: taken within
    /// [`FAILURE_EVIDENCE`], and not asked of a browser that left a round trip unanswered
    /// (what is sent would wait behind it). A browser that stopped answering ends the run
    /// as a dead one does (its exit code, the resume command).
    pub(super) async fn fail_step(&mut self, e: &StepError, rec: StepRecord) {
        let session = &self.ctx.session;
        match e {
            StepError::NoAnswer { limit, .. } => session.refuse(limit),
            _ => session.bound(&Deadline::after(
                FAILURE_EVIDENCE,
                format!(
                    "{} allowed for a failure's evidence",
                    human(FAILURE_EVIDENCE)
                ),
            )),
        }
        self.fail_with(e, rec).await;
        if e.ends_run() {
            self.failure = Some(Failure::Browser);
        }
    }

    /// A failed step shown as a load error is: the runbook's line with a caret at `span`,
    /// and what to try.
    pub(super) fn failure_frame(
        &self,
        rb: &Runbook,
        span: crate::runbook::Span,
        path: &str,
        e: &StepError,
    ) -> String {
        let mut frame = crate::runbook::RunbookError::new(
            &rb.path,
            &rb.source,
            span,
            format!("step {path} failed: {e}"),
        );
        if let Some(help) = e.help() {
            frame = frame.with_help(help);
        }
        self.ctx.redactor.redact(&frame.to_string())
    }
}
