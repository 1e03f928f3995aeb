//! A WebDriver BiDi connection: the WebSocket a session opened with `webSocketUrl: true`
//! (chromedriver, or a Selenium Grid that proxies it). The executor uses it for one thing
//! classic WebDriver cannot do: running its engine in a JavaScript world of its own (a
//! BiDi sandbox), where page scripts can neither see what it is sent nor change what it
//! answers. Commands and answers are matched by id.
//!
//! Every new document gets the sandbox at its start (a preload script), and the
//! connection follows the sandbox realms the browser announces, so that a call goes to a
//! realm by its id. Calls addressed to a browsing context instead can hang for good in a
//! tab the page opened itself (chromedriver 156: a popup, the verification tab), while
//! calls addressed to its realm answer.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use fantoccini::error::{CmdError, ErrorStatus, WebDriver};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

use super::budget::Budget;
use super::dialogs::Dialogs;

/// The ids of the reader's own commands (answers to dialogs), apart from `next`'s.
const PROMPT_IDS: u64 = 1 << 60;

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Result<Value, CmdError>>>>>;
/// The sandbox realm of each browsing context's current document.
type Realms = Arc<Mutex<HashMap<String, String>>>;

/// The name of the engine's JavaScript world in every document (a BiDi sandbox). Page
/// scripts cannot reach a sandbox by any name; it only keeps ours apart from another
/// client's.
pub const SANDBOX: &str = "setupwright";

/// One BiDi connection. Cheap to share behind an `Arc`; dropping the last one closes it.
pub struct Bidi {
    out: mpsc::UnboundedSender<Message>,
    pending: Pending,
    realms: Realms,
    next: AtomicU64,
    /// The page's dialogs: the reader answers each as it opens.
    pub dialogs: Arc<Dialogs>,
    /// Set by the reader when the connection ended: no answer will come to any command,
    /// pending or later, so each fails at once instead of at the end of its budget.
    ended: Arc<AtomicBool>,
    /// Where the reader hands every event (`{method, params}`) once someone listens
    /// (`listen`): the recorder's channel messages, windows opening and closing.
    events: Events,
    /// What the engine said on its channel (`VERDICTS`): each click's verdict, by the
    /// token its guard was armed with.
    pub verdicts: Arc<Verdicts>,
    /// Sandbox realms where the engine has answered: a call there needs no source.
    engines: Mutex<HashSet<String>>,
}

/// The channel the engine of every document is given when it is installed: its click
/// guards say their verdicts on it (`script.message` events), which saves the round trip
/// that would read them. Only a WebDriver BiDi client gives a page a channel; the page's
/// own scripts can neither reach ours (it lives in the engine's sandbox) nor make one.
pub const VERDICTS: &str = "setupwright-verdicts";

/// Verdicts said on the channel and not yet taken, by token; a few at most (each click
/// takes its own, and a new click drops those nobody took).
#[derive(Default)]
pub struct Verdicts {
    said: Mutex<HashMap<String, Value>>,
    arrived: tokio::sync::Notify,
}

impl Verdicts {
    fn say(&self, message: Value) {
        let Some(token) = message.get("token").and_then(Value::as_str) else {
            return;
        };
        if let Ok(mut said) = self.said.lock() {
            // Verdicts nobody waits for (a click whose verdict was read instead) go.
            if said.len() >= 16 {
                said.clear();
            }
            said.insert(token.to_string(), message);
        }
        self.arrived.notify_waiters();
    }

    /// The verdict said with `token`, waiting for it at most `within`.
    pub async fn take(&self, token: &str, within: std::time::Duration) -> Option<Value> {
        let wait = async {
            loop {
                let arrived = self.arrived.notified();
                if let Some(v) = self.said.lock().ok().and_then(|mut s| s.remove(token)) {
                    return v;
                }
                arrived.await;
            }
        };
        tokio::time::timeout(within, wait).await.ok()
    }
}

