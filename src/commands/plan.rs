//! `plan`: the steps a run would take, inputs filled in, secrets as ***.

use std::path::Path;

use setupwright::exit;
use setupwright::run::vars::Redactor;
use setupwright::run::{self, inputs};
use setupwright::runbook;
use setupwright::{errln, outln};

use crate::cli::{InputArgs, SelectArgs};
use crate::commands::common::*;
use setupwright::runbook::select::{Pick, Selection};

pub(crate) fn plan(path: &Path, args: &InputArgs, select: &SelectArgs, redactor: &Redactor) -> i32 {
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
    let (mut vars, errors) =
        inputs::resolve_partly(&rb, &pairs, &file, &|k| std::env::var(k).ok(), redactor);
    // A value given wrong (a secret too short to redact, one on the command line, an
    // input the runbook lacks) is refused as `run` refuses it, not shown as not given.
    let wrong: Vec<&String> = errors.iter().filter(|e| !inputs::is_missing(e)).collect();
    if !wrong.is_empty() {
        for e in wrong {
            errln!("error: {e}");
        }
        return exit::USAGE;
    }
    let selection = match selection_or_report(&rb, select, &vars, redactor) {
        Ok(s) => s,
        Err(c) => return c,
    };
    // As `run`: a part needs only the inputs its steps read.
    let errors = match &selection {
        Some(sel) => {
            let read = runbook::select::inputs_read(&rb, sel);
            inputs::defer_unneeded(&mut vars, errors, &|n| read.contains(n))
        }
        None => errors,
    };
    // A plan of a subset says whether a run of it would be refused for a value only a
    // step left out captures (no run folder to resume here: only the inputs count).
    let given = |n: &str| vars.values.get(n).is_some_and(|v| !v.is_empty());
    let needs = needs_or_report(&rb, selection.as_ref(), &given);
    outln!("{} ({})", rb.title, rb.path.display());
    for i in &rb.inputs {
        let shown = match vars.values.get(&i.name) {
            Some(_) if i.secret => "***".to_string(),
            // A value built from a secret (a default joining `${password}`) shows it.
            Some(v) => redactor.redact(v),
            None if vars.not_given(&i.name).is_some() => {
                "(not given: asked for if a step needs it)".into()
            }
            None => "(not given)".into(),
        };
        outln!("  input {} = {}", i.name, shown);
    }
    let mut left_out = Vec::new();
    print_plan(
        &rb.steps,
        "",
        &vars,
        redactor,
        selection.as_ref(),
        &mut left_out,
    );
    if let Some(sel) = &selection {
        outln!("{} (--group/--from/--to)", sel.summary());
        outln!("left out (not selected):");
        for line in left_out {
            outln!("  {line}");
        }
    }
    if let Err(c) = needs {
        return c;
    }
    // The plan is shown all the same, but a run with these inputs would be refused: a
    // script that plans before it runs learns that from the exit code.
    let missing: Vec<&String> = errors.iter().filter(|e| inputs::is_missing(e)).collect();
    if missing.is_empty() {
        return exit::OK;
    }
    for e in &missing {
        errln!("error: {e}");
    }
    errln!(
        "{} input(s) not given: a run would be refused until they are",
        missing.len()
    );
    exit::USAGE
}

/// Prints the steps `sel` takes (all, without one); the steps it leaves out go into
/// `left_out` as lines: each by itself, and a run of three or more inside a group as a
/// range.
pub(crate) fn print_plan(
    steps: &[runbook::Step],
    prefix: &str,
    vars: &run::vars::Vars,
    redactor: &Redactor,
    sel: Option<&Selection>,
    left_out: &mut Vec<String>,
) {
    let mut out_run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, left_out: &mut Vec<String>| {
        if run.len() >= 3 && !prefix.is_empty() {
            let first = run[0].split(' ').next().unwrap_or_default().to_string();
            let last = run[run.len() - 1]
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string();
            left_out.push(format!("{first} to {last} ({} steps)", run.len()));
        } else {
            left_out.append(run);
        }
        run.clear();
    };
    for (i, s) in steps.iter().enumerate() {
        let path = if prefix.is_empty() {
            format!("{}", i + 1)
        } else {
            format!("{prefix}.{}", i + 1)
        };
        let depth = path.matches('.').count() + 1;
        let title = redactor.redact(&fill_known(&s.title(), vars));
        let pick = sel.map_or(Pick::Whole, |sel| sel.pick(&path));
        if pick == Pick::Out {
            out_run.push(format!("{path} {title}"));
            continue;
        }
        flush(&mut out_run, left_out);
        let mut line = format!("{}{path} {title}", "  ".repeat(depth));
        if s.skip_if.is_some() {
            line.push_str("  [skip_if]");
        }
        if s.only_if.is_some() {
            line.push_str("  [only_if]");
        }
        if pick == Pick::Part {
            line.push_str("  [in part]");
        }
        outln!("{line}");
        match &s.kind {
            runbook::StepKind::Group { steps, .. } => {
                print_plan(steps, &path, vars, redactor, sel, left_out)
            }
            runbook::StepKind::Include { runbook, .. } => {
                print_plan(&runbook.steps, &path, vars, redactor, sel, left_out)
            }
            _ => {}
        }
    }
    flush(&mut out_run, left_out);
}

/// Replaces `${name}` in a title with known values; secrets as ***. A value that would
/// make the title longer than a rendered value may be (a title repeating a long input
/// could be gigabytes) is left as `${name}`, and the title says so.
pub(crate) fn fill_known(title: &str, vars: &run::vars::Vars) -> String {
    use setupwright::runbook::template::MAX_RENDERED;
    let mut out = title.to_string();
    let mut names: Vec<&String> = vars.values.keys().collect();
    // In order, so which values fit is the same from run to run.
    names.sort();
    let mut left_out = false;
    for k in names {
        let shown = if vars.is_secret(k) {
            "***"
        } else {
            vars.values[k].as_str()
        };
        let pattern = format!("${{{k}}}");
        let grows = out.matches(&pattern).count().saturating_mul(shown.len());
        if out.len().saturating_add(grows) > MAX_RENDERED {
            left_out = true;
            continue;
        }
        out = out.replace(&pattern, shown);
    }
    if left_out {
        out.push_str(&format!(
            "  (a value left as ${{...}}: filled in, it is longer than {} MiB)",
            MAX_RENDERED / 1024 / 1024
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use setupwright::runbook::template::MAX_RENDERED;

    #[test]
    fn a_title_is_filled_only_up_to_the_bound_on_a_value() {
        let mut vars = run::vars::Vars::default();
        let long = "x".repeat(MAX_RENDERED / 2 + 1);
        vars.set("a", long, false, &Redactor::default()).unwrap();
        vars.set("b", "short".into(), false, &Redactor::default())
            .unwrap();
        let out = fill_known("fill ${a}${a} and ${b}", &vars);
        assert!(out.len() <= MAX_RENDERED, "{} bytes", out.len());
        assert!(out.contains("${a}") && out.contains("and short"), "{out}");
        assert!(out.contains("longer than 1 MiB"), "{out}");
    }
}
