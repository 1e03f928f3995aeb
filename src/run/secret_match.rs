//! Where a text shows a secret, as it is drawn rather than as the DOM spells it: the
//! judge of the texts a picture's look answers (see `picture.rs`). Both the text and
//! each secret are folded the same way before they are compared: characters that draw
//! nothing and white space are passed over, letters and digits are taken by their
//! compatibility form and their confusable skeleton (Unicode's UTS #39: a Cyrillic "а"
//! is an "a", a full-width or mathematical "𝗔" an "A", a non-breaking hyphen a "-"),
//! combining marks are dropped and case is folded. Covering more than the secret is the
//! safe way to be wrong.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Where each secret shows in `text`, as UTF-16 offsets (what the page's ranges count).
/// Matched as it is drawn, not as the DOM spells it: characters that draw nothing (a
/// zero-width space or joiner, a soft hyphen, bidi marks) and white space between the
/// secret's characters are passed over (a page may put them there, or pretty-printed
/// markup between two elements), letters are matched in either case (a page may show
/// the secret lower-cased), and each secret is matched backwards too (a bidi override
/// or a right-to-left line draws the characters the DOM holds in reverse; the engine
/// reads a line's pieces left to right). Covering more than the secret is the safe way
/// to be wrong.
#[cfg(test)]
fn secret_ranges(text: &str, secrets: &[String]) -> Vec<(usize, usize)> {
    Judge::new(secrets).whole(&drawn_chars(text))
}

/// The secrets the texts of one look are judged against, each folded once, forwards
/// and, unless it reads the same, backwards.
pub(super) struct Judge {
    wanted: Vec<Vec<char>>,
}

impl Judge {
    pub(super) fn new(secrets: &[String]) -> Judge {
        let mut wanted = Vec::new();
        for s in secrets {
            let forwards: Vec<char> = drawn_chars(s).into_iter().map(|(c, _, _)| c).collect();
            if forwards.is_empty() {
                continue;
            }
            let backwards: Vec<char> = forwards.iter().rev().copied().collect();
            if backwards != forwards {
                wanted.push(backwards);
            }
            wanted.push(forwards);
        }
        Judge { wanted }
    }

    /// Where in `text` a secret shows (see `secret_ranges`), also in the order a
    /// right-to-left or left-to-right paragraph draws its characters where the text has
    /// right-to-left letters or bidi controls, and a part of one beside a frame's edge
    /// (see `parts_at_frame_edges`).
    pub(super) fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let drawn = drawn_chars(text);
        let mut out = self.whole(&drawn);
        for order in visual_orders(text) {
            out.extend(self.whole(&order));
        }
        if text.contains(FRAME_EDGE) {
            out.extend(self.edge_parts(&drawn));
        }
        out
    }

    /// Whether `text` shows a secret whole.
    pub(super) fn shows(&self, text: &str) -> bool {
        !self.whole(&drawn_chars(text)).is_empty()
            || visual_orders(text)
                .iter()
                .any(|o| !self.whole(o).is_empty())
    }

    fn whole(&self, drawn: &[(char, usize, usize)]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for want in &self.wanted {
            if want.len() > drawn.len() {
                continue;
            }
            let mut i = 0;
            while i + want.len() <= drawn.len() {
                let window = &drawn[i..i + want.len()];
                if window.iter().zip(want).all(|((c, _, _), w)| c == w) {
                    // In a visual order the characters' places need not rise.
                    let start = window.iter().map(|d| d.1).min().unwrap_or(0);
                    let end = window.iter().map(|d| d.2).max().unwrap_or(0);
                    out.push((start, end));
                    i += want.len();
                } else {
                    i += 1;
                }
            }
        }
        out
    }

    fn edge_parts(&self, drawn: &[(char, usize, usize)]) -> Vec<(usize, usize)> {
        let edges: Vec<usize> = (0..drawn.len())
            .filter(|&j| drawn[j].0 == FRAME_EDGE)
            .collect();
        if edges.is_empty() {
            return Vec::new();
        }
        let same = |a: &[(char, usize, usize)], b: &[char]| {
            a.len() == b.len() && a.iter().zip(b).all(|((c, _, _), w)| c == w)
        };
        let span = |a: &[(char, usize, usize)]| (a[0].1, a[a.len() - 1].2);
        let mut out = Vec::new();
        for want in &self.wanted {
            let n = want.len();
            if n <= EDGE_PART_MIN {
                continue;
            }
            for (e, &j) in edges.iter().enumerate() {
                // Before the edge: the longest end of the text that begins the secret.
                let before = &drawn[edges.get(e.wrapping_sub(1)).map_or(0, |p| p + 1)..j];
                if let Some(k) = (EDGE_PART_MIN..n.min(before.len() + 1))
                    .rev()
                    .find(|&k| same(&before[before.len() - k..], &want[..k]))
                {
                    out.push(span(&before[before.len() - k..]));
                }
                // After it: the longest start that ends the secret.
                let next = edges.get(e + 1).copied().unwrap_or(drawn.len());
                let after = &drawn[j + 1..next];
                if let Some(k) = (EDGE_PART_MIN..n.min(after.len() + 1))
                    .rev()
                    .find(|&k| same(&after[..k], &want[n - k..]))
                {
                    out.push(span(&after[..k]));
                }
                // Between two edges: a middle part.
                if edges.get(e + 1).is_some()
                    && after.len() >= EDGE_PART_MIN
                    && after.len() < n
                    && want.windows(after.len()).any(|w| same(after, w))
                {
                    out.push(span(after));
                }
            }
        }
        out
    }
}

