//! Subsets of a runbook (`--group`, `--from`, `--to`): which steps a run takes, resolved
//! from what the user typed before any browser starts, and which values the chosen steps
//! would need from steps left out.
//!
//! Steps are numbered as `plan` prints them ("4", "4.7"); includes count as groups. A
//! selection is a set of steps in runbook order: a range (`--from`..`--to`, inclusive, a
//! group at either end taken whole) or whole groups. A group with only some of its steps
//! chosen is entered (its guard decides as in a full run) and the rest of it is skipped.

use std::collections::{HashMap, HashSet};

use super::model::*;
use super::template::{Template, VarRef};

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub groups: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Request {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.from.is_none() && self.to.is_none()
    }
}

/// The reason the reports give a step left out.
pub const NOT_SELECTED: &str = "not selected (--group/--from/--to)";

/// How much of a step a run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// All of it.
    Whole,
    /// A group of which some steps are chosen: it is entered, the rest of it skipped.
    Part,
    /// None of it: not run, not looked at.
    Out,
}

/// The steps a run takes, by path.
#[derive(Debug, Clone)]
pub struct Selection {
    picks: HashMap<String, Pick>,
    /// Actions chosen, and of how many in the runbook (guards' `at:` steps not counted,
    /// as the reports count).
    pub selected: usize,
    pub total: usize,
}

impl Selection {
    /// A step at a path the selection does not know (a guard's `at:` step) is taken:
    /// it belongs to a step that was.
    pub fn pick(&self, path: &str) -> Pick {
        self.picks.get(path).copied().unwrap_or(Pick::Whole)
    }

    /// "12 of 93 steps selected".
    pub fn summary(&self) -> String {
        format!(
            "{} of {} step{} selected",
            self.selected,
            self.total,
            if self.total == 1 { "" } else { "s" }
        )
    }
}

/// A usage error of the selection flags: what is wrong, and the steps that come closest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError {
    pub message: String,
    /// "4.7 Close the tab", closest first.
    pub candidates: Vec<String>,
    pub help: Option<String>,
}

impl std::fmt::Display for SelectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if !self.candidates.is_empty() {
            write!(f, "\n  candidates:")?;
            for c in &self.candidates {
                write!(f, "\n    {c}")?;
            }
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// One step of the runbook in walk order (groups and includes opened).
struct Node<'a> {
    path: String,
    step: &'a Step,
    /// Index of its last descendant (itself when it has none).
    end: usize,
    container: bool,
    top: bool,
}

fn flatten<'a>(steps: &'a [Step], prefix: &str, out: &mut Vec<Node<'a>>) {
    for (i, step) in steps.iter().enumerate() {
        let path = if prefix.is_empty() {
            format!("{}", i + 1)
        } else {
            format!("{prefix}.{}", i + 1)
        };
        let at = out.len();
        let inner: Option<&[Step]> = match &step.kind {
            StepKind::Group { steps, .. } => Some(steps),
            StepKind::Include { runbook, .. } => Some(&runbook.steps),
            StepKind::Action(_) => None,
        };
        out.push(Node {
            path: path.clone(),
            step,
            end: at,
            container: inner.is_some(),
            top: prefix.is_empty(),
        });
        if let Some(inner) = inner {
            flatten(inner, &path, out);
        }
        out[at].end = out.len() - 1;
    }
}

fn is_path(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// "4.7 Close the tab".
fn label(n: &Node, fill: &dyn Fn(&str) -> String) -> String {
    format!("{} {}", n.path, fill(&n.step.title()))
}

/// The closest of `nodes` to `word` by edit distance (of their titles, as given and as
/// filled in), at most five, closest first.
fn closest(word: &str, nodes: &[&Node], fill: &dyn Fn(&str) -> String) -> Vec<String> {
    let w = word.trim().to_lowercase();
    let mut scored: Vec<(usize, usize, String)> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let raw = n.step.title();
            let (a, b) = (raw.to_lowercase(), fill(&raw).to_lowercase());
            // A title that holds what was typed ("step 3") is as close as can be.
            let d = if a.contains(&w) || b.contains(&w) {
                0
            } else {
                strsim::damerau_levenshtein(&w, &a).min(strsim::damerau_levenshtein(&w, &b))
            };
            (d, i, label(n, fill))
        })
        .collect();
    scored.sort();
    // The closest always; the others only while they are about as close.
    let best = scored.first().map_or(0, |s| s.0);
    let near = best + (w.chars().count() / 3).max(2);
    scored
        .into_iter()
        .take(5)
        .filter(|(d, _, _)| *d <= near)
        .map(|(_, _, l)| l)
        .collect()
}

