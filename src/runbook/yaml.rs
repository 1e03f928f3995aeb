//! A YAML tree that remembers where every node came from.
//!
//! serde_yaml reports positions only for syntax errors; a runbook's *validation* errors
//! (an unknown action, a `${name}` that names nothing) must point at file:line:column too,
//! so the language is read from yaml-rust2's marked events into this small tree first.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based line and column in a runbook file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Span {
    pub line: usize,
    pub col: usize,
}

impl Span {
    fn from_marker(m: &Marker) -> Self {
        // yaml-rust2 counts lines from 1 and columns from 0.
        Span {
            line: m.line().max(1),
            col: m.col() + 1,
        }
    }
    /// The same line, `n` characters further right.
    pub fn shifted(self, n: usize) -> Span {
        Span {
            line: self.line,
            col: self.col + n,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar's text; `plain` is false when it was quoted or a block scalar, which
    /// decides whether `true` means a boolean or the word.
    Scalar {
        text: String,
        plain: bool,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Keys keep their own positions so an unknown key can be pointed at.
    Map(Vec<(Node, Node)>),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
    pub fn is_quoted(&self) -> bool {
        matches!(self.kind, NodeKind::Scalar { quoted: true, .. })
    }
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Scalar {
                text, plain: true, ..
            } => match text.as_str() {
                "true" | "True" | "TRUE" | "yes" | "on" => Some(true),
                "false" | "False" | "FALSE" | "no" | "off" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
    /// What a person would call this node's type in an error message.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.as_bool().is_some() => "a boolean",
            NodeKind::Scalar { .. } => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
            NodeKind::Null => "nothing (null)",
        }
    }
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
}

/// The lines of a text as YAML counts them: `\r\n`, `\n` and a lone `\r` all end one.
pub fn lines(source: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push(&source[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&source[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < source.len() {
        out.push(&source[start..]);
    }
    out
}

/// A YAML syntax error with the place the scanner stopped.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// What to do, where it is not the usual advice about indentation and quotes.
    pub help: Option<&'static str>,
}

/// Nodes a document may have once its aliases are expanded: a runbook has hundreds; an
/// alias bomb (each alias doubling the last) has billions.
pub const MAX_NODES: usize = 200_000;
/// Bytes of scalar text a document may hold once its aliases are expanded. Counting nodes
/// alone lets a few aliases of one long scalar through: an 871 KB file aliasing a 400 KB
/// scalar 112k times is 112k nodes but 45 GB. Four times the largest file read.
pub const MAX_EXPANDED_BYTES: usize = 4 * 1024 * 1024;
/// Collections nested in one another.
pub const MAX_DEPTH: usize = 100;

/// Parses one YAML document into a marked tree. An empty document is `Null`. A second
/// document, more than `MAX_NODES` nodes after aliases, or collections nested deeper than
/// `MAX_DEPTH` are errors at their place.
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(source);
    parser.load(&mut builder, true).map_err(|e| {
        // The scanner's own bound on nesting, met before ours in flow collections.
        let too_deep = e.info().contains("recursion limit");
        SyntaxError {
            span: Span::from_marker(e.marker()),
            message: if too_deep {
                "collections are nested too deep here".into()
            } else {
                e.info().to_string()
            },
            help: too_deep.then_some(
                "flatten the nesting: a group of groups rarely needs more than a few levels",
            ),
        }
    })?;
    if let Some(err) = builder.error {
        return Err(err);
    }
    Ok(builder.root.unwrap_or(Node {
        kind: NodeKind::Null,
        span: Span { line: 1, col: 1 },
    }))
}

enum Frame {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<(Node, Node)>, Option<Node>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    /// Anchored nodes with their sizes in nodes and in bytes of scalar text.
    anchors: HashMap<usize, (Node, usize, usize)>,
    pending_anchor: Vec<usize>,
    error: Option<SyntaxError>,
    /// Nodes so far, aliases counted as the nodes they expand to.
    nodes: usize,
    /// Bytes of scalar text so far, aliases counted as the text they expand to.
    bytes: usize,
    documents: usize,
}

/// How many nodes `n` holds, itself included.
fn size(n: &Node) -> usize {
    1 + match &n.kind {
        NodeKind::Seq(items) => items.iter().map(size).sum(),
        NodeKind::Map(entries) => entries.iter().map(|(k, v)| size(k) + size(v)).sum(),
        _ => 0,
    }
}

/// How many bytes of scalar text `n` holds.
fn text_bytes(n: &Node) -> usize {
    match &n.kind {
        NodeKind::Scalar { text, .. } => text.len(),
        NodeKind::Seq(items) => items.iter().map(text_bytes).sum(),
        NodeKind::Map(entries) => entries
            .iter()
            .map(|(k, v)| text_bytes(k) + text_bytes(v))
            .sum(),
        NodeKind::Null => 0,
    }
}

impl Builder {
    fn fail(&mut self, span: Span, message: String, help: &'static str) {
        if self.error.is_none() {
            self.error = Some(SyntaxError {
                span,
                message,
                help: Some(help),
            });
        }
    }
    /// Counts `bytes` more bytes of text; false (and an error) past the limit.
    fn grow_text(&mut self, bytes: usize, span: Span, why: &str) -> bool {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_EXPANDED_BYTES {
            self.fail(
                span,
                format!(
                    "the document grows past {} MiB of text{}{why}",
                    MAX_EXPANDED_BYTES / 1024 / 1024,
                    if why.is_empty() { "" } else { " " }
                ),
                "an alias (*name) repeats what its anchor (&name) holds; a runbook has no use for that much text: write what you mean once",
            );
            return false;
        }
        true
    }
    /// Counts `n` more nodes; false (and an error) past the limit.
    fn grow(&mut self, n: usize, span: Span, why: &str) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            if why.is_empty() {
                self.fail(
                    span,
                    format!("the document grows past {MAX_NODES} nodes"),
                    "split the runbook: put parts of it in runbooks of their own and `include:` them",
                );
            } else {
                self.fail(
                    span,
                    format!("the document grows past {MAX_NODES} nodes {why} (an alias bomb?)"),
                    "an alias (*name) repeats what its anchor (&name) holds; write the steps out instead of multiplying them",
                );
            }
            return false;
        }
        true
    }
    fn push_value(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            let (n, bytes) = (size(&node), text_bytes(&node));
            self.anchors.insert(anchor, (node.clone(), n, bytes));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Some(name) = k.as_str() {
                        if entries.iter().any(|(e, _)| e.as_str() == Some(name))
                            && self.error.is_none()
                        {
                            self.error = Some(SyntaxError {
                                span: k.span,
                                message: format!("duplicate key `{name}` in this mapping"),
                                help: Some("a key appears once in a mapping: remove one of the two, or, if they belong to different steps, start the second step with `- `"),
                            });
                        }
                    }
                    entries.push((k, node))
                }
            },
        }
    }
}

