//! setupwright: replays YAML runbooks of Salesforce Setup UI actions through WebDriver.
pub mod runbook;
pub mod driver;
pub mod locate;
pub mod actions;
pub mod exit;
pub mod report;
pub mod run;
pub mod salesforce;
pub mod targets;
