//! What the Rust side and the engine (`engine/*.js`) say to each other: one request per
//! call, tagged by its operation, and a typed answer for each. The engine answers plain
//! JSON in which WebDriver has turned element references into `{"element-6066-…": id}`.

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::driver::{element_json, Session};

/// An element reference as WebDriver serializes it, for a request or from an answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ElementRef(pub Value);

impl ElementRef {
    pub fn of(el: &Element) -> ElementRef {
        ElementRef(element_json(el))
    }
    pub fn resolve(&self, session: &Session) -> Option<Element> {
        session.element(&self.0)
    }
}

/// The locator as the engine reads it (see `match.js`).
#[derive(Debug, Clone, Serialize)]
pub struct SpecRequest {
    pub kind: String,
    pub value: String,
    pub exact: bool,
    pub nth: Option<u32>,
    pub in_row: Option<String>,
    pub in_section: Option<String>,
    pub in_dialog: Option<String>,
    pub within: Option<String>,
    /// The kind of control the action works: `text`, `choice` or `toggle`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<&'static str>,
    pub purpose: &'static str,
    pub mode: &'static str,
    /// Look without scrolling lists further (a wait for something to go).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_scroll: bool,
}

/// An operation that rides on a successful `locate`, in the same round trip.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Then {
    /// Paste `text` over the field found ready.
    Insert { text: String },
    /// Answer at once, without readying a click, when the checkbox already is `checked`.
    UnlessChecked { checked: bool },
    /// Answer at once, without readying a click, when the branch already is `expanded`
    /// (or is a leaf, which has nothing to expand).
    UnlessExpanded { expanded: bool },
    /// Find the `<option>` of the native select found ready, by its text or value (as
    /// `Request::Option`): the select's search and its option in one round trip.
    Option { option: String },
}

/// Which list of a dual listbox an option goes to.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListSide {
    Selected,
    Available,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Request {
    Locate {
        spec: SpecRequest,
        #[serde(skip_serializing_if = "Option::is_none")]
        then: Option<Then>,
    },
    /// The frames of the document.
    Frames,
    /// Settle (up to `ms`), then say where on screen this document draws what a picture
    /// must not show: what the engine judges itself (a password field's value, what
    /// `specs` point at, and with `guard` a canvas), and the texts long enough to show a
    /// secret (`min_len` characters, the shortest secret's length) for the executor to
    /// judge. No secret is sent, and the page is not changed.
    Shoot {
        ms: u64,
        #[serde(rename = "minLen")]
        min_len: usize,
        specs: Vec<SpecRequest>,
        /// How many secrets the executor knows: the engine answers only texts not yet
        /// judged with as many.
        secrets: usize,
        /// Cover what cannot be read (a canvas): the run has something to hide.
        guard: bool,
        /// Per document (its mark), the change count of its last answer: a document
        /// that has not changed since answers `same` without a walk.
        since: std::collections::HashMap<String, u64>,
        /// Per document (its mark), the `serial` of an earlier answer whose texts the
        /// executor judged and found no secret in: the engine takes that verdict before
        /// it looks again (it rides here instead of costing a `Mask` round trip).
        clean: std::collections::HashMap<String, u64>,
    },
    /// After `Shoot` in the same document: the executor's verdict on its texts, each
    /// text that shows a secret by index with the ranges (UTF-16 offsets) where it does.
    Mask {
        hide: Vec<(usize, Vec<(usize, usize)>)>,
        /// Ranges of the answer's `edge` text that hold part of a secret.
        edge: Vec<(usize, usize)>,
    },
    /// After `Shoot` in the same document: the closed shadow roots found among the hosts
    /// of the answer `serial` names (its `host_serial`), by each host's index there; the
    /// engine then walks them as it walks open ones, and counts every host as asked.
    Roots {
        serial: u64,
        roots: Vec<(usize, ElementRef)>,
    },
    /// The document's source, for a failure's evidence.
    Source,
    /// How long the document has been still (DOM and network), and whether it loads.
    Still,
    Insert {
        el: ElementRef,
        text: String,
    },
    Read {
        el: ElementRef,
    },
    /// After a guarded click: where its events landed (and with `read`, what that
    /// element shows now). Disarms the guard.
    ClickVerdict {
        #[serde(skip_serializing_if = "Option::is_none")]
        read: Option<ElementRef>,
    },
    /// In the top document, before a guarded click on a target in a frame below: any
    /// event of the click that lands in this document is stopped (`guard.js`); its
    /// verdict is read with `ClickVerdict`.
    GuardAbove,
    /// The `<option>` of a native select by its text or value.
    Option {
        el: ElementRef,
        option: String,
    },
    /// Move `option` of the dual listbox `el` to the `to` list.
    Dual {
        el: ElementRef,
        option: String,
        to: ListSide,
    },
    /// The next move that brings the chosen list of the dual listbox `el` to `order`
    /// (the options named first, in that order) through its own Up button.
    Reorder {
        el: ElementRef,
        order: Vec<String>,
    },
    /// Focus the range input `el` and read its bounds, step and value.
    Range {
        el: ElementRef,
    },
    /// The engine's reading of one element (role, accessible name, names).
    Describe {
        el: ElementRef,
    },
    /// The inline editor and the Save bar of the table around `el` (a cell or its edit
    /// button).
    Inline {
        el: ElementRef,
    },
    /// The locator a runbook names `el` by (or the first shown element `css` selects),
    /// checked by finding it again (`author.js`). `control` (`text`, `choice`, `toggle`):
    /// what the step does with a field, as the step's own search will ask.
    Author {
        #[serde(skip_serializing_if = "Option::is_none")]
        el: Option<ElementRef>,
        #[serde(skip_serializing_if = "Option::is_none")]
        css: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        control: Option<&'static str>,
    },
}

