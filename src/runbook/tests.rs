use std::path::Path;

use super::*;

fn parse_ok(src: &str) -> Runbook {
    let rb = load_source(Path::new("t.yaml"), src, vec![]).unwrap_or_else(|e| panic!("{e}"));
    let errs = validate::validate(&rb);
    assert!(errs.is_empty(), "{}", RunbookErrors(errs));
    rb
}

fn errors(src: &str) -> String {
    match load_source(Path::new("t.yaml"), src, vec![]) {
        Err(e) => e.to_string(),
        Ok(rb) => RunbookErrors(validate::validate(&rb)).to_string(),
    }
}

#[test]
fn reads_the_design_sketch() {
    let rb = parse_ok(
        r#"
runbook: Focus Matters
inputs:
  my_domain_url: { example: "https://acme.my.salesforce.com" }
  login_password: { secret: true }
  app_name: { default: "CaseCloud Secured Login Integration" }
steps:
  - group: "Step 1"
    skip_if: { exists: { row: "${app_name}" }, at: External Client App Manager }
    steps:
      - setup: External Client App Manager
      - click: { button: New External Client App }
      - fill: { field: External Client App Name, with: "${app_name}" }
      - press: Tab
      - expect: { field: API Name, not_empty: true }
      - select: { field: Distribution State, option: Local }
      - choose: { field: OAuth Scopes, add: ["Full access (full)"] }
      - uncheck: Introspect all Tokens
      - click: { link: Manage Records, in_row: AdvoLogix, nth: 1 }
      - capture: { consumer_secret: { field: Consumer Secret }, secret: true }
      - fill: { field: Secret, with: "${consumer_secret}" }
"#,
    );
    assert_eq!(rb.title, "Focus Matters");
    assert_eq!(rb.inputs.len(), 3);
    assert!(rb.inputs[1].secret);
    let StepKind::Group { steps, .. } = &rb.steps[0].kind else {
        panic!()
    };
    assert_eq!(steps.len(), 11);
    let cond = rb.steps[0].skip_if.as_ref().unwrap();
    assert_eq!(cond.at.len(), 1);
    let StepKind::Action(Action::Click(actions::Click { target })) = &steps[8].kind else {
        panic!()
    };
    assert_eq!(target.kind, LocatorKind::Link);
    assert_eq!(target.nth, Some(1));
    assert_eq!(
        target.describe(),
        "link \"Manage Records\" in row \"AdvoLogix\" (match 1)"
    );
    let StepKind::Action(Action::Capture(actions::Capture { items, secret })) = &steps[9].kind
    else {
        panic!()
    };
    assert!(*secret);
    assert_eq!(items[0].var, "consumer_secret");
}

#[test]
fn unknown_action_suggests_the_nearest() {
    let e = errors("runbook: x\nsteps:\n  - clik: New\n");
    assert!(e.contains("unknown action or step key `clik`"), "{e}");
    assert!(e.contains("t.yaml:3:5"), "{e}");
    assert!(e.contains("did you mean `click`?"), "{e}");
}

#[test]
fn unknown_input_is_caught_with_its_column() {
    let e = errors("runbook: x\ninputs:\n  app_name: {}\nsteps:\n  - fill: { field: Name, with: \"pre ${app_nam}\" }\n");
    assert!(
        e.contains("`${app_nam}` names no input or earlier capture"),
        "{e}"
    );
    assert!(e.contains("t.yaml:5:37"), "{e}");
    assert!(e.contains("did you mean `app_name`?"), "{e}");
}

#[test]
fn capture_used_before_it_is_made() {
    let e = errors("runbook: x\nsteps:\n  - fill: { field: A, with: \"${key}\" }\n  - capture: { key: { field: Key } }\n");
    assert!(e.contains("captured by a later step"), "{e}");
}

#[test]
fn locator_and_type_errors() {
    let e = errors("runbook: x\nsteps:\n  - click: { buton: Save }\n");
    assert!(
        e.contains("unknown locator key `buton`") && e.contains("did you mean `button`?"),
        "{e}"
    );
    let e = errors("runbook: x\nsteps:\n  - click: { button: Save, link: Cancel }\n");
    assert!(e.contains("a locator has one kind"), "{e}");
    let e = errors("runbook: x\nsteps:\n  - fill: { field: Name }\n");
    assert!(e.contains("`fill` needs `with`"), "{e}");
    let e = errors("runbook: x\nsteps:\n  - click: Save\n    timeout: soon\n");
    assert!(e.contains("`soon` is not a duration"), "{e}");
    let e = errors("runbook: x\nsteps:\n  - press: Tabb\n");
    assert!(
        e.contains("unknown key `Tabb`") && e.contains("did you mean `Tab`?"),
        "{e}"
    );
    let e = errors("runbook: x\nsteps: []\n");
    assert!(e.contains("`steps` is empty"), "{e}");
}

