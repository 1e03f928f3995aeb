//! The command line: parse flags, dispatch, map outcomes to exit codes.

mod cli;
mod commands;
mod demo;
mod fleet;

mod logging;

use clap::{CommandFactory, Parser};
use setupwright::exit;
use setupwright::run::vars::Redactor;
use setupwright::runbook::{self};

use cli::{Cli, Command};
use commands::check::check;
use commands::common::{
    browser_options, gather_inputs, load_or_report, needs_or_report, report_formats,
    selection_or_report, usage_error,
};
use commands::plan::plan;
use commands::run::{adopt_org_session, run_cmd};
use setupwright::{errln, outln};

/// No core file for setupwright or anything it starts: a core holds the run's secrets
/// (inputs, captures, the org session). Soft and hard limits both, so no child can raise
/// it again; and setupwright itself is not dumpable (which also keeps other processes of
/// the same user from attaching to it).
fn forbid_core_dumps() {
    let none = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit(2) and prctl(2) with a valid, live struct and plain integers.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &none);
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

fn main() {
    // First, before any secret is read.
    forbid_core_dumps();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help, --version: for a person, on stdout.
                let _ = e.print();
                std::process::exit(exit::OK);
            }
            // A machine that asked for JSON logs reads a usage error as one JSON line too.
            if json_logs_asked(&args) {
                setupwright::console::err_event(
                    "ERROR",
                    serde_json::json!({
                        "message": e.render().to_string().trim_end(),
                        "kind": "usage",
                        "exit_code": exit::USAGE,
                    }),
                );
            } else {
                let _ = e.print();
            }
            std::process::exit(exit::USAGE);
        }
    };
    if let Some(dir) = cli.include_root.clone() {
        if !dir.is_dir() {
            errln!(
                "error: --include-root {} is not a folder; name the folder the runbooks' includes are in",
                dir.display()
            );
            std::process::exit(exit::USAGE);
        }
        runbook::set_include_root(dir);
    }
    let redactor = Redactor::default();
    logging::init(
        cli.verbose,
        cli.log_format,
        redactor.clone(),
        cli.unsafe_wire_logs,
    );
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

/// Whether the command line asks for JSON logs, read before it is parsed (a command line
/// clap refuses still says so).
fn json_logs_asked(args: &[std::ffi::OsString]) -> bool {
    let args: Vec<&str> = args
        .iter()
        .map(|a| a.to_str().unwrap_or_default())
        .take_while(|a| *a != "--")
        .collect();
    args.contains(&"--log-format=json") || args.windows(2).any(|w| w == ["--log-format", "json"])
}

/// Prints what a generator wrote, or why it could not.
fn print_generated(what: &str, write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> i32 {
    let mut buf = Vec::new();
    match write(&mut buf) {
        Ok(()) => {
            setupwright::console::out_raw(&buf);
            exit::OK
        }
        Err(e) => {
            errln!("error: cannot make the {what}: {e}");
            exit::USAGE
        }
    }
}

async fn dispatch(cmd: Command, redactor: Redactor) -> i32 {
    match cmd {
        Command::Completions { shell } => print_generated("completion script", |buf| {
            clap_complete::generate(shell, &mut Cli::command(), "setupwright", buf);
            Ok(())
        }),
        Command::Man { out_dir: None } => print_generated("man page", |buf| {
            clap_mangen::Man::new(Cli::command()).render(buf)
        }),
        Command::Man { out_dir: Some(dir) } => {
            match std::fs::create_dir_all(&dir)
                .and_then(|()| clap_mangen::generate_to(Cli::command(), &dir))
            {
                Ok(()) => {
                    outln!("man pages written to {}", dir.display());
                    exit::OK
                }
                Err(e) => {
                    errln!(
                        "error: cannot write the man pages into {}: {e}\n  help: name a folder you can write to",
                        dir.display()
                    );
                    exit::USAGE
                }
            }
        }
        Command::Check { runbooks } => check(&runbooks),
        Command::Schema => {
            outln!(
                "{}",
                serde_json::to_string_pretty(&runbook::schema::schema()).unwrap_or_default()
            );
            exit::OK
        }
        Command::Plan {
            runbook,
            inputs,
            select,
        } => plan(&runbook, &inputs, &select, &redactor),
        Command::Import(args) => commands::import::import(&args).await,
        Command::Record {
            url,
            output,
            headless,
            browser,
        } => commands::record::record(&url, output.as_deref(), &browser, headless).await,
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
