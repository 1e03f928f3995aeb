//! Salesforce Setup conventions the actions rely on: where Quick Find lives, the Setup
//! home path, and the shapes of the login, session-lost and maintenance pages.

pub mod session;

/// The Quick Find box inside the Setup navigation tree. Matched by structure, not by
/// its placeholder, which is translated ("Schnellsuche" in German orgs).
pub const QUICK_FIND_CSS: &str = "[class*=\"onesetupSetupNavTree\"] input[type=\"search\"]";
pub const SETUP_TREE_CSS: &str = "[class*=\"onesetupSetupNavTree\"]";
pub const SETUP_HOME: &str = "/lightning/setup/SetupOneHome/home";

/// What a URL says about the session, checked after navigations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Normal,
    /// `/?ec=302&startURL=...`: the session was lost or never made.
    SessionLost,
    Maintenance,
}

pub fn classify(url: &url::Url) -> PageKind {
    let q = url.query().unwrap_or("");
    if url.path() == "/" && q.split('&').any(|p| p == "ec=302") {
        PageKind::SessionLost
    } else if url.path().contains("maintenanceandavailable") {
        PageKind::Maintenance
    } else {
        PageKind::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_session_pages() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(
            classify(&u("https://x.my.salesforce.com/?ec=302&startURL=%2Fsetup")),
            PageKind::SessionLost
        );
        assert_eq!(
            classify(&u(
                "https://x.my.salesforce.com/msg/maintenanceandavailable.jsp"
            )),
            PageKind::Maintenance
        );
        assert_eq!(
            classify(&u(
                "https://x.my.salesforce.com/lightning/setup/SetupOneHome/home"
            )),
            PageKind::Normal
        );
    }
}
