//! The integration-test harness: fixture pages served on two loopback ports (so an
//! iframe can be cross-origin), a record of what the pages submitted, and a runner for
//! the real `setupwright` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::extract::{Path as UrlPath, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

#[derive(Clone, Default)]
pub struct Submissions(pub Arc<Mutex<Vec<(String, String)>>>);

impl Submissions {
    /// Every body posted to `form`, in order.
    pub fn all(&self, form: &str) -> Vec<String> {
        self.0
            .lock()
            .map(|s| {
                s.iter()
                    .filter(|(f, _)| f == form)
                    .map(|(_, b)| b.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn last(&self, form: &str) -> Option<String> {
        self.0
            .lock()
            .ok()?
            .iter()
            .rev()
            .find(|(f, _)| f == form)
            .map(|(_, b)| b.clone())
    }

    /// The last submission of `form`, as the JSON the page sent; a test failure naming
    /// the form when the page sent none.
    pub fn last_json(&self, form: &str) -> serde_json::Value {
        let body = self
            .last(form)
            .unwrap_or_else(|| panic!("the page {form} was not submitted"));
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("the page {form} sent no JSON ({e}): {body}"))
    }
}

pub struct Fixtures {
    pub base: String,
    pub other: String,
    pub submissions: Submissions,
}

#[derive(Clone)]
struct AppState {
    other: String,
    submissions: Submissions,
    /// Requests so far per `/unavailable/...` path.
    hits: Arc<Mutex<std::collections::HashMap<String, u32>>>,
}

async fn page(State(st): State<AppState>, UrlPath(name): UrlPath<String>) -> Response {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(&name);
    match std::fs::read_to_string(&path) {
        Ok(text) if !name.contains("..") => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            text.replace("{{OTHER}}", &st.other),
        )
            .into_response(),
        _ => (axum::http::StatusCode::NOT_FOUND, "no such fixture").into_response(),
    }
}

/// `/unavailable/{times}/{name}`: a 503 "Service Unavailable" page, as a busy org answers,
/// for the first `times` requests; the fixture after that.
async fn unavailable(
    State(st): State<AppState>,
    UrlPath((times, name)): UrlPath<(u32, String)>,
) -> Response {
    let n = {
        let mut hits = st.hits.lock().unwrap();
        let n = hits.entry(format!("{times}/{name}")).or_default();
        *n += 1;
        *n
    };
    if n <= times {
        let body = "<html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>";
        return (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html")],
            body,
        )
            .into_response();
    }
    page(State(st), UrlPath(name)).await
}

/// `/flood/{mb}`: a page of about `mb` MB of visible text in paragraphs, generated rather
/// than kept as a fixture, for runs that must keep their deadlines on a page too big to read.
async fn flood(UrlPath(mb): UrlPath<usize>) -> Response {
    let para = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n";
    let n = mb.min(64) * 1024 * 1024 / para.len();
    let mut body = String::with_capacity(n * para.len() + 200);
    body.push_str("<!doctype html><html><head><meta charset=\"utf-8\"><title>Flood</title></head><body><h1>Flood</h1>\n");
    for _ in 0..n {
        body.push_str(para);
    }
    body.push_str("</body></html>");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// `/nodes/{thousands}`: a page of that many thousand elements (rows of a span and a
/// bold cell), with a Token field on top.
async fn nodes(UrlPath(thousands): UrlPath<usize>) -> Response {
    let rows = thousands.min(1000) * 1000 / 3;
    let mut body = String::from("<!doctype html><html><head><meta charset=\"utf-8\"><title>Nodes</title></head><body><p><label for=\"t\">Token</label> <input id=\"t\"></p><div>");
    for i in 0..rows {
        body.push_str(&format!(
            "<div><span>row {i}</span><b>cell {}</b></div>",
            i % 97
        ));
    }
    body.push_str("</div></body></html>");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A page of the engine's corpus (tests/engine).
async fn engine_page(UrlPath(name): UrlPath<String>) -> Response {
    match std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/engine")
            .join(&name),
    ) {
        Ok(body) if !name.contains('/') && !name.contains("..") => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
        }
        _ => (axum::http::StatusCode::NOT_FOUND, "no such corpus page").into_response(),
    }
}

/// The simulator's Lightning bundle (Salesforce's base components, SLDS), for fixture
/// pages built of real components.
async fn asset(UrlPath(file): UrlPath<String>) -> Response {
    let mime = if file.ends_with(".css") {
        "text/css"
    } else {
        "application/javascript"
    };
    match std::fs::read(setupwright_sim::lightning_dir().join(&file)) {
        Ok(body) if !file.contains('/') && !file.contains("..") => {
            ([(header::CONTENT_TYPE, mime)], body).into_response()
        }
        _ => (
            axum::http::StatusCode::NOT_FOUND,
            "run bash scripts/build-lightning.sh",
        )
            .into_response(),
    }
}

async fn submit(
    State(st): State<AppState>,
    UrlPath(form): UrlPath<String>,
    body: String,
) -> Response {
    st.submissions.0.lock().unwrap().push((form, body));
    (
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body><h1 id=\"done\">Saved</h1></body></html>",
    )
        .into_response()
}

/// Serves tests/fixtures on two free loopback ports, in a background thread.
pub fn serve() -> Fixtures {
    let submissions = Submissions::default();
    let (tx, rx) = std::sync::mpsc::channel();
    let subs = submissions.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let a = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let b = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let (ua, ub) = (
                format!("http://127.0.0.1:{}", a.local_addr().unwrap().port()),
                format!("http://127.0.0.1:{}", b.local_addr().unwrap().port()),
            );
            let app = |other: String| {
                Router::new()
                    .route("/fixtures/{name}", get(page))
                    .route("/engine/{name}", get(engine_page))
                    .route("/flood/{mb}", get(flood))
                    .route("/nodes/{thousands}", get(nodes))
                    .route("/unavailable/{times}/{name}", get(unavailable))
                    .route("/assets/{file}", get(asset))
                    .route("/submit/{form}", post(submit))
                    .with_state(AppState {
                        other,
                        submissions: subs.clone(),
                        hits: Default::default(),
                    })
            };
            let (ra, rb) = (app(ub.clone()), app(ua.clone()));
            tx.send((ua, ub)).unwrap();
            tokio::spawn(async move { axum::serve(b, rb).await.unwrap() });
            axum::serve(a, ra).await.unwrap();
        });
    });
    let (base, other) = rx.recv().unwrap();
    Fixtures {
        base,
        other,
        submissions,
    }
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `setupwright run RUNBOOK` against the fixture pages at `base`, with more `--input`s,
/// into fresh artifacts, each step limited to `step_timeout`; asserts it passed.
pub fn run_fixture_runbook(
    runbook: &str,
    base: &str,
    inputs: &[&str],
    step_timeout: &str,
) -> Output {
    let artifacts = tmp_artifacts();
    let out = Run::new(runbook)
        .input("base", base)
        .args(inputs.iter().flat_map(|i| ["-i", i]))
        .artifacts(&artifacts)
        .args(["--step-timeout", step_timeout])
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    out
}

