//! What the commands share: loading a runbook with its errors printed, the inputs given
//! on the command line, report formats, browser options.

use std::collections::HashMap;
use std::path::Path;

use setupwright::driver::BrowserOptions;
use setupwright::errln;
use setupwright::exit;
use setupwright::run::inputs;
use setupwright::runbook::select::{self, Selection};
use setupwright::runbook::{self, Runbook};

use crate::cli::{BrowserArgs, InputArgs, SelectArgs};

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

/// Prints a usage error of the selection flags, its candidates as a list of their own
/// under `--log-format json`; the caller exits with `exit::USAGE`.
pub(crate) fn selection_error(message: &str, fields: serde_json::Value) {
    if setupwright::console::json_stderr() {
        let mut event = serde_json::json!({
            "message": format!("error: {message}"),
            "kind": "usage",
            "exit_code": exit::USAGE,
        });
        if let (Some(e), serde_json::Value::Object(more)) = (event.as_object_mut(), fields) {
            e.extend(more);
        }
        setupwright::console::err_event("ERROR", event);
    } else {
        errln!("error: {message}");
    }
}

/// The part of `rb` that `--group`/`--from`/`--to` choose (None: all of it), or the
/// usage error printed. `vars` fills titles in, so a name may be typed as `plan` shows it.
pub(crate) fn selection_or_report(
    rb: &Runbook,
    args: &SelectArgs,
    vars: &setupwright::run::vars::Vars,
    redactor: &setupwright::run::vars::Redactor,
) -> Result<Option<Selection>, i32> {
    // Titles are filled as `plan` shows them: a value built from a secret (a default
    // joining `${password}`) is redacted, as the candidates of an error quote them.
    let fill = |t: &str| {
        let mut out = t.to_string();
        for (k, v) in &vars.values {
            if !vars.is_secret(k) && out.contains("${") {
                out = out.replace(&format!("${{{k}}}"), &redactor.redact(v));
            }
        }
        out
    };
    select::select(rb, &args.request(), &fill).map_err(|e| {
        selection_error(
            &e.to_string(),
            serde_json::json!({ "candidates": e.candidates }),
        );
        exit::USAGE
    })
}

/// Refuses a selection whose steps need a value that only a step left out captures and
/// the run does not have (`available`: an input given, a resumed run's capture).
pub(crate) fn needs_or_report(
    rb: &Runbook,
    sel: Option<&Selection>,
    available: &dyn Fn(&str) -> bool,
) -> Result<(), i32> {
    let Some(sel) = sel else { return Ok(()) };
    let missing = select::missing_values(rb, sel, available);
    if missing.is_empty() {
        return Ok(());
    }
    for m in &missing {
        selection_error(
            &m.message(rb),
            serde_json::json!({
                "value": m.name,
                "captured_by": { "step": m.captured_by.0, "title": m.captured_by.1 },
                "needed_by": { "step": m.needed_by.0, "title": m.needed_by.1 },
            }),
        );
    }
    Err(exit::USAGE)
}
