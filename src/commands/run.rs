//! `run` and `verify` of one runbook against one org (many orgs: `fleet`).

use std::path::Path;

use setupwright::errln;
use setupwright::exit;
use setupwright::job;
use setupwright::run::vars::Redactor;
use setupwright::run::{self, inputs};
use setupwright::runbook::Runbook;

use crate::cli::RunArgs;
use crate::commands::common::*;

/// An org session's token is a secret, and its instance is the My Domain URL unless
/// one was given. A token too short to redact is refused: it is no real session's.
pub(crate) fn adopt_org_session(
    rb: &Runbook,
    org: &setupwright::salesforce::session::OrgSession,
    pairs: &mut Vec<(String, String)>,
    redactor: &Redactor,
) -> Result<(), String> {
    for secret in org.secrets() {
        redactor.add(&secret).map_err(|short| {
            format!("the org session's token is refused: {short}; check SF_ACCESS_TOKEN (or the token env variable the target names) holds the whole session id")
        })?;
    }
    if rb.inputs.iter().any(|i| i.name == "my_domain_url")
        && !pairs.iter().any(|(k, _)| k == "my_domain_url")
    {
        pairs.push(("my_domain_url".into(), org.instance_url.clone()));
    }
    Ok(())
}

/// How a run in `dir` ended when it ended with every step passed: such a run is done.
/// None when it has no report (it was killed) or one of a run that did not pass; an error
/// when its report cannot be read or is damaged, which a resume must not guess about.
pub(crate) fn finished_status(dir: &Path) -> Result<Option<String>, String> {
    let path = dir.join("report.json");
    let damaged = |why: String| {
        format!(
            "{} is damaged ({why}); --resume cannot tell whether that run finished\n  help: run again without --resume (the guarded groups skip what is already done), into a new run folder",
            path.display()
        )
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(damaged(format!("cannot read it: {e}"))),
    };
    let report: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| damaged(format!("not JSON: {e}")))?;
    let status = report["status"]
        .as_str()
        .ok_or_else(|| damaged("it has no status".into()))?;
    Ok((status == "passed").then(|| status.to_string()))
}

pub(crate) async fn run_cmd(args: RunArgs, redactor: Redactor, verify: bool) -> i32 {
    // From here on SIGINT, SIGTERM and SIGHUP are noted, not fatal: whatever the run is
    // doing (the Salesforce CLI, the browser starting, a step, the reports), it ends
    // itself, leaves no process behind, and exits 128 + the signal's number.
    setupwright::signals::listen();
    let code = run_or_stop(args, redactor, verify).await;
    // A signal that came after the run had decided how it ended still decides the code.
    setupwright::signals::received().map_or(code, |s| code_when_stopped(code, s))
}

/// The exit code of a run a signal came to: a run that already said it was stopped keeps
/// its code; any other takes the signal's.
fn code_when_stopped(code: i32, s: setupwright::signals::Stop) -> i32 {
    if setupwright::signals::is_stop_code(code) {
        code
    } else {
        s.exit_code()
    }
}

