//! Lines for the terminal or a pipe. A reader that goes away (`setupwright schema | head -1`)
//! ends the output quietly: no panic, no error; a run goes on to its reports and exit code.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes one line to stdout; once its reader has gone, nothing.
pub fn out_line(args: fmt::Arguments<'_>) {
    write_line(&mut io::stdout().lock(), &STDOUT_CLOSED, args);
}

/// Writes one line to stderr; once its reader has gone, nothing.
pub fn err_line(args: fmt::Arguments<'_>) {
    write_line(&mut io::stderr().lock(), &STDERR_CLOSED, args);
}

fn write_line(w: &mut impl Write, closed: &AtomicBool, args: fmt::Arguments<'_>) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    let res = w
        .write_fmt(args)
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
}
