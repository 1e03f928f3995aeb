//! The locator engine's corpus (tests/engine): every case of every page, in real headless
//! Chromium through chromedriver, in each shadow mode the page names. One harness, a case
//! a line of JSON; `SETUPWRIGHT_BLESS=1` rewrites the cases with what the engine answers.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use setupwright::driver::{element_json, Browser, BrowserOptions, Session};
use setupwright::locate::{
    self, AuthorAnswer, DescribeAnswer, ElementRef, EngineError, LocateAnswer, Request, SpecRequest,
};

/// What the element a locate answered is: the nearest `data-case` or `data-id` mark on it
/// or around it in the composed tree, whether the mark is on the element itself, and the
/// engine's own reading of it.
const MARK_OF: &str = "const el = arguments[0];
for (let n = el; n; n = n.assignedSlot || n.parentNode || n.host) {
  if (n.nodeType === 1 && (n.hasAttribute('data-case') || n.hasAttribute('data-id'))) {
    return { mark: n.getAttribute('data-case') || n.getAttribute('data-id'), own: n === el };
  }
}
return { mark: null, own: false };";

/// The element marked `data-case` or `data-id` = arguments[0], wherever it is in the
/// composed tree; with a selector in arguments[1], the first element inside it (through
/// its shadow roots, of both kinds) that the selector selects; with a list of selectors,
/// each inside what the one before selected.
const PICK: &str = "const deep = (root, sel) => {
  const hit = root.querySelector(sel);
  if (hit) return hit;
  for (const e of root.querySelectorAll('*')) {
    if (e.shadowRoot) { const h = deep(e.shadowRoot, sel); if (h) return h; }
  }
  return null;
};
const id = arguments[0], pick = arguments[1];
const host = deep(document, '[data-case=\"' + id + '\"], [data-id=\"' + id + '\"]');
let at = host;
for (const sel of pick == null ? [] : [].concat(pick)) {
  if (!at) return null;
  if (at.matches(sel)) continue;
  at = (at.shadowRoot && deep(at.shadowRoot, sel)) || deep(at, sel);
}
return at;";

/// The engine's locator as a case writes it: `{"field": "Country", "in_section": ...}`.
fn locator_json(a: &AuthorAnswer) -> Value {
    let Some(l) = &a.locator else {
        return Value::Null;
    };
    let mut m = serde_json::Map::new();
    m.insert(l.kind.clone(), json!(l.value));
    if let Some(r) = &l.in_row {
        m.insert("in_row".into(), json!(r));
    }
    if let Some(s) = &l.in_section {
        m.insert("in_section".into(), json!(s));
    }
    if let Some(d) = &l.in_dialog {
        m.insert("in_dialog".into(), d.clone());
    }
    if let Some(n) = l.nth {
        m.insert("nth".into(), json!(n));
    }
    Value::Object(m)
}

/// A `locator_for` case: the locator the engine writes for the element, and whether a
/// search with it (as the step that uses it searches) finds that element again.
async fn locator_case(session: &Session, case: &Value) -> Value {
    let id = case["locator_for"].clone();
    let el = session
        .client
        .execute(PICK, vec![id.clone(), case["pick"].clone()])
        .await
        .unwrap();
    assert!(!el.is_null(), "no element for {case}");
    let a: AuthorAnswer = match locate::run(
        session,
        &Request::Author {
            el: Some(ElementRef(el)),
            css: None,
            control: None,
        },
    )
    .await
    {
        Ok(a) => a,
        Err(EngineError::Script(e)) => return json!({ "locator_for": id, "engine_error": e }),
        Err(e) => panic!("WebDriver failed: {e}"),
    };
    let mut out = json!({ "locator_for": id });
    if case.get("pick").is_some() {
        out["pick"] = case["pick"].clone();
    }
    out["locator"] = locator_json(&a);
    if let Some(n) = &a.note {
        out["note"] = json!(n);
    }
    let (Some(l), Some(named)) = (&a.locator, a.el.as_ref().and_then(|e| e.resolve(session)))
    else {
        out["none"] = json!(a.none);
        return out;
    };
    let spec = SpecRequest {
        kind: l.kind.clone(),
        value: l.value.clone(),
        exact: false,
        nth: l.nth,
        in_row: l.in_row.clone(),
        in_section: l.in_section.clone(),
        in_dialog: l
            .in_dialog
            .as_ref()
            .map(|d| d.as_str().unwrap_or("").to_string()),
        within: None,
        control: a
            .control
            .as_deref()
            .and_then(|c| ["text", "choice", "toggle"].into_iter().find(|k| *k == c)),
        purpose: if l.kind == "field" { "input" } else { "click" },
        mode: "read",
        no_scroll: false,
    };
    let again: LocateAnswer = locate::run(session, &Request::Locate { spec, then: None })
        .await
        .unwrap();
    let same = match again.el.as_ref().and_then(|e| e.resolve(session)) {
        Some(found) => session
            .client
            .execute(
                "return arguments[0] === arguments[1]",
                vec![element_json(&found), element_json(&named)],
            )
            .await
            .unwrap(),
        None => json!(false),
    };
    // Said only when wrong, so that a blessed case reads as the locator alone.
    if same != json!(true) {
        out["found_again"] = same;
    }
    if again.count != 1 && l.nth.is_none() {
        out["count"] = json!(again.count);
    }
    out
}

