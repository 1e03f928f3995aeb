//! The WebDriver session: a chromedriver we spawn (or a remote URL such as a Selenium
//! Grid), the capabilities that make headless Chromium quiet on a closed network, and a
//! thin wrapper that counts commands so the benchmark can report round trips per step.

mod bidi;
mod bidi_value;
mod budget;
mod chromedriver;
mod context;
pub mod dialogs;
mod error;
mod profile;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::error::{CmdError, ErrorStatus, WebDriver};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

pub use bidi::Bidi;
use budget::Budget;
pub use budget::{no_answer, GRACE, ROUND_TRIP_CAP};
pub use chromedriver::ChromeDriver;
use context::{Hop, Where};
use error::elsewhere_hint;
pub use error::DriverError;

/// The key WebDriver uses to mark an element reference in JSON.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug, Clone)]
pub struct BrowserOptions {
    /// A running WebDriver endpoint (chromedriver or Selenium Grid); spawn one when None.
    pub webdriver_url: Option<String>,
    pub chromedriver: PathBuf,
    pub chromium: Option<PathBuf>,
    pub headed: bool,
    pub window: (u32, u32),
    /// The process group of the chromedriver at `webdriver_url` when this process spawned
    /// it (many sessions sharing one): its Chromium runs here, with a profile of ours.
    pub local_driver: Option<u32>,
    /// Where Chromium writes its own debug log (`--chrome-log FILE`); none by default, as
    /// it holds the pages' console output.
    pub chrome_log: Option<PathBuf>,
    /// Screenshots through Chromium's own capture with its fast PNG encoding (see
    /// `Session::screenshot`); false: WebDriver Take Screenshot.
    pub fast_screenshots: bool,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists());
        BrowserOptions {
            webdriver_url: None,
            chromedriver: PathBuf::from("chromedriver"),
            chromium,
            headed: false,
            window: (1366, 900),
            local_driver: None,
            chrome_log: None,
            fast_screenshots: true,
        }
    }
}

/// One browser session. Dropping it ends the chromedriver we spawned.
pub struct Browser {
    pub client: Client,
    bidi: Arc<Bidi>,
    commands: Arc<AtomicU64>,
    trips: Arc<Trips>,
    fast_shots: Arc<AtomicBool>,
    bound: Arc<Mutex<Option<Deadline>>>,
    stalled: Arc<AtomicBool>,
    /// The WebDriver endpoint the session lives at (a spawned chromedriver's or given).
    url: String,
    // Dropped in this order: chromedriver's group is ended before its profile goes.
    _driver: Option<ChromeDriver>,
    _profile: Option<profile::Profile>,
}