/// Where the binaries these tests run keep secrets for a resume (not the user's home).
pub fn state_dir() -> PathBuf {
    std::env::temp_dir().join(format!("setupwright-test-state-{}", std::process::id()))
}

/// The file a run keeps its captured secrets in for a resume, from its journal's run id.
pub fn kept_secrets(run_dir: &Path) -> PathBuf {
    let journal = std::fs::read_to_string(run_dir.join("journal.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(journal.lines().next().unwrap()).unwrap();
    state_dir()
        .join("resume")
        .join(format!("{}.json", first["run_id"].as_str().unwrap()))
}

/// `setupwright run RUNBOOK …` or `verify`, the invocation most tests make, written once:
/// inputs as `-i name=value`, the run folder, other flags and environment variables, in
/// the state folder the tests keep apart from the user's.
///
/// ```ignore
/// let out = Run::new("tests/runbooks/diagnostics.yaml")
///     .input("base", &fx.base)
///     .artifacts(&artifacts)
///     .args(["--step-timeout", "5s"])
///     .output();
/// ```
#[must_use = "a Run does nothing until .output() or .command()"]
pub struct Run {
    args: Vec<std::ffi::OsString>,
    envs: Vec<(String, String)>,
}

#[allow(dead_code)]
impl Run {
    pub fn new(runbook: impl AsRef<std::ffi::OsStr>) -> Run {
        Run::command_of("run", runbook)
    }

    pub fn verify(runbook: impl AsRef<std::ffi::OsStr>) -> Run {
        Run::command_of("verify", runbook)
    }

    fn command_of(sub: &str, runbook: impl AsRef<std::ffi::OsStr>) -> Run {
        Run {
            args: vec![sub.into(), runbook.as_ref().to_os_string()],
            envs: Vec::new(),
        }
    }

    /// `-i name=value`.
    pub fn input(self, name: &str, value: impl std::fmt::Display) -> Run {
        self.input_pair(format!("{name}={value}"))
    }

    /// `-i` with a ready `name=value`.
    pub fn input_pair(self, pair: impl AsRef<std::ffi::OsStr>) -> Run {
        self.arg("-i").arg(pair)
    }

    /// `--artifacts DIR`: the folder the run's own folder is made in.
    pub fn artifacts(self, dir: impl AsRef<Path>) -> Run {
        self.arg("--artifacts").arg(dir.as_ref())
    }

    pub fn arg(mut self, a: impl AsRef<std::ffi::OsStr>) -> Run {
        self.args.push(a.as_ref().to_os_string());
        self
    }

    pub fn args<A: AsRef<std::ffi::OsStr>>(mut self, args: impl IntoIterator<Item = A>) -> Run {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub fn env(mut self, key: &str, value: impl Into<String>) -> Run {
        self.envs.push((key.into(), value.into()));
        self
    }

    pub fn envs<'a>(mut self, envs: impl IntoIterator<Item = &'a (&'a str, &'a str)>) -> Run {
        self.envs.extend(
            envs.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        self
    }

    /// Flags before the subcommand (`--log-format json`).
    pub fn global_args<A: AsRef<std::ffi::OsStr>>(
        mut self,
        args: impl IntoIterator<Item = A>,
    ) -> Run {
        let before: Vec<std::ffi::OsString> = args
            .into_iter()
            .map(|a| a.as_ref().to_os_string())
            .collect();
        self.args.splice(0..0, before);
        self
    }

    /// The command, for a test that spawns it (to signal it, or to read it as it runs).
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_setupwright"));
        c.args(&self.args)
            .env("SETUPWRIGHT_STATE_DIR", state_dir())
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        c
    }

    /// Runs it to its end.
    pub fn output(self) -> Output {
        self.command().output().expect("run setupwright").into()
    }
}

/// Runs the real binary.
pub fn setupwright(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_setupwright"))
        .args(args)
        .env("SETUPWRIGHT_STATE_DIR", state_dir())
        .envs(envs.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run setupwright");
    out.into()
}

impl From<std::process::Output> for Output {
    fn from(out: std::process::Output) -> Output {
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into(),
            stderr: String::from_utf8_lossy(&out.stderr).into(),
        }
    }
}

/// The run folder a run printed ("report: <dir>/report.json").
pub fn run_dir(stdout: &str) -> PathBuf {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("report: ") && l.ends_with("report.json"))
        .unwrap_or_else(|| panic!("no report line in:\n{stdout}"));
    let report = PathBuf::from(line.trim_start_matches("report: ").trim());
    let report = if report.is_absolute() {
        report
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(report)
    };
    report.parent().unwrap().to_path_buf()
}

pub fn report(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap()
}

/// Every screenshot the report names exists and is a PNG.
pub fn assert_screenshots(dir: &Path, report: &serde_json::Value) -> usize {
    let mut n = 0;
    for s in report["steps"].as_array().unwrap() {
        if let Some(f) = s["screenshot"].as_str() {
            let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{f} is not a PNG");
            n += 1;
        }
    }
    n
}

pub fn tmp_artifacts() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "setupwright-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A simulator on free ports, alive as long as the returned value.
pub struct SimHandle {
    pub sim: setupwright_sim::Sim,
    pub cfg: setupwright_sim::SimConfig,
    _rt: tokio::runtime::Runtime,
}

pub fn start_sim(chaos: Option<u64>) -> SimHandle {
    start_sim_in(chaos, setupwright_sim::Shadow::Synthetic)
}

/// A simulator whose Lightning pages render into `shadow` roots.
pub fn start_sim_in(chaos: Option<u64>, shadow: setupwright_sim::Shadow) -> SimHandle {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let cfg = setupwright_sim::SimConfig {
        chaos,
        shadow,
        // Secrets in a colour of their own, for the pixel checks of the pictures.
        mark_secrets: true,
        ..Default::default()
    };
    let sim = rt
        .block_on(setupwright_sim::start(cfg.clone()))
        .expect("start the simulator");
    SimHandle { sim, cfg, _rt: rt }
}

impl SimHandle {
    /// Runs the seed runbook against this simulator; secrets come from the environment.
    pub fn run_seed(&self, artifacts: &Path, password: &str, extra: &[&str]) -> Output {
        self.seed_cmd("run", artifacts, password, extra)
    }

    /// `run` or `verify` of the seed runbook.
    pub fn seed_cmd(&self, cmd: &str, artifacts: &Path, password: &str, extra: &[&str]) -> Output {
        self.seed_command(cmd, artifacts, password, extra)
            .output()
            .expect("run setupwright")
            .into()
    }

    /// The command line of `seed_cmd`, to spawn and stop at will.
    pub fn seed_command(
        &self,
        cmd: &str,
        artifacts: &Path,
        password: &str,
        extra: &[&str],
    ) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_setupwright"));
        c.args([cmd, "runbooks/focus-matters-secured-login.yaml"])
            .args(["-i", &format!("my_domain_url={}", self.sim.classic_url)])
            .args(["-i", &format!("username={}", self.cfg.username)])
            .args(["-i", &format!("contact_email={}", self.cfg.username)])
            .arg("--artifacts")
            .arg(artifacts)
            .args(extra)
            .env("SETUPWRIGHT_STATE_DIR", state_dir())
            .env("SETUPWRIGHT_LOGIN_PASSWORD", password)
            .env("SETUPWRIGHT_VERIFICATION_CODE", &self.cfg.verification_code)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        c
    }
}

