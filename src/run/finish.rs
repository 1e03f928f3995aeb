//! The run's last act is seen through before the browser closes: a Save whose request
//! the page sends a moment after the click (a Lightning form validates first, a classic
//! form posts and navigates) must reach the org, or a run that saved nothing would pass.

use std::time::{Duration, Instant};

use super::*;
use crate::locate::{every_document, Request, StillAnswer};

/// How long every document must have been still, DOM and network, for the run to end.
const QUIET: Duration = Duration::from_millis(500);
/// The most a run waits for its pages to go quiet: a page that never does (a clock, a
/// poll) ends the run this late, with a warning.
const QUIET_MAX: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);

/// Whether every document's answer says it has been still long enough both ways, counted
/// from no earlier than `since_last_step`: a page still since it loaded may be about to
/// send what the last click asked for (a timer, a validation), which no document shows.
fn all_quiet<'a>(
    docs: impl IntoIterator<Item = &'a StillAnswer>,
    since_last_step: Duration,
) -> bool {
    if since_last_step < QUIET {
        return false;
    }
    let ms = QUIET.as_secs_f64() * 1000.0;
    let mut any = false;
    for d in docs {
        any = true;
        if d.busy || d.dom_still_ms < ms || d.net_still_ms < ms {
            return false;
        }
    }
    // No answer is no sign of quiet.
    any
}

impl Runner<'_> {
    /// Waits (bounded) until every document of the window has been still for a moment
    /// since the last step, and no navigation is pending.
    pub(super) async fn let_the_page_finish(&mut self) {
        let began = Instant::now();
        loop {
            // A WebDriver command waits for a navigation under way in the frame the run
            // acted in (a classic form's POST): the old document would look still.
            let _ = self.ctx.session.title().await;
            let docs = every_document::<StillAnswer>(
                &self.ctx.session,
                &mut self.ctx.frames,
                &Request::Still,
            )
            .await;
            // A document that went away mid-walk is one still loading.
            if docs.is_ok_and(|docs| all_quiet(docs.iter().map(|d| &d.answer), began.elapsed())) {
                return;
            }
            if began.elapsed() >= QUIET_MAX {
                tracing::warn!(
                    "the page was not still for {} ms within {} s after the last step; the browser is closed all the same",
                    QUIET.as_millis(),
                    QUIET_MAX.as_secs()
                );
                return;
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(dom: f64, net: f64, busy: bool) -> StillAnswer {
        StillAnswer {
            dom_still_ms: dom,
            net_still_ms: net,
            busy,
            ..Default::default()
        }
    }

    #[test]
    fn quiet_means_every_document_still_both_ways_and_none_loading() {
        let later = Duration::from_secs(1);
        let two = [doc(600.0, 900.0, false), doc(500.0, 500.0, false)];
        assert!(all_quiet(&two, later));
        let one_moved = [doc(600.0, 900.0, false), doc(499.0, 900.0, false)];
        assert!(!all_quiet(&one_moved, later));
        assert!(!all_quiet(&[doc(600.0, 100.0, false)], later));
        assert!(!all_quiet(&[doc(600.0, 900.0, true)], later));
        assert!(!all_quiet([], later));
        // A page long still is not yet quiet right after the last step.
        let long_still = [doc(9000.0, 9000.0, false)];
        assert!(!all_quiet(&long_still, Duration::from_millis(100)));
    }
}
