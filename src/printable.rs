//! Text from a runbook or a page, made safe to print: control characters (an ESC that
//! clears the screen, a CR that overwrites a line with a fake "PASSED") are shown escaped,
//! never sent raw to a terminal or into a report. So are the bidirectional formatting
//! characters, which reorder what a terminal shows ("Trojan Source": `Save\u{202e}lecnaC`
//! reads as something else than what it is).

use std::borrow::Cow;

/// Whether `c` would act on a terminal or break XML rather than show: C0 controls but
/// tab, DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates.
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\t')
        || ('\u{80}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character written as an escape (`\x1b`, `\r`, `\u{85}`).
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_control(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `printable`, keeping line breaks: for multi-line messages.
pub fn printable_lines(s: &str) -> String {
    s.split('\n')
        .map(|l| printable(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_is_kept() {
        assert_eq!(printable("Save"), "Save");
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(printable("x\rPASSED"), "x\\rPASSED");
        assert_eq!(printable("tab\tkept, é kept"), "tab\tkept, é kept");
        assert_eq!(printable("c1\u{9b}"), "c1\\u{9b}");
        assert_eq!(printable_lines("a\nb\u{7}"), "a\nb\\x07");
        assert_eq!(printable("Save\u{202e}lecnaC"), "Save\\u{202e}lecnaC");
        assert_eq!(printable("a\u{2066}b\u{200f}"), "a\\u{2066}b\\u{200f}");
    }
}
