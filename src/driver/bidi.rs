//! A WebDriver BiDi connection: the WebSocket a session opened with `webSocketUrl: true`
//! (chromedriver, or a Selenium Grid that proxies it). The executor uses it for one thing
//! classic WebDriver cannot do: running its engine in a JavaScript world of its own (a
//! BiDi sandbox), where page scripts can neither see what it is sent nor change what it
//! answers. Commands and answers are matched by id; events are not subscribed to.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::error::{CmdError, ErrorStatus, WebDriver};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Value, CmdError>>>>>;

/// One BiDi connection. Cheap to share behind an `Arc`; dropping the last one closes it.
pub struct Bidi {
    out: mpsc::UnboundedSender<Message>,
    pending: Pending,
    next: AtomicU64,
}

/// No engine call takes long; one that has not answered in this time never will (the
/// connection is gone, or the browser hangs).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(90);

impl Bidi {
    pub async fn connect(url: &str) -> Result<Bidi, String> {
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .map_err(|e| format!("cannot open the WebDriver BiDi connection {url}: {e}"))?;
        let (mut sink, mut stream) = socket.split();
        let (out, mut rx) = mpsc::unbounded_channel::<Message>();
        tokio::spawn(async move {
            while let Some(m) = rx.recv().await {
                if sink.send(m).await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        });
        let pending: Pending = Arc::default();
        let answers = pending.clone();
        tokio::spawn(async move {
            while let Some(Ok(m)) = stream.next().await {
                let Message::Text(text) = m else { continue };
                let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else {
                    continue;
                };
                let Some(id) = v.get("id").and_then(Value::as_u64) else {
                    continue; // an event
                };
                let Some(to) = answers.lock().ok().and_then(|mut p| p.remove(&id)) else {
                    continue;
                };
                let _ = to.send(answer(v));
            }
            // The connection ended: every command still waiting fails now, not at its timeout.
            if let Ok(mut p) = answers.lock() {
                for (_, to) in p.drain() {
                    let _ = to.send(Err(closed()));
                }
            }
        });
        Ok(Bidi {
            out,
            pending,
            next: AtomicU64::new(1),
        })
    }

    /// Sends one command and waits for its result.
    pub async fn command(&self, method: &str, params: Value) -> Result<Value, CmdError> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = self.pending.lock() {
            p.insert(id, tx);
        }
        let msg = json!({ "id": id, "method": method, "params": params }).to_string();
        if self.out.send(Message::text(msg)).is_err() {
            self.forget(id);
            return Err(closed());
        }
        match tokio::time::timeout(COMMAND_TIMEOUT, rx).await {
            Ok(Ok(res)) => res,
            Ok(Err(_)) => Err(closed()),
            Err(_) => {
                self.forget(id);
                Err(CmdError::Standard(WebDriver::new(
                    ErrorStatus::ScriptTimeout,
                    format!("WebDriver BiDi {method} did not answer in {COMMAND_TIMEOUT:?}"),
                )))
            }
        }
    }

    fn forget(&self, id: u64) {
        if let Ok(mut p) = self.pending.lock() {
            p.remove(&id);
        }
    }
}

fn closed() -> CmdError {
    CmdError::Standard(WebDriver::new(
        ErrorStatus::InvalidSessionId,
        "the WebDriver BiDi connection closed (the browser or its driver ended)",
    ))
}

/// A command's answer: its result, or its error as the classic error of the same code
/// (BiDi and classic WebDriver share their error codes).
fn answer(v: Value) -> Result<Value, CmdError> {
    if v.get("type").and_then(Value::as_str) == Some("error") {
        let code = v
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or("unknown error");
        let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
        let status = code.parse().unwrap_or(ErrorStatus::UnknownError);
        return Err(CmdError::Standard(WebDriver::new(
            status,
            format!("{message} (WebDriver BiDi: {code})"),
        )));
    }
    Ok(v.get("result").cloned().unwrap_or(Value::Null))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_answer_keeps_its_code() {
        let e =
            answer(json!({"id": 1, "type": "error", "error": "no such frame", "message": "gone"}))
                .unwrap_err();
        assert!(e.is_no_such_frame(), "{e}");
        let ok = answer(json!({"id": 1, "type": "success", "result": {"a": 1}})).unwrap();
        assert_eq!(ok, json!({"a": 1}));
    }
}
