//! The library's entry point for one replay of a runbook against one org: start the
//! browser, sign in, run, write the reports, and say how it ended ([`execute`]). The
//! binary's `run`, `verify`, `demo` and `run --targets` all go through it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::driver::{Browser, BrowserOptions};
use crate::exit;
use crate::run::events::LinePrinter;
use crate::run::vars::Redactor;
use crate::run::{self, Failure, RunOptions, Runner};
use crate::runbook::Runbook;
use crate::{errln, outln};

/// Where a run's evidence goes and how much it prints.
pub struct Output {
    pub artifacts: PathBuf,
    pub quiet: bool,
    pub formats: Vec<crate::report::Format>,
    /// Run as `verify`: check guarded groups, change nothing, print the drift report.
    pub verify: bool,
    /// Sign in through frontdoor.jsp before the first step.
    pub org: Option<crate::salesforce::session::OrgSession>,
    /// The target's name when several run at once: it starts every line printed, and
    /// only top-level steps and failures are printed.
    pub tag: Option<String>,
}

impl Output {
    /// Prints a line (or lines) for the user; control characters a runbook or a page put
    /// into it are shown escaped.
    fn say(&self, text: &str) {
        let text = &crate::printable::printable_lines(text);
        match &self.tag {
            Some(t) => text
                .lines()
                .filter(|l| !l.is_empty())
                .for_each(|l| outln!("[{t}] {l}")),
            None => outln!("{text}"),
        }
    }
    fn warn(&self, text: &str) {
        let text = &crate::printable::printable_lines(text);
        match &self.tag {
            Some(t) => text.lines().for_each(|l| errln!("[{t}] {l}")),
            None => errln!("{text}"),
        }
    }
}

/// How one replay ended, for the exit code and the targets summary.
pub struct Outcome {
    pub code: i32,
    pub dir: PathBuf,
    pub passed: usize,
    pub failed: usize,
    /// Steps a signal (or `--timeout`) cut short.
    pub interrupted: usize,
    pub skipped: usize,
    pub seconds: f64,
    /// The first failed step: "3.4 Save" and its error.
    pub failure: Option<String>,
}

impl Outcome {
    fn early(code: i32, dir: PathBuf, why: String) -> Outcome {
        Outcome {
            code,
            dir,
            passed: 0,
            failed: 0,
            interrupted: 0,
            skipped: 0,
            seconds: 0.0,
            failure: Some(why),
        }
    }

    /// A run never started because a stop signal came first (a target of `--targets`
    /// still waiting for its turn): no browser, no run folder.
    pub fn not_started(stop: crate::signals::Stop, dir: PathBuf) -> Outcome {
        Outcome::early(
            stop.exit_code(),
            dir,
            format!("not started: {} came first", stop.name()),
        )
    }
}

