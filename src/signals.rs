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

/// Waits for the first of SIGINT, SIGTERM and SIGHUP. A signal whose handler cannot be
/// installed is never waited for (the others still are).
pub async fn stop_signal() -> Stop {
    use tokio::signal::unix::{signal, SignalKind};
    async fn on(kind: SignalKind) {
        match signal(kind) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    }
    tokio::select! {
        _ = on(SignalKind::interrupt()) => Stop::Interrupt,
        _ = on(SignalKind::terminate()) => Stop::Terminate,
        _ = on(SignalKind::hangup()) => Stop::Hangup,
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
