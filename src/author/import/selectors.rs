//! What a recorded selector says about its element, as a runbook locator: Chrome's
//! Recorder selectors (`aria/Name[role="button"]`, `text/…`, `pierce/…`, CSS, `xpath/…`)
//! and Selenium IDE targets (`id=`, `name=`, `css=`, `xpath=`, `linkText=`). Labels come
//! first, text next, CSS and XPath only when nothing better names the element, and ids a
//! page generated (`#input-12`, `j_id0:j_id5`) never: they differ on the next load.

use crate::author::Val;

/// The best way the recording gives to find an element again.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// An accessible name, with the locator kind its role maps to (`None`: no role said,
    /// written as a bare string the action reads by its purpose).
    Label {
        kind: Option<&'static str>,
        name: String,
    },
    /// Text on the page (`text/…`).
    Text(String),
    Css(String),
    Xpath(String),
    /// Nothing but generated ids: only a replay (`--resolve`) can name the element.
    Nothing,
}

/// A recorded element: the choice, and what else the selectors say.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub choice: Choice,
    /// The ARIA role the recording names, if any (`button`, `combobox`, `option`...).
    pub role: Option<String>,
    /// Whether a selector says this is a password field.
    pub password: bool,
    /// Every CSS selector recorded, generated ids included: what `--resolve` finds the
    /// element by on a replay. Each is a chain through shadow roots (outer first).
    pub css: Vec<Vec<String>>,
    /// Every XPath recorded, for `--resolve` as well.
    pub xpath: Vec<String>,
    /// The recorded selectors as written, for comments and messages.
    pub raw: Vec<String>,
}

impl Target {
    fn new() -> Target {
        Target {
            choice: Choice::Nothing,
            role: None,
            password: false,
            css: Vec::new(),
            xpath: Vec::new(),
            raw: Vec::new(),
        }
    }

    /// The name a label or text choice gives the element.
    pub fn name(&self) -> Option<&str> {
        match &self.choice {
            Choice::Label { name, .. } | Choice::Text(name) => Some(name),
            _ => None,
        }
    }

    /// A stable id the selectors name (`#username`, `[id="1st"]`, `name=pw`): a word to call the
    /// element by when no label does.
    pub fn hint(&self) -> Option<String> {
        self.css.iter().filter_map(|c| c.last()).find_map(|c| {
            let id = c.strip_prefix('#').map(str::to_string).or_else(|| {
                ["[id=\"", "[name=\""].iter().find_map(|p| {
                    c.strip_prefix(p)
                        .and_then(|r| r.strip_suffix("\"]"))
                        .map(str::to_string)
                })
            })?;
            (!id.is_empty()
                && id
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-')
                && !is_generated_id(&id))
            .then_some(id)
        })
    }

    /// Whether a label or text names the element (not CSS, XPath or nothing).
    pub fn is_named(&self) -> bool {
        self.name().is_some()
    }

    /// Whether any recorded selector could find the element: a locator to write, or a
    /// CSS selector or XPath (a generated id included) a replay can find it by. Without
    /// one (an empty `linkText=`, `[[""]]`, a strategy import does not know) the step
    /// names nothing, which is not the same as "only generated ids".
    pub fn is_usable(&self) -> bool {
        self.choice != Choice::Nothing || !self.css.is_empty() || !self.xpath.is_empty()
    }

    /// What a step whose target is not [usable](Self::is_usable) is told with.
    pub fn why_unusable(&self) -> String {
        let given: Vec<&str> = self
            .raw
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .collect();
        if given.is_empty() {
            "the recording gives no selector for its element (only empty ones)".into()
        } else {
            format!(
                "no selector the recording gives for its element is one import reads ({})",
                given.join(", ")
            )
        }
    }

    /// Whether the selectors say this is a combobox (the button that opens its list).
    pub fn is_combobox(&self) -> bool {
        self.role.as_deref() == Some("combobox")
            || self
                .raw
                .iter()
                .any(|r| r.contains("combobox") && !r.contains("combobox-item"))
    }

    /// Whether the selectors say this is an option of a list.
    pub fn is_option(&self) -> bool {
        self.role.as_deref() == Some("option")
            || self.raw.iter().any(|r| {
                r.contains("lightning-base-combobox-item")
                    || r.contains("[role=\"option\"]")
                    || r.contains("[role=option]")
                    || r.contains("#option-")
            })
            || self
                .generated_kinds()
                .any(|k| k == "source-list" || k == "selected-list")
    }

