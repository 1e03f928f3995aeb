//! The runbook language's actions, a file each: its description (name, summary, keys
//! with what they mean, locator use, read-only or not), its model, how its YAML value is
//! read and how a step doing it is titled. The parser, `check`'s hints, the JSON Schema
//! and `verify` read the descriptions; the executor's half of each action is the file of
//! the same name in `crate::actions` (`screenshot` has none: the runner takes every
//! picture).
//!
//! Adding an action: its file here (a type implementing [`Verb`]), its name in
//! `register!` below, and its executor file with its arm in `crate::actions::perform`
//! (the compiler points at that arm until it is written).

mod capture;
mod check;
mod choose;
mod click;
mod edit_cell;
mod expand;
mod expect;
mod fill;
mod goto;
mod hover;
mod login;
mod press;
mod reorder;
mod screenshot;
mod select;
mod setup;
mod wait_for;
mod window;

pub use capture::{Capture, CaptureItem};
pub use check::{Check, Uncheck};
pub use choose::Choose;
pub use click::Click;
pub use edit_cell::EditCell;
pub use expand::{Collapse, Expand};
pub use expect::{Expect, Expectation};
pub use fill::{Clear, Fill};
pub use goto::Goto;
pub use hover::Hover;
pub use login::Login;
pub use press::Press;
pub use reorder::Reorder;
pub use screenshot::Screenshot;
pub use select::Select;
pub use setup::Setup;
pub use wait_for::WaitFor;
pub use window::{Window, WindowOp};

use super::model::{Locator, LocatorKind};
use super::parse::Parser;
use super::template::Template;
use super::vocabulary::{ActionSpec, Key, LocatorUse};
use super::yaml::{Node, Span};

/// One action of the language: what it is (`SPEC`), how its value reads, how it is titled.
pub trait Verb: Sized {
    const SPEC: ActionSpec;
    /// Reads the action's value (`v`, the node after `name:`); errors go to the parser,
    /// pointing at `key` when the value lacks something.
    fn parse(p: &mut Parser, v: &Node, key: Span) -> Option<Self>;
    /// What the step does, when it has no `name:`: for progress, reports and pictures.
    fn title(&self) -> String;
    /// The element the action works on, if it names one.
    fn target(&self) -> Option<&Locator> {
        None
    }
    /// Its templates besides the target's, in the order they appear, for validation.
    fn templates(&self) -> Vec<&Template> {
        Vec::new()
    }
}

/// Declares the actions: the `Action` enum over their types, the table of their
/// descriptions, and the dispatch from a keyword to its parser.
macro_rules! register {
    ($($verb:ident),* $(,)?) => {
        /// One step's action, as the runbook says it.
        #[derive(Debug, Clone)]
        pub enum Action {
            $($verb($verb)),*
        }

        /// Every action's description, in the order help and the schema list them.
        pub const ACTIONS: &[&ActionSpec] = &[$(&<$verb as Verb>::SPEC),*];

        impl Action {
            pub fn spec(&self) -> &'static ActionSpec {
                match self {
                    $(Action::$verb(_) => &<$verb as Verb>::SPEC),*
                }
            }
            pub fn title(&self) -> String {
                match self {
                    $(Action::$verb(a) => a.title()),*
                }
            }
            pub fn target(&self) -> Option<&Locator> {
                match self {
                    $(Action::$verb(a) => a.target()),*
                }
            }
            pub fn templates(&self) -> Vec<&Template> {
                match self {
                    $(Action::$verb(a) => a.templates()),*
                }
            }
        }

        /// Reads the value of the action called `name`; `None` if there is no such
        /// action or its value is wrong (then the parser holds the errors).
        pub(super) fn parse(p: &mut Parser, name: &str, v: &Node, key: Span) -> Option<Action> {
            $(
                if name == <$verb as Verb>::SPEC.name {
                    return <$verb as Verb>::parse(p, v, key).map(Action::$verb);
                }
            )*
            None
        }
    };
}

register!(
    Goto, Setup, Click, Fill, Clear, Select, Check, Uncheck, Choose, Press, Hover, WaitFor, Expect,
    Capture, Screenshot, Window, Login, // Rows, trees and cells.
    Expand, Collapse, EditCell, Reorder,
);

impl Action {
    /// The action's key in a runbook (`click`, `wait_for`...).
    pub fn keyword(&self) -> &'static str {
        self.spec().name
    }
}

/// The description of the action called `name`.
pub fn action_spec(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().copied().find(|a| a.name == name)
}