type Events = Arc<Mutex<Option<mpsc::UnboundedSender<Value>>>>;

impl Bidi {
    pub async fn connect(url: &str) -> Result<Bidi, String> {
        // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs hold each small command
        // back for about 40 ms on loopback: a tenfold slower engine call.
        let (socket, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
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
        let realms: Realms = Arc::default();
        let seen = realms.clone();
        let ended = Arc::new(AtomicBool::new(false));
        let reader_ended = ended.clone();
        let dialogs = Arc::new(Dialogs::default());
        let (prompts, answer_out) = (dialogs.clone(), out.clone());
        let events: Events = Arc::default();
        let listener = events.clone();
        let verdicts: Arc<Verdicts> = Arc::default();
        let said = verdicts.clone();
        // The reader answers a dialog itself (it cannot wait for an answer it reads):
        // from ids of their own, whose answers no slot waits for.
        let mut prompt_ids = PROMPT_IDS;
        tokio::spawn(async move {
            while let Some(Ok(m)) = stream.next().await {
                let Message::Text(text) = m else { continue };
                let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else {
                    continue;
                };
                let Some(id) = v.get("id").and_then(Value::as_u64) else {
                    if v["method"] == "browsingContext.userPromptOpened" {
                        if let Some(params) = prompts.opened(&v["params"]) {
                            prompt_ids += 1;
                            let msg = json!({ "id": prompt_ids, "method": "browsingContext.handleUserPrompt", "params": params });
                            let _ = answer_out.send(Message::text(msg.to_string()));
                        }
                    }
                    follow_realms(&seen, &v);
                    if let Some(message) = verdict(&seen, &v) {
                        said.say(message);
                        continue;
                    }
                    if let Some(to) = listener.lock().ok().and_then(|l| l.clone()) {
                        let _ = to.send(vouched(&seen, v));
                    }
                    continue;
                };
                let Some(to) = answers.lock().ok().and_then(|mut p| p.remove(&id)) else {
                    continue;
                };
                let _ = to.send(answer(v));
            }
            // The connection ended: every command still waiting fails now, not at its
            // timeout, and so does every later one (`command` looks at the flag after
            // queuing its answer's slot, which is set before the slots are drained).
            reader_ended.store(true, Ordering::SeqCst);
            // A listener sees the end as its channel closing.
            if let Ok(mut l) = listener.lock() {
                l.take();
            }
            if let Ok(mut p) = answers.lock() {
                for (_, to) in p.drain() {
                    let _ = to.send(Err(closed()));
                }
            }
        });
        let bidi = Bidi {
            out,
            pending,
            realms,
            next: AtomicU64::new(1),
            dialogs,
            ended,
            events,
            verdicts,
            engines: Mutex::default(),
        };
        bidi.command(
            "session.subscribe",
            json!({ "events": ["script.realmCreated", "script.realmDestroyed", "browsingContext.userPromptOpened", "script.message"] }),
            &Budget::now(None),
        )
        .await
        .map_err(|e| format!("cannot follow the browser's realms over WebDriver BiDi: {e}"))?;
        bidi.command(
            "script.addPreloadScript",
            json!({ "functionDeclaration": &*crate::locate::PRELOAD, "sandbox": SANDBOX }),
            &Budget::now(None),
        )
        .await
        .map_err(|e| format!("cannot add the engine's sandbox to new documents: {e}"))?;
        Ok(bidi)
    }

    /// Every event from now on, and in every new document (cross-origin frames and new
    /// windows included) `preload` run in the engine's sandbox. What it says on its own
    /// console comes as `log.entryAdded` events marked `"sandboxed": true` (see
    /// [`vouched`]): a BiDi channel argument would be the way, but chromedriver 156 sends
    /// nothing a channel of a sandboxed preload script is given.
    pub async fn listen(&self, preload: &str) -> Result<mpsc::UnboundedReceiver<Value>, CmdError> {
        let (tx, rx) = mpsc::unbounded_channel();
        if let Ok(mut l) = self.events.lock() {
            *l = Some(tx);
        }
        let budget = Budget::now(None);
        self.command(
            "session.subscribe",
            json!({ "events": ["log.entryAdded", "browsingContext.contextCreated", "browsingContext.contextDestroyed"] }),
            &budget,
        )
        .await?;
        self.command(
            "script.addPreloadScript",
            json!({ "functionDeclaration": preload, "sandbox": SANDBOX }),
            &budget,
        )
        .await?;
        Ok(rx)
    }

    /// The sandbox realm of `context`'s current document, once the browser announced it.
    pub fn sandbox_realm(&self, context: &str) -> Option<String> {
        self.realms.lock().ok()?.get(context).cloned()
    }

    /// Whether the browser announced a sandbox realm for `context`'s current document
    /// that the engine has not answered from (see [`Bidi::engine_answered`]).
    pub fn engine_missing(&self, context: &str) -> bool {
        self.sandbox_realm(context)
            .is_some_and(|realm| self.engines.lock().is_ok_and(|e| !e.contains(&realm)))
    }

    /// The engine answered from `context`'s document: its current sandbox realm, as far
    /// as the browser has said, holds it. Should a navigation have replaced the realm
    /// meanwhile, the new one is taken for installed, and its first call answers
    /// `installEngine` as any unknown document's does.
    pub fn engine_answered(&self, context: &str) {
        let Some(realm) = self.sandbox_realm(context) else {
            return;
        };
        let Ok(mut engines) = self.engines.lock() else {
            return;
        };
        // Realms are never reused; forget those gone once the list grows.
        if engines.len() >= 256 {
            if let Ok(live) = self.realms.lock() {
                engines.retain(|r| live.values().any(|l| l == r));
            }
        }
        engines.insert(realm);
    }

    /// Sends one command and waits for its result, for at most `budget`. A command
    /// abandoned (its budget spent, or its caller gone) leaves no slot behind.
    pub async fn command(
        &self,
        method: &str,
        params: Value,
        budget: &Budget,
    ) -> Result<Value, CmdError> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = self.pending.lock() {
            p.insert(id, tx);
        }
        let _slot = Slot { bidi: self, id };
        if self.ended.load(Ordering::SeqCst) {
            return Err(closed());
        }
        let msg = json!({ "id": id, "method": method, "params": params }).to_string();
        if self.out.send(Message::text(msg)).is_err() {
            return Err(closed());
        }
        match tokio::time::timeout(budget.within, rx).await {
            Ok(Ok(res)) => res,
            Ok(Err(_)) => Err(closed()),
            Err(_) => Err(budget.exceeded(&format!("WebDriver BiDi {method}"))),
        }
    }

