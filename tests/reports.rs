//! The evidence a run leaves: the HTML report opened from disk in headless Chromium, and
//! the JUnit XML.

mod common;

use common::*;

#[test]
fn the_html_report_shows_every_step_and_screenshot_and_the_failure() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/diagnostics.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .output();
    assert_eq!(out.code, 4);
    let dir = run_dir(&out.stdout);
    let report = report(&dir);

    // A runbook that reads the report as a person would: every step, every thumbnail,
    // and the failed step's error.
    let mut steps = vec![format!(
        "  - goto: \"file://{}\"",
        dir.join("report.html").display()
    )];
    for s in report["steps"].as_array().unwrap() {
        let path = s["path"].as_str().unwrap();
        let title = s["title"]
            .as_str()
            .unwrap()
            .replace('"', "\\\"")
            .replace("${", "$${");
        steps.push(format!(
            "  - expect: {{ css: \"[id='step-{path}'] .title\", contains: \"{title}\" }}"
        ));
        if let Some(shot) = s["screenshot"].as_str() {
            steps.push(format!(
                "  - expect: {{ css: \"[id='step-{path}'] img[src='{shot}']\" }}"
            ));
        }
        if s["status"] == "failed" && s["kind"] == "action" {
            steps.push(format!("  - expect: {{ css: \"[id='step-{path}'] .error\", contains: \"no field \\\"Scop\\\" appeared\" }}"));
        }
    }
    let check = artifacts.join("read-report.yaml");
    std::fs::write(
        &check,
        format!("runbook: read the report\nsteps:\n{}\n", steps.join("\n")),
    )
    .unwrap();
    let read = Run::new(&check)
        .artifacts(&artifacts)
        .args(["--step-timeout", "5s"])
        .output();
    assert_eq!(
        read.code,
        0,
        "{}\n{}",
        read.stdout,
        std::fs::read_to_string(&check).unwrap()
    );
    for s in report["steps"].as_array().unwrap() {
        if let Some(shot) = s["screenshot"].as_str() {
            assert!(
                dir.join(shot).exists(),
                "{shot} is linked from the report and exists"
            );
        }
    }

    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(
        junit.contains("<testsuite name=\"A typo in a field name inside the classic frame\""),
        "{junit}"
    );
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(
        (suite.attribute("tests"), suite.attribute("failures")),
        (Some("2"), Some("1")),
        "{junit}"
    );
    assert!(
        junit.contains("<failure message=\"step 2 &quot;fill field &quot;Scop&quot;"),
        "{junit}"
    );
}

#[test]
fn report_formats_are_chosen_with_report() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/diagnostics.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--report", "json"])
        .output();
    let dir = run_dir(&out.stdout);
    assert!(dir.join("report.json").exists());
    assert!(!dir.join("report.html").exists() && !dir.join("junit.xml").exists());
    let bad = setupwright(
        &[
            "run",
            "tests/runbooks/diagnostics.yaml",
            "-i",
            "base=x",
            "--report",
            "pdf",
        ],
        &[],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("unknown report format `pdf`"),
        "{}",
        bad.stderr
    );
}

