//! Where an action step's time goes (`timings_ms` in its record): one clock read in laps,
//! so the phases never overlap and never add up to more than the step took.

use std::time::{Duration, Instant};

use crate::record::Timings;

/// Milliseconds, to a tenth, rounded down: a sum of rounded phases stays within the
/// time they were cut from.
fn ms(d: Duration) -> f64 {
    (d.as_micros() / 100) as f64 / 10.0
}

/// A step's clock: each `lap` is the time since the previous one (or the step's start).
pub(super) struct Laps {
    started: Instant,
    last: Instant,
    pub(super) t: Timings,
}

impl Laps {
    pub(super) fn new(started: Instant) -> Laps {
        Laps {
            started,
            last: started,
            t: Timings::default(),
        }
    }

    /// The time since the last lap, in ms; the next lap starts now.
    pub(super) fn lap(&mut self) -> f64 {
        let now = Instant::now();
        let d = now.saturating_duration_since(self.last);
        self.last = now;
        ms(d)
    }

    /// The attempts' lap, cut into the engine's round trips (`script_ms` of them during
    /// the lap: the locate, and what rides on it) and the rest (the action's WebDriver
    /// commands, navigation, waits between attempts).
    pub(super) fn act(&mut self, script_ms: f64) {
        let (locate, action) = split(self.lap(), script_ms);
        self.t.locate += locate;
        self.t.action += action;
    }

    /// A look's lap, cut into the page's wait for stillness (as the page measured it)
    /// and the walk that finds what to cover.
    pub(super) fn look(&mut self, settle_ms: f64) {
        let (settle, look) = split(self.lap(), settle_ms);
        self.t.settle += settle;
        self.t.look += look;
    }

    /// The engine's time in the page during the step (not a lap: part of others').
    pub(super) fn in_page(&mut self, ms: f64) {
        self.t.in_page = if ms.is_finite() {
            (ms.max(0.0) * 10.0).floor() / 10.0
        } else {
            0.0
        };
    }

    /// The step's duration in whole ms, rounded up: never less than its phases' sum.
    pub(super) fn duration_ms(&self) -> u64 {
        let d = self.started.elapsed();
        d.as_micros().div_ceil(1000) as u64
    }
}

/// `part` of `lap` (bounded by it, as the two are measured by different clocks), and
/// what remains of the lap.
fn split(lap: f64, part: f64) -> (f64, f64) {
    let part = if part.is_finite() {
        part.clamp(0.0, lap)
    } else {
        0.0
    };
    let part = (part * 10.0).floor() / 10.0;
    (part, ((lap - part) * 10.0).floor().max(0.0) / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(t: &Timings) -> f64 {
        t.locate + t.action + t.settle + t.look + t.capture + t.cover + t.write + t.records
    }

    #[test]
    fn phases_sum_to_no_more_than_the_step_took() {
        let mut laps = Laps::new(Instant::now());
        std::thread::sleep(Duration::from_millis(3));
        // The engine's own clock may say more than the lap: it is cut to the lap.
        laps.act(50.0);
        std::thread::sleep(Duration::from_millis(2));
        laps.look(1.3);
        std::thread::sleep(Duration::from_millis(2));
        laps.t.capture += laps.lap();
        laps.t.cover += laps.lap();
        laps.t.write += laps.lap();
        laps.t.records += laps.lap();
        let total = laps.duration_ms() as f64;
        assert!(sum(&laps.t) <= total, "{:?} against {total}", laps.t);
        assert!(laps.t.locate >= 3.0 && laps.t.action == 0.0, "{:?}", laps.t);
        assert!(laps.t.settle == 1.3 && laps.t.look >= 0.7, "{:?}", laps.t);
        assert!(laps.t.capture >= 2.0, "{:?}", laps.t);
    }

    #[test]
    fn a_step_without_a_picture_has_no_picture_time() {
        let mut laps = Laps::new(Instant::now());
        std::thread::sleep(Duration::from_millis(2));
        laps.act(0.5);
        laps.t.records += laps.lap();
        let t = &laps.t;
        assert_eq!(
            (t.settle, t.look, t.capture, t.cover, t.write),
            (0.0, 0.0, 0.0, 0.0, 0.0)
        );
        assert_eq!(t.locate, 0.5);
        assert!(t.action >= 1.4, "{t:?}");
    }

    #[test]
    fn a_part_is_cut_to_its_lap_and_never_negative() {
        assert_eq!(split(10.0, 25.0), (10.0, 0.0));
        assert_eq!(split(10.0, -3.0), (0.0, 10.0));
        assert_eq!(split(10.0, f64::NAN), (0.0, 10.0));
        let (a, b) = split(7.35, 2.17);
        assert!(a + b <= 7.35 && a == 2.1, "{a} {b}");
        assert_eq!(ms(Duration::from_micros(1_999)), 1.9);
    }
}