#[test]
fn all_errors_are_reported_at_once() {
    let e = errors("runbook: x\nsteps:\n  - clik: A\n  - fil: B\n");
    assert_eq!(e.matches("error:").count(), 2, "{e}");
}

#[test]
fn bad_yaml_points_at_the_place() {
    let e = errors("runbook: x\nsteps:\n  - click: \"Save\n");
    assert!(e.starts_with("error: invalid YAML"), "{e}");
}

#[test]
fn includes_load_and_cycles_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("child.yaml"), "runbook: child\ninputs:\n  who: {}\nsteps:\n  - capture: { greeting: { text: \"${who}\" } }\n").unwrap();
    std::fs::write(
        dir.path().join("main.yaml"),
        "runbook: main\nsteps:\n  - include: child.yaml\n    inputs: { who: World }\n  - fill: { field: X, with: \"${greeting}\" }\n",
    )
    .unwrap();
    let rb = load(&dir.path().join("main.yaml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(rb.steps[0].kind, StepKind::Include { .. }));

    std::fs::write(
        dir.path().join("a.yaml"),
        "runbook: a\nsteps:\n  - include: b.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "runbook: b\nsteps:\n  - include: a.yaml\n",
    )
    .unwrap();
    let e = load(&dir.path().join("a.yaml")).unwrap_err().to_string();
    assert!(e.contains("include cycle"), "{e}");

    std::fs::write(
        dir.path().join("c.yaml"),
        "runbook: c\nsteps:\n  - include: child.yaml\n    inputs: { wh: x }\n",
    )
    .unwrap();
    let e = load(&dir.path().join("c.yaml")).unwrap_err().to_string();
    assert!(
        e.contains("has no input `wh`") && e.contains("did you mean `who`?"),
        "{e}"
    );
}

#[test]
fn durations() {
    use std::time::Duration;
    assert_eq!(
        parse::parse_duration("500ms"),
        Some(Duration::from_millis(500))
    );
    assert_eq!(parse::parse_duration("2m"), Some(Duration::from_secs(120)));
    assert_eq!(
        parse::parse_duration("1.5"),
        Some(Duration::from_millis(1500))
    );
    assert_eq!(parse::parse_duration("-1"), None);
}

#[test]
fn schema_lists_every_action() {
    let s = schema::schema();
    // The first kind of step is the action step.
    let props = &s["$defs"]["step"]["oneOf"][0]["properties"];
    for a in parse::ACTIONS {
        assert!(props.get(a.name).is_some(), "{}", a.name);
    }
}

/// The vocabulary's shapes are the parser's: for every action, a mapping with all its
/// required keys parses, and one without any of them does not; a string is accepted
/// exactly where the table says so.
#[test]
fn the_vocabulary_says_what_the_parser_requires() {
    use super::actions::ACTIONS;
    use super::vocabulary::LocatorUse;
    let sample = |key: &str| match key {
        "add" | "remove" => "[ Api ]".to_string(),
        "key" => "Tab".into(),
        "url" => "/x".into(),
        _ => "x".into(),
    };
    let parses = |action: &str, value: &str| {
        let src = format!("runbook: t\nsteps:\n  - {action}: {value}\n");
        load_source(Path::new("t.yaml"), &src, vec![]).is_ok()
    };
    for a in ACTIONS
        .iter()
        .filter(|a| a.name != "capture" && a.name != "window")
    {
        let locator = match (a.locator, a.locator_kinds.first()) {
            (LocatorUse::Required, Some(kind)) => vec![format!("{kind}: Name")],
            (LocatorUse::Required, None) => vec!["field: Name".to_string()],
            _ => vec![],
        };
        let needed: Vec<&str> = a
            .required
            .iter()
            .copied()
            .chain(a.one_of.first().copied())
            .collect();
        let with = |keys: &[&str]| {
            let mut parts = locator.clone();
            parts.extend(keys.iter().map(|k| format!("{k}: {}", sample(k))));
            format!("{{ {} }}", parts.join(", "))
        };
        if !(needed.is_empty() && locator.is_empty()) {
            assert!(
                parses(a.name, &with(&needed)),
                "{}: {}",
                a.name,
                with(&needed)
            );
        }
        for missing in &needed {
            let rest: Vec<&str> = needed.iter().copied().filter(|k| k != missing).collect();
            assert!(
                !parses(a.name, &with(&rest)),
                "{} parses without `{missing}`",
                a.name
            );
        }
        let word = if a.name == "press" { "Tab" } else { "Save" };
        assert_eq!(
            parses(a.name, word),
            a.string_form,
            "{} as a string",
            a.name
        );
    }
}

/// A step with each action's keyword reads as that action: the registry sends every
/// keyword to its own reader.
#[test]
fn every_keyword_reads_as_its_own_action() {
    let src = "runbook: t\ninputs:\n  p: { secret: true }\nsteps:\n  - goto: /x\n  - setup: Users\n  - click: Save\n  - fill: { field: A, with: b }\n  - clear: A\n  - select: { field: A, option: b }\n  - check: A\n  - uncheck: A\n  - choose: { field: A, add: [b] }\n  - press: Tab\n  - hover: A\n  - wait_for: A\n  - expect: A\n  - capture: { v: { field: A } }\n  - screenshot: s\n  - window: main\n  - login: { username: u, password: \"${p}\" }\n  - expand: A\n  - collapse: A\n  - edit_cell: { cell: A, with: b }\n  - reorder: { field: A, to: [b] }\n";
    let rb = load_source(Path::new("t.yaml"), src, vec![]).unwrap_or_else(|e| panic!("{e}"));
    let read: Vec<&str> = rb
        .steps
        .iter()
        .map(|step| match &step.kind {
            StepKind::Action(a) => a.keyword(),
            _ => unreachable!(),
        })
        .collect();
    let all: Vec<&str> = super::actions::ACTIONS.iter().map(|a| a.name).collect();
    assert_eq!(read, all);
}

/// Each description holds together: names are unique, every rule names one of the
/// action's own keys, and every key says what it means.
#[test]
fn every_action_description_holds_together() {
    let mut names = std::collections::HashSet::new();
    for a in super::actions::ACTIONS {
        assert!(names.insert(a.name), "{} twice", a.name);
        assert!(a.summary.ends_with('.'), "{}: summary", a.name);
        let own = a.key_names();
        for k in a.required.iter().chain(a.one_of).chain(a.at_most_one) {
            assert!(own.contains(k), "{}: `{k}` is not one of its keys", a.name);
        }
        for k in a.keys {
            assert!(
                k.doc.len() > 10 && k.doc.ends_with('.'),
                "{}.{}",
                a.name,
                k.name
            );
        }
    }
}

#[test]
fn defaults_that_double_each_other_are_refused_at_the_first_too_long() {
    let mut src = String::from("runbook: t\ninputs:\n  a0: { default: \"xxxxxxxx\" }\n");
    for i in 1..=40 {
        src.push_str(&format!(
            "  a{i}: {{ default: \"${{a{p}}}${{a{p}}}\" }}\n",
            p = i - 1
        ));
    }
    src.push_str("steps:\n  - fill: { field: Name, with: \"${a40}\" }\n");
    let e = errors(&src);
    // a18 is 8 * 2^18 bytes = 2 MiB, the first past 1 MiB (line 3 holds a0).
    assert!(e.contains("t.yaml:21:"), "{e}");
    assert!(e.contains("`a18`") && e.contains("1 MiB"), "{e}");
    assert_eq!(
        e.matches("error:").count(),
        1,
        "one error, not one per default: {e}"
    );
}

#[test]
fn a_step_template_joining_long_defaults_is_refused_at_its_place() {
    let big = "x".repeat(400 * 1024);
    let src = format!(
        "runbook: t\ninputs:\n  a: {{ default: \"{big}\" }}\nsteps:\n  - fill: {{ field: Name, with: \"${{a}}${{a}}${{a}}\" }}\n"
    );
    let e = errors(&src);
    assert!(e.contains("t.yaml:5:"), "{e}");
    assert!(e.contains("1 MiB"), "{e}");
}

/// A folder with a runbook folder `book/` in it, and files beside and inside it.
fn include_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir_all(book.join("lib")).unwrap();
    std::fs::write(
        dir.path().join("outside.yaml"),
        "runbook: outside\nsteps:\n  - click: x\n",
    )
    .unwrap();
    std::fs::write(book.join("ok.yaml"), "runbook: ok\nsteps:\n  - click: x\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside.yaml"), book.join("link.yaml")).unwrap();
    dir
}

