//! The JSON Schema of the runbook language, for editors (yaml-language-server) and CI.
//! Built from the vocabulary the parser reads (actions, their keys and shapes, what each
//! key means), so it rejects what `check` rejects for its shape: two actions in a step, a
//! step without one, `fill` without `with`, a duration that is not one. What only `check`
//! can judge is meaning: an input that is not declared, a key name, an included file.

use serde_json::{json, Map, Value};

use super::actions::ACTIONS;
use super::model::LocatorKind;
use super::vocabulary::{key_doc, ActionSpec, Key, LocatorUse, Shape, MODIFIERS, SCOPES};

/// A `${...}` template as the parser reads it: `$${` is a literal, `${name}` and
/// `${env.NAME}` are references, a lone `$` is itself.
const TEMPLATE: &str = r"^([^$]|\$\$\{|\$\{\s*(env\.)?[A-Za-z0-9_]+\s*\}|\$[^{]|\$$)*$";
/// An input or variable name.
const NAME: &str = "^[A-Za-z_][A-Za-z0-9_]*$";
/// A duration: seconds, or a number with ms, s or m.
const DURATION: &str = r"^\s*[0-9]+(\.[0-9]+)?\s*(ms|s|m)?\s*$";

/// `schema` with the key's description from the vocabulary.
fn described(key: &str, mut schema: Value) -> Value {
    if let (Some(doc), Some(obj)) = (key_doc(key), schema.as_object_mut()) {
        obj.entry("description").or_insert_with(|| doc.into());
    }
    schema
}

fn template() -> Value {
    json!({ "type": "string", "pattern": TEMPLATE })
}

fn locator_kinds() -> impl Iterator<Item = &'static str> {
    LocatorKind::NAMED.iter().map(|(n, _)| *n)
}

/// The keys of a locator mapping: its kinds and its scopes.
fn locator_props() -> Map<String, Value> {
    let mut props = Map::new();
    for kind in locator_kinds() {
        props.insert(
            kind.into(),
            described(
                kind,
                json!({ "type": "string", "minLength": 1, "pattern": TEMPLATE }),
            ),
        );
    }
    for s in SCOPES {
        let v = match *s {
            "nth" => json!({ "type": "integer", "minimum": 1 }),
            "exact" => json!({ "type": "boolean" }),
            "in_dialog" => json!({ "anyOf": [ { "type": "boolean" }, template() ] }),
            _ => template(),
        };
        props.insert((*s).into(), described(s, v));
    }
    props
}

/// Exactly one of `keys` is present.
fn exactly_one(keys: impl Iterator<Item = &'static str>) -> Value {
    json!({ "oneOf": keys.map(|k| json!({ "required": [k] })).collect::<Vec<_>>() })
}

/// No two of `keys` are present together.
fn at_most_one(keys: &[&str]) -> Value {
    let mut pairs = Vec::new();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            pairs.push(json!({ "required": [a, b] }));
        }
    }
    json!({ "not": { "anyOf": pairs } })
}

/// An action's own key: its shape, and what it means from the action's description.
fn option_schema(key: &Key) -> Value {
    let mut v = match key.shape {
        Shape::Flag => json!({ "type": "boolean" }),
        Shape::List => json!({ "type": "array", "items": template(), "minItems": 1 }),
        Shape::Text => template(),
    };
    if let Some(obj) = v.as_object_mut() {
        obj.insert("description".into(), key.doc.into());
    }
    v
}

/// A locator: a string (whatever a person would call the thing) or a mapping with exactly
/// one kind and any scopes.
fn locator() -> Value {
    let mut map =
        json!({ "type": "object", "properties": locator_props(), "additionalProperties": false });
    map.as_object_mut().expect("an object").extend(
        exactly_one(locator_kinds())
            .as_object()
            .cloned()
            .unwrap_or_default(),
    );
    json!({ "anyOf": [ { "type": "string", "minLength": 1, "pattern": TEMPLATE }, map ] })
}

