//! The secret values of a run and every form they take in what the tool writes. A leaf:
//! the runner, the logs and the reports all redact with it.

use std::sync::{Arc, RwLock};

/// The secret values of a run. Shared by the runner, the logs and the reports, so a
/// secret captured mid-run is redacted from then on everywhere.
#[derive(Clone, Default, Debug)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<String>>>,
    /// Every form a secret may take in what the tool writes, longest first.
    forms: Arc<RwLock<Vec<String>>>,
}

/// A secret as it appears raw, in HTML (a saved page source), in a JSON string (a console
/// log, a report) and URL-encoded (a URL in a log or a report).
fn written_forms(secret: &str) -> Vec<String> {
    let html = |apos: &str| {
        secret
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', apos)
    };
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json.trim_matches('"').to_string();
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent = form.replace('+', "%20");
    let mut out = vec![
        secret.to_string(),
        html("&#39;"),
        html("&#x27;"),
        html("'"),
        json,
        form,
        percent,
    ];
    out.sort();
    out.dedup();
    out
}

impl Redactor {
    pub fn add(&self, secret: &str) {
        // Very short values would blank out ordinary words; they are still masked in
        // controls, but not searched for in text.
        if secret.len() < 3 {
            return;
        }
        if let Ok(mut s) = self.secrets.write() {
            if s.iter().any(|x| x == secret) {
                return;
            }
            s.push(secret.to_string());
            s.sort_by_key(|x| std::cmp::Reverse(x.len()));
        }
        if let Ok(mut f) = self.forms.write() {
            for form in written_forms(secret) {
                if !f.contains(&form) {
                    f.push(form);
                }
            }
            f.sort_by_key(|x| std::cmp::Reverse(x.len()));
        }
    }
    pub fn redact(&self, text: &str) -> String {
        let Ok(s) = self.forms.read() else {
            return text.to_string();
        };
        let mut out = text.to_string();
        for secret in s.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "***");
            }
        }
        out
    }
    pub fn values(&self) -> Vec<String> {
        self.secrets.read().map(|s| s.clone()).unwrap_or_default()
    }
    pub fn is_empty(&self) -> bool {
        self.secrets.read().map(|s| s.is_empty()).unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn redacts_longest_first_and_ignores_tiny_values() {
        let r = Redactor::default();
        r.add("abc");
        r.add("abcdef");
        r.add("x");
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
        r.add("a\"b<c&d'e f");
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
