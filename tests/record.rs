//! `setupwright record`, driven as a person would: real element clicks and keys sent over
//! W3C WebDriver to the recorder's own browser session (named by its JSON log line),
//! through the seed article's first group on the simulator, in both shadow modes. The
//! recorded runbook passes `check`, and a run of it on a fresh simulated org creates the
//! app with the values typed.

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

/// The seed article's first group, done by hand: sign in, Quick Find to the External
/// Client App Manager, a new app with its name, Tab, contact email, distribution state,
/// OAuth, callback URL and a scope, then Create.
fn do_the_first_group(wd: &Wd, h: &SimHandle) {
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
    wd.click(&wd.pick(
        "[data-f=scopes]",
        &format!("[role=option][data-value='{SCOPE}']"),
        "",
    ));
    wd.click(&wd.pick(
        "[data-f=scopes]",
        "button[title='Move selection to Selected OAuth Scopes']",
        "",
    ));
    wd.click(&wd.pick("[data-f=introspect_all_tokens]", "label", ""));
    wd.click(&wd.pick(
        "[data-flow=authorization_code_and_credentials]",
        "label",
        "",
    ));
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
    do_the_first_group(&wd, &h);
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
