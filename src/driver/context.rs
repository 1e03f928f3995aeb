//! Which BiDi browsing context the classic session's current frame is. Classic WebDriver
//! switches frames by element or index; BiDi addresses a document by its context id. The
//! session records each switch here as a hop, and a hop whose context is not known yet
//! is resolved (asked of its parent document) only when a script needs it.

/// One step down from a document into a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hop {
    /// The frame's context is known (the engine listed it with its window).
    Context(String),
    /// The frame element, by its WebDriver id.
    Element(String),
    /// The parent's `window.frames[i]`.
    Index(u16),
}

/// The top-level context (None until asked of classic WebDriver) and the hops below it.
#[derive(Debug, Clone, Default)]
pub struct Where {
    pub top: Option<String>,
    pub hops: Vec<Hop>,
}

impl Where {
    pub fn go_top(&mut self) {
        self.hops.clear();
    }
    pub fn go_window(&mut self, handle: Option<String>) {
        self.top = handle;
        self.hops.clear();
    }
    pub fn enter(&mut self, hop: Hop) {
        self.hops.push(hop);
    }
    pub fn leave(&mut self) {
        self.hops.pop();
    }
    /// The context already known, without asking the browser.
    pub fn known(&self) -> Option<&str> {
        match self.hops.last() {
            None => self.top.as_deref(),
            Some(Hop::Context(c)) => Some(c),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_context_follows_switches() {
        let mut w = Where::default();
        assert_eq!(w.known(), None);
        w.go_window(Some("TOP".into()));
        assert_eq!(w.known(), Some("TOP"));
        w.enter(Hop::Context("F1".into()));
        assert_eq!(w.known(), Some("F1"));
        w.enter(Hop::Index(0));
        assert_eq!(w.known(), None);
        w.leave();
        assert_eq!(w.known(), Some("F1"));
        w.go_top();
        assert_eq!(w.known(), Some("TOP"));
    }
}
