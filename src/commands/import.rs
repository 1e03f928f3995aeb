//! `import`: a browser recording as a runbook, on stdout or into `-o FILE`; warnings on
//! stderr. A file that is no recording of a known format exits 3 with its place.

use std::path::{Path, PathBuf};

use setupwright::author::import::resolve::{self, Seen};
use setupwright::author::import::ImportError;
use setupwright::author::import::{self, Format, Imported};
use setupwright::author::{emit_checked, Over, Unwritable};
use setupwright::exit;
use setupwright::job;
use setupwright::printable::printable_lines;
use setupwright::run::vars::Redactor;
use setupwright::run::{inputs, RunOptions};
use setupwright::runbook::{self, source};
use setupwright::{errln, outln};

use crate::cli::{ImportArgs, ImportFormat};
use crate::commands::common::{browser_options, exit_for_unloaded, gather_inputs, usage_error};

/// A recording is read whole; Chrome's export of a long session, every step with its
/// alternative selectors, runs to a few MiB. 64 MiB is far past any, and still a bound on
/// what a named device or a runaway file can make `import` hold.
pub(crate) const MAX_RECORDING: u64 = 64 * 1024 * 1024;

pub(crate) async fn import(args: &ImportArgs) -> i32 {
    let shown = args.file.display().to_string();
    let text = match read_recording(&args.file) {
        Ok(t) => t,
        Err((message, code)) => {
            errln!("{message}");
            return code;
        }
    };
    let format = args.format.map(|f| match f {
        ImportFormat::Recorder => Format::Recorder,
        ImportFormat::Side => Format::Side,
    });
    let mut imported = match import::import(&text, format) {
        Ok(i) => i,
        Err(e) => {
            errln!("{}", refused(&e, &shown, &text, format));
            return exit::INVALID_RUNBOOK;
        }
    };
    if args.resolve {
        if let Err(code) = resolve(args, &mut imported, &text).await {
            return code;
        }
    }
    for w in warnings(&imported) {
        errln!("{w}");
    }
    // No file is there yet: errors name the runbook by what it is imported from.
    let named_as = PathBuf::from(format!("<runbook imported from {shown}>"));
    let runbook = match emit_checked(&imported.draft, &named_as) {
        Ok(t) => t,
        Err(e) => {
            errln!("{}", unwritten(&e, &shown, args.output.as_deref()));
            return exit::INVALID_RUNBOOK;
        }
    };
    let steps = imported.draft.steps().count();
    match &args.output {
        Some(path) => {
            if let Err(e) = write(path, &runbook) {
                errln!(
                    "error: cannot write {}: {e}\n  help: name a file in a folder you can write to",
                    path.display()
                );
                return exit::USAGE;
            }
            errln!(
                "imported {steps} steps from {} into {} ({} warning(s)); check it with `setupwright check {}` and read the comments",
                imported.format.name(),
                path.display(),
                imported.warnings.len(),
                path.display()
            );
        }
        None => {
            outln!("{}", runbook.trim_end());
            errln!(
                "imported {steps} steps from {} ({} warning(s))",
                imported.format.name(),
                imported.warnings.len()
            );
        }
    }
    exit::OK
}

/// The warnings as a terminal may show them: they quote the recording, which may hold
/// escape sequences that would retitle the terminal or clear it.
fn warnings(imported: &Imported) -> impl Iterator<Item = String> + '_ {
    imported.warnings.iter().map(|w| printable_lines(w))
}

/// The recording's text, or the message and exit code: 2 for a path that names no file
/// (missing, a folder), 3 for a file that is no recording `import` reads (a pipe or a
/// device, over `MAX_RECORDING`, not UTF-8), as `check` does for a runbook.
fn read_recording(path: &Path) -> Result<String, (String, i32)> {
    source::read_bounded(
        path,
        "the recording",
        MAX_RECORDING,
        "a recording is a JSON file of a few MiB at most; export a shorter one, or split its steps into several files",
    )
    .map_err(|e| {
        // Where a bad byte is, when the text is known that far.
        let at = match e.text {
            Some(_) => format!(" (line {}, column {})", e.span.line, e.span.col),
            None => String::new(),
        };
        (
            printable_lines(&format!("error: {}{at}\n  help: {}", e.message, e.help)),
            exit_for_unloaded(path),
        )
    })
}

/// The importer's refusal; when `--format` names the other format than the content's,
/// that is the help: a `.side` read as a Recorder recording only misses `steps` at its end.
fn refused(e: &ImportError, shown: &str, text: &str, forced: Option<Format>) -> String {
    let mut e = e.clone();
    if let (Some(forced), Ok(found)) = (forced, import::detect(text)) {
        if found != forced {
            e.help = format!(
                "the file looks like {}, not {}: leave out --format to read it as what it is",
                found.name(),
                forced.name()
            );
        }
    }
    printable_lines(&e.display(shown))
}