/// Starts the browser, replays the runbook, writes the reports.
pub async fn execute(
    rb: &Runbook,
    vars: run::vars::Vars,
    opts: RunOptions,
    output: &Output,
    browser_opts: &BrowserOptions,
    redactor: Redactor,
    resume: Option<(PathBuf, run::journal::ResumeState)>,
) -> Outcome {
    let (artifacts, quiet) = (output.artifacts.as_path(), output.quiet);
    let now = time::OffsetDateTime::now_utc();
    let (dir, resume) = match resume {
        Some((d, st)) => (d, Some(st)),
        None => (run::run_dir(artifacts, rb, now), None),
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        let why = format!("cannot create the artifacts folder {}: {e}", dir.display());
        output.warn(&format!("error: {why}"));
        return Outcome::early(exit::USAGE, dir, why);
    }
    let input_names: Vec<String> = rb.inputs.iter().map(|i| i.name.clone()).collect();
    // The org the run signs in to is the org a secret may go to, whatever the inputs say.
    let mut opts = opts;
    if let Some(org) = &output.org {
        opts.trusted_origins.push(org.instance_url.clone());
    }
    // A fresh folder is this run's from its start; a resumed one was locked by the caller
    // before it read the journal there.
    let _lock = if resume.is_none() {
        match run::lock::RunLock::acquire(&dir) {
            Ok(l) => Some(l),
            Err(why) => {
                output.warn(&format!("error: {why}"));
                return Outcome::early(exit::LOCKED, dir, why);
            }
        }
    } else {
        None
    };
    let mut printer = Tracked {
        printer: match &output.tag {
            Some(t) if !quiet => LinePrinter::tagged(t),
            _ => LinePrinter::new(quiet),
        },
        open: Vec::new(),
    };
    // What the run was doing, for a stop that comes before any step began.
    let mut phase = Phase::Browser;
    let started = Instant::now();
    // `--timeout` ends the run whatever phase it is in: the runner's deadlines bound the
    // steps, and this bounds the rest (a browser or driver that never answers its start,
    // a sign-in that hangs), a little after, so the runner's own message comes first.
    let overrun = opts
        .run_timeout
        .map(|t| (t, started + t + RUN_TIMEOUT_GRACE));
    // The runner's own deadline counts from the same start: a slow browser start is the
    // run's time too.
    opts.started = Some(started);
    let chosen = opts.selection.clone();
    let selection = chosen.as_ref().map(|s| crate::report::SelectionCounts {
        selected: s.selected,
        total: s.total,
    });
    let mut browser: Option<Browser> = None;
    let mut runner: Option<Runner> = None;
    // One select over the stop signal covers the whole run, from the browser's start
    // through sign-in to the last step: a signal at any point ends the run the same way
    // (reports that name it, every process ended, the profile removed, exit 128 + n).
    // What the phases made is kept outside, so that what was started is closed and what
    // was done is reported after the select dropped the unfinished phase.
    let phases = {
        let (browser_slot, runner_slot, printer, phase) =
            (&mut browser, &mut runner, &mut printer, &mut phase);
        let (redactor, dir) = (redactor.clone(), dir.clone());
        async move {
            let b = match Browser::start(browser_opts).await {
                Ok(b) => browser_slot.insert(b),
                Err(e) => {
                    output.warn(&format!("error: {e}\n  help: {}", e.help(browser_opts)));
                    return Err((exit::BROWSER, e.to_string()));
                }
            };
            let session = b.session();
            let r = match Runner::new(
                session.clone(),
                vars,
                redactor.clone(),
                opts,
                dir.clone(),
                printer,
            )
            .await
            {
                Ok(r) => runner_slot.insert(r),
                Err(e) => {
                    output.warn(&format!("error: {e}"));
                    return Err((exit::BROWSER, e));
                }
            };
            if output.verify {
                r.verify_only();
            }
            if let Err(e) = r.with_journal(rb, resume) {
                let why = format!("cannot write the journal in {}: {e}", dir.display());
                output.warn(&format!("error: {why}"));
                return Err((exit::USAGE, why));
            }
            if let Some(org) = &output.org {
                *phase = Phase::SignIn(format!(
                    "Sign in to {} with {}",
                    org.instance_url, org.source
                ));
            }
            let signed_in = match &output.org {
                None => true,
                Some(org) => match crate::salesforce::session::open(&session, org).await {
                    Ok(()) => {
                        if !quiet {
                            output.say(&format!(
                                "Signed in to {} with {}",
                                org.instance_url, org.source
                            ));
                        }
                        true
                    }
                    Err(e) => {
                        let title = format!("Sign in to {} with {}", org.instance_url, org.source);
                        r.sign_in_failed(rb, &title, &e).await;
                        output.warn(&format!("error: {}", redactor.redact(&e)));
                        false
                    }
                },
            };
            if signed_in {
                *phase = Phase::Steps;
                r.run(rb).await;
            }
            Ok(())
        }
    };
    let mut overran: Option<String> = None;
    let stopped = tokio::select! {
        ended = phases => match ended {
            Ok(()) => None,
            Err((code, why)) => {
                if let Some(b) = browser {
                    b.close().await;
                }
                // A resumed run that could not start keeps the secrets file it came for.
                if let Some(kept) = kept_state(&dir, true) {
                    output.say(&state_note(&kept));
                }
                return Outcome::early(code, dir, why);
            }
        },
        s = crate::signals::stop_signal() => Some(s),
        () = past(overrun.map(|(_, at)| at)) => {
            let t = overrun.map(|(t, _)| t).unwrap_or_default();
            overran = Some(format!(
                "the run went past its --timeout of {} before it could end by itself ({}): it was stopped there",
                run::human(t),
                if runner.as_ref().is_some_and(|r| !r.records.is_empty()) {
                    "a step, or its evidence, kept waiting on the browser"
                } else {
                    "the browser's start or the sign-in kept waiting"
                }
            ));
            None
        },
    };
    // The live line leaves the screen before the run's last lines are printed.
    crate::console::set_live(None);
    let mut result = match runner {
        Some(r) => r.into_result(),
        // Stopped while the browser was starting: nothing ran.
        None => crate::record::RunResult {
            records: Vec::new(),
            failure: None,
            drift: Vec::new(),
            values: Vec::new(),
            unwritten: Vec::new(),
        },
    };
    let elapsed = started.elapsed();
    // The steps a stop cut short are in no record of the runner's: they are recorded as
    // interrupted, with why, so every report shows where the run was.
    let cut_short = match (stopped, &overran) {
        (Some(s), _) => Some(format!("interrupted by {}", s.name())),
        (None, Some(_)) => Some(format!(
            "stopped at the run's --timeout of {}",
            overrun.map(|(t, _)| run::human(t)).unwrap_or_default()
        )),
        (None, None) => None,
    };
    if let Some(why) = cut_short {
        result.records.extend(interrupted_records(
            rb,
            &printer.open,
            &phase,
            &why,
            &redactor,
        ));
    }
    if let Some(b) = browser {
        if overran.is_some() {
            b.given_up();
        }
        b.close().await;
    }
    // A signal after the last step (while the browser closed) stops the run as one during
    // it does: the reports and the exit code say so; it is never swallowed.
    let mut stopped = stopped.or_else(crate::signals::received);
    let mut failure = result.failure;
    if let Some(why) = &overran {
        output.warn(&format!(
            "error: {why}\n  help: a stopped or overloaded chromedriver or browser keeps a run waiting: check the machine's load and the driver, or give the run a longer --timeout"
        ));
        failure = Some(Failure::Browser);
    }
    let drift = result.drift.clone();
    let mut unwritten = result.unwritten.clone();
    if output.verify {
        output.say(&format!("\nDrift report for {}:", rb.title));
        for (path, title, done, why) in &drift {
            output.say(&format!(
                "  {} {path} {title}  ({why})",
                if *done { "done   " } else { "MISSING" }
            ));
        }
        let missing = drift.iter().filter(|d| !d.2).count();
        output.say(&format!(
            "{} of {} guarded groups done",
            drift.len() - missing,
            drift.len()
        ));
        if missing > 0 && failure.is_none() {
            failure = Some(Failure::Expectation);
        }
    }
    let make_report = |stopped: Option<crate::signals::Stop>| {
        let mut report = crate::report::build(rb, &result, now, elapsed, &input_names, &redactor);
        report.selection = selection;
        // A step a stop left unreached that the run would never have taken says so.
        if let Some(sel) = &chosen {
            for r in &mut report.steps {
                if r.depth == 0
                    && r.status == run::events::Status::Skipped
                    && sel.pick(&r.path) == crate::runbook::select::Pick::Out
                {
                    r.skip_reason = Some(crate::runbook::select::NOT_SELECTED.into());
                }
            }
        }
        if let Some(s) = stopped {
            report.status = "interrupted";
            report.stopped_by = Some(s.name());
        }
        report.exit_code = exit_code(stopped, failure);
        report.resume_command = resume_line(rb, &dir, stopped, failure, &redactor);
        report.resume_state = kept_state(&dir, failure.is_some() || stopped.is_some());
        report
    };
    let mut report = make_report(stopped);
    let (mut written, lost) = write_reports(&report, output, &dir, &redactor);
    unwritten.extend(lost);
    if stopped.is_none() {
        // A signal while the reports were written: written again, saying so.
        if let Some(s) = crate::signals::received() {
            stopped = Some(s);
            report = make_report(stopped);
            let (again, lost) = write_reports(&report, output, &dir, &redactor);
            written = again;
            unwritten.extend(lost);
        }
    }
    // A run whose evidence is not all on disk has not passed, whatever its steps did.
    if !unwritten.is_empty() && failure.is_none() {
        failure = Some(Failure::Unwritten);
    }
    // Captured secrets are kept only for a resume; a finished run needs none.
    if failure.is_none() && stopped.is_none() {
        run::journal::forget_secrets(&dir);
    }
    let interrupted = stopped.is_some();
    let code = exit_code(stopped, failure);
    // Evidence lost after the reports were written changes the code they hold.
    report.exit_code = code;
    report.resume_command = resume_line(rb, &dir, stopped, failure, &redactor);
    log_run_end(&report, &dir);
    if crate::report::github::in_github_actions() {
        publish_to_github(&report, &dir, output);
    }
    {
        output.say(&format!(
            "\n{}: {} passed, {} failed, {}{} skipped of {} (top level: {} passed, {} failed, {}{} skipped) in {:.1}s; {}{}",
            if interrupted {
                "INTERRUPTED"
            } else if failure.is_none() {
                "PASSED"
            } else if failure == Some(Failure::Unwritten) {
                "FAILED (evidence not written)"
            } else {
                "FAILED"
            },
            report.passed,
            report.failed,
            some_interrupted(report.interrupted),
            report.skipped,
            count(
                report.passed + report.failed + report.interrupted + report.skipped,
                "step"
            ),
            report.top_level.passed,
            report.top_level.failed,
            some_interrupted(report.top_level.interrupted),
            report.top_level.skipped,
            report.duration_ms as f64 / 1000.0,
            count(report.screenshots, "screenshot"),
            selection
                .map(|s| format!(
                    "; {} of {} steps selected (--group/--from/--to), the rest skipped",
                    s.selected, s.total
                ))
                .unwrap_or_default(),
        ));
    }
    if output.tag.is_none() {
        for p in &written {
            outln!("report: {}", p.display());
        }
    }
    if let Some(s) = stopped {
        output.say(&format!("stopped by {}", s.name()));
    }
    // Every run that did not pass says where its secrets wait, whatever failed last.
    if let Some(kept) = kept_state(&dir, failure.is_some() || stopped.is_some()) {
        output.say(&state_note(&kept));
    }
    if !unwritten.is_empty() {
        output.warn(&format!(
            "error: the run's evidence could not all be written, so the run has not passed:\n{}\n  help: free space in {} (df -h), or point --artifacts at a folder with room, then resume",
            unwritten
                .iter()
                .map(|u| format!("  - {}", redactor.redact(u)))
                .collect::<Vec<_>>()
                .join("\n"),
            dir.display()
        ));
    }
    if let Some(cmd) = &report.resume_command {
        output.say(&format!("resume with: {cmd}"));
    }
    let first_failure = report
        .steps
        .iter()
        .find(|s| s.status == run::events::Status::Failed && s.error.is_some())
        .map(|s| {
            format!(
                "{} {}: {}",
                s.path,
                s.title,
                s.error.as_deref().unwrap_or_default()
            )
        });
    Outcome {
        code,
        dir,
        passed: report.passed,
        failed: report.failed,
        interrupted: report.interrupted,
        skipped: report.skipped,
        seconds: report.duration_ms as f64 / 1000.0,
        failure: first_failure,
    }
}