fn pages() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engine");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    out.sort();
    out
}

fn modes(html: &str) -> Vec<&'static str> {
    match html.find("<meta name=\"modes\" content=\"") {
        Some(_) if html.contains("content=\"synthetic native\"") => vec!["synthetic", "native"],
        _ => vec!["plain"],
    }
}

fn cases_of(html: &str) -> (usize, usize, Vec<Value>) {
    let open = "<script type=\"application/json\" id=\"cases\">";
    let start = html.find(open).expect("a corpus page has a cases block") + open.len();
    let end = start
        + html[start..]
            .find("</script>")
            .expect("the cases block ends");
    let cases: Vec<Value> =
        serde_json::from_str(&html[start..end]).expect("the cases block is JSON");
    (start, end, cases)
}

fn spec_of(find: &Value) -> Request {
    let text = |k: &str| find[k].as_str().map(str::to_string);
    let kind = text("kind").unwrap_or_else(|| "auto".into());
    let purpose = match find["purpose"].as_str() {
        Some("click") => "click",
        Some("read") => "read",
        Some(_) => "input",
        None if kind == "field" => "input",
        None => "click",
    };
    let mode = match find["mode"].as_str() {
        Some("act") => "act",
        Some("present") => "present",
        _ => "read",
    };
    Request::Locate {
        spec: SpecRequest {
            value: text("value").unwrap_or_default(),
            kind,
            exact: find["exact"].as_bool().unwrap_or(false),
            nth: find["nth"].as_u64().and_then(|n| u32::try_from(n).ok()),
            in_row: text("in_row"),
            in_section: text("in_section"),
            in_dialog: text("in_dialog"),
            within: None,
            control: find["control"].as_str().and_then(|c| {
                ["text", "choice", "toggle", "branch", "edit"]
                    .into_iter()
                    .find(|k| *k == c)
            }),
            purpose,
            mode,
            no_scroll: false,
        },
        then: None,
    }
}

/// Runs one case; returns what the engine answered, in the case's own terms.
async fn answer(session: &Session, case: &Value) -> Value {
    if let Some(id) = case["name_of"].as_str() {
        let el = session
            .client
            .execute(
                "return document.querySelector('[data-case=\"' + arguments[0] + '\"]')",
                vec![json!(id)],
            )
            .await
            .unwrap();
        let d: DescribeAnswer = locate::run(session, &Request::Describe { el: ElementRef(el) })
            .await
            .unwrap();
        return json!({ "name_of": id, "name": d.name });
    }
    if case.get("locator_for").is_some() {
        return locator_case(session, case).await;
    }
    let find = &case["find"];
    let a: LocateAnswer = match locate::run(session, &spec_of(find)).await {
        Ok(a) => a,
        Err(EngineError::Script(e)) => return json!({ "find": find, "engine_error": e }),
        Err(e) => panic!("WebDriver failed: {e}"),
    };
    let Some(el) = a.el.as_ref().and_then(|e| e.resolve(session)) else {
        return json!({ "find": find, "expect": null, "near": a.near });
    };
    let m = session
        .client
        .execute(MARK_OF, vec![element_json(&el)])
        .await
        .unwrap();
    let mut out = json!({ "find": find });
    let key = if m["own"].as_bool() == Some(true) {
        "expect"
    } else {
        "expect_in"
    };
    out[key] = m["mark"].clone();
    if case.get("role").is_some() {
        out["role"] = json!(a.role);
    }
    if case.get("value").is_some() {
        out["value"] = json!(a.value);
    }
    out
}

