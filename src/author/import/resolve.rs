//! `import --resolve`: the recording is replayed with each step that only CSS, XPath or
//! generated ids identify written with that selector (a probe); the replay's record of
//! what each probe matched (the element's role and accessible name, as the engine reads
//! them) then names the step with a label locator. The replay itself is the command's
//! (it needs a browser); this is the part that rewrites the draft.

use super::selectors::kind_for_role;
use super::{Imported, Val};
use crate::author::{Draft, DraftItem, DraftStep};

/// A step written with its recorded selector for the replay to resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    /// The recorded step's 1-based index.
    pub index: usize,
    /// The step's path in the runbook (`2.7`: group 2, its step 7), as a run reports it.
    pub path: String,
    /// The locator to write when the replay cannot name it: the CSS or XPath worth
    /// keeping; none when only generated ids identified it (the step must not stay).
    pub fallback: Option<Val>,
    /// A label names the step already: the replay only reads what its click did (turned a
    /// checkbox, opened a list, picked an option).
    pub watch: bool,
}

/// What the replay matched for a step: role and accessible name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Seen {
    /// The role of the control the step acted on (for a CSS or XPath match, that of the
    /// control the engine named: the checkbox around a faux box clicked).
    pub role: String,
    pub name: String,
    /// For a click on a checkbox, switch or radio: whether it was checked after the click.
    pub checked: Option<bool>,
    /// The locator the engine wrote for the element (`author.js`: kind, name and the
    /// row, section or dialog that tell it apart), checked by finding it again.
    pub authored: Option<Val>,
}

impl Seen {
    /// From a run report's `matched` object.
    pub fn from_matched(m: &serde_json::Value) -> Seen {
        let authored = m
            .get("authored")
            .filter(|a| !a.is_null())
            .and_then(|a| serde_json::from_value::<crate::locate::AuthoredLocator>(a.clone()).ok())
            .filter(|l| !l.kind.is_empty() && l.kind != "css" && l.kind != "xpath")
            .map(|mut l| {
                // An option is text in a list as the runbook language names it.
                if l.kind == "option" {
                    l.kind = "text".into();
                }
                crate::author::locator::locator_val(&l)
            });
        let role = authored
            .as_ref()
            .and(m["authored"]["role"].as_str())
            .or(m["role"].as_str())
            .unwrap_or("");
        Seen {
            role: role.to_string(),
            name: m["name"].as_str().unwrap_or("").to_string(),
            checked: m["checked"].as_bool(),
            authored,
        }
    }
}

/// The label locator key and name for an element the replay matched, if its role maps
/// to a locator kind and it has a name.
pub fn label_for(seen: &Seen) -> Option<(&'static str, String)> {
    // A required field's name carries the asterisk its label shows.
    let name = seen.name.trim().trim_start_matches('*').trim().to_string();
    if name.is_empty() {
        return None;
    }
    let kind = kind_for_role(seen.role.trim())?;
    Some((kind, name))
}

/// How many probes were named: by the engine's locator, and by role and name alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Named {
    pub by_engine: usize,
    pub by_role: usize,
}

