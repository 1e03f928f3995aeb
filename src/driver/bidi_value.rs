//! JSON as the engine's callers write it, to WebDriver BiDi arguments and back from the
//! page's answers.
//! An element travels as classic WebDriver's reference (`{ELEMENT_KEY: id}`) on the Rust
//! side and as a BiDi shared reference in the page: chromedriver gives an element the same
//! id in both protocols. A window comes back as `{"context": id}`.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::ELEMENT_KEY;

/// The key that stands for an element in packed arguments (`pack`).
const PLACE: &str = "$setupwright.element";

/// The key that stands for a value sent apart in a packed answer (`unpacking`).
const REF: &str = "$setupwright.ref";

/// The first item of a packed answer: `[PACKED, json, ...values sent apart]`.
const PACKED: &str = "$setupwright.packed";

/// What a packed answer with nothing apart starts with: `PACKED_TEXT + json`, one string.
/// chromium-bidi releases the object an array answer leaves in the page, a DevTools round
/// trip a call that a string does not cost (0.3 to 0.5 ms of CPU a call).
const PACKED_TEXT: &str = "$setupwright.packed:";

/// Arguments as one JSON text, each element reference in it replaced by its place among
/// the elements that travel apart: `{PLACE: n}` for the n-th.
pub fn pack(args: &[Value]) -> (String, Vec<String>) {
    fn swap(v: &Value, ids: &mut Vec<String>) -> Value {
        match v {
            Value::Array(a) => Value::Array(a.iter().map(|x| swap(x, ids)).collect()),
            Value::Object(o) => match (o.len(), o.get(ELEMENT_KEY).and_then(Value::as_str)) {
                (1, Some(id)) => {
                    ids.push(id.to_string());
                    json!({ PLACE: ids.len() - 1 })
                }
                _ => Value::Object(o.iter().map(|(k, x)| (k.clone(), swap(x, ids))).collect()),
            },
            other => other.clone(),
        }
    }
    let mut ids = Vec::new();
    let packed = Value::Array(args.iter().map(|a| swap(a, &mut ids)).collect());
    (packed.to_string(), ids)
}

/// `function` (a JavaScript function expression) wrapped to take packed arguments: the
/// JSON text first, then the elements; it is called with the arguments as they were.
/// Its answer comes back packed the same way: plain data (its own objects and arrays) as
/// one JSON text, and each value JSON cannot hold as it is (an element, a window, a
/// bigint, any object but a plain one) apart, for BiDi to serialize as it would have:
/// `[PACKED, json, ...apart]`, or `PACKED_TEXT + json` with nothing apart. A string crosses chromium-bidi and chromedriver as it is,
/// where an object is a tree of typed values built, walked and rebuilt at each hop (about
/// 1.4 ms and 1.3 ms of CPU less for a locate-sized answer; `bench/bidi-answer.mjs`).
/// What goes apart is decided by the object or array that holds it, so JSON.stringify
/// never reads a property of it (another origin's window refuses even `toJSON`). A lone
/// surrogate in a string (a page's text can hold one) is sent as U+FFFD, the same length:
/// JSON cannot carry it, and BiDi never answered with one. An answer JSON refuses (a
/// cycle) comes as it is.
pub fn unpacking(function: &str) -> String {
    format!(
        "(json, ...elements) => {{
const args = JSON.parse(json, (k, v) => (v !== null && typeof v === 'object' && typeof v['{PLACE}'] === 'number' && Object.keys(v).length === 1) ? elements[v['{PLACE}']] : v);
const packed = (answer) => {{
  const apart = [], at = new Map();
  const away = (v) => {{ let i = at.get(v); if (i === undefined) {{ i = apart.push(v) - 1; at.set(v, i); }} return {{ '{REF}': i }}; }};
  const goesApart = (v) => {{
    if (typeof v === 'bigint') return true;
    if (v === null || typeof v !== 'object') return false;
    try {{ if (v.window === v) return true; }} catch (e) {{ return true; }}
    if (Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    return proto !== Object.prototype && proto !== null;
  }};
  const plain = (k, v) => {{
    if (typeof v === 'string') return v.toWellFormed ? v.toWellFormed() : v;
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return Array.from(v, (c) => goesApart(c) ? away(c) : c);
    const out = Object.create(null);
    for (const key of Object.keys(v)) {{ const c = v[key]; out[key] = goesApart(c) ? away(c) : c; }}
    return out;
  }};
  try {{
    const text = JSON.stringify(goesApart(answer) ? away(answer) : answer, plain);
    const json = text === undefined ? 'null' : text;
    return apart.length ? ['{PACKED}', json, ...apart] : '{PACKED_TEXT}' + json;
  }} catch (e) {{ return answer; }}
}};
const answer = ({function})(...args);
let promised = false;
try {{ promised = answer instanceof Promise || Object.prototype.toString.call(answer) === '[object Promise]'; }} catch (e) {{}}
return promised ? answer.then(packed) : packed(answer);
}}"
    )
}

