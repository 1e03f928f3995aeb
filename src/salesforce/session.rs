//! Org sessions without a password on the command line: a single-use frontdoor link from
//! the Salesforce CLI (`sf org open --url-only --json -o ALIAS`), or an instance URL with
//! an access token from the environment, opened through `/secur/frontdoor.jsp`.
//!
//! Why `sf org open --url-only` and not `sf org auth show-access-token`: the CLI asks the
//! org's UI Bridge API (`/services/oauth2/singleaccess`) for a link that works once, so
//! the long-lived access token never leaves the CLI. A link that leaked after the browser
//! used it opens nothing, and Salesforce's own tools sign in that way since `frontdoor.jsp`
//! with a raw session id was retired for them. The cost is one CLI call per sign-in.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{classify, PageKind, SETUP_HOME};
use crate::driver::Session;

/// How the browser signs in.
#[derive(Clone)]
enum Credential {
    /// A frontdoor URL that works once (from the CLI).
    SingleUseLink(String),
    /// A session id, opened through `frontdoor.jsp?sid=`.
    AccessToken(String),
}

/// An org's instance URL and what signs the browser in to it, which is a secret.
#[derive(Clone)]
pub struct OrgSession {
    pub instance_url: String,
    credential: Credential,
    /// Where the credential came from, for messages: "the Salesforce CLI (org dev1)".
    pub source: String,
    /// The user the CLI signs in as, when it said.
    pub username: Option<String>,
}

impl std::fmt::Debug for OrgSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OrgSession({}, credential ***)", self.instance_url)
    }
}

impl OrgSession {
    /// The values that must never be shown: the link or token, and the link's code alone.
    pub fn secrets(&self) -> Vec<String> {
        match &self.credential {
            Credential::AccessToken(t) => vec![t.clone()],
            Credential::SingleUseLink(link) => {
                let mut out = vec![link.clone()];
                if let Ok(u) = url::Url::parse(link) {
                    out.extend(
                        u.query_pairs()
                            .filter(|(k, _)| matches!(k.as_ref(), "otp" | "sid"))
                            .map(|(_, v)| v.into_owned()),
                    );
                }
                out
            }
        }
    }

    /// The URL that signs the browser in and lands on Setup.
    fn sign_in_url(&self) -> Result<String, String> {
        match &self.credential {
            Credential::SingleUseLink(link) => Ok(link.clone()),
            Credential::AccessToken(token) => {
                let mut url =
                    url::Url::parse(&format!("{}/secur/frontdoor.jsp", self.instance_url))
                        .map_err(|e| {
                            format!("the instance URL {} is not a URL: {e}", self.instance_url)
                        })?;
                url.query_pairs_mut()
                    .append_pair("sid", token)
                    .append_pair("retURL", SETUP_HOME);
                Ok(url.into())
            }
        }
    }
}

/// Why no session came from the CLI; `refused` when the org or its session is the cause
/// (the run is reported as failed), not the command line or the CLI's installation.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInError {
    pub message: String,
    pub help: String,
    pub refused: bool,
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n  help: {}", self.message, self.help)
    }
}

fn usage(message: String, help: String) -> SignInError {
    SignInError {
        message,
        help,
        refused: false,
    }
}

/// The environment variable that holds the access token for `--instance-url`.
pub const TOKEN_ENV: &str = "SF_ACCESS_TOKEN";

/// How long the CLI may take; it talks to the org, which can be slow but not forever.
const CLI_TIMEOUT: Duration = Duration::from_secs(120);

