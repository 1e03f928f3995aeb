//! What the runner reports as it goes: the progress printer and the reports listen.

use crate::outln;
pub use crate::record::{log_step_end, Status, StepKindName, StepRecord};

pub enum Event<'a> {
    Started {
        runbook: &'a str,
        dir: &'a std::path::Path,
        /// "12 of 93 steps selected", when the run takes a part of the runbook.
        selected: Option<&'a str>,
    },
    StepStarted {
        path: &'a str,
        title: &'a str,
        depth: usize,
    },
    StepFinished(&'a StepRecord),
}

pub trait Listener: Send {
    fn event(&mut self, e: &Event<'_>);
}

/// Progress: one line per finished step; in a terminal also a live line with the
/// current group and step and the elapsed time. `quiet` prints neither.
pub struct LinePrinter {
    pub quiet: bool,
    live: Option<indicatif::ProgressBar>,
    groups: Vec<(usize, String)>,
    /// Set when several runs share the console: lines start with `[tag]` and only
    /// top-level steps and failures are printed.
    tag: Option<String>,
}

impl LinePrinter {
    pub fn new(quiet: bool) -> LinePrinter {
        use std::io::IsTerminal;
        // The live line draws on stderr: never where stderr carries JSON lines.
        let live = (!quiet && std::io::stdout().is_terminal() && !crate::console::json_stderr())
            .then(|| {
                let bar = indicatif::ProgressBar::new_spinner();
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_msg}",
                ) {
                    bar.set_style(style);
                }
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                crate::console::set_live(Some(bar.clone()));
                bar
            });
        LinePrinter {
            quiet,
            live,
            groups: Vec::new(),
            tag: None,
        }
    }

    /// A printer for one of several runs at once.
    pub fn tagged(tag: &str) -> LinePrinter {
        LinePrinter {
            quiet: false,
            live: None,
            groups: Vec::new(),
            tag: Some(tag.to_string()),
        }
    }

    /// Prints a line; control characters a runbook or a page put into it (an ESC that
    /// clears the screen, a CR that overwrites the line) are shown escaped.
    fn print(&self, line: String) {
        let line = crate::printable::printable_lines(&line);
        // Lines go to stdout; `outln!` hides the live line (on stderr) while it writes.
        match &self.tag {
            // The step's indent goes, and only as much as every line has: a failure's
            // frame keeps its caret under the place it points at.
            Some(t) => {
                let indent = line
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.len() - l.trim_start_matches(' ').len())
                    .min()
                    .unwrap_or(0);
                line.lines()
                    .for_each(|l| outln!("[{t}] {}", l.get(indent..).unwrap_or(l.trim_start())))
            }
            None => outln!("{line}"),
        }
    }
}

impl LinePrinter {
    /// Takes the live line off the screen for good; what is printed next starts clean.
    pub fn finish(&mut self) {
        if self.live.take().is_some() {
            crate::console::set_live(None);
        }
    }
}

impl Drop for LinePrinter {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Listener for LinePrinter {
    fn event(&mut self, e: &Event<'_>) {
        // Quiet: only a failed step, with its error.
        if self.quiet
            && !matches!(e, Event::StepFinished(r) if r.status == Status::Failed && r.error.is_some())
        {
            return;
        }
        match e {
            Event::Started {
                runbook,
                dir,
                selected,
            } => self.print(format!(
                "Running {runbook}\n  artifacts: {}{}",
                dir.display(),
                selected
                    .map(|s| format!("\n  {s} (--group/--from/--to)"))
                    .unwrap_or_default()
            )),
            Event::StepStarted { path, title, depth } => {
                if let Some(bar) = &self.live {
                    self.groups.retain(|(d, _)| d < depth);
                    let trail: Vec<&str> = self.groups.iter().map(|(_, t)| t.as_str()).collect();
                    let message = if trail.is_empty() {
                        format!("{path} {title}")
                    } else {
                        format!("{} › {path} {title}", trail.join(" › "))
                    };
                    bar.set_message(crate::printable::printable(&message).into_owned());
                    self.groups.push((*depth, title.to_string()));
                }
            }
            Event::StepFinished(r)
                if self.tag.is_some() && r.depth > 0 && r.status != Status::Failed => {}
            Event::StepFinished(r) => {
                let indent = "  ".repeat(r.depth + 1);
                let mark = match r.status {
                    Status::Passed => "ok  ",
                    Status::Failed => "FAIL",
                    Status::Skipped => "skip",
                    Status::Interrupted => "STOP",
                };
                let time = format!("{:.1}s", r.duration_ms as f64 / 1000.0);
                self.print(match (r.status, r.kind) {
                    (Status::Skipped, _) => format!(
                        "{indent}{mark} {} {} ({})",
                        r.path,
                        r.title,
                        r.skip_reason.as_deref().unwrap_or("")
                    ),
                    // A failed action shows its runbook line with a caret, as `check` does.
                    (Status::Failed, _) if r.frame.is_some() => format!(
                        "{indent}{mark} {} {} [{time}]\n{}",
                        r.path,
                        r.title,
                        r.frame
                            .as_deref()
                            .unwrap_or_default()
                            .lines()
                            .map(|l| format!("{indent}     {l}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                    (Status::Failed, _) => match r.error.as_deref() {
                        Some(error) => format!(
                            "{indent}{mark} {} {} [{time}]\n{indent}     {error}",
                            r.path, r.title
                        ),
                        // A group that failed by its step: the step said why.
                        None => format!("{indent}{mark} {} {} [{time}]", r.path, r.title),
                    },
                    _ => format!("{indent}{mark} {} {} [{time}]", r.path, r.title),
                })
            }
        }
    }
}