/// A frame a document lists, with what a switch into it needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FrameInfo {
    pub el: ElementRef,
    pub name: String,
    pub title: String,
    pub src: String,
    /// Its place in the parent's `window.frames`, -1 when not found there.
    pub index: i64,
    /// Its window, as BiDi names it.
    pub win: Option<WindowInfo>,
    /// Where its document's viewport is drawn in this one: [x, y, width, height]
    /// (answered for a screenshot only).
    #[serde(rename = "box")]
    pub content_box: Option<[f64; 4]>,
}

/// A window in an engine answer: its WebDriver BiDi context.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WindowInfo {
    pub context: String,
}

/// Where a pointer goes: `el`'s in-view centre moved by (x, y).
#[derive(Debug, Clone, Deserialize)]
pub struct AimInfo {
    pub el: ElementRef,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InsertAnswer {
    pub ok: bool,
    pub value: String,
}

/// The answer of a `locate` in one document: a match (`el`) or what was seen instead.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LocateAnswer {
    /// For a CSS or XPath match: the locator a runbook names the element by
    /// (`author.js`), for `import --resolve`.
    pub authored: Option<AuthorAnswer>,
    pub frames: Vec<FrameInfo>,
    pub url: String,
    pub title: String,
    pub frame_name: Option<String>,
    pub count: u64,
    pub el: Option<ElementRef>,
    pub target: Option<ElementRef>,
    /// For a click: the checkbox, switch or radio it turns (the element itself, or the
    /// control of the label around it).
    pub toggle: Option<ElementRef>,
    pub name: String,
    pub kind: String,
    pub tag: String,
    pub role: String,
    pub ready: bool,
    pub reason: Option<String>,
    pub value: Option<String>,
    pub checked: Option<bool>,
    pub aim: Option<AimInfo>,
    /// The search armed a click guard for its target in this document (`guard.js`): the
    /// click's verdict is read after it (`Request::ClickVerdict`).
    pub guarded: bool,
    /// The token the guard says its verdict under on the executor's channel, when the
    /// engine of this document was given one; for a native select, what it shows once
    /// its option is chosen.
    pub guard_token: Option<String>,
    /// For a pointer: how its target was judged to stay put: "a frame (why)" (its box the
    /// same a frame later; why the wait was needed), "at rest" (a guarded click on a page
    /// with every sign of rest), or "no point to aim at" (a native select's option).
    pub steady: Option<String>,
    pub then: Option<InsertAnswer>,
    /// The option `Then::Option` found, or every option's text when none matched.
    pub option: Option<OptionAnswer>,
    pub near: Vec<String>,
    pub busy: bool,
    pub dom_still_ms: Option<f64>,
    pub net_still_ms: Option<f64>,
    pub page_errors: Vec<String>,
    pub scope_missing: Option<String>,
    pub scopes_found: Vec<String>,
    pub bad: Option<String>,
    pub nth_missing: bool,
    /// A branch (tree item, tree grid row): open or not, None for a leaf.
    pub expanded: Option<bool>,
    /// Its tree or grid still loads children.
    pub loading: bool,
    /// Fields whose label begins with the name and goes on with separate text, when
    /// more than one does (so none was taken).
    pub prefixed: Vec<String>,
    /// What the search scrolled, list by list ("scrolled the table to its end: 15 -> 60
    /// rows").
    pub scrolled: Vec<String>,
    /// A field's error state, for a read.
    pub field: Option<FieldAnswer>,
}

/// Whether a field shows an error, and its text (see `fieldError` in `salesforce.js`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FieldAnswer {
    pub invalid: bool,
    pub error: String,
}