impl Browser {
    pub async fn start(opts: &BrowserOptions) -> Result<Browser, DriverError> {
        let (url, driver) = match &opts.webdriver_url {
            Some(u) => (u.clone(), None),
            None => {
                let d = ChromeDriver::spawn(&opts.chromedriver).await?;
                (d.url(), Some(d))
            }
        };
        // A local chromedriver starts Chromium on this machine, so the profile lives here
        // (private, and removed however the run ends); a Grid node makes its own.
        let group = driver
            .as_ref()
            .and_then(ChromeDriver::pid)
            .or(opts.local_driver);
        let profile = match group {
            Some(group) => {
                let mut p = profile::Profile::create().map_err(|e| DriverError::Spawn {
                    path: opts.chromedriver.display().to_string(),
                    cause: format!(
                        "cannot create the browser's profile folder in {}: {e}; check TMPDIR",
                        std::env::temp_dir().display()
                    ),
                })?;
                p.guard_after(group);
                Some(p)
            }
            None => None,
        };
        let mut args = vec![
            "--no-sandbox".to_string(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-search-engine-choice-screen".into(),
            "--password-store=basic".into(),
            // A tab behind a popup (the verification tab, the lookup window) keeps its
            // timers and rendering at full speed, as Puppeteer and Playwright set it.
            "--disable-background-timer-throttling".into(),
            "--disable-backgrounding-occluded-windows".into(),
            "--disable-renderer-backgrounding".into(),
            "--disable-ipc-flooding-protection".into(),
            // After a navigation the new page is painted as soon as it can be, instead of
            // the old page's picture being held on screen meanwhile.
            "--disable-features=PaintHolding".into(),
            format!("--window-size={},{}", opts.window.0, opts.window.1),
        ];
        if !opts.headed {
            args.push("--headless=new".into());
        }
        if let Some(p) = &profile {
            args.push(format!("--user-data-dir={}", p.path().display()));
        }
        // chromedriver starts Chromium with --enable-logging, which writes chrome_debug.log
        // (the pages' console output) into the profile; only asked for, to a named file.
        let mut exclude = vec!["enable-automation"];
        match &opts.chrome_log {
            Some(file) => args.push(format!("--log-file={}", file.display())),
            None => exclude.push("enable-logging"),
        }
        let mut chrome = json!({ "args": args, "excludeSwitches": exclude });
        if let Some(bin) = &opts.chromium {
            chrome["binary"] = json!(bin.display().to_string());
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), chrome);
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        // Dialogs stay open until the BiDi reader answers them as the step declared
        // (`dialogs`): accepted silently, a confirm would leave no trace in the reports.
        caps.insert("unhandledPromptBehavior".into(), json!("ignore"));
        caps.insert("webSocketUrl".into(), json!(true));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&url)
            .await
            .map_err(|e| DriverError::Session {
                url: url.clone(),
                cause: e.to_string(),
            })?;
        let ws = client
            .capabilities()
            .and_then(|c| c.get("webSocketUrl"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let Some(ws) = ws else {
            let _ = client.close().await;
            return Err(DriverError::NoBidi { url });
        };
        let bidi = match Bidi::connect(&ws).await {
            Ok(b) => Arc::new(b),
            Err(e) => {
                let _ = client.close().await;
                return Err(DriverError::Bidi(e + &elsewhere_hint(&url, &ws)));
            }
        };
        Ok(Browser {
            client,
            bidi,
            commands: Arc::new(AtomicU64::new(0)),
            trips: Arc::default(),
            fast_shots: Arc::new(AtomicBool::new(opts.fast_screenshots)),
            bound: Arc::default(),
            stalled: Arc::default(),
            url,
            _driver: driver,
            _profile: profile,
        })
    }

    /// A handle for issuing commands; cheap to clone.
    pub fn session(&self) -> Session {
        Session {
            client: self.client.clone(),
            bidi: self.bidi.clone(),
            at: Arc::default(),
            commands: self.commands.clone(),
            trips: self.trips.clone(),
            fast_shots: self.fast_shots.clone(),
            bound: self.bound.clone(),
            stalled: self.stalled.clone(),
        }
    }

    /// The WebDriver endpoint the session lives at: another client may send it commands
    /// for the same session.
    pub fn webdriver_url(&self) -> &str {
        &self.url
    }

    /// The run gave up waiting on this browser: closing it will not wait on it either.
    pub fn given_up(&self) {
        self.stalled.store(true, Ordering::Relaxed);
    }

    /// Ends the browser session (Chromium quits), then chromedriver and anything left of
    /// its process group, and waits until they are gone. Bounded: a driver that does not
    /// answer (it died, or hangs) is not waited for, and one that already left a round
    /// trip unanswered is hardly asked: its commands wait behind the unanswered one.
    pub async fn close(mut self) {
        let polite = if self.stalled.load(Ordering::Relaxed) {
            std::time::Duration::from_millis(500)
        } else {
            std::time::Duration::from_secs(10)
        };
        let _ = tokio::time::timeout(polite, self.client.clone().close()).await;
        if let Some(d) = self._driver.take() {
            d.stop().await;
        }
    }
}

/// WebDriver commands as the executor uses them, each counted once.
#[derive(Clone)]
pub struct Session {
    pub client: Client,
    bidi: Arc<Bidi>,
    /// The BiDi context of the classic session's current frame.
    at: Arc<Mutex<Where>>,
    commands: Arc<AtomicU64>,
    trips: Arc<Trips>,
    /// Screenshots through chromedriver's DevTools passthrough (until it is refused).
    fast_shots: Arc<AtomicBool>,
    /// When every round trip must be answered by (see `bound`), shared by every handle.
    bound: Arc<Mutex<Option<Deadline>>>,
    /// Some round trip went unanswered within its budget: the driver or the page hangs.
    stalled: Arc<AtomicBool>,
}

use crate::poll::Deadline;

use bidi::SANDBOX;

/// Every round trip, counted or not (a picture's looks and capture too), and the time
/// spent in the engine's: for the step records' `picture_commands` and `timings_ms`.
#[derive(Default)]
struct Trips {
    all: AtomicU64,
    script_us: AtomicU64,
    /// Of `script_us`, what the engine reported it spent in the page.
    page_us: AtomicU64,
}

#[derive(Debug)]
struct SwitchToTop;

impl WebDriverCompatibleCommand for SwitchToTop {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/frame", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"id":null}"#.to_string()))
    }
}