    /// Whether a click on it may pick a page from Setup's tree or search results (a link, a
    /// tree item, a result option, or an element whose role the recording did not say), not
    /// a control of the page already open (a tab, a button, a checkbox…).
    pub fn may_be_a_setup_page(&self) -> bool {
        matches!(
            self.role.as_deref(),
            None | Some("link" | "treeitem" | "option" | "menuitem" | "generic" | "StaticText")
        )
    }

    /// Whether the element is an item of a combobox's dropdown (not a listbox's option).
    pub fn is_combobox_item(&self) -> bool {
        self.raw
            .iter()
            .any(|r| r.contains("lightning-base-combobox-item") || r.contains("dropdown-element"))
    }

    /// Whether the element is a native `<select>` (a `change` on it picks an option).
    pub fn is_select(&self) -> bool {
        self.role.as_deref() == Some("listbox")
            || self
                .css
                .iter()
                .flatten()
                .any(|c| starts_with_tag(c, "select"))
            || self.xpath.iter().any(|x| x.contains("/select"))
            || self.generated_kinds().any(|k| k == "select")
    }

    /// What the page's generated ids say each element is: Lightning numbers the ids of
    /// the elements inside its components after their kind (`select-17` the `<select>` of
    /// a `lightning-select`, `input-5` an `<input>`), the only word a recording of such an
    /// element may carry about it.
    fn generated_kinds(&self) -> impl Iterator<Item = String> + '_ {
        self.raw.iter().flat_map(|r| ids_in(r)).filter_map(|id| {
            let (kind, n) = id.rsplit_once('-')?;
            (is_generated_id(&id) && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                .then(|| kind.to_string())
        })
    }

    /// Whether a click on it may turn a checkbox, switch or radio, or open a list or pick
    /// from one: not a button, link, tab or menu item the recording names as such.
    pub fn may_turn_or_pick(&self) -> bool {
        let by_role = match (&self.choice, self.role.as_deref()) {
            (_, Some(r)) => matches!(
                r,
                "checkbox" | "radio" | "switch" | "combobox" | "option" | "generic" | "StaticText"
            ),
            (Choice::Label { kind: Some(k), .. }, None) => matches!(*k, "field" | "text"),
            _ => true,
        };
        by_role || self.is_checkbox() || self.is_combobox() || self.is_option()
    }

    pub fn is_checkbox(&self) -> bool {
        matches!(self.role.as_deref(), Some("checkbox" | "switch"))
            || self.raw.iter().any(|r| r.contains("checkbox"))
    }

    /// The locator as a runbook value, `extra` entries added after it (`with`, `option`).
    /// A bare name stays a bare string when nothing is added.
    pub fn locator(&self, bare_kind: &'static str, extra: Vec<(&str, Val)>) -> Option<Val> {
        let (key, text) = match &self.choice {
            Choice::Label {
                kind: Some(k),
                name,
            } => (*k, name.clone()),
            Choice::Label { kind: None, name } => {
                if extra.is_empty() && bare_kind.is_empty() {
                    return Some(Val::lit(name.clone()));
                }
                (
                    if bare_kind.is_empty() {
                        "field"
                    } else {
                        bare_kind
                    },
                    name.clone(),
                )
            }
            Choice::Text(t) => ("text", t.clone()),
            Choice::Css(c) => ("css", c.clone()),
            Choice::Xpath(x) => ("xpath", x.clone()),
            Choice::Nothing => return None,
        };
        let mut m = vec![(key.to_string(), Val::lit(text))];
        m.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v)));
        Some(Val::Map(m))
    }
}

/// The locator kind a role maps to. Roles that name a control a person types into,
/// picks or ticks are all `field`.
pub fn kind_for_role(role: &str) -> Option<&'static str> {
    Some(match role {
        "button" => "button",
        "link" => "link",
        "tab" => "tab",
        "menuitem" | "menuitemcheckbox" | "menuitemradio" => "menuitem",
        "textbox" | "searchbox" | "combobox" | "checkbox" | "radio" | "switch" | "spinbutton"
        | "slider" | "listbox" => "field",
        "row" => "row",
        "cell" | "gridcell" | "columnheader" | "rowheader" => "cell",
        "heading" | "option" | "treeitem" | "alert" | "status" | "dialog" => "text",
        _ => return None,
    })
}

