//! One module per command of the binary; `main` parses and dispatches.

pub mod check;
pub mod common;
pub mod import;
pub mod plan;
pub mod record;
pub mod run;
