//! Tracing on stderr through a writer that redacts the run's secrets from every line.

use std::io::Write;

use setupwright::run::vars::Redactor;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

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

pub fn init(verbose: u8, format: LogFormat, redactor: Redactor) {
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
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // Colour only for a person at a terminal, and never against NO_COLOR (no-color.org).
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(RedactingStderr(redactor))
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