    fn forget(&self, id: u64) {
        if let Ok(mut p) = self.pending.lock() {
            p.remove(&id);
        }
    }
}

/// A command's slot for its answer, removed however the command ends.
struct Slot<'a> {
    bidi: &'a Bidi,
    id: u64,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.bidi.forget(self.id);
    }
}

/// A console entry marked `"sandboxed": true` when it came from the engine's sandbox of
/// a document, as the realms known when it was read say (a page script's console, in the
/// page's own realm, never is): the recorder's messages cannot be forged by the page.
fn vouched(realms: &Realms, mut event: Value) -> Value {
    if event["method"] == "log.entryAdded" {
        let realm = event["params"]["source"]["realm"]
            .as_str()
            .unwrap_or_default();
        let ours = !realm.is_empty() && realms.lock().is_ok_and(|m| m.values().any(|r| r == realm));
        if let Some(o) = event.as_object_mut() {
            o.insert("sandboxed".into(), Value::Bool(ours));
        }
    }
    event
}

/// A message on the verdicts channel from the engine's sandbox of a document (as the
/// realms known when it was read say), as plain JSON; None for any other event.
fn verdict(realms: &Realms, event: &Value) -> Option<Value> {
    if event["method"] != "script.message" || event["params"]["channel"] != VERDICTS {
        return None;
    }
    let realm = event["params"]["source"]["realm"].as_str()?;
    let ours = realms.lock().is_ok_and(|m| m.values().any(|r| r == realm));
    ours.then(|| super::bidi_value::from_remote(&event["params"]["data"]))
}