/// An `aria/Name[role="r"]` selector's name and role.
pub fn parse_aria(s: &str) -> Option<(String, Option<String>)> {
    let body = s.strip_prefix("aria/")?;
    if let Some(open) = body.rfind("[role=") {
        if body.ends_with(']') {
            let role = body[open + 6..body.len() - 1].trim_matches(['"', '\'']);
            let name = body[..open].trim();
            return Some((name.to_string(), Some(role.to_string())));
        }
    }
    Some((body.trim().to_string(), None))
}

/// Whether an element id was made up by the page when it rendered: Lightning's
/// `input-12`, `combobox-button-9`, `option-21-2`, `lgt-datatable-…`, Visualforce's
/// `j_id0:j_id5:…`, Aura's `123:0`, and any id ending in a number.
pub fn is_generated_id(id: &str) -> bool {
    let id = id.trim();
    if id.is_empty() {
        return false;
    }
    let lower = id.to_ascii_lowercase();
    if lower.contains("j_id") || lower.starts_with("lgt-") || lower.contains("globalid") {
        return true;
    }
    // A Salesforce record id (15 or 18 characters, a key prefix then digits among letters).
    if (id.len() == 15 || id.len() == 18)
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && id.chars().filter(|c| c.is_ascii_digit()).count() >= 5
    {
        return true;
    }
    let last = id.rsplit(['-', '_', ':', '.']).next().unwrap_or("");
    (id.len() > last.len() && !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()))
        || id.chars().all(|c| c.is_ascii_digit() || c == ':')
}

/// The ids a CSS selector or an XPath names: `#x`, `[id="x"]`, `@id="x"`, `[for="x"]`,
/// `aria-labelledby`/`aria-describedby` values.
pub fn ids_in(selector: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = selector.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'#' {
            let rest = &selector[i + 1..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '\\' | ':')))
                .unwrap_or(rest.len());
            out.push(rest[..end].replace('\\', ""));
            i += 1 + end;
            continue;
        }
        i += 1;
    }
    for attr in [
        "id=",
        "for=",
        "aria-labelledby=",
        "aria-describedby=",
        "aria-controls=",
    ] {
        let mut from = 0;
        while let Some(p) = selector[from..].find(attr) {
            let at = from + p + attr.len();
            let before = selector[..from + p].chars().last();
            from = at;
            if matches!(before, Some(c) if c.is_alphanumeric() || c == '-' || c == '_') {
                continue;
            }
            let rest = &selector[at..];
            let quote = rest.chars().next();
            let value = match quote {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c == ']' || c.is_whitespace())
                    .next()
                    .unwrap_or(""),
            };
            out.extend(value.split_whitespace().map(str::to_string));
        }
    }
    out
}

/// Whether a CSS selector or an XPath leans on a generated id.
pub fn has_generated_id(selector: &str) -> bool {
    ids_in(selector).iter().any(|id| is_generated_id(id))
}

fn starts_with_tag(css: &str, tag: &str) -> bool {
    let last = css.rsplit([' ', '>']).next().unwrap_or(css);
    last.strip_prefix(tag)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['#', '.', '[', ':']))
}

fn mentions_password(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.contains("password")
        || l.contains("passwd")
        || l.contains("[name=\"pw\"]")
        || l.contains("[name=pw]")
        || l == "name=pw"
}

/// Rank of a choice: lower is better.
fn rank(c: &Choice) -> u8 {
    match c {
        Choice::Label { kind: Some(_), .. } => 0,
        Choice::Label { kind: None, .. } => 1,
        Choice::Text(_) => 2,
        Choice::Css(_) => 3,
        Choice::Xpath(_) => 4,
        Choice::Nothing => 5,
    }
}

fn offer(t: &mut Target, c: Choice) {
    if rank(&c) < rank(&t.choice) {
        t.choice = c;
    }
}

/// A CSS selector worth keeping: no generated id, and not only a position in the tree.
fn keepable_css(css: &str) -> bool {
    !css.trim().is_empty() && !has_generated_id(css)
}