/// A DevTools command through chromedriver's passthrough (`goog/cdp/execute`), for what
/// WebDriver has no command for; chromedriver only (another driver or a grid may refuse
/// it: see `unsupported`).
#[derive(Debug)]
pub struct Cdp {
    pub cmd: &'static str,
    pub params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Chromium's own capture of the tab (`Page.captureScreenshot`), its PNG encoded for
/// speed: the same pixels as Take Screenshot (which calls the same capture with the
/// default encoding), with about a quarter less of the browser's CPU and a quarter more
/// bytes (`bench/capture.py`).
fn fast_screenshot() -> Cdp {
    Cdp {
        cmd: "Page.captureScreenshot",
        params: json!({ "format": "png", "optimizeForSpeed": true }),
    }
}

/// The PNG in a `Page.captureScreenshot` answer.
fn fast_png(v: &Value) -> Option<Vec<u8>> {
    use base64::Engine;
    let data = v.get("data")?.as_str()?;
    let png = base64::engine::general_purpose::STANDARD
        .decode(data)
        .ok()?;
    png.starts_with(b"\x89PNG\r\n\x1a\n").then_some(png)
}

/// A WebDriver endpoint without chromedriver's DevTools passthrough (another driver, a
/// grid that does not route it).
fn unsupported(e: &CmdError) -> bool {
    matches!(
        e,
        CmdError::Standard(w) if matches!(
            w.error,
            ErrorStatus::UnknownCommand | ErrorStatus::UnknownMethod | ErrorStatus::UnsupportedOperation
        )
    ) || matches!(e, CmdError::NotW3C(_) | CmdError::NotJson(_))
}

#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

impl Session {
    fn count(&self) {
        self.commands.fetch_add(1, Ordering::Relaxed);
    }
    fn trip(&self) {
        self.trips.all.fetch_add(1, Ordering::Relaxed);
    }
    /// Round trips of every kind so far, screenshots and uncounted script calls included.
    pub fn round_trips(&self) -> u64 {
        self.trips.all.load(Ordering::Relaxed)
    }
    /// The engine's own time in the page for one call, in ms, as it reported it.
    pub fn in_page(&self, ms: f64) {
        if ms.is_finite() && ms > 0.0 {
            self.trips
                .page_us
                .fetch_add((ms * 1000.0) as u64, Ordering::Relaxed);
        }
    }
    /// The engine's time in the page so far, in ms (see `in_page`).
    pub fn page_ms(&self) -> f64 {
        self.trips.page_us.load(Ordering::Relaxed) as f64 / 1000.0
    }
    /// Time spent in calls into the engine's sandbox so far, in ms.
    pub fn script_ms(&self) -> f64 {
        self.trips.script_us.load(Ordering::Relaxed) as f64 / 1000.0
    }
    /// Bounds every round trip from now on, on every handle of this session, by
    /// `deadline` (plus [`GRACE`]) and [`ROUND_TRIP_CAP`]: the runner sets the step's
    /// deadline before the step, and a picture's before the picture. One that outlives
    /// it fails with a timeout error [`no_answer`] recognises.
    pub fn bound(&self, deadline: &Deadline) {
        self.answer_by(Deadline {
            at: deadline.at + GRACE,
            limit: deadline.limit.clone(),
        });
    }

    /// Sends nothing more until the next `bound`: each round trip fails at once with the
    /// timeout of `limit`. For what would only wait behind a round trip left unanswered.
    pub fn refuse(&self, limit: &str) {
        self.answer_by(Deadline::after(std::time::Duration::ZERO, limit));
    }

    fn answer_by(&self, end: Deadline) {
        if let Ok(mut b) = self.bound.lock() {
            *b = Some(end);
        }
    }

    /// Whether a round trip has gone unanswered within its budget: the driver or the
    /// page stopped answering, and what is sent after it may wait behind it.
    pub fn stalled(&self) -> bool {
        self.stalled.load(Ordering::Relaxed)
    }

    fn budget(&self) -> Budget {
        let bound = self.bound.lock().ok().and_then(|b| b.clone());
        Budget::now(bound.as_ref())
    }