/// Names the probes from what the replay matched (`seen` by step path); `stopped` says
/// where and why the replay ended, for the probes it never reached. Steps that stay
/// unnamed keep their CSS/XPath with a warning, or become a comment when only a
/// generated id identified them.
pub fn apply(
    imported: &mut Imported,
    seen: &dyn Fn(&str) -> Option<Seen>,
    stopped: Option<&str>,
) -> Named {
    let probes = std::mem::take(&mut imported.probes);
    let mut named = Named::default();
    let mut drop_paths: Vec<String> = Vec::new();
    for p in &probes {
        let Some(step) = step_at(&mut imported.draft.items, &p.path) else {
            continue;
        };
        // A name that is the selector itself: the element had none.
        let selector = match &step.value {
            Val::Map(m) => m.first().and_then(|(_, v)| match v {
                Val::Lit(s) => Some(s.clone()),
                _ => None,
            }),
            _ => None,
        };
        let got = seen(&p.path);
        if let Some(s) = &got {
            step.seen_role = Some(s.role.clone());
        }
        if p.watch {
            if let Some(s) = &got {
                turn_to_state(step, s, p.index);
            }
            continue;
        }
        // The engine's own locator first (scopes included); else kind and name from the
        // role and accessible name the replay matched.
        let by_engine = matches!(
            got.as_ref().and_then(|s| s.authored.as_ref()),
            Some(Val::Map(_))
        );
        let label: Option<Vec<(String, Val)>> = match got.as_ref().and_then(|s| s.authored.clone())
        {
            Some(Val::Map(entries)) => Some(entries),
            _ => got
                .filter(|s| Some(s.name.trim()) != selector.as_deref().map(str::trim))
                .as_ref()
                .and_then(label_for)
                .map(|(kind, name)| vec![(kind.to_string(), Val::lit(name))]),
        };
        match label {
            Some(entries) => {
                if let Val::Map(m) = &mut step.value {
                    let rest: Vec<(String, Val)> = m.drain(..).skip(1).collect();
                    m.extend(entries);
                    m.extend(rest);
                }
                step.comments.push(format!(
                    "Recorded step {}: named by --resolve from the page (the recording had only CSS, XPath or generated ids).",
                    p.index
                ));
                if by_engine {
                    named.by_engine += 1;
                } else {
                    named.by_role += 1;
                }
                if let Some(s) = seen(&p.path) {
                    turn_to_state(step, &s, p.index);
                    fill_as_select(step, &s, p.index);
                }
            }
            None => {
                let why = match (seen(&p.path), stopped) {
                    (Some(s), _) => format!(
                        "the element it matched has no role a locator names, or no name (role `{}`, name \"{}\")",
                        s.role, s.name
                    ),
                    (None, Some(stop)) => format!("the replay did not get there ({stop})"),
                    (None, None) => "the replay did not match it".into(),
                };
                imported.unnamed.push(p.index);
                if p.fallback.is_none() {
                    imported.warnings.push(format!(
                        "warning: step {}: not resolved: {why}; only ids the page generated identify it, so it is kept as a comment\n  help: write the step by hand",
                        p.index
                    ));
                    drop_paths.push(p.path.clone());
                } else {
                    imported.warnings.push(format!(
                        "warning: step {}: not resolved: {why}; its CSS/XPath is kept\n  help: write a label locator by hand",
                        p.index
                    ));
                    if let Some(v) = &p.fallback {
                        step.value = v.clone();
                    }
                    step.comments.push(format!(
                        "Recorded step {}: only CSS/XPath identified this element; a label locator (field:, button:...) survives a page change better.",
                        p.index
                    ));
                }
            }
        }
    }
    // Last first, so the paths of the others still hold.
    drop_paths.sort_by_key(|p| std::cmp::Reverse(path_key(p)));
    for path in drop_paths {
        let index = probes
            .iter()
            .find(|p| p.path == path)
            .map_or(0, |p| p.index);
        remove_at(
            &mut imported.draft,
            &path,
            format!(
                "Recorded step {index} not imported: only ids the page generated identify its element, and --resolve could not name it."
            ),
        );
    }
    // After the removals, which go by path.
    for item in imported.draft.items.iter_mut() {
        if let DraftItem::Group { steps, .. } = item {
            quick_find_as_setup(steps);
            clicks_in_a_row_as_one_state(steps);
            list_then_option_as_select(steps);
            options_then_mover_as_choose(steps);
        }
    }
    name_inputs_after_their_fields(&mut imported.draft);
    named
}

/// A click the replay saw turn a checkbox, switch or radio becomes `check:` or `uncheck:`
/// with the state it left: a second run leaves the box as the recording did instead of
/// turning it over again.
fn turn_to_state(step: &mut DraftStep, seen: &Seen, index: usize) {
    let Some(checked) = seen.checked else { return };
    if step.action != "click" {
        return;
    }
    // `check` finds a toggle as a field; the engine names it so, a recording may not have
    // (a bare name, a radio's label as text).
    match &mut step.value {
        Val::Lit(name) => step.value = Val::pair("field", name.clone()),
        Val::Map(m) => {
            if let Some((k, _)) = m.first_mut().filter(|(k, _)| k == "text") {
                *k = "field".into();
            }
        }
        _ => {}
    }
    step.action = if checked { "check" } else { "uncheck" }.into();
    // The import's advice to do just this is done.
    step.comments.retain(|c| !c.contains(super::TURNS_OVER));
    step.comments.push(format!(
        "Recorded step {index} clicked it, which left it {}: `{}` leaves it so whatever it was, so a second run changes nothing.",
        if checked { "checked" } else { "unchecked" },
        step.action
    ));
}