/// Every file under `dir`, read as bytes.
pub fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            let b = std::fs::read(&p).unwrap();
            out.push((p, b));
        }
    }
    out
}

/// The cases of a corpus folder under tests/ (its `.yaml` files), sorted, each with its
/// path relative to the repository as the binary is given it.
pub fn corpus_cases(folder: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<_> = std::fs::read_dir(root.join("tests").join(folder))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    cases.sort();
    cases
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            (p, rel)
        })
        .collect()
}

/// Runs `f` while two busy loops hold both cores (an overloaded CI runner), and stops
/// them however `f` ends.
pub fn under_load<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> T {
    let busy: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new("sh")
                .args(["-c", "while :; do :; done"])
                .spawn()
                .expect("a busy loop")
        })
        .collect();
    let outcome = std::panic::catch_unwind(f);
    for mut b in busy {
        let _ = b.kill();
        let _ = b.wait();
    }
    outcome.unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Pixels of the colour secrets are drawn in on the test pages (rgb(255, 0, 255), see
/// `SimConfig::mark_secrets`), antialiased edges aside, and of a cover's (#3b3b3b), in a
/// PNG.
pub fn pixel_counts(png: &[u8]) -> (usize, usize) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("unexpected colour type {other:?}"),
    };
    let (mut secret, mut cover) = (0, 0);
    for p in buf[..info.line_size * info.height as usize].chunks(channels) {
        secret += usize::from(p[0] > 230 && p[1] < 40 && p[2] > 230);
        cover += usize::from(p[..3] == [0x3b, 0x3b, 0x3b]);
    }
    (secret, cover)
}

