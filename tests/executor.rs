//! The executor against fixture pages, in real headless Chromium through chromedriver.

mod common;

use common::*;

#[test]
fn fixture_form_exercises_every_locator_and_action() {
    let fx = serve();
    let out = run_fixture_runbook("tests/runbooks/fixture-form.yaml", &fx.base, &[], "15s");
    let form: serde_json::Value =
        serde_json::from_str(&fx.submissions.last("form").expect("the form was saved")).unwrap();
    assert_eq!(form["app"], "Acme App");
    assert_eq!(form["email"], "ops@example.com");
    assert_eq!(form["phone"], "555-0100");
    assert_eq!(form["desc"], "described by aria-labelledby");
    assert_eq!(form["search"], "by placeholder");
    assert_eq!(form["state"], "local");
    assert_eq!(form["name2"], "in security");
    assert_eq!(form["lwc_name"], "CaseCloud Secured Login Integration");
    assert_eq!(form["lwc_api"], "CaseCloud_Secured_Login_Integration");
    assert_eq!(form["introspect"], false);
    assert_eq!(form["auth"], true);
    assert_eq!(form["dist"], "packaged");
    assert_eq!(form["scopes"], serde_json::json!(["full", "refresh_token"]));
    assert_eq!(form["late"], "appeared late");
    assert_eq!(
        form["actions"],
        serde_json::json!(["new", "menu:legacy", "Manage Records:AdvoLogix"])
    );

    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let steps = report["steps"].as_array().unwrap();
    assert_eq!(report["status"], "passed");
    assert_eq!(assert_screenshots(&dir, &report), steps.len());
    // The classic fields were found inside the cross-origin frame.
    let classic = steps
        .iter()
        .find(|s| s["title"].as_str().unwrap().contains("refresh_token full"))
        .unwrap();
    assert_eq!(classic["matched"]["frame"], "frame vfFrameId_1772739916061");
    // The secret capture never reaches the report.
    let text = std::fs::read_to_string(dir.join("report.json")).unwrap();
    assert!(!text.contains("F1XTURESECRET99"));
    assert!(text.contains("3MVG9-FIXTURE-KEY"));
}

#[test]
fn each_timeout_says_which_limit_was_hit() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    for (which, extra, expected) in [
        ("step", vec![], "within the step timeout of 1s"),
        (
            "group",
            vec![],
            "within the group timeout of 1500ms on \"slow group\"",
        ),
        (
            "run",
            // The run's time counts from its start, the browser's included: room for the
            // goto and its picture on a loaded machine before the step that waits it out.
            vec!["--timeout", "10s"],
            "within the run timeout of 10s (--timeout)",
        ),
    ] {
        let w = format!("which={which}");
        let out = Run::new("tests/runbooks/timeouts.yaml")
            .input_pair(&base)
            .input_pair(&w)
            .artifacts(&artifacts)
            .args(extra)
            .output();
        assert_eq!(out.code, 4, "{which}: {}", out.stdout);
        assert!(
            out.stdout.contains(expected),
            "{which}: expected {expected:?} in\n{}",
            out.stdout
        );
        assert!(
            out.stdout.contains("no button \"Never There\""),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn a_failed_step_names_what_it_searched_and_what_is_near() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/diagnostics.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .output();
    assert_eq!(out.code, 4, "{}", out.stdout);
    // On the console, the step's runbook line with a caret at its locator.
    assert!(
        out.stdout
            .contains("error: step 2 failed: no field \"Scop\" appeared")
            && out
                .stdout
                .contains("--> tests/runbooks/diagnostics.yaml:6:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("searched the top document, frame vfFrameId_1772739916061"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("near: \"Scope\" in frame vfFrameId_1772739916061"),
        "{}",
        out.stdout
    );
    let dir = run_dir(&out.stdout);
    let report = report(&dir);
    let failed = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "failed")
        .unwrap();
    let saved: Vec<String> = failed["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert!(
        saved.iter().any(|f| f.ends_with("console.json")),
        "{saved:?}"
    );
    let sources: Vec<String> = saved
        .iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
        .collect();
    assert_eq!(sources.len(), 2, "one page source per frame");
    assert!(
        sources
            .iter()
            .any(|s| s.contains("td class=\"labelCol\"")
                && s.contains("frame vfFrameId_1772739916061")),
        "the classic frame's source is saved"
    );
    assert!(failed["screenshot"]
        .as_str()
        .unwrap()
        .ends_with("-failed.png"));
}

