//! `run --targets`: one runbook against many orgs at once. Every target is checked
//! before any browser starts, so a typo in the tenth org does not surface an hour in.
//! Each target then runs in its own browser session through one shared chromedriver;
//! a failing org does not stop the others, and a table at the end says how each went.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use futures_util::stream::{self, StreamExt};
use setupwright::driver::ChromeDriver;
use setupwright::exit;
use setupwright::run::inputs;
use setupwright::run::vars::{Redactor, Vars};
use setupwright::runbook::Runbook;
use setupwright::salesforce::session::{self, OrgSession};
use setupwright::targets::{self, SignIn, Target};
use setupwright::{errln, outln};
use tracing::Instrument;

use crate::cli::RunArgs;
use setupwright::job::{self, Outcome};

struct Prepared {
    target: Target,
    vars: Vars,
    org: Option<OrgSession>,
}

pub async fn run(args: RunArgs, targets_file: PathBuf, redactor: Redactor, verify: bool) -> i32 {
    let rb = match crate::load_or_report(&args.runbook) {
        Ok(rb) => rb,
        Err(c) => return c,
    };
    let targets = match targets::load(&targets_file) {
        Ok(t) => t,
        Err(e) => {
            errln!("error: {e}");
            return exit::USAGE;
        }
    };
    let Ok(cli) = crate::gather_inputs(&args.inputs).map_err(crate::usage_error) else {
        return exit::USAGE;
    };
    let Some(formats) = crate::report_formats(&args.report) else {
        return exit::USAGE;
    };
    // One part of the runbook for every target, named by its titles as written (each
    // target fills them in its own way); what it needs is checked per target.
    let selection = match crate::selection_or_report(&rb, &args.select, &Vars::default(), &redactor)
    {
        Ok(s) => s,
        Err(c) => return c,
    };
    let read = selection
        .as_ref()
        .map(|sel| setupwright::runbook::select::inputs_read(&rb, sel));
    let needed = |n: &str| read.as_ref().is_none_or(|r| r.contains(n));
    let mut prepared = Vec::new();
    let mut problems = Vec::new();
    for t in targets {
        match prepare(&rb, t, &targets_file, &cli, &args, &redactor, &needed) {
            Ok(p) => prepared.push(p),
            Err(errs) => problems.extend(errs),
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            errln!("error: {p}");
        }
        errln!(
            "\nnothing was run: {} problem(s) in the targets",
            problems.len()
        );
        return exit::USAGE;
    }
    for p in &prepared {
        let given = |n: &str| p.vars.values.get(n).is_some_and(|v| !v.is_empty());
        if crate::needs_or_report(&rb, selection.as_ref(), &given).is_err() {
            errln!(
                "nothing was run: target {} lacks a value the selected steps need",
                p.target.name
            );
            return exit::USAGE;
        }
    }

    // One chromedriver serves every session: it is one process instead of N, and each
    // session still gets its own Chromium and profile.
    let mut browser = crate::browser_options(&args.browser);
    let _driver = match &browser.webdriver_url {
        Some(_) => None,
        None => match ChromeDriver::spawn(&browser.chromedriver).await {
            Ok(d) => {
                browser.webdriver_url = Some(d.url());
                // Its Chromiums run here: each gets a private profile of ours.
                browser.local_driver = d.pid();
                Some(d)
            }
            Err(e) => {
                errln!("error: {e}\n  help: install Chromium and ChromeDriver (apt-get install chromium chromium-driver), or pass --webdriver URL");
                return exit::BROWSER;
            }
        },
    };
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let jobs = args
        .jobs
        .map(usize::from)
        .unwrap_or(cpus)
        .clamp(1, prepared.len());
    let mut opts = args.run_options();
    opts.selection = selection;
    outln!(
        "Running {} against {} target(s), {jobs} at a time",
        rb.title,
        prepared.len()
    );
    let started = Instant::now();
    let names: Vec<String> = prepared.iter().map(|p| p.target.name.clone()).collect();
    // Unordered, so a slow org does not hold a slot after others finish; sorted after.
    let mut outcomes: Vec<(usize, Outcome)> = stream::iter(prepared.into_iter().enumerate())
        .map(|(i, p)| {
            let output = job::Output {
                artifacts: args.artifacts.join(&p.target.name),
                quiet: args.quiet,
                formats: formats.clone(),
                verify,
                org: p.org,
                tag: Some(p.target.name.clone()),
            };
            let (rb, opts, browser, redactor) = (&rb, opts.clone(), &browser, redactor.clone());
            // Log lines (-v, RUST_LOG) carry the target, as printed lines carry `[target]`.
            let span = tracing::info_span!("target", name = %p.target.name);
            async move {
                // A target whose turn comes after a stop signal is not started: the run is
                // ending, and a browser started now would only be torn down.
                if let Some(stop) = setupwright::signals::received() {
                    return (i, Outcome::not_started(stop, output.artifacts));
                }
                (
                    i,
                    job::execute(rb, p.vars, opts, &output, browser, redactor, None).await,
                )
            }
            .instrument(span)
        })
        .buffer_unordered(jobs)
        .collect()
        .await;
    outcomes.sort_by_key(|(i, _)| *i);
    let outcomes: Vec<Outcome> = outcomes.into_iter().map(|(_, o)| o).collect();
    print!(
        "{}",
        summary(
            &names,
            &outcomes,
            started.elapsed().as_secs_f64(),
            &redactor
        )
    );
    overall_code(&outcomes.iter().map(|o| o.code).collect::<Vec<_>>())
}

