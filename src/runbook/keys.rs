//! Key names a runbook may `press`, and the WebDriver code points they stand for.

pub const NAMES: &[(&str, char)] = &[
    ("Tab", '\u{E004}'),
    ("Enter", '\u{E007}'),
    ("Return", '\u{E006}'),
    ("Escape", '\u{E00C}'),
    ("Space", ' '),
    ("Backspace", '\u{E003}'),
    ("Delete", '\u{E017}'),
    ("ArrowUp", '\u{E013}'),
    ("ArrowDown", '\u{E015}'),
    ("ArrowLeft", '\u{E012}'),
    ("ArrowRight", '\u{E014}'),
    ("Home", '\u{E011}'),
    ("End", '\u{E010}'),
    ("PageUp", '\u{E00E}'),
    ("PageDown", '\u{E00F}'),
    // `+` joins a chord's keys, so the key itself needs a name.
    ("Plus", '+'),
    ("Shift", '\u{E008}'),
    ("Control", '\u{E009}'),
    ("Alt", '\u{E00A}'),
    ("Meta", '\u{E03D}'),
];

/// The WebDriver character for one key name, or a single literal character.
pub fn code(name: &str) -> Option<char> {
    if let Some((_, c)) = NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        return Some(*c);
    }
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The keys of a `Control+a`-style chord, in the order they go down.
pub fn chord_keys(chord: &str) -> Vec<char> {
    chord.split('+').filter_map(code).collect()
}

/// The keystrokes for `Control+a`-style chords: modifiers stay down until the NULL key.
pub fn sequence(chord: &str) -> String {
    let mut out: String = chord_keys(chord).into_iter().collect();
    if chord.contains('+') {
        out.push('\u{E000}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn chords_release_modifiers() {
        assert_eq!(sequence("Tab"), "\u{E004}");
        assert_eq!(sequence("Control+a"), "\u{E009}a\u{E000}");
        assert_eq!(code("tab"), Some('\u{E004}'));
        assert_eq!(code("Tabb"), None);
    }
}