#[test]
fn a_search_survives_its_document_navigating_away() {
    // The fixture navigates when the search scrolls its button into view, while the search
    // waits an animation frame. Without screenshots, so that nothing but the click's
    // search springs the trap.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/navigating.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .arg("--no-screenshots")
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let report = report(&run_dir(&out.stdout));
    assert_eq!(report["steps"][1]["status"], "passed");
}

#[test]
fn a_target_under_the_scrollbar_is_scrolled_to() {
    // The button shows its top edge; its centre, where a pointer would land, is under the
    // horizontal scrollbar, where nothing can be hit until the page scrolls.
    let fx = serve();
    let out = run_fixture_runbook("tests/runbooks/scrollbar.yaml", &fx.base, &[], "5s");
    let report = report(&run_dir(&out.stdout));
    assert_eq!(report["steps"][1]["status"], "passed");
}

#[test]
fn a_guard_waits_for_what_the_step_before_it_started() {
    let fx = serve();
    for shots in [true, false] {
        let artifacts = tmp_artifacts();
        let base = format!("base={}", fx.base);
        let run = Run::new("tests/runbooks/late-answer.yaml")
            .input_pair(&base)
            .artifacts(&artifacts);
        let run = if shots {
            run
        } else {
            run.arg("--no-screenshots")
        };
        late_answer_is_seen(&run.output());
    }
}

#[test]
fn a_guard_reloads_an_error_page_and_never_decides_on_one() {
    let fx = serve();
    let base = format!("base={}", fx.base);
    // A 503 once: reloaded, the list is there, the group skipped.
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/error-page-guard.yaml")
        .input_pair(&base)
        .input("times", "1")
        .artifacts(&artifacts)
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let report = report(&run_dir(&out.stdout));
    let group = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "1")
        .cloned()
        .unwrap();
    assert_eq!(
        group["status"], "skipped",
        "the guard saw the list after a reload: {group:#}"
    );
    // A 503 that reloads do not cure: the guard cannot check, and the group fails.
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/error-page-guard.yaml")
        .input_pair(&base)
        .input("times", "100")
        .artifacts(&artifacts)
        .output();
    assert_eq!(
        out.code, 4,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout.contains("cannot check for button \"Load\"")
            && out.stdout.contains("Service Unavailable"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("click button \"Add\""),
        "nothing was added: {}",
        out.stdout
    );
}