/// A `script.callFunction` result of a function wrapped by [`unpacking`], as plain JSON;
/// `Err` says why a packed answer could not be read.
pub fn from_answer(v: &Value) -> Result<Value, String> {
    if let Some(text) = v
        .get("value")
        .and_then(Value::as_str)
        .filter(|_| v.get("type").and_then(Value::as_str) == Some("string"))
        .and_then(|s| s.strip_prefix(PACKED_TEXT))
    {
        return serde_json::from_str::<Value>(text)
            .map_err(|e| format!("the page's answer is not JSON ({e})"));
    }
    let items = v
        .get("value")
        .and_then(Value::as_array)
        .filter(|_| v.get("type").and_then(Value::as_str) == Some("array"));
    let Some([Value::Object(mark), Value::Object(text), apart @ ..]) = items.map(Vec::as_slice)
    else {
        return Ok(from_remote(v));
    };
    let (Some(PACKED), Some(text)) = (
        mark.get("value").and_then(Value::as_str),
        text.get("value").and_then(Value::as_str),
    ) else {
        return Ok(from_remote(v));
    };
    let answer = serde_json::from_str::<Value>(text)
        .map_err(|e| format!("the page's answer is not JSON ({e})"))?;
    // One answer: an element met twice comes the second time as its internal id alone,
    // wherever in the values sent apart the first one was.
    let mut nodes = HashMap::new();
    apart.iter().for_each(|a| first_nodes(a, &mut nodes));
    let apart: Vec<Value> = apart.iter().map(|a| convert(a, &nodes)).collect();
    fn put_back(v: Value, apart: &[Value]) -> Value {
        match v {
            Value::Array(a) => Value::Array(a.into_iter().map(|x| put_back(x, apart)).collect()),
            Value::Object(o) => match (o.len(), o.get(REF).and_then(Value::as_u64)) {
                (1, Some(i)) => apart.get(i as usize).cloned().unwrap_or(Value::Null),
                _ => Value::Object(
                    o.into_iter()
                        .map(|(k, x)| (k, put_back(x, apart)))
                        .collect(),
                ),
            },
            other => other,
        }
    }
    Ok(put_back(answer, &apart))
}

/// A BiDi `RemoteValue` result as plain JSON.
pub fn from_remote(v: &Value) -> Value {
    let mut nodes = HashMap::new();
    first_nodes(v, &mut nodes);
    convert(v, &nodes)
}

