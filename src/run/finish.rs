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

/// How long until every document may have been still long enough both ways, counted from
/// no earlier than the last step's end (`since_last_step`): `None` when they are now. A page
/// still since it loaded may be about to send what the last click asked for (a timer, a
/// validation), which no document shows. A document loading, or no answer at all, is
/// asked again after a poll.
fn quiet_in<'a>(
    docs: impl IntoIterator<Item = &'a StillAnswer>,
    since_last_step: Duration,
) -> Option<Duration> {
    let quiet_ms = QUIET.as_secs_f64() * 1000.0;
    let mut wait = QUIET.saturating_sub(since_last_step);
    let mut any = false;
    for d in docs {
        any = true;
        if d.busy {
            return Some(POLL);
        }
        let still = d.dom_still_ms.min(d.net_still_ms);
        if still < quiet_ms {
            wait = wait.max(Duration::from_secs_f64((quiet_ms - still) / 1000.0));
        }
    }
    if !any {
        return Some(POLL);
    }
    // A change meanwhile is seen at the next look, which then waits again.
    (!wait.is_zero()).then(|| wait.max(Duration::from_millis(5)))
}

impl Runner<'_> {
    /// Waits (bounded) until every document of the window has been still for a moment
    /// since the last step, and no navigation is pending.
    pub(super) async fn let_the_page_finish(&mut self) {
        let began = Instant::now();
        let last_step = self.acted.unwrap_or(began);
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
            let wait = match docs {
                Ok(docs) => {
                    let wait = quiet_in(docs.iter().map(|d| &d.answer), last_step.elapsed());
                    tracing::debug!(
                        "the page's stillness after the last step: {:?}; again in {wait:?}",
                        docs.iter()
                            .map(|d| (
                                d.answer.busy,
                                d.answer.dom_still_ms as u64,
                                d.answer.net_still_ms as u64
                            ))
                            .collect::<Vec<_>>()
                    );
                    wait
                }
                Err(e) => {
                    tracing::debug!("the page's stillness after the last step: {e}");
                    Some(POLL)
                }
            };
            let Some(wait) = wait else { return };
            if began.elapsed() >= QUIET_MAX {
                tracing::warn!(
                    "the page was not still for {} ms within {} s after the last step; the browser is closed all the same",
                    QUIET.as_millis(),
                    QUIET_MAX.as_secs()
                );
                return;
            }
            tokio::time::sleep(wait.min(QUIET_MAX.saturating_sub(began.elapsed()))).await;
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
        let ms = Duration::from_millis;
        let two = [doc(600.0, 900.0, false), doc(500.0, 500.0, false)];
        assert_eq!(quiet_in(&two, later), None);
        // One document changed 401 ms ago: 99 ms more.
        let one_moved = [doc(600.0, 900.0, false), doc(401.0, 900.0, false)];
        assert_eq!(quiet_in(&one_moved, later), Some(ms(99)));
        assert_eq!(quiet_in(&[doc(600.0, 100.0, false)], later), Some(ms(400)));
        assert_eq!(quiet_in(&[doc(600.0, 900.0, true)], later), Some(POLL));
        assert_eq!(quiet_in([], later), Some(POLL));
        // A page long still is not yet quiet right after the last step.
        let long_still = [doc(9000.0, 9000.0, false)];
        assert_eq!(quiet_in(&long_still, ms(100)), Some(ms(400)));
        // Never a busy loop.
        assert_eq!(quiet_in(&[doc(499.9, 900.0, false)], later), Some(ms(5)));
    }
}
