//! Command-line flags (clap). Kept apart from `main.rs` so the flag surface reads in one place.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use setupwright::run::RunOptions;

#[derive(Parser, Debug)]
#[command(
    name = "setupwright",
    version,
    about = "Replays YAML runbooks of Salesforce Setup UI actions through WebDriver, with a screenshot at every step.",
    after_help = "Exit codes: 0 ok, 2 usage, 3 invalid runbook, 4 step failed, 5 expectation failed, 6 browser/WebDriver failure, 7 run folder in use by another run, 8 evidence not written (a full disk), 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP."
)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Read `include:` files from under DIR instead of only from under each runbook's own
    /// folder (never through a symbolic link out of it, never an absolute path).
    #[arg(long, global = true, value_name = "DIR")]
    pub include_root: Option<PathBuf>,
    /// Let RUST_LOG turn on the logs of the HTTP, WebSocket and TLS crates (hyper, h2,
    /// tungstenite, rustls, fantoccini): they hold every WebDriver command and BiDi
    /// message, secrets included and in forms no redactor reads (hex dumps). Off: those
    /// crates log at warn at most, whatever RUST_LOG says.
    #[arg(long, global = true)]
    pub unsafe_wire_logs: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The end of `run --help`, `verify --help` and `plan --help` (docs/subsets.md says more).
const SUBSET_EXAMPLES: &str = "\
Part of a runbook (steps and groups by the number `setupwright plan` prints, or by whole title):
  --group 2 --group \"Step 3: Create Named Credential\"   those groups, whole
  --from 3 --to 4.11                                     a range across groups, inclusive
  --group 7 --from \"Allow access\"                        from a step inside one group to its end