fn same_title(n: &Node, word: &str, fill: &dyn Fn(&str) -> String) -> bool {
    let w = word.trim().to_lowercase();
    let raw = n.step.title();
    raw.trim().to_lowercase() == w || fill(&raw).trim().to_lowercase() == w
}

struct Resolver<'a, 'f> {
    nodes: Vec<Node<'a>>,
    fill: &'f dyn Fn(&str) -> String,
}

impl Resolver<'_, '_> {
    /// A step by its number or title among the nodes `lo..=hi`; `flag` and `within`
    /// say where, for the error.
    fn step(
        &self,
        flag: &str,
        word: &str,
        lo: usize,
        hi: usize,
        within: &str,
    ) -> Result<usize, SelectError> {
        let scope: Vec<usize> = (lo..=hi).collect();
        let word = word.trim();
        if is_path(word) {
            if let Some(&i) = scope.iter().find(|&&i| self.nodes[i].path == word) {
                return Ok(i);
            }
            let first = scope.first().map(|&i| self.nodes[i].path.clone());
            let last = scope.last().map(|&i| self.nodes[i].path.clone());
            return Err(SelectError {
                message: format!(
                    "{flag} {word}: there is no step {word}{within}; its steps are numbered {} to {} (see `setupwright plan`)",
                    first.unwrap_or_default(),
                    last.unwrap_or_default()
                ),
                candidates: Vec::new(),
                help: None,
            });
        }
        let found: Vec<usize> = scope
            .iter()
            .copied()
            .filter(|&i| same_title(&self.nodes[i], word, self.fill))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => {
                let nodes: Vec<&Node> = scope.iter().map(|&i| &self.nodes[i]).collect();
                Err(SelectError {
                    message: format!("{flag} \"{word}\": no step{within} has that name or title"),
                    candidates: closest(word, &nodes, self.fill),
                    help: Some(format!(
                        "name a step by its whole title (any case) or by its number, as `setupwright plan` prints them: {flag} \"<title>\" or {flag} 4.7"
                    )),
                })
            }
            many => Err(SelectError {
                message: format!(
                    "{flag} \"{word}\": {} steps{within} have that name or title",
                    many.len()
                ),
                candidates: many
                    .iter()
                    .map(|&i| label(&self.nodes[i], self.fill))
                    .collect(),
                help: Some(format!(
                    "name the one you mean by its number, for example {flag} {}",
                    self.nodes[many[0]].path
                )),
            }),
        }
    }

    /// A group by its number ("3", "3.2"), its title among the top-level groups, or a
    /// path of titles ("Outer/Inner").
    fn group(&self, word: &str) -> Result<usize, SelectError> {
        let word = word.trim();
        let tops: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].top && self.nodes[i].container)
            .collect();
        let not_found = |message: String, among: &[usize]| {
            let nodes: Vec<&Node> = among.iter().map(|&i| &self.nodes[i]).collect();
            let nested: Vec<String> = (0..self.nodes.len())
                .filter(|&i| {
                    !self.nodes[i].top
                        && self.nodes[i].container
                        && same_title(&self.nodes[i], word, self.fill)
                })
                .map(|i| self.title_path(i))
                .collect();
            SelectError {
                message,
                candidates: closest(word, &nodes, self.fill),
                help: Some(match nested.first() {
                    Some(p) => format!(
                        "a group inside another is named by its path of titles: --group \"{p}\""
                    ),
                    None => "name a group by its whole title (any case) or its number, as `setupwright plan` prints them".into(),
                }),
            }
        };
        if is_path(word) {
            let Some(i) = (0..self.nodes.len()).find(|&i| self.nodes[i].path == word) else {
                return Err(SelectError {
                    message: format!(
                        "--group {word}: there is no step {word}; the runbook's groups are numbered as `setupwright plan` prints them"
                    ),
                    candidates: tops.iter().map(|&i| label(&self.nodes[i], self.fill)).collect(),
                    help: None,
                });
            };
            if !self.nodes[i].container {
                return Err(SelectError {
                    message: format!(
                        "--group {word}: step {word} \"{}\" is a single step, not a group",
                        (self.fill)(&self.nodes[i].step.title())
                    ),
                    candidates: Vec::new(),
                    help: Some(format!("select one step with --from {word} --to {word}")),
                });
            }
            return Ok(i);
        }
        let exact: Vec<usize> = tops
            .iter()
            .copied()
            .filter(|&i| same_title(&self.nodes[i], word, self.fill))
            .collect();
        match exact.as_slice() {
            [one] => return Ok(*one),
            [] => {}
            many => {
                return Err(SelectError {
                    message: format!("--group \"{word}\": {} groups have that title", many.len()),
                    candidates: many
                        .iter()
                        .map(|&i| label(&self.nodes[i], self.fill))
                        .collect(),
                    help: Some(format!(
                        "name the one you mean by its number, for example --group {}",
                        self.nodes[many[0]].path
                    )),
                })
            }
        }
        if word.contains('/') {
            let mut among = tops.clone();
            let mut at = None;
            for part in word.split('/') {
                let hits: Vec<usize> = among
                    .iter()
                    .copied()
                    .filter(|&i| same_title(&self.nodes[i], part, self.fill))
                    .collect();
                match hits.as_slice() {
                    [one] => {
                        at = Some(*one);
                        among = self.child_groups(*one);
                    }
                    [] => {
                        return Err(not_found(
                            format!("--group \"{word}\": no group \"{}\" there", part.trim()),
                            &among,
                        ))
                    }
                    many => {
                        return Err(SelectError {
                            message: format!(
                                "--group \"{word}\": {} groups are called \"{}\" there",
                                many.len(),
                                part.trim()
                            ),
                            candidates: many
                                .iter()
                                .map(|&i| label(&self.nodes[i], self.fill))
                                .collect(),
                            help: Some(format!(
                                "name the one you mean by its number, for example --group {}",
                                self.nodes[many[0]].path
                            )),
                        })
                    }
                }
            }
            if let Some(i) = at {
                return Ok(i);
            }
        }
        Err(not_found(
            format!("--group \"{word}\": no top-level group has that title"),
            &tops,
        ))
    }

    fn child_groups(&self, i: usize) -> Vec<usize> {
        let prefix = format!("{}.", self.nodes[i].path);
        (i + 1..=self.nodes[i].end)
            .filter(|&j| {
                self.nodes[j].container
                    && self.nodes[j]
                        .path
                        .strip_prefix(&prefix)
                        .is_some_and(|rest| !rest.contains('.'))
            })
            .collect()
    }

    /// "Outer/Inner" of a nested group.
    fn title_path(&self, i: usize) -> String {
        let path = &self.nodes[i].path;
        let mut parts = Vec::new();
        let mut p = String::new();
        for seg in path.split('.') {
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(seg);
            if let Some(n) = self.nodes.iter().find(|n| n.path == p) {
                parts.push((self.fill)(&n.step.title()));
            }
        }
        parts.join("/")
    }
}