/// Asks the Salesforce CLI for a single-use link that signs in to the org `alias` and
/// lands on Setup.
pub fn from_sf_cli(sf: &Path, alias: &str) -> Result<OrgSession, SignInError> {
    let args = [
        "org",
        "open",
        "--url-only",
        "--json",
        "--path",
        SETUP_HOME,
        "--target-org",
        alias,
    ];
    let command = format!("{} {}", sf.display(), args.join(" "));
    let out = run_bounded(sf, &args).map_err(|e| match e {
        Ran::Missing => usage(
            format!(
                "the Salesforce CLI `{}` is not installed or not on PATH",
                sf.display()
            ),
            "install it (npm install --global @salesforce/cli), or pass --sf PATH".into(),
        ),
        Ran::Failed(e) => usage(
            format!("cannot run the Salesforce CLI `{}`: {e}", sf.display()),
            "check that the file is an executable `sf`, or pass --sf PATH".into(),
        ),
        Ran::Stopped => usage(
            format!("`{command}` was ended: setupwright was stopped by a signal while it ran"),
            "run the command again; nothing was signed in to".into(),
        ),
        Ran::TimedOut => SignInError {
            message: format!("`{command}` gave no answer in {} s", CLI_TIMEOUT.as_secs()),
            help: "check that the org is reachable (sf org display -o ALIAS), then try again"
                .into(),
            refused: true,
        },
    })?;
    let answer = cli_json(&out.stdout).ok_or_else(|| {
        let said = last_line(&out.stderr).or_else(|| last_line(&out.stdout));
        usage(
            format!(
                "`{command}` did not answer JSON (exit {}){}",
                out.code.map_or("by signal".into(), |c| c.to_string()),
                said.map(|l| format!("; it said: {l}")).unwrap_or_default()
            ),
            "setupwright needs @salesforce/cli 2 or later on Node.js 22 or later; check `sf --version`, and update with npm install --global @salesforce/cli@latest".into(),
        )
    })?;
    for w in answer["warnings"].as_array().into_iter().flatten() {
        if let Some(w) = w.as_str() {
            tracing::debug!("the Salesforce CLI warns: {w}");
        }
    }
    if answer["status"].as_i64() != Some(0) {
        return Err(cli_error(alias, &answer));
    }
    let r = &answer["result"];
    let link = r["url"].as_str().ok_or_else(|| {
        usage(
            format!("`{command}` answered without a URL"),
            "update the Salesforce CLI (npm install --global @salesforce/cli@latest)".into(),
        )
    })?;
    let parsed = url::Url::parse(link).map_err(|_| {
        usage(
            format!("`{command}` answered a URL that does not parse"),
            "update the Salesforce CLI (npm install --global @salesforce/cli@latest)".into(),
        )
    })?;
    Ok(OrgSession {
        instance_url: parsed.origin().ascii_serialization(),
        credential: Credential::SingleUseLink(link.to_string()),
        source: format!("the Salesforce CLI (org {alias})"),
        username: r["username"].as_str().map(str::to_string),
    })
}

/// What a failed CLI answer means, in the CLI's error shapes (`name`, `message`, and
/// `data.errorCode` for the org's own errors).
fn cli_error(alias: &str, answer: &Value) -> SignInError {
    let name = answer["name"].as_str().unwrap_or_default();
    let code = answer["data"]["errorCode"].as_str().unwrap_or(name);
    let said = answer["message"]
        .as_str()
        .unwrap_or("no message")
        .lines()
        .filter(|l| !l.trim_start().starts_with("See more help"))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    let login = format!(
        "sf org login web --alias {alias} --instance-url https://YOUR-DOMAIN.my.salesforce.com"
    );
    match code {
        "NamedOrgNotFoundError" | "NoAuthInfoFound" | "NamedOrgNotFound" => usage(
            format!("the Salesforce CLI knows no org `{alias}` ({said})"),
            format!("`sf org list` shows the aliases it knows; authorise this one with `{login}`"),
        ),
        "INVALID_SESSION_ID" | "RefreshTokenAuthError" | "invalid_grant" | "expired access/refresh token" => SignInError {
            message: format!("the Salesforce CLI's session for `{alias}` has expired or was revoked ({code}: {said})"),
            help: format!("log in again with `{login}`, then re-run"),
            refused: true,
        },
        _ if name == "Error" && said.contains("Nonexistent flag") => usage(
            format!("this Salesforce CLI is too old for `sf org open --url-only --json --path` ({said})"),
            "update it: npm install --global @salesforce/cli@latest".into(),
        ),
        _ => SignInError {
            message: format!("the Salesforce CLI could not make a sign-in link for `{alias}`: {code}: {said}"),
            help: format!("try `sf org open --url-only -o {alias}` yourself; if the org refuses it, log in again with `{login}`"),
            refused: true,
        },
    }
}

/// The CLI's JSON answer: the first line that starts an object to the end. Before it the
/// CLI may print notices that are not JSON (the telemetry notice on a first run).
fn cli_json(stdout: &[u8]) -> Option<Value> {
    let text = String::from_utf8_lossy(stdout);
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with('{') {
            if let Ok(v) = serde_json::from_str::<Value>(&text[at..]) {
                return v.is_object().then_some(v);
            }
        }
        at += line.len();
    }
    None
}

fn last_line(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().map(str::trim).rfind(|l| !l.is_empty())?;
    Some(line.chars().take(300).collect())
}