Steps left out are not run and not looked at; the reports show them skipped, \"not selected\".
A chosen group's skip_if/only_if guard still decides. A part that types a value only a step
left out captures is refused before the browser starts (exit 2): select that step too, or
--resume a run whose journal holds the value. With --resume, the part runs, its finished
guarded groups skipped. --from/--to with more than one --group is refused.";

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Replay a runbook in a browser.
    #[command(after_long_help = SUBSET_EXAMPLES)]
    Run(RunArgs),
    /// Check which guarded groups of a runbook are already done in the org, changing
    /// nothing (a drift report). Exit 0 when all are done, 5 when any is missing.
    #[command(after_long_help = SUBSET_EXAMPLES)]
    Verify(RunArgs),
    /// Validate runbooks without starting a browser. A folder is searched (subfolders
    /// included) for the runbooks in it: its *.yaml and *.yml files.
    Check {
        #[arg(required = true, value_name = "RUNBOOK_OR_DIR")]
        runbooks: Vec<PathBuf>,
    },
    /// Print the steps a run would take, with inputs filled in (secrets as ***). With
    /// --group/--from/--to, only the steps those select, and what they leave out.
    #[command(after_long_help = SUBSET_EXAMPLES)]
    Plan {
        runbook: PathBuf,
        #[command(flatten)]
        inputs: InputArgs,
        #[command(flatten)]
        select: SelectArgs,
    },
    /// Record a runbook by doing the task once: opens a browser at URL and writes a step
    /// for each click, typed value, pick and key; Ctrl-C or closing the browser writes
    /// the runbook (docs/record.md).
    Record {
        /// Where to start (http or https), e.g. the org's Setup home.
        url: String,
        /// Write the runbook to FILE (default: stdout).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Run the browser without a window (for tests: drive it over WebDriver).
        #[arg(long)]
        headless: bool,
        #[command(flatten)]
        browser: BrowserArgs,
    },
    /// Print the runbook JSON Schema (for yaml-language-server and other editors).
    Schema,
    /// Write a runbook from a browser recording: a Chrome DevTools Recorder export (JSON)
    /// or a Selenium IDE project (.side), the format read from the content. Steps it cannot
    /// say are kept as comments and warned about on stderr; the runbook always passes `check`.
    Import(ImportArgs),
    /// Start the Setup simulator and replay the seed runbook against it: the whole job,
    /// with no Salesforce org.
    Demo {
        #[arg(long, default_value = "artifacts")]
        artifacts: PathBuf,
        #[command(flatten)]
        browser: BrowserArgs,
        /// Keep the simulator running after the run, for a look around.
        #[arg(long)]
        keep_open: bool,
        /// The shadow DOM of the simulator's Lightning pages.
        #[arg(long, value_enum, default_value_t = ShadowArg::Synthetic)]
        shadow: ShadowArg,
    },
    /// Print a shell completion script to stdout (for example
    /// `setupwright completions bash > /etc/bash_completion.d/setupwright`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout, or with --out-dir write one page per command
    /// (setupwright.1, setupwright-run.1, ...) into DIR.
    Man {
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Serve the Setup simulator on 127.0.0.1.
    Sim {
        /// Port of the Lightning Setup origin (0: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Port of the classic origin (0: any free port).
        #[arg(long, default_value_t = 0)]
        classic_port: u16,
        /// Username of the simulated org's admin.
        #[arg(long, default_value = "admin@example.com")]
        username: String,
        /// Seed for chaos mode (random delays, re-renders, overlays); off when absent.
        #[arg(long)]
        chaos: Option<u64>,
        /// The shadow DOM of the Lightning pages: LWC's synthetic shadow (as Lightning
        /// Experience runs) or the browser's native shadow roots.
        #[arg(long, value_enum, default_value_t = ShadowArg::Synthetic)]
        shadow: ShadowArg,
    },
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The recording.
    pub file: PathBuf,
    /// Write the runbook to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The recording's format, instead of reading it from the content.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Replay the recording in a browser against --url and, for each step only CSS,
    /// XPath or generated ids identify, read the element's role, name and row to write a
    /// label locator.
    #[arg(long, requires = "url")]
    pub resolve: bool,
    /// The org (or simulator) the recording is replayed on with --resolve: its URL takes
    /// the place of the recording's origin.
    #[arg(long, value_name = "BASE", value_parser = parse_origin)]
    pub url: Option<String>,
    /// Input values for the replay (a secret input, such as the password the recording
    /// typed, from SETUPWRIGHT_<NAME> or an --inputs file).
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub browser: BrowserArgs,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// Chrome DevTools Recorder (the @puppeteer/replay JSON schema).
    Recorder,
    /// Selenium IDE project (.side).
    Side,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShadowArg {
    Synthetic,
    Native,
}

impl From<ShadowArg> for setupwright_sim::Shadow {
    fn from(s: ShadowArg) -> Self {
        match s {
            ShadowArg::Synthetic => setupwright_sim::Shadow::Synthetic,
            ShadowArg::Native => setupwright_sim::Shadow::Native,
        }
    }
}

#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// An input value, NAME=VALUE (not for secret inputs). Repeatable.
    #[arg(long = "input", short = 'i', value_name = "NAME=VALUE")]
    pub input: Vec<String>,
    /// A YAML file of input values (keep it mode 0600 when it holds secrets).
    #[arg(long, value_name = "FILE")]
    pub inputs: Option<PathBuf>,
}

/// A part of a runbook (docs/subsets.md). Steps and groups are named by the number
/// `setupwright plan` prints ("4", "4.7") or by their whole title, in any case.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Part of the runbook")]
pub struct SelectArgs {
    /// Run only this group (repeat the flag for several): its number or whole title (any
    /// case) as `setupwright plan` shows them, or, for a group inside another, its path
    /// of titles ("Outer/Inner"). Its skip_if/only_if guard still decides whether it runs.
    #[arg(long = "group", value_name = "GROUP")]
    pub group: Vec<String>,
    /// Start at this step (its number or whole title), inclusive; a group starts whole.
    /// With one --group, a step inside that group.
    #[arg(long, value_name = "STEP")]
    pub from: Option<String>,
    /// Stop after this step (its number or whole title), inclusive; a group ends whole.
    /// With one --group, a step inside that group.
    #[arg(long, value_name = "STEP")]
    pub to: Option<String>,
}