/// The steps `req` chooses in `rb`; `fill` gives a title with the values known filled
/// in (a name may be typed either way). `None` when nothing was asked for.
pub fn select(
    rb: &Runbook,
    req: &Request,
    fill: &dyn Fn(&str) -> String,
) -> Result<Option<Selection>, SelectError> {
    if req.is_empty() {
        return Ok(None);
    }
    let mut nodes = Vec::new();
    flatten(&rb.steps, "", &mut nodes);
    if nodes.is_empty() {
        return Err(SelectError {
            message: "the runbook has no steps to select from".into(),
            candidates: Vec::new(),
            help: None,
        });
    }
    let r = Resolver { nodes, fill };
    let last = r.nodes.len() - 1;
    let mut chosen = vec![false; r.nodes.len()];
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let groups = req
        .groups
        .iter()
        .map(|g| r.group(g))
        .collect::<Result<Vec<usize>, _>>()?;
    let ranged = req.from.is_some() || req.to.is_some();
    if groups.len() > 1 && ranged {
        return Err(SelectError {
            message: "--from/--to with more than one --group: it is not clear which group's steps they count in".into(),
            candidates: Vec::new(),
            help: Some("give one --group with --from/--to inside it, or --from/--to alone (a range may cross groups), or the groups whole without --from/--to".into()),
        });
    }
    let (lo, hi, within) = match groups.first() {
        Some(&g) if ranged => (
            g,
            r.nodes[g].end,
            format!(" in group {}", label(&r.nodes[g], fill)),
        ),
        _ => (0, last, String::new()),
    };
    if ranged {
        let from = match &req.from {
            Some(w) => r.step("--from", w, lo, hi, &within)?,
            None => lo,
        };
        let to = match &req.to {
            Some(w) => r.step("--to", w, lo, hi, &within)?,
            None => hi,
        };
        let end = r.nodes[to].end;
        if from > end {
            return Err(SelectError {
                message: format!(
                    "--from {} comes after --to {}: the range is empty",
                    r.nodes[from].path, r.nodes[to].path
                ),
                candidates: Vec::new(),
                help: Some(format!(
                    "write them the other way round: --from {} --to {}",
                    r.nodes[to].path, r.nodes[from].path
                )),
            });
        }
        ranges.push((from, end));
    } else {
        ranges.extend(groups.iter().map(|&g| (g, r.nodes[g].end)));
    }
    for (a, b) in ranges {
        chosen[a..=b].iter_mut().for_each(|c| *c = true);
    }
    let mut picks = HashMap::new();
    let (mut selected, mut total) = (0, 0);
    for (i, n) in r.nodes.iter().enumerate() {
        let leaves: Vec<usize> = (i..=n.end)
            .filter(|&j| !r.nodes[j].container || r.nodes[j].end == j)
            .collect();
        let taken = leaves.iter().filter(|&&j| chosen[j]).count();
        let pick = if taken == 0 {
            Pick::Out
        } else if taken == leaves.len() {
            Pick::Whole
        } else {
            Pick::Part
        };
        picks.insert(n.path.clone(), pick);
        if !n.container {
            total += 1;
            if chosen[i] {
                selected += 1;
            }
        }
    }
    Ok(Some(Selection {
        picks,
        selected,
        total,
    }))
}

