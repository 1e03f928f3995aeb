//! The engine's roles and accessible names against Chromium's own: the browser's
//! accessibility tree, the reference the engine imitates (it cannot ask it while it
//! searches), read whole once a page and checked on a sample against WebDriver's Get
//! Computed Role and Get Computed Label.
//! Every element of every corpus and fixture page that Chromium gives a named role is
//! compared; the engine must agree, but for the differences listed in `KNOWN` with why.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;
use setupwright::driver::{element_json, Browser, BrowserOptions, Cdp, Session};
use setupwright::locate::{self, DescribeAnswer, ElementRef, Request};

/// WebDriver's Get Computed Role / Get Computed Label for one element: what the tree is
/// checked against, on a sample of each page's elements.
#[derive(Debug)]
struct Computed {
    element: String,
    what: &'static str,
}

impl WebDriverCompatibleCommand for Computed {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/element/{}/{}",
            session.unwrap_or_default(),
            self.element,
            self.what
        ))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

/// The elements of the composed tree (light DOM and open shadow roots) that may have a
/// named role, in document order: Chromium is asked about each, so plain boxes are left out.
const CANDIDATES: &str = "const out = [];
const named = 'a,area,button,input,select,textarea,img,svg,h1,h2,h3,h4,h5,h6,tr,td,th,table,' +
  'fieldset,details,summary,option,dialog,nav,section,form,output,[role],[aria-label],[aria-labelledby]';
const visit = (root) => {
  for (const el of root.querySelectorAll('*')) {
    if (el.matches(named)) out.push(el);
    if (el.shadowRoot) visit(el.shadowRoot);
  }
};
visit(document);
return out;";

/// Whether the element holds a text field with nothing in it.
const HOLDS_EMPTY_FIELD: &str = "return Array.from(arguments[0].querySelectorAll('input, textarea'))
  .some((f) => !/^(checkbox|radio|submit|button|image|hidden|reset)$/i.test(f.type) && f.value === '');";

/// Where the engine and Chromium differ on purpose, and why; `None` for any other
/// difference.
fn known(
    role: &str,
    label: &str,
    engine_role: &str,
    holds_empty_field: bool,
) -> Option<&'static str> {
    if role == "row" && engine_role == "row" && label.is_empty() {
        // WAI-ARIA 1.2 gives a row its name from content, and `row:` locators match
        // it; Chromium leaves table rows unnamed.
        return Some("a row's name from its content");
    }
    if matches!(role, "cell" | "gridcell") && role == engine_role && holds_empty_field {
        // accname 2C: a text field inside content being named gives its value, here
        // empty; Chromium gives the field's own label instead. No locator reads a cell's
        // name (`in_row` reads the row's text).
        return Some("an empty field inside a cell");
    }
    None
}

/// Roles whose name a locator matches on; the rest (generic, paragraph...) are not looked
/// up by name.
const NAMED_ROLES: &[&str] = &[
    "button",
    "link",
    "checkbox",
    "radio",
    "textbox",
    "searchbox",
    "combobox",
    "listbox",
    "option",
    "tab",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "switch",
    "heading",
    "dialog",
    "alertdialog",
    "row",
    "cell",
    "gridcell",
    "columnheader",
    "rowheader",
    "spinbutton",
    "slider",
    "img",
    "navigation",
    "region",
    "tabpanel",
    "treeitem",
    "group",
    "table",
    "grid",
    "form",
];