/// The progress printer, and the steps begun and not yet finished: where a stop finds the
/// run.
struct Tracked {
    printer: LinePrinter,
    /// Path, depth and start of each step begun and not finished, outermost first.
    open: Vec<(String, usize, Instant)>,
}

impl run::events::Listener for Tracked {
    fn event(&mut self, e: &run::events::Event<'_>) {
        use run::events::Event;
        match e {
            Event::StepStarted { path, depth, .. } => {
                self.open.retain(|(_, d, _)| d < depth);
                self.open.push((path.to_string(), *depth, Instant::now()));
            }
            Event::StepFinished(r) => self.open.retain(|(p, _, _)| *p != r.path),
            Event::Started { .. } => {}
        }
        self.printer.event(e);
    }
}

/// What a run was doing before its steps: a stop there cuts that short instead.
enum Phase {
    Browser,
    /// The sign-in, by its title.
    SignIn(String),
    Steps,
}

/// The records of the steps a stop cut short: each step begun and not finished (a group
/// and the step inside it), or when none had begun, the browser's start or the sign-in as
/// step 0. `why` says what stopped them.
fn interrupted_records(
    rb: &Runbook,
    open: &[(String, usize, Instant)],
    phase: &Phase,
    why: &str,
    redactor: &Redactor,
) -> Vec<run::events::StepRecord> {
    use run::events::{Status, StepKindName, StepRecord};
    let unknown = "the step did not finish, and what it did in the org is not known";
    let mut records: Vec<StepRecord> = open
        .iter()
        .filter_map(|(path, depth, started)| {
            let (file, step) = step_at(rb, path)?;
            let kind = match step.kind {
                crate::runbook::StepKind::Action(_) => StepKindName::Action,
                crate::runbook::StepKind::Group { .. } => StepKindName::Group,
                crate::runbook::StepKind::Include { .. } => StepKindName::Include,
            };
            let secs = started.elapsed().as_secs_f64();
            let mut rec = StepRecord::new(
                path,
                &redactor.redact(&step.title()),
                kind,
                *depth,
                &file.path,
                step.span.line,
                Status::Interrupted,
            );
            rec.duration_ms = started.elapsed().as_millis() as u64;
            rec.attempts = u32::from(kind == StepKindName::Action);
            rec.error = Some(redactor.redact(&format!(
                "step {path} \"{}\" ({}:{}) {why} after {secs:.1} s: {unknown}",
                step.title(),
                file.path.display(),
                step.span.line
            )));
            Some(rec)
        })
        .collect();
    if records.is_empty() {
        let (title, what) = match phase {
            Phase::Browser => ("Start the browser".to_string(), "while the browser started"),
            Phase::SignIn(t) => (t.clone(), "during the sign-in"),
            // Between two steps: nothing was cut short.
            Phase::Steps => return records,
        };
        let mut rec = StepRecord::new(
            "0",
            &redactor.redact(&title),
            StepKindName::Action,
            0,
            &rb.path,
            1,
            Status::Interrupted,
        );
        rec.error = Some(format!("{why} {what}, before the first step"));
        records.push(rec);
    }
    for r in &records {
        run::events::log_step_end(r);
    }
    records
}