/// report.html as a person opens it after a failure: the summary is on screen without
/// scrolling, it links to the first failure, the steps are in runbook order (a group
/// before its steps), and the failure's picture is shown at its size, not as a thumbnail.
#[test]
fn the_html_report_leads_to_the_failure() {
    use serde_json::json;
    use setupwright::driver::{Browser, BrowserOptions};

    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/report-order.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .output();
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    let dir = run_dir(&out.stdout);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen = rt.block_on(async {
        let browser = Browser::start(&BrowserOptions::default()).await.unwrap();
        let session = browser.session();
        session
            .goto(&format!("file://{}", dir.join("report.html").display()))
            .await
            .unwrap();
        let c = &session.client;
        let read = |script: &'static str| async move {
            c.execute(script, vec![]).await.unwrap()
        };
        let before = read(
            "const s = document.getElementById('summary').getBoundingClientRect();
             const a = document.getElementById('first-failure');
             return { summary_bottom: s.bottom, height: innerHeight, link: a && a.getAttribute('href'),
                      link_text: a && a.textContent,
                      order: [...document.querySelectorAll('main > .step')].map(e => e.id) };",
        )
        .await;
        c.execute("document.getElementById('first-failure').click()", vec![])
            .await
            .unwrap();
        // The picture is loaded before its size is read.
        c.execute_async(
            "const done = arguments[0]; const img = document.querySelector('.failed-step img.full');
             if (!img) return done(null); img.complete ? done(1) : img.onload = () => done(1);",
            vec![],
        )
        .await
        .unwrap();
        let after = read(
            "const f = document.querySelector('.failed-step');
             const r = f.getBoundingClientRect();
             const img = f.querySelector('img.full');
             return { failed_top: r.top, height: innerHeight, scrolled: scrollY,
                      img_width: img && img.getBoundingClientRect().width,
                      natural: img && img.naturalWidth,
                      room: f.clientWidth };",
        )
        .await;
        browser.close().await;
        json!({ "before": before, "after": after })
    });
    let (before, after) = (&seen["before"], &seen["after"]);
    assert!(
        before["summary_bottom"].as_f64().unwrap() <= before["height"].as_f64().unwrap(),
        "{seen}"
    );
    assert_eq!(before["link"], "#step-3.2", "{seen}");
    assert!(
        before["link_text"]
            .as_str()
            .unwrap()
            .contains("First failure: step 3.2"),
        "{seen}"
    );
    let order: Vec<&str> = before["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["step-1", "step-2", "step-2.1", "step-2.2", "step-3", "step-3.1", "step-3.2", "step-4"],
        "{seen}"
    );
    // After the link: the failed step is on screen, well below where it was.
    let top = after["failed_top"].as_f64().unwrap();
    assert!(after["scrolled"].as_f64().unwrap() > 0.0, "{seen}");
    assert!(
        (0.0..after["height"].as_f64().unwrap()).contains(&top),
        "{seen}"
    );
    let (w, natural, room) = (
        after["img_width"].as_f64().unwrap(),
        after["natural"].as_f64().unwrap(),
        after["room"].as_f64().unwrap(),
    );
    assert!(w > 200.0 && w >= natural.min(room - 40.0), "{seen}");

    // Every picture has a number of its own, the failure's too.
    let report_json = report(&dir);
    let numbers: Vec<&str> = report_json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["screenshot"].as_str())
        .map(|f| &f[..3])
        .collect();
    let mut unique = numbers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), numbers.len(), "{numbers:?}");

    // The never-reached group is a skipped test case that says why.
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 4, "{junit}");
    let last = cases[3]
        .children()
        .find(|c| c.has_tag_name("skipped"))
        .expect("the last group was never reached");
    assert!(
        last.attribute("message").unwrap().contains("not reached"),
        "{junit}"
    );
    let report = report(&dir);
    assert_eq!(
        (
            &report["top_level"]["passed"],
            &report["top_level"]["failed"],
            &report["top_level"]["skipped"]
        ),
        (&json!(2), &json!(1), &json!(1)),
        "{report}"
    );
    assert!(
        out.stdout
            .contains("(top level: 2 passed, 1 failed, 1 skipped)"),
        "{}",
        out.stdout
    );
}

