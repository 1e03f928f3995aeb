//! Guards: `skip_if` / `only_if`, their `at:` navigation, and when a page has been still
//! long enough for "not there" to be an answer.

use super::*;
use crate::locate::Spec;
use crate::poll::{poll, Look};

/// How long a page must go without a network response before a condition may decide
/// that what it looks for is not there: half a second, as Playwright's "networkidle".
/// Since a request shows only once it answers, a request the last action started counts
/// as pending for that long.
const CONDITION_NET_QUIET: Duration = Duration::from_millis(500);
/// How long its DOM must also stay unchanged: Lightning renders a list a moment after
/// its data arrives and the spinner goes; rendering is made of DOM changes a few
/// milliseconds apart, not pauses this long without a request.
const CONDITION_DOM_QUIET: Duration = Duration::from_millis(250);
/// However long the page says it has been still, a guard looks at least this long.
const CONDITION_LOOK: Duration = Duration::from_millis(150);
/// A page that never stops changing (a clock, an animation), or gives no word of its
/// stillness, is looked at for this long.
const CONDITION_LOOK_MAX: Duration = Duration::from_millis(1000);

/// Whether a guard that keeps finding nothing (and no spinner) may decide "missing" now
/// (`None`), or how long until it may. Either it has looked for CONDITION_LOOK_MAX itself,
/// or it has looked for CONDITION_LOOK and the page, by its own clock (which counts the
/// time before the guard began), has been still long enough both ways.
pub(super) fn quiet_wait(looked: Duration, page_still: Option<Stillness>) -> Option<Duration> {
    if looked >= CONDITION_LOOK_MAX {
        return None;
    }
    let by_page = page_still.map(|still| {
        let page = CONDITION_NET_QUIET
            .saturating_sub(still.net)
            .max(CONDITION_DOM_QUIET.saturating_sub(still.dom));
        CONDITION_LOOK.saturating_sub(looked).max(page)
    });
    let wait = by_page.map_or(CONDITION_LOOK_MAX - looked, |p| {
        p.min(CONDITION_LOOK_MAX - looked)
    });
    if wait.is_zero() {
        None
    } else {
        // Never a busy loop: the page is asked again at most every 5 ms.
        Some(wait.max(Duration::from_millis(5)))
    }
}

impl<'l> Runner<'l> {
    pub(super) async fn condition(
        &mut self,
        rb: &Runbook,
        c: &Condition,
        path: &str,
        depth: usize,
        group: Option<&Deadline>,
    ) -> Result<(bool, String), StepError> {
        if !c.at.is_empty() {
            let at_path = format!("{path}.check");
            for (i, s) in c.at.iter().enumerate() {
                let StepKind::Action(a) = &s.kind else {
                    continue;
                };
                if self
                    .action(
                        rb,
                        s,
                        a,
                        &format!("{at_path}{}", i + 1),
                        depth + 1,
                        StepKindName::Check,
                        group,
                    )
                    .await
                    .is_err()
                {
                    // A dead browser keeps its own exit code (and its resume hint).
                    return Err(if matches!(self.failure, Some(Failure::Browser)) {
                        StepError::Browser(StepError::CheckNavigation.to_string())
                    } else {
                        StepError::CheckNavigation
                    });
                }
            }
        }
        let vars = &self.ctx.vars;
        let is_set = |n: &str| vars.values.get(n).is_some_and(|v| !v.is_empty());
        Ok(match &c.test {
            Test::Set(n, _) => (
                is_set(n),
                format!("`{n}` is {}", if is_set(n) { "set" } else { "not set" }),
            ),
            Test::Unset(n, _) => (
                !is_set(n),
                format!("`{n}` is {}", if is_set(n) { "set" } else { "not set" }),
            ),
            Test::Equals(a, b) => {
                let (a, b) = (self.ctx.render(a)?, self.ctx.render(b)?);
                (
                    a == b,
                    format!(
                        "\"{a}\" {} \"{b}\"",
                        if a == b { "equals" } else { "differs from" }
                    ),
                )
            }
            Test::Exists(l) | Test::Missing(l) => {
                let spec = self.ctx.spec(l, Purpose::Read, Mode::Read)?;
                let found = self.look_for(&spec).await?;
                let what = spec.describe();
                let exists = found.is_some();
                let why = match found {
                    Some(f) => format!("{what} exists in {f}"),
                    None => format!("no {what} on the page"),
                };
                (
                    if matches!(c.test, Test::Exists(_)) {
                        exists
                    } else {
                        !exists
                    },
                    why,
                )
            }
        })
    }
}

