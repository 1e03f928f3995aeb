//! `setupwright record`, driven as a person would: real element clicks and keys sent over
//! W3C WebDriver to the recorder's own browser session (named by its JSON log line), on
//! the simulator in both shadow modes: the seed article's first group, and the whole
//! article (the Consumer Key tab and the lookup window the pages open included). The
//! recorded runbook passes `check`, a run of it on a fresh simulated org makes what was
//! made by hand, and the whole article's, with the guards a person adds, changes nothing
//! when run again.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

/// A W3C WebDriver client of one session, over plain HTTP/1.1 (chromedriver takes
/// commands on a session from any client).
struct Wd {
    host: String,
    session: String,
}

impl Wd {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let path = format!("/session/{}{path}", self.session);
        let mut s = std::net::TcpStream::connect(&self.host).expect("reach chromedriver");
        // Never a test that hangs: a command unanswered in a minute fails it.
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.host,
            body.len()
        )
        .unwrap();
        // The answer's head, then as many bytes as it says (chromedriver may keep the
        // connection open after it).
        let mut r = BufReader::new(s);
        let mut head = String::new();
        let mut length = None;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            r.read_line(&mut line)
                .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
            let l = line.trim_end().to_ascii_lowercase();
            if let Some(n) = l.strip_prefix("content-length:") {
                length = n.trim().parse::<usize>().ok();
            }
            chunked |= l == "transfer-encoding: chunked";
            head.push_str(&line);
            if line.trim_end().is_empty() {
                break;
            }
        }
        let body = match (length, chunked) {
            (Some(n), _) => {
                let mut b = vec![0; n];
                r.read_exact(&mut b).unwrap();
                String::from_utf8_lossy(&b).to_string()
            }
            (None, true) => {
                let mut out = String::new();
                loop {
                    let mut size = String::new();
                    r.read_line(&mut size).unwrap();
                    let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    let mut b = vec![0; n + 2];
                    r.read_exact(&mut b).unwrap();
                    out.push_str(&String::from_utf8_lossy(&b[..n]));
                }
                out
            }
            (None, false) => {
                let mut rest = String::new();
                let _ = r.read_to_string(&mut rest);
                rest
            }
        };
        let v: Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{head}\n{body}"));
        if v["value"]["error"].is_string() {
            return json!({ "error": v["value"] });
        }
        v["value"].clone()
    }

    /// The element `script` returns (its WebDriver id), if it returned one.
    fn element_by_script(&self, script: &str, args: Value) -> Option<String> {
        let v = self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        );
        if v.get("error").is_some() {
            return None;
        }
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// The first element the selector selects inside the element marked by `host`
    /// (through shadow roots of both kinds), whose text is `text` when given; waits for
    /// it up to 15 s.
    fn pick(&self, host: &str, inner: &str, text: &str) -> String {
        const DEEP: &str = "const deep = (root, sel, text) => {
  for (const e of root.querySelectorAll(sel)) if (!text || (e.textContent || '').trim() === text) return e;
  for (const e of root.querySelectorAll('*')) if (e.shadowRoot) { const h = deep(e.shadowRoot, sel, text); if (h) return h; }
  return null;
};
const [host, inner, text] = arguments;
let at = host ? deep(document, host, '') : document;
if (!at) return null;
const el = deep(at.shadowRoot || at, inner, text) || (at.shadowRoot ? deep(at, inner, text) : null);
if (!el) return null;
const r = el.getBoundingClientRect();
return r.width > 0 && r.height > 0 ? el : null;";
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(id) = self.element_by_script(DEEP, json!([host, inner, text])) {
                return id;
            }
            assert!(
                Instant::now() < until,
                "no {inner} {text:?} in {host:?} on the page"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn click(&self, el: &str) {
        let v = self.call("POST", &format!("/element/{el}/click"), Some(json!({})));
        assert!(v.get("error").is_none(), "click: {v}");
    }

    fn keys(&self, el: &str, text: &str) {
        let v = self.call(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({ "text": text })),
        );
        assert!(v.get("error").is_none(), "keys: {v}");
    }
}

/// `setupwright record` running headless, with its JSON log line read: the WebDriver
/// session to drive.
fn start_recording(url: &str, out: &std::path::Path) -> (Child, Wd, Logged) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_setupwright"))
        .args([
            "--log-format",
            "json",
            "-vv",
            "record",
            "--headless",
            url,
            "-o",
        ])
        .arg(out)
        .env("SETUPWRIGHT_STATE_DIR", state_dir())
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start setupwright record");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let event = loop {
        let line = lines
            .next()
            .expect("record ended before saying its session")
            .unwrap();
        let v: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        if v["fields"]["event"] == "recording" {
            break v["fields"].clone();
        }
    };
    // The rest of stderr, kept flowing so the recorder never blocks on it, and kept.
    let logged = Logged::default();
    let keep = logged.clone();
    std::thread::spawn(move || {
        for l in lines.map_while(Result::ok) {
            if let Ok(mut k) = keep.0.lock() {
                k.push_str(&l);
                k.push('\n');
            }
        }
    });
    let host = event["webdriver_url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let session = event["session_id"].as_str().unwrap().to_string();
    (child, Wd { host, session }, logged)
}