    /// Runs one round trip within its budget. A spent budget sends nothing: the future
    /// is not polled, so the driver never sees the command (a click is not sent late).
    async fn bounded<T>(
        &self,
        name: &str,
        run: impl std::future::Future<Output = Result<T, CmdError>>,
    ) -> Result<T, CmdError> {
        let budget = self.budget();
        if budget.within.is_zero() {
            return Err(budget.exceeded(name));
        }
        self.trip();
        match tokio::time::timeout(budget.within, run).await {
            Ok(res) => res,
            Err(_) => {
                self.stalled.store(true, Ordering::Relaxed);
                Err(budget.exceeded(name))
            }
        }
    }

    /// Issues one counted WebDriver command within its budget and logs it with its time
    /// at -vv.
    async fn command<T>(
        &self,
        name: &str,
        run: impl std::future::Future<Output = Result<T, CmdError>>,
    ) -> Result<T, CmdError> {
        self.count();
        let started = std::time::Instant::now();
        let res = self.bounded(name, run).await;
        tracing::debug!(
            target: "setupwright::webdriver",
            command = name,
            ms = started.elapsed().as_millis() as u64,
            ok = res.is_ok(),
            "WebDriver {name}"
        );
        res
    }
    pub fn commands(&self) -> u64 {
        self.commands.load(Ordering::Relaxed)
    }
    /// The page's dialogs: how the running step answers them, and what it met.
    /// See [`Bidi::listen`]: the recorder's way in.
    pub async fn listen(
        &self,
        preload: &str,
    ) -> Result<tokio::sync::mpsc::UnboundedReceiver<Value>, CmdError> {
        self.bidi.listen(preload).await
    }

    /// The WebDriver session's id, for another client to drive the same browser.
    pub async fn id(&self) -> Option<String> {
        self.client.session_id().await.ok().flatten()
    }

    pub fn dialogs(&self) -> &dialogs::Dialogs {
        &self.bidi.dialogs
    }
    /// Screenshots are counted apart, as the benchmark reports round trips besides them.
    pub async fn screenshot(&self) -> Result<Vec<u8>, CmdError> {
        if self.fast_shots.load(Ordering::Relaxed) {
            let res = self
                .bounded(
                    "Page.captureScreenshot",
                    self.client.issue_cmd(fast_screenshot()),
                )
                .await;
            match res {
                Ok(v) => match fast_png(&v) {
                    Some(png) => return Ok(png),
                    None => tracing::debug!("Page.captureScreenshot answered no PNG"),
                },
                Err(e) if unsupported(&e) => {
                    tracing::debug!("no DevTools passthrough ({e}): Take Screenshot from now on");
                    self.fast_shots.store(false, Ordering::Relaxed);
                }
                // The window went away, or the time is up: as Take Screenshot would say.
                Err(e) if e.is_no_such_window() || no_answer(&e).is_some() => return Err(e),
                Err(e) => tracing::debug!("Page.captureScreenshot failed ({e}): Take Screenshot"),
            }
        }
        self.bounded("Take Screenshot", self.client.screenshot())
            .await
    }
    /// Runs `function` (a JavaScript function expression) with `args` in the engine's
    /// sandbox of the current frame's document and returns what it returned, a promise
    /// awaited. `counted: false` for work that belongs to the screenshot, not the step.
    /// Page scripts see neither the arguments nor the result, and cannot change how the
    /// function runs: the sandbox has its own globals and prototypes.
    pub async fn isolated(
        &self,
        function: &str,
        args: Vec<Value>,
        counted: bool,
    ) -> Result<Value, CmdError> {
        let context = self.context().await?;
        self.isolated_in(&context, function, args, counted).await
    }

    /// `isolated`, in the document of a given BiDi context.
    pub async fn isolated_in(
        &self,
        context: &str,
        function: &str,
        args: Vec<Value>,
        counted: bool,
    ) -> Result<Value, CmdError> {
        self.isolated_call(context, function, args, counted, false)
            .await
    }

    /// `isolated_in`, with the verdicts channel (`bidi::VERDICTS`) left in the sandbox as
    /// `globalThis.setupwrightSay` before `function` runs: for the call that installs the
    /// engine in a document (a channel costs chromedriver about 2 ms to set up).
    pub async fn isolated_with_channel(
        &self,
        context: &str,
        function: &str,
        args: Vec<Value>,
        counted: bool,
    ) -> Result<Value, CmdError> {
        self.isolated_call(context, function, args, counted, true)
            .await
    }