/// Where a frame is drawn in a text, and the two ends of a frame's whole text (the
/// engine's FRAME_EDGE).
const FRAME_EDGE: char = '\u{FFFC}';
/// The fewest characters of a secret covered as a part of it at a frame's edge.
const EDGE_PART_MIN: usize = 3;

/// Where, beside a frame's edge in `text`, part of a secret shows: the end of the text
/// before an edge that begins a secret, the start of the text after one that ends it, and
/// the whole text between two edges that is inside one. A page may draw a secret's halves
/// in two frames, or one beside a frame and one in it: neither document's text then holds
/// the whole secret. Matched as `secret_ranges` matches (drawn, case-folded, backwards
/// too), from `EDGE_PART_MIN` characters on.
#[cfg(test)]
fn parts_at_frame_edges(text: &str, secrets: &[String]) -> Vec<(usize, usize)> {
    Judge::new(secrets).edge_parts(&drawn_chars(text))
}

/// The characters of `text` that draw something, folded (see the module's head), each
/// with the UTF-16 start and end in `text` of the character it comes from (a character
/// may fold to more than one: a ligature, a letter confusable with two).
pub(super) fn drawn_chars(text: &str) -> Vec<(char, usize, usize)> {
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    for c in text.chars() {
        let end = at + c.len_utf16();
        if !draws_nothing(c) {
            let before = out.len();
            fold(c, |f| out.push((f, at, end)));
            // A combining mark is drawn on the character before it: its range grows.
            if out.len() == before {
                if let Some(last) = out.last_mut().filter(|l| l.2 == at) {
                    last.2 = end;
                }
            }
        }
        at = end;
    }
    out
}

/// The characters of `text` folded (as `drawn_chars`) in the order the Unicode
/// Bidirectional Algorithm draws them, in a left-to-right and in a right-to-left
/// paragraph (the text's own direction is the page's to say): none where the text has
/// no right-to-left letter and no bidi control, whose order is then the DOM's.
fn visual_orders(text: &str) -> Vec<Vec<(char, usize, usize)>> {
    use unicode_bidi::{bidi_class, BidiClass::*};
    let bidi = |c: char| {
        !c.is_ascii()
            && matches!(
                bidi_class(c),
                R | AL | RLE | LRE | RLO | LRO | PDF | RLI | LRI | FSI | PDI
            )
    };
    if !text.chars().any(bidi) {
        return Vec::new();
    }
    // Each reading the engine put in the text (apart by U+0000) is a text of its own.
    let mut orders = vec![Vec::new(), Vec::new()];
    let mut at = 0;
    for (n, part) in text.split('\u{0}').enumerate() {
        if n > 0 {
            for order in orders.iter_mut() {
                order.push(('\u{0}', at, at + 1));
            }
            at += 1;
        }
        for (order, more) in orders.iter_mut().zip(visual_orders_of(part, at)) {
            order.extend(more);
        }
        at += part.encode_utf16().count();
    }
    orders
}

/// `visual_orders` of one reading, its UTF-16 offsets counted from `base`.
fn visual_orders_of(text: &str, base: usize) -> [Vec<(char, usize, usize)>; 2] {
    use unicode_bidi::{BidiInfo, Level};
    let chars: Vec<(usize, char, usize, usize)> = {
        let mut at = base;
        text.char_indices()
            .map(|(b, c)| {
                let start = at;
                at += c.len_utf16();
                (b, c, start, at)
            })
            .collect()
    };
    [Level::ltr(), Level::rtl()].map(|level| {
        let info = BidiInfo::new(text, Some(level));
        let mut order = Vec::with_capacity(chars.len());
        for para in &info.paragraphs {
            let levels = info.reordered_levels_per_char(para, para.range.clone());
            let in_para: Vec<usize> = (0..chars.len())
                .filter(|&i| para.range.contains(&chars[i].0))
                .collect();
            let para_levels: Vec<Level> = in_para.iter().map(|&i| levels[i]).collect();
            for v in BidiInfo::reorder_visual(&para_levels) {
                let (_, c, start, end) = chars[in_para[v]];
                if !draws_nothing(c) {
                    fold(c, |f| order.push((f, start, end)));
                }
            }
        }
        order
    })
}