/// Keeps the sandbox realm of each context from the browser's realm events.
fn follow_realms(realms: &Realms, event: &Value) {
    let params = &event["params"];
    let Ok(mut map) = realms.lock() else { return };
    match event.get("method").and_then(Value::as_str) {
        Some("script.realmCreated") if params["sandbox"] == SANDBOX => {
            if let (Some(c), Some(r)) = (params["context"].as_str(), params["realm"].as_str()) {
                map.insert(c.to_string(), r.to_string());
            }
        }
        // A document's realm can go after its successor's came: remove only that one.
        Some("script.realmDestroyed") => {
            if let Some(r) = params["realm"].as_str() {
                map.retain(|_, v| v != r);
            }
        }
        _ => {}
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
        let mut status = code.parse().unwrap_or(ErrorStatus::UnknownError);
        // The document the call ran in went away under it (a navigation, a frame removed):
        // chromedriver says so as an unknown error with the browser's own words.
        if status == ErrorStatus::UnknownError && DOCUMENT_GONE.iter().any(|m| message.contains(m))
        {
            status = ErrorStatus::NoSuchFrame;
        }
        return Err(CmdError::Standard(WebDriver::new(
            status,
            format!("{message} (WebDriver BiDi: {code})"),
        )));
    }
    Ok(v.get("result").cloned().unwrap_or(Value::Null))
}

