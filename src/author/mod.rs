//! Writing runbooks from what a person did: a recording imported from another tool, or
//! a session recorded in the browser. Both build a [`Draft`]; [`emit`] turns it into a
//! runbook's text that `check` accepts. No browser here.

pub mod draft;
pub mod emit;
pub mod import;

pub use draft::{Draft, DraftInput, DraftItem, DraftStep, Val};
pub use emit::{emit, emit_checked};
