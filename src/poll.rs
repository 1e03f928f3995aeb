//! Waiting on a page: deadlines, the pace between looks, and the one loop that looks
//! again until an answer comes or the deadline passes (in the spirit of fantoccini's
//! `Client::wait`, but with a deadline that names its limit for the message).

use std::time::{Duration, Instant};

use crate::runbook::duration::human;

/// An instant and the limit it stands for ("step timeout of 30s").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub at: Instant,
    pub limit: String,
}

impl Deadline {
    pub fn after(t: Duration, limit: impl Into<String>) -> Deadline {
        Deadline {
            at: Instant::now() + t,
            limit: limit.into(),
        }
    }

    /// A step's own timeout.
    pub fn step(t: Duration) -> Deadline {
        Deadline::after(t, format!("step timeout of {}", human(t)))
    }

    /// The earlier of this deadline and `other`, if any.
    pub fn or_earlier(self, other: Option<&Deadline>) -> Deadline {
        match other {
            Some(o) if o.at < self.at => o.clone(),
            _ => self,
        }
    }

    /// This deadline, brought forward to `t` from now if that is earlier, under the same
    /// name (a short first look inside a step).
    pub fn within(&self, t: Duration) -> Deadline {
        Deadline {
            at: self.at.min(Instant::now() + t),
            limit: self.limit.clone(),
        }
    }

    pub fn passed(&self) -> bool {
        Instant::now() >= self.at
    }

    /// The time left, zero once passed.
    pub fn left(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }
}

/// The interval between looks at a page: short at first, longer while nothing changes.
fn backoff(round: u32) -> Duration {
    Duration::from_millis(match round {
        0..=3 => 25,
        4..=10 => 60,
        _ => 150,
    })
}

/// The pauses of one polling loop: short at first, so a page that answers at once is met
/// at once; longer after a while, so a slow one is not hammered.
#[derive(Debug, Default)]
struct Pace {
    round: u32,
}

impl Pace {
    /// The next pause, without taking it.
    pub fn next(&self) -> Duration {
        backoff(self.round)
    }

    /// Takes the next pause (or `at_most`, if shorter).
    pub async fn wait_at_most(&mut self, at_most: Duration) {
        tokio::time::sleep(self.next().min(at_most)).await;
        self.round += 1;
    }
}

/// What one look decided.
#[derive(Debug)]
pub enum Look<T> {
    /// Settled: the answer (which may be an error the look chose to end with).
    Done(T),
    /// Not yet: look again after the usual pause.
    Again,
    /// Not yet, and the next look should come within this long (a stillness window
    /// that ends sooner than the pace would wait).
    AgainWithin(Duration),
    /// Look again at once (the look itself changed the page, say by reloading it).
    AgainNow,
}

/// Looks until a look settles or the deadline passes, pacing the looks; `None` when the
/// deadline passed first. The look that straddles the deadline is the last one, and a
/// pause never runs past the deadline, so the last look happens at it. What the looks saw
/// stays in the caller's variables, from which it says why time ran out.
pub async fn poll<T>(deadline: &Deadline, mut look: impl AsyncFnMut() -> Look<T>) -> Option<T> {
    let mut pace = Pace::default();
    loop {
        let pause = match look().await {
            Look::Done(v) => return Some(v),
            Look::Again => Duration::MAX,
            Look::AgainWithin(d) => d,
            Look::AgainNow => Duration::ZERO,
        };
        if deadline.passed() {
            return None;
        }
        if !pause.is_zero() {
            pace.wait_at_most(pause.min(deadline.left())).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_earlier_deadline_wins_and_keeps_its_name() {
        let step = Deadline::step(Duration::from_secs(30));
        let group = Deadline::after(Duration::from_secs(5), "group timeout of 5s on \"G\"");
        assert_eq!(step.clone().or_earlier(Some(&group)).limit, group.limit);
        assert_eq!(group.clone().or_earlier(Some(&step)).limit, group.limit);
        assert_eq!(step.clone().or_earlier(None), step);
        let short = step.within(Duration::from_secs(3));
        assert!(short.at < step.at && short.limit == step.limit);
        assert_eq!(group.within(Duration::from_secs(60)).at, group.at);
    }

    #[tokio::test(start_paused = true)]
    async fn polls_with_a_rising_pace_until_the_answer() {
        let started = tokio::time::Instant::now();
        let mut looks = 0;
        let got = poll(&Deadline::after(Duration::from_secs(30), "t"), async || {
            looks += 1;
            if looks == 6 {
                Look::Done(looks)
            } else {
                Look::Again
            }
        })
        .await;
        assert_eq!(got, Some(6));
        // Four short pauses, then a longer one.
        assert_eq!(started.elapsed(), Duration::from_millis(4 * 25 + 60));
    }

    #[tokio::test]
    async fn gives_up_after_a_last_look_at_the_deadline() {
        let deadline = Deadline::after(Duration::from_millis(120), "t");
        let mut looks = 0;
        let got: Option<()> = poll(&deadline, async || {
            looks += 1;
            Look::Again
        })
        .await;
        assert_eq!(got, None);
        assert!(deadline.passed());
        assert!(looks >= 3, "{looks} looks");
    }

    #[tokio::test]
    async fn again_now_skips_the_pause_and_again_within_shortens_it() {
        let deadline = Deadline::after(Duration::from_secs(30), "t");
        let started = Instant::now();
        let mut looks = 0;
        poll(&deadline, async || {
            looks += 1;
            match looks {
                1..=20 => Look::AgainNow,
                21..=40 => Look::AgainWithin(Duration::from_millis(1)),
                _ => Look::Done(()),
            }
        })
        .await;
        assert!(
            started.elapsed() < Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
    }
}
