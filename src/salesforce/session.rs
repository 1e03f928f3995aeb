//! Org sessions without a password on the command line: the Salesforce CLI's stored
//! session (`sf org display --json -o ALIAS`), or an instance URL with an access token
//! from the environment, opened through `/secur/frontdoor.jsp`.

use std::path::Path;

use serde_json::Value;

use super::{classify, PageKind};
use crate::driver::Session;

/// An org's instance URL and a session id, which is a secret.
#[derive(Clone)]
pub struct OrgSession {
    pub instance_url: String,
    pub access_token: String,
    pub source: String,
}

impl std::fmt::Debug for OrgSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OrgSession({}, token ***)", self.instance_url)
    }
}

/// The environment variable that holds the access token for `--instance-url`.
pub const TOKEN_ENV: &str = "SF_ACCESS_TOKEN";

/// Asks the Salesforce CLI for the org's instance URL and access token.
pub fn from_sf_cli(sf: &Path, alias: &str) -> Result<OrgSession, String> {
    let out = std::process::Command::new(sf)
        .args(["org", "display", "--json", "-o", alias])
        .output()
        .map_err(|e| format!("cannot run the Salesforce CLI `{}`: {e}; install it (npm install -g @salesforce/cli) or pass --sf PATH", sf.display()))?;
    let v: Value = serde_json::from_slice(&out.stdout).map_err(|_| {
        format!(
            "`sf org display --json -o {alias}` did not answer JSON (exit {}); is the CLI current?",
            out.status.code().unwrap_or(-1)
        )
    })?;
    if v.get("status").and_then(Value::as_i64).unwrap_or(0) != 0 {
        let msg = v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("no message");
        return Err(format!("the Salesforce CLI has no usable session for `{alias}`: {msg}; log in with `sf org login web -a {alias}`"));
    }
    let r = &v["result"];
    let instance_url = r
        .get("instanceUrl")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`sf org display` gave no instanceUrl for `{alias}`"))?;
    let access_token = r
        .get("accessToken")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("`sf org display` gave no accessToken for `{alias}`"))?;
    Ok(OrgSession {
        instance_url: instance_url.trim_end_matches('/').to_string(),
        access_token: access_token.to_string(),
        source: format!("the Salesforce CLI (org {alias})"),
    })
}

pub fn from_env(instance_url: &str) -> Result<OrgSession, String> {
    from_env_var(instance_url, TOKEN_ENV)
}

/// An instance URL with the access token in the named environment variable.
pub fn from_env_var(instance_url: &str, var: &str) -> Result<OrgSession, String> {
    let token = std::env::var(var).map_err(|_| {
        format!(
            "signing in to {instance_url} needs the access token in the environment variable {var}"
        )
    })?;
    Ok(OrgSession {
        instance_url: instance_url.trim_end_matches('/').to_string(),
        access_token: token,
        source: var.to_string(),
    })
}

/// Signs the browser in through frontdoor.jsp and says which page it landed on when
/// that failed.
pub async fn open(session: &Session, org: &OrgSession) -> Result<(), String> {
    let mut url = url::Url::parse(&format!("{}/secur/frontdoor.jsp", org.instance_url))
        .map_err(|e| format!("the instance URL {} is not a URL: {e}", org.instance_url))?;
    url.query_pairs_mut()
        .append_pair("sid", &org.access_token)
        .append_pair("retURL", super::SETUP_HOME);
    session
        .goto(url.as_str())
        .await
        .map_err(|e| format!("cannot open the frontdoor page: {e}"))?;
    let landed = session.current_url().await.map_err(|e| e.to_string())?;
    let on_login_page = session
        .isolated(
            "() => !!document.querySelector('input#username, input#password')",
            vec![],
            true,
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    match classify(&landed) {
        PageKind::SessionLost => Err(format!("Salesforce answered the frontdoor login with its login page (ec=302): the session from {} was refused or has expired; refresh it (sf org login web) and try again", org.source)),
        PageKind::Maintenance => Err(format!("Salesforce shows its maintenance page ({}); try again after the maintenance window", landed.path())),
        PageKind::Normal if on_login_page => Err(format!("Salesforce shows a login page at {} after the frontdoor login: the session from {} was not accepted", landed.path(), org.source)),
        PageKind::Normal => Ok(()),
    }
}
