//! Conformance to Salesforce's own page objects: the UTAM JSON of npm
//! `salesforce-pageobjects` (pinned in sim/lightning/package.json) for every base
//! component and Setup page the simulator renders, checked on the simulator's pages in
//! both shadow modes, through every shadow boundary the page objects declare, and the
//! classic Setup page object on a classic page in its cross-origin frame.

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
    let dist = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sim/lightning/node_modules/salesforce-pageobjects/dist");
    let mut out = BTreeMap::new();
    let mut todo: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    while let Some(name) = todo.pop() {
        if out.contains_key(&name) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(dist.join(format!("{name}.utam.json"))) else {
            continue;
        };
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

/// What the check found on one page, each list of page-object paths.
#[derive(Default)]
struct Found {
    checked: u64,
    resolved: Vec<String>,
    absent: Vec<String>,
    wrong_boundary: Vec<String>,
    missing_roots: Vec<String>,
}

fn strings(v: &Value, where_: &str) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|s| format!("{where_}: {s}"))
        .collect()
}

async fn check(
    session: &Session,
    where_: &str,
    roots: &[(&str, &str)],
    args: Value,
    into: &mut Found,
) {
    let names: Vec<&str> = roots.iter().map(|(n, _)| *n).collect();
    let pos = page_objects(&names);
    let req = json!({ "pageObjects": pos, "roots": roots, "args": args });
    let r = session.client.execute(CHECK, vec![req]).await.unwrap();
    into.checked += r["checked"].as_u64().unwrap_or(0);
    into.resolved.extend(strings(&r["resolved"], where_));
    into.absent.extend(strings(&r["absent"], where_));
    into.wrong_boundary
        .extend(strings(&r["wrongBoundary"], where_));
    into.missing_roots
        .extend(strings(&r["missingRoots"], where_));
}

/// Elements each page object must resolve somewhere on the simulator's pages: what a test
/// written against Salesforce's page objects touches first. (An element absent from every
/// page may belong to another state: a closed menu's items, a datepicker's parts.)
/// The Setup frame, found through shadow roots (it sits in force-aloha-page's).
const DEEP_IFRAME: &str = "const visit = (r) => { const f = r.querySelector('iframe'); if (f) return f; for (const e of r.querySelectorAll('*')) { if (e.shadowRoot) { const g = visit(e.shadowRoot); if (g) return g; } } return null; }; return visit(document);";

const MUST_RESOLVE: &[&str] = &[
    "setup/setupAlohaPage > buttonByName",
    "setup/setupAlohaPage > footerButtonByText",
    "setup/setupAlohaPage > inputBoxByName",
    "setup/setupAlohaPage > selectBoxByName",
    "setup/setupAlohaPage > itemLabel",
    "setup/setupAlohaPage > setupAlohaItemRowByLabel{setup/setupAlohaPageItemRow} > dataInput",
    "setup/setupNavTree > navTreeNodeByName{setup/navTreeNode} > expandButton",
    "setup/setupNavTree > navTreeNodeByName{setup/navTreeNode} > leafNode",
    "setup/setupNavTree > navTreeNodeByName{setup/navTreeNode} > link",
    "lightning/input >>> primitiveInput >>> label",
    "lightning/input >>> primitiveInput >>> input",
    "lightning/input >>> primitiveInput >>> inputCheckbox",
    "lightning/textarea >>> field",
    "lightning/select >>> selectBox",
    "lightning/radioGroup >>> radioOptions",
    "lightning/checkboxGroup >>> checkboxes",
    "lightning/combobox >>> labelText",
    "lightning/combobox >>> base{lightning/baseCombobox} >>> triggerInput",
    "lightning/dualListbox >>> sourceItems",
    "lightning/dualListbox >>> selectBtn{lightning/buttonIcon} >>> button",
    "lightning/button >>> button",
    "lightning/buttonMenu >>> button",
    "lightning/buttonIcon >>> button",
    "lightning/helptext >>> buttonIcon >>> button",
    "lightning/datatable >>> tableElement > body > rows",
    "lightning/tabset >>> tabBar{lightning/tabBar} >>> tabs",
    "lightning/accordion > accordionSections{lightning/accordionSection} >>> section > sectionSummary > sectionSummaryButton",
    "lightning/card >>> header > titleContainer",
];