/// A value the recording set in a field the replay found to be a picklist (a `<select>`
/// only an id named, as a classic page's): `select:`, which the replay made of the `fill`.
fn fill_as_select(step: &mut DraftStep, seen: &Seen, index: usize) {
    if step.action != "fill" || !matches!(seen.role.as_str(), "combobox" | "listbox") {
        return;
    }
    let Val::Map(m) = &mut step.value else { return };
    let Some(entry) = m.iter_mut().find(|(k, _)| k == "with") else {
        return;
    };
    entry.0 = "option".into();
    step.action = "select".into();
    step.comments.push(format!(
        "Recorded step {index} set the list's value; check the option is its label as the page shows it."
    ));
}

/// Clicks in a row on the same checkbox are one step with the state the last one left.
fn clicks_in_a_row_as_one_state(steps: &mut Vec<DraftStep>) {
    let mut i = 0;
    while i + 1 < steps.len() {
        let turned = |s: &DraftStep| {
            matches!(s.action.as_str(), "check" | "uncheck") && s.seen_role.is_some()
        };
        if turned(&steps[i]) && turned(&steps[i + 1]) && steps[i].value == steps[i + 1].value {
            let first = steps.remove(i);
            let mut comments = first.comments;
            comments.append(&mut steps[i].comments);
            steps[i].comments = comments;
            continue;
        }
        i += 1;
    }
}

/// A click the replay saw open a combobox, then one on an option of it: one `select`, as
/// the importer writes it for a recording that named both.
fn list_then_option_as_select(steps: &mut Vec<DraftStep>) {
    let mut i = 0;
    while i + 1 < steps.len() {
        let (list, option) = (&steps[i], &steps[i + 1]);
        let opened = list.action == "click" && list.seen_role.as_deref() == Some("combobox");
        let picked = option.action == "click" && option.seen_role.as_deref() == Some("option");
        let name = named(&option.value);
        let field = match &list.value {
            Val::Lit(n) => Some(vec![("field".to_string(), Val::lit(n.clone()))]),
            Val::Map(m) if !matches!(m.first(), Some((k, _)) if k == "css" || k == "xpath") => {
                Some(m.clone())
            }
            _ => None,
        };
        if let (true, true, Some(name), Some(mut field)) = (opened, picked, name, field) {
            field.push(("option".into(), Val::lit(name)));
            let mut s = DraftStep::new("select", Val::Map(field));
            s.comments = steps[i].comments.clone();
            s.comments.extend(steps[i + 1].comments.clone());
            s.comments
                .push("Recorded as a click on the list, then on its option: one `select`.".into());
            s.seen_role = Some("combobox".into());
            steps.splice(i..i + 2, [s]);
        }
        i += 1;
    }
}

