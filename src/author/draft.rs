//! A runbook being written: inputs, steps and groups, each step an action's keyword and
//! its value as a small tree, with comments a person should read. The importers and the
//! recorder build it; `emit` writes it.

/// A runbook being written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The runbook's title (`runbook:`), also its first comment line.
    pub title: String,
    /// Comment lines under the title: where the runbook came from, what to check.
    pub header: Vec<String>,
    pub inputs: Vec<DraftInput>,
    pub items: Vec<DraftItem>,
}

/// An input the runbook declares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftInput {
    pub name: String,
    /// Secret inputs never carry an example or a default: `emit` drops them.
    pub secret: bool,
    pub example: Option<String>,
    pub default: Option<String>,
    pub description: Option<String>,
}

/// A step at the top level, or a group of steps (`group:` with its title).
#[derive(Debug, Clone, PartialEq)]
pub enum DraftItem {
    Step(DraftStep),
    Group {
        title: String,
        steps: Vec<DraftStep>,
        /// Comments after the last step: what was recorded there and not imported.
        trailer: Vec<String>,
    },
}

/// One step: `keyword: value`, with an optional title, comments above it and other keys
/// of the step (`timeout`, `only_if`, `dialog`...).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftStep {
    pub name: Option<String>,
    pub comments: Vec<String>,
    /// The action's keyword (`click`, `fill`...), as the language's `register!` names it.
    pub action: String,
    pub value: Val,
    pub extra: Vec<(String, Val)>,
    /// The role of the element a replay saw the step act on (`import --resolve`), for the
    /// steps it joins afterwards; never written.
    pub seen_role: Option<String>,
}

impl DraftStep {
    pub fn new(action: &str, value: Val) -> DraftStep {
        DraftStep {
            name: None,
            comments: Vec::new(),
            action: action.to_string(),
            value,
            extra: Vec::new(),
            seen_role: None,
        }
    }

    pub fn named(mut self, name: impl Into<String>) -> DraftStep {
        self.name = Some(name.into());
        self
    }

    pub fn comment(mut self, line: impl Into<String>) -> DraftStep {
        self.comments.push(line.into());
        self
    }
}

/// A value in a step. Text is either literal (what was typed or read: `emit` escapes a
/// `${` in it) or a template the draft wrote on purpose (`${app_name}/x`).
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Lit(String),
    Template(String),
    Bool(bool),
    Int(i64),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
}

impl Val {
    pub fn lit(s: impl Into<String>) -> Val {
        Val::Lit(s.into())
    }

    /// `{ key: "text" }`, the shape of most locators (`{ field: Name }`).
    pub fn pair(key: &str, text: impl Into<String>) -> Val {
        Val::Map(vec![(key.to_string(), Val::Lit(text.into()))])
    }

    pub fn map<I, K>(entries: I) -> Val
    where
        I: IntoIterator<Item = (K, Val)>,
        K: Into<String>,
    {
        Val::Map(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Puts `with` wherever the value is the template `template` exactly.
    pub fn replace_template(&mut self, template: &str, with: &Val) {
        match self {
            Val::Template(t) if t == template => *self = with.clone(),
            Val::List(items) => items
                .iter_mut()
                .for_each(|i| i.replace_template(template, with)),
            Val::Map(m) => m
                .iter_mut()
                .for_each(|(_, i)| i.replace_template(template, with)),
            _ => {}
        }
    }

    /// Every literal text in the value, for passes that turn repeated values into inputs.
    /// Its texts, literal and template, in order.
    pub fn texts_mut(&mut self) -> Vec<&mut Val> {
        let mut out = Vec::new();
        fn walk<'a>(v: &'a mut Val, out: &mut Vec<&'a mut Val>) {
            match v {
                Val::Lit(_) | Val::Template(_) => out.push(v),
                Val::List(items) => items.iter_mut().for_each(|i| walk(i, out)),
                Val::Map(m) => m.iter_mut().for_each(|(_, i)| walk(i, out)),
                _ => {}
            }
        }
        walk(self, &mut out);
        out
    }

    pub fn literals_mut(&mut self) -> Vec<&mut Val> {
        let mut out = Vec::new();
        fn walk<'a>(v: &'a mut Val, out: &mut Vec<&'a mut Val>) {
            match v {
                Val::Lit(_) => out.push(v),
                Val::List(items) => items.iter_mut().for_each(|i| walk(i, out)),
                Val::Map(m) => m.iter_mut().for_each(|(_, i)| walk(i, out)),
                _ => {}
            }
        }
        walk(self, &mut out);
        out
    }
}

impl Draft {
    /// Every step, groups' steps included, in order.
    pub fn steps_mut(&mut self) -> impl Iterator<Item = &mut DraftStep> {
        self.items.iter_mut().flat_map(|i| match i {
            DraftItem::Step(s) => std::slice::from_mut(s).iter_mut(),
            DraftItem::Group { steps, .. } => steps.iter_mut(),
        })
    }

    pub fn steps(&self) -> impl Iterator<Item = &DraftStep> {
        self.items.iter().flat_map(|i| match i {
            DraftItem::Step(s) => std::slice::from_ref(s).iter(),
            DraftItem::Group { steps, .. } => steps.iter(),
        })
    }
}