/// What Chromium says when the document or realm a script ran in is gone.
const DOCUMENT_GONE: &[&str] = &[
    "Cannot find context with specified id",
    "Execution context was destroyed",
    "Inspected target navigated or closed",
    "Cannot find default execution context",
    // A sandbox asked for in a frame the browser has just detached (an iframe replaced
    // while its document was saved): the browser's own words for "no such frame".
    "No frame for given id found",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_counts_only_from_the_engines_sandbox_on_its_channel() {
        let realms = Realms::default();
        follow_realms(
            &realms,
            &json!({"method": "script.realmCreated", "params": {"context": "C1", "realm": "R1", "sandbox": SANDBOX, "type": "window"}}),
        );
        let message = |channel: &str, realm: &str| json!({"method": "script.message", "params": {"channel": channel, "source": {"realm": realm, "context": "C1"}, "data": {"type": "object", "value": [["token", {"type": "string", "value": "t1"}], ["verdict", {"type": "string", "value": "hit"}]]}}});
        let said = verdict(&realms, &message(VERDICTS, "R1")).expect("the sandbox's verdict");
        assert_eq!(said, json!({"token": "t1", "verdict": "hit"}));
        // The page's own realm, or a realm gone: not ours.
        assert!(verdict(&realms, &message(VERDICTS, "P1")).is_none());
        assert!(verdict(&realms, &message("another", "R1")).is_none());
    }

    #[tokio::test]
    async fn a_verdict_is_taken_by_its_token_once_whether_it_came_before_or_after() {
        let verdicts = Arc::new(Verdicts::default());
        verdicts.say(json!({"token": "early", "verdict": "hit"}));
        let early = verdicts
            .take("early", std::time::Duration::from_millis(10))
            .await;
        assert_eq!(early.unwrap()["verdict"], "hit");
        assert!(verdicts
            .take("early", std::time::Duration::from_millis(10))
            .await
            .is_none());
        let later = verdicts.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            later.say(json!({"token": "other", "verdict": "hit"}));
            later.say(json!({"token": "late", "verdict": "blocked"}));
        });
        let late = verdicts
            .take("late", std::time::Duration::from_secs(5))
            .await;
        assert_eq!(late.unwrap()["verdict"], "blocked");
        assert!(verdicts
            .take("never", std::time::Duration::from_millis(10))
            .await
            .is_none());
    }

    #[test]
    fn the_sandbox_realm_of_each_context_follows_the_events() {
        let realms = Realms::default();
        let created = |c: &str, r: &str, sandbox: &str| json!({"method": "script.realmCreated", "params": {"context": c, "realm": r, "sandbox": sandbox, "type": "window"}});
        follow_realms(&realms, &created("C1", "R1", SANDBOX));
        follow_realms(&realms, &created("C1", "P1", "other"));
        follow_realms(&realms, &created("C1", "R2", SANDBOX));
        follow_realms(
            &realms,
            &json!({"method": "script.realmDestroyed", "params": {"realm": "R1"}}),
        );
        assert_eq!(
            realms.lock().unwrap().get("C1").map(String::as_str),
            Some("R2")
        );
        follow_realms(
            &realms,
            &json!({"method": "script.realmDestroyed", "params": {"realm": "R2"}}),
        );
        assert!(realms.lock().unwrap().is_empty());
    }

    /// A WebSocket peer on loopback that answers the two commands `connect` sends, then
    /// answers nothing (`hang`) or closes the connection.
    async fn peer(hang: bool) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
            for _ in 0..2 {
                let Some(Ok(Message::Text(t))) = ws.next().await else {
                    return;
                };
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                let answer = json!({ "id": v["id"], "type": "success", "result": {} });
                ws.send(Message::text(answer.to_string())).await.unwrap();
            }
            if hang {
                while ws.next().await.is_some() {}
            } else {
                let _ = ws.close(None).await;
            }
        });
        url
    }

    #[tokio::test]
    async fn a_dead_reader_fails_later_commands_at_once() {
        let bidi = Bidi::connect(&peer(false).await).await.unwrap();
        let long = Budget {
            within: std::time::Duration::from_secs(30),
            limit: "test".into(),
        };
        // The reader sees the close soon after: wait for it, bounded.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !bidi.ended.load(Ordering::SeqCst) {
            assert!(std::time::Instant::now() < until, "the reader never ended");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let started = std::time::Instant::now();
        let e = bidi
            .command("script.evaluate", json!({}), &long)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("connection closed"), "{e}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(bidi.pending.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_command_unanswered_within_its_budget_is_abandoned_without_a_trace() {
        let bidi = Bidi::connect(&peer(true).await).await.unwrap();
        let short = Budget {
            within: std::time::Duration::from_millis(200),
            limit: "step timeout of 1s".into(),
        };
        let e = bidi
            .command("script.evaluate", json!({}), &short)
            .await
            .unwrap_err();
        assert_eq!(
            crate::driver::no_answer(&e),
            Some((
                "WebDriver BiDi script.evaluate".to_string(),
                "step timeout of 1s".to_string()
            ))
        );
        assert!(bidi.pending.lock().unwrap().is_empty());
    }

    #[test]
    fn an_error_answer_keeps_its_code() {
        let e =
            answer(json!({"id": 1, "type": "error", "error": "no such frame", "message": "gone"}))
                .unwrap_err();
        assert!(e.is_no_such_frame(), "{e}");
        let gone = answer(json!({"id": 1, "type": "error", "error": "unknown error", "message": "Cannot find context with specified id"}))
            .unwrap_err();
        assert!(gone.is_no_such_frame(), "{gone}");
        let detached = answer(json!({"id": 1, "type": "error", "error": "unknown error", "message": "No frame for given id found"}))
            .unwrap_err();
        assert!(detached.is_no_such_frame(), "{detached}");
        assert!(crate::actions::StepError::transient(&detached));
        let ok = answer(json!({"id": 1, "type": "success", "result": {"a": 1}})).unwrap();
        assert_eq!(ok, json!({"a": 1}));
    }
}
