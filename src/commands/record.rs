//! `setupwright record URL`: a browser in which a person does the task once, and the
//! runbook of what they did (docs/record.md). The recorder runs in the engine's sandbox
//! of every document (`engine/recorder.js`) and says each step on that sandbox's console,
//! which WebDriver BiDi reports; `author::recording` makes the runbook of them. Ctrl-C or closing the browser
//! writes it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use setupwright::author::emit_checked;
use setupwright::author::recording::Recording;
use setupwright::driver::Browser;
use setupwright::{errln, exit, locate, outln, signals};

use crate::cli::BrowserArgs;
use crate::commands::common::browser_options;

pub async fn record(url: &str, out: Option<&Path>, browser: &BrowserArgs, headless: bool) -> i32 {
    let start = match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => {
            errln!(
                "error: `record` opens a web address, and `{url}` is not an http(s) one; give the org's address, e.g. `setupwright record https://acme.my.salesforce.com/lightning/setup/SetupOneHome/home`"
            );
            return exit::USAGE;
        }
    };
    if let Some(dir) = out
        .and_then(Path::parent)
        .filter(|d| !d.as_os_str().is_empty())
    {
        if !dir.is_dir() {
            errln!(
                "error: -o {}: the folder {} does not exist; create it or write the runbook elsewhere",
                out.map(Path::display).map(|d| d.to_string()).unwrap_or_default(),
                dir.display()
            );
            return exit::USAGE;
        }
    }
    signals::listen();
    let mut opts = browser_options(browser);
    opts.headed = !headless;
    let b = match Browser::start(&opts).await {
        Ok(b) => b,
        Err(e) => {
            errln!("error: {e}\n{}", e.help(&opts));
            return exit::BROWSER;
        }
    };
    let session = b.session();
    let mut events = match session.listen(locate::RECORDER).await {
        Ok(rx) => rx,
        Err(e) => {
            errln!("error: cannot install the recorder in the browser over WebDriver BiDi: {e}; use a chromedriver and Chromium of the same version (130 or later)");
            b.close().await;
            return exit::BROWSER;
        }
    };
    if let Err(e) = session.goto(start.as_str()).await {
        errln!("error: cannot open {start}: {e}; check the address and that the org answers");
        b.close().await;
        return exit::BROWSER;
    }
    announce(
        &session.id().await.unwrap_or_default(),
        b.webdriver_url(),
        out,
    );
    let started = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut rec = Recording::new(&start);
    if let Ok(c) = session.top_context().await {
        rec.known_window(&c);
    }
    let mut closed = false;
    let mut look = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            ev = events.recv() => match ev {
                Some(v) => {
                    tracing::debug!(
                        method = v["method"].as_str().unwrap_or_default(),
                        context = v["params"]["source"]["context"].as_str().or(v["params"]["context"].as_str()).unwrap_or_default(),
                        sandboxed = v["sandboxed"].as_bool(),
                        "browser event"
                    );
                    let before = rec.recorded();
                    rec.event(&v);
                    if rec.recorded() != before {
                        // What was done, never what was typed.
                        tracing::info!(steps = rec.recorded(), "recorded a step");
                    }
                }
                None => { closed = true; break; }
            },
            stop = signals::stop_signal() => {
                tracing::info!(signal = stop.name(), "recording stopped");
                break;
            }
            _ = look.tick() => {
                // A person closing the last window ends the recording.
                if session.windows().await.map_or(true, |w| w.is_empty()) {
                    closed = true;
                    break;
                }
            }
        }
    }
    // What is still on its way (the last field's value, sent as its page went).
    while let Ok(v) = events.try_recv() {
        rec.event(&v);
    }
    b.close().await;
    if closed && rec.recorded() == 0 {
        errln!("error: the browser closed before anything was recorded, so no runbook was written; run `setupwright record {start}` again and do the task in the browser before closing it (or press Ctrl-C)");
        return exit::BROWSER;
    }
    write(&rec, out, &started)
}

/// Says where the recording runs: for a person, what to do; under `--log-format json`,
/// one event with the WebDriver session, which another client may drive as well.
fn announce(session_id: &str, webdriver: &str, out: Option<&Path>) {
    let to = out.map_or_else(|| "stdout".to_string(), |p| p.display().to_string());
    if setupwright::console::json_stderr() {
        setupwright::console::err_event(
            "INFO",
            serde_json::json!({
                "message": "recording",
                "event": "recording",
                "session_id": session_id,
                "webdriver_url": webdriver,
                "output": to,
            }),
        );
    } else {
        errln!("recording: do the task in the browser, then press Ctrl-C or close the browser to write the runbook to {to} (WebDriver session {session_id} at {webdriver})");
    }
}

fn write(rec: &Recording, out: Option<&Path>, started: &str) -> i32 {
    let name = out.map_or_else(|| PathBuf::from("recorded.yaml"), Path::to_path_buf);
    let text = match emit_checked(&rec.draft(started), &name) {
        Ok(t) => t,
        Err(e @ setupwright::author::Unwritable::TooLarge(_)) => {
            errln!("error: the recording is too long for one runbook: {e}; nothing was written\n  help: record the task in parts, each into a runbook of its own, and run them one after the other");
            return exit::INVALID_RUNBOOK;
        }
        Err(e) => {
            errln!("error: the recorded runbook does not pass `check` (please report this):\n{e}");
            return exit::INVALID_RUNBOOK;
        }
    };
    match out {
        None => {
            setupwright::console::out_raw(text.as_bytes());
            exit::OK
        }
        Some(p) => match std::fs::write(p, &text) {
            Ok(()) => {
                outln!("recorded {} steps into {}", rec.recorded(), p.display());
                exit::OK
            }
            Err(e) => {
                errln!(
                    "error: cannot write the runbook to {}: {e}; here it is instead:",
                    p.display()
                );
                setupwright::console::out_raw(text.as_bytes());
                exit::UNWRITTEN
            }
        },
    }
}