/// YAML's core `str` tag (`!!str`), however the parser spells its handle.
fn is_str_tag(tag: &yaml_rust2::parser::Tag) -> bool {
    tag.suffix == "str" && (tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:")
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let span = Span::from_marker(&mark);
        // After the first error nothing more is built: the error is what is reported.
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(
                        span,
                        "a second YAML document begins here; a runbook is one document".into(),
                        "remove this `---` and what follows, or move it into a runbook of its own",
                    );
                }
            }
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
                if !self.grow(1, span, "") => {}
            Event::SequenceStart(..) | Event::MappingStart(..) if self.stack.len() >= MAX_DEPTH => {
                self.fail(
                    span,
                    format!("collections are nested more than {MAX_DEPTH} deep here"),
                    "flatten the nesting: a group of groups rarely needs more than a few levels",
                );
            }
            Event::Scalar(ref text, ..) if !self.grow_text(text.len(), span, "") => {}
            Event::Scalar(_, _, _, Some(ref tag))
            | Event::SequenceStart(_, Some(ref tag))
            | Event::MappingStart(_, Some(ref tag))
                if !is_str_tag(tag) =>
            {
                // A tag would change what a value means (`!!binary` decoded, `!!int` a
                // number) or nothing at all (`!custom`): either way not what it says.
                self.fail(
                    span,
                    format!(
                        "a YAML tag (`{}`) here; runbook values carry none",
                        crate::printable::printable(&format!("{}{}", tag.handle, tag.suffix))
                    ),
                    "remove the tag; quote the value if it must stay text",
                );
            }
            Event::Scalar(text, style, anchor, tag) => {
                // `!!str` says "text", as quotes do.
                let plain = style == TScalarStyle::Plain && tag.is_none();
                let quoted = tag.is_some()
                    || matches!(
                        style,
                        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                    );
                let kind = if plain && (text.is_empty() || text == "~" || text == "null") {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar {
                        text,
                        plain,
                        quoted,
                    }
                };
                self.push_value(Node { kind, span }, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                self.pending_anchor.push(anchor);
                self.stack.push(Frame::Seq(span, Vec::new()));
            }
            Event::MappingStart(anchor, _) => {
                self.pending_anchor.push(anchor);
                self.stack.push(Frame::Map(span, Vec::new(), None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let anchor = self.pending_anchor.pop().unwrap_or(0);
                // A block collection's start mark sits after its first key, so it is
                // placed at its first entry instead: where a reader sees it begin.
                let node = match self.stack.pop() {
                    Some(Frame::Seq(span, items)) => {
                        let span = items
                            .first()
                            .map(|i| i.span)
                            .filter(|s| (s.line, s.col) < (span.line, span.col))
                            .unwrap_or(span);
                        Node {
                            kind: NodeKind::Seq(items),
                            span,
                        }
                    }
                    Some(Frame::Map(span, entries, _)) => {
                        let span = entries
                            .first()
                            .map(|(k, _)| k.span)
                            .filter(|s| (s.line, s.col) < (span.line, span.col))
                            .unwrap_or(span);
                        Node {
                            kind: NodeKind::Map(entries),
                            span,
                        }
                    }
                    None => return,
                };
                self.push_value(node, anchor);
            }
            Event::Alias(id) => {
                // Sizes first: the node is copied only once it is known to fit.
                let (n, bytes) = self
                    .anchors
                    .get(&id)
                    .map_or((1, 0), |(_, n, bytes)| (*n, *bytes));
                if self.grow(n, span, "as its aliases expand")
                    && self.grow_text(bytes, span, "as its aliases expand")
                {
                    let node = self.anchors.get(&id).map_or(
                        Node {
                            kind: NodeKind::Null,
                            span,
                        },
                        |(node, ..)| node.clone(),
                    );
                    self.push_value(Node { span, ..node }, 0);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let n = parse("a: 1\nsteps:\n  - click: New\n").unwrap();
        let steps = n.get("steps").unwrap().as_seq().unwrap();
        let (k, v) = &steps[0].as_map().unwrap()[0];
        assert_eq!(k.span, Span { line: 3, col: 5 });
        assert_eq!(v.span, Span { line: 3, col: 12 });
    }

    #[test]
    fn lines_end_as_yaml_ends_them() {
        assert_eq!(lines("a\r\nb\rc\nd"), vec!["a", "b", "c", "d"]);
        assert_eq!(lines("a\n"), vec!["a"]);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.span.line, 2);
        assert!(e.message.contains("duplicate key `a`"));
        assert!(e.help.is_some_and(|h| h.contains("appears once")), "{e:?}");
    }

    #[test]
    fn tags_are_refused_at_their_place_but_str_which_says_text() {
        for doc in [
            "steps:\n  - click: !!binary aGVsbG8=\n",
            "steps:\n  - click: !custom New\n",
            "steps:\n  - !!map { click: New }\n",
            "steps: !!seq\n  - click: New\n",
        ] {
            let e = parse(doc).unwrap_err();
            assert!(e.message.contains("a YAML tag"), "{doc}: {e:?}");
            assert!(e.span.line >= 1, "{e:?}");
        }
        let n = parse("a: !!str 123\n").unwrap();
        assert!(
            matches!(&n.get("a").unwrap().kind, NodeKind::Scalar { text, quoted: true, .. } if text == "123"),
            "{n:?}"
        );
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let e = parse("steps:\n  - click: [New\n").unwrap_err();
        assert!(e.span.line >= 2, "{e:?}");
    }

    #[test]
    fn bombs_and_second_documents_are_refused_at_their_place() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
        }
        let started = std::time::Instant::now();
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{e:?}");
        assert!(e.span.line >= 5, "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let flow = "a: ".to_string() + &"[".repeat(5000) + &"]".repeat(5000) + "\n";
        assert!(parse(&flow).is_err(), "the scanner's own limit");
        let block: String = (0..500).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let e = parse(&block).unwrap_err();
        assert!(e.message.contains("nested more than"), "{e:?}");
        assert_eq!(e.span.line, MAX_DEPTH + 1);
        let e = parse("steps: []\n---\nsteps: []\n").unwrap_err();
        assert_eq!(e.span.line, 2);
        assert!(e.message.contains("second YAML document"), "{e:?}");
        assert!(
            parse("---\nsteps: []\n").is_ok(),
            "one document with its marker"
        );
    }

    #[test]
    fn a_long_scalar_aliased_many_times_is_refused_by_its_bytes() {
        // Few nodes, many bytes: a 100 KB scalar repeated 1000 times is 100 MB.
        let mut doc = format!("big: &big \"{}\"\nlist:\n", "x".repeat(100 * 1024));
        for _ in 0..1000 {
            doc.push_str("  - *big\n");
        }
        let started = std::time::Instant::now();
        let e = parse(&doc).unwrap_err();
        assert!(e.message.contains("MiB"), "{e:?}");
        assert!(e.span.line > 3 && e.span.line < 3 + 1000, "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn the_issue_s_aliased_scalar_ends_quickly() {
        // The issue's case: an 871 KB file aliasing a 400 KB scalar 112k times.
        let mut doc = format!("big: &big \"{}\"\nlist: [", "x".repeat(400 * 1024));
        doc.push_str(&"*big, ".repeat(112_000));
        doc.push_str("]\n");
        let started = std::time::Instant::now();
        let e = parse(&doc).unwrap_err();
        assert!(e.message.contains("MiB"), "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
    }

    #[test]
    fn quoted_true_is_a_string() {
        let n = parse("a: 'true'\nb: true\n").unwrap();
        assert_eq!(n.get("a").unwrap().as_bool(), None);
        assert_eq!(n.get("b").unwrap().as_bool(), Some(true));
    }
}
