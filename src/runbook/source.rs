//! Reading a runbook (or an inputs or targets file) from disk, bounded: only a regular
//! file (a FIFO would hang the read, `/dev/zero` would never end), at most `MAX_BYTES`,
//! UTF-8 with an optional byte-order mark. Every refusal says where and what to do.

use std::io::Read;
use std::path::Path;

use super::Span;

/// Whether `text` reads as a runbook: a `runbook:`, `steps:` or `inputs:` key at its top
/// level, or a list of steps (`- click: ...`) there. Only such a file has its lines shown
/// in an error; anything else (a credentials file named by mistake) is named, not shown.
pub fn reads_as_runbook(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines().any(|line| {
        let (key, step) = match line.strip_prefix('-') {
            Some(rest) => (rest.trim_start(), true),
            None => (line, false),
        };
        let Some((word, _)) = key.split_once(':') else {
            return false;
        };
        if step {
            super::actions::action_spec(word).is_some()
                || super::vocabulary::STRUCTURE.contains(&word)
        } else {
            super::vocabulary::TOP_KEYS.contains(&word)
        }
    })
}

/// No runbook is anywhere near this; a file this large is a mistake or an attack.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read as text, with the place in it where that is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub message: String,
    pub span: Span,
    pub help: &'static str,
    /// The file's text as far as it could be read (bad bytes replaced), to show the line.
    pub text: Option<String>,
}

impl Unreadable {
    fn at_start(message: String, help: &'static str) -> Unreadable {
        Unreadable {
            message,
            span: Span { line: 1, col: 1 },
            help,
            text: None,
        }
    }
}

/// Reads `path` as UTF-8 text: a regular file of at most `MAX_BYTES`.
pub fn read_text(path: &Path, what: &str) -> Result<String, Unreadable> {
    read_bounded(
        path,
        what,
        MAX_BYTES,
        "a runbook is a short text file; split it with `include`",
    )
}

/// [`read_text`] for a file of at most `max` bytes (a recording to import is larger than
/// a runbook); `too_large` is the help when it is larger.
pub fn read_bounded(
    path: &Path,
    what: &str,
    max: u64,
    too_large: &'static str,
) -> Result<String, Unreadable> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Unreadable::at_start(format!("cannot read {what} {shown}: {e}"), "check the path")
    })?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a pipe, a device or a socket)"
        };
        return Err(Unreadable::at_start(
            format!("{what} {shown} is {kind}"),
            "give the path of a file",
        ));
    }
    let larger = || {
        Unreadable::at_start(
            format!("{what} {shown} is larger than {}", size(max)),
            too_large,
        )
    };
    if meta.len() > max {
        return Err(larger());
    }
    let file = std::fs::File::open(path).map_err(|e| {
        Unreadable::at_start(format!("cannot read {what} {shown}: {e}"), "check the path")
    })?;
    let mut bytes = Vec::new();
    // The file may grow between the look and the read.
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| {
        Unreadable::at_start(format!("cannot read {what} {shown}: {e}"), "check the path")
    })?;
    if bytes.len() as u64 > max {
        return Err(larger());
    }
    decode(bytes, &format!("{what} {shown}"))
}

/// A bound in the unit it was chosen in.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes > MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// Bytes as UTF-8 text: a UTF-8 byte-order mark is dropped; UTF-16, invalid UTF-8 and NUL
/// bytes are refused with their place.
pub fn decode(mut bytes: Vec<u8>, what: &str) -> Result<String, Unreadable> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Unreadable::at_start(
            format!("{what} is UTF-16 text"),
            "save it as UTF-8",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let ok = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
        Unreadable {
            message: format!("{what} is not valid UTF-8 text"),
            span: span_after(&ok),
            help: "save it as UTF-8",
            text: Some(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        }
    })?;
    if let Some(at) = text.find('\0') {
        return Err(Unreadable {
            message: format!("{what} contains a NUL byte"),
            span: span_after(&text[..at]),
            help: "a runbook is text; remove the NUL byte (was the file saved as binary?)",
            text: Some(text.clone()),
        });
    }
    Ok(text)
}

/// The place just after `before`.
fn span_after(before: &str) -> Span {
    let lines = super::yaml::lines(before);
    let ends_line = before.ends_with('\n') || before.ends_with('\r');
    let line = lines.len().max(1) + usize::from(ends_line && !before.is_empty());
    let col = if ends_line {
        1
    } else {
        lines.last().map_or(0, |l| l.chars().count()) + 1
    };
    Span { line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_is_dropped_and_other_encodings_are_named() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFsteps: []\n".to_vec(), "x").unwrap(),
            "steps: []\n"
        );
        let e = decode(b"\xFF\xFEs\0".to_vec(), "x").unwrap_err();
        assert!(e.message.contains("UTF-16"), "{e:?}");
        let e = decode(b"steps:\n  - goto: \xC3(\n".to_vec(), "x").unwrap_err();
        assert!(e.message.contains("not valid UTF-8"));
        assert_eq!(e.span, Span { line: 2, col: 11 });
        let e = decode(b"runbook: a\0b\n".to_vec(), "x").unwrap_err();
        assert!(e.message.contains("NUL"));
        assert_eq!(e.span, Span { line: 1, col: 11 });
    }

    #[test]
    fn only_regular_files_of_a_bounded_size_are_read() {
        let e = read_text(Path::new("/dev/zero"), "runbook").unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e:?}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) on a path in a folder this test owns.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_text(&fifo, "runbook").unwrap_err();
        assert!(e.message.contains("not a regular file"), "{e:?}");
        let big = dir.path().join("big.yaml");
        std::fs::write(&big, vec![b'#'; (MAX_BYTES + 1) as usize]).unwrap();
        let e = read_text(&big, "runbook").unwrap_err();
        assert!(e.message.contains("larger than"), "{e:?}");
    }
}