struct Output {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

enum Ran {
    Missing,
    Failed(std::io::Error),
    TimedOut,
    /// A stop signal came while the CLI ran; it was ended.
    Stopped,
}

/// Runs the CLI with its output captured, killing it after [`CLI_TIMEOUT`].
fn run_bounded(program: &Path, args: &[&str]) -> Result<Output, Ran> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(program)
        .args(args)
        // A group of its own (the CLI is Node.js, which may start helpers): ending it ends
        // all of them, so a signal that stops setupwright leaves no CLI process behind.
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ran::Missing,
            _ => Ran::Failed(e),
        })?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let end_group = |child: &mut std::process::Child| {
        // SAFETY: kill(2) with a negative pid signals the CLI's own process group (it is
        // the group's leader, see process_group above); no memory is touched.
        unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
        let _ = child.wait();
    };
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() > CLI_TIMEOUT => {
                end_group(&mut child);
                return Err(Ran::TimedOut);
            }
            // setupwright was told to stop: the CLI goes first, then the run reports it.
            Ok(None) if crate::signals::received().is_some() => {
                end_group(&mut child);
                return Err(Ran::Stopped);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(Ran::Failed(e)),
        }
    };
    Ok(Output {
        code: status.code(),
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

pub fn from_env(instance_url: &str) -> Result<OrgSession, SignInError> {
    from_env_var(instance_url, TOKEN_ENV)
}

/// An instance URL with the access token in the named environment variable.
pub fn from_env_var(instance_url: &str, var: &str) -> Result<OrgSession, SignInError> {
    let token = std::env::var(var).map_err(|_| {
        usage(
            format!("signing in to {instance_url} needs the access token in the environment variable {var}"),
            format!("export {var} (from `sf org auth show-access-token --json`), or use --org ALIAS"),
        )
    })?;
    Ok(OrgSession {
        instance_url: instance_url.trim_end_matches('/').to_string(),
        credential: Credential::AccessToken(token),
        source: var.to_string(),
        username: None,
    })
}

/// Signs the browser in and says which page it landed on when that failed.
pub async fn open(session: &Session, org: &OrgSession) -> Result<(), String> {
    let url = org.sign_in_url()?;
    session
        .goto(&url)
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
    let again = match org.credential {
        Credential::SingleUseLink(_) => "log in again (sf org login web), then re-run",
        Credential::AccessToken(_) => {
            "refresh the token (sf org auth show-access-token) and try again"
        }
    };
    match classify(&landed) {
        PageKind::SessionLost => Err(format!("Salesforce answered the frontdoor sign-in with its login page (ec=302): the session from {} was refused or has expired; {again}", org.source)),
        PageKind::Maintenance => Err(format!("Salesforce shows its maintenance page ({}); try again after the maintenance window", landed.path())),
        PageKind::Normal if on_login_page => Err(format!("Salesforce shows a login page at {} after the frontdoor sign-in: the session from {} was not accepted; {again}", landed.path(), org.source)),
        PageKind::Normal => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_found_after_notices() {
        let out = b"You acknowledge and agree that the CLI tool may collect usage information.\n\n{\n  \"status\": 0,\n  \"result\": {\"url\": \"x\"}\n}\n";
        assert_eq!(cli_json(out).unwrap()["result"]["url"], "x");
        assert!(cli_json(b" >   Warning: org frobnicate is not a sf command.\n").is_none());
    }

    #[test]
    fn cli_errors_say_what_to_do() {
        let unknown = serde_json::json!({"name":"NamedOrgNotFoundError","message":"Parsing --target-org \n\tNo authorization information found for dev9.\nSee more help with --help","exitCode":2,"status":2});
        let e = cli_error("dev9", &unknown);
        assert!(!e.refused);
        assert!(e.message.contains("knows no org `dev9`"), "{e}");
        assert!(
            e.message
                .contains("No authorization information found for dev9."),
            "{e}"
        );
        assert!(!e.message.contains("See more help"), "{e}");
        assert!(e.help.contains("sf org login web --alias dev9"), "{e}");

        let expired = serde_json::json!({"name":"INVALID_SESSION_ID","message":"Session expired or invalid","data":{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"},"status":1});
        let e = cli_error("dev9", &expired);
        assert!(e.refused);
        assert!(e.message.contains("has expired or was revoked"), "{e}");

        let old = serde_json::json!({"name":"Error","message":"Nonexistent flag: --path\nSee more help with --help","status":2});
        assert!(cli_error("dev9", &old).message.contains("too old"));
    }

    #[test]
    fn a_link_and_its_code_are_secrets() {
        let s = OrgSession {
            instance_url: "https://x.my.salesforce.com".into(),
            credential: Credential::SingleUseLink(
                "https://x.my.salesforce.com/secur/frontdoor.jsp?otp=ABC123&startURL=%2F".into(),
            ),
            source: "t".into(),
            username: None,
        };
        assert_eq!(s.secrets()[1], "ABC123");
        assert!(!format!("{s:?}").contains("ABC123"));
    }
}