/// The step at `path` ("2.3.1") of a runbook, with the runbook (an included one, inside
/// an include) whose file holds it.
fn step_at<'a>(rb: &'a Runbook, path: &str) -> Option<(&'a Runbook, &'a crate::runbook::Step)> {
    use crate::runbook::StepKind;
    let mut file = rb;
    let mut steps: &[crate::runbook::Step] = &rb.steps;
    let mut found = None;
    for part in path.split('.') {
        let i: usize = part.parse().ok()?;
        let step = steps.get(i.checked_sub(1)?)?;
        found = Some((file, step));
        match &step.kind {
            StepKind::Group { steps: inner, .. } => steps = inner,
            StepKind::Include { runbook, .. } => {
                steps = &runbook.steps;
                file = runbook;
            }
            StepKind::Action(_) => steps = &[],
        }
    }
    found
}

/// The command that resumes a run that can be resumed: one a signal stopped, or whose
/// browser or disk failed it, once its journal is written (one stopped before has nothing
/// to resume and is run again).
fn resume_line(
    rb: &Runbook,
    dir: &Path,
    stopped: Option<crate::signals::Stop>,
    failure: Option<Failure>,
    redactor: &Redactor,
) -> Option<String> {
    let resumable = dir.join(run::journal::JOURNAL).exists();
    let worth = stopped.is_some()
        || matches!(
            failure,
            Some(Failure::Browser | Failure::Unwritten | Failure::InputNotGiven)
        );
    (resumable && worth).then(|| redactor.redact(&resume_command(&rb.path, dir)))
}

