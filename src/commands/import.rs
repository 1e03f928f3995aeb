//! `import`: a browser recording as a runbook, on stdout or into `-o FILE`; warnings on
//! stderr. A file that is no recording of a known format exits 3 with its place.

use std::path::{Path, PathBuf};

use setupwright::author::emit_checked;
use setupwright::author::import::resolve::{self, Seen};
use setupwright::author::import::{self, Format, Imported};
use setupwright::exit;
use setupwright::job;
use setupwright::run::vars::Redactor;
use setupwright::run::{inputs, RunOptions};
use setupwright::runbook;
use setupwright::{errln, outln};

use crate::cli::{ImportArgs, ImportFormat};
use crate::commands::common::{browser_options, gather_inputs, usage_error};

pub(crate) async fn import(args: &ImportArgs) -> i32 {
    let shown = args.file.display().to_string();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "error: cannot read {shown}: {e}\n  help: name a recording exported from Chrome's Recorder (JSON) or a Selenium IDE project (.side)"
            );
            return if e.kind() == std::io::ErrorKind::InvalidData {
                exit::INVALID_RUNBOOK
            } else {
                exit::USAGE
            };
        }
    };
    let format = args.format.map(|f| match f {
        ImportFormat::Recorder => Format::Recorder,
        ImportFormat::Side => Format::Side,
    });
    let mut imported = match import::import(&text, format) {
        Ok(i) => i,
        Err(e) => {
            errln!("{}", e.display(&shown));
            return exit::INVALID_RUNBOOK;
        }
    };
    if args.resolve {
        if let Err(code) = resolve(args, &mut imported, &text).await {
            return code;
        }
    }
    for w in &imported.warnings {
        errln!("{w}");
    }
    let named_as = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("imported.yaml"));
    let runbook = match emit_checked(&imported.draft, &named_as) {
        Ok(t) => t,
        Err(e) => {
            // The importers only write what the language reads; this is a bug in them.
            errln!(
                "{e}\nerror: the runbook written from {shown} does not pass `check` (a bug in `import`)\n  help: report it with the recording; meanwhile fix the lines named above by hand"
            );
            return exit::INVALID_RUNBOOK;
        }
    };
    let steps = imported.draft.steps().count();
    match &args.output {
        Some(path) => {
            if let Err(e) = write(path, &runbook) {
                errln!(
                    "error: cannot write {}: {e}\n  help: name a file in a folder you can write to",
                    path.display()
                );
                return exit::USAGE;
            }
            errln!(
                "imported {steps} steps from {} into {} ({} warning(s)); check it with `setupwright check {}` and read the comments",
                imported.format.name(),
                path.display(),
                imported.warnings.len(),
                path.display()
            );
        }
        None => {
            outln!("{}", runbook.trim_end());
            errln!(
                "imported {steps} steps from {} ({} warning(s))",
                imported.format.name(),
                imported.warnings.len()
            );
        }
    }
    exit::OK
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// `--resolve`: the recording replayed with its unnamed steps written with their recorded
/// selectors, against `--url`; each such step is then named from what the replay matched.
async fn resolve(args: &ImportArgs, imported: &mut Imported, text: &str) -> Result<(), i32> {
    let Some(url) = args.url.clone() else {
        errln!("error: --resolve needs --url, the org to replay the recording on");
        return Err(exit::USAGE);
    };
    let mut probing = match import::import_probing(text, Some(imported.format)) {
        Ok(i) => i,
        Err(e) => {
            errln!("{}", e.display(&args.file.display().to_string()));
            return Err(exit::INVALID_RUNBOOK);
        }
    };
    if probing.probes.is_empty() {
        errln!("--resolve: every step has a label already; nothing to replay");
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!(
        "setupwright-import-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let replay = dir.join("replay.yaml");
    let prepared = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| emit_checked(&probing.draft, &replay).map_err(|e| e.to_string()))
        .and_then(|t| std::fs::write(&replay, t).map_err(|e| e.to_string()));
    if let Err(e) = prepared {
        errln!(
            "error: cannot write the replay's runbook into {}: {e}\n  help: check the temporary folder ($TMPDIR) is writable",
            dir.display()
        );
        return Err(exit::USAGE);
    }
    let rb = match runbook::load(&replay) {
        Ok(rb) => rb,
        Err(e) => {
            errln!("{e}\nerror: the replay's runbook does not load (a bug in `import`)");
            return Err(exit::INVALID_RUNBOOK);
        }
    };
    let Ok((mut pairs, file)) = gather_inputs(&args.inputs).map_err(usage_error) else {
        return Err(exit::USAGE);
    };
    // The replay types what the recording typed, on the org --url names.
    for i in &probing.draft.inputs {
        if pairs.iter().any(|(k, _)| k == &i.name) || file.contains_key(&i.name) || i.secret {
            continue;
        }
        if i.name == "my_domain_url" || i.name.starts_with("base_url") {
            pairs.push((i.name.clone(), url.trim_end_matches('/').to_string()));
        } else if let Some(e) = &i.example {
            pairs.push((i.name.clone(), e.clone()));
        }
    }
    let redactor = Redactor::default();
    let vars = match inputs::resolve(&rb, &pairs, &file, &|k| std::env::var(k).ok(), &redactor) {
        Ok(v) => v,
        Err(errs) => {
            for e in errs {
                errln!("error: {e}");
            }
            return Err(exit::USAGE);
        }
    };
    let watched = probing.probes.iter().filter(|p| p.watch).count();
    errln!(
        "replaying the recording on {url} to name {} step(s) only CSS, XPath or generated ids identify, and to see what {watched} click(s) on named checkboxes or lists did...",
        probing.probes.len() - watched
    );
    let out = job::Output {
        artifacts: dir.join("runs"),
        quiet: true,
        formats: vec![setupwright::report::Format::Json],
        verify: false,
        org: None,
        tag: None,
    };
    let opts = RunOptions {
        screenshots: false,
        trusted_origins: vec![url.clone()],
        // A recorded `change` found by CSS may be on a picklist: the replay picks there, and
        // the step is written as the `select` it is; a click's toggle is read back.
        authoring: true,
        ..Default::default()
    };
    setupwright::console::set_stdout_to_stderr(true);
    let outcome = job::execute(
        &rb,
        vars,
        opts,
        &out,
        &browser_options(&args.browser),
        redactor,
        None,
    )
    .await;
    setupwright::console::set_stdout_to_stderr(false);
    let report: serde_json::Value = std::fs::read_to_string(outcome.dir.join("report.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let seen = |path: &str| {
        report["steps"].as_array()?.iter().find_map(|s| {
            (s["path"] == path && s["status"] == "passed")
                .then(|| Seen::from_matched(&s["matched"]))
        })
    };
    let stopped = outcome.failure.clone();
    let named = resolve::apply(&mut probing, &seen, stopped.as_deref());
    errln!(
        "--resolve named {} of {} step(s) ({} by the engine's checked locator, {} by role and name){}",
        named.by_engine + named.by_role,
        named.by_engine + named.by_role + probing.unnamed.len(),
        named.by_engine,
        named.by_role,
        match &stopped {
            Some(f) => format!(
                "; the replay stopped at {f} (its run folder: {})",
                outcome.dir.display()
            ),
            None => String::new(),
        }
    );
    if stopped.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    *imported = probing;
    Ok(())
}