/// The name a step's locator gives, unless CSS or XPath is all it has.
fn named(v: &Val) -> Option<String> {
    match v {
        Val::Lit(n) => Some(n.clone()),
        Val::Map(m) => match m.first() {
            Some((k, Val::Lit(n))) if k != "css" && k != "xpath" => Some(n.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Clicks the replay saw land on options, then on a dual listbox's "Move selection to …"
/// button: one `choose`, as the importer writes it for a recording that named them all
/// (options moved one at a time join the `choose` before them).
fn options_then_mover_as_choose(steps: &mut Vec<DraftStep>) {
    let option = |s: &DraftStep| s.action == "click" && s.seen_role.as_deref() == Some("option");
    let mut i = 0;
    while i < steps.len() {
        let mut j = i;
        let mut names = Vec::new();
        while j < steps.len() && option(&steps[j]) {
            match named(&steps[j].value) {
                Some(n) => names.push(Val::lit(n)),
                None => break,
            }
            j += 1;
        }
        let list = steps
            .get(j)
            .filter(|m| m.action == "click" && j > i)
            .and_then(|m| named(&m.value))
            .and_then(|n| n.strip_prefix("Move selection to ").map(str::to_string));
        let (Some(list), true) = (list, names.len() == j - i) else {
            i += 1;
            continue;
        };
        let (field, key) = super::dual_listbox_move(&list);
        let moved = names.len();
        let mut comments: Vec<String> = steps[i..=j]
            .iter()
            .flat_map(|s| s.comments.clone())
            .collect();
        comments.push(format!(
            "Recorded as clicks on {moved} option(s), then on \"Move selection to {list}\": one `choose`."
        ));
        // Moved one at a time: the `choose` before takes these too.
        if let Some(prev) = i.checked_sub(1).and_then(|p| steps.get_mut(p)) {
            if prev.action == "choose" && prev.value.get("field") == Some(&Val::lit(field.clone()))
            {
                if let Val::Map(m) = &mut prev.value {
                    if let Some((_, Val::List(l))) = m.iter_mut().find(|(k, _)| k == key) {
                        l.append(&mut names);
                        let total = l.len();
                        prev.comments
                            .retain(|c| !c.starts_with("Recorded as clicks on "));
                        prev.comments.extend(comments);
                        if let Some(last) = prev.comments.last_mut() {
                            *last = format!(
                                "Recorded as clicks on {total} option(s) and on \"Move selection to {list}\" after each: one `choose`."
                            );
                        }
                        steps.drain(i..=j);
                        continue;
                    }
                }
            }
        }
        let mut s = DraftStep::new(
            "choose",
            Val::map([("field", Val::lit(field)), (key, Val::List(names))]),
        );
        s.comments = comments;
        steps.splice(i..=j, [s]);
        i += 1;
    }
}

/// Inputs the import named before the replay learned their field's label (`value`,
/// `value_2`: typed into a field only CSS or XPath named) take the name of the first field
/// they are typed into, now that it has one.
fn name_inputs_after_their_fields(draft: &mut Draft) {
    let unlabelled: Vec<String> = draft
        .inputs
        .iter()
        .filter(|i| !i.secret && (i.name == "value" || i.name.starts_with("value_")))
        .map(|i| i.name.clone())
        .collect();
    for old in unlabelled {
        let template = format!("${{{old}}}");
        let field = draft
            .steps()
            .find_map(|s| match (s.value.get("field"), s.value.get("with")) {
                (Some(Val::Lit(field)), Some(Val::Template(t)))
                    if s.action == "fill" && *t == template =>
                {
                    Some(field.clone())
                }
                _ => None,
            });
        let Some(field) = field else { continue };
        let mut new = super::input_name(&field);
        while draft.inputs.iter().any(|i| i.name == new) {
            new.push_str("_2");
        }
        let renamed = Val::Template(format!("${{{new}}}"));
        for s in draft.steps_mut() {
            s.value.replace_template(&template, &renamed);
            for (_, v) in s.extra.iter_mut() {
                v.replace_template(&template, &renamed);
            }
        }
        if let Some(i) = draft.inputs.iter_mut().find(|i| i.name == old) {
            i.name = new;
            i.description = Some(format!(
                "Typed into \"{field}\" and used again in the recording"
            ));
        }
    }
}

/// Quick Find filled, then a link clicked: named only now, it is `setup:` as the
/// importer writes it for a recording that named them.
fn quick_find_as_setup(steps: &mut Vec<DraftStep>) {
    let mut i = 0;
    while i + 1 < steps.len() {
        let typed = match (
            &steps[i].action[..],
            steps[i].value.get("field"),
            steps[i].value.get("with"),
        ) {
            ("fill", Some(Val::Lit(f)), Some(Val::Lit(w)))
                if f.eq_ignore_ascii_case("Quick Find")
                    || f.eq_ignore_ascii_case("Search Setup") =>
            {
                Some(w.clone())
            }
            _ => None,
        };
        let page = match (&steps[i + 1].action[..], steps[i + 1].value.get("link")) {
            ("click", Some(Val::Lit(l))) => Some(l.clone()),
            _ => None,
        };
        if let (Some(typed), Some(page)) = (typed, page) {
            let by_page = page.to_lowercase().contains(&typed.trim().to_lowercase());
            let v = if by_page {
                Val::lit(page.clone())
            } else {
                Val::map([
                    ("section", Val::lit(typed.clone())),
                    ("page", Val::lit(page.clone())),
                ])
            };
            let mut comments = steps[i].comments.clone();
            comments.extend(steps[i + 1].comments.clone());
            comments.retain(|c| !c.contains("named by --resolve"));
            let mut s = DraftStep::new("setup", v)
                .named(format!("In Quick Find, enter {typed}, then select {page}"));
            s.comments = comments;
            steps.splice(i..i + 2, [s]);
        }
        i += 1;
    }
}

fn path_key(p: &str) -> Vec<usize> {
    p.split('.').filter_map(|n| n.parse().ok()).collect()
}

fn step_at<'a>(items: &'a mut [DraftItem], path: &str) -> Option<&'a mut DraftStep> {
    let k = path_key(path);
    match (k.first(), k.get(1)) {
        (Some(&i), None) => match items.get_mut(i.checked_sub(1)?)? {
            DraftItem::Step(s) => Some(s),
            _ => None,
        },
        (Some(&i), Some(&j)) => match items.get_mut(i.checked_sub(1)?)? {
            DraftItem::Group { steps, .. } => steps.get_mut(j.checked_sub(1)?),
            _ => None,
        },
        _ => None,
    }
}

/// Takes the step out; its comments and `note` go to the step after it (or the header).
fn remove_at(d: &mut crate::author::Draft, path: &str, note: String) {
    let k = path_key(path);
    let mut carried = Vec::new();
    match (k.first(), k.get(1)) {
        (Some(&i), None) if i >= 1 && i <= d.items.len() => {
            if let DraftItem::Step(s) = d.items.remove(i - 1) {
                carried = s.comments;
            }
            carried.push(note);
            match d.items.get_mut(i - 1) {
                Some(DraftItem::Step(s)) => prepend(s, carried),
                Some(DraftItem::Group { steps, .. }) if !steps.is_empty() => {
                    prepend(&mut steps[0], carried)
                }
                _ => d.header.extend(carried),
            }
        }
        (Some(&i), Some(&j)) if i >= 1 && i <= d.items.len() => {
            let mut empty = false;
            if let DraftItem::Group { steps, trailer, .. } = &mut d.items[i - 1] {
                if j >= 1 && j <= steps.len() {
                    carried = steps.remove(j - 1).comments;
                    carried.push(note);
                    let others = !steps.is_empty();
                    match steps.get_mut(j - 1) {
                        Some(s) => {
                            prepend(s, carried);
                            carried = Vec::new();
                        }
                        // The group's last step: the note stays at the group's end.
                        None if others => {
                            carried.append(trailer);
                            *trailer = std::mem::take(&mut carried);
                        }
                        None => {
                            empty = true;
                            carried.append(trailer);
                        }
                    }
                }
            }
            if !carried.is_empty() {
                // The group's only step: the note goes to what follows the group.
                match d.items.get_mut(i) {
                    Some(DraftItem::Step(s)) => prepend(s, carried),
                    Some(DraftItem::Group { steps, .. }) if !steps.is_empty() => {
                        prepend(&mut steps[0], carried)
                    }
                    _ => d.header.extend(carried),
                }
            }
            if empty {
                d.items.remove(i - 1);
            }
        }
        _ => {}
    }
}

fn prepend(s: &mut DraftStep, mut lines: Vec<String>) {
    lines.append(&mut s.comments);
    s.comments = lines;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::author::emit_checked;
    use crate::author::import::{import, import_probing};
    use std::path::Path;

    const RECORDING: &str = r##"{"title":"t","steps":[
        {"type":"navigate","url":"https://acme.my.salesforce.com/x"},
        {"type":"change","value":"My App","selectors":[["#input-5"],["pierce/#input-5"]]},
        {"type":"click","selectors":[["div.actions > button:nth-of-type(2)"]]},
        {"type":"click","selectors":[["#checkbox-21"]]},
        {"type":"click","selectors":[["aria/Create[role=\"button\"]"]]}]}"##;

    #[test]
    fn an_input_named_before_its_field_was_known_takes_the_fields_name() {
        let recording = r##"{"title":"t","steps":[
            {"type":"navigate","url":"https://acme.my.salesforce.com/x"},
            {"type":"change","value":"Acme Corp","selectors":[["#input-5"]]},
            {"type":"click","selectors":[["aria/Acme Corp[role=\"link\"]"]]}]}"##;
        let mut i = import_probing(recording, None).unwrap();
        let before = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(before.contains("${value}"), "{before}");
        let seen = |path: &str| {
            (path == "1.2").then(|| Seen {
                role: "textbox".into(),
                name: "Account Name".into(),
                authored: None,
                checked: None,
            })
        };
        apply(&mut i, &seen, None);
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(
            t.contains("- fill: { field: Account Name, with: \"${account_name}\" }")
                && t.contains("- click: { link: \"${account_name}\" }")
                && t.contains("  account_name:"),
            "{t}"
        );
        assert!(!t.contains("${value}") && !t.contains("  value:"), "{t}");
        assert!(t.contains("Typed into \\\"Account Name\\\""), "{t}");
    }

    #[test]
    fn probes_are_written_with_the_recorded_selector_and_named_from_the_replay() {
        let mut i = import_probing(RECORDING, None).unwrap();
        assert_eq!(
            i.probes.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["1.2", "1.3", "1.4"]
        );
        // What the replay runs: the generated id, to find the element this once.
        let probe_text = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(
            probe_text.contains("- fill: { css: \"#input-5\", with: My App }"),
            "{probe_text}"
        );
        let seen = |path: &str| match path {
            "1.2" => Some(Seen {
                role: "textbox".into(),
                name: "*External Client App Name".into(),
                authored: None,
                checked: None,
            }),
            // The engine's locator, with the scope that tells the button apart.
            "1.3" => Some(Seen::from_matched(&serde_json::json!({
                "role": "button", "name": "Save",
                "authored": { "kind": "button", "value": "Save", "in_section": "Details" }
            }))),
            // The replay matched something nameless.
            "1.4" => Some(Seen {
                role: "generic".into(),
                name: String::new(),
                authored: None,
                checked: None,
            }),
            _ => None,
        };
        assert_eq!(
            apply(&mut i, &seen, None),
            Named {
                by_engine: 1,
                by_role: 1
            }
        );
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(
            t.contains("- fill: { field: External Client App Name, with: My App }"),
            "{t}"
        );
        assert!(
            t.contains("- click: { button: Save, in_section: Details }"),
            "{t}"
        );
        // Unnamed and generated: a comment on the step after it, never the id.
        assert!(!t.contains("checkbox-21"), "{t}");
        assert!(
            t.contains("# Recorded step 4 not imported: only ids the page generated identify its element, and --resolve could not name it.\n      - click: { button: Create }"),
            "{t}"
        );
        assert!(
            i.warnings.iter().any(|w| w
                .starts_with("warning: step 4: not resolved: the element it matched has no role")),
            "{:?}",
            i.warnings
        );
    }

    #[test]
    fn a_replay_that_stopped_says_where_for_the_probes_after() {
        let mut i = import_probing(RECORDING, None).unwrap();
        let seen = |path: &str| {
            (path == "1.2").then(|| Seen {
                role: "textbox".into(),
                name: "Name".into(),
                authored: None,
                checked: None,
            })
        };
        apply(&mut i, &seen, Some("step 1.3 failed: no element"));
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        // A stable CSS stays, said.
        assert!(
            t.contains("- click: { css: \"div.actions > button:nth-of-type(2)\" }"),
            "{t}"
        );
        assert!(
            i.warnings.iter().any(|w| w.contains(
                "step 3: not resolved: the replay did not get there (step 1.3 failed: no element)"
            )),
            "{:?}",
            i.warnings
        );
    }

    /// The report's `matched` for a CSS match the engine named, as the runner writes it.
    fn matched(role: &str, authored: serde_json::Value, checked: Option<bool>) -> Seen {
        let mut m = serde_json::json!({ "role": role, "name": "", "authored": authored });
        if let Some(c) = checked {
            m["checked"] = serde_json::Value::Bool(c);
        }
        Seen::from_matched(&m)
    }

    #[test]
    fn a_click_the_replay_saw_turn_a_checkbox_is_check_or_uncheck_with_the_state_it_left() {
        let recording = r##"{"title":"t","steps":[
            {"type":"navigate","url":"https://acme.my.salesforce.com/x"},
            {"type":"click","selectors":[["#checkbox-21"]]},
            {"type":"click","selectors":[["lightning-input:nth-of-type(4) span.slds-checkbox_faux"]]},
            {"type":"click","selectors":[["aria/Notifications"]]},
            {"type":"click","selectors":[["aria/Notifications"]]},
            {"type":"click","selectors":[["aria/Notifications"]]},
            {"type":"click","selectors":[["text/Warm"]]},
            {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}]}"##;
        let mut i = import_probing(recording, None).unwrap();
        // Named clicks that may turn a checkbox are replayed too, to read what they did;
        // a button named as one is not.
        assert_eq!(
            i.probes
                .iter()
                .map(|p| (p.path.as_str(), p.watch))
                .collect::<Vec<_>>(),
            [
                ("1.2", false),
                ("1.3", false),
                ("1.4", true),
                ("1.5", true),
                ("1.6", true),
                ("1.7", true)
            ]
        );
        let box_ =
            |name: &str| serde_json::json!({ "kind": "field", "value": name, "role": "checkbox" });
        let seen = |path: &str| match path {
            "1.2" => Some(matched("checkbox", box_("Enable OAuth"), Some(true))),
            // The faux box clicked: the engine names the checkbox around it.
            "1.3" => Some(matched(
                "generic",
                box_("Introspect all Tokens"),
                Some(false),
            )),
            "1.4" => Some(Seen {
                role: "switch".into(),
                checked: Some(true),
                ..Seen::default()
            }),
            "1.5" => Some(Seen {
                role: "switch".into(),
                checked: Some(false),
                ..Seen::default()
            }),
            "1.6" => Some(Seen {
                role: "switch".into(),
                checked: Some(true),
                ..Seen::default()
            }),
            "1.7" => Some(Seen {
                role: "radio".into(),
                checked: Some(true),
                ..Seen::default()
            }),
            _ => None,
        };
        let named = apply(&mut i, &seen, None);
        assert_eq!(
            named,
            Named {
                by_engine: 2,
                by_role: 0
            }
        );
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(t.contains("- check: { field: Enable OAuth }"), "{t}");
        assert!(
            t.contains("- uncheck: { field: Introspect all Tokens }"),
            "{t}"
        );
        // Three clicks in a row on one switch: one step, with the state the last left.
        assert_eq!(t.matches("field: Notifications").count(), 1, "{t}");
        assert!(t.contains("- check: { field: Notifications }"), "{t}");
        assert!(t.contains("- check: { field: Warm }"), "{t}");
        assert!(t.contains("- click: { button: Save }"), "{t}");
        assert!(
            t.contains("# Recorded step 3 clicked it, which left it unchecked: `uncheck` leaves it so whatever it was, so a second run changes nothing."),
            "{t}"
        );
        assert!(!t.contains("click: { field:"), "{t}");
        assert!(!t.contains("a click turns it over"), "{t}");
        // A click the replay saw land on no checkbox stays a click.
        let mut i = import_probing(recording, None).unwrap();
        let seen = |path: &str| {
            (path == "1.4").then(|| Seen {
                role: "button".into(),
                ..Seen::default()
            })
        };
        apply(&mut i, &seen, None);
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(t.contains("- click: Notifications"), "{t}");
    }

    #[test]
    fn a_click_the_replay_saw_open_a_combobox_then_one_on_its_option_is_one_select() {
        let recording = r##"{"title":"t","steps":[
            {"type":"navigate","url":"https://acme.my.salesforce.com/x"},
            {"type":"click","selectors":[["#combobox-button-17"]]},
            {"type":"click","selectors":[["#combobox-button-17-0-17"]]},
            {"type":"click","selectors":[["div.slds-grid > div:nth-of-type(2) lightning-combobox button"]]},
            {"type":"click","selectors":[["aria/Japan"]]},
            {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}]}"##;
        let plain = import(recording, None).unwrap();
        let t = emit_checked(&plain.draft, Path::new("p.yaml")).unwrap();
        assert!(!t.contains("select:"), "{t}");
        let mut i = import_probing(recording, None).unwrap();
        let seen = |path: &str| match path {
            "1.2" => Some(matched(
                "combobox",
                serde_json::json!({ "kind": "field", "value": "Distribution State", "role": "combobox" }),
                None,
            )),
            "1.3" => Some(matched(
                "option",
                serde_json::json!({ "kind": "option", "value": "Local", "role": "option" }),
                None,
            )),
            "1.4" => Some(matched(
                "combobox",
                serde_json::json!({ "kind": "field", "value": "Country", "in_section": "Shipping Address", "role": "combobox" }),
                None,
            )),
            "1.5" => Some(Seen {
                role: "option".into(),
                name: "Japan".into(),
                ..Seen::default()
            }),
            _ => None,
        };
        apply(&mut i, &seen, None);
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(
            t.contains("- select: { field: Distribution State, option: Local }"),
            "{t}"
        );
        assert!(
            t.contains("- select: { field: Country, in_section: Shipping Address, option: Japan }"),
            "{t}"
        );
        assert!(t.contains("- click: { button: Save }"), "{t}");
        assert_eq!(t.matches("- click").count(), 1, "{t}");
    }

    #[test]
    fn options_the_replay_saw_moved_by_a_dual_listbox_button_are_one_choose() {
        let recording = r##"{"title":"t","steps":[
            {"type":"navigate","url":"https://acme.my.salesforce.com/x"},
            {"type":"click","selectors":[["#option-31-1"]]},
            {"type":"click","selectors":[["div.slds-dueling-list__column button:nth-of-type(1)"]]},
            {"type":"click","selectors":[["#option-31-4"]]},
            {"type":"click","selectors":[["div.slds-dueling-list__column button:nth-of-type(1)"]]},
            {"type":"click","selectors":[["#option-31-7"]]},
            {"type":"click","selectors":[["div.slds-dueling-list__column button:nth-of-type(2)"]]},
            {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}]}"##;
        let mut i = import_probing(recording, None).unwrap();
        let option = |name: &str| {
            Some(matched(
                "option",
                serde_json::json!({ "kind": "option", "value": name, "role": "option" }),
                None,
            ))
        };
        let mover = |name: &str| {
            Some(matched(
                "button",
                serde_json::json!({ "kind": "button", "value": name, "role": "button" }),
                None,
            ))
        };
        let seen = |path: &str| match path {
            "1.2" => option("Full access (full)"),
            "1.3" | "1.5" => mover("Move selection to Selected OAuth Scopes"),
            "1.4" => option("Perform requests at any time (refresh_token, offline_access)"),
            "1.6" => option("Full access (full)"),
            "1.7" => mover("Move selection to Available OAuth Scopes"),
            _ => None,
        };
        apply(&mut i, &seen, None);
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(
            t.contains("- choose:\n          field: OAuth Scopes\n          add:\n            - Full access (full)\n            - \"Perform requests at any time (refresh_token, offline_access)\"\n"),
            "{t}"
        );
        assert!(
            t.contains("- choose: { field: OAuth Scopes, remove: [ Full access (full) ] }"),
            "{t}"
        );
        assert!(t.contains("- click: { button: Save }"), "{t}");
        assert_eq!(t.matches("- click").count(), 1, "{t}");
    }

    #[test]
    fn a_value_set_in_what_the_replay_found_a_picklist_is_a_select() {
        let recording = r##"{"title":"t","steps":[
            {"type":"navigate","url":"https://acme.my.salesforce.com/x"},
            {"type":"change","value":"Salesforce","frame":[0],"selectors":[["#ProviderType"]]},
            {"type":"change","value":"Imported Provider","frame":[0],"selectors":[["#Name"]]}]}"##;
        let plain = import(recording, None).unwrap();
        let t = emit_checked(&plain.draft, Path::new("p.yaml")).unwrap();
        assert!(
            t.contains("- fill: { css: \"#ProviderType\", with: Salesforce }"),
            "{t}"
        );
        let mut i = import_probing(recording, None).unwrap();
        let seen = |path: &str| match path {
            "1.2" => Some(matched(
                "combobox",
                serde_json::json!({ "kind": "field", "value": "Provider Type", "role": "combobox" }),
                None,
            )),
            "1.3" => Some(matched(
                "textbox",
                serde_json::json!({ "kind": "field", "value": "Name", "role": "textbox" }),
                None,
            )),
            _ => None,
        };
        apply(&mut i, &seen, None);
        let t = emit_checked(&i.draft, Path::new("p.yaml")).unwrap();
        assert!(
            t.contains("- select: { field: Provider Type, option: Salesforce }"),
            "{t}"
        );
        assert!(
            t.contains("- fill: { field: Name, with: Imported Provider }"),
            "{t}"
        );
    }

    #[test]
    fn roles_map_to_locator_kinds() {
        let s = |role: &str, name: &str| Seen {
            role: role.into(),
            name: name.into(),
            authored: None,
            checked: None,
        };
        assert_eq!(
            label_for(&s("link", "My App")),
            Some(("link", "My App".into()))
        );
        assert_eq!(
            label_for(&s("checkbox", "Enable OAuth")),
            Some(("field", "Enable OAuth".into()))
        );
        assert_eq!(
            label_for(&s("option", "Local")),
            Some(("text", "Local".into()))
        );
        assert_eq!(label_for(&s("generic", "x")), None);
        assert_eq!(label_for(&s("button", "  ")), None);
    }
}
