//! The JSON Schema `setupwright schema` prints, judged by a real JSON Schema validator
//! (the `jsonschema` crate, draft 2020-12): every runbook `check` accepts validates, and
//! every corpus runbook that `check` rejects for its shape is rejected by the schema too.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Corpus cases whose fault no schema can see: what is wrong is in the values' meaning
/// (an input not declared, a key name, a template), not in the document's shape.
const BEYOND_A_SCHEMA: &[(&str, &str)] = &[
    (
        "28-unknown-key-name",
        "`press: Tabb`: a key name is any key or chord; which exist is the key table's",
    ),
    (
        "30-unknown-input",
        "`${app_nmae}` is a well-formed reference to an input that is not declared",
    ),
    ("31-undeclared-input", "a reference to an undeclared input"),
    (
        "32-capture-used-before",
        "a capture used before the step that makes it: order, not shape",
    ),
    (
        "43-include-missing-file",
        "the included file does not exist",
    ),
    ("44-include-cycle", "the included files include each other"),
    (
        "45-include-unknown-input",
        "an input the included runbook does not declare",
    ),
    (
        "61-include-diamond",
        "the included files expand past the step limit",
    ),
    ("67-include-dev-zero", "the included path is a device"),
    ("69-include-directory", "the included path is a directory"),
    (
        "71-include-input-not-handed",
        "the included runbook's inputs are in another file",
    ),
    (
        "72-alias-long-scalar",
        "a size once aliases are expanded: the shape of each step is right",
    ),
    (
        "73-chained-defaults",
        "a size once defaults are rendered: each default is a well-formed string",
    ),
    (
        "80-default-names-itself",
        "a default reading its own input: which names a template holds is the validator's",
    ),
    (
        "74-include-outside",
        "where the included path leads on disk",
    ),
    ("75-include-not-a-runbook", "what the included file holds"),
];

fn schema() -> jsonschema::Validator {
    let out = common::setupwright(&["schema"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let schema: Value = serde_json::from_str(&out.stdout).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("the schema is a valid draft 2020-12 schema")
}

/// A YAML file as the JSON value an editor's YAML language server validates; `None`
/// when it is not YAML at all (those cases are the YAML parser's, not the schema's).
fn as_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    serde_json::to_value(yaml).ok()
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    out.sort();
    out
}

#[test]
fn the_schema_accepts_every_runbook_check_accepts() {
    let validator = schema();
    let mut checked = 0;
    let mut failures = Vec::new();
    for dir in [
        "runbooks",
        "tests/runbooks",
        "runbooks/parts",
        "tests/runbooks/parts",
    ] {
        if !Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).is_dir() {
            continue;
        }
        for path in yaml_files(dir) {
            let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            let check = common::setupwright(&["check", rel.to_str().unwrap()], &[]);
            if check.code != 0 {
                continue; // a fixture of a failure, not a runbook
            }
            let doc = as_json(&path).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            if !errors.is_empty() {
                failures.push(format!("{}: {}", rel.display(), errors.join("; ")));
            }
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} runbooks checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_what_check_rejects_for_its_shape() {
    let validator = schema();
    let mut accepted = Vec::new();
    let mut cases = 0;
    for path in yaml_files("tests/corpus") {
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let Some(doc) = as_json(&path) else { continue };
        cases += 1;
        let valid = validator.is_valid(&doc);
        let excused = BEYOND_A_SCHEMA.iter().any(|(n, _)| *n == name);
        if valid && !excused {
            accepted.push(name);
        } else if !valid && excused {
            panic!("{name} is listed as beyond a schema, but the schema rejects it: take it off the list");
        }
    }
    assert!(cases >= 40, "{cases} corpus cases are YAML");
    assert!(
        accepted.is_empty(),
        "the schema accepts {} malformed runbooks:\n{}",
        accepted.len(),
        accepted.join("\n")
    );
}
