//! Names of run folders and picture files.

use std::path::{Path, PathBuf};

use crate::runbook::Runbook;

/// A file-name-safe form of a step title: "click button \"New\"" -> "click-button-new".
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The run's artifacts folder: `<root>/<time>-<runbook>`.
pub fn run_dir(root: &Path, rb: &Runbook, now: time::OffsetDateTime) -> PathBuf {
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let stem = rb
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "run".into());
    let mut dir = root.join(format!("{stamp}-{}", slug(&stem)));
    let mut n = 2;
    while dir.exists() {
        dir = root.join(format!("{stamp}-{}-{n}", slug(&stem)));
        n += 1;
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("click button \"New External Client App\""),
            "click-button-new-external-client-app"
        );
    }
}
