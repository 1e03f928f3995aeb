//! The reports as CI servers read them (issue 25, point 3): a run a signal stopped is an
//! `<error>` on the test case that was running, whose step is recorded as interrupted,
//! and every report and the JSON log carry the signal, the exit code and the resume
//! command; junit.xml as GitLab and Jenkins read it (attachments that resolve from the
//! job's folder, skip reasons as the element's text); a browser or WebDriver fault
//! (exit 6) as an `<error>`; under GitHub Actions, `::error` annotations on the runbook's
//! lines and a table in the job summary. Also: `run --targets` keeps a failure frame's
//! caret under its place.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// The line of `file` (1-based) that first holds `needle`.
fn line_of(file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// Starts `slow.yaml` waiting a minute on its second step, with `envs`; returns once the
/// first step's picture is written (so the second step is under way) with its folder.
#[allow(clippy::zombie_processes)] // the caller waits
fn start_waiting(fx: &Fixtures, extra: &[&str], envs: &[(&str, &str)]) -> (Child, PathBuf) {
    let artifacts = tmp_artifacts();
    let child = Run::new("tests/runbooks/slow.yaml")
        .input("base", &fx.base)
        .artifacts(&artifacts)
        .args(["--step-timeout", "90s"])
        .env("SETUPWRIGHT_AFTER", "60000")
        .global_args(extra)
        .command()
        .envs(envs.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let run = std::fs::read_dir(&artifacts)
            .ok()
            .and_then(|mut d| d.next())
            .and_then(|e| e.ok())
            .map(|e| e.path());
        if let Some(run) = run {
            let shot = std::fs::read_dir(&run).is_ok_and(|files| {
                files
                    .flatten()
                    .any(|f| f.path().extension().is_some_and(|x| x == "png"))
            });
            if shot {
                // The second step begins as soon as the first step's record is made.
                std::thread::sleep(Duration::from_millis(500));
                return (child, run);
            }
        }
        assert!(Instant::now() < until, "the first step never finished");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn junit(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("junit.xml")).unwrap()
}

/// How a test case ended: the element's name, its `message` and its text.
type Ending = (String, String, String);

/// The test cases of a junit.xml: name, the element that says how it ended (if any), and
/// the case's `<system-out>` text.
fn cases(xml: &str) -> Vec<(String, Option<Ending>, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| {
            let name = c.attribute("name").unwrap_or_default().to_string();
            let ending = c
                .children()
                .find(|e| {
                    ["failure", "error", "skipped"]
                        .iter()
                        .any(|t| e.has_tag_name(*t))
                })
                .map(|e| {
                    (
                        e.tag_name().name().to_string(),
                        e.attribute("message").unwrap_or_default().to_string(),
                        e.text().unwrap_or_default().to_string(),
                    )
                });
            let out = c
                .children()
                .find(|e| e.has_tag_name("system-out"))
                .and_then(|e| e.text())
                .unwrap_or_default()
                .to_string();
            (name, ending, out)
        })
        .collect()
}

fn suite_count(xml: &str, attr: &str) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .and_then(|n| n.attribute(attr))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_run_stopped_by_sigterm_is_an_error_on_the_case_that_was_running_in_every_report() {
    let fx = serve();
    let summary = tmp_artifacts().join("summary.md");
    let workspace = env!("CARGO_MANIFEST_DIR");
    let (child, dir) = start_waiting(
        &fx,
        &["--log-format", "json"],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_WORKSPACE", workspace),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let out: Output = child.wait_with_output().unwrap().into();
    assert_eq!(out.code, 143, "{}\n{}", out.stdout, out.stderr);

    // report.json: the step in progress is interrupted, and the run says how to go on.
    let r = report(&dir);
    assert_eq!(r["status"], "interrupted", "{r}");
    assert_eq!(r["stopped_by"], "SIGTERM", "{r}");
    assert_eq!(r["exit_code"], 143, "{r}");
    assert_eq!(r["interrupted"], 1, "{r}");
    let resume = r["resume_command"].as_str().expect("a resume command");
    assert!(
        resume.contains("--resume") && resume.contains(dir.file_name().unwrap().to_str().unwrap()),
        "{resume}"
    );
    let step2 = r["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "2")
        .unwrap();
    assert_eq!(step2["status"], "interrupted", "{r}");
    assert!(
        step2["error"]
            .as_str()
            .unwrap()
            .contains("interrupted by SIGTERM"),
        "{step2}"
    );
    assert_eq!(
        step2["line"],
        line_of("tests/runbooks/slow.yaml", "wait_for")
    );

    // junit.xml: an <error> on the case that was running; the one before it passed.
    let xml = junit(&dir);
    let cs = cases(&xml);
    assert_eq!(cs.len(), 2, "{xml}");
    assert!(cs[0].1.is_none(), "{xml}");
    let (tag, message, text) = cs[1].1.clone().expect("case 2 did not pass");
    assert_eq!(tag, "error", "{xml}");
    assert!(message.contains("interrupted by SIGTERM"), "{xml}");
    assert!(text.contains(&format!("resume with: {resume}")), "{xml}");
    assert_eq!(suite_count(&xml, "errors"), "1", "{xml}");
    assert_eq!(suite_count(&xml, "failures"), "0", "{xml}");

    // report.html: the step's badge, the signal and the resume command.
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains(r#"data-status="interrupted""#), "report.html");
    assert!(html.contains("Resume with: <code>"), "report.html");
    assert!(html.contains("exit code 143"), "report.html");

    // The JSON log: every line JSON; the step's end and the run's end say it all.
    let lines: Vec<Value> = out
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let ended = lines
        .iter()
        .find(|l| l["fields"]["message"] == "run ended: interrupted")
        .unwrap_or_else(|| panic!("no run-ended event:\n{}", out.stderr));
    assert_eq!(ended["fields"]["exit_code"], 143, "{ended}");
    assert_eq!(ended["fields"]["signal"], "SIGTERM", "{ended}");
    assert_eq!(ended["fields"]["resume_command"], resume, "{ended}");
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["path"] == "2" && l["fields"]["status"] == "interrupted"),
        "{}",
        out.stderr
    );

    // GitHub: an annotation on the step's line, and the job summary's table.
    let annotation = out
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("no annotation:\n{}", out.stdout));
    assert!(
        annotation.starts_with(&format!(
            "::error file=tests/runbooks/slow.yaml,line={},title=step 2 ",
            line_of("tests/runbooks/slow.yaml", "wait_for")
        )),
        "{annotation}"
    );
    assert!(annotation.contains("%0Aresume with: "), "{annotation}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| 2 wait for"), "{md}");
    assert!(md.contains("| interrupted |"), "{md}");
    assert!(md.contains("Stopped by SIGTERM."), "{md}");
    assert!(md.contains("Resume with: `"), "{md}");
}

