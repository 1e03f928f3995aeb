//! setupwright: replays YAML runbooks of Salesforce Setup UI actions through WebDriver.
pub mod runbook;