    /// Whether `context`'s document is known to have a sandbox where the engine has not
    /// answered yet: its first call may carry the engine's source at once.
    pub fn engine_missing(&self, context: &str) -> bool {
        self.bidi.engine_missing(context)
    }

    /// The engine answered from `context`'s current document.
    pub fn engine_answered(&self, context: &str) {
        self.bidi.engine_answered(context);
    }

    /// The verdict the engine said with `token` on its channel, waiting at most `within`.
    pub async fn said_verdict(&self, token: &str, within: std::time::Duration) -> Option<Value> {
        self.bidi.verdicts.take(token, within).await
    }

    async fn isolated_call(
        &self,
        context: &str,
        function: &str,
        args: Vec<Value>,
        counted: bool,
        channel: bool,
    ) -> Result<Value, CmdError> {
        if counted {
            self.count();
        }
        // By the realm where the browser announced it (see `bidi`), else by the context.
        let realm = self.bidi.sandbox_realm(context);
        let target_is_realm = realm.is_some();
        let target = match realm {
            Some(realm) => json!({ "realm": realm }),
            None => json!({ "context": context, "sandbox": SANDBOX }),
        };
        // Arguments travel as one JSON string, parsed in the sandbox: chromium-bidi builds
        // an object argument property by property (about 70 ms for a locate request,
        // against 3 for a string). Elements go apart, as shared references.
        let (text, elements) = bidi_value::pack(&args);
        let mut arguments = vec![json!({ "type": "string", "value": text })];
        arguments.extend(elements.into_iter().map(|id| json!({ "sharedId": id })));
        let mut declaration = bidi_value::unpacking(function);
        if channel {
            arguments.insert(
                0,
                json!({ "type": "channel", "value": {
                    "channel": bidi::VERDICTS,
                    "ownership": "none",
                    "serializationOptions": { "maxDomDepth": 0 },
                } }),
            );
            declaration = format!(
                "(say, ...rest) => {{ globalThis.setupwrightSay = say; return ({declaration})(...rest); }}"
            );
        }
        let params = json!({
            "functionDeclaration": declaration,
            "arguments": arguments,
            "target": target,
            "awaitPromise": true,
            "resultOwnership": "none",
            "serializationOptions": { "maxDomDepth": 0, "includeShadowTree": "none" },
        });
        let started = std::time::Instant::now();
        let budget = self.budget();
        let res = if budget.within.is_zero() {
            Err(budget.exceeded("WebDriver BiDi script.callFunction"))
        } else {
            self.trip();
            let call = self.bidi.command("script.callFunction", params, &budget);
            tokio::select! {
                res = call => res,
                crashed = self.crash_watch(&budget) => Err(crashed),
            }
        };
        if res.as_ref().is_err_and(|e| no_answer(e).is_some()) {
            self.stalled.store(true, Ordering::Relaxed);
        }
        self.trips
            .script_us
            .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        tracing::debug!(
            "script.callFunction in {context}{}: {:.1} ms",
            if target_is_realm { "" } else { " (by context)" },
            started.elapsed().as_secs_f64() * 1000.0
        );
        let res = res?;
        match res.get("type").and_then(Value::as_str) {
            Some("success") => bidi_value::from_answer(&res["result"]).map_err(|why| {
                CmdError::Standard(WebDriver::new(ErrorStatus::JavascriptError, why))
            }),
            _ => {
                let text = res
                    .pointer("/exceptionDetails/text")
                    .and_then(Value::as_str)
                    .unwrap_or("the script threw");
                Err(CmdError::Standard(WebDriver::new(
                    ErrorStatus::JavascriptError,
                    text.to_string(),
                )))
            }
        }
    }