fn action_schema(a: &ActionSpec) -> Value {
    if a.name == "capture" {
        return capture_schema(a);
    }
    let mut props = if a.locator == LocatorUse::None {
        Map::new()
    } else {
        locator_props()
    };
    // An action that takes some kinds of element only: the others are not its keys.
    let kinds: Vec<&'static str> = if a.locator_kinds.is_empty() {
        locator_kinds().collect()
    } else {
        props.retain(|k, _| {
            !locator_kinds().any(|n| n == k) || a.locator_kinds.contains(&k.as_str())
        });
        a.locator_kinds.to_vec()
    };
    for k in a.keys {
        props.insert(k.name.into(), option_schema(k));
    }
    let mut all =
        vec![json!({ "type": "object", "properties": props, "additionalProperties": false })];
    if !a.required.is_empty() {
        all.push(json!({ "required": a.required }));
    }
    if !a.one_of.is_empty() {
        all.push(json!({ "anyOf": a.one_of.iter().map(|k| json!({ "required": [k] })).collect::<Vec<_>>() }));
    }
    if !a.at_most_one.is_empty() {
        all.push(at_most_one(a.at_most_one));
    }
    match a.locator {
        LocatorUse::Required => all.push(exactly_one(kinds.iter().copied())),
        LocatorUse::Optional => {
            all.push(at_most_one(&locator_kinds().collect::<Vec<_>>()));
        }
        LocatorUse::None => {}
    }
    if a.name == "expect" {
        // Without an element, an `expect` checks the page: its URL or title.
        let any_kind: Vec<Value> = locator_kinds()
            .map(|k| json!({ "required": [k] }))
            .collect();
        all.push(json!({ "anyOf": [
            { "anyOf": any_kind },
            { "anyOf": [ { "required": ["url_contains"] }, { "required": ["title"] } ] }
        ] }));
    }
    let map = json!({ "allOf": all });
    let value = if a.string_form {
        json!({ "anyOf": [ { "type": "string", "minLength": 1, "pattern": TEMPLATE }, map ] })
    } else {
        map
    };
    let mut v = value;
    v.as_object_mut()
        .expect("an object")
        .insert("description".into(), a.summary.into());
    v
}

/// `capture`: variable names to locators, and the `secret` and `after` options; at least
/// one variable.
fn capture_schema(a: &ActionSpec) -> Value {
    let mut props = Map::new();
    for k in a.keys {
        props.insert(k.name.into(), option_schema(k));
    }
    json!({
        "description": a.summary,
        "type": "object",
        "properties": props,
        "propertyNames": { "pattern": NAME },
        "additionalProperties": locator(),
        "not": { "propertyNames": { "enum": a.key_names() } },
    })
}

