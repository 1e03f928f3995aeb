//! The Lightning pages' scripts and styles: built by `scripts/build-lightning.sh` from
//! Salesforce's own npm packages (lightning-base-components, lwc, @lwc/synthetic-shadow,
//! SLDS) into `sim/lightning/dist`, and read once when the simulator starts.

use std::path::{Path, PathBuf};

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Where the bundles are: `SETUPWRIGHT_SIM_LIGHTNING`, or the build's output in this
/// source tree.
pub fn default_dir() -> PathBuf {
    std::env::var_os("SETUPWRIGHT_SIM_LIGHTNING")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("lightning/dist"))
}

/// Which shadow DOM the Lightning pages render into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shadow {
    /// LWC's synthetic shadow polyfill, as Lightning Experience runs.
    #[default]
    Synthetic,
    /// The browser's own shadow roots.
    Native,
}

impl Shadow {
    pub fn name(self) -> &'static str {
        match self {
            Shadow::Synthetic => "synthetic",
            Shadow::Native => "native",
        }
    }
}

const FILES: &[(&str, &str)] = &[
    ("pages.js", "application/javascript"),
    ("synthetic-shadow.js", "application/javascript"),
    ("slds.css", "text/css"),
];

pub struct Bundle {
    dir: PathBuf,
    files: Vec<(&'static str, &'static str, axum::body::Bytes)>,
}

impl Bundle {
    pub fn load(dir: &Path) -> Bundle {
        let files = FILES
            .iter()
            .filter_map(|(name, mime)| {
                std::fs::read(dir.join(name))
                    .ok()
                    .map(|b| (*name, *mime, b.into()))
            })
            .collect();
        Bundle {
            dir: dir.to_path_buf(),
            files,
        }
    }

    /// Why the Lightning pages cannot render, when they cannot.
    pub fn missing(&self) -> Option<String> {
        let absent: Vec<&str> = FILES
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !self.files.iter().any(|(f, _, _)| f == n))
            .collect();
        (!absent.is_empty()).then(|| {
            format!(
                "the simulator's Lightning bundle is missing ({} not in {}): build it with `bash scripts/build-lightning.sh` (the README's two commands run it)",
                absent.join(", "),
                self.dir.display()
            )
        })
    }

    pub fn serve(&self, name: &str) -> Response {
        match self.files.iter().find(|(f, _, _)| *f == name) {
            Some((_, mime, body)) => (
                [
                    (header::CONTENT_TYPE, *mime),
                    (header::CACHE_CONTROL, "max-age=3600"),
                ],
                body.clone(),
            )
                .into_response(),
            None => (StatusCode::NOT_FOUND, self.missing().unwrap_or_default()).into_response(),
        }
    }

    /// The page shown instead of a Lightning page when the bundle is missing.
    pub fn missing_page(&self) -> Option<Response> {
        let why = self.missing()?;
        let body = format!(
            "<!doctype html><html><head><title>Simulator not built</title></head><body><h1>Simulator not built</h1><p id=\"error\">{}</p></body></html>",
            why.replace('&', "&amp;").replace('<', "&lt;")
        );
        Some(
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                body,
            )
                .into_response(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_bundle_names_the_set_up_command_instead_of_a_blank_page() {
        let empty =
            std::env::temp_dir().join(format!("setupwright-no-bundle-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&empty);
        let b = Bundle::load(&empty);
        let why = b.missing().expect("an empty folder holds no bundle");
        assert!(
            why.contains("scripts/build-lightning.sh") && why.contains("pages.js"),
            "{why}"
        );
        let page = b.missing_page().expect("an error page");
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(b.serve("pages.js").status(), StatusCode::NOT_FOUND);
        let _ = std::fs::remove_dir(&empty);
    }

    #[test]
    fn the_built_bundle_is_served() {
        let b = Bundle::load(&default_dir());
        if b.missing().is_some() {
            // Built by scripts/build-lightning.sh, which scripts/test.sh runs first.
            panic!("{}", b.missing().unwrap_or_default());
        }
        assert!(b.missing_page().is_none());
        assert_eq!(b.serve("slds.css").status(), StatusCode::OK);
    }
}