/// The next move of a reorder: `done`, or the option to select (none when it is already
/// the only one selected), the Up button and how many times to press it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReorderAnswer {
    pub done: bool,
    pub option: Option<ElementRef>,
    pub button: Option<ElementRef>,
    pub aims: Option<Vec<AimInfo>>,
    pub times: u32,
    /// The chosen list as it stands.
    pub order: Vec<String>,
    pub missing: Option<DualMissing>,
    /// An option named that the chosen list does not hold.
    pub absent: Option<String>,
    pub error: Option<String>,
    pub near: Vec<String>,
}

/// A range input's bounds, step and value; `focused` when it took the focus.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RangeAnswer {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub value: f64,
    pub focused: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReadAnswer {
    pub value: String,
    pub checked: Option<bool>,
    pub visible: bool,
    pub enabled: bool,
    /// The branch around the element: open or not, None outside a branch.
    pub expanded: Option<bool>,
    /// Its tree or grid still loads children.
    pub loading: bool,
}

/// What a click guard saw (`guard.js`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ClickVerdictAnswer {
    /// False when this document armed no guard: the click led to another document.
    pub armed: bool,
    /// `none` (no event of the click reached the document), `hit`, or `blocked`.
    pub verdict: String,
    /// What the click's first event landed on, when it was not the target.
    pub landed: String,
    /// With `read` asked: what that element shows now.
    pub read: Option<ReadAnswer>,
    /// In a verdict said on the channel: the element `read` is of.
    pub read_of: Option<ElementRef>,
}