    /// The closed shadow root of each element the engine's answer `serial` in the
    /// document of `context` listed as a possible host, None where there is none. No
    /// script reaches a closed root, the engine's sandbox neither; WebDriver BiDi
    /// serializes it with its host (`includeShadowTree: all`), and the reference it gives
    /// can be handed to the sandbox like an element's. The hosts are read where the engine
    /// left them, not sent: an element argument costs chromium-bidi a DOM round trip.
    pub async fn closed_roots(
        &self,
        context: &str,
        serial: u64,
    ) -> Result<Vec<Option<Value>>, CmdError> {
        let target = match self.bidi.sandbox_realm(context) {
            Some(realm) => json!({ "realm": realm }),
            None => json!({ "context": context, "sandbox": SANDBOX }),
        };
        let params = json!({
            "functionDeclaration": "(serial) => { const asked = globalThis.setupwrightHosts; return asked && asked.serial === serial ? asked.list : []; }",
            "arguments": [{ "type": "number", "value": serial }],
            "target": target,
            "awaitPromise": false,
            "resultOwnership": "none",
            "serializationOptions": { "maxDomDepth": 0, "includeShadowTree": "all" },
        });
        let budget = self.budget();
        if budget.within.is_zero() {
            return Err(budget.exceeded("WebDriver BiDi script.callFunction"));
        }
        self.trip();
        let res = self
            .bidi
            .command("script.callFunction", params, &budget)
            .await?;
        let nodes = res
            .pointer("/result/value")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(nodes
            .iter()
            .map(|n| {
                let root = n.pointer("/value/shadowRoot")?;
                let id = root.get("sharedId")?;
                (root.pointer("/value/mode")? == "closed").then(|| json!({ ELEMENT_KEY: id }))
            })
            .collect())
    }

    /// Resolves only if the tab's renderer died: a BiDi call into a document whose
    /// renderer is gone never answers (it waited out its whole budget), while classic
    /// WebDriver says "tab crashed" at once. So a call unanswered after
    /// [`CRASH_PROBE_AFTER`] is checked on by a command that needs the page, and again
    /// every [`CRASH_PROBE_EVERY`]; a busy page merely answers it late.
    async fn crash_watch(&self, budget: &Budget) -> CmdError {
        tokio::time::sleep(CRASH_PROBE_AFTER).await;
        loop {
            let probe = tokio::time::timeout(budget.within, self.client.title()).await;
            if let Ok(Err(e)) = probe {
                if crashed(&e) {
                    return e;
                }
            }
            tokio::time::sleep(CRASH_PROBE_EVERY).await;
        }
    }

    /// The BiDi context of the window's top document, wherever the classic session is.
    pub async fn top_context(&self) -> Result<String, CmdError> {
        let known = self.at.lock().ok().and_then(|w| w.top.clone());
        match known {
            Some(t) => Ok(t),
            None => Ok(String::from(
                self.bounded("Get Window Handle", self.client.window())
                    .await?,
            )),
        }
    }

    /// The BiDi context of the current frame: the window's, then each frame hop's,
    /// asked of its parent document where not known.
    pub async fn context(&self) -> Result<String, CmdError> {
        let mut here = self.at.lock().map(|w| w.clone()).unwrap_or_default();
        if let Some(c) = here.known() {
            return Ok(c.to_string());
        }
        let top = match &here.top {
            Some(t) => t.clone(),
            None => String::from(
                self.bounded("Get Window Handle", self.client.window())
                    .await?,
            ),
        };
        let mut ctx = top.clone();
        let mut resolved = Vec::with_capacity(here.hops.len());
        for hop in &here.hops {
            ctx = match hop {
                Hop::Context(c) => c.clone(),
                Hop::Element(id) => {
                    let f = json!({ ELEMENT_KEY: id });
                    self.frame_context(&ctx, "(f) => f.contentWindow", f)
                        .await?
                }
                Hop::Index(i) => {
                    self.frame_context(&ctx, "(i) => window.frames[i]", json!(i))
                        .await?
                }
            };
            resolved.push(Hop::Context(ctx.clone()));
        }
        if let Ok(mut now) = self.at.lock() {
            // Unless a switch happened meanwhile, remember what was asked.
            if now.hops == here.hops && now.top.as_ref().is_none_or(|t| *t == top) {
                here.top = Some(top);
                now.top = here.top;
                now.hops = resolved;
            }
        }
        Ok(ctx)
    }

    async fn frame_context(
        &self,
        parent: &str,
        function: &str,
        arg: Value,
    ) -> Result<String, CmdError> {
        let win = self.isolated_in(parent, function, vec![arg], false).await?;
        match win.get("context").and_then(Value::as_str) {
            Some(c) => Ok(c.to_string()),
            None => Err(CmdError::Standard(WebDriver::new(
                ErrorStatus::NoSuchFrame,
                "the frame switched to has no window any more",
            ))),
        }
    }

