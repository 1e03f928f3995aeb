//! The JSON Schema of the runbook language, for editors (yaml-language-server).
//! Built from the same tables the parser reads, so the two cannot drift apart.

use serde_json::{json, Map, Value};

use super::model::LocatorKind;
use super::parse::{ActionSpec, LocatorUse, ACTIONS, SCOPES};

fn locator_props() -> Map<String, Value> {
    let mut props = Map::new();
    for (name, _) in LocatorKind::NAMED {
        props.insert((*name).into(), json!({ "type": "string", "description": format!("Find a {name} by what it reads as.") }));
    }
    for s in SCOPES {
        let v = match *s {
            "nth" => json!({ "type": "integer", "minimum": 1 }),
            "exact" => json!({ "type": "boolean" }),
            "in_dialog" => json!({ "type": ["string", "boolean"] }),
            _ => json!({ "type": "string" }),
        };
        props.insert((*s).into(), v);
    }
    props
}

fn option_schema(key: &str) -> Value {
    match key {
        "secret" | "gone" | "visible" | "hidden" | "not_empty" | "checked" => {
            json!({ "type": "boolean" })
        }
        "add" | "remove" => json!({ "type": "array", "items": { "type": "string" } }),
        _ => json!({ "type": "string" }),
    }
}

fn action_schema(a: &ActionSpec) -> Value {
    let mut props = if a.locator == LocatorUse::None {
        Map::new()
    } else {
        locator_props()
    };
    for o in a.options {
        props.insert((*o).into(), option_schema(o));
    }
    let map = json!({ "type": "object", "properties": props, "additionalProperties": a.name == "capture" });
    match a.name {
        "fill" | "select" | "choose" | "login" | "capture" => {
            json!({ "description": a.summary, "allOf": [map] })
        }
        _ => json!({ "description": a.summary, "anyOf": [ { "type": "string" }, map ] }),
    }
}

pub fn schema() -> Value {
    let mut step_props = Map::new();
    for a in ACTIONS {
        step_props.insert(a.name.into(), action_schema(a));
    }
    let condition = json!({
        "type": "object",
        "properties": {
            "exists": { "$ref": "#/$defs/locator" }, "missing": { "$ref": "#/$defs/locator" },
            "set": { "type": "string" }, "unset": { "type": "string" },
            "equals": { "type": "array", "minItems": 2, "maxItems": 2 },
            "at": { "anyOf": [ { "type": "string" }, { "type": "array", "items": { "$ref": "#/$defs/step" } } ] }
        },
        "additionalProperties": false
    });
    for (k, v) in [
        ("name", json!({ "type": "string" })),
        ("group", json!({ "type": "string" })),
        (
            "steps",
            json!({ "type": "array", "items": { "$ref": "#/$defs/step" } }),
        ),
        ("include", json!({ "type": "string" })),
        (
            "inputs",
            json!({ "type": "object", "additionalProperties": { "type": "string" } }),
        ),
        ("skip_if", json!({ "$ref": "#/$defs/condition" })),
        ("only_if", json!({ "$ref": "#/$defs/condition" })),
        (
            "timeout",
            json!({ "type": ["string", "number"], "description": "500ms, 30s, 2m or seconds" }),
        ),
        ("retry", json!({ "type": "integer", "minimum": 0 })),
    ] {
        step_props.insert(k.into(), v);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "setupwright runbook",
        "type": "object",
        "required": ["runbook", "steps"],
        "additionalProperties": false,
        "properties": {
            "runbook": { "type": "string", "description": "What the runbook does." },
            "inputs": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [
                        { "type": "null" }, { "type": "string" },
                        { "type": "object", "additionalProperties": false, "properties": {
                            "default": { "type": "string" }, "secret": { "type": "boolean" },
                            "example": { "type": "string" }, "description": { "type": "string" } } }
                    ]
                }
            },
            "steps": { "type": "array", "items": { "$ref": "#/$defs/step" } }
        },
        "$defs": {
            "step": { "type": "object", "properties": step_props, "additionalProperties": false, "minProperties": 1 },
            "condition": condition,
            "locator": { "anyOf": [ { "type": "string" }, { "type": "object", "properties": locator_props(), "additionalProperties": false } ] }
        }
    })
}
