//! The runbook language's words: every action with its keys and the shape of its value,
//! and every other key with what it means. The parser, `check`'s hints and the JSON Schema
//! all read these tables, so they cannot disagree about what a key is.
/// One action's surface: its name, its own option keys, whether it takes a locator, and
/// the shape of its value.
pub struct ActionSpec {
    pub name: &'static str,
    pub summary: &'static str,
    pub options: &'static [&'static str],
    pub locator: LocatorUse,
    /// Option keys the mapping form must have.
    pub required: &'static [&'static str],
    /// Option keys of which the mapping form must have at least one.
    pub one_of: &'static [&'static str],
    /// Option keys of which the mapping form may have at most one (an `expect` checks
    /// one thing).
    pub at_most_one: &'static [&'static str],
    /// The value may be a plain string (`click: Save`, `goto: /x`, `press: Tab`).
    pub string_form: bool,
    /// It reads or moves around and cannot change the org's data: `verify` may run it.
    pub read_only: bool,
}

/// The vocabulary's entry for an action key.
pub fn action_spec(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}

#[derive(PartialEq, Eq, Clone, Copy)]
pub enum LocatorUse {
    Required,
    Optional,
    None,
}

pub const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        name: "goto",
        summary: "Open a URL (absolute, or a path on the current site).",
        options: &["url"],
        locator: LocatorUse::None,
        required: &["url"],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: true,
    },
    ActionSpec {
        name: "setup",
        summary: "Find a Setup page with Quick Find and open it.",
        options: &["page", "section"],
        locator: LocatorUse::None,
        required: &["page"],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: true,
    },
    ActionSpec {
        name: "click",
        summary: "Click a button, link, tab, menu item or any element.",
        options: &[],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: false,
    },
    ActionSpec {
        name: "fill",
        summary: "Replace a field's text.",
        options: &["with"],
        locator: LocatorUse::Required,
        required: &["with"],
        one_of: &[],
        at_most_one: &[],
        string_form: false,
        read_only: false,
    },
    ActionSpec {
        name: "clear",
        summary: "Empty a field.",
        options: &[],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: false,
    },
    ActionSpec {
        name: "select",
        summary: "Pick an option in a picklist or combobox.",
        options: &["option"],
        locator: LocatorUse::Required,
        required: &["option"],
        one_of: &[],
        at_most_one: &[],
        string_form: false,
        read_only: false,
    },
    ActionSpec {
        name: "check",
        summary: "Make a checkbox checked (no change if it already is).",
        options: &[],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: false,
    },
    ActionSpec {
        name: "uncheck",
        summary: "Make a checkbox unchecked (no change if it already is).",
        options: &[],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: false,
    },
    ActionSpec {
        name: "choose",
        summary: "Move options between the lists of a dual listbox.",
        options: &["add", "remove"],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &["add", "remove"],
        at_most_one: &[],
        string_form: false,
        read_only: false,
    },
    ActionSpec {
        name: "press",
        summary: "Press a key (Tab, Enter, Escape...), optionally in a field.",
        options: &["key"],
        locator: LocatorUse::Optional,
        required: &["key"],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: false,
    },
    ActionSpec {
        name: "hover",
        summary: "Move the pointer over an element.",
        options: &[],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: false,
    },
    ActionSpec {
        name: "wait_for",
        summary: "Wait until an element appears (or, with gone: true, disappears).",
        options: &["gone"],
        locator: LocatorUse::Required,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: true,
    },
    ActionSpec {
        name: "expect",
        summary: "Assert what the page shows; a failure is an expectation failure.",
        options: &[
            "visible",
            "hidden",
            "value",
            "contains",
            "not_empty",
            "checked",
            "url_contains",
            "title",
        ],
        locator: LocatorUse::Optional,
        required: &[],
        one_of: &[],
        at_most_one: &[
            "visible",
            "hidden",
            "value",
            "contains",
            "not_empty",
            "checked",
            "url_contains",
            "title",
        ],
        string_form: true,
        read_only: true,
    },
    ActionSpec {
        name: "capture",
        summary: "Read values from the page into variables.",
        options: &["secret", "after"],
        locator: LocatorUse::None,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: false,
        read_only: true,
    },
    ActionSpec {
        name: "screenshot",
        summary: "Take an extra, named screenshot.",
        options: &["name"],
        locator: LocatorUse::None,
        required: &["name"],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: true,
    },
    ActionSpec {
        name: "window",
        summary: "Switch windows: new, close, main, or a title.",
        options: &[],
        locator: LocatorUse::None,
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: true,
        read_only: true,
    },
    ActionSpec {
        name: "login",
        summary: "Sign in on a Salesforce login page.",
        options: &["username", "password"],
        locator: LocatorUse::None,
        required: &["username", "password"],
        one_of: &[],
        at_most_one: &[],
        string_form: false,
        read_only: true,
    },
];