/// Each action step's record says where its time went (`timings_ms`: laps of one clock,
/// so never more than the step took) and how many round trips its picture took; a step
/// without a picture of its own (none taken, or the last one linked) spent nothing
/// capturing one. A native select's option rides on its search, and what the select
/// shows once chosen comes unasked on the executor's channel: locate, click.
#[test]
fn each_step_says_where_its_time_went() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let book = artifacts.join("timed.yaml");
    std::fs::write(
        &book,
        "runbook: timed\ninputs:\n  base: {}\nsteps:\n  - goto: \"${base}/fixtures/form.html\"\n  - select: { field: Distribution State, option: Local }\n  - expect: { field: Distribution State, value: Local }\n  - select: { field: Distribution State, option: Packaged }\n",
    )
    .unwrap();
    let phases = [
        "locate", "action", "settle", "look", "capture", "cover", "write", "records",
    ];
    for pictures in [true, false] {
        let mut run = Run::new(&book)
            .input("base", &fx.base)
            .artifacts(&artifacts);
        if !pictures {
            run = run.args(["--no-screenshots"]);
        }
        let out = run.output();
        assert_eq!(out.code, 0, "{}", out.stdout);
        let report = report(&run_dir(&out.stdout));
        let steps = report["steps"].as_array().unwrap();
        for (i, s) in steps.iter().enumerate() {
            let t = &s["timings_ms"];
            let sum: f64 = phases.iter().map(|p| t[p].as_f64().unwrap()).sum();
            let took = s["duration_ms"].as_f64().unwrap();
            // Each phase is rounded down to 0.1 ms; the duration and the journal's part
            // of it up to whole ms.
            assert!(sum <= took && sum >= took - 3.0, "{s}");
            // Every step after the goto searched for its field.
            assert!(i == 0 || t["locate"].as_f64().unwrap() > 0.0, "{s}");
            let captured = s["screenshot"].is_string() && s["screenshot_same_as"].is_null();
            assert_eq!(t["capture"].as_f64().unwrap() > 0.0, captured, "{s}");
            assert_eq!(s["picture_commands"].is_u64(), pictures, "{s}");
        }
        // The second select, on a page long loaded (without pictures the first may search
        // again while the page's components load).
        assert_eq!(steps[3]["commands"], 2, "{}", steps[3]);
    }
}

/// A click on a checkbox in an ordinary run is a locate and the pointer's click: where it
/// landed comes unasked, on the executor's channel (`guard.js`). An `uncheck`'s check of
/// how the box stands comes with it, and so does what `import --resolve`'s replay asks
/// of a click; an ordinary click's verdict says nothing of the box.
#[test]
fn a_click_on_a_checkbox_costs_no_read_of_what_it_did() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let book = artifacts.join("toggle.yaml");
    std::fs::write(
        &book,
        "runbook: toggle\ninputs:\n  base: {}\nsteps:\n  - goto: \"${base}/fixtures/names.html\"\n  - expect: { field: Require secret, checked: false }\n  - click: { field: Require secret }\n  - expect: { field: Require secret, checked: true }\n  - uncheck: { field: Require secret }\n  - expect: { field: Require secret, checked: false }\n",
    )
    .unwrap();
    let out = Run::new(&book)
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--no-screenshots"])
        .output();
    assert_eq!(out.code, 0, "{}", out.stdout);
    let report = report(&run_dir(&out.stdout));
    let click = &report["steps"][2];
    assert_eq!(click["commands"], 2, "{click}");
    assert!(click["matched"]["checked"].is_null(), "{click}");
    // An `uncheck` learns how the box stands from its click's verdict.
    let uncheck = &report["steps"][4];
    assert_eq!(uncheck["commands"], 2, "{uncheck}");
}

/// With a secret in the run every picture is guarded, but a text found to hold no secret
/// costs no verdict round trip of its own: the verdict rides on the next look; nor does a
/// new document cost a round trip to learn that it has no engine yet. The second
/// fill changes the top document only; its picture is the look (top document and its
/// frame), the capture and the look after it, nothing else.
#[test]
fn a_guarded_picture_of_a_page_without_the_secret_asks_for_no_verdict() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let book = artifacts.join("guarded.yaml");
    std::fs::write(
        &book,
        "runbook: guarded\ninputs:\n  base: {}\n  token: { secret: true }\nsteps:\n  - goto: \"${base}/fixtures/form.html\"\n  - fill: { field: App Name, with: Orders App }\n  - fill: { field: App Name, with: Billing App }\n",
    )
    .unwrap();
    let out = Run::new(&book)
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .env("SETUPWRIGHT_TOKEN", "Zq9x")
        .output();
    assert_eq!(out.code, 0, "{}", out.stdout);
    let report = report(&run_dir(&out.stdout));
    // The goto's picture is the first look in two new documents (the page and its frame):
    // the engine goes to each with its first call, no call first asking whether it is
    // there (9 round trips when it was asked).
    let goto = &report["steps"][0];
    assert_eq!(goto["picture_commands"], 7, "{goto}");
    let step = &report["steps"][2];
    assert!(step["screenshot_same_as"].is_null(), "{step}");
    assert_eq!(step["picture_commands"], 5, "{step}");
}
