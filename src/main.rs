//! The command line: parse flags, dispatch, map outcomes to exit codes.

mod cli;
mod demo;
mod fleet;

mod logging;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use setupwright::driver::BrowserOptions;
use setupwright::exit;
use setupwright::job;
use setupwright::run::vars::Redactor;
use setupwright::run::{self, inputs};
use setupwright::runbook::{self, Runbook};

use cli::{BrowserArgs, Cli, Command, InputArgs, RunArgs};
use setupwright::{errln, outln};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    let redactor = Redactor::default();
    logging::init(cli.verbose, cli.log_format, redactor.clone());
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            errln!("error: cannot start the async runtime: {e}");
            std::process::exit(exit::BROWSER);
        }
    };
    let code = rt.block_on(dispatch(cli.command, redactor));
    std::process::exit(code);
}

async fn dispatch(cmd: Command, redactor: Redactor) -> i32 {
    match cmd {
        Command::Check { runbooks } => check(&runbooks),
        Command::Schema => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&runbook::schema::schema()).unwrap_or_default()
            );
            exit::OK
        }
        Command::Plan { runbook, inputs } => plan(&runbook, &inputs, &redactor),
        Command::Run(args) => run_cmd(args, redactor, false).await,
        Command::Verify(args) => run_cmd(args, redactor, true).await,
        Command::Demo {
            artifacts,
            browser,
            keep_open,
            shadow,
        } => demo::demo(&artifacts, &browser, keep_open, shadow.into(), redactor).await,
        Command::Sim {
            port,
            classic_port,
            username,
            chaos,
            shadow,
        } => demo::serve(port, classic_port, &username, chaos, shadow.into()).await,
    }
}

pub fn load_or_report(path: &Path) -> Result<Runbook, i32> {
    runbook::load(path).map_err(|e| {
        errln!("{e}");
        errln!("\n{}: {} error(s)", path.display(), e.0.len());
        exit::INVALID_RUNBOOK
    })
}

fn check(paths: &[PathBuf]) -> i32 {
    let mut bad = 0;
    for p in paths {
        match runbook::load(p) {
            Ok(rb) => outln!(
                "ok  {} ({}: {} steps)",
                p.display(),
                rb.title,
                count_steps(&rb.steps)
            ),
            Err(e) => {
                errln!("{e}\n");
                bad += 1;
            }
        }
    }
    if bad > 0 {
        errln!("{bad} of {} runbook(s) invalid", paths.len());
        exit::INVALID_RUNBOOK
    } else {
        exit::OK
    }
}

fn count_steps(steps: &[runbook::Step]) -> usize {
    steps
        .iter()
        .map(|s| match &s.kind {
            runbook::StepKind::Group { steps, .. } => count_steps(steps),
            runbook::StepKind::Include { runbook, .. } => count_steps(&runbook.steps),
            runbook::StepKind::Action(_) => 1,
        })
        .sum()
}

/// Prints a usage problem; the caller exits with `exit::USAGE`.
pub fn usage_error(e: String) {
    errln!("error: {e}");
}

/// `--report`'s list, or the problem printed.
pub fn report_formats(list: &str) -> Option<Vec<setupwright::report::Format>> {
    setupwright::report::Format::parse_list(list)
        .map_err(|e| usage_error(format!("--report: {e}")))
        .ok()
}

/// Inputs from the command line: `--input` pairs in order, and the `--inputs` file.
type GivenInputs = (Vec<(String, String)>, HashMap<String, String>);

fn gather_inputs(args: &InputArgs) -> Result<GivenInputs, String> {
    let pairs = args
        .input
        .iter()
        .map(|s| inputs::parse_pair(s))
        .collect::<Result<Vec<_>, _>>()?;
    let file = match &args.inputs {
        Some(p) => inputs::read_file(p)?,
        None => HashMap::new(),
    };
    Ok((pairs, file))
}

fn plan(path: &Path, args: &InputArgs, redactor: &Redactor) -> i32 {
    let rb = match load_or_report(path) {
        Ok(rb) => rb,
        Err(c) => return c,
    };
    let (pairs, file) = match gather_inputs(args) {
        Ok(x) => x,
        Err(e) => {
            errln!("error: {e}");
            return exit::USAGE;
        }
    };
    // Missing inputs are shown as ${name}, so a plan can be read before they are known;
    // defaults and what was given are filled in all the same.
    let (vars, _) =
        inputs::resolve_partly(&rb, &pairs, &file, &|k| std::env::var(k).ok(), redactor);
    outln!("{} ({})", rb.title, rb.path.display());
    for i in &rb.inputs {
        let shown = match vars.values.get(&i.name) {
            Some(_) if i.secret => "***".to_string(),
            Some(v) => v.clone(),
            None => "(not given)".into(),
        };
        outln!("  input {} = {}", i.name, shown);
    }
    print_plan(&rb.steps, "", &vars, redactor);
    exit::OK
}

