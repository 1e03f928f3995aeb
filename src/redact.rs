//! The secret values of a run and every form they take in what the tool writes. A leaf:
//! the runner, the logs and the reports all redact with it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// The shortest secret the redactor accepts. Shorter values would blank out ordinary
/// words everywhere, so a secret that short is refused where it is registered rather than
/// left unredacted.
pub const MIN_SECRET_CHARS: usize = 3;

/// A secret too short to be told apart from ordinary text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretTooShort {
    pub chars: usize,
}

impl std::fmt::Display for SecretTooShort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a secret value is {} character{} long: a secret under {MIN_SECRET_CHARS} characters cannot be told apart from ordinary text, so it could not be redacted from logs and reports",
            self.chars,
            if self.chars == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for SecretTooShort {}

/// The secret values of a run. Shared by the runner, the logs and the reports, so a
/// secret captured mid-run is redacted from then on everywhere.
#[derive(Clone, Default, Debug)]
pub struct Redactor {
    /// Longest first, so a secret holding another is redacted whole.
    secrets: Arc<RwLock<Vec<Vec<char>>>>,
}

/// How many encodings may be nested in one another: a page source (HTML) inside a JSON
/// report inside a JSON log line is three.
const LAYERS: u8 = 3;

/// The longest a numeric escape may run (`&#x0001F600;` has leading zeros).
const MAX_DIGITS: usize = 10;

/// Named character references the writers we meet produce (escapers emit only these; a
/// page source keeps the page's own, which are these in practice). The ones marked
/// legacy are decoded by HTML without their `;` too.
const ENTITIES: &[(&str, char, bool)] = &[
    ("lt", '<', true),
    ("gt", '>', true),
    ("amp", '&', true),
    ("quot", '"', true),
    ("apos", '\'', false),
    ("nbsp", '\u{a0}', true),
    ("sol", '/', false),
    ("bsol", '\\', false),
    ("grave", '`', false),
    ("equals", '=', false),
    ("colon", ':', false),
    ("semi", ';', false),
    ("num", '#', false),
    ("percnt", '%', false),
    ("plus", '+', false),
    ("excl", '!', false),
    ("lpar", '(', false),
    ("rpar", ')', false),
    ("lsqb", '[', false),
    ("rsqb", ']', false),
    ("lcub", '{', false),
    ("rcub", '}', false),
    ("Tab", '\t', false),
    ("NewLine", '\n', false),
];

/// Reads a text every way a writer may have encoded it. At a byte offset, [`Reader::units`]
/// answers each character a decoder could read there with the offset where it ends: the
/// character itself, and at layer n also every escape whose own characters are read at
/// layer n-1 (so `\u0026lt;`, JSON holding an HTML entity, reads as `<`). A secret is then
/// matched over these characters, not over a list of its encodings, so every escape a
/// decoder knows counts, in any case and mixed within one secret.
struct Reader<'a> {
    text: &'a str,
    memo: Vec<HashMap<usize, Vec<(char, usize)>>>,
}