fn without_instance(path: &str) -> String {
    let mut out = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

async fn wait_for(session: &Session, css: &str) {
    for _ in 0..100 {
        let ok = session
            .client
            .execute(
                "return !!document.querySelector(arguments[0])",
                vec![json!(css)],
            )
            .await
            .unwrap();
        if ok == json!(true) {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{css} never rendered");
}

/// A Setup page of the simulator: its path, the component that renders it, the page
/// objects to check there with the selector of their root, and selector arguments.
type SetupPage<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], Value);

fn conforms(shadow: setupwright_sim::Shadow) {
    let h = start_sim_in(None, shadow);
    let fx = serve();
    let mode = shadow.name();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let found = rt.block_on(async {
        let browser = Browser::start(&BrowserOptions::default()).await.expect("chromedriver and Chromium start");
        let s = browser.session();
        let sid = h.sim.new_session();
        s.goto(&format!("{}/secur/frontdoor.jsp?sid={sid}&retURL=/lightning/setup/SetupOneHome/home", h.sim.classic_url)).await.unwrap();
        let mut found = Found::default();
        let pages: &[SetupPage] = &[
            (
                "/lightning/setup/SetupOneHome/home",
                "setup-home",
                &[("setup/setupNavTree", ".onesetupSetupNavTree"), ("lightning/card", "lightning-card")],
                json!({ "setup/setupNavTree.navTreeNodeByName": ["Security"], "setup/navTreeNode.leafNode": ["Named Credentials"] }),
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
            check(&s, path, roots, args.clone(), &mut found).await;
        }
        // A classic page inside Lightning, checked in its cross-origin frame.
        s.goto(&format!("{}/lightning/setup/NamedCredential/page?address=%2F0XA%2Fe", h.sim.setup_url)).await.unwrap();
        wait_for(&s, "force-aloha-page").await;
        let frame = s.client.execute(DEEP_IFRAME, vec![]).await.unwrap();
        let frame = s.element(&frame).expect("the Setup frame");
        s.enter_frame(&frame, None).await.unwrap();
        wait_for(&s, "form .pbBottomButtons").await;
        let args = json!({
            "setup/setupAlohaPage.buttonByName": ["save"],
            "setup/setupAlohaPage.footerButtonByText": ["Save"],
            "setup/setupAlohaPage.inputBoxByName": ["MasterLabel"],
            "setup/setupAlohaPage.selectBoxByName": ["Protocol"],
            "setup/setupAlohaPage.itemLabel": [1, 1],
        });
        check(&s, "Named Credential Edit (classic)", &[("setup/setupAlohaPage", "form")], args, &mut found).await;
        s.enter_top().await.unwrap();
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
        check(&s, "components gallery", &roots, json!({}), &mut found).await;
        browser.close().await;
        found
    });
    let report = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pageobjects-{mode}.json"));
    let _ = std::fs::write(&report, serde_json::to_string_pretty(&json!({ "resolved": found.resolved, "absent": found.absent, "wrong_boundary": found.wrong_boundary })).unwrap());
    println!("{mode}: {} page-object selectors checked, {} resolved, {} absent in these states (list: {})", found.checked, found.resolved.len(), found.absent.len(), report.display());
    assert!(
        found.missing_roots.is_empty(),
        "{mode}: components missing from the pages:\n{}",
        found.missing_roots.join("\n")
    );
    assert!(found.wrong_boundary.is_empty(), "{mode}: elements across another shadow boundary than Salesforce's page objects declare:\n{}", found.wrong_boundary.join("\n"));
    // Paths name instances (`lightning/input#3`); the list names elements of any instance.
    let resolved: Vec<String> = found.resolved.iter().map(|r| without_instance(r)).collect();
    let unresolved: Vec<&&str> = MUST_RESOLVE
        .iter()
        .filter(|m| !resolved.iter().any(|r| r.ends_with(*m)))
        .collect();
    assert!(
        unresolved.is_empty(),
        "{mode}: page-object elements that resolve nowhere on the simulator:\n{unresolved:#?}"
    );
}

#[test]
fn salesforce_page_objects_resolve_on_the_simulator_under_synthetic_shadow() {
    conforms(setupwright_sim::Shadow::Synthetic);
}

#[test]
fn salesforce_page_objects_resolve_on_the_simulator_under_native_shadow() {
    conforms(setupwright_sim::Shadow::Native);
}