/// A table's inline editing, as the engine sees it around a cell.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InlineAnswer {
    /// An inline editor is open.
    pub open: bool,
    /// Its field.
    pub editor: Option<ElementRef>,
    /// The Save button of the bar that holds unsaved edits.
    pub save: Option<ElementRef>,
    pub aim: Option<AimInfo>,
    /// What the editor or the bar says is wrong.
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OptionAnswer {
    pub option: Option<ElementRef>,
    pub near: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DualAnswer {
    /// The option is in the wanted list already.
    pub done: bool,
    pub option: Option<ElementRef>,
    pub button: Option<ElementRef>,
    pub aims: Option<Vec<AimInfo>>,
    /// What stands in the way (no such option, no arrow), and in words.
    pub missing: Option<DualMissing>,
    pub error: Option<String>,
    pub near: Vec<String>,
}

/// What a dual listbox lacks for a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DualMissing {
    /// The option is in neither list.
    Option,
    /// The element holds no pair of lists.
    Lists,
    /// No arrow button moves options that way.
    Arrow,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShootAnswer {
    pub frames: Vec<FrameInfo>,
    pub frame_name: Option<String>,
    pub settled: bool,
    /// How long it waited for the page to finish loading, by the page's clock.
    pub settle_ms: f64,
    /// This document's identity, to tell it from the one that replaces it.
    pub doc: String,
    /// Its change count when it answered (see `Request::Shoot::since`).
    pub gen: u64,
    /// Nothing changed since the answer `since` named: no walk, the texts stand.
    pub same: bool,
    /// Names this answer's `texts` for a verdict sent later (`Request::Shoot::clean`).
    pub serial: u64,
    /// The document looks as at its last screenshot.
    pub unchanged: bool,
    /// CSS pixels per device pixel of the picture.
    pub dpr: f64,
    /// What to cover, as the engine knows it now: [x, y, width, height] in this viewport.
    pub rects: Vec<[f64; 4]>,
    /// Texts and field values that might show a secret, each one element's.
    pub texts: Vec<String>,
    /// A frame's document: its whole text as drawn, between two U+FFFC that mark its
    /// edges (part of a secret may show on each side of one).
    pub edge: Option<String>,
    /// Text the page's changes brought in since its last answer (added, then maybe gone).
    pub transient: Vec<String>,
    /// Why the texts could not all be answered: the picture is refused.
    pub overflow: Option<String>,
    /// Renderings covered whole because they cannot be read (canvases, plug-ins).
    pub opaque: u64,
    /// How many elements may host a closed shadow root, not asked about yet: they wait
    /// in the sandbox under `host_serial` (see `Session::closed_roots`, `Roots`).
    pub hosts: u64,
    /// Names those hosts for `Roots`.
    pub host_serial: u64,
    /// The BiDi context of the document that answered.
    pub context: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MaskAnswer {
    /// The boxes of the characters the verdict found a secret in.
    pub rects: Vec<[f64; 4]>,
    /// How many texts the document's last `shoot` answered: another number means the
    /// document was replaced in between.
    pub known: u64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SourceAnswer {
    pub frames: Vec<FrameInfo>,
    pub frame_name: Option<String>,
    pub url: String,
    pub html: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DescribeAnswer {
    pub role: String,
    pub name: String,
    pub names: Vec<String>,
    pub text: String,
}

/// The locator `author.js` wrote for an element: as the engine reads locators (`kind`,
/// `value`, scopes), with `in_dialog` true for "the dialog open".
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct AuthoredLocator {
    pub kind: String,
    pub value: String,
    pub in_row: Option<String>,
    pub in_section: Option<String>,
    pub in_dialog: Option<Value>,
    pub nth: Option<u32>,
}

/// How still one document is: the answer to [`Request::Still`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StillAnswer {
    pub frames: Vec<FrameInfo>,
    pub frame_name: Option<String>,
    pub dom_still_ms: f64,
    pub net_still_ms: f64,
    /// Loading: the document, or a spinner over it.
    pub busy: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthorAnswer {
    pub locator: Option<AuthoredLocator>,
    /// The engine finds the element by `locator`, and only it (with `nth`: the one of
    /// several it picks).
    pub unique: bool,
    /// Why the locator is not label-based or not unique.
    pub note: Option<String>,
    /// Why there is no locator at all.
    pub none: Option<String>,
    pub role: String,
    pub tag: String,
    /// The control kind the locator was checked for (a field's `text`, `choice`, `toggle`).
    pub control: Option<String>,
    /// The element the locator names (the control around what was given).
    pub el: Option<ElementRef>,
}

/// An answer that lists the document's frames, which a walk through every frame enters.
pub trait ListsFrames {
    fn frames(&self) -> &[FrameInfo];
    fn frame_name(&self) -> Option<&str>;
}

macro_rules! lists_frames {
    ($($t:ty),*) => {$(
        impl ListsFrames for $t {
            fn frames(&self) -> &[FrameInfo] {
                &self.frames
            }
            fn frame_name(&self) -> Option<&str> {
                self.frame_name.as_deref()
            }
        }
    )*};
}
lists_frames!(LocateAnswer, ShootAnswer, SourceAnswer, StillAnswer);

/// A call into the engine failed: WebDriver's error, or the engine's own (an exception in
/// its script, or an answer of the wrong shape), which is a bug to report, never "not found".
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Driver(#[from] CmdError),
    #[error("setupwright's locator engine failed: {0} (please report this with the page source the run saved)")]
    Script(String),
}

impl EngineError {
    /// WebDriver's error, when it is one.
    pub fn driver(&self) -> Option<&CmdError> {
        match self {
            EngineError::Driver(e) => Some(e),
            EngineError::Script(_) => None,
        }
    }
}

/// Parses an engine answer, or says what was wrong with it.
pub fn parse<A: serde::de::DeserializeOwned>(v: Value) -> Result<A, EngineError> {
    serde_json::from_value(v)
        .map_err(|e| EngineError::Script(format!("an answer of an unexpected shape ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_carry_their_operation_as_the_engine_reads_it() {
        let r = Request::Locate {
            spec: SpecRequest {
                kind: "button".into(),
                value: "New".into(),
                exact: false,
                nth: None,
                in_row: None,
                in_section: None,
                in_dialog: None,
                within: None,
                control: None,
                purpose: "click",
                mode: "act",
                no_scroll: false,
            },
            then: Some(Then::UnlessChecked { checked: true }),
        };
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["op"], "locate");
        assert_eq!(v["spec"]["kind"], "button");
        assert_eq!(v["then"], json!({ "op": "unlessChecked", "checked": true }));
        // A native select's option asked in the search's round trip.
        let o = serde_json::to_value(Then::Option {
            option: "Two".into(),
        })
        .unwrap();
        assert_eq!(o, json!({ "op": "option", "option": "Two" }));
        let d = serde_json::to_value(Request::Dual {
            el: ElementRef(json!({"e": 1})),
            option: "Full".into(),
            to: ListSide::Selected,
        })
        .unwrap();
        assert_eq!(
            d,
            json!({ "op": "dual", "el": {"e": 1}, "option": "Full", "to": "selected" })
        );
        assert_eq!(
            serde_json::to_value(Request::Frames).unwrap(),
            json!({ "op": "frames" })
        );
    }

    #[test]
    fn answers_read_what_the_engine_sends() {
        let a: LocateAnswer = parse(json!({
            "frames": [{ "el": {"e": 2}, "name": "vfFrameId_1", "title": "", "src": "/x", "index": 0, "win": { "context": "C1" } }],
            "url": "http://127.0.0.1/", "title": "T", "count": 0, "near": ["Save"], "busy": false, "domStillMs": 12.5, "netStillMs": 40.0,
            "pageErrors": [], "frameName": ""
        }))
        .unwrap();
        assert_eq!(a.frames[0].win.as_ref().unwrap().context, "C1");
        assert_eq!(a.near, vec!["Save"]);
        assert!(a.el.is_none());
        let bad: Result<ReadAnswer, _> = parse(json!({ "value": 3 }));
        assert!(matches!(bad, Err(EngineError::Script(m)) if m.contains("unexpected shape")));
    }
}