fn include_from(dir: &Path, target: &str) -> Result<Runbook, String> {
    let main = dir.join("book/main.yaml");
    std::fs::write(
        &main,
        format!("runbook: main\nsteps:\n  - include: {target}\n"),
    )
    .unwrap();
    load(&main).map_err(|e| e.to_string())
}

#[test]
fn includes_stay_in_the_runbook_s_folder() {
    let dir = include_tree();
    let d = dir.path();
    assert!(include_from(d, "ok.yaml").is_ok());
    assert!(
        include_from(d, "lib/../ok.yaml").is_ok(),
        "`..` that stays inside"
    );
    let e = include_from(d, "../outside.yaml").unwrap_err();
    assert!(
        e.contains("outside the folder includes are read from"),
        "{e}"
    );
    assert!(e.contains("--include-root"), "{e}");
    let e = include_from(d, "link.yaml").unwrap_err();
    assert!(
        e.contains("outside the folder includes are read from"),
        "{e}"
    );
    assert!(e.contains("symbolic link"), "{e}");
    let abs = d.join("book/ok.yaml");
    let e = include_from(d, &abs.display().to_string()).unwrap_err();
    assert!(e.contains("absolute"), "{e}");
    // A wider root named by the flag lets the file beside the folder in.
    let main = d.join("book/main.yaml");
    std::fs::write(
        &main,
        "runbook: main\nsteps:\n  - include: ../outside.yaml\n",
    )
    .unwrap();
    assert!(load_with(&main, Some(d)).is_ok());
    let e = load_with(&main, Some(&d.join("book/lib")))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("outside the folder includes are read from"),
        "{e}"
    );
}