/// The target Chrome's Recorder selectors describe: an array of alternatives, each a
/// chain (through shadow roots and iframes) written as an array of strings or one string.
pub fn from_recorder(selectors: &[Vec<String>]) -> Target {
    let mut t = Target::new();
    for chain in selectors {
        let Some(last) = chain.last() else { continue };
        t.raw.push(chain.join(" >> "));
        // An empty part finds nothing (and `css: ""` does not pass `check`).
        if chain.iter().any(|s| s.trim().is_empty()) {
            continue;
        }
        if chain.iter().any(|s| mentions_password(s)) {
            t.password = true;
        }
        if let Some((name, role)) = parse_aria(last) {
            if name.to_ascii_lowercase().contains("password") {
                t.password = true;
            }
            if name.is_empty() {
                continue;
            }
            let kind = role.as_deref().and_then(kind_for_role);
            if role.is_some() {
                t.role = role.clone();
            }
            match (kind, role.as_deref()) {
                (Some("text"), _) => offer(&mut t, Choice::Text(name)),
                (Some(k), _) => offer(
                    &mut t,
                    Choice::Label {
                        kind: Some(k),
                        name,
                    },
                ),
                (None, _) => offer(&mut t, Choice::Label { kind: None, name }),
            }
        } else if let Some(text) = last.strip_prefix("text/") {
            if !text.trim().is_empty() {
                offer(&mut t, Choice::Text(text.trim().to_string()));
            }
        } else if let Some(x) = last.strip_prefix("xpath/") {
            t.xpath.push(x.to_string());
            if keepable_css(x) && chain.len() == 1 {
                offer(&mut t, Choice::Xpath(x.to_string()));
            }
        } else {
            let parts: Vec<String> = chain
                .iter()
                .map(|s| s.strip_prefix("pierce/").unwrap_or(s).to_string())
                .collect();
            // The locator language's CSS looks inside every shadow root, as `pierce/` does;
            // a chain (a host, then the element in its shadow root) is its parts joined by
            // `>>>`, which the engine follows from host to shadow root.
            t.css.push(parts.clone());
            if parts.iter().all(|p| keepable_css(p)) {
                offer(&mut t, Choice::Css(parts.join(" >>> ")));
            }
        }
    }
    t
}

/// The target a Selenium IDE command names: its `target` (`id=`, `name=`, `css=`,
/// `xpath=`, `linkText=`, `partialLinkText=`, or a bare XPath/CSS), then the
/// alternatives of its `targets` list.
pub fn from_side(target: &str, alternatives: &[String]) -> Target {
    let mut t = Target::new();
    for s in std::iter::once(target).chain(alternatives.iter().map(String::as_str)) {
        let s = s.trim();
        if s.is_empty() || t.raw.iter().any(|r| r == s) {
            continue;
        }
        t.raw.push(s.to_string());
        if mentions_password(s) {
            t.password = true;
        }
        let (strategy, value) = match s.split_once('=') {
            Some((k, v)) if k.chars().all(|c| c.is_ascii_alphabetic()) => (k, v),
            _ if s.starts_with('/') || s.starts_with("(/") => ("xpath", s),
            _ => ("css", s),
        };
        // `linkText=` with nothing after it names no element: a step written from it
        // would be `link: ""`, which `check` refuses, or `css: "#"`, which finds nothing.
        if value.trim().is_empty() {
            continue;
        }
        match strategy {
            // Selenium compares a link's text trimmed, as the engine compares names.
            "linkText" => offer(
                &mut t,
                Choice::Label {
                    kind: Some("link"),
                    name: value.trim().to_string(),
                },
            ),
            "partialLinkText" => offer(&mut t, Choice::Text(value.trim().to_string())),
            "id" => {
                let css = css_id(value);
                t.css.push(vec![css.clone()]);
                if !is_generated_id(value) {
                    offer(&mut t, Choice::Css(css));
                }
            }
            "name" => {
                let css = format!("[name={}]", css_string(value));
                t.css.push(vec![css.clone()]);
                if !is_generated_id(value) {
                    offer(&mut t, Choice::Css(css));
                }
            }
            "css" => {
                t.css.push(vec![value.to_string()]);
                if keepable_css(value) {
                    offer(&mut t, Choice::Css(value.to_string()));
                }
            }
            "xpath" => {
                t.xpath.push(value.to_string());
                if let Some(c) = label_from_xpath(value) {
                    offer(&mut t, c);
                } else if keepable_css(value) {
                    offer(&mut t, Choice::Xpath(value.to_string()));
                }
            }
            _ => {}
        }
    }
    t
}

