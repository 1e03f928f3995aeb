//! `setupwright demo` and `setupwright sim`: the simulator as the main job's stage.

use std::path::Path;

use setupwright::exit;
use setupwright::run::vars::Redactor;

use crate::cli::BrowserArgs;

pub async fn demo(_artifacts: &Path, _browser: &BrowserArgs, _keep_open: bool, _redactor: Redactor) -> i32 {
    eprintln!("error: the simulator is not built yet");
    exit::USAGE
}

pub async fn serve(_port: u16, _classic: u16, _username: &str, _chaos: Option<u64>) -> i32 {
    eprintln!("error: the simulator is not built yet");
    exit::USAGE
}