fn late_answer_is_seen(out: &Output) {
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let report = report(&run_dir(&out.stdout));
    let step = |path: &str| {
        report["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == path)
            .cloned()
            .unwrap_or_else(|| panic!("no step {path}: {report:#}"))
    };
    assert_eq!(
        step("2.1")["status"],
        "passed",
        "Load was clicked: {:#}",
        step("2.1")
    );
    let add = step("3");
    assert_eq!(
        add["status"], "skipped",
        "the late Item A was seen, nothing added: {add:#}"
    );
    assert!(
        add["skip_reason"].as_str().unwrap().contains("exists"),
        "{add:#}"
    );
    let add = step("5");
    assert_eq!(
        add["status"], "skipped",
        "Item B, rendered over 0.8 s, was seen: {add:#}"
    );
}

#[test]
fn a_step_that_changes_nothing_gets_the_last_picture_and_any_change_a_new_one() {
    use std::os::unix::fs::MetadataExt;
    let fx = serve();
    let base = format!("base={}", fx.base);
    for fresh in [false, true] {
        let artifacts = tmp_artifacts();
        let run = Run::new("tests/runbooks/unchanged-pages.yaml")
            .input_pair(&base)
            .artifacts(&artifacts);
        let out = if fresh {
            run.arg("--fresh-screenshots")
        } else {
            run
        }
        .output();
        assert_eq!(
            out.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        let dir = run_dir(&out.stdout);
        let report = report(&dir);
        let steps = report["steps"].as_array().unwrap();
        let file = |i: usize| {
            steps[i]["screenshot"]
                .as_str()
                .unwrap_or_else(|| panic!("step {} has no screenshot: {:#}", i + 1, steps[i]))
                .to_string()
        };
        let ino = |i: usize| std::fs::metadata(dir.join(file(i))).unwrap().ino();
        let bytes = |i: usize| std::fs::read(dir.join(file(i))).unwrap();
        if fresh {
            let inos: std::collections::HashSet<u64> = (0..7).map(ino).collect();
            assert_eq!(inos.len(), 7, "--fresh-screenshots captures every picture");
            assert!(steps.iter().all(|s| s.get("screenshot_same_as").is_none()));
            continue;
        }
        // The reads left the page as the first picture showed it.
        assert_eq!(ino(1), ino(0), "expect: same picture");
        assert_eq!(ino(2), ino(0), "capture: same picture");
        assert_eq!(steps[1]["screenshot_same_as"], file(0));
        // Hover and focus changed no DOM, yet the page looks different: new pictures.
        assert_ne!(ino(3), ino(2), "hover: a new picture");
        assert_ne!(bytes(3), bytes(2), "the hovered button looks different");
        assert_ne!(ino(4), ino(3), "focus: a new picture");
        assert_ne!(bytes(4), bytes(3), "the focused field looks different");
        // (The click's caret placement may be reported after the focus step's picture,
        // which makes the next picture new; two reads later the page is surely still.)
        assert_eq!(
            ino(6),
            ino(5),
            "a second read after the click: same picture"
        );
        assert!(steps[3].get("screenshot_same_as").is_none());
    }
}

#[test]
fn a_goto_that_loads_nothing_fails_instead_of_picturing_the_error_page() {
    // A port nobody listens on (chromedriver answers net::ERR_CONNECTION_REFUSED), and
    // port 1, which Chromium refuses to load and shows its error page for.
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for port in [free, 1] {
        let url = format!("url=http://127.0.0.1:{port}/");
        let artifacts = tmp_artifacts();
        let out = Run::new("tests/runbooks/unreachable.yaml")
            .input_pair(&url)
            .args(["--step-timeout", "2s"])
            .artifacts(&artifacts)
            .output();
        // A page failure (4), not a dead browser (6).
        assert_eq!(
            out.code, 4,
            "stdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        assert!(out.stdout.contains(&format!("gave up after the step timeout of 2s: the browser could not load http://127.0.0.1:{port}/")), "{}", out.stdout);
        assert!(!out.stdout.contains("resume with"), "{}", out.stdout);
    }
}

/// `verify` judges the guarded groups only: an unguarded group that would change the org
/// is not run (its clicks skipped, its expectations would fail for nothing), and the exit
/// code is 0 when every guarded group is done, 5 when one is not.
#[test]
fn verify_judges_only_the_guarded_groups() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let base = format!("base={}", fx.base);
    let verify = |runbook: &str| {
        Run::verify(runbook)
            .input_pair(&base)
            .artifacts(&artifacts)
            .output()
    };
    let done = verify("tests/runbooks/verify-unguarded.yaml");
    assert_eq!(done.code, 0, "{}\n{}", done.stdout, done.stderr);
    assert!(
        done.stdout.contains("1 of 1 guarded groups done"),
        "{}",
        done.stdout
    );
    let report = report(&run_dir(&done.stdout));
    let unguarded = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == "Unguarded work")
        .unwrap();
    assert_eq!(unguarded["status"], "skipped", "{unguarded}");
    assert!(
        unguarded["skip_reason"]
            .as_str()
            .unwrap()
            .contains("has no skip_if to check"),
        "{unguarded}"
    );

    let missing_rb = artifacts.join("verify-missing.yaml");
    std::fs::write(
        &missing_rb,
        std::fs::read_to_string("tests/runbooks/verify-unguarded.yaml")
            .unwrap()
            .replace("{ field: App Name } }", "{ field: Favourite Colour } }"),
    )
    .unwrap();
    let drift = verify(missing_rb.to_str().unwrap());
    assert_eq!(drift.code, 5, "{}\n{}", drift.stdout, drift.stderr);
    assert!(
        drift.stdout.contains("MISSING 2 The app exists")
            && drift.stdout.contains("0 of 1 guarded groups done"),
        "{}",
        drift.stdout
    );
}

/// A run whose last step is a Save: the browser is closed only once the page has gone
/// quiet, so the save reaches the org. Without pictures nothing else waits after the
/// click; with them, the picture's settle waits only for loading that has begun.
#[test]
fn a_save_as_the_last_step_reaches_the_server_before_the_browser_closes() {
    for which in ["late", "posted"] {
        for shots in [false, true] {
            let fx = serve();
            let run = Run::new("tests/runbooks/late-save.yaml")
                .input("base", &fx.base)
                .input("which", which)
                .artifacts(tmp_artifacts());
            let out = if shots {
                run
            } else {
                run.arg("--no-screenshots")
            }
            .output();
            assert_eq!(out.code, 0, "{which}: {}\n{}", out.stdout, out.stderr);
            let form = if which == "late" {
                "late-save"
            } else {
                "posted-save"
            };
            let saved = fx.submissions.last(form);
            assert!(
                saved.as_deref().is_some_and(|b| b.contains("Saved")),
                "{which}, screenshots {shots}: the run passed and closed the browser before the save was sent ({saved:?})"
            );
        }
    }
}

#[test]
fn a_click_never_lands_on_what_moved_under_the_pointer() {
    // The page draws a button over the link as the pointer reaches it: the events sent to
    // where the link was would press that button. The click must reach the link, or fail;
    // reporting it done, or pressing the button, is the defect.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/jumping.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s", "--no-screenshots"])
        .output();
    let clicks: Vec<String> = fx.submissions.all("jumping");
    assert!(
        !clicks.iter().any(|c| c.contains("banner")),
        "the click pressed what moved under the pointer: {clicks:?}\n{}",
        out.stdout
    );
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(
        clicks,
        [r#"{"clicked":"External Client App Manager"}"#],
        "the link is clicked once"
    );
}

#[test]
fn a_click_waits_a_frame_only_where_something_may_move() {
    // A guarded click on a page at rest is sent without waiting a frame to see its target
    // stay put (the guard stops it should the target move after all). Where anything
    // animates, even inside a native shadow root that the document's own list of
    // animations leaves out, the target is watched for a frame first, as before.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/rest.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s", "--no-screenshots", "-vv"])
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let steady: Vec<&str> = out
        .stderr
        .lines()
        .filter_map(|l| l.split_once(": found, steady by ").map(|(_, how)| how))
        .collect();
    assert_eq!(
        steady,
        ["at rest", "a frame (an animation runs)"],
        "how each click's target was judged steady:\n{}",
        out.stderr
    );
    let clicks: Vec<String> = fx.submissions.all("rest");
    assert_eq!(
        clicks,
        [r#"{"clicked":"Go"}"#, r#"{"clicked":"Inside"}"#],
        "each button is clicked once"
    );
}

/// What the page at `window-listeners.html?{mode}` posted, in order.
fn window_listeners_run(mode: &str) -> (Output, Vec<String>) {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/window-listeners.yaml")
        .input("base", &fx.base)
        .input("mode", mode)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s", "--no-screenshots"])
        .output();
    let posted = fx.submissions.all("window");
    (out, posted)
}

#[test]
fn a_stopped_click_reaches_not_even_the_pages_first_listener() {
    // The page's own listeners at the window, registered before any other of its scripts,
    // are the first to see a pointer's events. The click stopped because a banner moved
    // over its target must not reach them either: they would act on the banner.
    let (out, posted) = window_listeners_run("spy");
    assert!(
        !posted.iter().any(|p| p.contains("banner")),
        "the page saw the events of the click that landed on the banner: {posted:?}\n{}",
        out.stdout
    );
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        posted
            .iter()
            .any(|p| p == r#"{"saw":"click External Client App Manager"}"#),
        "the link's click reached the page: {posted:?}"
    );
}

#[test]
fn a_page_that_handles_clicks_at_the_window_is_clicked_once_and_passes() {
    // The page routes every click itself at the window and stops its events there: the
    // click is on its target and the page acted on it, so the step is done. Judging the
    // click by the events that reach listeners after the page's own failed it.
    let (out, posted) = window_listeners_run("swallow");
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(
        posted,
        [r#"{"clicked":"External Client App Manager"}"#],
        "the link is clicked once"
    );
}

#[test]
fn a_click_that_takes_its_frame_away_is_done_once() {
    // The Save of a classic page in a frame posts, then the container removes the frame
    // or sends the window on: the verdict of that click is read where no document is
    // any more, and the click was performed. It must pass, once, and without waiting.
    for mode in ["remove", "top"] {
        let fx = serve();
        let artifacts = tmp_artifacts();
        let out = Run::new("tests/runbooks/frame-gone.yaml")
            .input("base", &fx.base)
            .input("mode", mode)
            .artifacts(&artifacts)
            .args(["--step-timeout", "10s", "--no-screenshots"])
            .output();
        assert_eq!(
            out.code, 0,
            "{mode}: stdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        );
        let saves: Vec<String> = fx.submissions.all("framegone");
        assert_eq!(saves.len(), 1, "{mode}: saved once: {saves:?}");
        let report = report(&run_dir(&out.stdout));
        let ms = report["steps"][1]["duration_ms"]
            .as_f64()
            .unwrap_or(f64::MAX);
        assert!(
            ms < 3000.0,
            "{mode}: the click took {ms} ms: {}",
            report["steps"][1]
        );
    }
}

#[test]
fn a_link_that_wraps_onto_two_lines_is_clicked() {
    // The link's text ends one line and starts the next: the middle of the box around
    // both parts is the paragraph's own text. The pointer goes to the middle of the
    // link's first part; judging the link covered at the middle of its box failed it.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/wrapped-link.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "5s", "--no-screenshots"])
        .output();
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(
        fx.submissions.last("wrapped").as_deref(),
        Some(r#"{"clicked":"Apps Manager"}"#)
    );
}

#[test]
fn a_click_in_a_frame_never_lands_on_what_the_page_above_drew_over_it() {
    // The container draws a toast over the frame as the pointer reaches the frame's Save:
    // the click's events go to the toast, in the top document, and the frame's guard
    // never sees them. They must be stopped there too, and the step must try again once
    // the toast is gone: pressing the toast, or failing the step, is the defect. The
    // frame's page from the top's origin, then from another (as Visualforce is).
    for mode in ["same", "cross"] {
        frame_covered(mode);
    }
}

fn frame_covered(mode: &str) {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/frame-covered.yaml")
        .input("base", &fx.base)
        .input("mode", mode)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s", "--no-screenshots"])
        .output();
    let clicks: Vec<String> = fx.submissions.all("covered");
    assert!(
        !clicks.iter().any(|c| c.contains("toast")),
        "{mode}: the click pressed the toast drawn over the frame: {clicks:?}\n{}",
        out.stdout
    );
    assert_eq!(
        out.code, 0,
        "{mode}: stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(
        clicks,
        [r#"{"clicked":"save"}"#],
        "{mode}: Save is clicked once"
    );
}

#[test]
fn a_hover_and_pictures_leave_the_next_clicks_guard_alone() {
    // The hover's search arms a guard for the heading (it finds its target as a click's
    // does) and no click follows it; every step is pictured, and a picture asks every
    // document. The click after must still be judged against its own target: stopped on
    // the banner, then sent again to the link.
    let fx = serve();
    let artifacts = tmp_artifacts();
    let out = Run::new("tests/runbooks/jumping-hover.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "10s"])
        .output();
    let clicks: Vec<String> = fx.submissions.all("jumping");
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(
        clicks,
        [r#"{"clicked":"External Client App Manager"}"#],
        "the link is clicked once, the banner never"
    );
    let report = report(&run_dir(&out.stdout));
    assert_eq!(
        report["steps"][2]["status"], "passed",
        "{}",
        report["steps"][2]
    );
}