/// A value the chosen steps need that only a step left out captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingValue {
    pub name: String,
    /// The first chosen step that needs it: path, title, line and column.
    pub needed_by: (String, String, usize, usize),
    /// The step left out that would capture it: path and title.
    pub captured_by: (String, String),
    /// The runbook declares an input of that name, so it may be given instead.
    pub is_input: bool,
}

impl MissingValue {
    /// The usage error, with what to do.
    pub fn message(&self, rb: &Runbook) -> String {
        let (path, title, line, col) = &self.needed_by;
        let (cpath, ctitle) = &self.captured_by;
        let top = cpath.split('.').next().unwrap_or(cpath);
        let mut ways = vec![format!(
            "select step {cpath} too: add --group {top}, or start the range at or before it (--from {cpath})"
        )];
        if self.is_input {
            ways.push(format!(
                "give it as an input: -i {}=VALUE, or in an --inputs file",
                self.name
            ));
        }
        ways.push(
            "resume a run that captured it, whose journal keeps the value: --resume RUN_DIR"
                .to_string(),
        );
        let mut text = format!(
            "the selected steps need `${{{}}}`, which only step {cpath} \"{ctitle}\" captures, and that step is not selected\n  needed by: step {path} \"{title}\" ({}:{line}:{col})\n  help: either",
            self.name,
            rb.path.display(),
        );
        for w in ways {
            text.push_str(&format!("\n    - {w}"));
        }
        if !self.is_input {
            text.push_str(&format!(
                "\n  (`{}` is no input of the runbook, so -i cannot give it)",
                self.name
            ));
        }
        text
    }
}

/// Where each value is captured, in runbook order (a guard's `at:` steps as
/// "5.check3"), with the step's title.
fn capture_sites(steps: &[Step], prefix: &str, out: &mut Vec<(String, String, String)>) {
    for (i, step) in steps.iter().enumerate() {
        let path = if prefix.is_empty() {
            format!("{}", i + 1)
        } else {
            format!("{prefix}.{}", i + 1)
        };
        for c in [&step.only_if, &step.skip_if].into_iter().flatten() {
            for (j, s) in c.at.iter().enumerate() {
                if let StepKind::Action(Action::Capture(cap)) = &s.kind {
                    for item in &cap.items {
                        out.push((
                            item.var.clone(),
                            format!("{path}.check{}", j + 1),
                            s.title(),
                        ));
                    }
                }
            }
        }
        match &step.kind {
            StepKind::Action(Action::Capture(cap)) => {
                for item in &cap.items {
                    out.push((item.var.clone(), path.clone(), step.title()));
                }
            }
            StepKind::Group { steps, .. } => capture_sites(steps, &path, out),
            StepKind::Include { runbook, .. } => capture_sites(&runbook.steps, &path, out),
            StepKind::Action(_) => {}
        }
    }
}

struct Needs<'a> {
    sel: &'a Selection,
    available: &'a dyn Fn(&str) -> bool,
    sites: Vec<(String, String, String)>,
    inputs: HashSet<String>,
    missing: Vec<MissingValue>,
    /// Every name the chosen steps read in the runbook's own scope.
    read: HashSet<String>,
}