    fn moved(&self, change: impl FnOnce(&mut Where)) {
        if let Ok(mut w) = self.at.lock() {
            change(&mut w);
        }
    }

    /// WebDriver's Element Click: for `<option>`s and controls the locator engine has not
    /// checked, where chromedriver's own scroll and "intercepted" checks are wanted.
    pub async fn click(&self, el: &Element) -> Result<(), CmdError> {
        self.command("Element Click", el.click()).await
    }
    /// A click as a person's: the pointer moves to the element's centre, presses and
    /// releases. For an element the locator engine found ready (in view, stable, not
    /// covered); it skips Element Click's own scroll and hit test, which cost chromedriver
    /// two script round trips into the page (about 23 ms a click). Like Element Click,
    /// chromedriver waits for a navigation the click starts.
    /// `(el, x, y)`: the pointer goes to `el`'s in-view centre moved by (x, y).
    pub async fn pointer_click(&self, aim: &(Element, f64, f64)) -> Result<(), CmdError> {
        self.pointer_clicks(std::slice::from_ref(aim)).await
    }
    /// `pointer_click` on each aim in turn, in one round trip.
    pub async fn pointer_clicks(&self, aims: &[(Element, f64, f64)]) -> Result<(), CmdError> {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let mut actions = MouseActions::new("mouse".into());
        for (el, x, y) in aims {
            actions = actions
                .then(PointerAction::MoveToElement {
                    element: el.clone(),
                    duration: None,
                    x: *x,
                    y: *y,
                })
                .then(PointerAction::Down {
                    button: MOUSE_BUTTON_LEFT,
                })
                .then(PointerAction::Up {
                    button: MOUSE_BUTTON_LEFT,
                });
        }
        self.command(
            "Perform Actions (pointer click)",
            self.client.perform_actions(actions),
        )
        .await
    }
    /// Presses a chord into whatever has focus: its keys go down in order and come up in
    /// reverse (`Control+a`). One round trip, where Element Send Keys would first need
    /// the focused element and then focus it again.
    pub async fn press_chord(&self, keys: &[char]) -> Result<(), CmdError> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for k in keys {
            actions = actions.then(KeyAction::Down { value: *k });
        }
        for k in keys.iter().rev() {
            actions = actions.then(KeyAction::Up { value: *k });
        }
        self.command(
            "Perform Actions (keys)",
            self.client.perform_actions(actions),
        )
        .await
    }
    /// Types text into whatever has focus, a key down and up per character: one Actions
    /// round trip, where Element Send Keys first checks and focuses the element (about
    /// 18 ms against 3 for one key). For text right after the engine focused the field.
    pub async fn type_focused(&self, text: &str) -> Result<(), CmdError> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.command(
            "Perform Actions (typing)",
            self.client.perform_actions(actions),
        )
        .await
    }
    pub async fn send_keys(&self, el: &Element, keys: &str) -> Result<(), CmdError> {
        self.command("Element Send Keys", el.send_keys(keys)).await
    }
    pub async fn active_element(&self) -> Result<Element, CmdError> {
        self.command("Get Active Element", self.client.active_element())
            .await
    }
    /// Navigate To; like Refresh, it leaves the session in the top document.
    pub async fn goto(&self, url: &str) -> Result<(), CmdError> {
        self.moved(Where::go_top);
        self.command(&format!("Navigate To {url}"), self.client.goto(url))
            .await
    }
    pub async fn refresh(&self) -> Result<(), CmdError> {
        self.moved(Where::go_top);
        self.command("Refresh", self.client.refresh()).await
    }
    pub async fn current_url(&self) -> Result<url::Url, CmdError> {
        self.command("Get Current URL", self.client.current_url())
            .await
    }
    pub async fn title(&self) -> Result<String, CmdError> {
        self.command("Get Title", self.client.title()).await
    }
    pub async fn source(&self) -> Result<String, CmdError> {
        self.command("Get Page Source", self.client.source()).await
    }
    /// Switches into the frame `el`; `context`, its BiDi context where the caller knows it.
    pub async fn enter_frame(&self, el: &Element, context: Option<&str>) -> Result<(), CmdError> {
        let hop = match context {
            Some(c) => Hop::Context(c.to_string()),
            None => Hop::Element(el.element_id().to_string()),
        };
        self.command("Switch To Frame (element)", el.clone().enter_frame())
            .await?;
        self.moved(|w| w.enter(hop));
        Ok(())
    }
    pub async fn enter_frame_index(
        &self,
        index: u16,
        context: Option<&str>,
    ) -> Result<(), CmdError> {
        self.command("Switch To Frame (index)", self.client.enter_frame(index))
            .await?;
        let hop = match context {
            Some(c) => Hop::Context(c.to_string()),
            None => Hop::Index(index),
        };
        self.moved(|w| w.enter(hop));
        Ok(())
    }
    pub async fn enter_parent_frame(&self) -> Result<(), CmdError> {
        self.command("Switch To Parent Frame", self.client.enter_parent_frame())
            .await?;
        self.moved(Where::leave);
        Ok(())
    }
    pub async fn enter_top(&self) -> Result<(), CmdError> {
        self.moved(Where::go_top);
        self.command("Switch To Frame (top)", self.client.issue_cmd(SwitchToTop))
            .await
            .map(|_| ())
    }
    pub async fn windows(&self) -> Result<Vec<fantoccini::wd::WindowHandle>, CmdError> {
        self.command("Get Window Handles", self.client.windows())
            .await
    }
    pub async fn window(&self) -> Result<fantoccini::wd::WindowHandle, CmdError> {
        self.command("Get Window Handle", self.client.window())
            .await
    }
    pub async fn switch_to_window(&self, w: fantoccini::wd::WindowHandle) -> Result<(), CmdError> {
        let handle = String::from(w.clone());
        self.moved(|at| at.go_window(None));
        self.command("Switch To Window", self.client.switch_to_window(w))
            .await?;
        self.moved(|at| at.go_window(Some(handle)));
        Ok(())
    }
    pub async fn close_window(&self) -> Result<(), CmdError> {
        self.moved(|at| at.go_window(None));
        self.command("Close Window", self.client.close_window())
            .await
    }
    pub async fn hover(&self, el: &Element) -> Result<(), CmdError> {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let actions = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
            element: el.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        self.command(
            "Perform Actions (hover)",
            self.client.perform_actions(actions),
        )
        .await
    }
    /// The browser console since the last call (chromedriver's legacy log endpoint).
    pub async fn console_log(&self) -> Result<Value, CmdError> {
        self.bounded("Get Log (browser)", self.client.issue_cmd(BrowserLog))
            .await
    }
    /// Turns an element reference from a script result into an element handle.
    pub fn element(&self, v: &Value) -> Option<Element> {
        let id = v.get(ELEMENT_KEY)?.as_str()?;
        Some(Element::from_element_id(
            self.client.clone(),
            ElementRef::from(id.to_string()),
        ))
    }
}