#[test]
fn junit_reads_in_gitlab_and_jenkins_and_a_failing_run_annotates_github() {
    let fx = serve();
    // GitLab: attachments are read from the project folder, and GitHub gets its part.
    let project = tmp_artifacts();
    let summary = project.join("summary.md");
    let base = format!("base={}", fx.base);
    let args = |artifacts: &Path| -> Vec<String> {
        vec![
            "run".into(),
            "tests/runbooks/report-order.yaml".into(),
            "-i".into(),
            base.clone(),
            "--artifacts".into(),
            artifacts.display().to_string(),
        ]
    };
    let gitlab_args = args(&project.join("artifacts"));
    let gitlab_args: Vec<&str> = gitlab_args.iter().map(String::as_str).collect();
    let out = setupwright(
        &gitlab_args,
        &[
            ("CI_PROJECT_DIR", project.to_str().unwrap()),
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    let dir = run_dir(&out.stdout);
    let xml = junit(&dir);
    let cs = cases(&xml);
    assert_eq!(cs.len(), 4, "{xml}");
    // The failed group: a <failure> (a step failed, not the infrastructure), its picture
    // first among the attachments, every one a file under the project folder.
    let (tag, message, _) = cs[2].1.clone().unwrap();
    assert_eq!(tag, "failure", "{xml}");
    assert!(message.contains("Scop"), "{xml}");
    let attached: Vec<&str> = cs[2]
        .2
        .lines()
        .map(|l| {
            l.strip_prefix("[[ATTACHMENT|")
                .and_then(|l| l.strip_suffix("]]"))
                .unwrap_or_else(|| panic!("not an attachment line: {l}"))
        })
        .collect();
    assert!(attached.len() >= 2, "the picture and diagnostics: {xml}");
    assert!(attached[0].ends_with(".png"), "{xml}");
    for a in &attached {
        assert!(Path::new(a).is_relative(), "{a}");
        assert!(
            project.join(a).is_file(),
            "{a} is not under {}",
            project.display()
        );
    }
    assert!(std::fs::read(project.join(attached[0]))
        .unwrap()
        .starts_with(b"\x89PNG"));
    // Cases that passed attach nothing.
    assert!(cs[0].2.is_empty() && cs[1].2.is_empty(), "{xml}");
    // GitLab shows a skipped case's text; Jenkins its message: both say why.
    let (tag, message, text) = cs[3].1.clone().unwrap();
    assert_eq!(tag, "skipped");
    assert!(text.contains("not reached"), "{xml}");
    assert_eq!(message, text, "{xml}");

    // GitHub: one annotation, on the failing step's line, and a row in the summary.
    let annotations: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(annotations.len(), 1, "{}", out.stdout);
    assert!(
        annotations[0].starts_with(&format!(
            "::error file=tests/runbooks/report-order.yaml,line={},title=step 3.2 ",
            line_of("tests/runbooks/report-order.yaml", "Scop")
        )),
        "{}",
        annotations[0]
    );
    assert!(annotations[0].contains("::step 3.2 "), "{}", annotations[0]);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("| 3 A field that is not there | failed |"),
        "{md}"
    );
    assert!(md.contains("| 4 Never reached | skipped |"), "{md}");

    // Jenkins: attachments are read from the workspace; not under GitHub, no annotation.
    let workspace = tmp_artifacts();
    let jenkins_args = args(&workspace.join("out"));
    let jenkins_args: Vec<&str> = jenkins_args.iter().map(String::as_str).collect();
    let out = setupwright(&jenkins_args, &[("WORKSPACE", workspace.to_str().unwrap())]);
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains("::error"), "{}", out.stdout);
    let cs = cases(&junit(&run_dir(&out.stdout)));
    let first = cs[2]
        .2
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("[[ATTACHMENT|out/"))
        .unwrap_or_else(|| panic!("{cs:?}"));
    assert!(
        workspace
            .join("out")
            .join(first.trim_end_matches("]]"))
            .is_file(),
        "{first}"
    );
}