#[test]
fn a_file_that_is_no_runbook_never_has_its_lines_shown() {
    let dir = include_tree();
    let d = dir.path();
    // A credentials file inside the folder: valid YAML, invalid YAML, and no YAML at all.
    for (name, text) in [
        (
            "creds.yaml",
            "aws_secret_access_key: hunter2SECRET\nregion: x\n",
        ),
        ("creds2.yaml", "password: hunter2SECRET\nother: [unclosed\n"),
        ("creds.env", "PASSWORD=hunter2SECRET\nTOKEN=\"abc\n"),
    ] {
        std::fs::write(d.join("book").join(name), text).unwrap();
        let e = include_from(d, name).unwrap_err();
        assert!(!e.contains("hunter2SECRET"), "{name}: {e}");
        assert!(e.contains("does not read as a runbook"), "{name}: {e}");
        let e = load(&d.join("book").join(name)).unwrap_err().to_string();
        assert!(!e.contains("hunter2SECRET"), "{name} checked itself: {e}");
    }
    // A runbook's own mistakes are still shown with their line.
    std::fs::write(
        d.join("book/typo.yaml"),
        "runbook: t\nsteps:\n  - clik: Save\n",
    )
    .unwrap();
    let e = include_from(d, "typo.yaml").unwrap_err();
    assert!(e.contains("- clik: Save"), "{e}");
}

#[test]
fn rows_trees_and_cells_read_as_steps() {
    let rb = parse_ok(
        r#"
runbook: x
steps:
  - check: { row: Dorothy Vaughan }
  - expand: Security
  - collapse: { row: VP Sales, in_section: Role Hierarchy }
  - expect: { cell: Email, in_row: Dorothy Vaughan, value: dv@example.com }
  - capture: { phone: { cell: Phone, in_row: Katherine Johnson } }
  - edit_cell: { cell: Title, in_row: Mary Jackson, with: "Engineer" }
  - edit_cell: { cell: Title, in_row: Margaret Hamilton, with: "${phone}", save: false }
"#,
    );
    let action = |i: usize| match &rb.steps[i].kind {
        StepKind::Action(a) => a.clone(),
        other => panic!("step {i} is {other:?}"),
    };
    // A bare name to expand is a tree item or row, not a button of that name.
    let Action::Expand(e) = action(1) else {
        panic!()
    };
    assert_eq!(e.target.kind, LocatorKind::Row);
    assert_eq!(e.target.value.source(), "Security");
    let Action::Collapse(c) = action(2) else {
        panic!()
    };
    assert_eq!(c.target.kind, LocatorKind::Row);
    assert!(c.target.in_section.is_some());
    let Action::Expect(x) = action(3) else {
        panic!()
    };
    let t = x.target.expect("a cell");
    assert_eq!(t.kind, LocatorKind::Cell);
    assert_eq!(
        t.in_row.map(|r| r.source().to_string()).as_deref(),
        Some("Dorothy Vaughan")
    );
    let Action::EditCell(first) = action(5) else {
        panic!()
    };
    assert!(first.save);
    let Action::EditCell(second) = action(6) else {
        panic!()
    };
    assert!(!second.save);
    // Opening a branch changes nothing in the org, so `verify` and `at:` steps may do it;
    // an inline edit saves a record.
    assert!(action(1).spec().read_only && action(2).spec().read_only);
    assert!(!action(5).spec().read_only);
}

