//! What the commands share: loading a runbook with its errors printed, the inputs given
//! on the command line, report formats, browser options.

use std::collections::HashMap;
use std::path::Path;

use setupwright::driver::BrowserOptions;
use setupwright::errln;
use setupwright::exit;
use setupwright::run::inputs;
use setupwright::runbook::{self, Runbook};

use crate::cli::{BrowserArgs, InputArgs};

pub(crate) fn load_or_report(path: &Path) -> Result<Runbook, i32> {
    runbook::load(path).map_err(|e| {
        errln!("{e}");
        errln!("\n{}: {} error(s)", path.display(), e.0.len());
        exit_for_unloaded(path)
    })
}

/// The exit code of a runbook that could not be loaded: a path that names no file (none
/// there, or a folder) is a mistake on the command line (2), anything else an invalid
/// runbook (3).
pub(crate) fn exit_for_unloaded(path: &Path) -> i32 {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => exit::USAGE,
        Ok(m) if m.is_dir() => exit::USAGE,
        _ => exit::INVALID_RUNBOOK,
    }
}

/// Prints a usage problem; the caller exits with `exit::USAGE`.
pub(crate) fn usage_error(e: String) {
    errln!("error: {e}");
}

/// `--report`'s list, or the problem printed.
pub(crate) fn report_formats(list: &str) -> Option<Vec<setupwright::report::Format>> {
    setupwright::report::Format::parse_list(list)
        .map_err(|e| usage_error(format!("--report: {e}")))
        .ok()
}

/// Inputs from the command line: `--input` pairs in order, and the `--inputs` file.
pub(crate) type GivenInputs = (Vec<(String, String)>, HashMap<String, String>);

pub(crate) fn gather_inputs(args: &InputArgs) -> Result<GivenInputs, String> {
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

pub(crate) fn browser_options(b: &BrowserArgs) -> BrowserOptions {
    let mut o = BrowserOptions {
        webdriver_url: b.webdriver.clone(),
        chromedriver: b.chromedriver.clone(),
        headed: b.headed,
        chrome_log: b.chrome_log.clone(),
        fast_screenshots: !b.compact_screenshots,
        ..BrowserOptions::default()
    };
    if let Some(c) = &b.chromium {
        o.chromium = Some(c.clone());
    }
    o
}
