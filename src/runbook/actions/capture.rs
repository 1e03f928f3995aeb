//! `capture`: read values from the page into variables.

use super::*;

#[derive(Debug, Clone)]
pub struct Capture {
    pub items: Vec<CaptureItem>,
    /// The values read are secrets: masked everywhere from then on.
    pub secret: bool,
}

#[derive(Debug, Clone)]
pub struct CaptureItem {
    pub var: String,
    pub target: Locator,
    /// An optional regular-expression-free extraction: the text after this prefix.
    pub after: Option<String>,
}

impl Verb for Capture {
    const SPEC: ActionSpec = ActionSpec {
        name: "capture",
        summary: "Read values from the page into variables.",
        keys: &[
            Key::flag(
                "secret",
                "The values read are secrets: never printed, logged, reported or shown in a screenshot.",
            ),
            Key::text(
                "after",
                "Read the values only after this element shows (a value revealed by a click).",
            ),
        ],
        locator: LocatorUse::None,
        read_only: true,
        ..ActionSpec::DEFAULT
    };

    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self> {
        let example = "write `capture: { consumer_key: { field: Consumer Key } }`";
        let Some(map) = v.as_map() else {
            p.err_help(
                v.span,
                format!("`capture` must be a mapping, found {}", v.type_name()),
                example,
            );
            return None;
        };
        let mut secret = false;
        let mut after = None;
        let mut items = Vec::new();
        for (k, val) in map {
            let name = k.as_str().unwrap_or("");
            match name {
                "secret" => secret = p.bool(val, "`secret`").unwrap_or(false),
                "after" => after = p.string(val, "`after`"),
                _ if name.is_empty()
                    || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    p.err_help(
                        k.span,
                        format!("`{name}` is not a valid variable name"),
                        "use letters, digits and `_`",
                    );
                }
                _ => {
                    if let Some((target, _)) = p.locator(val, &[]) {
                        items.push(CaptureItem {
                            var: name.to_string(),
                            target,
                            after: None,
                        });
                    }
                }
            }
        }
        if items.is_empty() {
            p.err_help(key, "`capture` names no variable", example);
            return None;
        }
        for i in &mut items {
            i.after = after.clone();
        }
        Some(Capture { items, secret })
    }

    fn title(&self) -> String {
        let vars: Vec<&str> = self.items.iter().map(|i| i.var.as_str()).collect();
        format!("capture {}", vars.join(", "))
    }
}
