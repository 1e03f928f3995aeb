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
    if let Some(file) = args.targets.clone() {
        return crate::fleet::run(args, file, redactor, verify).await;
    }
    let rb = match load_or_report(&args.runbook) {
        Ok(rb) => rb,
        Err(c) => return c,
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
        (Some(alias), _) => Some(setupwright::salesforce::session::from_sf_cli(
            &args.sf, alias,
        )),
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
    let vars = match inputs::resolve(&rb, &pairs, &file, &|k| std::env::var(k).ok(), &redactor) {
        Ok(v) => v,
        Err(errs) => {
            for e in errs {
                errln!("error: {e}");
            }
            return exit::USAGE;
        }
    };
    let opts = args.run_options();
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