impl Needs<'_> {
    fn need(&mut self, t: &Template, known: &HashSet<String>, at: (&str, &Step), outer: bool) {
        for (v, span) in t.vars() {
            let VarRef::Name(name) = v else { continue };
            if outer {
                self.read.insert(name.clone());
            }
            if known.contains(name)
                || (outer && (self.available)(name))
                || self.missing.iter().any(|m| &m.name == name)
            {
                continue;
            }
            // A name no step captures is an input: whether it has a value is for the
            // inputs to say (a missing one is asked for, or refused, on its own).
            let Some((_, cpath, ctitle)) = self.sites.iter().find(|(n, p, _)| {
                n == name && self.sel.pick(p.split(".check").next().unwrap_or(p)) == Pick::Out
            }) else {
                continue;
            };
            self.missing.push(MissingValue {
                name: name.clone(),
                needed_by: (at.0.to_string(), at.1.title(), span.line, span.col),
                captured_by: (cpath.clone(), ctitle.clone()),
                is_input: outer && self.inputs.contains(name),
            });
        }
    }

    fn locator(&mut self, l: &Locator, known: &HashSet<String>, at: (&str, &Step), outer: bool) {
        self.need(&l.value, known, at, outer);
        for t in [&l.in_row, &l.in_section, &l.in_dialog]
            .into_iter()
            .flatten()
        {
            self.need(t, known, at, outer);
        }
    }

    fn action(&mut self, a: &Action, known: &mut HashSet<String>, at: (&str, &Step), outer: bool) {
        if let Some(l) = a.target() {
            self.locator(l, known, at, outer);
        }
        for t in a.templates() {
            self.need(t, known, at, outer);
        }
        if let Action::Capture(c) = a {
            for i in &c.items {
                self.locator(&i.target, known, at, outer);
            }
            known.extend(c.items.iter().map(|i| i.var.clone()));
        }
    }

    fn steps(&mut self, steps: &[Step], prefix: &str, known: &mut HashSet<String>, outer: bool) {
        for (i, step) in steps.iter().enumerate() {
            let path = if prefix.is_empty() {
                format!("{}", i + 1)
            } else {
                format!("{prefix}.{}", i + 1)
            };
            if self.sel.pick(&path) == Pick::Out {
                continue;
            }
            for c in [&step.only_if, &step.skip_if].into_iter().flatten() {
                for s in &c.at {
                    if let StepKind::Action(a) = &s.kind {
                        self.action(a, known, (&path, step), outer);
                    }
                }
                match &c.test {
                    Test::Exists(l) | Test::Missing(l) => {
                        self.locator(l, known, (&path, step), outer)
                    }
                    Test::Equals(a, b) => {
                        self.need(a, known, (&path, step), outer);
                        self.need(b, known, (&path, step), outer);
                    }
                    // `set`/`unset` ask whether a value is there: none is an answer.
                    Test::Set(..) | Test::Unset(..) => {}
                }
            }
            if let Some(DialogAnswer::Accept(Some(t))) = &step.dialog {
                self.need(t, known, (&path, step), outer);
            }
            match &step.kind {
                StepKind::Action(a) => self.action(a, known, (&path, step), outer),
                StepKind::Group { steps, .. } => self.steps(steps, &path, known, outer),
                StepKind::Include {
                    inputs, runbook, ..
                } => {
                    for (_, t) in inputs {
                        self.need(t, known, (&path, step), outer);
                    }
                    let declared: HashSet<String> =
                        runbook.inputs.iter().map(|d| d.name.clone()).collect();
                    let mut inner = declared.clone();
                    self.steps(&runbook.steps, &path, &mut inner, false);
                    known.extend(inner.difference(&declared).cloned());
                }
            }
        }
    }
}

/// The values the chosen steps need that only steps left out capture; `available` says
/// whether the run has a value of that name already (an input given, a capture a resumed
/// run's journal holds). One entry per value, at the first step that needs it.
pub fn missing_values(
    rb: &Runbook,
    sel: &Selection,
    available: &dyn Fn(&str) -> bool,
) -> Vec<MissingValue> {
    let mut sites = Vec::new();
    capture_sites(&rb.steps, "", &mut sites);
    let mut n = Needs {
        sel,
        available,
        sites,
        inputs: rb.inputs.iter().map(|i| i.name.clone()).collect(),
        missing: Vec::new(),
        read: HashSet::new(),
    };
    n.steps(&rb.steps, "", &mut HashSet::new(), true);
    n.missing
}