/// A node met twice in one answer comes the second time as its `internalId` alone: the
/// first time gives its shared id and node type, by internal id.
fn first_nodes<'a>(v: &'a Value, out: &mut HashMap<&'a str, (&'a str, Option<u64>)>) {
    match v {
        Value::Object(o) => {
            if let (Some("node"), Some(internal), Some(shared)) = (
                o.get("type").and_then(Value::as_str),
                o.get("internalId").and_then(Value::as_str),
                o.get("sharedId").and_then(Value::as_str),
            ) {
                let kind = v.pointer("/value/nodeType").and_then(Value::as_u64);
                out.entry(internal).or_insert((shared, kind));
            }
            for child in o.values() {
                first_nodes(child, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| first_nodes(c, out)),
        _ => {}
    }
}

fn convert(v: &Value, nodes: &HashMap<&str, (&str, Option<u64>)>) -> Value {
    let from_remote = |v: &Value| convert(v, nodes);
    let value = v.get("value");
    match v.get("type").and_then(Value::as_str).unwrap_or("undefined") {
        "string" | "boolean" => value.cloned().unwrap_or(Value::Null),
        // NaN, -0 and the infinities come as strings: -0 is 0, and the others no
        // number JSON can hold.
        "number" => match value {
            Some(Value::String(s)) if s == "-0" => json!(0),
            Some(n) if n.is_number() => n.clone(),
            _ => Value::Null,
        },
        "bigint" => value.cloned().unwrap_or(Value::Null),
        "array" | "set" | "nodelist" | "htmlcollection" => Value::Array(
            value
                .and_then(Value::as_array)
                .map(|a| a.iter().map(from_remote).collect())
                .unwrap_or_default(),
        ),
        "object" | "map" => {
            let mut out = Map::new();
            for pair in value.and_then(Value::as_array).into_iter().flatten() {
                let (Some(k), Some(v)) = (pair.get(0), pair.get(1)) else {
                    continue;
                };
                let key = match k {
                    Value::String(s) => s.clone(),
                    other => convert(other, nodes).to_string(),
                };
                out.insert(key, from_remote(v));
            }
            Value::Object(out)
        }
        // Only elements: a text node or a shadow root is no element reference.
        "node" => {
            let seen = v
                .get("internalId")
                .and_then(Value::as_str)
                .and_then(|i| nodes.get(i));
            match seen {
                Some((id, Some(1))) => json!({ ELEMENT_KEY: id }),
                _ => match (
                    v.get("sharedId").and_then(Value::as_str),
                    v.pointer("/value/nodeType").and_then(Value::as_u64),
                ) {
                    (Some(id), Some(1)) => json!({ ELEMENT_KEY: id }),
                    _ => Value::Null,
                },
            }
        }
        "window" => json!({ "context": value.and_then(|w| w.get("context")).cloned() }),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_arguments_carry_elements_apart() {
        let args = vec![
            json!({"op": "read", "el": {ELEMENT_KEY: "f.1.d.2.e.3"}, "xs": [{ELEMENT_KEY: "f.1.d.2.e.4"}]}),
            json!("k"),
        ];
        let (text, ids) = pack(&args);
        assert_eq!(ids, vec!["f.1.d.2.e.3", "f.1.d.2.e.4"]);
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back[0]["el"], json!({ PLACE: 0 }));
        assert_eq!(back[0]["xs"][0], json!({ PLACE: 1 }));
        assert_eq!(back[1], "k");
        assert!(unpacking("(a, b) => a").contains("const answer = ((a, b) => a)(...args);"));
    }

    #[test]
    fn an_answer_with_elements_and_windows_reads_as_json() {
        let remote = json!({"type": "object", "value": [
            ["el", {"type": "node", "internalId": "i1", "sharedId": "f.1.d.2.e.3", "value": {"nodeType": 1}}],
            ["text", {"type": "node", "sharedId": "f.1.d.2.e.4", "value": {"nodeType": 3}}],
            ["again", {"type": "node", "internalId": "i1"}],
            ["win", {"type": "window", "value": {"context": "ABC"}}],
            ["xs", {"type": "array", "value": [{"type": "number", "value": 2}, {"type": "number", "value": "NaN"}, {"type": "undefined"}, {"type": "number", "value": "-0"}]}],
        ]});
        assert_eq!(
            from_remote(&remote),
            json!({"el": {ELEMENT_KEY: "f.1.d.2.e.3"}, "text": null, "again": {ELEMENT_KEY: "f.1.d.2.e.3"}, "win": {"context": "ABC"}, "xs": [2, null, null, 0]})
        );
    }

    #[test]
    fn a_packed_answer_reads_as_json_with_its_values_put_back() {
        let remote = json!({"type": "array", "value": [
            {"type": "string", "value": PACKED},
            {"type": "string", "value": r#"{"el":{"$setupwright.ref":0},"xs":[{"$setupwright.ref":1},{"$setupwright.ref":0}],"n":1.5,"s":"t","none":null,"looks":{"$setupwright.ref":9,"other":1}}"#},
            {"type": "node", "sharedId": "f.1.d.2.e.3", "value": {"nodeType": 1}},
            {"type": "window", "value": {"context": "ABC"}},
        ]});
        assert_eq!(
            from_answer(&remote).unwrap(),
            json!({"el": {ELEMENT_KEY: "f.1.d.2.e.3"}, "xs": [{"context": "ABC"}, {ELEMENT_KEY: "f.1.d.2.e.3"}], "n": 1.5, "s": "t", "none": null, "looks": {"$setupwright.ref": 9, "other": 1}})
        );
        // An answer that was not packed (JSON refused it) reads as before.
        let plain = json!({"type": "array", "value": [{"type": "string", "value": "a"}, {"type": "number", "value": 2}]});
        assert_eq!(from_answer(&plain).unwrap(), json!(["a", 2]));
        // A reference past the values sent apart is nothing, not a panic.
        let short = json!({"type": "array", "value": [{"type": "string", "value": PACKED}, {"type": "string", "value": r#"[{"$setupwright.ref":4}]"#}]});
        assert_eq!(from_answer(&short).unwrap(), json!([null]));
        // A text that is not JSON says so (a lone surrogate escaped, as JSON.stringify
        // writes one), instead of reading as nothing.
        let surrogate = json!({"type": "array", "value": [{"type": "string", "value": PACKED}, {"type": "string", "value": r#"["\ud800"]"#}]});
        assert!(from_answer(&surrogate).unwrap_err().contains("not JSON"));
    }

    #[test]
    fn an_answer_with_nothing_apart_reads_from_one_string() {
        let text = |t: &str| json!({"type": "string", "value": format!("{PACKED_TEXT}{t}")});
        assert_eq!(
            from_answer(&text(r#"{"a":[1,"x"],"b":null}"#)).unwrap(),
            json!({"a": [1, "x"], "b": null})
        );
        assert_eq!(from_answer(&text(r#""s""#)).unwrap(), json!("s"));
        assert!(from_answer(&text("{")).unwrap_err().contains("not JSON"));
        // A string without the mark is a string.
        let plain = json!({"type": "string", "value": "$setupwright.packedish"});
        assert_eq!(
            from_answer(&plain).unwrap(),
            json!("$setupwright.packedish")
        );
    }

    #[test]
    fn an_element_met_twice_among_the_values_apart_is_the_same_element() {
        // BiDi gives a node its shared id the first time it serializes it in an answer,
        // and its internal id alone after that: here inside an object sent apart first.
        let remote = json!({"type": "array", "value": [
            {"type": "string", "value": PACKED},
            {"type": "string", "value": r#"{"o":{"$setupwright.ref":0},"e":{"$setupwright.ref":1}}"#},
            {"type": "object", "value": [["body", {"type": "node", "internalId": "i7", "sharedId": "f.1.d.2.e.9", "value": {"nodeType": 1}}]]},
            {"type": "node", "internalId": "i7"},
        ]});
        assert_eq!(
            from_answer(&remote).unwrap(),
            json!({"o": {"body": {ELEMENT_KEY: "f.1.d.2.e.9"}}, "e": {ELEMENT_KEY: "f.1.d.2.e.9"}})
        );
    }
}