/// Resolves one target's inputs and sign-in, or says everything wrong with it.
fn prepare(
    rb: &Runbook,
    t: Target,
    file: &std::path::Path,
    (cli_pairs, cli_file): &(Vec<(String, String)>, HashMap<String, String>),
    args: &RunArgs,
    redactor: &Redactor,
    needed: &dyn Fn(&str) -> bool,
) -> Result<Prepared, Vec<String>> {
    let at = |e: String| format!("{} target `{}`: {e}", file.display(), t.name);
    let mut errors = Vec::new();
    for (k, _) in &t.inputs {
        if rb.inputs.iter().any(|i| i.secret && &i.name == k) {
            errors.push(at(format!(
                "`{k}` is secret and must not be written in the targets file; set {} in the environment or put it in the target's inputs_file (mode 0600)",
                t.env_name(k)
            )));
        }
    }
    let mut file_values = cli_file.clone();
    if let Some(p) = &t.inputs_file {
        match inputs::read_file(p) {
            Ok(m) => {
                if let Some(w) = inputs::exposure_warning(p, rb, &m) {
                    errln!("{w}");
                }
                file_values.extend(m)
            }
            Err(e) => errors.push(at(e)),
        }
    }
    let org = match &t.sign_in {
        None => None,
        Some(SignIn::SfAlias(alias)) => session::from_sf_cli(&args.sf, alias)
            .map_err(|e| errors.push(at(e.to_string())))
            .ok(),
        Some(SignIn::Token { instance_url, env }) => session::from_env_var(instance_url, env)
            .map_err(|e| errors.push(at(e.to_string())))
            .ok(),
    };
    // The command line's --input applies to every target and wins, as it does for one run.
    let is_secret = |k: &str| rb.inputs.iter().any(|i| i.secret && i.name == k);
    let mut pairs: Vec<(String, String)> = t
        .inputs
        .iter()
        .filter(|(k, _)| !is_secret(k))
        .cloned()
        .collect();
    pairs.extend(cli_pairs.iter().cloned());
    if let Some(o) = &org {
        if let Err(e) = crate::adopt_org_session(rb, o, &mut pairs, redactor) {
            errors.push(at(e));
        }
    }
    let env = |k: &str| {
        let name = k.strip_prefix("SETUPWRIGHT_").unwrap_or(k);
        std::env::var(t.env_name(name))
            .ok()
            .or_else(|| std::env::var(k).ok())
    };
    // Inputs only steps left out of the part read are asked for if a step needs one.
    let (mut vars, input_errors) = inputs::resolve_partly(rb, &pairs, &file_values, &env, redactor);
    let input_errors = inputs::defer_unneeded(&mut vars, input_errors, needed);
    let resolved = if input_errors.is_empty() {
        Ok(vars)
    } else {
        Err(input_errors)
    };
    match resolved {
        Ok(vars) if errors.is_empty() => Ok(Prepared {
            target: t,
            vars,
            org,
        }),
        Ok(_) => Err(errors),
        Err(errs) => {
            errors.extend(errs.into_iter().map(at));
            if let Some(last) = errors.last_mut() {
                last.push_str(&format!("\n  help: a value for this target alone goes in {}<NAME>, which wins over SETUPWRIGHT_<NAME>", t.env_name("")));
            }
            Err(errors)
        }
    }
}