/// The inputs the chosen steps read, directly or through the defaults of the inputs they
/// read: a run of the part needs these and no others.
pub fn inputs_read(rb: &Runbook, sel: &Selection) -> HashSet<String> {
    let mut n = Needs {
        sel,
        available: &|_| true,
        sites: Vec::new(),
        inputs: HashSet::new(),
        missing: Vec::new(),
        read: HashSet::new(),
    };
    n.steps(&rb.steps, "", &mut HashSet::new(), true);
    let mut read = n.read;
    loop {
        let more: Vec<String> = rb
            .inputs
            .iter()
            .filter(|i| read.contains(&i.name))
            .filter_map(|i| i.default.as_ref())
            .flat_map(|d| d.vars())
            .filter_map(|(v, _)| match v {
                VarRef::Name(n) if !read.contains(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        if more.is_empty() {
            break;
        }
        read.extend(more);
    }
    read.retain(|n| rb.inputs.iter().any(|i| &i.name == n));
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Runbook {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("runbooks/focus-matters-secured-login.yaml");
        crate::runbook::load(&path).expect("the seed runbook loads")
    }

    fn same(s: &str) -> String {
        s.to_string()
    }

    fn req(groups: &[&str], from: Option<&str>, to: Option<&str>) -> Request {
        Request {
            groups: groups.iter().map(|g| g.to_string()).collect(),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
        }
    }

    fn sel(rb: &Runbook, r: Request) -> Selection {
        select(rb, &r, &same).unwrap().unwrap()
    }

    #[test]
    fn a_part_reads_the_inputs_of_its_steps_and_guards_and_the_defaults_behind_them() {
        let rb = seed();
        let names = |groups: &[&str]| {
            let mut v: Vec<String> = inputs_read(&rb, &sel(&rb, req(groups, None, None)))
                .into_iter()
                .collect();
            v.sort();
            v
        };
        // Group 3's guard reads the provider's name, its steps the app's and the code.
        assert_eq!(
            names(&["3"]),
            ["app_name", "provider_name", "verification_code"]
        );
        assert!(names(&["2"]).contains(&"contact_email".to_string()));
        assert!(!names(&["2"]).contains(&"username".to_string()));
        // A default that reads another input brings it in.
        let text = "runbook: t\ninputs:\n  host: {}\n  url: { default: \"https://${host}/x\" }\n  other: {}\nsteps:\n  - group: A\n    steps:\n      - goto: \"${url}\"\n  - group: B\n    steps:\n      - goto: \"${other}\"\n";
        let small = crate::runbook::load_source(std::path::Path::new("t.yaml"), text, Vec::new())
            .expect("parses");
        let mut got: Vec<String> = inputs_read(&small, &sel(&small, req(&["A"], None, None)))
            .into_iter()
            .collect();
        got.sort();
        assert_eq!(got, ["host", "url"]);
    }

    #[test]
    fn nothing_asked_selects_nothing_special() {
        assert!(select(&seed(), &Request::default(), &same)
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_group_by_number_title_in_any_case_or_filled_title() {
        let rb = seed();
        for word in [
            "2",
            "step 1: create a new external client app",
            "  Step 1: Create a New External Client App ",
        ] {
            let s = sel(&rb, req(&[word], None, None));
            assert_eq!(s.pick("2"), Pick::Whole, "{word}");
            assert_eq!(s.pick("1"), Pick::Out);
            assert_eq!(s.pick("3"), Pick::Out);
            assert_eq!(s.pick("2.5"), Pick::Whole);
            assert_eq!(s.selected, 24, "{word}");
            assert_eq!(s.total, 93);
            assert_eq!(s.summary(), "24 of 93 steps selected");
        }
        // Two groups: both, nothing between.
        let s = sel(
            &rb,
            req(&["1", "Step 3: Create Named Credential"], None, None),
        );
        assert_eq!(
            (s.pick("1"), s.pick("6"), s.pick("2")),
            (Pick::Whole, Pick::Whole, Pick::Out)
        );
    }

    #[test]
    fn a_range_enters_and_leaves_groups() {
        let rb = seed();
        let s = sel(&rb, req(&[], Some("3.9"), Some("4.3")));
        assert_eq!(s.pick("2"), Pick::Out);
        assert_eq!(s.pick("3"), Pick::Part);
        assert_eq!(s.pick("3.8"), Pick::Out);
        assert_eq!((s.pick("3.9"), s.pick("3.10")), (Pick::Whole, Pick::Whole));
        assert_eq!(s.pick("4"), Pick::Part);
        assert_eq!((s.pick("4.3"), s.pick("4.4")), (Pick::Whole, Pick::Out));
        assert_eq!(s.selected, 5);
        // A group at either end is taken whole; the range is inclusive.
        let s = sel(
            &rb,
            req(&[], Some("Step 2: Create Auth. Provider"), Some("5")),
        );
        assert_eq!(
            (s.pick("3"), s.pick("4"), s.pick("5"), s.pick("6")),
            (Pick::Out, Pick::Whole, Pick::Whole, Pick::Out)
        );
        // --to alone: from the start.
        let s = sel(&rb, req(&[], None, Some("1")));
        assert_eq!((s.pick("1"), s.pick("2")), (Pick::Whole, Pick::Out));
        assert_eq!(s.selected, 2);
        // A step by its name.
        let s = sel(&rb, req(&[], Some("close THE tab"), Some("close the tab")));
        assert_eq!(s.selected, 1);
        assert_eq!(s.pick("3.10"), Pick::Whole);
    }

    #[test]
    fn a_range_inside_a_group_names_its_steps_there() {
        let rb = seed();
        // "Allow access" is in groups 6 and 7: inside --group 7 it is one step.
        let s = sel(&rb, req(&["7"], Some("Allow access"), None));
        assert_eq!(
            (s.pick("7"), s.pick("7.6"), s.pick("7.7"), s.pick("7.8")),
            (Pick::Part, Pick::Out, Pick::Whole, Pick::Whole)
        );
        assert_eq!((s.pick("6"), s.pick("8")), (Pick::Out, Pick::Out));
        let e = select(&rb, &req(&[], Some("Allow access"), None), &same).unwrap_err();
        assert!(e.message.contains("2 steps have that name"), "{e}");
        assert_eq!(e.candidates, ["6.23 Allow access", "7.7 Allow access"]);
        assert!(e.help.as_deref().unwrap().contains("--from 6.23"), "{e}");
        // A step outside the group is not in it.
        let e = select(&rb, &req(&["7"], Some("4.2"), None), &same).unwrap_err();
        assert!(e.message.contains("no step 4.2 in group 7"), "{e}");
    }

    #[test]
    fn names_that_match_nothing_say_the_closest() {
        let rb = seed();
        let e = select(
            &rb,
            &req(&["Step 2: Create Auth Provider"], None, None),
            &same,
        )
        .unwrap_err();
        assert!(
            e.message.contains("no top-level group has that title"),
            "{e}"
        );
        assert_eq!(e.candidates[0], "4 Step 2: Create Auth. Provider");
        let e = select(&rb, &req(&["step 3"], None, None), &same).unwrap_err();
        assert_eq!(
            e.candidates,
            [
                "6 Step 3: Create Named Credential",
                "7 Step 3: Authenticate the Named Credential (when a run stopped before Allow)"
            ]
        );
        let e = select(&rb, &req(&[], Some("Close teh tab"), None), &same).unwrap_err();
        assert_eq!(e.candidates[0], "3.10 Close the tab");
        let e = select(&rb, &req(&["12"], None, None), &same).unwrap_err();
        assert!(e.message.contains("no step 12"), "{e}");
        let e = select(&rb, &req(&["2.3"], None, None), &same).unwrap_err();
        assert!(e.message.contains("a single step, not a group"), "{e}");
        assert!(
            e.help.as_deref().unwrap().contains("--from 2.3 --to 2.3"),
            "{e}"
        );
        // Filled-in titles count too.
        let fill = |t: &str| t.replace("${app_name}", "CaseCloud Secured Login Integration");
        let s = select(
            &rb,
            &req(
                &[],
                Some("click link \"CaseCloud Secured Login Integration\""),
                None,
            ),
            &fill,
        );
        assert!(s.is_err(), "two such clicks (3.2, 5.2) are ambiguous");
    }

    #[test]
    fn ranges_that_are_empty_or_unclear_are_refused() {
        let rb = seed();
        let e = select(&rb, &req(&[], Some("5"), Some("3")), &same).unwrap_err();
        assert!(e.message.contains("comes after"), "{e}");
        assert!(
            e.help.as_deref().unwrap().contains("--from 3 --to 5"),
            "{e}"
        );
        let e = select(&rb, &req(&["2", "3"], Some("2.1"), None), &same).unwrap_err();
        assert!(e.message.contains("more than one --group"), "{e}");
        // A group holding the --from step may end the range.
        let s = sel(&rb, req(&[], Some("4.3"), Some("4")));
        assert_eq!(
            (s.pick("4"), s.pick("4.2"), s.pick("4.3")),
            (Pick::Part, Pick::Out, Pick::Whole)
        );
    }

    #[test]
    fn nested_groups_by_a_path_of_titles() {
        let rb = crate::runbook::load_source(
            std::path::Path::new("t.yaml"),
            "runbook: t\nsteps:\n  - group: Outer\n    steps:\n      - click: A\n      - group: Inner\n        steps:\n          - click: B\n          - click: C\n  - click: D\n",
            vec![],
        )
        .unwrap();
        let s = sel(&rb, req(&["outer/inner"], None, None));
        assert_eq!(
            (
                s.pick("1"),
                s.pick("1.1"),
                s.pick("1.2"),
                s.pick("1.2.2"),
                s.pick("2")
            ),
            (Pick::Part, Pick::Out, Pick::Whole, Pick::Whole, Pick::Out)
        );
        assert_eq!(s.selected, 2);
        let s = sel(&rb, req(&["1.2"], None, None));
        assert_eq!(s.selected, 2);
        let e = select(&rb, &req(&["Inner"], None, None), &same).unwrap_err();
        assert!(
            e.help
                .as_deref()
                .unwrap()
                .contains("--group \"Outer/Inner\""),
            "{e}"
        );
    }

    #[test]
    fn a_value_captured_outside_the_subset_is_found_before_the_run() {
        let rb = seed();
        let none = |_: &str| false;
        // The Auth. Provider alone types the Consumer Key and Secret that group 3 copies.
        let s = sel(&rb, req(&["Step 2: Create Auth. Provider"], None, None));
        let m = missing_values(&rb, &s, &none);
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["consumer_key", "consumer_secret"]);
        assert_eq!(m[0].captured_by.0, "3.8");
        assert_eq!(m[0].needed_by.0, "4.7");
        assert_eq!(m[0].needed_by.2, 98);
        assert!(!m[0].is_input);
        let text = m[0].message(&rb);
        assert!(
            text.contains("--group 3") && text.contains("--resume"),
            "{text}"
        );
        // With the step that captures them, or their values at hand, nothing is missing.
        let s = sel(&rb, req(&["3", "4"], None, None));
        assert!(missing_values(&rb, &s, &none).is_empty());
        let s = sel(&rb, req(&["4"], None, None));
        let journal = |n: &str| n.starts_with("consumer_");
        assert!(missing_values(&rb, &s, &journal).is_empty());
        // A guard's `at:` that captures the value itself needs nothing from outside:
        // groups 5 and 8 read the callback URL and the credential's Name afresh.
        for g in ["5", "8"] {
            let s = sel(&rb, req(&[g], None, None));
            assert!(missing_values(&rb, &s, &none).is_empty(), "group {g}");
        }
        // Inside a group, a capture left out by --from is missing.
        let s = sel(&rb, req(&[], Some("6.7"), Some("6")));
        let m = missing_values(&rb, &s, &none);
        assert!(
            m.is_empty(),
            "what 6.7 on types is no capture of a step left out: {m:?}"
        );
        let s = sel(&rb, req(&[], Some("3.10"), Some("4")));
        let m = missing_values(&rb, &s, &none);
        assert_eq!(m.len(), 2, "{m:?}");
    }

    #[test]
    fn a_value_the_runbook_takes_as_an_input_too_may_be_given() {
        let rb = crate::runbook::load_source(
            std::path::Path::new("t.yaml"),
            "runbook: t\ninputs:\n  key: {}\nsteps:\n  - group: A\n    steps:\n      - capture: { key: { field: Key } }\n  - group: B\n    steps:\n      - fill: { field: K, with: \"${key}\" }\n",
            vec![],
        )
        .unwrap();
        let s = sel(&rb, req(&["B"], None, None));
        let m = missing_values(&rb, &s, &|_| false);
        assert_eq!(m.len(), 1);
        assert!(m[0].is_input);
        assert!(m[0].message(&rb).contains("-i key=VALUE"));
        assert!(missing_values(&rb, &s, &|n| n == "key").is_empty());
    }

    #[test]
    fn an_include_is_a_group_and_hands_its_captures_on() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("child.yaml"),
            "runbook: child\ninputs:\n  who: {}\nsteps:\n  - click: \"${who}\"\n  - capture: { greeting: { text: \"${who}\" } }\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("main.yaml"),
            "runbook: main\nsteps:\n  - include: child.yaml\n    inputs: { who: World }\n  - fill: { field: X, with: \"${greeting}\" }\n",
        )
        .unwrap();
        let rb = crate::runbook::load(&dir.path().join("main.yaml")).unwrap();
        let s = sel(&rb, req(&["1"], None, None));
        assert_eq!(
            (s.pick("1"), s.pick("1.2"), s.pick("2")),
            (Pick::Whole, Pick::Whole, Pick::Out)
        );
        assert!(
            missing_values(&rb, &s, &|_| false).is_empty(),
            "the include's own input"
        );
        // The step after it needs what the include captures.
        let s = sel(&rb, req(&[], Some("2"), None));
        let m = missing_values(&rb, &s, &|_| false);
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].name.as_str(), m[0].captured_by.0.as_str()),
            ("greeting", "1.2")
        );
        // From inside the include on, the capture is made in the run.
        let s = sel(&rb, req(&[], Some("1.2"), None));
        assert_eq!(s.pick("1"), Pick::Part);
        assert!(missing_values(&rb, &s, &|_| false).is_empty());
    }
}