/// Does the answer satisfy the case? Near-miss lists need only hold what the case names.
fn satisfies(case: &Value, got: &Value) -> bool {
    if case.get("name_of").is_some() {
        return case["name"] == got["name"];
    }
    if got.get("engine_error").is_some() {
        return false;
    }
    if case.get("locator_for").is_some() {
        // A locator that does not find its element again is never right, whatever the
        // case says; a CSS fallback's reason is not part of the case.
        let wrong = got.get("found_again").is_some() || got.get("count").is_some();
        return !wrong && case["locator"] == got["locator"];
    }
    for key in ["expect", "expect_in", "role", "value"] {
        if let Some(want) = case.get(key) {
            if got.get(key) != Some(want) {
                return false;
            }
        }
    }
    if let Some(want) = case.get("near").and_then(Value::as_array) {
        let near = got["near"].as_array().cloned().unwrap_or_default();
        return want.iter().all(|w| near.contains(w));
    }
    true
}

/// The page with each changed case's line replaced by the engine's answer; every other
/// line stays as written (a case a line, as the corpus pages keep them).
fn bless_block(html: &str, start: usize, end: usize, cases: &[Value], blessed: &[Value]) -> String {
    let mut i = 0;
    let lines: Vec<String> = html[start..end]
        .lines()
        .map(|line| {
            if !line.trim_start().starts_with('{') {
                return line.to_string();
            }
            let out = match (cases.get(i), blessed.get(i)) {
                (Some(c), Some(b)) if c != b => {
                    let comma = if line.trim_end().ends_with(',') {
                        ","
                    } else {
                        ""
                    };
                    format!("  {b}{comma}")
                }
                _ => line.to_string(),
            };
            i += 1;
            out
        })
        .collect();
    let block = &html[start..end];
    let tail = if block.ends_with('\n') { "\n" } else { "" };
    format!(
        "{}{}{tail}{}",
        &html[..start],
        lines.join("\n"),
        &html[end..]
    )
}

#[test]
fn every_engine_case_resolves_as_written() {
    let fx = common::serve();
    let bless = std::env::var_os("SETUPWRIGHT_BLESS").is_some();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let failures = rt.block_on(async {
        let browser = Browser::start(&BrowserOptions::default())
            .await
            .expect("chromedriver and Chromium start");
        let session = browser.session();
        let mut failures = Vec::new();
        let mut total = 0;
        for page in pages() {
            let html = std::fs::read_to_string(&page).unwrap();
            let name = page.file_name().unwrap().to_string_lossy().to_string();
            let (start, end, cases) = cases_of(&html);
            let mut blessed = cases.clone();
            for mode in modes(&html) {
                session
                    .goto(&format!("{}/engine/{name}?shadow={mode}", fx.base))
                    .await
                    .unwrap();
                for (i, case) in cases.iter().enumerate() {
                    total += 1;
                    let got = answer(&session, case).await;
                    if !satisfies(case, &got) {
                        failures.push(format!(
                            "{name} [{mode}] case {}: {case}\n    the engine answered: {got}",
                            i + 1
                        ));
                        blessed[i] = got;
                    }
                }
            }
            if bless && blessed != cases {
                std::fs::write(&page, bless_block(&html, start, end, &cases, &blessed)).unwrap();
            }
        }
        browser.close().await;
        println!("engine corpus: {total} cases run");
        failures
    });
    assert!(
        failures.is_empty(),
        "{} engine case(s) failed{}:\n{}",
        failures.len(),
        if bless {
            " (blessed: read the diff)"
        } else {
            ""
        },
        failures.join("\n")
    );
}

/// An exception inside the engine reaches the caller as the engine's failure, with its
/// message, never as an element that was not found.
/// `f` on a page of the fixture server (`path`, e.g. `engine/author.html`) in a fresh
/// headless Chromium, closed once `f` is done.
fn on_page<F, Fut, T>(path: &str, f: F) -> T
where
    F: FnOnce(Session) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let fx = common::serve();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let browser = Browser::start(&BrowserOptions::default())
            .await
            .expect("chromedriver and Chromium start");
        let session = browser.session();
        session.goto(&format!("{}/{path}", fx.base)).await.unwrap();
        let out = f(session).await;
        browser.close().await;
        out
    })
}

