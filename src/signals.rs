//! The signals that end a run early the way Ctrl-C does: SIGINT, SIGTERM (what a CI
//! cancel and `timeout` send) and SIGHUP (a closed terminal or SSH session). Each gives
//! the run time to write its reports and print the resume command, and its own exit code,
//! 128 + the signal's number, as shells report a process a signal ended.

use crate::exit;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Interrupt,
    Terminate,
    Hangup,
}

impl Stop {
    pub fn exit_code(self) -> i32 {
        match self {
            Stop::Interrupt => exit::INTERRUPTED,
            Stop::Terminate => exit::TERMINATED,
            Stop::Hangup => exit::HUNG_UP,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Stop::Interrupt => "SIGINT",
            Stop::Terminate => "SIGTERM",
            Stop::Hangup => "SIGHUP",
        }
    }
}

/// The first stop signal the process received, for every part of a run to see: the
/// handlers are installed once, as early as a run starts ([`listen`]), so that a signal
/// at any moment (the browser starting, the Salesforce CLI, sign-in, the steps, the
/// reports) is noted instead of killing the process outright, and none is lost between
/// one phase's wait and the next's.
static FIRST: std::sync::OnceLock<tokio::sync::watch::Sender<Option<Stop>>> =
    std::sync::OnceLock::new();

/// Installs the handlers for SIGINT, SIGTERM and SIGHUP (once; later calls do nothing).
/// From then on these signals no longer end the process: the run ends itself, writes
/// its reports and exits 128 + the signal's number. Needs a Tokio runtime. A signal whose
/// handler cannot be installed keeps its default action (the others are still noted).
pub fn listen() {
    FIRST.get_or_init(|| {
        use tokio::signal::unix::{signal, SignalKind};
        let (tx, _) = tokio::sync::watch::channel(None);
        // Registered here, not in the task below, so that they hold from this call on.
        let kinds = [
            (SignalKind::interrupt(), Stop::Interrupt),
            (SignalKind::terminate(), Stop::Terminate),
            (SignalKind::hangup(), Stop::Hangup),
        ];
        for (kind, stop) in kinds {
            let Ok(mut s) = signal(kind) else { continue };
            let tx = tx.clone();
            tokio::spawn(async move {
                while s.recv().await.is_some() {
                    // The first signal decides the exit code; later ones change nothing.
                    tx.send_if_modified(|v| {
                        let first = v.is_none();
                        if first {
                            *v = Some(stop);
                        }
                        first
                    });
                }
            });
        }
        tx
    });
}

/// The stop signal received so far, if any; for code that cannot await (a blocking wait
/// on a child process polls it).
pub fn received() -> Option<Stop> {
    FIRST.get().and_then(|tx| *tx.borrow())
}

/// Waits for the first of SIGINT, SIGTERM and SIGHUP, or returns at once the one already
/// received.
pub async fn stop_signal() -> Stop {
    listen();
    let Some(tx) = FIRST.get() else {
        return std::future::pending().await;
    };
    let mut rx = tx.subscribe();
    let first = match rx.wait_for(Option::is_some).await {
        Ok(v) => *v,
        // The sender lives in a static and is never dropped.
        Err(_) => None,
    };
    match first {
        Some(s) => s,
        None => std::future::pending().await,
    }
}

/// Whether an exit code says a signal stopped the run.
pub fn is_stop_code(code: i32) -> bool {
    [exit::INTERRUPTED, exit::TERMINATED, exit::HUNG_UP].contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_signal_exits_as_a_shell_reports_it() {
        assert_eq!(Stop::Interrupt.exit_code(), 128 + libc::SIGINT);
        assert_eq!(Stop::Terminate.exit_code(), 128 + libc::SIGTERM);
        assert_eq!(Stop::Hangup.exit_code(), 128 + libc::SIGHUP);
        assert!(is_stop_code(143) && !is_stop_code(6));
    }
}