type Units = Vec<(char, usize)>;

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            memo: vec![HashMap::new(); LAYERS as usize + 1],
        }
    }

    fn units(&mut self, at: usize, layer: u8) -> Units {
        let mut out: Units = self.text[at..]
            .chars()
            .next()
            .map(|c| vec![(c, at + c.len_utf8())])
            .unwrap_or_default();
        // Every escape starts with one of these, in whatever layer below it was written,
        // since each of them escapes to a form starting with one of them again.
        let starts_escape = matches!(
            self.text.as_bytes().get(at),
            Some(b'\\' | b'&' | b'%' | b'+')
        );
        if layer == 0 || !starts_escape {
            return out;
        }
        if let Some(u) = self.memo[layer as usize].get(&at) {
            return u.clone();
        }
        let below = layer - 1;
        let mut percent = false;
        for (c, next) in self.units(at, below) {
            match c {
                '\\' => self.backslash(next, below, &mut out),
                '&' => self.reference(next, below, &mut out),
                '%' => percent = true,
                // A form-encoded space.
                '+' => out.push((' ', next)),
                _ => {}
            }
        }
        if percent {
            self.percent(at, below, &mut out);
        }
        out.extend(self.units(at, below));
        out.sort_unstable();
        out.dedup();
        self.memo[layer as usize].insert(at, out.clone());
        out
    }

    /// Where reading `want` from each of `from` leads.
    fn lit(&mut self, from: &[usize], layer: u8, want: char) -> Vec<usize> {
        let mut out = Vec::new();
        for &p in from {
            for (c, next) in self.units(p, layer) {
                if c == want {
                    out.push(next);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Digits in `radix`, between `min` and `max` of them, read as far as they go (as a
    /// decoder does), with the value each path read.
    fn digits(
        &mut self,
        from: usize,
        layer: u8,
        radix: u32,
        min: usize,
        max: usize,
    ) -> Vec<(u32, usize)> {
        let mut done = Vec::new();
        let mut live = vec![(0u32, from)];
        for n in 0..=max {
            let mut next = Vec::new();
            for &(v, p) in &live {
                let mut extended = false;
                if n < max {
                    for (c, q) in self.units(p, layer) {
                        if let Some(d) = c.to_digit(radix) {
                            extended = true;
                            next.push((v.saturating_mul(radix).saturating_add(d), q));
                        }
                    }
                }
                if !extended && n >= min {
                    done.push((v, p));
                }
            }
            next.sort_unstable();
            next.dedup();
            live = next;
            if live.is_empty() {
                break;
            }
        }
        done
    }

    /// After a backslash: JSON's, JavaScript's and Rust's string escapes.
    fn backslash(&mut self, at: usize, layer: u8, out: &mut Units) {
        for (c, next) in self.units(at, layer) {
            let simple = match c {
                '"' | '\\' | '/' | '\'' | '`' => Some(c),
                'n' => Some('\n'),
                'r' => Some('\r'),
                't' => Some('\t'),
                'b' => Some('\u{8}'),
                'f' => Some('\u{c}'),
                'v' => Some('\u{b}'),
                '0' => Some('\0'),
                _ => None,
            };
            if let Some(s) = simple {
                out.push((s, next));
            }
            match c {
                'x' => {
                    for (v, end) in self.digits(next, layer, 16, 2, 2) {
                        push_code(out, v, end);
                    }
                }
                'u' => {
                    // \u{1F600} (Rust, JavaScript)
                    for open in self.lit(&[next], layer, '{') {
                        for (v, p) in self.digits(open, layer, 16, 1, 6) {
                            for end in self.lit(&[p], layer, '}') {
                                push_code(out, v, end);
                            }
                        }
                    }
                    // \u003C, and a surrogate pair \uD83D\uDE00 (JSON)
                    for (hi, p) in self.digits(next, layer, 16, 4, 4) {
                        if (0xD800..0xDC00).contains(&hi) {
                            let slash = self.lit(&[p], layer, '\\');
                            let u = self.lit(&slash, layer, 'u');
                            for q in u {
                                for (lo, end) in self.digits(q, layer, 16, 4, 4) {
                                    if (0xDC00..0xE000).contains(&lo) {
                                        push_code(
                                            out,
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                            end,
                                        );
                                    }
                                }
                            }
                        } else {
                            push_code(out, hi, p);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// After an ampersand: HTML's numeric and named character references.
    fn reference(&mut self, at: usize, layer: u8, out: &mut Units) {
        for hash in self.lit(&[at], layer, '#') {
            let mut numbers = self.digits(hash, layer, 10, 1, MAX_DIGITS);
            for x in [self.lit(&[hash], layer, 'x'), self.lit(&[hash], layer, 'X')].concat() {
                numbers.extend(self.digits(x, layer, 16, 1, MAX_DIGITS));
            }
            for (v, p) in numbers {
                // HTML reads a numeric reference without its `;` too.
                push_code(out, v, p);
                for end in self.lit(&[p], layer, ';') {
                    push_code(out, v, end);
                }
            }
        }
        let next: Vec<char> = self.units(at, layer).iter().map(|u| u.0).collect();
        for &(name, c, legacy) in ENTITIES {
            if !name.starts_with(|f| next.contains(&f)) {
                continue;
            }
            let mut at_ = vec![at];
            for n in name.chars() {
                at_ = self.lit(&at_, layer, n);
            }
            if legacy {
                out.extend(at_.iter().map(|&p| (c, p)));
            }
            for end in self.lit(&at_, layer, ';') {
                out.push((c, end));
            }
        }
    }

    /// Percent-encoding: one character as the `%XX` of each of its UTF-8 bytes.
    fn percent(&mut self, at: usize, layer: u8, out: &mut Units) {
        // Paths of (bytes so far, where they end), each starting at a `%`.
        let mut live: Vec<(Vec<u8>, usize)> = vec![(Vec::new(), at)];
        for _ in 0..4 {
            let mut next = Vec::new();
            for (bytes, p) in &live {
                for q in self.lit(&[*p], layer, '%') {
                    for (v, end) in self.digits(q, layer, 16, 2, 2) {
                        let mut b = bytes.clone();
                        b.push(v as u8);
                        match std::str::from_utf8(&b) {
                            Ok(s) => out.extend(s.chars().next().map(|c| (c, end))),
                            Err(e) if e.error_len().is_none() => next.push((b, end)),
                            Err(_) => {}
                        }
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            live = next;
        }
    }
}

fn push_code(out: &mut Units, code: u32, end: usize) {
    if let Some(c) = char::from_u32(code) {
        out.push((c, end));
    }
}

impl Redactor {
    /// Registers a secret: from now on it is redacted, in every encoding, from whatever
    /// the tool writes. One under [`MIN_SECRET_CHARS`] characters is refused, and the
    /// caller says so to the user: it would otherwise be left in clear.
    pub fn add(&self, secret: &str) -> Result<(), SecretTooShort> {
        let chars: Vec<char> = secret.chars().collect();
        if chars.len() < MIN_SECRET_CHARS {
            return Err(SecretTooShort { chars: chars.len() });
        }
        if let Ok(mut s) = self.secrets.write() {
            if !s.contains(&chars) {
                s.push(chars);
                s.sort_by_key(|x| std::cmp::Reverse(x.len()));
            }
        }
        Ok(())
    }

    /// `text` with every secret replaced by `***`, in whatever encoding (or nesting of
    /// encodings) it was written: each secret is matched over the characters a decoder
    /// would read, and the bytes that encoded it are replaced.
    pub fn redact(&self, text: &str) -> String {
        let Ok(secrets) = self.secrets.read() else {
            return text.to_string();
        };
        if secrets.is_empty() {
            return text.to_string();
        }
        let firsts: Vec<char> = secrets.iter().filter_map(|s| s.first().copied()).collect();
        let mut reader = Reader::new(text);
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        while at < text.len() {
            let c = text[at..].chars().next().unwrap_or('\0');
            let may_start = firsts.contains(&c) || matches!(bytes[at], b'\\' | b'&' | b'%' | b'+');
            let end = if may_start {
                secrets.iter().find_map(|s| match_at(&mut reader, at, s))
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.push_str(&text[copied..at]);
                    out.push_str("***");
                    copied = end;
                    at = end;
                }
                None => at += c.len_utf8(),
            }
        }
        out.push_str(&text[copied..]);
        out
    }

    pub fn values(&self) -> Vec<String> {
        self.secrets
            .read()
            .map(|s| s.iter().map(|c| c.iter().collect()).collect())
            .unwrap_or_default()
    }
    pub fn is_empty(&self) -> bool {
        self.secrets.read().map(|s| s.is_empty()).unwrap_or(true)
    }
}

/// Where the secret ends when its characters, as a decoder reads them, start at `at`;
/// the longest reading when several do.
fn match_at(reader: &mut Reader, at: usize, secret: &[char]) -> Option<usize> {
    let mut live = vec![at];
    for &want in secret {
        let mut next = Vec::new();
        for &p in &live {
            for (c, q) in reader.units(p, LAYERS) {
                if c == want {
                    next.push(q);
                }
            }
        }
        if next.is_empty() {
            return None;
        }
        next.sort_unstable();
        next.dedup();
        live = next;
    }
    live.last().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn redacts_longest_first_and_refuses_tiny_values() {
        let r = Redactor::default();
        r.add("abc").unwrap();
        r.add("abcdef").unwrap();
        let err = r.add("x").unwrap_err();
        assert!(err.to_string().contains("under 3 characters"), "{err}");
        assert_eq!(
            r.redact("key=abcdef; other=abc; x"),
            "key=***; other=***; x"
        );
    }
}

#[cfg(test)]
mod redactor_tests {
    use super::*;

    #[test]
    fn a_secret_is_redacted_in_every_written_form() {
        let r = Redactor::default();
        r.add("a\"b<c&d'e f").unwrap();
        for text in [
            "raw a\"b<c&d'e f end",
            "html a&quot;b&lt;c&amp;d&#39;e f end",
            "html a&quot;b&lt;c&amp;d&#x27;e f end",
            "json a\\\"b<c&d'e f end",
            "url a%22b%3Cc%26d%27e+f end",
            "url a%22b%3Cc%26d%27e%20f end",
        ] {
            let out = r.redact(text);
            assert!(out.ends_with("*** end"), "{text} -> {out}");
        }
        assert_eq!(r.values(), vec!["a\"b<c&d'e f".to_string()]);
    }
}

#[cfg(test)]
mod decoding_tests {
    use super::*;

    fn redacted(secret: &str, text: &str) -> String {
        let r = Redactor::default();
        r.add(secret).unwrap();
        r.redact(text)
    }

    #[test]
    fn chromium_console_escapes_are_decoded() {
        // Chromium's console log writes `<`, `>` and `&` as \u003C, \u003E, \u0026.
        let s = "pa<ss&w>rd\"x\\y";
        for text in [
            r#"msg "pa\u003Css\u0026w\u003Erd\"x\\y" end"#,
            r#"msg "pa\u003css\u0026w\u003erd\u0022x\u005Cy" end"#,
            r#"msg "pa\x3css\x26w\x3erd\"x\\y" end"#,
            r#"msg "pa\u{3c}ss\u{26}w\u{3e}rd\"x\\y" end"#,
        ] {
            let out = redacted(s, text);
            assert_eq!(out, "msg \"***\" end", "{text}");
        }
    }

    #[test]
    fn html_entities_and_numeric_references_are_decoded() {
        let s = "pa<ss&w'rd";
        for text in [
            "<p>pa&lt;ss&amp;w&apos;rd</p>",
            "<p>pa&#60;ss&#38;w&#39;rd</p>",
            "<p>pa&#060;ss&#x26;w&#X27;rd</p>",
            "<p>pa&#x3c;ss&#x00026;w&#x27rd</p>",
            "<p>pa&lt;ss&amp;w'rd</p>",
        ] {
            assert_eq!(redacted(s, text), "<p>***</p>", "{text}");
        }
    }

    #[test]
    fn url_encoding_in_either_case_and_multibyte() {
        let s = "pä ss<";
        for text in [
            "u=p%C3%A4+ss%3C&x",
            "u=p%c3%a4%20ss%3c&x",
            r"u=p\u00e4 ss\u003c&x",
        ] {
            assert_eq!(redacted(s, text), "u=***&x", "{text}");
        }
    }

    #[test]
    fn forms_nested_in_one_another_are_decoded() {
        // A page source (HTML) inside a JSON report, and JSON inside JSON.
        let s = "a<b&c";
        for (text, want) in [
            (r#"{"src":"a\u0026lt;b\u0026amp;c"}"#, r#"{"src":"***"}"#),
            (r#"{"log":"a\\u003Cb\\u0026c"}"#, r#"{"log":"***"}"#),
            (r#"{"u":"a%253Cb%2526c"}"#, r#"{"u":"***"}"#),
        ] {
            assert_eq!(redacted(s, text), want, "{text}");
        }
    }

    #[test]
    fn non_bmp_characters_as_surrogate_pairs() {
        assert_eq!(redacted("k\u{1F600}ey", r"x k\ud83d\ude00ey y"), "x *** y");
        assert_eq!(redacted("k\u{1F600}ey", "x k&#128512;ey y"), "x *** y");
    }

    #[test]
    fn text_without_the_secret_is_left_as_it_was() {
        let text = r#"a\u003C &lt; &#60; %3C + \\ \" &amp;amp; & &# &#x; \u12"#;
        assert_eq!(redacted("zzz<", text), text);
        // A near miss is not redacted.
        assert_eq!(
            redacted("pa<ss", "pa&lt;sx pa\\u003Dss"),
            "pa&lt;sx pa\\u003Dss"
        );
    }

    #[test]
    fn large_text_full_of_escape_starts_is_quick() {
        // A page source has a few thousand of these; this is far more.
        let text = "\\&%+".repeat(25_000);
        let t = std::time::Instant::now();
        let out = redacted("secret<", &text);
        assert_eq!(out.len(), text.len());
        assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    }
}