/// The table printed after all targets ended.
fn summary(names: &[String], outcomes: &[Outcome], wall: f64, redactor: &Redactor) -> String {
    let width = names.iter().map(|n| n.len()).max().unwrap_or(6).max(6);
    let mut out = format!(
        "\n{:<width$}  {:<11}  {:>5}  {:>5}  {:>5}  {:>5}  {:>7}  run folder\n",
        "target", "result", "ok", "fail", "intr", "skip", "time"
    );
    for (name, o) in names.iter().zip(outcomes) {
        out.push_str(&format!(
            "{name:<width$}  {:<11}  {:>5}  {:>5}  {:>5}  {:>5}  {:>6.1}s  {}\n",
            result_word(o.code),
            o.passed,
            o.failed,
            o.interrupted,
            o.skipped,
            o.seconds,
            o.dir.display()
        ));
        if let Some(f) = o.failure.as_ref().filter(|_| o.code != exit::OK) {
            let first = f.lines().next().unwrap_or_default();
            out.push_str(&format!("{:width$}  └ {}\n", "", redactor.redact(first)));
        }
    }
    let ok = outcomes.iter().filter(|o| o.code == exit::OK).count();
    out.push_str(&format!(
        "{ok} of {} target(s) succeeded in {wall:.1}s\n",
        outcomes.len()
    ));
    out
}

fn result_word(code: i32) -> &'static str {
    match code {
        exit::OK => "passed",
        exit::STEP_FAILED => "step failed",
        exit::EXPECTATION_FAILED => "expectation",
        exit::BROWSER => "browser",
        exit::UNWRITTEN => "evidence not written",
        exit::INTERRUPTED | exit::TERMINATED | exit::HUNG_UP => "interrupted",
        _ => "error",
    }
}

/// 0 when every target succeeded; otherwise the gravest of their codes, so a script can
/// tell "an org refused a step" from "the browser infrastructure broke".
fn overall_code(codes: &[i32]) -> i32 {
    const GRAVITY: [i32; 9] = [
        exit::TERMINATED,
        exit::HUNG_UP,
        exit::INTERRUPTED,
        exit::BROWSER,
        exit::UNWRITTEN,
        exit::USAGE,
        exit::STEP_FAILED,
        exit::EXPECTATION_FAILED,
        exit::OK,
    ];
    GRAVITY
        .iter()
        .copied()
        .find(|g| codes.contains(g))
        .unwrap_or_else(|| {
            codes
                .iter()
                .copied()
                .find(|c| *c != exit::OK)
                .unwrap_or(exit::OK)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_counts_interrupted_steps_apart_from_failed_ones() {
        let outcome = |code, passed, failed, interrupted| Outcome {
            code,
            dir: PathBuf::from("artifacts/x"),
            passed,
            failed,
            interrupted,
            skipped: 0,
            seconds: 1.0,
            failure: None,
        };
        let table = summary(
            &["uat".into(), "qa".into()],
            &[
                outcome(exit::TERMINATED, 3, 0, 1),
                outcome(exit::STEP_FAILED, 2, 1, 0),
            ],
            2.0,
            &Redactor::default(),
        );
        let row = |name: &str| -> Vec<String> {
            table
                .lines()
                .find(|l| l.starts_with(name))
                .unwrap_or_default()
                .split_whitespace()
                .map(String::from)
                .collect()
        };
        assert!(table.contains("ok   fail   intr   skip"), "{table}");
        assert_eq!(row("uat")[1..5], ["interrupted", "3", "0", "1"], "{table}");
        // ("step failed" is two words.)
        assert_eq!(row("qa")[3..6], ["2", "1", "0"], "{table}");
    }

    #[test]
    fn the_exit_code_is_the_gravest_of_the_targets() {
        assert_eq!(overall_code(&[0, 0]), exit::OK);
        assert_eq!(
            overall_code(&[0, exit::EXPECTATION_FAILED, exit::STEP_FAILED]),
            exit::STEP_FAILED
        );
        assert_eq!(
            overall_code(&[exit::STEP_FAILED, exit::BROWSER]),
            exit::BROWSER
        );
        assert_eq!(
            overall_code(&[0, exit::EXPECTATION_FAILED]),
            exit::EXPECTATION_FAILED
        );
    }
}
