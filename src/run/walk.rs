//! The step walk: each step in order, whether it runs (resumed, `verify`, its guards),
//! groups and includes with their deadlines and records; an action step goes to
//! `attempt.rs`.

use super::verify::changes_org;
use super::*;
use crate::runbook::select::{Pick, NOT_SELECTED};

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

    pub(super) fn finish(&mut self, mut rec: StepRecord) {
        let started = Instant::now();
        // A group run only in part is not done: a resume of the whole runbook must look
        // at it again (its guard decides), not take it for finished.
        let in_part = self
            .opts
            .selection
            .as_ref()
            .is_some_and(|s| s.pick(&rec.path) == Pick::Part);
        if let Some(j) = self.journal.as_ref().filter(|_| !in_part) {
            if let Err(e) = j.step(&rec, &self.ctx.vars, &self.input_names) {
                tracing::warn!("cannot write the journal: {e}");
                self.evidence
                    .unwritten
                    .push(format!("{}: {e}", journal::JOURNAL));
            }
        }
        // The journal's write is the step's last phase; the log and listeners see it.
        if let Some(t) = rec.timings.as_mut() {
            let spent = started.elapsed();
            t.records += (spent.as_micros() / 100) as f64 / 10.0;
            rec.duration_ms += spent.as_micros().div_ceil(1000) as u64;
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
        // A step left out of the subset is not run and its page not looked at. It is not
        // journaled: a later resume of the whole runbook must not take it for done.
        if self
            .opts
            .selection
            .as_ref()
            .is_some_and(|s| s.pick(path) == Pick::Out)
        {
            let mut rec = self.record(rb, step, path, depth, kind, Status::Skipped);
            rec.skip_reason = Some(NOT_SELECTED.into());
            events::log_step_end(&rec);
            self.listener.event(&Event::StepFinished(&rec));
            self.records.push(rec);
            return Ok(());
        }
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
}
