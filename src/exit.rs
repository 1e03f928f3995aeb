//! Exit codes, documented in the README and `setupwright --help`.

/// Every step passed (or was skipped by its condition).
pub const OK: i32 = 0;
/// The command line was wrong: unknown flag, bad or missing input.
pub const USAGE: i32 = 2;
/// A runbook is invalid: YAML, unknown action or key, unknown `${name}`, include cycle.
pub const INVALID_RUNBOOK: i32 = 3;
/// A step failed at run time: an element never appeared, a page showed an error.
pub const STEP_FAILED: i32 = 4;
/// An `expect` step found the page not as expected.
pub const EXPECTATION_FAILED: i32 = 5;
/// The browser or WebDriver could not be started or died mid-run.
pub const BROWSER: i32 = 6;
/// The run folder is in use by another run (a second `--resume` of the same folder).
pub const LOCKED: i32 = 7;
/// The run's evidence (a picture, the journal, a report) could not be written: a full disk,
/// a folder without write permission. The run has not passed; a resume finishes it.
pub const UNWRITTEN: i32 = 8;
/// Interrupted: Ctrl-C (SIGINT).
pub const INTERRUPTED: i32 = 130;
/// Stopped by SIGTERM (a CI job cancelled, `timeout`).
pub const TERMINATED: i32 = 143;
/// Stopped by SIGHUP (the terminal or SSH session closed).
pub const HUNG_UP: i32 = 129;