/// The code a run exits with: a signal's own, else its failure's.
fn exit_code(stopped: Option<crate::signals::Stop>, failure: Option<Failure>) -> i32 {
    if let Some(s) = stopped {
        return s.exit_code();
    }
    match failure {
        None => exit::OK,
        Some(Failure::Step | Failure::InputNotGiven) => exit::STEP_FAILED,
        Some(Failure::Expectation) => exit::EXPECTATION_FAILED,
        Some(Failure::Browser) => exit::BROWSER,
        Some(Failure::Unwritten) => exit::UNWRITTEN,
    }
}

/// ", 2 interrupted" for the summary line, nothing when none was.
fn some_interrupted(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("{n} interrupted, ")
    }
}

/// The log's run-ended event: how the run ended, its exit code, the signal that stopped
/// it and the command that resumes it, so a machine reading JSON logs needs nothing else.
fn log_run_end(report: &crate::report::RunReport, dir: &Path) {
    tracing::info!(
        target: crate::record::STEP_LOG,
        status = report.status,
        passed = report.passed,
        failed = report.failed,
        interrupted = report.interrupted,
        skipped = report.skipped,
        duration_ms = report.duration_ms,
        exit_code = report.exit_code,
        signal = report.stopped_by,
        resume_command = report.resume_command.as_deref(),
        selected_steps = report.selection.map(|s| s.selected),
        run_folder = %dir.display(),
        "run ended: {}",
        report.status
    );
}