/// How many characters of a text at the least can draw `secret`: the characters of it
/// that draw something (a page draws each of them as one character at the least, but
/// for ligatures).
pub(super) fn drawn_len(secret: &str) -> usize {
    secret.chars().filter(|c| !draws_nothing(*c)).count()
}

/// `c` as it is compared: its compatibility decomposition, each part's confusable
/// skeleton, without combining marks or what draws nothing, in lower case.
fn fold(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        ascii_folds()[c as usize].iter().for_each(|f| push(*f));
        return;
    }
    fold_slow(c, &mut push);
}

fn fold_slow(c: char, push: &mut impl FnMut(char)) {
    let mut buf = [0u8; 4];
    for d in std::iter::once(c).nfkd() {
        for e in unicode_security::skeleton(d.encode_utf8(&mut buf)) {
            if !is_combining_mark(e) && !draws_nothing(e) {
                push(lower(look_alike(e)));
            }
        }
    }
}

/// The folds of the ASCII characters, worked out once (most of a page's text is ASCII).
fn ascii_folds() -> &'static [Vec<char>] {
    static FOLDS: std::sync::OnceLock<Vec<Vec<char>>> = std::sync::OnceLock::new();
    FOLDS.get_or_init(|| {
        (0u8..128)
            .map(|b| {
                let mut out = Vec::new();
                fold_slow(b as char, &mut |f| out.push(f));
                out
            })
            .collect()
    })
}

/// A letter the skeleton keeps apart from the Latin one a reader takes it for: the kra
/// (which the Cyrillic "к" folds to) for a "k".
fn look_alike(c: char) -> char {
    match c {
        '\u{0138}' => 'k',
        _ => c,
    }
}

