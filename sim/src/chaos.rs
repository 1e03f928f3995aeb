//! Chaos mode: a seeded source of the trouble a slow, flaky org makes. Same seed, same
//! sequence of decisions, so a failing seed can be replayed.

use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub struct Chaos {
    rng: Option<Mutex<StdRng>>,
}

impl Chaos {
    pub fn new(seed: Option<u64>) -> Chaos {
        Chaos {
            rng: seed.map(|s| Mutex::new(StdRng::seed_from_u64(s))),
        }
    }
    pub fn on(&self) -> bool {
        self.rng.is_some()
    }
    fn roll(&self, f: impl FnOnce(&mut StdRng) -> u64) -> u64 {
        match &self.rng {
            Some(m) => {
                let mut g = m.lock().unwrap_or_else(|p| p.into_inner());
                f(&mut g)
            }
            None => 0,
        }
    }
    /// How long a Lightning page keeps its spinner before rendering (up to 1.5 s).
    pub fn render_ms(&self) -> u64 {
        if self.on() {
            self.roll(|r| r.gen_range(0..=1500))
        } else {
            120
        }
    }
    /// When, after rendering, marked elements are rendered again (0: never).
    pub fn rerender_ms(&self) -> u64 {
        self.roll(|r| {
            if r.gen_bool(0.5) {
                r.gen_range(50..600)
            } else {
                0
            }
        })
    }
    /// How long toasts stay (they can cover buttons).
    pub fn toast_ms(&self) -> u64 {
        if self.on() {
            self.roll(|r| r.gen_range(1500..5000))
        } else {
            2500
        }
    }
    /// How long a save spins before the page moves on.
    pub fn save_ms(&self) -> u64 {
        if self.on() {
            self.roll(|r| r.gen_range(100..1500))
        } else {
            250
        }
    }
    /// A server-side delay before answering (slow redirects, slow classic pages).
    pub fn server_delay_ms(&self) -> u64 {
        self.roll(|r| {
            if r.gen_bool(0.3) {
                r.gen_range(100..1200)
            } else {
                0
            }
        })
    }
    /// Whether this page load answers 503 once (it goes away on reload).
    pub fn unavailable(&self) -> bool {
        self.roll(|r| u64::from(r.gen_bool(0.06))) == 1
    }
}
