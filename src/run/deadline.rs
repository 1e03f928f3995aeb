//! Deadlines: when a step, a group or the whole run must be done by, and which limit that
//! is, for the message when it passes.

use std::time::{Duration, Instant};

use super::human;

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
    }
}