/// Pixels of the secrets' colour in a PNG (see `pixel_counts`).
pub fn secret_pixels(png: &[u8]) -> usize {
    pixel_counts(png).0
}

/// Every picture in a run folder with pixels of the secrets' colour, and how many.
pub fn pictures_showing_secrets(dir: &Path) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the run folder") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "png") {
            let n = secret_pixels(&std::fs::read(&path).expect("the picture"));
            if n > 0 {
                out.push((path.file_name().unwrap().to_string_lossy().into_owned(), n));
            }
        }
    }
    out
}

/// A runbook that fills the token (a secret input, or a plain one) on a fixture page with
/// one "Show <way>" button per way of drawing it (tests/fixtures/reveal-more.html,
/// probe3.html), then clicks "Show <way>" for each way: one picture per way.
pub fn show_ways_runbook(fixture: &str, ways: &[&str], secret: bool) -> PathBuf {
    let mut y = String::from(
        "runbook: One picture per way the page draws the token\ninputs:\n  base: {}\n",
    );
    y += if secret {
        "  token: { secret: true }\n"
    } else {
        "  token: {}\n"
    };
    y += &format!("steps:\n  - goto: \"${{base}}/fixtures/{fixture}\"\n  - fill: {{ field: Token, with: \"${{token}}\" }}\n");
    for w in ways {
        y += &format!("  - click: {{ button: \"Show {w}\" }}\n");
    }
    let dir = tmp_artifacts();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(fixture.replace(".html", ".yaml"));
    std::fs::write(&path, y).unwrap();
    path
}