/// What a recording logged on stderr.
#[derive(Clone, Default)]
struct Logged(std::sync::Arc<std::sync::Mutex<String>>);

impl Logged {
    fn text(&self) -> String {
        self.0.lock().map(|t| t.clone()).unwrap_or_default()
    }
}

/// Stops the recording as a person does, with Ctrl-C, and waits for it to write.
fn stop(mut child: Child) -> (i32, String) {
    // SAFETY: kill(2) with the pid of our own child and a plain signal number.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            if let Some(mut o) = child.stdout.take() {
                let _ = o.read_to_string(&mut out);
            }
            return (status.code().unwrap_or(-1), out);
        }
        assert!(Instant::now() < until, "record did not end after SIGINT");
        std::thread::sleep(Duration::from_millis(100));
    }
}

const APP: &str = "Recorded Login Integration";
const SCOPE: &str = "Full access (full)";
const REFRESH: &str = "Perform requests at any time (refresh_token, offline_access)";

/// The seed article's first group, done by hand: sign in, Quick Find to the External
/// Client App Manager, a new app with its name, Tab, contact email, distribution state,
/// OAuth, callback URL and a scope, then Create.
fn do_the_first_group(wd: &Wd, h: &SimHandle, whole: bool) {
    // The whole article's app: the Named Credential's OAuth flow asks for a refresh
    // token, without PKCE.
    let scopes: &[&str] = if whole { &[SCOPE, REFRESH] } else { &[SCOPE] };
    let user = wd.pick("", "input#username", "");
    wd.keys(&user, &h.cfg.username);
    let pass = wd.pick("", "input#password", "");
    wd.keys(&pass, &h.cfg.password);
    wd.click(&wd.pick("", "#Login", ""));
    let find = wd.pick("", "[class*=onesetupSetupNavTree] input[type=search]", "");
    wd.click(&find);
    wd.keys(&find, "External Client Apps");
    wd.click(&wd.pick("", "a", "External Client App Manager"));
    wd.click(&wd.pick("", "button", "New External Client App"));
    let name = wd.pick("[data-f=name]", "input", "");
    wd.keys(&name, APP);
    // Tab: the page fills the API Name itself.
    wd.keys(&name, "\u{E004}");
    let email = wd.pick("[data-f=contact_email]", "input", "");
    wd.keys(&email, &h.cfg.username);
    wd.click(&wd.pick("[data-f=distribution_state]", "[role=combobox]", ""));
    wd.click(&wd.pick(
        "[data-f=distribution_state]",
        "[role=option][data-value=Local]",
        "",
    ));
    wd.click(&wd.pick("[data-f=oauth_enabled]", "label", ""));
    let callback = wd.pick("[data-f=callback_url]", "textarea", "");
    wd.keys(&callback, &format!("{}/", h.sim.classic_url));
    for scope in scopes {
        wd.click(&wd.pick(
            "[data-f=scopes]",
            &format!("[role=option][data-value='{scope}']"),
            "",
        ));
        wd.click(&wd.pick(
            "[data-f=scopes]",
            "button[title='Move selection to Selected OAuth Scopes']",
            "",
        ));
    }
    wd.click(&wd.pick("[data-f=introspect_all_tokens]", "label", ""));
    wd.click(&wd.pick(
        "[data-flow=authorization_code_and_credentials]",
        "label",
        "",
    ));
    if whole {
        wd.click(&wd.pick("[data-sec=require_pkce]", "label", ""));
    }
    wd.click(&wd.pick("", "button", "Create"));
}

/// The start of the second group: the new app's Settings tab.
fn open_the_settings(wd: &Wd) {
    wd.click(&wd.pick("", "[role=tab]", "Settings"));
    wd.pick("", "button", "Consumer Key and Secret");
}