/// A Selenium `id=` target as CSS: `#id` where the id is a plain identifier, else an
/// attribute selector. A Visualforce id (`thePage:theForm:name`) or one with a dot
/// (`save.button`) written after `#` would read as a pseudo-class or a class.
fn css_id(id: &str) -> String {
    let mut chars = id.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || !c.is_ascii());
    if plain {
        format!("#{id}")
    } else {
        format!("[id={}]", css_string(id))
    }
}

/// A CSS string, quoted, as the CSSOM serializes one ("serialize a string"): a quote or
/// backslash escaped, a control character as its code point, NUL as U+FFFD.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{fffd}'),
            '\u{1}'..='\u{1f}' | '\u{7f}' => out.push_str(&format!("\\{:x} ", c as u32)),
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the one predicate of a Selenium XPath compares the element by.
#[derive(Debug, PartialEq)]
enum XpathBy {
    /// Its text: `text()=`, `normalize-space()=`, `.=`, `contains(text(),…)`...
    Text,
    /// The attribute that is its accessible name where it has no text: `@title`,
    /// `@aria-label`.
    Name,
}

/// Selenium IDE's XPaths often carry the text a person saw: `//a[contains(text(),'New')]`,
/// `//button[normalize-space()='Save']`, `//span[text()='Create']`. Those read as labels,
/// but only in the one shape whose meaning a label keeps whole: one step from the
/// document (`//tag`), one predicate comparing text or a name to a string. A position
/// (`(//a[…])[2]`, `//tr[3]/td/a[…]`), an ancestor step, `not(…)`, `and`/`or`, a second
/// predicate: the label would name the first such element on the page, or the opposite
/// one, so such an XPath is none (kept as XPath, or another selector taken).
fn label_from_xpath(x: &str) -> Option<Choice> {
    if has_generated_id(x) {
        return None;
    }
    let (tag, by, value) = simple_xpath(x.trim())?;
    let value = value.trim().to_string();
    if value.is_empty() {
        return None;
    }
    let kind = match (tag.as_str(), by) {
        ("a", _) => "link",
        ("button", _) => "button",
        ("label", XpathBy::Text) => "field",
        ("input" | "textarea" | "select", XpathBy::Name) => "field",
        // An input has no text; a title on a span or div is not the text it shows.
        ("input" | "textarea" | "select", XpathBy::Text) | (_, XpathBy::Name) => return None,
        (_, XpathBy::Text) => return Some(Choice::Text(value)),
    };
    Some(Choice::Label {
        kind: Some(kind),
        name: value,
    })
}

/// `//tag[pred]` and nothing else: the tag (lowercase, `*` for any), what the predicate
/// compares, and the string it compares with.
fn simple_xpath(x: &str) -> Option<(String, XpathBy, &str)> {
    let rest = x.strip_prefix("//")?;
    let tag_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '*'))
        .unwrap_or(rest.len());
    let tag = &rest[..tag_len];
    if tag.is_empty() || (tag.contains('*') && tag != "*") {
        return None;
    }
    let pred = rest[tag_len..].strip_prefix('[')?.strip_suffix(']')?;
    let (by, value, after) = predicate(pred.trim())?;
    after
        .trim()
        .is_empty()
        .then(|| (tag.to_ascii_lowercase(), by, value))
}

