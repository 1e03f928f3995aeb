//! The runner: walks the runbook's steps, decides skip/only, keeps variables and
//! secrets, retries within deadlines, takes the screenshot after each step, and hands
//! finished steps to listeners and the report.

pub mod events;
pub mod inputs;
pub mod journal;
pub mod lock;
pub use crate::vars;

mod attempt;
mod evidence;
mod finish;
mod guards;
mod includes;
mod naming;
mod picture;
mod secret_match;
mod timing;
mod verify;
mod walk;

pub use crate::poll::Deadline;
pub use crate::runbook::duration::human;
use evidence::{Evidence, Picture};
pub use naming::{run_dir, slug};
use picture::{pictured, Captured};
use timing::Laps;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::actions::{self, Attempt, Ctx, StepError};
use crate::driver::Session;
use crate::locate::{
    self, EngineError, FrameState, MaskAnswer, Mode, Outcome, Purpose, Request, ShootAnswer,
    SourceAnswer, Stillness,
};
use crate::runbook::{Action, Condition, Runbook, Step, StepKind, Test};
use events::{Event, Listener, Status, StepKindName, StepRecord};
use vars::{Redactor, Vars};

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
    /// URLs of the org's own origins besides the top document's, where a secret may be
    /// typed (`--trust-origin`, the org's instance URL); a Salesforce one brings every
    /// host of its My Domain. The `my_domain_url` input counts too.
    pub trusted_origins: Vec<String>,
    /// When the run began, before the browser's start: `--timeout` counts from then (now,
    /// when not given).
    pub started: Option<Instant>,
    /// The part of the runbook to run (`--group`, `--from`, `--to`); all of it when none.
    pub selection: Option<crate::runbook::select::Selection>,
    /// `import --resolve`'s replay of a recording: a `fill` that finds a picklist picks
    /// the option it names instead of failing (a recorded `change` found by CSS does not
    /// say whether its field is a text box or a picklist), and a click that turns a
    /// checkbox, switch or radio reads how it left it into the report (`matched.checked`),
    /// a read an ordinary run does not spend.
    pub authoring: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            step_timeout: Duration::from_secs(30),
            condition_timeout: Duration::from_secs(4),
            run_timeout: None,
            screenshots: true,
            fresh_screenshots: false,
            trusted_origins: Vec::new(),
            started: None,
            selection: None,
            authoring: false,
        }
    }
}

pub use crate::record::{Failure, RunResult};

pub struct Runner<'l> {
    ctx: Ctx,
    /// Pictures, failure files, and what could not be written.
    evidence: Evidence,
    opts: RunOptions,
    run_deadline: Option<Deadline>,
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
        let started = opts.started.unwrap_or_else(Instant::now);
        let run_deadline = opts.run_timeout.map(|t| Deadline {
            at: started + t,
            limit: format!("run timeout of {} (--timeout)", human(t)),
        });
        // The run's inputs name the org too: the runbooks' convention for its My Domain URL.
        let org = crate::origins::OrgOrigins::new(
            opts.trusted_origins
                .iter()
                .map(String::as_str)
                .chain(vars.values.get("my_domain_url").map(String::as_str)),
        );
        let ctx = Ctx {
            org,
            session,
            frames: FrameState::default(),
            windows: vec![main],
            left: Vec::new(),
            vars,
            redactor,
            deadline: Deadline::step(opts.step_timeout),
            matched: None,
            patient: false,
            acted: None,
            performed: None,
            looks: Default::default(),
            authoring: opts.authoring,
        };
        Ok(Runner {
            ctx,
            evidence: Evidence::new(dir, &opts),
            opts,
            run_deadline,
            records: Vec::new(),
            listener,
            failure: None,
            journal: None,
            input_names: Vec::new(),
            resumed: Default::default(),
            verify: false,
            drift: Vec::new(),
            acted: None,
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
        self.journal = Some(journal::Journal::create(&self.evidence.dir, &rb.path)?);
        if let Some(st) = resume {
            let redactor = self.ctx.redactor.clone();
            for (k, v) in st.captures {
                // Not secret: nothing to refuse.
                let _ = self.ctx.vars.set(&k, v, false, &redactor);
            }
            for (k, v) in st.secret_captures {
                // A state file from before short secrets were refused may hold one that
                // would be left in clear: refuse the resume rather than leak it.
                self.ctx.vars.set(&k, v, true, &redactor).map_err(|short| {
                    std::io::Error::other(format!(
                        "the resume state holds secret capture `{k}`, refused: {short}"
                    ))
                })?;
            }
            self.resumed = st.done_top_level;
            // Screenshots go on numbering after the ones already there.
            self.evidence.number_after_existing();
        }
        Ok(())
    }

    pub fn vars(&self) -> &Vars {
        &self.ctx.vars
    }

    pub async fn run(&mut self, rb: &Runbook) -> bool {
        self.evidence.watch_secret_captures(rb);
        let selected = self.opts.selection.as_ref().map(|s| s.summary());
        self.listener.event(&Event::Started {
            runbook: &rb.title,
            dir: &self.evidence.dir,
            selected: selected.as_deref(),
        });
        let passed = self.steps(rb, &rb.steps, "", 0, None).await.is_ok();
        // A run that passed must have done what it says; `verify` changes nothing, and a
        // failed run's failure is what it reports.
        if passed && !self.verify {
            self.let_the_page_finish().await;
        }
        passed
    }

    /// What the run produced, for the reports: the runner is done with it.
    pub fn into_result(self) -> RunResult {
        RunResult {
            values: self.ctx.vars.shown(&self.ctx.redactor),
            records: self.records,
            failure: self.failure,
            drift: self.drift,
            unwritten: self.evidence.unwritten,
        }
    }
}
