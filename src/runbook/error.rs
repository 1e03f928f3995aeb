//! Runbook errors, rendered in one place so every message has the same shape:
//! the cause, file:line:column, the source line with a caret, and a hint.

use std::fmt;

use crate::printable::printable;
use std::path::{Path, PathBuf};

use super::yaml::Span;

#[derive(Debug, Clone)]
pub struct RunbookError {
    pub path: PathBuf,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// The offending source line, copied so the error renders without the file; None
    /// for an error about the whole file (its size, its encoding).
    pub line_text: Option<String>,
}

impl RunbookError {
    pub fn new(path: &Path, source: &str, span: Span, message: impl Into<String>) -> Self {
        let line_text = super::yaml::lines(source)
            .get(span.line.saturating_sub(1))
            .copied()
            .unwrap_or("")
            .to_string();
        RunbookError {
            path: path.to_path_buf(),
            span,
            message: message.into(),
            help: None,
            line_text: Some(line_text),
        }
    }
    /// An error about the file as a whole, shown with its place but no source line.
    pub fn about_file(path: &Path, span: Span, message: impl Into<String>) -> Self {
        RunbookError {
            path: path.to_path_buf(),
            span,
            message: message.into(),
            help: None,
            line_text: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Source lines longer than this are shown as a window around the error's column.
const WIDE: usize = 100;

impl fmt::Display for RunbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let num = self.span.line.to_string();
        let pad = " ".repeat(num.len());
        writeln!(f, "error: {}", printable(&self.message))?;
        write!(
            f,
            "{pad}--> {}:{}:{}",
            printable(&self.path.display().to_string()),
            self.span.line,
            self.span.col
        )?;
        if let Some(line) = &self.line_text {
            // A very long line is shown as a window around the column.
            let chars: Vec<char> = line.chars().collect();
            let col = self.span.col.saturating_sub(1).min(chars.len());
            let (from, to) = if chars.len() > WIDE {
                let from = col.saturating_sub(WIDE / 2);
                (from, (from + WIDE).min(chars.len()))
            } else {
                (0, chars.len())
            };
            let before = if from > 0 { "…" } else { "" };
            let after = if to < chars.len() { "…" } else { "" };
            let shown: String = chars[from..to].iter().collect();
            writeln!(f)?;
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {before}{}{after}", printable(&shown))?;
            // The caret sits under the column, counting characters as the editor does (a
            // control character counts as wide as its escape).
            let lead: String = before.chars().map(|_| ' ').collect::<String>()
                + &chars[from..col.max(from)]
                    .iter()
                    .map(|&c| match c {
                        '\t' => "\t".to_string(),
                        c => " ".repeat(printable(c.encode_utf8(&mut [0; 4])).chars().count()),
                    })
                    .collect::<String>();
            write!(f, "{pad} | {lead}^")?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n{pad} = help: {h}")?;
        }
        Ok(())
    }
}

/// All errors of one load, in source order.
#[derive(Debug, Clone, Default)]
pub struct RunbookErrors(pub Vec<RunbookError>);

impl fmt::Display for RunbookErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RunbookErrors {}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lw = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lw, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1) + usize::from(c.len() > 6))
        // Ties go to the first in alphabetical order: candidates may come from a hash set,
        // and the same typo should get the same suggestion every run.
        .min_by(|(da, a), (db, b)| da.cmp(db).then_with(|| a.cmp(b)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_place_line_and_caret() {
        let src = "steps:\n  - clik: New\n";
        let e = RunbookError::new(
            Path::new("a.yaml"),
            src,
            Span { line: 2, col: 5 },
            "unknown action `clik`",
        )
        .with_help("did you mean `click`?");
        let text = e.to_string();
        assert_eq!(
            text,
            "error: unknown action `clik`\n --> a.yaml:2:5\n  |\n2 |   - clik: New\n  |     ^\n  = help: did you mean `click`?"
        );
    }

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        let words = ["click", "fill", "check", "uncheck", "wait_for"];
        assert_eq!(nearest("clik", words), Some("click"));
        assert_eq!(nearest("waitfor", words), Some("wait_for"));
        assert_eq!(nearest("teleport", words), None);
        // Equally near two: the same one whatever the order they come in.
        assert_eq!(nearest("ab", ["ac", "aa"]), Some("aa"));
        assert_eq!(nearest("ab", ["aa", "ac"]), Some("aa"));
    }
}