fn print_plan(steps: &[runbook::Step], prefix: &str, vars: &run::vars::Vars, redactor: &Redactor) {
    for (i, s) in steps.iter().enumerate() {
        let path = if prefix.is_empty() {
            format!("{}", i + 1)
        } else {
            format!("{prefix}.{}", i + 1)
        };
        let depth = path.matches('.').count() + 1;
        let title = fill_known(&s.title(), vars);
        let mut line = format!("{}{path} {}", "  ".repeat(depth), redactor.redact(&title));
        if s.skip_if.is_some() {
            line.push_str("  [skip_if]");
        }
        if s.only_if.is_some() {
            line.push_str("  [only_if]");
        }
        outln!("{line}");
        match &s.kind {
            runbook::StepKind::Group { steps, .. } => print_plan(steps, &path, vars, redactor),
            runbook::StepKind::Include { runbook, .. } => {
                print_plan(&runbook.steps, &path, vars, redactor)
            }
            _ => {}
        }
    }
}

/// Replaces `${name}` in a title with known values; secrets as ***.
fn fill_known(title: &str, vars: &run::vars::Vars) -> String {
    let mut out = title.to_string();
    for (k, v) in &vars.values {
        let shown = if vars.is_secret(k) { "***" } else { v.as_str() };
        out = out.replace(&format!("${{{k}}}"), shown);
    }
    out
}

/// An org session's token is a secret, and its instance is the My Domain URL unless
/// one was given.
pub fn adopt_org_session(
    rb: &Runbook,
    org: &setupwright::salesforce::session::OrgSession,
    pairs: &mut Vec<(String, String)>,
    redactor: &Redactor,
) {
    for secret in org.secrets() {
        redactor.add(&secret);
    }
    if rb.inputs.iter().any(|i| i.name == "my_domain_url")
        && !pairs.iter().any(|(k, _)| k == "my_domain_url")
    {
        pairs.push(("my_domain_url".into(), org.instance_url.clone()));
    }
}

/// How a run in `dir` ended when it ended with every step passed: such a run is done.
fn finished_status(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("report.json")).ok()?;
    let report: serde_json::Value = serde_json::from_str(&text).ok()?;
    let status = report["status"].as_str()?;
    (status == "passed").then(|| status.to_string())
}

pub fn browser_options(b: &BrowserArgs) -> BrowserOptions {
    let mut o = BrowserOptions {
        webdriver_url: b.webdriver.clone(),
        chromedriver: b.chromedriver.clone(),
        headed: b.headed,
        ..BrowserOptions::default()
    };
    if let Some(c) = &b.chromium {
        o.chromium = Some(c.clone());
    }
    o
}

async fn run_cmd(args: RunArgs, redactor: Redactor, verify: bool) -> i32 {
    if let Some(file) = args.targets.clone() {
        return fleet::run(args, file, redactor, verify).await;
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
    let org = match org.transpose() {
        Ok(o) => o,
        // The org refused: that is the run's failure, reported like any other.
        Err(e) if e.refused => {
            let Some(formats) = report_formats(&args.report) else {
                return exit::USAGE;
            };
            let out = job::Output {
                artifacts: args.artifacts.clone(),
                quiet: args.quiet,
                formats,
                verify,
                org: None,
                tag: None,
            };
            return job::refused_sign_in(&rb, &out, &e.to_string(), &redactor).code;
        }
        Err(e) => {
            errln!("error: {e}");
            return exit::USAGE;
        }
    };
    let mut pairs = pairs;
    if let Some(o) = &org {
        adopt_org_session(&rb, o, &mut pairs, &redactor);
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
                if let Some(status) = finished_status(dir) {
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
    let Some(formats) = report_formats(&args.report) else {
        return exit::USAGE;
    };
    let out = job::Output {
        artifacts: args.artifacts.clone(),
        quiet: args.quiet,
        formats,
        verify,
        org,
        tag: None,
    };
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