/// How long an engine call may go unanswered before the tab is checked for a crash: no
/// engine call takes this long on a live page (the longest, a picture's settle, 1.5 s).
const CRASH_PROBE_AFTER: std::time::Duration = std::time::Duration::from_secs(2);
/// How often a call still unanswered checks again.
const CRASH_PROBE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Whether chromedriver says the tab's renderer died ("tab crashed", "session deleted
/// because of page crash").
fn crashed(e: &CmdError) -> bool {
    let text = e.to_string();
    text.contains("tab crashed") || text.contains("page crash")
}

/// An element handle as JSON, to pass back into a script.
pub fn element_json(el: &Element) -> Value {
    json!({ ELEMENT_KEY: el.element_id().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_capture_answers_its_png_or_nothing() {
        use base64::Engine;
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        let data = base64::engine::general_purpose::STANDARD.encode(&png);
        assert_eq!(fast_png(&json!({ "data": data })), Some(png));
        // A JPEG, a broken answer, no answer: Take Screenshot instead.
        let jpeg = base64::engine::general_purpose::STANDARD.encode(b"\xff\xd8\xff\xe0");
        assert_eq!(fast_png(&json!({ "data": jpeg })), None);
        assert_eq!(fast_png(&json!({ "data": "not base64!" })), None);
        assert_eq!(fast_png(&json!({})), None);
    }

    #[test]
    fn only_a_driver_without_the_passthrough_turns_fast_captures_off() {
        let status = |s| CmdError::Standard(WebDriver::new(s, "x"));
        assert!(unsupported(&status(ErrorStatus::UnknownCommand)));
        assert!(unsupported(&status(ErrorStatus::UnknownMethod)));
        assert!(!unsupported(&status(ErrorStatus::NoSuchWindow)));
        assert!(!unsupported(&status(ErrorStatus::UnknownError)));
    }
}
