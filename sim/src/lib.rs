//! A stateful imitation of the Salesforce Setup pages that setupwright's runbooks touch,
//! served on two loopback origins: the Lightning Setup shell and the classic pages it
//! frames, so the Setup iframe is cross-origin as in a real org.
//!
//! Start it with [`start`]; read the org with `GET /__sim/state` or [`Sim::state`].

mod bundle;
mod chaos;
mod classic;
mod lightning;
mod oauth;
mod pages;
mod rest;
pub mod rules;
pub mod state;

use std::sync::{Arc, Mutex};

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

pub use bundle::{default_dir as lightning_dir, Shadow};
pub use chaos::Chaos;
use state::Org;

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub username: String,
    pub password: String,
    /// The code the "Verify Your Identity" step accepts (sent by e-mail in a real org).
    pub verification_code: String,
    /// 0 picks a free port.
    pub setup_port: u16,
    pub classic_port: u16,
    /// A seed for chaos mode; None runs calm.
    pub chaos: Option<u64>,
    /// The shadow DOM the Lightning pages render into.
    pub shadow: Shadow,
    /// A folder to read the Lightning bundle from (see `scripts/build-lightning.sh`);
    /// `None`: `SETUPWRIGHT_SIM_LIGHTNING`, else the bundle built into this binary, else
    /// the source tree's build output.
    pub lightning_dir: Option<std::path::PathBuf>,
    /// For tests: draw the secrets the org shows or is given (the Consumer Secret on the
    /// Consumer Details page, the field it is typed into on the Auth. Provider page) in
    /// rgb(255, 0, 255), a colour no page uses, so that pictures can be judged by their
    /// pixels. A style only: the markup is the same.
    pub mark_secrets: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            username: "admin@example.com".into(),
            password: "Sim-Passw0rd!".into(),
            verification_code: "246810".into(),
            setup_port: 0,
            classic_port: 0,
            chaos: None,
            shadow: Shadow::default(),
            lightning_dir: None,
            mark_secrets: false,
        }
    }
}

