//! The Lightning pages' scripts and styles: built by `scripts/build-lightning.sh` from
//! Salesforce's own npm packages (lightning-base-components, lwc, @lwc/synthetic-shadow,
//! SLDS) into `sim/lightning/dist`, embedded gzipped into the crate by `build.rs` when
//! they were built before it, and read once when the simulator starts.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The bundle `build.rs` embedded, gzipped: empty when it was not built first.
const EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The source tree's build output, or wherever `SETUPWRIGHT_SIM_LIGHTNING` points: the
/// folder `Bundle::load` reads when the bundle is not embedded.
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
    /// Where the files came from, for the error that says one is missing.
    from: String,
    files: Vec<File>,
}

struct File {
    name: &'static str,
    mime: &'static str,
    body: axum::body::Bytes,
    gzipped: bool,
}

impl Bundle {
    /// The bundle a simulator serves unless told otherwise: the folder
    /// `SETUPWRIGHT_SIM_LIGHTNING` names, else the one built into this binary, else the
    /// source tree's build output (a build made before the bundle was).
    pub fn default_for_this_build() -> Bundle {
        if std::env::var_os("SETUPWRIGHT_SIM_LIGHTNING").is_none() {
            if let Some(b) = Bundle::embedded() {
                return b;
            }
        }
        Bundle::load(&default_dir())
    }

    /// The embedded bundle, when the build had all of it.
    pub fn embedded() -> Option<Bundle> {
        let files: Vec<File> = FILES
            .iter()
            .filter_map(|(name, mime)| {
                let (_, gz) = EMBEDDED.iter().find(|(n, _)| n == name)?;
                Some(File {
                    name,
                    mime,
                    body: axum::body::Bytes::from_static(gz),
                    gzipped: true,
                })
            })
            .collect();
        (files.len() == FILES.len()).then(|| Bundle {
            from: "this binary".into(),
            files,
        })
    }

    pub fn load(dir: &Path) -> Bundle {
        let files = FILES
            .iter()
            .filter_map(|(name, mime)| {
                std::fs::read(dir.join(name)).ok().map(|b| File {
                    name,
                    mime,
                    body: b.into(),
                    gzipped: false,
                })
            })
            .collect();
        Bundle {
            from: dir.display().to_string(),
            files,
        }
    }

    /// Why the Lightning pages cannot render, when they cannot.
    pub fn missing(&self) -> Option<String> {
        let absent: Vec<&str> = FILES
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| !self.files.iter().any(|f| f.name == *n))
            .collect();
        (!absent.is_empty()).then(|| {
            format!(
                "the simulator's Lightning bundle is missing ({} not in {}): build it with `bash scripts/build-lightning.sh` (the README's two commands run it)",
                absent.join(", "),
                self.from
            )
        })
    }

    /// The file `name`: gzipped as embedded to a client that takes gzip (every browser),
    /// unpacked for one that does not.
    pub fn serve(&self, name: &str, request: &HeaderMap) -> Response {
        let Some(f) = self.files.iter().find(|f| f.name == name) else {
            return (StatusCode::NOT_FOUND, self.missing().unwrap_or_default()).into_response();
        };
        let headers = [
            (header::CONTENT_TYPE, f.mime),
            (header::CACHE_CONTROL, "max-age=3600"),
            (header::VARY, "accept-encoding"),
        ];
        if !f.gzipped {
            return (headers, f.body.clone()).into_response();
        }
        if takes_gzip(request) {
            return (
                headers,
                [(header::CONTENT_ENCODING, "gzip")],
                f.body.clone(),
            )
                .into_response();
        }
        let mut raw = Vec::new();
        match flate2::read::GzDecoder::new(&f.body[..]).read_to_end(&mut raw) {
            Ok(_) => (headers, raw).into_response(),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the embedded {name} does not unpack ({e}): rebuild setupwright"),
            )
                .into_response(),
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

/// Whether `Accept-Encoding` allows gzip (`gzip`, or `*`, without `q=0`).
fn takes_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
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
        assert_eq!(
            b.serve("pages.js", &HeaderMap::new()).status(),
            StatusCode::NOT_FOUND
        );
        let _ = std::fs::remove_dir(&empty);
    }

    fn body(r: Response) -> (HeaderMap, Vec<u8>) {
        let headers = r.headers().clone();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let bytes = rt
            .block_on(axum::body::to_bytes(r.into_body(), usize::MAX))
            .expect("the body reads");
        (headers, bytes.to_vec())
    }

    #[test]
    fn the_built_bundle_is_embedded_and_served_gzipped_to_a_browser_and_plain_to_others() {
        // Built by scripts/build-lightning.sh, which scripts/test.sh runs before cargo.
        let on_disk = Bundle::load(&default_dir());
        assert!(on_disk.missing().is_none(), "{:?}", on_disk.missing());
        let b = Bundle::embedded()
            .expect("build.rs embeds the bundle when lightning/dist is built before the crate");
        assert!(b.missing_page().is_none());
        for (name, _) in FILES {
            let want = std::fs::read(default_dir().join(name)).expect("the built file");
            let mut browser = HeaderMap::new();
            browser.insert(
                header::ACCEPT_ENCODING,
                "gzip, deflate, br, zstd".parse().unwrap(),
            );
            let (h, gz) = body(b.serve(name, &browser));
            assert_eq!(
                h.get(header::CONTENT_ENCODING).map(|v| v.as_bytes()),
                Some(&b"gzip"[..])
            );
            assert!(
                gz.len() * 3 < want.len(),
                "{name}: {} of {}",
                gz.len(),
                want.len()
            );
            let mut unpacked = Vec::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_end(&mut unpacked)
                .expect("gzip");
            assert!(
                unpacked == want,
                "{name}: the embedded copy differs from lightning/dist"
            );

            let mut refuses = HeaderMap::new();
            refuses.insert(
                header::ACCEPT_ENCODING,
                "gzip;q=0, identity".parse().unwrap(),
            );
            for plain_client in [HeaderMap::new(), refuses] {
                let (h, plain) = body(b.serve(name, &plain_client));
                assert!(h.get(header::CONTENT_ENCODING).is_none());
                assert!(plain == want, "{name}");
            }
        }
    }

    #[test]
    fn the_built_bundle_is_served() {
        let b = Bundle::load(&default_dir());
        if b.missing().is_some() {
            // Built by scripts/build-lightning.sh, which scripts/test.sh runs first.
            panic!("{}", b.missing().unwrap_or_default());
        }
        assert!(b.missing_page().is_none());
        assert_eq!(
            b.serve("slds.css", &HeaderMap::new()).status(),
            StatusCode::OK
        );
    }
}