pub const MODIFIERS: &[&str] = &["name", "skip_if", "only_if", "timeout", "retry"];
pub const STRUCTURE: &[&str] = &["group", "steps", "include", "inputs"];
pub const SCOPES: &[&str] = &["in_row", "in_section", "in_dialog", "nth", "exact"];
pub const CONDITIONS: &[&str] = &["exists", "missing", "set", "unset", "equals", "at"];
pub const INPUT_KEYS: &[&str] = &["default", "secret", "example", "description"];
pub const TOP_KEYS: &[&str] = &["runbook", "inputs", "steps"];

/// What each key of the language means, in plain words, for the schema (an editor shows
/// it on hover) and for anyone reading this table.
pub const KEY_DOCS: &[(&str, &str)] = &[
    // The document.
    ("runbook", "The runbook's title: what it sets up, in a few words."),
    ("inputs", "Values the runbook needs from whoever runs it (or, on an `include`, the values handed to the included runbook)."),
    ("steps", "The steps, in order."),
    // Inputs.
    ("default", "The value used when none is given."),
    ("secret", "A secret: never printed, logged, reported or shown in a screenshot, and refused on the command line. On `capture`: the values read are secrets."),
    ("example", "An example value, shown when the input is missing."),
    ("description", "What the input is for."),
    // Steps.
    ("name", "What the step does, in the help article's words; shown in the progress and the reports. On `screenshot`: the picture's name."),
    ("group", "A group's title: its `steps` run in order, and a `skip_if` skips them all."),
    ("include", "Another runbook file, run here with its own `inputs`; its captures come back."),
    ("skip_if", "Skip the step or group when this holds (a guard: what it would create is already there)."),
    ("only_if", "Run the step or group only when this holds."),
    ("timeout", "How long the step may take: a number of seconds, or 500ms, 30s, 2m."),
    ("retry", "How many more times to run a failed step, from a fresh look at the page."),
    // Conditions.
    ("exists", "Holds when this element is on the page."),
    ("missing", "Holds when this element is not on the page."),
    ("set", "Holds when this input or capture has a value."),
    ("unset", "Holds when this input or capture has no value."),
    ("equals", "Holds when the two values are equal."),
    ("at", "Steps that go to the page the condition looks at (they may only read: goto, setup, capture...)."),
    // Locators.
    ("button", "A button, by its accessible name or visible text."),
    ("link", "A link, by its text."),
    ("field", "A form field (text box, picklist, checkbox, lookup), by its label."),
    ("text", "Any element, by the text it shows."),
    ("row", "A table row, by the text of any of its cells."),
    ("tab", "A tab, by its label."),
    ("menuitem", "An item of an open menu, by its label."),
    ("css", "An element by CSS selector (a last resort: it breaks when the markup changes)."),
    ("xpath", "An element by XPath (a last resort)."),
    ("in_row", "Only inside the table row that shows this text."),
    ("in_section", "Only inside the page section (card, page block) with this title."),
    ("in_dialog", "Only inside the open dialog (true), or the one with this title."),
    ("nth", "The n-th match in document order, from 1, when several match."),
    ("exact", "The name must match exactly, not only contain the text."),
    // Action options.
    ("url", "The URL: absolute, or a path on the current site."),
    ("page", "The Setup page's name, as the Setup tree shows it."),
    ("section", "The Setup tree section the page is in, when the name alone is ambiguous."),
    ("with", "The text to put in the field (it replaces what is there)."),
    ("option", "The option to pick, by its label."),
    ("add", "Options to move to the chosen list."),
    ("remove", "Options to move back to the available list."),
    ("key", "The key or chord to press: Tab, Enter, Escape, Control+a..."),
    ("gone", "Wait until the element disappears instead."),
    ("visible", "The element is visible (true) or not (false)."),
    ("hidden", "The element is not visible."),
    ("value", "The element shows exactly this value (a field's value, or an element's text)."),
    ("contains", "The element's value or text contains this."),
    ("not_empty", "The element's value or text is not empty."),
    ("checked", "The checkbox is checked (true) or not (false)."),
    ("url_contains", "The page's URL contains this."),
    ("title", "The page's title contains this."),
    ("after", "Read the values only after this element shows (a value revealed by a click)."),
    ("username", "The username to sign in with."),
    ("password", "The password to sign in with; write it as `${an_input}` declared `secret: true`."),
];

/// The meaning of a key (see [`KEY_DOCS`]).
pub fn key_doc(key: &str) -> Option<&'static str> {
    KEY_DOCS.iter().find(|(k, _)| *k == key).map(|(_, d)| *d)
}
