//! `check`: load and validate runbooks, no browser. A folder stands for the runbooks in it.

use std::io::Read;
use std::path::{Path, PathBuf};

use setupwright::exit;
use setupwright::runbook;
use setupwright::{errln, outln};

use crate::commands::common::exit_for_unloaded;

pub(crate) fn check(paths: &[PathBuf]) -> i32 {
    let mut files = Vec::new();
    let mut passed_over = Vec::new();
    let mut usage = false;
    for p in paths {
        if p.is_dir() {
            let before = files.len();
            if let Err(e) = runbooks_under(p, &mut files, &mut passed_over) {
                errln!(
                    "error: cannot read the folder {}: {e}\n  help: check its permissions",
                    p.display()
                );
                usage = true;
            } else if files.len() == before {
                errln!(
                    "error: no runbook in {} (no .yaml or .yml file there reads as one)\n  help: name the folder the runbooks are in, or a runbook file",
                    p.display()
                );
                usage = true;
            }
        } else {
            files.push(p.clone());
        }
    }
    let mut bad = 0;
    for p in &files {
        match runbook::load(p) {
            Ok(rb) => outln!(
                "ok  {} ({}: {} steps)",
                p.display(),
                rb.title,
                count_steps(&rb.steps)
            ),
            Err(e) => {
                errln!("{e}\n");
                if exit_for_unloaded(p) == exit::USAGE {
                    usage = true;
                } else {
                    bad += 1;
                }
            }
        }
    }
    if !passed_over.is_empty() {
        outln!(
            "passed over {} YAML file(s) that do not read as runbooks (no `runbook:`, `steps:` or `inputs:` at the top: inputs or targets files): {}",
            passed_over.len(),
            passed_over
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if bad > 0 {
        errln!("{bad} of {} runbook(s) invalid", files.len());
    }
    if usage {
        exit::USAGE
    } else if bad > 0 {
        exit::INVALID_RUNBOOK
    } else {
        exit::OK
    }
}

/// The runbooks under `dir`, subfolders included, in path order: its `.yaml` and `.yml`
/// files that read as runbooks. The others (inputs and targets files beside them) go to
/// `passed_over`. Symbolic links are not followed, so a link loop cannot hold the check.
fn runbooks_under(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    passed_over: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            runbooks_under(&path, files, passed_over)?;
            continue;
        }
        let yaml = path.extension().is_some_and(|x| x == "yaml" || x == "yml");
        if !yaml || !meta.is_file() {
            continue;
        }
        // A file too large or unreadable is checked all the same: `load` says why.
        let max = runbook::source::MAX_BYTES;
        let mut bytes = Vec::new();
        let read = std::fs::File::open(&path).and_then(|f| f.take(max + 1).read_to_end(&mut bytes));
        let reads = match read {
            Ok(n) if n as u64 <= max => {
                runbook::source::reads_as_runbook(&String::from_utf8_lossy(&bytes))
            }
            _ => true,
        };
        if reads {
            files.push(path);
        } else {
            passed_over.push(path);
        }
    }
    Ok(())
}

pub(crate) fn count_steps(steps: &[runbook::Step]) -> usize {
    steps
        .iter()
        .map(|s| match &s.kind {
            runbook::StepKind::Group { steps, .. } => count_steps(steps),
            runbook::StepKind::Include { runbook, .. } => count_steps(&runbook.steps),
            runbook::StepKind::Action(_) => 1,
        })
        .sum()
}
