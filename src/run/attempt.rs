//! One action step: its attempts within its deadline (the step's only retry loop), the
//! dialogs it met, its picture and its record, or its failure with its evidence.

use super::*;
use crate::poll::{poll, Look};

impl<'l> Runner<'l> {
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
        let script_before = self.ctx.session.script_ms();
        let page_before = self.ctx.session.page_ms();
        let mut laps = Laps::new(started);
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
            self.ctx.looks = actions::Looks::default();
            let mut last_retry: Option<StepError> = None;
            // Under `verify`, a guard's `at:` step is part of the guard's look: what it
            // looks for and does not find once the page has settled is missing (the org
            // lacks it), decided as the guard decides, not after the step's timeout.
            let settles_missing = self.verify && kind == StepKindName::Check;
            let mut missing_since: Option<Instant> = None;
            let acted = self.acted;
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
                    Err(Attempt::Retry(why))
                        if settles_missing && settled_without(&why, &mut missing_since, acted) =>
                    {
                        Look::Done(Err(why))
                    }
                    Err(Attempt::Retry(why)) => {
                        tracing::debug!(
                            step = path,
                            "retrying: {}",
                            ctx.redactor.redact(&why.to_string())
                        );
                        last_retry = Some(match last_retry.take() {
                            Some(before) => before.or_more_telling(why),
                            None => why,
                        });
                        Look::Again
                    }
                }
            })
            .await;
            outcome = done.unwrap_or_else(|| {
                Err(match last_retry {
                    // What the last look saw, already said against the step's limit.
                    Some(seen) if seen.says_its_limit() => seen,
                    last => StepError::GaveUp {
                        limit: deadline.limit.clone(),
                        last: Box::new(last.unwrap_or_else(|| {
                            StepError::NotYet("the step never got to try".into())
                        })),
                    },
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
        laps.act(self.ctx.session.script_ms() - script_before);
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
            // The engine's locator names the element by what the page shows, a row's
            // cells included: a secret shown there is masked like everywhere else.
            if let Some(a) = m.authored.as_mut() {
                redact_strings(a, &self.ctx.redactor);
            }
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
                laps.t.records += laps.lap();
                let trips_before = self.ctx.session.round_trips();
                self.evidence
                    .screenshot(&mut self.ctx, &name, "", &mut laps)
                    .await
                    .record(&mut rec);
                if self.opts.screenshots {
                    rec.picture_commands = Some(self.ctx.session.round_trips() - trips_before);
                }
                rec.dialogs = self.dialogs_met();
                match refused_dialog(&rec.dialogs) {
                    None => {
                        laps.t.records += laps.lap();
                        laps.in_page(self.ctx.session.page_ms() - page_before);
                        rec.duration_ms = laps.duration_ms();
                        rec.timings = Some(laps.t);
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
                laps.t.records += laps.lap();
                laps.in_page(self.ctx.session.page_ms() - page_before);
                rec.duration_ms = laps.duration_ms();
                rec.timings = Some(laps.t);
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

/// Whether a look that missed its element saw a page settled without it: still both ways
/// (as a guard judges, counting the last action's time as busy) or looked at for as long
/// as a guard looks. `since`: when the misses began (reset by anything but a miss).
fn settled_without(seen: &StepError, since: &mut Option<Instant>, acted: Option<Instant>) -> bool {
    let StepError::NotFound { searched, .. } = seen else {
        *since = None;
        return false;
    };
    if searched.busy {
        *since = None;
        return false;
    }
    let began = *since.get_or_insert_with(Instant::now);
    let still = searched
        .still
        .map(|s| acted.map_or(s, |a| s.at_most(a.elapsed())));
    super::guards::quiet_wait(began.elapsed(), still).is_none()
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

/// Masks the secrets in every string of a JSON value.
fn redact_strings(v: &mut serde_json::Value, redactor: &Redactor) {
    match v {
        serde_json::Value::String(s) => *s = redactor.redact(s),
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|i| redact_strings(i, redactor))
        }
        serde_json::Value::Object(m) => m.values_mut().for_each(|i| redact_strings(i, redactor)),
        _ => {}
    }
}