/// One comparison: `F = 'v'` or `contains(F, 'v')`, where `F` is the element's text or
/// its `@title`/`@aria-label`. Returns what follows it, for the caller to require nothing.
fn predicate(p: &str) -> Option<(XpathBy, &str, &str)> {
    const TEXT: [&str; 5] = [
        "text()",
        "normalize-space()",
        "normalize-space(.)",
        "normalize-space(text())",
        ".",
    ];
    const NAME: [&str; 2] = ["@title", "@aria-label"];
    let by_of = |f: &str| -> Option<XpathBy> {
        let f = f.trim();
        if TEXT.contains(&f) {
            Some(XpathBy::Text)
        } else if NAME.contains(&f) {
            Some(XpathBy::Name)
        } else {
            None
        }
    };
    if let Some(args) = p.strip_prefix("contains(") {
        let (f, q) = args.split_once(',')?;
        let by = by_of(f)?;
        let (value, after) = quoted(q.trim_start())?;
        let after = after.trim_start().strip_prefix(')')?;
        return Some((by, value, after));
    }
    let (f, q) = p.split_once('=')?;
    let by = by_of(f)?;
    let (value, after) = quoted(q.trim_start())?;
    Some((by, value, after))
}

/// A string literal at the start: its text and what follows its closing quote.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let q = s.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &s[1..];
    let end = body.find(q)?;
    Some((&body[..end], &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chains(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter()
            .map(|c| c.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn aria_selectors_become_label_locators_by_role() {
        let t = from_recorder(&chains(&[
            &["aria/New External Client App[role=\"button\"]"],
            &["#brandBand_2 > div > button"],
            &["xpath///*[@id=\"brandBand_2\"]/div/button"],
            &["pierce/#brandBand_2 button"],
        ]));
        assert_eq!(
            t.choice,
            Choice::Label {
                kind: Some("button"),
                name: "New External Client App".into()
            }
        );
        for (sel, kind) in [
            ("aria/Contact Email[role=\"textbox\"]", Some("field")),
            ("aria/Settings[role=\"tab\"]", Some("tab")),
            ("aria/My App[role=\"link\"]", Some("link")),
            ("aria/New Legacy[role=\"menuitem\"]", Some("menuitem")),
            ("aria/Distribution State[role=\"combobox\"]", Some("field")),
            ("aria/Log In", None),
        ] {
            let t = from_recorder(&chains(&[&[sel]]));
            let Choice::Label { kind: k, .. } = t.choice else {
                panic!("{sel}: {:?}", t.choice)
            };
            assert_eq!(k, kind, "{sel}");
        }
        // An option or heading is text on the page.
        let t = from_recorder(&chains(&[&["aria/Local[role=\"option\"]"]]));
        assert_eq!(t.choice, Choice::Text("Local".into()));
        assert!(t.is_option());
    }

    #[test]
    fn text_selectors_beat_css_and_css_beats_xpath() {
        let t = from_recorder(&chains(&[
            &["div.slds-card > p"],
            &["xpath///div/p"],
            &["text/No items to display."],
        ]));
        assert_eq!(t.choice, Choice::Text("No items to display.".into()));
        let t = from_recorder(&chains(&[&["xpath///div/p"], &["div.slds-card > p"]]));
        assert_eq!(t.choice, Choice::Css("div.slds-card > p".into()));
    }

    #[test]
    fn generated_ids_are_never_kept() {
        for id in [
            "input-3",
            "input-12",
            "combobox-button-9",
            "option-21-2",
            "j_id0:j_id5:j_id6",
            "lgt-datatable-12",
            "brandBand_2",
            "window_1",
            "0SO5g000000XyZaGAK",
            "123:0",
        ] {
            assert!(is_generated_id(id), "{id}");
        }
        for id in [
            "username",
            "password",
            "Login",
            "thePage",
            "bottomButtonRow",
        ] {
            assert!(!is_generated_id(id), "{id}");
        }
        let t = from_recorder(&chains(&[
            &["#input-12"],
            &["xpath///*[@id=\"input-12\"]"],
            &["pierce/#input-12"],
            &["[aria-describedby=\"help-text-33\"]"],
        ]));
        assert_eq!(t.choice, Choice::Nothing, "{t:?}");
        // Kept for a replay to find the element by, never written.
        assert_eq!(t.css.len(), 3);
        let t = from_side("id=j_id0:j_id5:name", &["css=#combobox-button-9".into()]);
        assert_eq!(t.choice, Choice::Nothing, "{t:?}");
        // A stable id stays, as CSS.
        let t = from_side("id=username", &[]);
        assert_eq!(t.choice, Choice::Css("#username".into()));
    }

    #[test]
    fn side_targets_read_as_links_and_text_where_they_can() {
        let t = from_side(
            "linkText=External Client App Manager",
            &["css=a.slds-tree__item-label".into()],
        );
        assert_eq!(
            t.choice,
            Choice::Label {
                kind: Some("link"),
                name: "External Client App Manager".into()
            }
        );
        let t = from_side("xpath=//button[normalize-space()='Create']", &[]);
        assert_eq!(
            t.choice,
            Choice::Label {
                kind: Some("button"),
                name: "Create".into()
            }
        );
        let t = from_side("xpath=//span[contains(text(),'Local')]", &[]);
        assert_eq!(t.choice, Choice::Text("Local".into()));
        let t = from_side(
            "xpath=//button[@title='Move selection to Selected OAuth Scopes']",
            &[],
        );
        assert_eq!(
            t.choice,
            Choice::Label {
                kind: Some("button"),
                name: "Move selection to Selected OAuth Scopes".into()
            }
        );
    }

    #[test]
    fn password_fields_are_told_by_their_selectors() {
        assert!(from_recorder(&chains(&[&["aria/Password"]])).password);
        assert!(from_recorder(&chains(&[&["#password"]])).password);
        assert!(from_side("name=pw", &[]).password);
        assert!(from_side("css=input[type=\"password\"]", &[]).password);
        assert!(!from_recorder(&chains(&[&["aria/Username"]])).password);
    }

    /// Chrome's Recorder under native shadow: a CSS selector for the host, then one inside
    /// its shadow root (no label: a checkbox's faux box has none).
    #[test]
    fn a_chain_through_a_shadow_root_is_kept_as_a_deep_selector() {
        let t = from_recorder(&chains(&[
            &[
                "div.slds-p-horizontal_medium > lightning-input:nth-of-type(4)",
                "span.slds-checkbox_faux",
            ],
            &["xpath///*[@id=\"checkbox-14\"]/following-sibling::label/span[1]"],
        ]));
        assert_eq!(
            t.choice,
            Choice::Css(
                "div.slds-p-horizontal_medium > lightning-input:nth-of-type(4) >>> span.slds-checkbox_faux"
                    .into()
            )
        );
        // A part that is a generated id makes the chain no locator.
        let t = from_recorder(&chains(&[&["lightning-input", "#checkbox-14"]]));
        assert!(!matches!(t.choice, Choice::Css(_)), "{:?}", t.choice);
    }

    #[test]
    fn comboboxes_options_and_selects_are_recognised() {
        assert!(from_recorder(&chains(&[&["#combobox-button-9"]])).is_combobox());
        assert!(from_recorder(&chains(&[&["#option-21-2"]])).is_option());
        assert!(from_recorder(&chains(&[&["select#provider"]])).is_select());
        assert!(!from_recorder(&chains(&[&["#input-3"]])).is_select());
        // Chrome's Recorder on a `lightning-select`: its label, then only generated ids.
        assert!(from_recorder(&chains(&[
            &["aria/Priority"],
            &["#select-17"],
            &["xpath///*[@id=\"select-17\"]"],
            &["pierce/#select-17"]
        ]))
        .is_select());
    }

    /// An empty or blank Selenium target names no element: no `link: ""` (which `check`
    /// refuses) nor `css: "#"`, and the next target the command recorded is taken.
    #[test]
    fn empty_side_targets_name_nothing_and_the_next_one_is_taken() {
        for target in [
            "linkText=",
            "linkText=   ",
            "partialLinkText=",
            "id=",
            "name= ",
            "css=",
            "xpath=",
        ] {
            let t = from_side(target, &[]);
            assert_eq!(t.choice, Choice::Nothing, "{target}: {t:?}");
            assert!(t.css.is_empty() && t.xpath.is_empty(), "{target}: {t:?}");
        }
        let t = from_side("linkText=", &["css=a.editLink".into()]);
        assert_eq!(t.choice, Choice::Css("a.editLink".into()));
        let t = from_side("linkText= Home ", &[]);
        assert_eq!(
            t.choice,
            Choice::Label {
                kind: Some("link"),
                name: "Home".into()
            }
        );
    }

    /// A label names the first element on the page with that name: an XPath that picks
    /// another one (by position, scope or negation) is kept whole, or the next target
    /// taken.
    #[test]
    fn xpaths_a_label_cannot_say_whole_stay_xpath() {
        for x in [
            "(//a[contains(text(),'Edit')])[2]",
            "//tr[3]/td/a[text()='Edit']",
            "//button[not(text()='Cancel')]",
            "//a[text()='Edit'][2]",
            "//a[text()='Edit' or text()='Modify']",
            "//a[contains(text(),'Edit') and @class='x']",
            "//div[@id='detail']//a[text()='Edit']",
            "//a[text()!='Edit']",
            "//a[contains(@href,'/edit')]",
            "//input[text()='Name']",
            "//span[@title='Accounts']",
        ] {
            let t = from_side(&format!("xpath={x}"), &[]);
            assert_eq!(t.choice, Choice::Xpath(x.into()), "{x}");
        }
        let t = from_side(
            "xpath=(//a[contains(text(),'Edit')])[2]",
            &["css=tr:nth-child(2) a.edit".into()],
        );
        assert_eq!(t.choice, Choice::Css("tr:nth-child(2) a.edit".into()));
        // The one shape a label keeps whole.
        for (x, want) in [
            (
                "//a[ contains(text(), \"Edit\") ]",
                Choice::Label {
                    kind: Some("link"),
                    name: "Edit".into(),
                },
            ),
            (
                "//input[@title='Search Setup']",
                Choice::Label {
                    kind: Some("field"),
                    name: "Search Setup".into(),
                },
            ),
            (
                "//label[text()='Account Name']",
                Choice::Label {
                    kind: Some("field"),
                    name: "Account Name".into(),
                },
            ),
            (
                "//button[@aria-label='Close']",
                Choice::Label {
                    kind: Some("button"),
                    name: "Close".into(),
                },
            ),
            (
                "//*[normalize-space(.)='Done']",
                Choice::Text("Done".into()),
            ),
            (
                "//a[text()='a]b']",
                Choice::Label {
                    kind: Some("link"),
                    name: "a]b".into(),
                },
            ),
        ] {
            assert_eq!(from_side(&format!("xpath={x}"), &[]).choice, want, "{x}");
        }
    }

    /// `#thePage:theForm:name` is the id `thePage` with pseudo-classes, `#save.button`
    /// the id `save` with a class: a Selenium id or name is written so CSS reads it whole.
    #[test]
    fn selenium_ids_and_names_are_written_as_css_reads_them() {
        for (target, css) in [
            (
                "id=thePage:theForm:accountName",
                r#"[id="thePage:theForm:accountName"]"#,
            ),
            ("id=save.button", r#"[id="save.button"]"#),
            ("id=a b", r#"[id="a b"]"#),
            ("id=1st", r#"[id="1st"]"#),
            (r#"id=say"hi"\"#, r#"[id="say\"hi\"\\"]"#),
            ("id=tab\tstop", r#"[id="tab\9 stop"]"#),
            (r#"name=a"b"#, r#"[name="a\"b"]"#),
            ("id=username", "#username"),
            ("id=Account_Name-2x", "#Account_Name-2x"),
        ] {
            let t = from_side(target, &[]);
            assert_eq!(t.choice, Choice::Css(css.into()), "{target}");
        }
        // A Visualforce id the page generated is still told apart.
        let t = from_side("id=thePage:j_id5:accountName", &[]);
        assert_eq!(t.choice, Choice::Nothing, "{t:?}");
    }

    /// `"selectors": [[""]]` is no generated id: the warning says the recording gave no
    /// selector, and the step is a comment.
    #[test]
    fn an_empty_recorder_selector_is_told_as_none() {
        let t = from_recorder(&chains(&[&[""], &["  "]]));
        assert_eq!(t.choice, Choice::Nothing);
        assert!(t.css.is_empty(), "{t:?}");
        let i = crate::author::import::import(
            r#"{"title":"t","steps":[{"type":"click","selectors":[[""]]},
                {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}]}"#,
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
        let w = &i.warnings[0];
        assert!(w.contains("gives no selector"), "{w}");
        assert!(!w.contains("generated") && !w.contains("()"), "{w}");
        let yaml = crate::author::emit_checked(&i.draft, std::path::Path::new("t.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            yaml.contains("Recorded step 1 (click) not imported"),
            "{yaml}"
        );
        assert!(yaml.contains("- click: { button: Save }"), "{yaml}");
    }
}