/// One browser test at a time: the machine's two cores are shared.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn records_and_replays(shadow: setupwright_sim::Shadow) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let started = Instant::now();
    let h = start_sim_in(None, shadow);
    let dir = tmp_artifacts();
    let file = dir.join("recorded.yaml");
    let home = format!("{}/lightning/setup/SetupOneHome/home", h.sim.classic_url);
    let (child, wd, logged) = start_recording(&home, &file);
    do_the_first_group(&wd, &h, false);
    open_the_settings(&wd);
    let (code, stdout) = stop(child);
    assert_eq!(code, 0, "record: {stdout}");
    // Its logs, even at -vv, hold nothing typed: not the password, not a value.
    let log = logged.text();
    assert!(log.contains("recorded a step"), "{log}");
    for typed in [h.cfg.password.as_str(), APP, h.cfg.username.as_str()] {
        assert!(!log.contains(typed), "the log holds {typed:?}:\n{log}");
    }
    let text = std::fs::read_to_string(&file).expect("record wrote the runbook");
    eprintln!(
        "recorded ({shadow:?} shadow) in {:?}:\n{text}",
        started.elapsed()
    );
    assert!(
        !text.contains(&h.cfg.password),
        "the password was written:\n{text}"
    );
    for want in [
        "goto: \"${my_domain_url}/lightning/setup/SetupOneHome/home\"",
        "fill: { field: Password, with: \"${password}\" }",
        "password: { secret: true",
        "setup: { section: External Client Apps, page: External Client App Manager }",
        "click: { button: New External Client App }",
        &format!("fill: {{ field: External Client App Name, with: {APP} }}"),
        "press: Tab",
        "select: { field: Distribution State, option: Local }",
        "check: Enable OAuth",
        "fill: { field: Callback URL, with: \"${my_domain_url}/\" }",
        &format!("choose: {{ field: OAuth Scopes, add: [ {SCOPE} ] }}"),
        "uncheck: Introspect all Tokens",
        "check: Enable Authorization Code and Credentials Flow",
        "click: { button: Create }",
        "click: { tab: Settings }",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }
    // The API Name the page filled itself is not typed by the runbook.
    assert!(!text.contains("field: API Name"), "{text}");

    let checked = setupwright(&["check", file.to_str().unwrap()], &[]);
    assert_eq!(checked.code, 0, "{}\n{}", checked.stdout, checked.stderr);

    // A fresh org: the recording replays green and leaves the app it made.
    let fresh = start_sim_in(None, shadow);
    let artifacts = tmp_artifacts();
    let run = Run::new(file.to_str().unwrap())
        .input("my_domain_url", &fresh.sim.classic_url)
        .artifacts(&artifacts)
        .arg("--no-screenshots")
        .env("SETUPWRIGHT_PASSWORD", &fresh.cfg.password)
        .output();
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let state = fresh.sim.state();
    let apps = state["external_client_apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1, "{apps:#?}");
    let app = &apps[0];
    assert_eq!(app["name"], APP);
    assert_eq!(app["api_name"], "Recorded_Login_Integration");
    assert_eq!(app["contact_email"], fresh.cfg.username.as_str());
    assert_eq!(app["distribution_state"], "Local");
    assert_eq!(app["oauth_enabled"], true);
    assert_eq!(app["scopes"], json!([SCOPE]));
    assert_eq!(app["introspect_all_tokens"], false);
    assert_eq!(app["flows"]["authorization_code_and_credentials"], true);
    assert_eq!(app["flows"]["client_credentials"], false);
    assert_eq!(
        app["callback_url"],
        format!("{}/", fresh.sim.classic_url).as_str()
    );
    eprintln!(
        "{shadow:?} shadow: recorded and replayed in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_recording_of_the_first_group_replays_on_a_fresh_org_synthetic_shadow() {
    records_and_replays(setupwright_sim::Shadow::Synthetic);
}

#[test]
fn a_recording_of_the_first_group_replays_on_a_fresh_org_native_shadow() {
    records_and_replays(setupwright_sim::Shadow::Native);
}

/// A recording's errors: an address that is not http(s) (no browser started), and a
/// browser closed before anything was recorded (nothing written, said so).
#[test]
fn a_bad_address_or_a_browser_closed_at_once_says_what_to_do() {
    let bad = setupwright(
        &["record", "ftp://acme.example.com/setup", "--headless"],
        &[],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("is not an http(s) one")
            && bad.stderr.contains("setupwright record https://"),
        "{}",
        bad.stderr
    );

    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let fx = serve();
    let dir = tmp_artifacts();
    let file = dir.join("never.yaml");
    let (mut child, wd, logged) =
        start_recording(&format!("{}/engine/author.html", fx.base), &file);
    wd.call("DELETE", "/window", None);
    let until = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < until,
            "record went on after its browser closed"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        status.code(),
        Some(6),
        "{}",
        std::fs::read_to_string(&file).unwrap_or_default()
    );
    assert!(!file.exists(), "a runbook was written");
    std::thread::sleep(Duration::from_millis(200));
    let log = logged.text();
    assert!(
        log.contains("the browser closed before anything was recorded")
            && log.contains("run `setupwright record"),
        "{log}"
    );
}

/// A classic page in the Setup frame (another origin): the recorder runs in the frame's
/// document too. The Auth. Provider of the seed's Step 2, made by hand: its type picked
/// with the keyboard, its name (Tab fills the URL Suffix), key and secret, Save.
#[test]
fn a_recording_in_a_classic_frame_replays_on_a_fresh_org() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let h = start_sim_in(None, setupwright_sim::Shadow::Synthetic);
    let dir = tmp_artifacts();
    let file = dir.join("recorded.yaml");
    let home = format!("{}/lightning/setup/SetupOneHome/home", h.sim.classic_url);
    let (child, wd, _) = start_recording(&home, &file);
    wd.keys(&wd.pick("", "input#username", ""), &h.cfg.username);
    wd.keys(&wd.pick("", "input#password", ""), &h.cfg.password);
    wd.click(&wd.pick("", "#Login", ""));
    let find = wd.pick("", "[class*=onesetupSetupNavTree] input[type=search]", "");
    wd.click(&find);
    wd.keys(&find, "Auth. Providers");
    wd.click(&wd.pick("", "a", "Auth. Providers"));
    // Into the Setup frame, afresh after each of its navigations.
    let framed = |sel: &str, text: &str| -> String {
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            wd.call("POST", "/frame", Some(json!({ "id": null })));
            let frame = wd.pick("", "iframe", "");
            wd.call(
                "POST",
                "/frame",
                Some(json!({ "id": { "element-6066-11e4-a52e-4f735466cecf": frame } })),
            );
            const ONE: &str = "const [sel, text] = arguments; for (const e of document.querySelectorAll(sel)) if (!text || e.textContent.trim() === text) return e; return null;";
            if let Some(id) = wd.element_by_script(ONE, json!([sel, text])) {
                return id;
            }
            assert!(
                Instant::now() < until,
                "no {sel} {text:?} in the Setup frame"
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    };
    wd.click(&framed("input[name=new]", ""));
    // The type by keys on the picklist: its change reloads the form.
    wd.keys(&framed("select#ProviderType", ""), "Salesforce");
    let name = framed("input#Name", "");
    wd.keys(&name, "Recorded Provider");
    wd.keys(&name, "\u{E004}");
    wd.keys(&framed("input#ConsumerKey", ""), "KEY-1");
    wd.keys(&framed("input#ConsumerSecret", ""), "SECRET-1");
    wd.click(&framed("#topButtonRow input[name=save]", ""));
    framed("h2", "Recorded Provider");
    // A step on the page Save leads to: a replay waits for it, so the Save is done when
    // the run ends (a recording that ends on a click needs an `expect` after it).
    wd.click(&framed("input[name=edit]", ""));
    std::thread::sleep(Duration::from_millis(1000));
    let (code, stdout) = stop(child);
    assert_eq!(code, 0, "record: {stdout}");
    let text = std::fs::read_to_string(&file).expect("record wrote the runbook");
    eprintln!("recorded in a frame:\n{text}");
    for want in [
        "setup: { section: Identity, page: Auth. Providers }",
        "select: { field: Provider Type, option: Salesforce }",
        "fill: { field: Name, with: Recorded Provider }",
        "press: Tab",
        "fill: { field: Consumer Key, with: KEY-1 }",
        "click: { button: Edit }",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }
    assert!(!text.contains("field: URL Suffix"), "{text}");
    // A field named as a secret is one, though it is no password field: its value is not
    // written, and the runbook asks for it.
    assert!(
        text.contains("fill: { field: Consumer Secret, with: \"${consumer_secret}\" }")
            && text.contains("consumer_secret: { secret: true"),
        "{text}"
    );
    assert!(!text.contains("SECRET-1"), "{text}");
    let fresh = start_sim_in(None, setupwright_sim::Shadow::Synthetic);
    let artifacts = tmp_artifacts();
    let run = Run::new(file.to_str().unwrap())
        .input("my_domain_url", &fresh.sim.classic_url)
        .artifacts(&artifacts)
        .arg("--no-screenshots")
        .env("SETUPWRIGHT_PASSWORD", &fresh.cfg.password)
        .env(
            "SETUPWRIGHT_CONSUMER_SECRET",
            "a-long-enough-consumer-secret",
        )
        .output();
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let state = fresh.sim.state();
    let providers = state["auth_providers"].as_array().unwrap();
    assert_eq!(providers.len(), 1, "{providers:#?}\n{}", run.stdout);
    assert_eq!(providers[0]["name"], "Recorded Provider");
    assert_eq!(providers[0]["provider_type"], "Salesforce");
    assert_eq!(providers[0]["url_suffix"], "Recorded_Provider");
    assert_eq!(providers[0]["consumer_key"], "KEY-1");
    assert_eq!(
        providers[0]["consumer_secret"],
        "a-long-enough-consumer-secret"
    );
}

/// Closing the browser after a step writes the runbook (exit 0), and a page cannot forge
/// a step: its own script's click (an untrusted event) and a message said on its own
/// console in the recorder's words are not recorded; a person's click is.
#[test]
fn closing_the_browser_writes_what_a_person_did_and_nothing_a_page_forged() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let fx = serve();
    let dir = tmp_artifacts();
    let file = dir.join("closed.yaml");
    let (mut child, wd, _) = start_recording(&format!("{}/engine/author.html", fx.base), &file);
    let forge = r#"document.querySelector('[data-case=save-page]').click();
console.debug('setupwright-recorder', JSON.stringify({ action: 'click', locator: { kind: 'button', value: 'Forged' } }));
return true;"#;
    let v = wd.call(
        "POST",
        "/execute/sync",
        Some(json!({ "script": forge, "args": [] })),
    );
    assert_eq!(v, json!(true), "{v}");
    wd.click(&wd.pick("[data-case=dialog]", "button", "Save"));
    std::thread::sleep(Duration::from_millis(500));
    wd.call("DELETE", "/window", None);
    let until = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < until,
            "record went on after its browser closed"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0));
    let text = std::fs::read_to_string(&file).expect("the runbook was written");
    assert!(
        text.contains("- click: { button: Save, in_dialog: true }"),
        "{text}"
    );
    assert!(
        !text.contains("Forged") && text.matches("click:").count() == 1,
        "{text}"
    );
}

