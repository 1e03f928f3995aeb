//! The runbook language: model, YAML parsing with positions, validation, templating and
//! the JSON Schema. No browser and no I/O beyond reading runbook files.

pub mod actions;
pub mod duration;
pub mod error;
pub mod keys;
pub mod model;
pub mod parse;
pub mod reference;
pub mod schema;
pub mod select;
pub mod source;
pub mod template;
pub mod validate;
pub mod vocabulary;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{RunbookError, RunbookErrors};
pub use model::*;
pub use template::{RenderError, Template, VarRef};
pub use yaml::Span;

/// The folder `--include-root` names for this process: one command reads its runbooks
/// under one root, and the flag is set once, before any runbook is read.
static INCLUDE_ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Includes are read from under `dir` instead of each runbook's own folder
/// (`--include-root`). Only the first call counts.
pub fn set_include_root(dir: PathBuf) {
    let _ = INCLUDE_ROOT.set(dir);
}

/// Reads, parses and validates a runbook and everything it includes; includes are read
/// only from under its folder, or the folder `--include-root` named.
pub fn load(path: &Path) -> Result<Runbook, RunbookErrors> {
    load_with(path, INCLUDE_ROOT.get().map(PathBuf::as_path))
}

/// [`load`], with includes read only from under `root` (the runbook's own folder when
/// `None`).
pub fn load_with(path: &Path, root: Option<&Path>) -> Result<Runbook, RunbookErrors> {
    let source = source::read_text(path, "runbook").map_err(|e| {
        let err = match &e.text {
            // Only a file that reads as a runbook has a line of it shown.
            Some(text) if source::reads_as_runbook(text) => {
                RunbookError::new(path, text, e.span, e.message)
            }
            _ => RunbookError::about_file(path, e.span, e.message),
        };
        RunbookErrors(vec![err.with_help(e.help)])
    })?;
    let root = match root {
        Some(r) => r.canonicalize().map_err(|e| {
            RunbookErrors(vec![RunbookError::about_file(
                path,
                Span { line: 1, col: 1 },
                format!("the include root {} cannot be read: {e}", r.display()),
            )
            .with_help("name an existing folder with --include-root")])
        })?,
        None => parse::folder_of(path),
    };
    let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let budget = std::rc::Rc::new(parse::StepBudget::within(root));
    let rb = load_source_within(path, &source, vec![canon], budget).map_err(|mut errs| {
        // (An empty file has no line to show.)
        if !source::reads_as_runbook(&source) && !source.trim().is_empty() {
            // A file that is no runbook (a credentials file given by mistake) never has
            // a line of it printed: the errors keep their places only.
            for e in errs.0.iter_mut().filter(|e| e.path == path) {
                e.line_text = None;
                e.message.push_str(
                    " (this file does not read as a runbook, so none of its lines is shown)",
                );
            }
        }
        errs
    })?;
    let errors = validate::validate(&rb);
    if errors.is_empty() {
        Ok(rb)
    } else {
        Err(RunbookErrors(errors))
    }
}

/// Parses one runbook's text; `stack` holds the files being loaded, for include cycles.
pub fn load_source(
    path: &Path,
    source: &str,
    stack: Vec<PathBuf>,
) -> Result<Runbook, RunbookErrors> {
    load_source_within(path, source, stack, Default::default())
}

/// `load_source`, counting its steps against the `budget` of the runbook that includes it.
pub fn load_source_within(
    path: &Path,
    source: &str,
    stack: Vec<PathBuf>,
    budget: std::rc::Rc<parse::StepBudget>,
) -> Result<Runbook, RunbookErrors> {
    let root =
        yaml::parse(source).map_err(|e| {
            RunbookErrors(vec![RunbookError::new(
                path,
                source,
                e.span,
                format!("invalid YAML: {}", e.message),
            )
            .with_help(e.help.unwrap_or(
                "check indentation, quotes and brackets on this line and the one before",
            ))])
        })?;
    let mut p = parse::Parser {
        path,
        source,
        errors: Vec::new(),
        include_stack: stack,
        budget,
    };
    let parsed = p.runbook(&root);
    let mut errors = p.errors;
    errors.sort_by_key(|e| (e.path.clone(), e.span.line, e.span.col));
    errors.dedup_by(|a, b| a.span == b.span && a.message == b.message && a.path == b.path);
    match parsed {
        Some(p) if errors.is_empty() => Ok(Runbook {
            title: p.title,
            path: path.to_path_buf(),
            source: Arc::from(source),
            inputs: p.inputs,
            steps: p.steps,
            public_env: p.public_env,
        }),
        _ => Err(RunbookErrors(errors)),
    }
}

#[cfg(test)]
mod tests;