impl SelectArgs {
    pub fn request(&self) -> setupwright::runbook::select::Request {
        setupwright::runbook::select::Request {
            groups: self.group.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct BrowserArgs {
    /// A running WebDriver (chromedriver or Selenium Grid) instead of spawning chromedriver.
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<String>,
    /// The chromedriver to spawn.
    #[arg(long, default_value = "chromedriver", value_name = "PATH")]
    pub chromedriver: PathBuf,
    /// The Chromium binary (default: /usr/bin/chromium when present).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
    /// Show the browser window.
    #[arg(long)]
    pub headed: bool,
    /// Have Chromium write its debug log (the pages' console output included) to FILE;
    /// none is written otherwise.
    #[arg(long, value_name = "FILE")]
    pub chrome_log: Option<PathBuf>,
    /// Capture screenshots with Chromium's usual PNG compression (WebDriver Take
    /// Screenshot): files about a quarter smaller, about 10 ms more of the browser's time
    /// a picture. By default Chromium encodes them for speed; both are lossless.
    #[arg(long)]
    pub compact_screenshots: bool,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    pub runbook: PathBuf,
    #[command(flatten)]
    pub inputs: InputArgs,
    #[command(flatten)]
    pub browser: BrowserArgs,
    /// Where run folders go.
    #[arg(long, default_value = "artifacts", value_name = "DIR")]
    pub artifacts: PathBuf,
    /// Default per-step timeout (500ms, 30s, 2m).
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub step_timeout: std::time::Duration,
    /// A limit for the whole run.
    #[arg(long, value_parser = parse_duration)]
    pub timeout: Option<std::time::Duration>,
    /// Skip the screenshot after each step.
    #[arg(long)]
    pub no_screenshots: bool,
    /// Capture every screenshot. By default a step that leaves the page exactly as the
    /// last picture showed it (no DOM change, scroll, focus, hover, input or animation
    /// in any frame) gets that picture again, as a hard link.
    #[arg(long, conflicts_with = "no_screenshots")]
    pub fresh_screenshots: bool,
    /// Print only a failed step with its error, the summary and the report paths.
    #[arg(short, long)]
    pub quiet: bool,
    /// An origin of the org's besides the top page's and its My Domain's, where a secret
    /// may be typed (a frame from another host the org serves pages from). Repeatable.
    #[arg(long = "trust-origin", value_name = "URL", value_parser = parse_origin)]
    pub trust_origin: Vec<String>,
    /// Sign in to this org alias of the Salesforce CLI, through a single-use link from `sf org open --url-only`.
    #[arg(long, value_name = "ALIAS", conflicts_with = "instance_url")]
    pub org: Option<String>,
    /// Sign in to this instance with the access token in SF_ACCESS_TOKEN.
    #[arg(long, value_name = "URL")]
    pub instance_url: Option<String>,
    /// The Salesforce CLI to ask for `--org`.
    #[arg(long, default_value = "sf", value_name = "PATH")]
    pub sf: PathBuf,
    /// Reports to write into the run folder: any of html, junit, json.
    #[arg(long, default_value = "json,html,junit", value_name = "LIST")]
    pub report: String,
    /// Continue an interrupted run in its run folder: finished top-level steps are
    /// skipped, captured values come back, the first unfinished group runs again. With
    /// --group/--from/--to, only the steps those select, the journal's captures included.
    #[arg(long, value_name = "RUN_DIR", conflicts_with = "targets")]
    pub resume: Option<PathBuf>,
    /// Run against every org in this targets file, each in its own browser session with
    /// its own inputs, sign-in and artifacts folder (<artifacts>/<target>/...).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["org", "instance_url"])]
    pub targets: Option<PathBuf>,
    /// How many targets run at once (default: the number of CPUs, at most the targets).
    #[arg(long, short = 'j', value_name = "N", requires = "targets", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    // Last: its help heading holds for the flags after it.
    #[command(flatten)]
    pub select: SelectArgs,
}

impl RunArgs {
    /// The run's options from its flags (`run`, and each target of `run --targets`).
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            step_timeout: self.step_timeout,
            run_timeout: self.timeout,
            screenshots: !self.no_screenshots,
            fresh_screenshots: self.fresh_screenshots,
            trusted_origins: self.trust_origin.clone(),
            ..Default::default()
        }
    }
}

/// An origin from a URL of it (`https://host[:port]`, any path dropped).
fn parse_origin(s: &str) -> Result<String, String> {
    setupwright::origins::origin_of(s)
        .filter(|o| o.starts_with("https://") || o.starts_with("http://"))
        .ok_or_else(|| format!("`{s}` is not an origin; write https://host or http://host:port"))
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    setupwright::runbook::parse::parse_duration(s)
        .ok_or_else(|| format!("`{s}` is not a duration; write 500ms, 30s or 2m"))
}