/// Under GitHub Actions: an `::error` annotation per failed or interrupted step on
/// stdout, and the run's table appended to the job summary.
fn publish_to_github(report: &crate::report::RunReport, dir: &Path, output: &Output) {
    use crate::report::github;
    let tag = output.tag.as_deref();
    for line in github::annotations(report, tag) {
        // A workflow command must start its line: never behind a target's tag.
        outln!("{}", crate::printable::printable_lines(&line));
    }
    if let Err(e) = github::append_step_summary(&github::step_summary(report, dir, tag)) {
        output.warn(&format!(
            "warning: cannot add the run to the job summary ($GITHUB_STEP_SUMMARY): {e}"
        ));
    }
}

/// The secrets file a run that did not pass left for its resume, if it left one.
fn kept_state(dir: &Path, not_passed: bool) -> Option<crate::report::ResumeStateFile> {
    if !not_passed {
        return None;
    }
    let file = run::journal::secrets_file(dir).filter(|f| f.exists())?;
    let path = file.display().to_string();
    Some(crate::report::ResumeStateFile {
        remove_with: format!("rm {}", shell_quote(&path)),
        path,
    })
}

/// What the summary says of a kept secrets file: where, and how to be rid of it.
fn state_note(kept: &crate::report::ResumeStateFile) -> String {
    format!(
        "captured secrets wait for a resume in {} (only you can read it); resuming this run to its end removes it, or remove it yourself: {}",
        kept.path, kept.remove_with
    )
}

/// Writes the chosen reports into the run folder, each whole or not at all; a report that
/// cannot be written is said, and the others are still written. The reports written, and
/// what could not be (each file and why).
fn write_reports(
    report: &crate::report::RunReport,
    output: &Output,
    dir: &Path,
    redactor: &Redactor,
) -> (Vec<PathBuf>, Vec<String>) {
    use crate::report::{write_html, write_json, write_junit, Format};
    let mut written = Vec::new();
    let mut lost = Vec::new();
    for f in &output.formats {
        let res = match f {
            Format::Json => write_json(report, dir, redactor),
            Format::Html => write_html(report, dir, redactor),
            Format::Junit => write_junit(report, dir, redactor),
        };
        match res {
            Ok(p) => written.push(p),
            Err(e) => {
                output.warn(&format!(
                    "error: cannot write a report into {}: {e}",
                    dir.display()
                ));
                lost.push(e.to_string());
            }
        }
    }
    (written, lost)
}

/// The Salesforce CLI said the org's session is gone before any browser started: the run
/// fails at its sign-in, and its reports say so (every group never reached), so a CI
/// job shows why.
pub fn refused_sign_in(rb: &Runbook, output: &Output, why: &str, redactor: &Redactor) -> Outcome {
    let now = time::OffsetDateTime::now_utc();
    let dir = run::run_dir(&output.artifacts, rb, now);
    let why = redactor.redact(why);
    output.warn(&format!("error: {why}"));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        let why = format!("cannot create the artifacts folder {}: {e}", dir.display());
        output.warn(&format!("error: {why}"));
        return Outcome::early(exit::USAGE, dir, why);
    }
    let record = run::events::StepRecord::sign_in_failed(
        &rb.path,
        "Sign in with the Salesforce CLI",
        why.lines().next().unwrap_or_default(),
    );
    run::events::log_step_end(&record);
    let input_names: Vec<String> = rb.inputs.iter().map(|i| i.name.clone()).collect();
    let result = crate::record::RunResult {
        records: vec![record],
        failure: Some(Failure::Step),
        drift: Vec::new(),
        values: Vec::new(),
        unwritten: Vec::new(),
    };
    let report = crate::report::build(
        rb,
        &result,
        now,
        std::time::Duration::ZERO,
        &input_names,
        redactor,
    );
    let (written, _) = write_reports(&report, output, &dir, redactor);
    log_run_end(&report, &dir);
    if crate::report::github::in_github_actions() {
        publish_to_github(&report, &dir, output);
    }
    output.say(&format!(
        "\nFAILED at the sign-in: {} passed, {} failed, {} skipped of {} steps (top level: {} failed, {} skipped)",
        report.passed,
        report.failed,
        report.skipped,
        report.passed + report.failed + report.skipped,
        report.top_level.failed,
        report.top_level.skipped
    ));
    if output.tag.is_none() {
        for p in &written {
            outln!("report: {}", p.display());
        }
    }
    Outcome::early(exit::STEP_FAILED, dir, why)
}

