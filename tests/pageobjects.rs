//! Conformance to Salesforce's own page objects: the UTAM JSON of npm
//! `salesforce-pageobjects` (pinned in sim/lightning/package.json) for every base
//! component and Setup page the simulator renders, checked on the simulator's pages in
//! both shadow modes, through every shadow boundary the page objects declare.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::{json, Value};
use setupwright::driver::{Browser, BrowserOptions, Session};

const CHECK: &str = include_str!("pageobjects/check.js");

/// The page objects of `names` and of every page object they reference, by `lightning/x`
/// or `setup/x` name.
fn page_objects(names: &[&str]) -> BTreeMap<String, Value> {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("sim/lightning/node_modules/salesforce-pageobjects/dist");
    let mut out = BTreeMap::new();
    let mut todo: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    while let Some(name) = todo.pop() {
        if out.contains_key(&name) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dist.join(format!("{name}.utam.json"))) else { continue };
        let po: Value = serde_json::from_str(&text).unwrap();
        for cap in text.split("\"utam-").skip(1) {
            let Some(end) = cap.find('"') else { continue };
            if let Some((pkg, rest)) = cap[..end].split_once("/pageObjects/") {
                if pkg == "lightning" || pkg == "setup" {
                    todo.push(format!("{pkg}/{rest}"));
                }
            }
        }
        out.insert(name, po);
    }
    out
}

/// Known gaps, each with why: elements a page object declares as always present that a
/// component, configured as the simulator's pages configure it, does not render.
const ABSENT_BY_DESIGN: &[(&str, &str)] = &[];

async fn check(session: &Session, roots: &[(&str, &str)], args: Value) -> (u64, Vec<String>) {
    let names: Vec<&str> = roots.iter().map(|(n, _)| *n).collect();
    let pos = page_objects(&names);
    let req = json!({ "pageObjects": pos, "roots": roots, "args": args });
    let r = session.execute(CHECK, vec![req]).await.unwrap();
    let failures = r["failures"].as_array().unwrap().iter().filter_map(Value::as_str).filter(|f| !ABSENT_BY_DESIGN.iter().any(|(p, _)| f.contains(p))).map(str::to_string).collect();
    (r["checked"].as_u64().unwrap_or(0), failures)
}

async fn wait_for(session: &Session, css: &str) {
    for _ in 0..100 {
        let ok = session.execute("return !!document.querySelector(arguments[0])", vec![json!(css)]).await.unwrap();
        if ok == json!(true) {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{css} never rendered");
}

fn conforms(shadow: setupwright_sim::Shadow) {
    let h = start_sim_in(None, shadow);
    let fx = serve();
    let mode = shadow.name();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let (checked, failures) = rt.block_on(async {
        let browser = Browser::start(&BrowserOptions::default()).await.expect("chromedriver and Chromium start");
        let s = browser.session();
        let sid = h.sim.new_session();
        s.goto(&format!("{}/secur/frontdoor.jsp?sid={sid}&retURL=/lightning/setup/SetupOneHome/home", h.sim.classic_url)).await.unwrap();
        let mut checked = 0;
        let mut failures = Vec::new();
        let pages: &[(&str, &str, &[(&str, &str)], Value)] = &[
            (
                "/lightning/setup/SetupOneHome/home",
                "setup-home",
                &[("setup/setupNavTree", ".onesetupSetupNavTree"), ("lightning/card", "lightning-card")],
                json!({ "setup/setupNavTree.navTreeNodeByName": ["Named Credentials"] }),
            ),
            ("/lightning/setup/ManageExternalClientApplication/home", "setup-eca-list", &[("lightning/button", "lightning-button"), ("lightning/card", "lightning-card"), ("lightning/datatable", "lightning-datatable")], json!({})),
            (
                "/lightning/setup/ManageExternalClientApplication/new",
                "setup-eca-new",
                &[("lightning/input", "lightning-input"), ("lightning/combobox", "lightning-combobox"), ("lightning/button", "lightning-button"), ("lightning/helptext", "lightning-helptext")],
                json!({}),
            ),
            (
                "/lightning/setup/NamedCredential/home",
                "setup-nc-list",
                &[("lightning/buttonMenu", "lightning-button-menu"), ("lightning/button", "lightning-button"), ("lightning/tabset", "lightning-tabset"), ("lightning/datatable", "lightning-datatable")],
                json!({}),
            ),
        ];
        for (path, tag, roots, args) in pages {
            s.goto(&format!("{}{path}", h.sim.setup_url)).await.unwrap();
            wait_for(&s, tag).await;
            let (n, f) = check(&s, roots, args.clone()).await;
            checked += n;
            failures.extend(f.into_iter().map(|f| format!("{path}: {f}")));
        }
        // The gallery of the components the Setup pages use besides.
        s.goto(&format!("{}/fixtures/components.html?shadow={mode}", fx.base)).await.unwrap();
        wait_for(&s, "fixture-components").await;
        let roots = [
            ("lightning/input", "lightning-input"),
            ("lightning/textarea", "lightning-textarea"),
            ("lightning/select", "lightning-select"),
            ("lightning/radioGroup", "lightning-radio-group"),
            ("lightning/checkboxGroup", "lightning-checkbox-group"),
            ("lightning/combobox", "lightning-combobox"),
            ("lightning/dualListbox", "lightning-dual-listbox"),
            ("lightning/buttonMenu", "lightning-button-menu"),
            ("lightning/buttonIcon", "lightning-button-icon"),
            ("lightning/helptext", "lightning-helptext"),
            ("lightning/datatable", "lightning-datatable"),
            ("lightning/tabset", "lightning-tabset"),
            ("lightning/accordion", "lightning-accordion"),
            ("lightning/card", "lightning-card"),
            ("lightning/formattedText", "lightning-formatted-text"),
            ("lightning/formattedEmail", "lightning-formatted-email"),
            ("lightning/formattedNumber", "lightning-formatted-number"),
        ];
        let (n, f) = check(&s, &roots, json!({})).await;
        checked += n;
        failures.extend(f.into_iter().map(|f| format!("components gallery: {f}")));
        browser.close().await;
        (checked, failures)
    });
    println!("{mode}: {checked} page-object selectors checked");
    assert!(checked > 100, "only {checked} selectors were checked");
    assert!(failures.is_empty(), "{mode} shadow: {} page-object selectors do not resolve:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn salesforce_page_objects_resolve_on_the_simulator_under_synthetic_shadow() {
    conforms(setupwright_sim::Shadow::Synthetic);
}

#[test]
fn salesforce_page_objects_resolve_on_the_simulator_under_native_shadow() {
    conforms(setupwright_sim::Shadow::Native);
}