async fn computed(session: &Session, el: &Value, what: &'static str) -> String {
    session
        .client
        .issue_cmd(Computed {
            element: element_id(el).to_string(),
            what,
        })
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn element_id(el: &Value) -> &str {
    el.as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Each node's role and name in Chromium's accessibility tree, by DOM node: the tree read
/// whole (`Accessibility.getFullAXTree`, through chromedriver's DevTools passthrough), the
/// same computation WebDriver's Get Computed Role and Get Computed Label read one element
/// at a time (`Accessibility.getPartialAXTree`), in one round trip a page instead of two an
/// element.
async fn ax_tree(session: &Session) -> HashMap<u64, (String, String)> {
    let tree = session
        .client
        .issue_cmd(Cdp {
            cmd: "Accessibility.getFullAXTree",
            params: serde_json::json!({}),
        })
        .await
        .expect("Accessibility.getFullAXTree through chromedriver");
    let value = |n: &Value, k: &str| {
        n.get(k)
            .and_then(|v| v.get("value"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    tree.get("nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|n| {
            let id = n.get("backendDOMNodeId")?.as_u64()?;
            Some((id, (value(n, "role"), value(n, "name"))))
        })
        .collect()
}

/// The DOM node an element reference names: chromedriver's references are WebDriver
/// BiDi shared ids, `f.<frame>.d.<document>.e.<backend node id>`.
fn backend_node(el: &Value) -> Option<u64> {
    element_id(el).rsplit_once(".e.")?.1.parse().ok()
}

/// Chromium's role and name for the element: from the tree, where WebDriver's commands
/// find none for an element the tree leaves out ("none", no name).
fn chromium(tree: &HashMap<u64, (String, String)>, el: &Value) -> (String, String) {
    backend_node(el)
        .and_then(|id| tree.get(&id).cloned())
        .unwrap_or_else(|| ("none".to_string(), String::new()))
}

/// Every this many candidates, the tree's role and name are checked against WebDriver's.
const SAMPLE: usize = 8;

/// The engine's name and role for each of `els`, asked in one call (the engine installed
/// by a first ordinary request): one round trip a page, not one an element.
async fn described(session: &Session, els: &[Value]) -> Vec<Result<DescribeAnswer, String>> {
    let Some(first) = els.first().and_then(|e| session.element(e)) else {
        return Vec::new();
    };
    let installed: Result<DescribeAnswer, _> = locate::run(
        session,
        &Request::Describe {
            el: ElementRef::of(&first),
        },
    )
    .await;
    if let Err(e) = installed {
        return els
            .iter()
            .map(|_| Err(format!("engine error {e}")))
            .collect();
    }
    let requests: Vec<Value> = els
        .iter()
        .map(|el| serde_json::json!({ "op": "describe", "el": el }))
        .collect();
    let all = session
        .isolated(
            "(requests) => Promise.all(requests.map((r) => globalThis.setupwrightEngine(r).catch((e) => ({ engineError: String(e) }))))",
            vec![Value::Array(requests)],
            true,
        )
        .await;
    match all {
        Ok(Value::Array(answers)) => answers
            .into_iter()
            .map(|a| match a.get("engineError") {
                Some(e) => Err(format!("engine error {e}")),
                None => serde_json::from_value(a).map_err(|e| format!("engine answer {e}")),
            })
            .collect(),
        other => els
            .iter()
            .map(|_| Err(format!("engine error {other:?}")))
            .collect(),
    }
}

/// The page's elements where Chromium and the engine differ: (mark, chromium, engine).
async fn differences(session: &Session) -> (usize, Vec<(String, String, String)>) {
    let els = session.client.execute(CANDIDATES, vec![]).await.unwrap();
    let mut tree = ax_tree(session).await;
    let mut named = Vec::new();
    let mut out = Vec::new();
    for (i, el) in els
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let (mut role, mut label) = chromium(&tree, &el);
        if i % SAMPLE == 0 {
            let asked = (
                computed(session, &el, "computedrole").await,
                computed(session, &el, "computedlabel").await,
            );
            if asked != (role.clone(), label.clone()) {
                // The page moved on since the tree was read (a spinner gone): read it again.
                tree = ax_tree(session).await;
                (role, label) = chromium(&tree, &el);
            }
            if asked != (role.clone(), label.clone()) {
                let element = session.element(&el).expect("an element reference");
                out.push((
                    mark(session, &element).await,
                    format!("tree: {role} {label:?}"),
                    format!("webdriver: {} {:?}", asked.0, asked.1),
                ));
            }
        }
        if !NAMED_ROLES.contains(&role.as_str()) {
            continue;
        }
        named.push((el, role, label));
    }
    let els: Vec<Value> = named.iter().map(|(el, _, _)| el.clone()).collect();
    let answers = described(session, &els).await;
    let mut compared = 0;
    for ((el, role, label), d) in named.into_iter().zip(answers) {
        let Some(element) = session.element(&el) else {
            continue;
        };
        let d = match d {
            Ok(d) => d,
            Err(e) => {
                out.push((
                    mark(session, &element).await,
                    format!("{role} {label:?}"),
                    e,
                ));
                continue;
            }
        };
        compared += 1;
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (label, name) = (norm(&label), norm(&d.name));
        if label == name && role == d.role {
            continue;
        }
        let holds_empty_field = session
            .client
            .execute(HOLDS_EMPTY_FIELD, vec![element_json(&element)])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if known(&role, &label, &d.role, holds_empty_field).is_none() {
            out.push((
                mark(session, &element).await,
                format!("{role} {label:?}"),
                format!("{} {name:?}", d.role),
            ));
        }
    }
    (compared, out)
}

async fn mark(session: &Session, el: &fantoccini::elements::Element) -> String {
    session
        .client
        .execute(
            "const e = arguments[0]; const id = e.id ? '#' + e.id : ''; const c = e.getAttribute('data-case') || e.getAttribute('data-id'); return e.tagName.toLowerCase() + id + (c ? '[' + c + ']' : '') + ' ' + (e.outerHTML || '').slice(0, 120).replace(/\\s+/g, ' ');",
            vec![element_json(el)],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Waits until the page's candidates stop changing (components render after load): the
/// same count 300 ms apart, or for a page that shows none (its content in frames), the
/// same none for 1.2 s.
async fn settle(session: &Session) {
    let count = async || {
        let els = session.client.execute(CANDIDATES, vec![]).await.ok();
        els.and_then(|v| v.as_array().map(Vec::len)).unwrap_or(0)
    };
    let mut last = count().await;
    let mut still = 0;
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let now = count().await;
        still = if now == last { still + 1 } else { 0 };
        if still >= if now > 0 { 1 } else { 4 } {
            return;
        }
        last = now;
    }
}

type Report = BTreeMap<String, Vec<(String, String, String)>>;

/// Compares the page the session shows, under `label`.
async fn compare(session: &Session, label: String, report: &mut Report) -> usize {
    settle(session).await;
    let (n, diffs) = differences(session).await;
    report.insert(label, diffs);
    n
}

fn verdict(report: &Report, compared: usize) {
    let mut text = String::new();
    let mut count = 0;
    for (page, diffs) in report {
        for (m, c, e) in diffs {
            count += 1;
            text.push_str(&format!(
                "{page}: {m}\n    chromium: {c}\n    engine:   {e}\n"
            ));
        }
    }
    println!("compared {compared} elements");
    assert!(count == 0, "{count} differences:\n{text}");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Every page of the engine corpus and the fixtures, in both shadow modes where the page
/// is built of Salesforce's components.
#[test]
fn the_engine_names_what_chromium_names() {
    let fx = common::serve();
    let mut pages = Vec::new();
    for (dir, route) in [("tests/engine", "engine"), ("tests/fixtures", "fixtures")] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".html"))
            .collect();
        names.sort();
        for n in names {
            let html = std::fs::read_to_string(dir.join(&n)).unwrap_or_default();
            let both = html.contains("synthetic-shadow") || html.contains("synthetic native");
            pages.push((format!("{route}/{n}"), both));
        }
    }
    let (report, compared) = runtime().block_on(async {
        let browser = Browser::start(&BrowserOptions::default())
            .await
            .expect("chromedriver and Chromium start");
        let session = browser.session();
        let mut report = Report::new();
        let mut compared = 0;
        for (page, both) in &pages {
            let modes: &[&str] = if *both {
                &["synthetic", "native"]
            } else {
                &["plain"]
            };
            for mode in modes {
                let url = format!("{}/{page}?shadow={mode}", fx.base);
                session.goto(&url).await.unwrap();
                compared += compare(&session, format!("{page} [{mode}]"), &mut report).await;
            }
        }
        browser.close().await;
        (report, compared)
    });
    verdict(&report, compared);
}

/// The simulator's Setup pages (Lightning, of Salesforce's base components, in both
/// shadow modes) and its classic pages.
#[test]
fn the_engine_names_the_setup_pages_as_chromium_does() {
    let mut report = Report::new();
    let mut compared = 0;
    for shadow in [
        setupwright_sim::Shadow::Synthetic,
        setupwright_sim::Shadow::Native,
    ] {
        let h = common::start_sim_in(None, shadow);
        let mode = shadow.name();
        compared += runtime().block_on(async {
            let browser = Browser::start(&BrowserOptions::default())
                .await
                .expect("chromedriver and Chromium start");
            let s = browser.session();
            let sid = h.sim.new_session();
            let front = format!(
                "{}/secur/frontdoor.jsp?sid={sid}&retURL=/lightning/setup/SetupOneHome/home",
                h.sim.classic_url
            );
            s.goto(&front).await.unwrap();
            let mut n = 0;
            for path in [
                "/lightning/setup/SetupOneHome/home",
                "/lightning/setup/ManageExternalClientApplication/home",
                "/lightning/setup/ManageExternalClientApplication/new",
                "/lightning/setup/NamedCredential/home",
            ] {
                s.goto(&format!("{}{path}", h.sim.setup_url)).await.unwrap();
                n += compare(&s, format!("{path} [{mode}]"), &mut report).await;
            }
            // Classic pages are the same in both modes.
            if shadow == setupwright_sim::Shadow::Synthetic {
                for path in ["/0XA/e", "/0SO/e", "/01I"] {
                    s.goto(&format!("{}{path}", h.sim.classic_url))
                        .await
                        .unwrap();
                    n += compare(&s, format!("classic {path}"), &mut report).await;
                }
            }
            browser.close().await;
            n
        });
    }
    verdict(&report, compared);
}
