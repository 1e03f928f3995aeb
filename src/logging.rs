//! Tracing on stderr through a writer that redacts the run's secrets from every line.

use std::io::Write;

use setupwright::run::vars::Redactor;
use tracing_subscriber::filter::FilterFn;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::cli::LogFormat;

#[derive(Clone)]
pub struct RedactingStderr(pub Redactor);

pub struct LineWriter(Redactor, Vec<u8>);

impl Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.1.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.1);
        setupwright::console::err_raw(self.0.redact(&text).as_bytes());
    }
}

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = LineWriter;
    fn make_writer(&'a self) -> Self::Writer {
        LineWriter(self.0.clone(), Vec::new())
    }
}

/// Crates whose debug and trace lines are the wire itself: every WebDriver request and
/// answer, every BiDi message (secrets typed or read), WebSocket frames as hex dumps no
/// redactor can read.
const WIRE: &[&str] = &[
    "tungstenite",
    "tokio_tungstenite",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "fantoccini",
    "webdriver",
    "reqwest",
    "tower",
];

/// Whether `target` (a module path) is one of the wire crates'.
fn is_wire(target: &str) -> bool {
    let krate = target.split("::").next().unwrap_or(target);
    WIRE.contains(&krate)
}

pub fn init(verbose: u8, format: LogFormat, redactor: Redactor, unsafe_wire_logs: bool) {
    // JSON logs are for machines: they always carry the step ends.
    use setupwright::record::STEP_LOG;
    let default = match (verbose, format) {
        (0, LogFormat::Json) => format!("warn,{STEP_LOG}=info"),
        // The progress lines on stdout say what the step events would.
        (0, LogFormat::Text) => format!("warn,{STEP_LOG}=off"),
        (1, _) => "setupwright=info".into(),
        _ => "setupwright=debug".into(),
    };
    setupwright::console::set_json_stderr(matches!(format, LogFormat::Json));
    if format == LogFormat::Json {
        // A panic's message is a stderr line too: as JSON, and redacted as the log is.
        let redactor = redactor.clone();
        std::panic::set_hook(Box::new(move |info| {
            setupwright::console::err_event(
                "ERROR",
                serde_json::json!({
                    "message": redactor.redact(&format!("setupwright panicked: {info}")),
                    "kind": "panic",
                }),
            );
        }));
    }
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // Colour only for a person at a terminal, and never against NO_COLOR (no-color.org).
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Whatever RUST_LOG says, the wire crates log warnings at most, unless asked
    // explicitly (--unsafe-wire-logs).
    let wire = FilterFn::new(move |m| {
        unsafe_wire_logs || *m.level() <= tracing::Level::WARN || !is_wire(m.target())
    });
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(RedactingStderr(redactor))
        .with_target(false);
    let layer = match format {
        LogFormat::Json => layer.json().boxed(),
        LogFormat::Text => layer.boxed(),
    };
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter).with_filter(wire))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_crates_are_told_by_their_target() {
        for t in [
            "tungstenite::protocol",
            "hyper_util::client::legacy",
            "h2",
            "rustls::conn",
            "fantoccini::session",
        ] {
            assert!(is_wire(t), "{t}");
        }
        for t in [
            "setupwright::driver::bidi",
            "setupwright",
            "tokio::runtime",
            "hyperlink",
        ] {
            assert!(!is_wire(t), "{t}");
        }
    }
}