#[test]
fn an_inline_edit_names_a_cell_and_its_value() {
    let e = errors("runbook: x\nsteps:\n  - edit_cell: { field: Title, with: x }\n");
    assert!(
        e.contains("`edit_cell` edits a cell, and this names a field")
            && e.contains("cell: Email, in_row: Dorothy Vaughan"),
        "{e}"
    );
    let e = errors("runbook: x\nsteps:\n  - edit_cell: { cell: Title, in_row: Mary Jackson }\n");
    assert!(e.contains("`edit_cell` needs `with`"), "{e}");
    let e = errors("runbook: x\nsteps:\n  - edit_cell: { cell: Title, with: x, save: later }\n");
    assert!(e.contains("`save` must be true or false"), "{e}");
    let e = errors("runbook: x\nsteps:\n  - expand: { cel: Email }\n");
    assert!(e.contains("did you mean `cell`?"), "{e}");
}

#[test]
fn reads_a_fields_error_and_validity_and_a_reorder() {
    let rb = parse_ok(
        r#"
runbook: t
steps:
  - expect: { field: Username, error: "Complete this field." }
  - expect: { field: Username, valid: true }
  - reorder: { field: Visible Fields, to: [Industry, Name] }
"#,
    );
    let actions: Vec<&Action> = rb
        .steps
        .iter()
        .map(|s| match &s.kind {
            StepKind::Action(a) => a,
            _ => unreachable!(),
        })
        .collect();
    assert!(matches!(
        actions[0],
        Action::Expect(actions::Expect { check: Expectation::Error(t), .. }) if t.source() == "Complete this field."
    ));
    assert!(matches!(
        actions[1],
        Action::Expect(actions::Expect {
            check: Expectation::Valid(true),
            ..
        })
    ));
    assert_eq!(
        actions[2].title(),
        "reorder field \"Visible Fields\" to Industry, Name"
    );
    assert!(!actions[2].spec().read_only, "reorder changes the org");
    assert!(actions[0].spec().read_only);
}

#[test]
fn one_large_file_included_many_times_is_refused_by_the_bytes_read() {
    // Each read is under the bound on one file, but 20 000 includes of a 1 MiB file
    // would hold 20 GB of source in memory.
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("runbook: big\nsteps:\n  - click: x\n#");
    big.push_str(&"x".repeat(600 * 1024));
    big.push('\n');
    std::fs::write(dir.path().join("big.yaml"), big).unwrap();
    let main = dir.path().join("main.yaml");
    let mut text = String::from("runbook: main\nsteps:\n");
    for _ in 0..40 {
        text.push_str("  - include: big.yaml\n");
    }
    std::fs::write(&main, text).unwrap();
    let Err(e) = load(&main) else {
        panic!("loaded 40 includes of a 600 KiB file");
    };
    assert_eq!(e.0.len(), 1, "said once: {e}");
    let e = e.to_string();
    assert!(e.contains("MiB of included runbooks"), "{e}");
    assert!(e.contains("main.yaml:"), "{e}");
}

#[test]
fn a_default_may_name_only_the_inputs_declared_above_it() {
    let e =
        errors("runbook: t\ninputs:\n  a: { default: \"x${a}y\" }\nsteps:\n  - click: \"${a}\"\n");
    assert!(
        e.contains("`${a}` names the input it is the default of"),
        "{e}"
    );
    assert!(e.contains("t.yaml:3:"), "{e}");
    let e = errors(
        "runbook: t\ninputs:\n  b: { default: \"${c}\" }\n  c: x\nsteps:\n  - click: \"${b}\"\n",
    );
    assert!(e.contains("`c` is declared below `b`"), "{e}");
}