#[test]
fn an_exception_in_the_engine_is_reported_as_one() {
    let res = on_page("engine/accname.html", |session| async move {
        locate::run::<DescribeAnswer>(
            &session,
            &Request::Describe {
                el: ElementRef(Value::Null),
            },
        )
        .await
    });
    match res {
        Err(e @ EngineError::Script(_)) => {
            let shown = e.to_string();
            assert!(
                shown.contains("locator engine failed") && shown.contains("TypeError"),
                "{shown}"
            );
        }
        other => panic!("expected the engine's own failure, got {other:?}"),
    }
}

/// The Rust side of `author`: an element or a CSS selector in, the locator a draft writes
/// out, in the current document or in the document of a BiDi context.
#[test]
fn the_rust_side_writes_a_draft_locator_for_an_element_or_a_selector() {
    use setupwright::author::{locator_for, Target, Val};
    on_page("engine/author.html", |session| async move {
        let by_css = locator_for(&session, None, Target::Css("[data-case=save-dialog]"), None)
            .await
            .unwrap();
        assert_eq!(
            by_css.locator,
            Val::Map(vec![
                ("button".into(), Val::lit("Save")),
                ("in_dialog".into(), Val::Bool(true)),
            ])
        );
        assert!(by_css.unique && by_css.note.is_none());
        let input = session
            .client
            .find(fantoccini::Locator::Css("[data-case=name]"))
            .await
            .unwrap();
        let context = session.context().await.unwrap();
        let by_el = locator_for(&session, Some(&context), Target::Element(&input), None)
            .await
            .unwrap();
        assert_eq!(by_el.locator, Val::pair("field", "Name"));
        assert_eq!(by_el.role, "textbox");
        let twin = locator_for(&session, None, Target::Css("[data-case=edit-1]"), None)
            .await
            .unwrap();
        assert_eq!(twin.kind(), "css");
        assert!(twin.note.is_some_and(|n| n.contains("names 2 elements")));
        let none = locator_for(&session, None, Target::Css("[data-case=plain]"), None).await;
        assert!(
            none.as_ref()
                .is_err_and(|e| e.to_string().contains("nothing a runbook names")),
            "{none:?}"
        );
    });
}

/// A picture's look after the capture asks each document for the text its changes
/// brought in since the look before (`since`); when that answer is thrown away and the
/// look taken again (a document went away under the walk, a closed shadow root handed
/// over), the second answer must still carry it: a secret drawn and taken away while the
/// picture was taken is seen however many times the look is taken.
#[test]
fn text_a_change_brought_in_is_answered_again_until_the_next_picture() {
    use setupwright::locate::ShootAnswer;
    use std::collections::HashMap;
    let (first, again, later) = on_page("fixtures/form.html", |session| async move {
        let shoot = |since: HashMap<String, u64>| Request::Shoot {
            ms: 0,
            min_len: 6,
            specs: Vec::new(),
            secrets: 1,
            guard: true,
            since,
            clean: HashMap::new(),
        };
        let before: ShootAnswer = locate::run_for_screenshot(&session, &shoot(HashMap::new()))
            .await
            .unwrap();
        // Drawn and taken away between the two looks, as during a capture.
        session
            .isolated(
                "() => { const d = document.createElement('div'); d.textContent = 'Passing-S3cret-42'; document.body.append(d); d.remove(); }",
                Vec::new(),
                false,
            )
            .await
            .unwrap();
        let since = HashMap::from([(before.doc.clone(), before.gen)]);
        let first: ShootAnswer = locate::run_for_screenshot(&session, &shoot(since.clone()))
            .await
            .unwrap();
        let again: ShootAnswer = locate::run_for_screenshot(&session, &shoot(since))
            .await
            .unwrap();
        // The next picture's first look starts afresh.
        let next: ShootAnswer = locate::run_for_screenshot(&session, &shoot(HashMap::new()))
            .await
            .unwrap();
        let later: ShootAnswer = locate::run_for_screenshot(
            &session,
            &shoot(HashMap::from([(next.doc.clone(), next.gen)])),
        )
        .await
        .unwrap();
        (first, again, later)
    });
    let passed = |a: &ShootAnswer| a.transient.iter().any(|t| t.contains("Passing-S3cret-42"));
    assert!(passed(&first), "the look after: {:?}", first.transient);
    assert!(
        passed(&again),
        "the look taken again: {:?}",
        again.transient
    );
    assert!(
        !passed(&later),
        "the next picture's look after: {:?}",
        later.transient
    );
}