fn condition() -> Value {
    let props = json!({
        "exists": described("exists", json!({ "$ref": "#/$defs/locator" })),
        "missing": described("missing", json!({ "$ref": "#/$defs/locator" })),
        "set": described("set", json!({ "type": "string", "pattern": NAME })),
        "unset": described("unset", json!({ "type": "string", "pattern": NAME })),
        "equals": described("equals", json!({ "type": "array", "items": template(), "minItems": 2, "maxItems": 2 })),
        "at": described("at", json!({ "anyOf": [ template(), { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/step" } } ] })),
    });
    let mut all =
        vec![json!({ "type": "object", "properties": props, "additionalProperties": false })];
    all.push(exactly_one(
        ["exists", "missing", "set", "unset", "equals"].into_iter(),
    ));
    json!({ "allOf": all })
}

/// The keys every kind of step may have besides what makes it that kind.
fn modifiers() -> Map<String, Value> {
    let mut m = Map::new();
    for k in MODIFIERS {
        let v = match *k {
            "skip_if" | "only_if" => json!({ "$ref": "#/$defs/condition" }),
            "timeout" => {
                json!({ "anyOf": [ { "type": "number", "minimum": 0 }, { "type": "string", "pattern": DURATION } ] })
            }
            "retry" => json!({ "type": "integer", "minimum": 0 }),
            "dialog" => json!({ "anyOf": [
                { "enum": ["accept", "dismiss"] },
                { "type": "object", "properties": { "accept": { "type": "string", "description": "Accept the prompt with this text." } }, "required": ["accept"], "additionalProperties": false }
            ] }),
            _ => json!({ "type": "string" }),
        };
        m.insert((*k).into(), described(k, v));
    }
    m
}

fn step() -> Value {
    let steps = json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/step" } });
    let mut action_props = modifiers();
    for a in ACTIONS {
        action_props.insert(a.name.into(), action_schema(a));
    }
    let action_step = json!({
        "title": "an action",
        "type": "object",
        "properties": action_props,
        "additionalProperties": false,
        "oneOf": ACTIONS.iter().map(|a| json!({ "required": [a.name] })).collect::<Vec<_>>(),
    });
    let mut group_props = modifiers();
    group_props.insert(
        "group".into(),
        described("group", json!({ "type": "string", "minLength": 1 })),
    );
    group_props.insert("steps".into(), described("steps", steps));
    let group_step = json!({
        "title": "a group",
        "type": "object",
        "properties": group_props,
        "additionalProperties": false,
        "required": ["group", "steps"],
    });
    let mut include_props = modifiers();
    include_props.insert(
        "include".into(),
        described("include", json!({ "type": "string", "minLength": 1 })),
    );
    include_props.insert(
        "inputs".into(),
        described(
            "inputs",
            json!({ "type": "object", "propertyNames": { "pattern": NAME }, "additionalProperties": template() }),
        ),
    );
    let include_step = json!({
        "title": "an include",
        "type": "object",
        "properties": include_props,
        "additionalProperties": false,
        "required": ["include"],
    });
    json!({
        "description": "One step: an action (`click: Save`), a `group` with its `steps`, or an `include`, each with optional `name`, `skip_if`, `only_if`, `timeout`, `retry` and `dialog`.",
        "oneOf": [action_step, group_step, include_step],
    })
}

pub fn schema() -> Value {
    let input = json!({
        "anyOf": [
            { "type": "null" },
            { "type": "string" },
            { "type": "object", "additionalProperties": false, "properties": {
                "default": described("default", template()),
                "secret": described("secret", json!({ "type": "boolean" })),
                "example": described("example", json!({ "type": "string" })),
                "description": described("description", json!({ "type": "string" })),
            } }
        ]
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "setupwright runbook",
        "description": "A runbook: UI steps that setupwright replays on Salesforce Setup pages.",
        "type": "object",
        "required": ["runbook", "steps"],
        "additionalProperties": false,
        "properties": {
            "runbook": described("runbook", json!({ "type": "string", "minLength": 1 })),
            "inputs": described("inputs", json!({
                "type": "object",
                "propertyNames": { "pattern": NAME },
                "additionalProperties": input,
            })),
            "env": described("env", json!({
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": { "secret": described("secret", json!({ "type": "boolean" })) },
                    "additionalProperties": false,
                },
            })),
            "steps": described("steps", json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/step" } })),
        },
        "$defs": {
            "step": step(),
            "condition": condition(),
            "locator": locator(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the schema names has a description a person can read.
    #[test]
    fn every_key_is_described() {
        fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
            if let Some(obj) = v.as_object() {
                if let Some(Value::Object(props)) = obj.get("properties") {
                    for (k, p) in props {
                        let has = p
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| d.len() > 10);
                        if !has {
                            missing.push(format!("{path}/{k}"));
                        }
                    }
                }
                for (k, child) in obj {
                    walk(child, &format!("{path}/{k}"), missing);
                }
            } else if let Some(items) = v.as_array() {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{path}/{i}"), missing);
                }
            }
        }
        let mut missing = Vec::new();
        walk(&schema(), "", &mut missing);
        assert!(
            missing.is_empty(),
            "keys without a description: {missing:#?}"
        );
    }
}
