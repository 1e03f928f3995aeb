//! setupwright: replays YAML runbooks of Salesforce Setup UI actions through WebDriver.
pub mod actions;
pub mod console;
pub mod driver;
pub mod exit;
pub mod job;
pub mod locate;
pub mod poll;
pub mod printable;
pub mod record;
pub mod redact;
pub mod report;
pub mod run;
pub mod runbook;
pub mod salesforce;
pub mod signals;
pub mod targets;
pub mod vars;