/// Finds an element in the current window: in its top document (through open shadow
/// roots) or in one of its frames, and leaves the session in the document where it is.
/// `row`: the element must be in a table row holding that text. Waits up to 20 s.
impl Wd {
    fn find(&self, sel: &str, text: &str, row: &str) -> String {
        const ANY: &str = "const [sel, text, row] = arguments;
const said = (e) => (e.textContent || '').trim() || (e.value || '').trim();
const deep = (root) => {
  for (const e of root.querySelectorAll(sel)) {
    if (text && said(e) !== text) continue;
    if (row) { const tr = e.closest('tr'); if (!tr || !tr.textContent.includes(row)) continue; }
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) return e;
  }
  for (const e of root.querySelectorAll('*')) if (e.shadowRoot) { const h = deep(e.shadowRoot); if (h) return h; }
  return null;
};
return deep(document);";
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            self.call("POST", "/frame", Some(json!({ "id": null })));
            if let Some(id) = self.element_by_script(ANY, json!([sel, text, row])) {
                return id;
            }
            // Frames in shadow roots too (a native root holds the Setup frame).
            const FRAMES: &str = "const out = []; const deep = (root) => { for (const e of root.querySelectorAll('iframe, frame')) out.push(e); for (const e of root.querySelectorAll('*')) if (e.shadowRoot) deep(e.shadowRoot); }; deep(document); return out;";
            let frames = self.call(
                "POST",
                "/execute/sync",
                Some(json!({ "script": FRAMES, "args": [] })),
            );
            for frame in frames.as_array().into_iter().flatten() {
                self.call("POST", "/frame", Some(json!({ "id": null })));
                let v = self.call("POST", "/frame", Some(json!({ "id": frame })));
                if v.get("error").is_some() {
                    continue;
                }
                if let Some(id) = self.element_by_script(ANY, json!([sel, text, row])) {
                    return id;
                }
            }
            if Instant::now() > until {
                self.call("POST", "/frame", Some(json!({ "id": null })));
                let url = self.call("GET", "/url", None);
                let frames = self.call("POST", "/execute/sync", Some(json!({ "script": "return [...document.querySelectorAll('iframe, frame')].map(f => f.src + ' ' + f.getBoundingClientRect().width)", "args": [] })));
                let shot = self.call("GET", "/screenshot", None);
                if let Some(b) = shot.as_str() {
                    use base64::Engine;
                    if let Ok(png) = base64::engine::general_purpose::STANDARD.decode(b) {
                        let _ = std::fs::write(std::env::temp_dir().join("record-lost.png"), png);
                    }
                }
                panic!("no {sel} {text:?} (row {row:?}) in the window at {url} or its frames {frames} (a screenshot: record-lost.png in the temp folder)");
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// `pick`, then a click on what it found, again when the page replaced it between
    /// the two (a list drawn anew as it loads).
    fn tap(&self, host: &str, inner: &str, text: &str) {
        for _ in 0..5 {
            let el = self.pick(host, inner, text);
            let v = self.call("POST", &format!("/element/{el}/click"), Some(json!({})));
            if v.get("error").is_none() {
                return;
            }
            // chromedriver's click cannot read some elements a synthetic shadow root
            // holds (a datatable's link): the same trusted click, at the element's middle.
            let at = self.call(
                "POST",
                "/execute/sync",
                Some(json!({ "script": "const r = arguments[0].getBoundingClientRect(); return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)]", "args": [{ "element-6066-11e4-a52e-4f735466cecf": el }] })),
            );
            if let (Some(x), Some(y)) = (at[0].as_i64(), at[1].as_i64()) {
                let v = self.call(
                    "POST",
                    "/actions",
                    Some(json!({ "actions": [{ "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" }, "actions": [
                        { "type": "pointerMove", "x": x, "y": y, "origin": "viewport" },
                        { "type": "pointerDown", "button": 0 },
                        { "type": "pointerUp", "button": 0 }
                    ] }] })),
                );
                if v.get("error").is_none() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        panic!("could not click {inner} {text:?}");
    }

    fn handle(&self) -> String {
        self.call("GET", "/window", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Switches to the window the page opened besides `main`, once it is there.
    fn to_new_window(&self, main: &str) {
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            let all = self.call("GET", "/window/handles", None);
            let new = all
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find(|h| *h != main)
                .map(str::to_string);
            if let Some(h) = new {
                self.call("POST", "/window", Some(json!({ "handle": h })));
                return;
            }
            assert!(Instant::now() < until, "no new window opened");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn to_window(&self, handle: &str) {
        let v = self.call("POST", "/window", Some(json!({ "handle": handle })));
        assert!(v.get("error").is_none(), "switch to window: {v}");
    }

    /// Quick Find: what a person types into the Setup tree's box, then the page's link.
    fn quick_find(&self, typed: &str, page: &str) {
        self.call("POST", "/frame", Some(json!({ "id": null })));
        let find = self.pick("", "[class*=onesetupSetupNavTree] input[type=search]", "");
        self.click(&find);
        // Ctrl-A first: the box may hold what was typed before.
        self.keys(&find, &format!("\u{E009}a\u{E000}{typed}"));
        self.click(&self.pick("", "a", page));
    }
}

const PROVIDER: &str = "Recorded Provider";
const CREDENTIAL: &str = "Recorded Named Credential";

/// The rest of the seed article after the app's Settings tab, done by hand: the Consumer
/// Key window (the code, Verify, both values copied with their Copy buttons, the tab
/// closed), the Auth. Provider with them pasted, the provider's Callback URL into the
/// app, the legacy Named Credential with its provider picked in the lookup window and its
/// OAuth sign-in and Allow, and the AdvoLogix configuration record.
fn do_the_rest_of_the_article(wd: &Wd, h: &SimHandle) {
    let main = wd.handle();
    wd.tap("", "button", "Consumer Key and Secret");
    wd.to_new_window(&main);
    wd.keys(
        &wd.pick("[data-f=code]", "input", ""),
        &h.cfg.verification_code,
    );
    wd.tap("", "button", "Verify");
    wd.tap("", "button[title='Copy Consumer Key']", "");
    wd.tap("", "button[title='Copy Consumer Secret']", "");
    // What the person copied is what the page shows: the org's.
    let state = h.sim.state();
    let app = &state["external_client_apps"][0];
    let key = app["consumer_key"].as_str().unwrap().to_string();
    let secret = app["consumer_secret"].as_str().unwrap().to_string();
    wd.call("DELETE", "/window", None);
    wd.to_window(&main);

    // Step 2: the Auth. Provider, the copied values pasted.
    wd.quick_find("Auth. Providers", "Auth. Providers");
    wd.click(&wd.find("input[name=new]", "", ""));
    wd.keys(&wd.find("select#ProviderType", "", ""), "Salesforce");
    let name = wd.find("input#Name", "", "");
    wd.keys(&name, PROVIDER);
    wd.keys(&name, "\u{E004}");
    wd.keys(&wd.find("input#ConsumerKey", "", ""), &key);
    wd.keys(&wd.find("input#ConsumerSecret", "", ""), &secret);
    wd.click(&wd.find("input#UsePkce", "", ""));
    wd.keys(
        &wd.find("input#DefaultScopes", "", ""),
        "refresh_token full",
    );
    wd.click(&wd.find("#topButtonRow input[name=save]", "", ""));
    wd.find("h2", PROVIDER, "");
    let state = h.sim.state();
    let callback = state["auth_providers"][0]["callback_url"]
        .as_str()
        .unwrap()
        .to_string();

    // Step 2: the provider's Callback URL into the app.
    wd.quick_find("External Client Apps", "External Client App Manager");
    wd.tap("", "a", APP);
    wd.tap("", "[role=tab]", "Settings");
    wd.tap("", "button", "Edit");
    let field = wd.pick("[data-f=callback_url]", "textarea", "");
    wd.keys(&field, &format!("\u{E009}a\u{E000}{callback}"));
    wd.tap("", "button", "Save");
    wd.pick("", "button", "Edit");

    // Step 3: the legacy Named Credential.
    wd.quick_find("Named Credentials", "Named Credentials");
    wd.tap("", "button", "Show menu");
    wd.tap("", "[role=menuitem]", "New Legacy");
    let label = wd.find("input#MasterLabel", "", "");
    wd.keys(&label, CREDENTIAL);
    wd.keys(&label, "\u{E004}");
    wd.keys(
        &wd.find("input#Endpoint", "", ""),
        &format!("{}/", h.sim.classic_url),
    );
    wd.keys(&wd.find("select#PrincipalType", "", ""), "Named Principal");
    wd.keys(&wd.find("select#Protocol", "", ""), "OAuth 2.0");
    let form = wd.handle();
    wd.click(&wd.find("a#AuthProvider_lkwgt", "", ""));
    wd.to_new_window(&form);
    wd.keys(&wd.find("input#lksrch", "", ""), PROVIDER);
    wd.click(&wd.find("input[name=go]", "", ""));
    // The pick closes the lookup window.
    wd.click(&wd.find("a", PROVIDER, ""));
    wd.to_window(&form);
    wd.keys(&wd.find("input#Scope", "", ""), "refresh_token full");
    wd.click(&wd.find("input#StartAuthFlow", "", ""));
    wd.click(&wd.find("input#AllowMergeHeader", "", ""));
    wd.click(&wd.find("#topButtonRow input[name=save]", "", ""));
    // Salesforce asks to sign in again, then to allow access.
    wd.keys(&wd.find("input#username", "", ""), &h.cfg.username);
    wd.keys(&wd.find("input#password", "", ""), &h.cfg.password);
    wd.click(&wd.find("#Login", "", ""));
    wd.click(&wd.find("input#oaapprove", "", ""));
    let state = h.sim.state();
    let nc_name = state["named_credentials"][0]["name"]
        .as_str()
        .unwrap()
        .to_string();

    // Step 4: the AdvoLogix Global Configuration record names the credential.
    wd.quick_find("Custom Metadata Types", "Custom Metadata Types");
    wd.click(&wd.find("a", "Manage Records", "AdvoLogix Global Configurations"));
    wd.click(&wd.find("a", "Edit", "My Org Named Credential"));
    wd.keys(
        &wd.find("input#Named_Credential_API_Name__c", "", ""),
        &nc_name,
    );
    wd.click(&wd.find("#topButtonRow input[name=save]", "", ""));
    wd.find("td", &nc_name, "");
    // A person looks at what they saved before they stop: the Save's step comes from a
    // page that is going away, and takes a moment.
    std::thread::sleep(Duration::from_millis(1000));
}

/// Puts `guard` (lines of YAML, indented as a group's keys) into the `nth` group titled
/// `title` of a recorded runbook, as a person does after recording.
fn guard(text: &str, title: &str, nth: usize, guard: &str) -> String {
    let head = format!("- group: {title}\n");
    let at = text
        .match_indices(&head)
        .nth(nth)
        .unwrap_or_else(|| panic!("no group {title:?} #{nth} in:\n{text}"))
        .0
        + head.len();
    format!("{}{guard}{}", &text[..at], &text[at..])
}

fn records_the_whole_article(shadow: setupwright_sim::Shadow) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let started = Instant::now();
    let h = start_sim_in(None, shadow);
    let dir = tmp_artifacts();
    let file = dir.join("recorded.yaml");
    let home = format!("{}/lightning/setup/SetupOneHome/home", h.sim.classic_url);
    let (child, wd, _) = start_recording(&home, &file);
    do_the_first_group(&wd, &h, true);
    open_the_settings(&wd);
    do_the_rest_of_the_article(&wd, &h);
    let (code, stdout) = stop(child);
    assert_eq!(code, 0, "record: {stdout}");
    let text = std::fs::read_to_string(&file).expect("record wrote the runbook");
    eprintln!(
        "recorded the article ({shadow:?} shadow) in {:?}:\n{text}",
        started.elapsed()
    );
    for want in [
        // The Consumer Key window: switched to, the code a secret, both values captured.
        "- window: new\n      - fill: { field: Verification Code, with: \"${verification_code}\" }\n      - click: { button: Verify }\n      - capture: { consumer_key: { field: Consumer Key } }\n      - capture: { consumer_secret: { field: Consumer Secret }, secret: true }\n      - window: main",
        // Pasted where the provider asks for them.
        "fill: { field: Consumer Key, with: \"${consumer_key}\" }",
        "fill: { field: Consumer Secret, with: \"${consumer_secret}\" }",
        "uncheck: Use Proof Key for Code Exchange (PKCE) Extension",
        "field: Callback URL\n          with: \"${my_domain_url}/services/authcallback/Recorded_Provider\"",
        "click: { menuitem: New Legacy }",
        // The lookup window: its search frame and its results, then back.
        "click: { link: Authentication Provider Lookup (New Window) }\n      - window: new\n      - fill: { field: Search, with: Recorded Provider }\n      - click: { button: \"Go!\" }\n      - click: { link: Recorded Provider }\n      - window: main",
        "check: Start Authentication Flow on Save",
        "click: { button: Allow }",
        "setup: { section: Custom Code, page: Custom Metadata Types }",
        "click: { link: Manage Records }",
        "click: { link: Edit }",
        "fill: { field: Named Credential API Name, with: Recorded_Named_Credential }",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }
    let secret = h.sim.state()["external_client_apps"][0]["consumer_secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !text.contains(&secret) && !text.contains(&h.cfg.verification_code),
        "a secret was written:\n{text}"
    );
    assert!(!text.contains("consumer_secret: { secret: true"), "{text}");

    // What a person adds by hand (docs/record.md): an `expect` after the last Save, so
    // the run waits for it.
    let text = format!(
        "{}      - expect: {{ field: Named Credential API Name, value: Recorded_Named_Credential }}\n",
        text
    );
    std::fs::write(&file, &text).unwrap();
    let checked = setupwright(&["check", file.to_str().unwrap()], &[]);
    assert_eq!(checked.code, 0, "{}\n{}", checked.stdout, checked.stderr);

    let fresh = start_sim_in(None, shadow);
    let artifacts = tmp_artifacts();
    let replay = |file: &std::path::Path| {
        Run::new(file.to_str().unwrap())
            .input("my_domain_url", &fresh.sim.classic_url)
            .artifacts(&artifacts)
            .arg("--no-screenshots")
            .env("SETUPWRIGHT_PASSWORD", &fresh.cfg.password)
            .env(
                "SETUPWRIGHT_VERIFICATION_CODE",
                &fresh.cfg.verification_code,
            )
            .output()
    };
    let replayed = Instant::now();
    let run = replay(&file);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    eprintln!("replayed in {:?}", replayed.elapsed());
    let s = fresh.sim.state();
    let one = |key: &str| {
        let all = s[key].as_array().unwrap();
        assert_eq!(all.len(), 1, "{key}: {all:#?}");
        all[0].clone()
    };
    let (app, provider, nc) = (
        one("external_client_apps"),
        one("auth_providers"),
        one("named_credentials"),
    );
    assert_eq!(app["name"], APP);
    assert_eq!(provider["name"], PROVIDER);
    assert_eq!(provider["provider_type"], "Salesforce");
    // This org's key and secret, read in its own verification window.
    assert_eq!(provider["consumer_key"], app["consumer_key"]);
    assert_eq!(provider["consumer_secret"], app["consumer_secret"]);
    assert_eq!(provider["use_pkce"], false);
    assert_eq!(provider["default_scopes"], "refresh_token full");
    assert_eq!(app["callback_url"], provider["callback_url"]);
    assert_eq!(nc["label"], CREDENTIAL);
    assert_eq!(nc["identity_type"], "Named Principal");
    assert_eq!(nc["protocol"], "OAuth 2.0");
    assert_eq!(nc["auth_provider_id"], provider["id"]);
    assert_eq!(nc["scope"], "refresh_token full");
    assert_eq!(
        nc["auth_status"],
        format!("Authenticated as {}", fresh.cfg.username)
    );
    let record = &s["custom_metadata_types"][0]["records"][0];
    assert_eq!(record["values"]["Named_Credential_API_Name__c"], nc["name"]);

    // The guards a person adds (docs/record.md), one per group whose work is done once.
    let at = |page: &str| format!("      at: [ {{ setup: {{ {page} }} }} ]\n");
    let eca = "section: External Client Apps, page: External Client App Manager";
    let mut guarded = guard(
        &text,
        "External Client App Manager",
        0,
        &format!("    skip_if:\n      exists: {{ link: {APP} }}\n{}", at(eca)),
    );
    guarded = guard(
        &guarded,
        "Auth. Providers",
        0,
        &format!(
            "    skip_if:\n      exists: {{ link: {PROVIDER} }}\n{}",
            at("section: Identity, page: Auth. Providers")
        ),
    );
    guarded = guard(
        &guarded,
        "External Client App Manager",
        1,
        &format!(
            "    skip_if:\n      exists: {{ text: \"${{my_domain_url}}/services/authcallback/Recorded_Provider\", exact: true }}\n      at:\n        - setup: {{ {eca} }}\n        - click: {{ link: {APP} }}\n        - click: {{ tab: Settings }}\n"
        ),
    );
    guarded = guard(
        &guarded,
        "Named Credentials",
        0,
        &format!(
            "    skip_if:\n      exists: {{ link: {CREDENTIAL} }}\n{}",
            at("section: Security, page: Named Credentials")
        ),
    );
    guarded = guard(
        &guarded,
        "Custom Metadata Types",
        0,
        "    skip_if:\n      exists: { text: Recorded_Named_Credential, in_row: My Org Named Credential }\n      at:\n        - setup: { section: Custom Code, page: Custom Metadata Types }\n        - click: { link: Manage Records, in_row: AdvoLogix Global Configurations }\n",
    );
    let guarded_file = dir.join("guarded.yaml");
    std::fs::write(&guarded_file, &guarded).unwrap();
    let before = fresh.sim.state();
    let again = replay(&guarded_file);
    assert_eq!(
        again.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        again.stdout, again.stderr
    );
    assert_eq!(fresh.sim.state(), before, "the second run changed the org");
    let report = report(&run_dir(&again.stdout));
    let skipped: Vec<&str> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "group" && s["status"] == "skipped")
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert_eq!(
        skipped,
        [
            "External Client App Manager",
            "Auth. Providers",
            "External Client App Manager",
            "Named Credentials",
            "Custom Metadata Types"
        ],
        "{}",
        again.stdout
    );
    eprintln!(
        "{shadow:?} shadow: the article recorded, replayed and replayed again in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_recording_of_the_whole_article_replays_and_then_changes_nothing_synthetic_shadow() {
    records_the_whole_article(setupwright_sim::Shadow::Synthetic);
}

#[test]
fn a_recording_of_the_whole_article_replays_and_then_changes_nothing_native_shadow() {
    records_the_whole_article(setupwright_sim::Shadow::Native);
}
