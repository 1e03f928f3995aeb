//! Lines for the terminal or a pipe. A reader that goes away (`setupwright schema | head -1`)
//! ends the output quietly: no panic, no error; a run goes on to its reports and exit code.
//! While a live progress line is on screen, every line is written with it hidden, so it
//! never overwrites or is left over a line. With `--log-format json`, stderr lines are JSON.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);
static JSON_STDERR: AtomicBool = AtomicBool::new(false);
static LIVE: Mutex<Option<indicatif::ProgressBar>> = Mutex::new(None);
static OUT_TO_ERR: AtomicBool = AtomicBool::new(false);

/// Sends stdout's lines to stderr while on: a command whose stdout is its product (the
/// runbook `import` writes) runs a replay whose progress must not land in it.
pub fn set_stdout_to_stderr(on: bool) {
    OUT_TO_ERR.store(on, Ordering::Relaxed);
}

/// Makes every line on stderr a JSON object (`--log-format json`).
pub fn set_json_stderr(on: bool) {
    JSON_STDERR.store(on, Ordering::Relaxed);
}

pub fn json_stderr() -> bool {
    JSON_STDERR.load(Ordering::Relaxed)
}

/// The live progress line, while there is one; `None` clears it from the screen.
pub fn set_live(bar: Option<indicatif::ProgressBar>) {
    let mut live = LIVE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(old) = live.take() {
        old.finish_and_clear();
    }
    *live = bar;
}

/// Runs `write` with the live line (if any) hidden.
pub fn with_live_hidden<R>(write: impl FnOnce() -> R) -> R {
    let live = LIVE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    match live {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// Writes one line to stdout; once its reader has gone, nothing.
pub fn out_line(args: fmt::Arguments<'_>) {
    if OUT_TO_ERR.load(Ordering::Relaxed) {
        return with_live_hidden(|| write_line(&mut io::stderr().lock(), &STDERR_CLOSED, args));
    }
    with_live_hidden(|| write_line(&mut io::stdout().lock(), &STDOUT_CLOSED, args));
}

/// Writes one line to stderr; once its reader has gone, nothing. As JSON, a line is an
/// object of the shape tracing's JSON lines have, its level read from its first word.
pub fn err_line(args: fmt::Arguments<'_>) {
    if json_stderr() {
        let text = args.to_string();
        let text = text.trim_matches('\n');
        let level = if text.starts_with("error") {
            "ERROR"
        } else if text.starts_with("warning") {
            "WARN"
        } else {
            "INFO"
        };
        return err_event(level, serde_json::json!({ "message": text }));
    }
    with_live_hidden(|| write_line(&mut io::stderr().lock(), &STDERR_CLOSED, args));
}

/// Writes one JSON line to stderr in the shape of tracing's JSON lines: a timestamp, the
/// level, and `fields` (which should hold a `message`).
pub fn err_event(level: &str, fields: serde_json::Value) {
    let line = serde_json::json!({
        "timestamp": time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        "level": level,
        "fields": fields,
    });
    with_live_hidden(|| {
        write_line(
            &mut io::stderr().lock(),
            &STDERR_CLOSED,
            format_args!("{line}"),
        )
    });
}

/// Writes bytes already made into lines (a completion script, a man page) to stdout.
pub fn out_raw(bytes: &[u8]) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    with_live_hidden(|| {
        let mut out = io::stdout().lock();
        if out.write_all(bytes).and_then(|()| out.flush()).is_err() {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    });
}

/// Writes bytes already made into lines (the log's) to stderr, the live line hidden.
pub fn err_raw(bytes: &[u8]) {
    if STDERR_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    with_live_hidden(|| {
        let mut err = io::stderr().lock();
        if err.write_all(bytes).and_then(|()| err.flush()).is_err() {
            STDERR_CLOSED.store(true, Ordering::Relaxed);
        }
    });
}

fn write_line(w: &mut impl Write, closed: &AtomicBool, args: fmt::Arguments<'_>) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    // A line quotes what runbooks, inputs and pages say (a title, a value, a name typed
    // after -i) in more places than each of them can be trusted to escape: an ESC, a CR
    // or a bidi override in any of them reaches the terminal escaped, whatever line
    // carries it. Line breaks and tabs are the console's own.
    let text = args.to_string();
    let res = w
        .write_all(crate::printable::printable_lines(&text).as_bytes())
        .and_then(|()| w.write_all(b"\n"))
        .and_then(|()| w.flush());
    if res.is_err() {
        // A closed pipe, or a full disk behind a redirect: either way, stop writing there.
        closed.store(true, Ordering::Relaxed);
    }
}

/// `println!` that a closed pipe does not turn into a panic.
#[macro_export]
macro_rules! outln {
    () => { $crate::console::out_line(format_args!("")) };
    ($($t:tt)*) => { $crate::console::out_line(format_args!($($t)*)) };
}

/// `eprintln!` that a closed pipe does not turn into a panic.
#[macro_export]
macro_rules! errln {
    () => { $crate::console::err_line(format_args!("")) };
    ($($t:tt)*) => { $crate::console::err_line(format_args!($($t)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_stops_the_output_quietly() {
        let flag = AtomicBool::new(false);
        write_line(&mut Closed, &flag, format_args!("one"));
        assert!(flag.load(Ordering::Relaxed));
        write_line(&mut Closed, &flag, format_args!("two"));
        let mut buf = Vec::new();
        write_line(&mut buf, &AtomicBool::new(false), format_args!("a {}", 1));
        assert_eq!(buf, b"a 1\n");
    }

    #[test]
    fn what_a_line_quotes_reaches_the_terminal_escaped() {
        let mut buf = Vec::new();
        let title = "T\u{1b}[2J\rPASSED \u{202e}evaS";
        write_line(
            &mut buf,
            &AtomicBool::new(false),
            format_args!("ok  a.yaml ({title})\n\tnext"),
        );
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "ok  a.yaml (T\\x1b[2J\\rPASSED \\u{202e}evaS)\n\tnext\n"
        );
    }
}