/// Every process descended from `pid`.
fn descendants(pid: i32) -> Vec<i32> {
    let mut parent: std::collections::HashMap<i32, i32> = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        if let Some(pp) = rest.split_whitespace().nth(1).and_then(|v| v.parse().ok()) {
            parent.insert(p, pp);
        }
    }
    let mut out = vec![];
    let mut frontier = vec![pid];
    while let Some(p) = frontier.pop() {
        for (&c, &pp) in &parent {
            if pp == p && !out.contains(&c) {
                out.push(c);
                frontier.push(c);
            }
        }
    }
    out
}

#[test]
fn a_browser_fault_is_an_error_not_a_failure() {
    let fx = serve();
    let (child, dir) = start_waiting(&fx, &[], &[]);
    let driver = descendants(child.id() as i32)
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm"))
                .is_ok_and(|c| c.trim() == "chromedriver")
        })
        .expect("a chromedriver");
    // SAFETY: kill(2) on a process this test's child started.
    unsafe { libc::kill(driver, libc::SIGKILL) };
    let out: Output = child.wait_with_output().unwrap().into();
    assert_eq!(out.code, 6, "{}\n{}", out.stdout, out.stderr);
    let r = report(&dir);
    assert_eq!(r["status"], "browser_failure", "{r}");
    assert_eq!(r["exit_code"], 6, "{r}");
    assert!(r["resume_command"].is_string(), "{r}");
    let xml = junit(&dir);
    let (tag, message, _) = cases(&xml)[1].1.clone().expect("case 2 did not pass");
    assert_eq!(tag, "error", "{xml}");
    assert!(!message.is_empty(), "{xml}");
    assert_eq!(suite_count(&xml, "errors"), "1", "{xml}");
    assert_eq!(suite_count(&xml, "failures"), "0", "{xml}");
}

#[test]
fn run_targets_keeps_the_caret_of_a_failure_under_its_place() {
    let fx = serve();
    let artifacts = tmp_artifacts();
    let targets = artifacts.join("targets.yaml");
    std::fs::write(
        &targets,
        format!(
            "targets:\n  - name: uat\n    inputs: {{ base: '{}' }}\n",
            fx.base
        ),
    )
    .unwrap();
    let out = Run::new("tests/runbooks/report-order.yaml")
        .arg("--targets")
        .arg(targets.to_str().unwrap())
        .artifacts(&artifacts)
        .output();
    assert_eq!(out.code, 4, "{}\n{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("[uat] "))
        .collect();
    let source = lines
        .iter()
        .position(|l| l.contains(" | ") && l.contains("field: Scop"))
        .unwrap_or_else(|| panic!("no frame:\n{}", out.stdout));
    let caret = lines[source + 1];
    let bar = |l: &str| l.find('|').unwrap();
    assert_eq!(bar(lines[source]), bar(caret), "{}", out.stdout);
    let col = caret.find('^').expect("a caret line");
    let under = lines[source].as_bytes()[col];
    assert_ne!(under, b' ', "the caret points at nothing:\n{}", out.stdout);
    assert!(
        lines[source][col..].starts_with("field: Scop"),
        "the caret is not under the locator:\n{}",
        out.stdout
    );
}
