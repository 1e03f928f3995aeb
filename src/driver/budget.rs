//! How long one round trip to the driver may take: until the deadline the runner set on
//! the session (the step's, the run's, a picture's), a little past it, and never more than
//! a cap. A round trip that outlives its budget is abandoned with a timeout error of its
//! own, which the runner reports as a fault of the browser or its driver: a stopped
//! chromedriver, a renderer that died, or a page too big to answer would otherwise hold
//! the run for as long as they last.

use std::time::Duration;

use fantoccini::error::{CmdError, ErrorStatus, WebDriver};

use crate::poll::Deadline;
use crate::runbook::duration::human;

/// The longest any one round trip may take, whatever the deadline: no command setupwright
/// sends takes this long on a live browser (a navigation to a slow page included).
pub const ROUND_TRIP_CAP: Duration = Duration::from_secs(60);

/// How far past its deadline a round trip may run: the last look of a wait starts at its
/// deadline, and should get its answer rather than a timeout.
pub const GRACE: Duration = Duration::from_secs(2);

/// What a round trip may take: `within`, and the limit that stands for (for the message).
#[derive(Debug, Clone)]
pub struct Budget {
    pub within: Duration,
    pub limit: String,
}

impl Budget {
    /// The budget of a round trip starting now, which must be answered by `end` (the
    /// deadline the runner set on the session, with its grace), if any.
    pub fn now(end: Option<&Deadline>) -> Budget {
        let cap = Budget {
            within: ROUND_TRIP_CAP,
            limit: format!("{} limit on one round trip", human(ROUND_TRIP_CAP)),
        };
        match end {
            Some(d) if d.left() < cap.within => Budget {
                within: d.left(),
                limit: d.limit.clone(),
            },
            _ => cap,
        }
    }

    /// The error of a round trip (`command`) abandoned at this budget's end.
    pub fn exceeded(&self, command: &str) -> CmdError {
        CmdError::Standard(WebDriver::new(
            ErrorStatus::Timeout,
            format!("{command}{NO_ANSWER}{}", self.limit),
        ))
    }
}

/// What the message of an abandoned round trip says after the command's name. A timeout
/// error of the driver's own never says it, so it marks ours.
const NO_ANSWER: &str = " did not answer within the ";

/// The command and the limit of a round trip setupwright abandoned, from its error.
pub fn no_answer(e: &CmdError) -> Option<(String, String)> {
    let CmdError::Standard(wd) = e else {
        return None;
    };
    if wd.error != ErrorStatus::Timeout {
        return None;
    }
    let msg = wd.message.as_ref();
    let (command, limit) = msg.split_once(NO_ANSWER)?;
    Some((command.to_string(), limit.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_trip_gets_until_its_end_but_never_more_than_the_cap() {
        let none = Budget::now(None);
        assert_eq!(none.within, ROUND_TRIP_CAP);
        let step = Deadline::after(Duration::from_secs(5), "step timeout of 5s");
        let b = Budget::now(Some(&step));
        assert!(b.within > Duration::from_secs(4) && b.within <= Duration::from_secs(5));
        assert_eq!(b.limit, "step timeout of 5s");
        let far = Deadline::after(Duration::from_secs(600), "step timeout of 10m");
        assert_eq!(Budget::now(Some(&far)).within, ROUND_TRIP_CAP);
        let gone = Deadline::after(Duration::ZERO, "run timeout of 1s (--timeout)");
        assert!(Budget::now(Some(&gone)).within.is_zero());
    }

    #[test]
    fn an_abandoned_round_trip_is_told_from_the_drivers_own_timeouts() {
        let b = Budget {
            within: Duration::ZERO,
            limit: "run timeout of 20s (--timeout)".into(),
        };
        let e = b.exceeded("Get Current URL");
        assert_eq!(
            no_answer(&e),
            Some((
                "Get Current URL".to_string(),
                "run timeout of 20s (--timeout)".to_string()
            ))
        );
        assert!(e.is_timeout() && !e.is_script_timeout());
        let theirs = CmdError::Standard(WebDriver::new(
            ErrorStatus::Timeout,
            "timeout: Timed out receiving message from renderer: 10.000",
        ));
        assert_eq!(no_answer(&theirs), None);
    }
}
