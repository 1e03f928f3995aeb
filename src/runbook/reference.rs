//! `docs/reference.md`, the language reference, written from the same descriptions the
//! parser, `check`'s hints and the JSON Schema read: each action's [`ActionSpec`] and
//! the other keys' meanings in [`KEY_DOCS`]. The file is committed so it reads on a
//! forge; the test below fails when it no longer says what this writes, and
//! `UPDATE_DOCS=1 cargo test --lib docs_reference` rewrites it.

use std::fmt::Write;

use super::actions::ACTIONS;
use super::keys;
use super::model::LocatorKind;
use super::vocabulary::{
    key_doc, ActionSpec, LocatorUse, Shape, CONDITIONS, INPUT_KEYS, MODIFIERS, SCOPES, STRUCTURE,
    TOP_KEYS,
};

/// Where the reference lives, from the repository's root.
pub const PATH: &str = "docs/reference.md";

/// How to bring the committed file up to date; the stale-file failure says it.
pub const REGENERATE: &str = "UPDATE_DOCS=1 cargo test --lib docs_reference";

/// The whole of `docs/reference.md`.
pub fn markdown() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Runbook language reference\n\n\
         <!-- Generated from src/runbook/actions/*.rs and src/runbook/vocabulary.rs: do not edit.\n     \
         After changing an action or a key, or after a merge that touched them (a conflict\n     \
         here included), run `{REGENERATE}` and commit this file. -->\n\n\
         Every action and key of the runbook language, with what it means, written from the\n\
         descriptions the parser, `setupwright check` and `setupwright schema` read. The guide,\n\
         with examples and how each action behaves on a page, is [language.md](language.md).\n"
    );
    actions(&mut out);
    locators(&mut out);
    steps(&mut out);
    document(&mut out);
    out
}

fn code_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A key's meaning from the vocabulary; one without is a gap the schema's test
/// (`every_key_is_described`) reports, so here it shows as a gap rather than a panic.
fn meaning(key: &str) -> &'static str {
    key_doc(key).unwrap_or("(not described)")
}

/// Text for a table cell: a `|` would end it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn shape(s: Shape) -> &'static str {
    match s {
        Shape::Text => "text",
        Shape::Flag => "true or false",
        Shape::List => "a list of texts (or one)",
    }
}

/// What the plain-string form of an action stands for: the one key it must have when it
/// takes no element of its own (`goto: URL`, `press: Tab`), else the element.
fn short_form(a: &ActionSpec) -> Option<String> {
    if !a.string_form {
        return None;
    }
    let stands_for = match (a.required, a.locator) {
        ([only], LocatorUse::None | LocatorUse::Optional) => format!("its `{only}`"),
        (_, LocatorUse::Required | LocatorUse::Optional) => "the element".to_string(),
        _ => "the value".to_string(),
    };
    Some(format!(
        "`{}: TEXT`, where the text is {stands_for}",
        a.name
    ))
}

fn actions(out: &mut String) {
    let _ = writeln!(out, "## Actions\n\n| action | what it does |\n|---|---|");
    for a in ACTIONS {
        let _ = writeln!(out, "| [`{0}`](#{0}) | {1} |", a.name, cell(a.summary));
    }
    for a in ACTIONS {
        let _ = writeln!(out, "\n### `{}`\n\n{}\n", a.name, a.summary);
        let element = match a.locator {
            LocatorUse::Required => Some("required"),
            LocatorUse::Optional => Some("optional"),
            LocatorUse::None => None,
        };
        if let Some(need) = element {
            let kinds = if a.locator_kinds.is_empty() {
                "a [locator](#locators) of any kind".to_string()
            } else {
                format!(
                    "a [locator](#locators) of kind {}",
                    code_list(a.locator_kinds)
                )
            };
            let _ = writeln!(out, "- **Element:** {need}; {kinds}.");
        }
        if a.name == "capture" {
            // Its shape is its own, as in the schema: names to locators.
            let _ = writeln!(
                out,
                "- **Variables:** every other key is a variable's name, and its value the \
                 [locator](#locators) to read it from: `capture: {{ consumer_key: {{ field: Consumer Key }} }}`."
            );
        }
        if let Some(short) = short_form(a) {
            let _ = writeln!(out, "- **Short form:** {short}.");
        }
        if !a.required.is_empty() {
            let _ = writeln!(out, "- **Must have:** {}.", code_list(a.required));
        }
        if !a.one_of.is_empty() {
            let _ = writeln!(out, "- **At least one of:** {}.", code_list(a.one_of));
        }
        if !a.at_most_one.is_empty() {
            let _ = writeln!(out, "- **At most one of:** {}.", code_list(a.at_most_one));
        }
        let _ = writeln!(
            out,
            "- **Read-only:** {}.",
            if a.read_only {
                "yes, it reads or moves around and cannot change the org's data: `verify` runs it"
            } else {
                "no, it may change the org: `verify` does not run it"
            }
        );
        if !a.keys.is_empty() {
            let _ = writeln!(out, "\n| key | value | meaning |\n|---|---|---|");
            for k in a.keys {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} |",
                    k.name,
                    shape(k.shape),
                    cell(k.doc)
                );
            }
        }
        if a.name == "press" {
            let names: Vec<&str> = keys::NAMES.iter().map(|(n, _)| *n).collect();
            let _ = writeln!(
                out,
                "\nKey names: {}, or any single character; `+` joins a chord (`Control+a`), so the + key itself is `Plus`.",
                code_list(&names)
            );
        }
    }
}

fn table(out: &mut String, keys: &[&str]) {
    let _ = writeln!(out, "| key | meaning |\n|---|---|");
    for k in keys {
        let _ = writeln!(out, "| `{k}` | {} |", cell(meaning(k)));
    }
}

fn locators(out: &mut String) {
    let _ = writeln!(
        out,
        "\n## Locators\n\n\
         A locator is a plain string (the control a person would call that, as the action\n\
         judges it) or a mapping with exactly one kind and any scopes. In an action's mapping\n\
         they sit beside the action's own keys: `fill: {{ field: Label, in_section: Details, with: Acme }}`.\n"
    );
    let kinds: Vec<&str> = LocatorKind::NAMED.iter().map(|(n, _)| *n).collect();
    table(out, &kinds);
    let _ = writeln!(out, "\nScopes, beside the kind:\n");
    table(out, SCOPES);
}

fn steps(out: &mut String) {
    let _ = writeln!(
        out,
        "\n## Steps\n\n\
         A step is an action, a `group` with its `steps`, or an `include`. Each may have\n\
         these keys besides:\n"
    );
    table(out, MODIFIERS);
    let _ = writeln!(out, "\nGroups and includes:\n");
    table(out, STRUCTURE);
    let _ = writeln!(
        out,
        "\n### Conditions\n\n\
         The value of `skip_if` and `only_if`: exactly one test, and `at:` steps that go to\n\
         the page it looks at.\n"
    );
    table(out, CONDITIONS);
}

fn document(out: &mut String) {
    let _ = writeln!(out, "\n## The document\n");
    table(out, TOP_KEYS);
    let _ = writeln!(out, "\nAn input is declared with any of:\n");
    table(out, INPUT_KEYS);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed reference says what the descriptions say. Rewritten in place with
    /// `UPDATE_DOCS=1`, as snapshot tools do, to review in the diff.
    #[test]
    fn docs_reference_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PATH);
        let want = markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).expect("writing docs/reference.md");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have == want {
            return;
        }
        let first = have
            .lines()
            .zip(want.lines())
            .position(|(h, w)| h != w)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
        panic!(
            "{PATH} is not what the actions' descriptions (src/runbook/actions/*.rs, \
             src/runbook/vocabulary.rs) make of it, from line {}:\n  in the file: {:?}\n  \
             generated:   {:?}\nIt is generated, never edited by hand: run `{REGENERATE}` and \
             commit {PATH} (after a merge, a conflict in it included, regenerate rather than \
             resolve it).",
            first + 1,
            have.lines().nth(first).unwrap_or("(end of file)"),
            want.lines().nth(first).unwrap_or("(end of file)"),
        );
    }

    /// The README's first runbook, the one with the `$schema` line, is one `check`
    /// accepts and the schema validates, and its `$schema` line names the file the README
    /// tells the reader to write the schema into.
    #[test]
    fn the_readme_first_runbook_checks_and_fits_the_schema() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
        const MODELINE: &str = "# yaml-language-server: $schema=";
        let start = readme
            .find(&format!("```yaml\n{MODELINE}"))
            .expect("the README shows a runbook that starts with its $schema line")
            + "```yaml\n".len();
        let text = &readme[start..start + readme[start..].find("```").expect("its block ends")];
        let schema_file = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix(MODELINE))
            .expect("the modeline");
        assert!(
            readme.contains(&format!("setupwright schema > runbooks/{schema_file}")),
            "the README writes the schema where `$schema={schema_file}` finds it"
        );

        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("first.yaml");
        std::fs::write(&path, text).expect("writing the runbook");
        if let Err(e) = super::super::load(&path) {
            panic!("`setupwright check` refuses the README's first runbook:\n{e}");
        }
        let doc: serde_json::Value =
            serde_yaml::from_str(text).expect("the README's runbook is YAML");
        let validator = jsonschema::draft202012::new(&super::super::schema::schema())
            .expect("the schema is a valid draft 2020-12 schema");
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