pub struct Sim {
    /// The Lightning Setup origin (`*.my.salesforce-setup.com` in a real org).
    pub setup_url: String,
    /// The classic origin, the org's My Domain URL (`*.my.salesforce.com`).
    pub classic_url: String,
    pub org: Arc<Mutex<Org>>,
    bundle_missing: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Sim {
    /// The org as the JSON that `/__sim/state` serves.
    pub fn state(&self) -> serde_json::Value {
        let org = self.org.lock().map(|o| o.clone()).unwrap_or_default();
        serde_json::to_value(&org).unwrap_or_default()
    }
    /// Why the Lightning pages cannot render (their bundle is not built), if so.
    pub fn lightning_missing(&self) -> Option<String> {
        self.bundle_missing.clone()
    }
    /// A fresh session id, as `sf org display` would hand out, for frontdoor.jsp.
    pub fn new_session(&self) -> String {
        self.org
            .lock()
            .map(|mut o| o.new_session())
            .unwrap_or_default()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

#[derive(Clone)]
pub struct App {
    pub org: Arc<Mutex<Org>>,
    pub cfg: Arc<SimConfig>,
    pub setup_url: String,
    pub classic_url: String,
    pub env: Arc<minijinja::Environment<'static>>,
    pub chaos: Arc<Chaos>,
    pub bundle: Arc<bundle::Bundle>,
}

impl App {
    pub fn org(&self) -> std::sync::MutexGuard<'_, Org> {
        // A panic in one handler must not take the whole simulator down with a poisoned lock.
        self.org.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn session_ok(&self, headers: &HeaderMap) -> bool {
        let Some(sid) = cookie(headers, "sid") else {
            return false;
        };
        self.org().sessions.contains(&sid)
    }

    pub fn username(&self) -> String {
        self.org()
            .users
            .first()
            .map(|u| u.username.clone())
            .unwrap_or_default()
    }

    /// Where a page without a session goes: the login page with `ec=302`.
    pub fn to_login(&self, path_and_query: &str) -> Response {
        let start =
            url::form_urlencoded::byte_serialize(path_and_query.as_bytes()).collect::<String>();
        Redirect::to(&format!("{}/?ec=302&startURL={start}", self.classic_url)).into_response()
    }

    /// What every page does first: a page without a session goes to the login page; in
    /// chaos mode the answer may be slow, and (for `flaky` pages) a 503 once in a while.
    /// `Err` is the response to send instead of the page.
    pub async fn gate(
        &self,
        headers: &HeaderMap,
        uri: &axum::http::Uri,
        flaky: bool,
    ) -> Result<(), Response> {
        if !self.session_ok(headers) {
            return Err(self.to_login(&uri.to_string()));
        }
        let delay = self.chaos.server_delay_ms();
        if delay > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
        }
        if flaky && self.chaos.unavailable() {
            return Err((StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/html")], "<html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>").into_response());
        }
        Ok(())
    }

    pub fn render(&self, name: &str, ctx: minijinja::Value) -> Response {
        match self.env.get_template(name).and_then(|t| t.render(ctx)) {
            Ok(html) => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                html,
            )
                .into_response(),
            Err(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("template {name}: {e:#}"),
            )
                .into_response(),
        }
    }
}

/// The gate of every Setup page, as middleware: see [`App::gate`].
async fn gate_page(
    axum::extract::State(app): axum::extract::State<App>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match app.gate(req.headers(), req.uri(), false).await {
        Ok(()) => next.run(req).await,
        Err(r) => r,
    }
}

/// The gate of a Lightning Setup page, which chaos mode may also answer with a 503.
async fn gate_flaky_page(
    axum::extract::State(app): axum::extract::State<App>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match app.gate(req.headers(), req.uri(), true).await {
        Ok(()) => next.run(req).await,
        Err(r) => r,
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

fn collapse_slashes(mut req: axum::extract::Request) -> axum::extract::Request {
    let uri = req.uri();
    if uri.path().contains("//") {
        let mut path = String::with_capacity(uri.path().len());
        for c in uri.path().chars() {
            if !(c == '/' && path.ends_with('/')) {
                path.push(c);
            }
        }
        let rebuilt = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        if let Ok(pq) = rebuilt.parse::<axum::http::uri::PathAndQuery>() {
            let mut parts = uri.clone().into_parts();
            parts.path_and_query = Some(pq);
            if let Ok(u) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = u;
            }
        }
    }
    req
}

/// Starts the simulator on 127.0.0.1 and returns once both origins accept connections.
pub async fn start(cfg: SimConfig) -> std::io::Result<Sim> {
    let setup_listener = tokio::net::TcpListener::bind(("127.0.0.1", cfg.setup_port)).await?;
    let classic_listener = tokio::net::TcpListener::bind(("127.0.0.1", cfg.classic_port)).await?;
    let setup_url = format!("http://127.0.0.1:{}", setup_listener.local_addr()?.port());
    let classic_url = format!("http://127.0.0.1:{}", classic_listener.local_addr()?.port());
    let org = Arc::new(Mutex::new(Org::new(
        &classic_url,
        &cfg.username,
        &cfg.password,
    )));
    let app = App {
        org: org.clone(),
        chaos: Arc::new(Chaos::new(cfg.chaos)),
        bundle: Arc::new(match &cfg.lightning_dir {
            Some(dir) => bundle::Bundle::load(dir),
            None => bundle::Bundle::default_for_this_build(),
        }),
        env: Arc::new({
            let mut env = pages::environment();
            env.add_global("mark_secrets", cfg.mark_secrets);
            env
        }),
        cfg: Arc::new(cfg),
        setup_url: setup_url.clone(),
        classic_url: classic_url.clone(),
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (stop_a, stop_b) = {
        let (ta, ra) = tokio::sync::oneshot::channel::<()>();
        let (tb, rb) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = rx.await;
            let _ = ta.send(());
            let _ = tb.send(());
        });
        (ra, rb)
    };
    let bundle_missing = app.bundle.missing();
    let setup_router = lightning::router(app.clone());
    // Salesforce's servers read `//services/data` as `/services/data`; the CLI sends the
    // former when an instance URL ends with a slash.
    let classic_router = axum::ServiceExt::<axum::extract::Request>::into_make_service(
        tower::ServiceExt::map_request(classic::router(app), collapse_slashes),
    );
    tokio::spawn(async move {
        let _ = axum::serve(setup_listener, setup_router)
            .with_graceful_shutdown(async move {
                let _ = stop_a.await;
            })
            .await;
    });
    tokio::spawn(async move {
        let _ = axum::serve(classic_listener, classic_router)
            .with_graceful_shutdown(async move {
                let _ = stop_b.await;
            })
            .await;
    });
    Ok(Sim {
        setup_url,
        classic_url,
        org,
        bundle_missing,
        shutdown: Some(tx),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn get(base: &str, path: &str, cookie: Option<&str>) -> String {
        let addr = base.trim_start_matches("http://");
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let cookie = cookie
            .map(|c| format!("Cookie: sid={c}\r\n"))
            .unwrap_or_default();
        let req = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n{cookie}\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    /// Every Setup page on both origins is behind the gate: no session, the login page
    /// (with where to go after); a session, the page. Open routes stay open.
    #[tokio::test]
    async fn setup_pages_are_gated_and_the_rest_is_not() {
        let sim = start(SimConfig::default()).await.unwrap();
        let sid = sim.new_session();
        for (base, path) in [
            (&sim.classic_url, "/0SO"),
            (&sim.classic_url, "/01I"),
            (&sim.setup_url, "/lightning/setup/NamedCredential/home"),
            (&sim.setup_url, "/lightning/setup/SecuritySettings/home"),
        ] {
            let refused = get(base, path, None).await;
            assert!(refused.starts_with("HTTP/1.0 303"), "{path}: {refused}");
            assert!(refused.contains("/?ec=302&startURL="), "{path}: {refused}");
            let served = get(base, path, Some(&sid)).await;
            assert!(served.starts_with("HTTP/1.0 200"), "{path}: {served}");
        }
        for (base, path) in [(&sim.classic_url, "/"), (&sim.setup_url, "/__sim/state")] {
            assert!(
                get(base, path, None).await.starts_with("HTTP/1.0 200"),
                "{path}"
            );
        }
        // Repeated slashes are one, as Salesforce's servers read them.
        let api = get(&sim.classic_url, "//services/data", None).await;
        assert!(api.starts_with("HTTP/1.0 200"), "{api}");
    }
}
