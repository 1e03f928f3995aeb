//! The runbook language's words: the shape of an action's description (each action's
//! own is in its file in `runbook/actions/`), and every other key with what it means.
//! The parser, `check`'s hints and the JSON Schema all read these, so they cannot
//! disagree about what a key is.

/// One action's surface: its name, its own keys, whether it takes a locator, and the
/// shape of its value.
pub struct ActionSpec {
    pub name: &'static str,
    pub summary: &'static str,
    /// Its own keys besides a locator's, with what each means.
    pub keys: &'static [Key],
    pub locator: LocatorUse,
    /// The locator kinds it takes, when not every kind (`edit_cell` takes a `cell`).
    pub locator_kinds: &'static [&'static str],
    /// Keys the mapping form must have.
    pub required: &'static [&'static str],
    /// Keys of which the mapping form must have at least one.
    pub one_of: &'static [&'static str],
    /// Keys of which the mapping form may have at most one (an `expect` checks one
    /// thing).
    pub at_most_one: &'static [&'static str],
    /// The value may be a plain string (`click: Save`, `goto: /x`, `press: Tab`).
    pub string_form: bool,
    /// It reads or moves around and cannot change the org's data: `verify` may run it.
    pub read_only: bool,
}

impl ActionSpec {
    /// The fields an action's description leaves out: no keys, no rule on them, a
    /// mapping only, and able to change the org.
    pub const DEFAULT: ActionSpec = ActionSpec {
        name: "",
        summary: "",
        keys: &[],
        locator: LocatorUse::None,
        locator_kinds: &[],
        required: &[],
        one_of: &[],
        at_most_one: &[],
        string_form: false,
        read_only: false,
    };

    pub fn key_names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|k| k.name).collect()
    }
}

/// One key of an action: its name, what it means, and what its value is.
pub struct Key {
    pub name: &'static str,
    pub doc: &'static str,
    pub shape: Shape,
}

/// What a key's value is.
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum Shape {
    /// A string, `${...}` references allowed.
    Text,
    /// true or false.
    Flag,
    /// A list of strings (or one).
    List,
}

impl Key {
    pub const fn text(name: &'static str, doc: &'static str) -> Key {
        Key {
            name,
            doc,
            shape: Shape::Text,
        }
    }
    pub const fn flag(name: &'static str, doc: &'static str) -> Key {
        Key {
            name,
            doc,
            shape: Shape::Flag,
        }
    }
    pub const fn list(name: &'static str, doc: &'static str) -> Key {
        Key {
            name,
            doc,
            shape: Shape::List,
        }
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
pub enum LocatorUse {
    Required,
    Optional,
    None,
}

pub const MODIFIERS: &[&str] = &["name", "skip_if", "only_if", "timeout", "retry", "dialog"];
pub const STRUCTURE: &[&str] = &["group", "steps", "include", "inputs"];
pub const SCOPES: &[&str] = &["in_row", "in_section", "in_dialog", "nth", "exact"];
pub const CONDITIONS: &[&str] = &["exists", "missing", "set", "unset", "equals", "at"];
pub const INPUT_KEYS: &[&str] = &["default", "secret", "example", "description"];
pub const TOP_KEYS: &[&str] = &["runbook", "inputs", "env", "steps"];

/// What each key of the language besides an action's own means, in plain words, for the schema (an editor shows
/// it on hover) and for anyone reading this table.
pub const KEY_DOCS: &[(&str, &str)] = &[
    // The document.
    ("runbook", "The runbook's title: what it sets up, in a few words."),
    ("inputs", "Values the runbook needs from whoever runs it (or, on an `include`, the values handed to the included runbook)."),
    ("steps", "The steps, in order."),
    ("env", "Environment variables the runbook reads with `${env.NAME}`: every value read is a secret unless declared here as `NAME: { secret: false }`."),
    // Inputs.
    ("default", "The value used when none is given."),
    ("secret", "A secret: never printed, logged, reported or shown in a screenshot, and refused on the command line."),
    ("example", "An example value, shown when the input is missing."),
    ("description", "What the input is for."),
    // Steps.
    ("name", "What the step does, in the help article's words; shown in the progress and the reports."),
    ("group", "A group's title: its `steps` run in order, and a `skip_if` skips them all."),
    ("include", "Another runbook file, run here with its own `inputs`; its captures come back."),
    ("skip_if", "Skip the step or group when this holds (a guard: what it would create is already there)."),
    ("only_if", "Run the step or group only when this holds."),
    ("timeout", "How long the step may take: a number of seconds, or 500ms, 30s, 2m."),
    ("retry", "How many more times to run a failed step, from a fresh look at the page."),
    ("dialog", "How to answer a dialog the step makes the page open: accept (OK), dismiss (Cancel), or { accept: TEXT } for a prompt. A dialog a step does not declare is answered OK on an alert, Cancel otherwise, and fails the step."),
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
    ("row", "A table row or tree item, by the text of any of its cells (a tree item by its own label)."),
    ("cell", "A table cell, by its column's header; with `in_row` for the row (`cell: Email, in_row: Dorothy Vaughan`)."),
    ("tab", "A tab, by its label."),
    ("menuitem", "An item of an open menu, by its label."),
    ("css", "An element by CSS selector (a last resort: it breaks when the markup changes). The selector is tried inside every shadow root; `a >>> b` finds `b` inside the shadow root (or, under synthetic shadow, the subtree) of what `a` finds."),
    ("xpath", "An element by XPath (a last resort)."),
    ("in_row", "Only inside the table row or tree item that shows this text."),
    ("in_section", "Only inside the page section (card, page block) with this title."),
    ("in_dialog", "Only inside the open dialog (true), or the one with this title."),
    ("nth", "The n-th match in document order, from 1, when several match."),
    ("exact", "The name must match exactly, not only contain the text."),
];

/// The meaning of a key (see [`KEY_DOCS`]).
pub fn key_doc(key: &str) -> Option<&'static str> {
    KEY_DOCS.iter().find(|(k, _)| *k == key).map(|(_, d)| *d)
}