/// A stop signal came before any browser started (while the Salesforce CLI was asked
/// for a sign-in link, which was ended): the run's reports say so, every top-level step
/// not reached, and the run exits as a stopped one.
/// How long past `--timeout` a run may go before it is stopped from outside its steps.
/// The runner's own end comes first: a round trip may outlive the deadline by 2 s, and a
/// failure's evidence takes 2 s more.
const RUN_TIMEOUT_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Resolves at `at`, never without one.
async fn past(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

pub fn stopped_before_start(
    rb: &Runbook,
    output: &Output,
    stop: crate::signals::Stop,
    redactor: &Redactor,
) -> Outcome {
    let now = time::OffsetDateTime::now_utc();
    let dir = run::run_dir(&output.artifacts, rb, now);
    let why = format!("stopped by {} before the first step", stop.name());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        output.warn(&format!(
            "error: cannot create the artifacts folder {}: {e}",
            dir.display()
        ));
        return Outcome::early(stop.exit_code(), dir, why);
    }
    let input_names: Vec<String> = rb.inputs.iter().map(|i| i.name.clone()).collect();
    let mut cut = run::events::StepRecord::new(
        "0",
        "Sign in with the Salesforce CLI",
        run::events::StepKindName::Action,
        0,
        &rb.path,
        1,
        run::events::Status::Interrupted,
    );
    cut.error = Some(format!(
        "interrupted by {} while the Salesforce CLI was asked for a sign-in, before the first step",
        stop.name()
    ));
    run::events::log_step_end(&cut);
    let result = crate::record::RunResult {
        records: vec![cut],
        failure: None,
        drift: Vec::new(),
        values: Vec::new(),
        unwritten: Vec::new(),
    };
    let mut report = crate::report::build(
        rb,
        &result,
        now,
        std::time::Duration::ZERO,
        &input_names,
        redactor,
    );
    report.status = "interrupted";
    report.stopped_by = Some(stop.name());
    report.exit_code = stop.exit_code();
    let (written, _) = write_reports(&report, output, &dir, redactor);
    log_run_end(&report, &dir);
    if crate::report::github::in_github_actions() {
        publish_to_github(&report, &dir, output);
    }
    output.say(&format!(
        "\nINTERRUPTED before the first step: 0 of {} top-level steps reached",
        report.top_level.skipped
    ));
    if output.tag.is_none() {
        for p in &written {
            outln!("report: {}", p.display());
        }
    }
    output.say(&format!("stopped by {}", stop.name()));
    Outcome::early(stop.exit_code(), dir, why)
}

/// The command that resumes this run: the command line it was started with (no secret is
/// ever on it; they are refused there), its `--resume` replaced by this run's folder. For
/// a run of a targets file, the runbook and the folder alone, as its inputs come from the
/// targets file.
fn resume_command(runbook: &Path, dir: &Path) -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fleet = args
        .iter()
        .any(|a| a == "--targets" || a.starts_with("--targets="));
    let mut out = vec!["setupwright".to_string()];
    if fleet || args.first().map(String::as_str) != Some("run") {
        out.extend(["run".into(), runbook.display().to_string()]);
    } else {
        let mut skip = false;
        for a in args {
            if skip {
                skip = false;
                continue;
            }
            if a == "--resume" {
                skip = true;
                continue;
            }
            if a.starts_with("--resume=") {
                continue;
            }
            out.push(a);
        }
    }
    out.push("--resume".into());
    out.push(dir.display().to_string());
    out.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` as one word for a POSIX shell.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:@%+,".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// "1 step", "2 steps".
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_for_a_shell() {
        assert_eq!(shell_quote("-i"), "-i");
        assert_eq!(
            shell_quote("my_domain_url=http://127.0.0.1:8080"),
            "my_domain_url=http://127.0.0.1:8080"
        );
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