async fn run_or_stop(args: RunArgs, redactor: Redactor, verify: bool) -> i32 {
    if let Some(file) = args.targets.clone() {
        return crate::fleet::run(args, file, redactor, verify).await;
    }
    let rb = match load_or_report(&args.runbook) {
        Ok(rb) => rb,
        Err(c) => return c,
    };
    // A folder being resumed is locked before anything else: a second resume of it stops
    // here, before any CLI call or browser. (A folder without a journal is no run folder;
    // reading the journal below says so.)
    let _lock = match &args.resume {
        Some(dir) if dir.join(run::journal::JOURNAL).exists() => {
            match run::lock::RunLock::acquire(dir) {
                Ok(l) => Some(l),
                Err(e) => {
                    errln!("error: {e}");
                    return exit::LOCKED;
                }
            }
        }
        _ => None,
    };
    let Ok((pairs, file)) = gather_inputs(&args.inputs).map_err(usage_error) else {
        return exit::USAGE;
    };
    if let Some(path) = &args.inputs.inputs {
        if let Some(w) = inputs::exposure_warning(path, &rb, &file) {
            errln!("{w}");
        }
    }
    // An org session: its token is a secret, and its instance is the My Domain URL
    // unless one was given.
    let org = match (&args.org, &args.instance_url) {
        // On a blocking thread: the CLI takes seconds, and the runtime's threads must stay
        // free to note a signal meanwhile (the wait ends the CLI when one comes).
        (Some(alias), _) => {
            let (sf, alias) = (args.sf.clone(), alias.clone());
            match tokio::task::spawn_blocking(move || {
                setupwright::salesforce::session::from_sf_cli(&sf, &alias)
            })
            .await
            {
                Ok(answer) => Some(answer),
                Err(e) => {
                    errln!("error: the Salesforce CLI call failed inside setupwright: {e}");
                    return exit::USAGE;
                }
            }
        }
        (None, Some(url)) => Some(setupwright::salesforce::session::from_env(url)),
        _ => None,
    };
    let Some(formats) = report_formats(&args.report) else {
        return exit::USAGE;
    };
    let mut out = job::Output {
        artifacts: args.artifacts.clone(),
        quiet: args.quiet,
        formats,
        verify,
        org: None,
        tag: None,
    };
    // Stopped while the CLI ran (it was ended): the run's reports say so.
    if let Some(s) = setupwright::signals::received() {
        if let Some(dir) = &args.resume {
            // The interrupted run's reports stay as they are: this resume did nothing.
            errln!(
                "stopped by {} before the resumed run started; {} is unchanged",
                s.name(),
                dir.display()
            );
            return s.exit_code();
        }
        return job::stopped_before_start(&rb, &out, s, &redactor).code;
    }
    let org = match org.transpose() {
        Ok(o) => o,
        // The org refused: that is the run's failure, reported like any other.
        Err(e) if e.refused => {
            return job::refused_sign_in(&rb, &out, &e.to_string(), &redactor).code;
        }
        Err(e) => {
            errln!("error: {e}");
            return exit::USAGE;
        }
    };
    let mut pairs = pairs;
    if let Some(o) = &org {
        if let Err(e) = adopt_org_session(&rb, o, &mut pairs, &redactor) {
            errln!("error: {e}");
            return exit::USAGE;
        }
    }
    let (mut vars, input_errors) =
        inputs::resolve_partly(&rb, &pairs, &file, &|k| std::env::var(k).ok(), &redactor);
    // A value given wrong is refused whatever part of the runbook runs.
    if input_errors.iter().any(|e| !inputs::is_missing(e)) {
        for e in input_errors {
            errln!("error: {e}");
        }
        return exit::USAGE;
    }
    let mut opts = args.run_options();
    let resume = match &args.resume {
        None => None,
        Some(dir) => match run::journal::read(dir) {
            Ok(st) => {
                let same = Path::new(&st.runbook).file_name() == args.runbook.file_name();
                if !same {
                    errln!(
                        "error: {} was a run of {}, not {}",
                        dir.display(),
                        st.runbook,
                        args.runbook.display()
                    );
                    return exit::USAGE;
                }
                let finished = match finished_status(dir) {
                    Ok(f) => f,
                    Err(e) => {
                        errln!("error: {e}");
                        return exit::USAGE;
                    }
                };
                if let Some(status) = finished {
                    errln!(
                        "error: {} is a finished run ({status}); there is nothing to resume, and resuming would overwrite its reports\n  help: run again without --resume; the guarded groups skip what is already done",
                        dir.display()
                    );
                    return exit::USAGE;
                }
                Some((dir.clone(), st))
            }
            Err(e) => {
                errln!("error: {e}");
                return exit::USAGE;
            }
        },
    };
    // The part of the runbook asked for, and whether what it needs is at hand: refused
    // here, before any browser starts. A resumed run's captures count, as the journal
    // gives them back.
    let selection = match selection_or_report(&rb, &args.select, &vars, &redactor) {
        Ok(s) => s,
        Err(c) => return c,
    };
    // Inputs not given are refused when the steps that run read them; a part that never
    // does runs without them.
    let missing = match &selection {
        Some(sel) => {
            let read = setupwright::runbook::select::inputs_read(&rb, sel);
            inputs::defer_unneeded(&mut vars, input_errors, &|n| read.contains(n))
        }
        None => input_errors,
    };
    if !missing.is_empty() {
        for e in missing {
            errln!("error: {e}");
        }
        return exit::USAGE;
    }
    let journal_has = |n: &str| {
        resume.as_ref().is_some_and(|(_, st)| {
            st.captures.contains_key(n) || st.secret_captures.contains_key(n)
        })
    };
    let given = |n: &str| vars.values.get(n).is_some_and(|v| !v.is_empty()) || journal_has(n);
    if let Err(c) = needs_or_report(&rb, selection.as_ref(), &given) {
        return c;
    }
    opts.selection = selection;
    out.org = org;
    job::execute(
        &rb,
        vars,
        opts,
        &out,
        &browser_options(&args.browser),
        redactor,
        resume,
    )
    .await
    .code
}
