//! Any text as a runbook: parsing, validation, templating and error rendering must never
//! panic, and every error must point inside the text it came from.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match setupwright::runbook::load_source(Path::new("fuzz.yaml"), text, vec![]) {
        Ok(rb) => {
            for e in setupwright::runbook::validate::validate(&rb) {
                let _ = e.to_string();
            }
            let _ = setupwright::runbook::schema::schema();
        }
        Err(errors) => {
            let lines = setupwright::runbook::yaml::lines(text).len().max(1);
            for e in &errors.0 {
                assert!(e.span.line >= 1 && e.span.line <= lines + 1, "error outside the text: {e:?}");
                let _ = e.to_string();
            }
        }
    }
});