impl Runner<'_> {
    /// Where `spec` is shown (the frame's label), or `None` once the page has been still
    /// long enough, or the condition timeout passed, without it.
    async fn look_for(&mut self, spec: &Spec) -> Result<Option<String>, StepError> {
        let deadline = Deadline::after(self.opts.condition_timeout, "condition timeout");
        // "Missing" is decided once the page has stopped loading for a while, not at the
        // end of the condition timeout: a fresh org's guards cost little.
        let mut quiet_since: Option<Instant> = None;
        // Its reloads are counted apart from the step's attempt.
        self.ctx.looks = actions::Looks::default();
        // A search cut short by the page is no answer: if the last look was one, say so.
        let mut last_error: Option<String> = None;
        let acted = &mut self.acted;
        let ctx = &mut self.ctx;
        let found = poll(&deadline, async || {
            last_error = None;
            match locate::locate(&ctx.session, &mut ctx.frames, spec).await {
                Ok(Outcome::Found(h)) => Look::Done(Ok(Some(h.frame))),
                // An error page says nothing of what the org holds: reload it, and where
                // that does not cure it, decide nothing.
                Ok(Outcome::Missing(searched)) if searched.on_error_page() => {
                    match ctx.reload_error_page(&searched).await {
                        Some(Ok(())) => {
                            quiet_since = None;
                            *acted = Some(Instant::now());
                            Look::AgainNow
                        }
                        Some(Err(e)) if StepError::transient(&e) => {
                            quiet_since = None;
                            Look::Again
                        }
                        Some(Err(e)) => Look::Done(Err(StepError::driver(&e))),
                        None => Look::Done(Err(StepError::CannotCheck {
                            what: spec.describe(),
                            why: searched.summary(),
                        })),
                    }
                }
                Ok(Outcome::Missing(searched)) if searched.busy => {
                    quiet_since = None;
                    Look::Again
                }
                Ok(Outcome::Missing(searched)) => {
                    let since = *quiet_since.get_or_insert_with(Instant::now);
                    let still = searched
                        .still
                        .map(|s| acted.map_or(s, |a| s.at_most(a.elapsed())));
                    match quiet_wait(since.elapsed(), still) {
                        None => Look::Done(Ok(None)),
                        Some(wait) => Look::AgainWithin(wait),
                    }
                }
                Err(EngineError::Driver(e))
                    if StepError::transient(&e) || locate::frame_lost(&e) =>
                {
                    ctx.frames.lost();
                    quiet_since = None;
                    last_error = Some(e.to_string());
                    Look::Again
                }
                Err(EngineError::Driver(e)) => Look::Done(Err(StepError::driver(&e))),
                Err(script) => Look::Done(Err(StepError::Engine(script.to_string()))),
            }
        })
        .await;
        match (found, last_error) {
            (Some(answer), _) => answer,
            (None, None) => Ok(None),
            (None, Some(e)) => Err(StepError::Browser(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_count_the_pages_own_stillness() {
        let ms = Duration::from_millis;
        let still = |dom, net| {
            Some(Stillness {
                dom: ms(dom),
                net: ms(net),
            })
        };
        // Looked long enough itself.
        assert_eq!(quiet_wait(ms(1000), None), None);
        assert_eq!(quiet_wait(ms(1000), still(0, 0)), None);
        // The page has been still long enough, but the guard looks a little first.
        assert_eq!(quiet_wait(ms(0), still(900, 900)), Some(ms(150)));
        assert_eq!(quiet_wait(ms(150), still(900, 900)), None);
        // A response 100 ms ago: 400 ms more.
        assert_eq!(quiet_wait(ms(0), still(900, 100)), Some(ms(400)));
        // A DOM change 100 ms ago, the network long quiet: 150 ms more.
        assert_eq!(quiet_wait(ms(0), still(100, 900)), Some(ms(150)));
        assert_eq!(quiet_wait(ms(150), still(250, 1050)), None);
        // Both: the later of the two.
        assert_eq!(quiet_wait(ms(0), still(0, 300)), Some(ms(250)));
        assert_eq!(quiet_wait(ms(0), still(200, 0)), Some(ms(500)));
        // A page that keeps changing: the guard's own limit is the nearer one.
        assert_eq!(quiet_wait(ms(900), still(0, 0)), Some(ms(100)));
        // Without the page's word, only the guard's own limit counts.
        assert_eq!(quiet_wait(ms(100), None), Some(ms(900)));
    }
}
