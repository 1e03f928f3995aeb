//! The locator engine's corpus (tests/engine): every case of every page, in real headless
//! Chromium through chromedriver, in each shadow mode the page names. One harness, a case
//! a line of JSON; `SETUPWRIGHT_BLESS=1` rewrites the cases with what the engine answers.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use setupwright::driver::{element_json, Browser, BrowserOptions, Session};
use setupwright::locate::{
    self, DescribeAnswer, ElementRef, EngineError, LocateAnswer, Request, SpecRequest,
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
#[test]
fn an_exception_in_the_engine_is_reported_as_one() {
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
        session
            .goto(&format!("{}/engine/accname.html", fx.base))
            .await
            .unwrap();
        let res = locate::run::<DescribeAnswer>(
            &session,
            &Request::Describe {
                el: ElementRef(Value::Null),
            },
        )
        .await;
        browser.close().await;
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
    });
}
