//! Why a browser session could not start, and what to try for each cause.

use super::BrowserOptions;

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("cannot start chromedriver `{path}`: {cause}")]
    Spawn { path: String, cause: String },
    #[error("cannot open a browser session at {url}: {cause}")]
    Session { url: String, cause: String },
    #[error("the WebDriver server at {url} offers no WebDriver BiDi connection (it answered no `webSocketUrl`), and setupwright runs its engine only in a BiDi sandbox, out of the page's reach; use chromedriver 115 or later, or Selenium Grid 4.17 or later with BiDi on")]
    NoBidi { url: String },
    #[error("{0}")]
    Bidi(String),
}

/// When a Grid advertises its BiDi endpoint on another host or port than the one
/// setupwright reached it at, the usual cause: nodes that do not know the Grid's address.
pub(super) fn elsewhere_hint(webdriver: &str, ws: &str) -> String {
    let at = |u: &str| {
        url::Url::parse(u).ok().map(|u| {
            (
                u.host_str().unwrap_or_default().to_string(),
                u.port_or_known_default(),
            )
        })
    };
    match (at(webdriver), at(ws)) {
        (Some(w), Some(b)) if w != b => format!(
            "; the Grid gave {}:{} as its address, but setupwright reaches it at {webdriver}: start the nodes with --grid-url {webdriver} (docker-selenium: SE_NODE_GRID_URL)",
            b.0,
            b.1.unwrap_or_default()
        ),
        _ => String::new(),
    }
}

impl DriverError {
    /// What to try, given how the browser was asked for: the fix for an unreachable Grid
    /// is not the fix for a missing Chromium or a missing display.
    pub fn help(&self, opts: &BrowserOptions) -> String {
        let display = ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
        match self {
            DriverError::NoBidi { .. } => {
                "point --webdriver at chromedriver 115+ or a Selenium 4 Grid that proxies BiDi".into()
            }
            DriverError::Session { url, .. } if opts.webdriver_url.is_some() => format!(
                "check that a WebDriver server (chromedriver, or a Selenium Grid hub) listens at {url}: `curl {url}/status` should answer; for a Grid, that a node with Chrome is registered"
            ),
            DriverError::Session { .. } if opts.headed && !display => {
                "--headed needs a display, and this session has none (DISPLAY is not set): run under `xvfb-run`, or drop --headed".into()
            }
            _ => "install Chromium and ChromeDriver (apt-get install chromium chromium-driver), or pass --webdriver URL".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bidi_address_elsewhere_is_explained() {
        let hint = elsewhere_hint(
            "http://127.0.0.1:4444",
            "ws://192.0.2.2:4444/session/x/se/bidi",
        );
        assert!(
            hint.contains("gave 192.0.2.2:4444 as its address"),
            "{hint}"
        );
        assert!(hint.contains("--grid-url http://127.0.0.1:4444"), "{hint}");
        assert_eq!(
            elsewhere_hint("http://127.0.0.1:9515", "ws://127.0.0.1:9515/session/x"),
            ""
        );
    }
}
