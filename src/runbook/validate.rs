//! Checks that need the whole runbook: every `${name}` names an input, a capture made
//! by an earlier step, or `env.X`; no value can render past its bound from what the
//! runbook itself holds (defaults that join each other). Runs in `check`, before any
//! browser starts.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::error::{nearest, RunbookError};
use super::model::*;
use super::template::{Template, VarRef, MAX_RENDERED};
use super::yaml::Span;

pub fn validate(rb: &Runbook) -> Vec<RunbookError> {
    let mut v = Validator {
        path: &rb.path,
        source: &rb.source,
        known: HashSet::new(),
        later: HashSet::new(),
        errors: Vec::new(),
        bounds: HashMap::new(),
    };
    for (n, i) in rb.inputs.iter().enumerate() {
        if let Some(d) = &i.default {
            // Defaults are filled in in order, so a default reads only the inputs above
            // it: its own name has no value yet (nor one declared below).
            for (var, span) in d.vars() {
                let VarRef::Name(name) = var else { continue };
                if let Some(j) = rb.inputs.iter().position(|o| o.name == *name) {
                    if j == n {
                        v.errors.push(
                            RunbookError::new(
                                v.path,
                                v.source,
                                span,
                                format!("`${{{name}}}` names the input it is the default of"),
                            )
                            .with_help("a default cannot read its own value: write the value out, or name another input"),
                        );
                    } else if j > n {
                        v.errors.push(
                            RunbookError::new(
                                v.path,
                                v.source,
                                span,
                                format!("`${{{name}}}` has no value yet: `{name}` is declared below `{}`", i.name),
                            )
                            .with_help(format!("defaults are filled in from the top: declare `{name}` above `{}`", i.name)),
                        );
                    }
                }
            }
            let declared_below: Vec<&str> =
                rb.inputs[n..].iter().map(|o| o.name.as_str()).collect();
            v.names_but(d, &declared_below);
            let n = v.too_long(d, &format!("the default of `{}`", i.name));
            // One already refused counts as empty from here on: the defaults built on it
            // are too long for the same reason, said once.
            v.bounds.insert(i.name.clone(), n.unwrap_or(0));
        }
        v.known.insert(i.name.clone());
    }
    collect_captures(&rb.steps, &mut v.later);
    v.steps(&rb.steps);
    v.errors
}

fn collect_captures(steps: &[Step], out: &mut HashSet<String>) {
    for s in steps {
        match &s.kind {
            StepKind::Action(Action::Capture(c)) => {
                out.extend(c.items.iter().map(|i| i.var.clone()))
            }
            StepKind::Group { steps, .. } => collect_captures(steps, out),
            StepKind::Include { runbook, .. } => collect_captures(&runbook.steps, out),
            _ => {}
        }
    }
}

struct Validator<'a> {
    path: &'a Path,
    source: &'a str,
    /// Inputs, and captures made by steps before the one being read.
    known: HashSet<String>,
    /// Every capture anywhere, to tell "captured later" from "never captured".
    later: HashSet<String>,
    errors: Vec<RunbookError>,
    /// The most each input's default renders to, from the runbook alone (an input given
    /// at run time is bounded when it is rendered).
    bounds: HashMap<String, usize>,
}

/// A size as a person reads it.
fn human_bytes(n: usize) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

impl Validator<'_> {
    fn name(&mut self, name: &str, span: Span) {
        if self.known.contains(name) {
            return;
        }
        let e = RunbookError::new(
            self.path,
            self.source,
            span,
            format!("`${{{name}}}` names no input or earlier capture"),
        );
        let e = if self.later.contains(name) {
            e.with_help(format!(
                "`{name}` is captured by a later step; move that capture before this step"
            ))
        } else if let Some(n) = nearest(name, self.known.iter().map(String::as_str)) {
            e.with_help(format!("did you mean `{n}`?"))
        } else {
            e.with_help(format!("declare it under `inputs:` ({name}: {{}}), or use `${{env.{name}}}` for an environment variable"))
        };
        self.errors.push(e);
    }

    /// The most `t` renders to from the defaults it joins, or an error at its place when
    /// that is past the bound (then `None`).
    fn too_long(&mut self, t: &Template, what: &str) -> Option<usize> {
        let n = t.max_len(&|v| match v {
            VarRef::Name(n) => self.bounds.get(n).copied(),
            VarRef::Env(_) => None,
        });
        if n <= MAX_RENDERED {
            return Some(n);
        }
        let e = RunbookError::new(
            self.path,
            self.source,
            t.span,
            format!(
                "{what} renders to {} from the defaults it joins, more than the {} MiB a value may hold",
                human_bytes(n),
                MAX_RENDERED / 1024 / 1024
            ),
        )
        .with_help("each `${name}` of a default repeats that default's whole value, so defaults that join each other double at every step: write the value out, or make it an input given at run time");
        self.errors.push(e);
        None
    }

    fn template(&mut self, t: &Template) {
        self.names(t);
        self.too_long(t, "this value");
    }

    fn names(&mut self, t: &Template) {
        self.names_but(t, &[]);
    }

    /// [`Self::names`], passing over the names in `said` (already reported otherwise).
    fn names_but(&mut self, t: &Template, said: &[&str]) {
        let names: Vec<(String, Span)> = t
            .vars()
            .filter_map(|(v, s)| match v {
                VarRef::Name(n) if !said.contains(&n.as_str()) => Some((n.clone(), s)),
                _ => None,
            })
            .collect();
        for (n, s) in names {
            self.name(&n, s);
        }
    }

    fn locator(&mut self, l: &Locator) {
        self.template(&l.value);
        for t in [&l.in_row, &l.in_section, &l.in_dialog]
            .into_iter()
            .flatten()
        {
            self.template(t);
        }
    }

    fn condition(&mut self, c: &Condition) {
        self.steps(&c.at);
        match &c.test {
            Test::Exists(l) | Test::Missing(l) => self.locator(l),
            // `set`/`unset` may name a capture that a skipped step never made.
            Test::Set(n, s) | Test::Unset(n, s) => {
                if !self.known.contains(n) && !self.later.contains(n) {
                    self.name(n, *s);
                }
            }
            Test::Equals(a, b) => {
                self.template(a);
                self.template(b);
            }
        }
    }

    fn steps(&mut self, steps: &[Step]) {
        for s in steps {
            for c in [&s.skip_if, &s.only_if].into_iter().flatten() {
                self.condition(c);
            }
            match &s.kind {
                StepKind::Group { steps, .. } => self.steps(steps),
                StepKind::Include {
                    inputs, runbook, ..
                } => {
                    for (_, t) in inputs {
                        self.template(t);
                    }
                    let mut inner = HashSet::new();
                    collect_captures(&runbook.steps, &mut inner);
                    self.known.extend(inner);
                }
                StepKind::Action(a) => self.action(a),
            }
            if let Some(DialogAnswer::Accept(Some(t))) = &s.dialog {
                self.template(t);
            }
        }
    }

    fn action(&mut self, a: &Action) {
        if let Some(t) = a.target() {
            self.locator(t);
        }
        for t in a.templates() {
            self.template(t);
        }
        if let Action::Capture(c) = a {
            for i in &c.items {
                self.locator(&i.target);
            }
            for i in &c.items {
                self.known.insert(i.var.clone());
            }
        }
    }
}
