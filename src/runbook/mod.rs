//! The runbook language: model, YAML parsing with positions, validation, templating and
//! the JSON Schema. No browser and no I/O beyond reading runbook files.

pub mod actions;
pub mod duration;
pub mod error;
pub mod keys;
pub mod model;
pub mod parse;
pub mod schema;
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

/// Reads, parses and validates a runbook and everything it includes.
pub fn load(path: &Path) -> Result<Runbook, RunbookErrors> {
    let source = source::read_text(path, "runbook").map_err(|e| {
        let err = match &e.text {
            Some(text) => RunbookError::new(path, text, e.span, e.message),
            None => RunbookError::about_file(path, e.span, e.message),
        };
        RunbookErrors(vec![err.with_help(e.help)])
    })?;
    let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let rb = load_source(path, &source, vec![canon])?;
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
        Some((title, inputs, steps)) if errors.is_empty() => Ok(Runbook {
            title,
            path: path.to_path_buf(),
            source: Arc::from(source),
            inputs,
            steps,
        }),
        _ => Err(RunbookErrors(errors)),
    }
}

#[cfg(test)]
mod tests;