/// Why no runbook was written from the recording `shown`, to `output` or stdout.
fn unwritten(e: &Unwritable, shown: &str, output: Option<&Path>) -> String {
    let nothing = match output {
        Some(p) => format!("{} was not written", p.display()),
        None => "nothing was written".to_string(),
    };
    match e {
        Unwritable::TooLarge(over) => {
            let help = if over.iter().any(|o| matches!(o, Over::Value(_))) {
                "a step of the recording types or asserts more text than a runbook holds: shorten that value in the recording (or remove its step), and import again"
            } else {
                "split the recording: record the flow in parts (or copy the JSON and keep part of its steps in each copy), import each part, and run them one after the other"
            };
            printable_lines(&format!(
                "error: {shown} is too long to import as one runbook: {e}; {nothing}\n  help: {help}"
            ))
        }
        Unwritable::Invalid(_) => format!(
            "{e}\nerror: the runbook imported from {shown} does not pass `check`, so {nothing} (a bug in `import`)\n  help: report it with the recording; the lines above are from the runbook `import` would have written"
        ),
    }
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// `--resolve`: the recording replayed with its unnamed steps written with their recorded
/// selectors, against `--url`; each such step is then named from what the replay matched.
async fn resolve(args: &ImportArgs, imported: &mut Imported, text: &str) -> Result<(), i32> {
    let Some(url) = args.url.clone() else {
        errln!("error: --resolve needs --url, the org to replay the recording on");
        return Err(exit::USAGE);
    };
    let mut probing = match import::import_probing(text, Some(imported.format)) {
        Ok(i) => i,
        Err(e) => {
            errln!(
                "{}",
                printable_lines(&e.display(&args.file.display().to_string()))
            );
            return Err(exit::INVALID_RUNBOOK);
        }
    };
    if probing.probes.is_empty() {
        errln!("--resolve: every step has a label already; nothing to replay");
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!(
        "setupwright-import-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let replay = dir.join("replay.yaml");
    let shown = args.file.display().to_string();
    let named_as = PathBuf::from(format!("<replay runbook from {shown}>"));
    let text = match emit_checked(&probing.draft, &named_as) {
        Ok(t) => t,
        Err(e) => {
            errln!("{}", unwritten(&e, &shown, Some(&replay)));
            return Err(exit::INVALID_RUNBOOK);
        }
    };
    let prepared = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| std::fs::write(&replay, text).map_err(|e| e.to_string()));
    if let Err(e) = prepared {
        errln!(
            "error: cannot write the replay's runbook into {}: {e}\n  help: check the temporary folder ($TMPDIR) is writable",
            dir.display()
        );
        return Err(exit::USAGE);
    }
    let rb = match runbook::load(&replay) {
        Ok(rb) => rb,
        Err(e) => {
            errln!("{e}\nerror: the replay's runbook does not load (a bug in `import`)");
            return Err(exit::INVALID_RUNBOOK);
        }
    };
    let Ok((mut pairs, file)) = gather_inputs(&args.inputs).map_err(usage_error) else {
        return Err(exit::USAGE);
    };
    // The replay types what the recording typed, on the org --url names.
    for i in &probing.draft.inputs {
        if pairs.iter().any(|(k, _)| k == &i.name) || file.contains_key(&i.name) || i.secret {
            continue;
        }
        if i.name == "my_domain_url" || i.name.starts_with("base_url") {
            pairs.push((i.name.clone(), url.trim_end_matches('/').to_string()));
        } else if let Some(e) = &i.example {
            pairs.push((i.name.clone(), e.clone()));
        }
    }
    let redactor = Redactor::default();
    let vars = match inputs::resolve(&rb, &pairs, &file, &|k| std::env::var(k).ok(), &redactor) {
        Ok(v) => v,
        Err(errs) => {
            for e in errs {
                errln!("error: {e}");
            }
            return Err(exit::USAGE);
        }
    };
    let watched = probing.probes.iter().filter(|p| p.watch).count();
    errln!(
        "replaying the recording on {url} to name {} step(s) only CSS, XPath or generated ids identify, and to see what {watched} click(s) on named checkboxes or lists did...",
        probing.probes.len() - watched
    );
    let out = job::Output {
        artifacts: dir.join("runs"),
        quiet: true,
        formats: vec![setupwright::report::Format::Json],
        verify: false,
        org: None,
        tag: None,
    };
    let opts = RunOptions {
        screenshots: false,
        trusted_origins: vec![url.clone()],
        // A recorded `change` found by CSS may be on a picklist: the replay picks there, and
        // the step is written as the `select` it is; a click's toggle is read back.
        authoring: true,
        ..Default::default()
    };
    setupwright::console::set_stdout_to_stderr(true);
    let outcome = job::execute(
        &rb,
        vars,
        opts,
        &out,
        &browser_options(&args.browser),
        redactor,
        None,
    )
    .await;
    setupwright::console::set_stdout_to_stderr(false);
    let report: serde_json::Value = std::fs::read_to_string(outcome.dir.join("report.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let seen = |path: &str| {
        report["steps"].as_array()?.iter().find_map(|s| {
            (s["path"] == path && s["status"] == "passed")
                .then(|| Seen::from_matched(&s["matched"]))
        })
    };
    let stopped = outcome.failure.clone();
    let named = resolve::apply(&mut probing, &seen, stopped.as_deref());
    errln!(
        "--resolve named {} of {} step(s) ({} by the engine's checked locator, {} by role and name){}",
        named.by_engine + named.by_role,
        named.by_engine + named.by_role + probing.unnamed.len(),
        named.by_engine,
        named.by_role,
        match &stopped {
            Some(f) => format!(
                "; the replay stopped at {} (its run folder: {})",
                printable_lines(f),
                outcome.dir.display()
            ),
            None => String::new(),
        }
    );
    if stopped.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    *imported = probing;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIDE: &str = r#"{"name":"p","url":"https://acme.my.salesforce.com","tests":[{"name":"t","commands":[
{"command":"click","target":"linkText=Home","value":""}]}]}"#;

    #[test]
    fn a_pipe_a_device_or_a_runaway_file_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("rec.json");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo(3) on a path in a folder this test owns.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let (said, code) = read_recording(&fifo).unwrap_err();
        assert!(said.contains("not a regular file"), "{said}");
        assert_eq!(code, exit::INVALID_RUNBOOK);
        let (said, code) = read_recording(Path::new("/dev/zero")).unwrap_err();
        assert!(said.contains("not a regular file"), "{said}");
        assert_eq!(code, exit::INVALID_RUNBOOK);
        let big = dir.path().join("big.json");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_RECORDING + 1).unwrap();
        let (said, code) = read_recording(&big).unwrap_err();
        assert!(said.contains("is larger than 64 MiB"), "{said}");
        assert_eq!(code, exit::INVALID_RUNBOOK);
        let (said, code) = read_recording(&dir.path().join("none.json")).unwrap_err();
        assert!(said.contains("No such file"), "{said}");
        assert_eq!(code, exit::USAGE);
    }

    #[test]
    fn a_byte_order_mark_is_read_past_and_bad_encodings_say_where_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let bom = dir.path().join("bom.side");
        std::fs::write(&bom, format!("\u{feff}{SIDE}")).unwrap();
        let text = read_recording(&bom).unwrap();
        assert!(import::import(&text, None).is_ok());
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, b"{\"title\":\"t\xff\",\"steps\":[]}").unwrap();
        let (said, code) = read_recording(&bad).unwrap_err();
        assert!(
            said.contains("not valid UTF-8 text (line 1, column 12)"),
            "{said}"
        );
        assert!(said.contains("help: save it as UTF-8"), "{said}");
        assert_eq!(code, exit::INVALID_RUNBOOK);
        let utf16 = dir.path().join("utf16.json");
        std::fs::write(&utf16, b"\xff\xfe{\0}\0").unwrap();
        let (said, _) = read_recording(&utf16).unwrap_err();
        assert!(
            said.contains("UTF-16") && said.contains("save it as UTF-8"),
            "{said}"
        );
    }

    #[test]
    fn the_wrong_format_forced_is_named_with_the_format_the_file_has() {
        let forced = Some(Format::Recorder);
        let e = import::import(SIDE, forced).unwrap_err();
        let said = refused(&e, "p.side", SIDE, forced);
        assert!(
            said.contains("looks like a Selenium IDE project (.side), not a Chrome DevTools"),
            "{said}"
        );
        assert!(said.contains("leave out --format"), "{said}");
    }

    #[test]
    fn warnings_quote_the_recording_without_its_escape_sequences() {
        let rec = r#"{"title":"t","steps":[{"type":"customStep","name":"\u001b]0;pwned\u0007\u001b[2J"},
            {"type":"click","selectors":[["aria/Save[role=\"button\"]"]]}]}"#;
        let imported = import::import(rec, None).unwrap();
        let said: Vec<String> = warnings(&imported).collect();
        assert!(!said.is_empty());
        for w in &said {
            assert!(!w.contains('\u{1b}') && !w.contains('\u{7}'), "{w:?}");
        }
        assert!(said[0].contains("\\x1b]0;pwned\\x07"), "{said:?}");
    }

    #[test]
    fn a_runbook_not_written_is_named_by_its_recording_and_where_it_would_have_gone() {
        let over = Unwritable::TooLarge(vec![Over::Steps(20_003)]);
        let said = unwritten(&over, "rec.json", Some(Path::new("out/x.yaml")));
        assert!(
            said.contains("rec.json is too long to import as one runbook"),
            "{said}"
        );
        assert!(said.contains("20003 steps"), "{said}");
        assert!(said.contains("out/x.yaml was not written"), "{said}");
        assert!(said.contains("split the recording"), "{said}");
        assert!(!said.contains("a bug"), "{said}");
        let over = Unwritable::TooLarge(vec![Over::Bytes(2 << 20), Over::Value(2 << 20)]);
        let said = unwritten(&over, "rec.json", None);
        assert!(said.contains("nothing was written"), "{said}");
        assert!(said.contains("shorten that value"), "{said}");
        let invalid = Unwritable::Invalid(runbook::RunbookErrors(Vec::new()));
        let said = unwritten(&invalid, "rec.json", None);
        assert!(
            said.contains("imported from rec.json does not pass `check`"),
            "{said}"
        );
        assert!(said.contains("nothing was written"), "{said}");
        assert!(!said.contains("imported.yaml"), "{said}");
    }
}