/// A letter in lower case, where that is one character (the offsets stay those of the
/// text's characters).
fn lower(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// White space, and the characters a browser draws as nothing: Unicode's default
/// ignorable code points (variation selectors, tags, fillers, format controls), and the
/// interlinear annotation controls U+FFF9..U+FFFB, which Chromium draws as nothing too.
fn draws_nothing(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_ranges_count_utf16_units_as_the_page_does() {
        let secrets = vec!["s3cr3t".to_string()];
        assert_eq!(secret_ranges("key: s3cr3t!", &secrets), vec![(5, 11)]);
        // "é" is one UTF-16 unit and two bytes; "𝄞" two units and four bytes.
        assert_eq!(
            secret_ranges("é𝄞s3cr3t s3cr3t", &secrets),
            vec![(3, 9), (10, 16)]
        );
        assert!(secret_ranges("nothing", &secrets).is_empty());
    }

    #[test]
    fn a_secret_is_found_as_it_is_drawn_whatever_the_dom_puts_between_its_characters() {
        let secrets = vec!["T0ken-7c1f".to_string()];
        // Zero-width space, joiner, byte-order mark and a soft hyphen: the range covers them.
        assert_eq!(
            secret_ranges("id: T0\u{200B}ken\u{200D}-7c\u{FEFF}1\u{00AD}f!", &secrets),
            vec![(4, 18)]
        );
        // A variation selector, a tag character, a deprecated format control, a Hangul
        // filler (each a default ignorable code point): the range covers them.
        assert_eq!(
            secret_ranges(
                "T0\u{FE00}ken\u{E0020}-7c\u{206A}1\u{3164}f\u{E0100}",
                &secrets
            ),
            vec![(0, 15)]
        );
        // Pretty-printed markup between two flex items: the white space is not drawn.
        assert_eq!(secret_ranges("T0ken-\n      7c1f", &secrets), vec![(0, 17)]);
        // Lower-cased by the page.
        assert_eq!(secret_ranges("t0ken-7c1f", &secrets), vec![(0, 10)]);
        // Nothing but characters that draw nothing is no secret.
        assert!(secret_ranges("\u{200B} ", &[" \u{200B}".to_string()]).is_empty());
        // Two in one text, apart.
        assert_eq!(
            secret_ranges("T0ken-7c1f T0KEN-7C1F", &secrets),
            vec![(0, 10), (11, 21)]
        );
        // Held backwards, drawn forwards by a bidi override (U+202E ... U+202C).
        assert_eq!(
            secret_ranges("\u{202E}f1c7-nek0T\u{202C}", &secrets),
            vec![(1, 11)]
        );
    }

    #[test]
    fn a_secret_is_found_in_characters_that_draw_like_its_own() {
        let secrets = vec!["T0ken-7c1f".to_string()];
        let found = |t: &str| secret_ranges(t, &secrets);
        // Full-width forms; mathematical sans-serif bold (two UTF-16 units each).
        assert_eq!(found("Ｔ０ｋｅｎ－７ｃ１ｆ"), vec![(0, 10)]);
        let math: String = "T0ken-7c1f"
            .chars()
            .map(|c| match c {
                'A'..='Z' => char::from_u32(0x1D5D4 + c as u32 - 'A' as u32).unwrap(),
                'a'..='z' => char::from_u32(0x1D5EE + c as u32 - 'a' as u32).unwrap(),
                '0'..='9' => char::from_u32(0x1D7EC + c as u32 - '0' as u32).unwrap(),
                _ => c,
            })
            .collect();
        assert_eq!(found(&math), vec![(0, 19)]);
        // A non-breaking hyphen; Cyrillic look-alikes; a combining underline on each.
        assert_eq!(found("T0ken\u{2011}7c1f"), vec![(0, 10)]);
        assert_eq!(
            found("\u{0422}0\u{043A}\u{0435}n-7\u{0441}1f"),
            vec![(0, 10)]
        );
        let underlined: String = "T0ken-7c1f".chars().flat_map(|c| [c, '\u{0332}']).collect();
        assert_eq!(found(&underlined), vec![(0, 20)]);
        // The marks the engine puts in a text stay themselves.
        assert_eq!(drawn_chars("\u{FFFC}\u{0}")[0].0, FRAME_EDGE);
        assert_eq!(drawn_chars("\u{FFFC}\u{0}")[1].0, '\u{0}');
        // Nothing else is found: other letters, digits, a shorter text.
        assert!(found("T0ken-7c1g").is_empty());
        assert!(found("T0ken-7c1").is_empty());
    }

    #[test]
    fn a_secret_is_found_in_the_order_bidi_draws_it() {
        let judge = Judge::new(&["T0ken-7c1f".to_string()]);
        // An LRO inside an RLO: the inner run stays, the outer reverses around it.
        assert!(!judge
            .ranges("\u{202E}f1c7\u{202D}T0ken-\u{202C}\u{202C}")
            .is_empty());
        // Two left-to-right runs split by an RLM in a right-to-left paragraph.
        assert!(!judge.ranges("1f\u{200F}T0ken-7c").is_empty());
        // The same after another reading of the text (the engine's U+0000 between).
        assert!(!judge
            .ranges("x\u{0}\u{202E}f1c7\u{202D}T0ken-\u{202C}\u{202C}\u{0}\u{202E}y")
            .is_empty());
        // Half of it overridden, as generated content or a field's value holds it.
        assert_eq!(judge.ranges("T0ken-\u{202E}f1c7\u{202C}"), vec![(0, 11)]);
        // No bidi at all: one order, as before.
        assert!(visual_orders("T0ken-7c1f").is_empty());
    }

    #[test]
    fn parts_of_a_secret_beside_a_frame_are_found_at_its_edges() {
        let secrets = vec!["T0ken-7c1f9e2ab4".to_string()];
        let e = FRAME_EDGE;
        // A frame's whole text: the first half, then the second half.
        assert_eq!(
            parts_at_frame_edges(&format!("{e}Hello T0ken-{e}"), &secrets),
            vec![(7, 13)]
        );
        assert_eq!(
            parts_at_frame_edges(&format!("{e}7c1f9e2ab4 bye{e}"), &secrets),
            vec![(1, 11)]
        );
        // A middle part, alone in its frame; and one beside a frame in the top document.
        assert_eq!(
            parts_at_frame_edges(&format!("{e}ken-7c{e}"), &secrets),
            vec![(1, 7)]
        );
        assert_eq!(
            parts_at_frame_edges(&format!("Key: T0ken-{e} more"), &secrets),
            vec![(5, 11)]
        );
        // Too short to be told from chance, text away from an edge, no edge at all.
        assert!(parts_at_frame_edges(&format!("{e}T0{e}"), &secrets).is_empty());
        assert!(parts_at_frame_edges(&format!("{e}T0ken- x{e}"), &secrets).is_empty());
        assert!(parts_at_frame_edges("T0ken-", &secrets).is_empty());
    }
}
