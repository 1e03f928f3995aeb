//! Writing runbooks from what a person did: a recording imported from another tool, or
//! a session recorded in the browser. Both build a [`Draft`]; [`emit`] turns it into a
//! runbook's text that `check` accepts. `locator` asks the browser's engine for the
//! locator of an element; nothing else here needs a browser.

pub mod draft;
pub mod emit;
pub mod import;
pub mod locator;
pub mod recording;

pub use draft::{Draft, DraftInput, DraftItem, DraftStep, Val};
pub use emit::{emit, emit_checked, Over, Unwritable};
pub use locator::{locator_for, AuthorError, Authored, Target};
