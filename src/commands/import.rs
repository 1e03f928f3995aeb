//! `import`: a browser recording as a runbook, on stdout or into `-o FILE`; warnings on
//! stderr. A file that is no recording of a known format exits 3 with its place.

use std::path::{Path, PathBuf};

use setupwright::author::emit_checked;
use setupwright::author::import::{self, Format, Imported};
use setupwright::exit;
use setupwright::{errln, outln};

use crate::cli::{ImportArgs, ImportFormat};

pub(crate) async fn import(args: &ImportArgs) -> i32 {
    let shown = args.file.display().to_string();
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            errln!(
                "error: cannot read {shown}: {e}\n  help: name a recording exported from Chrome's Recorder (JSON) or a Selenium IDE project (.side)"
            );
            return if e.kind() == std::io::ErrorKind::InvalidData {
                exit::INVALID_RUNBOOK
            } else {
                exit::USAGE
            };
        }
    };
    let format = args.format.map(|f| match f {
        ImportFormat::Recorder => Format::Recorder,
        ImportFormat::Side => Format::Side,
    });
    let mut imported = match import::import(&text, format) {
        Ok(i) => i,
        Err(e) => {
            errln!("{}", e.display(&shown));
            return exit::INVALID_RUNBOOK;
        }
    };
    if args.resolve {
        if let Err(code) = resolve(args, &mut imported).await {
            return code;
        }
    }
    for w in &imported.warnings {
        errln!("{w}");
    }
    let named_as = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("imported.yaml"));
    let runbook = match emit_checked(&imported.draft, &named_as) {
        Ok(t) => t,
        Err(e) => {
            // The importers only write what the language reads; this is a bug in them.
            errln!(
                "{e}\nerror: the runbook written from {shown} does not pass `check` (a bug in `import`)\n  help: report it with the recording; meanwhile fix the lines named above by hand"
            );
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

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

async fn resolve(_args: &ImportArgs, _imported: &mut Imported) -> Result<(), i32> {
    errln!("error: --resolve is not built yet");
    Err(exit::USAGE)
}
