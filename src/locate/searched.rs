//! What a search that found nothing saw: the frames searched, the candidates near the
//! wanted name, scopes, the page's own errors, and how long the page had been still.
//! Failure messages are made from it.

/// What a search that found nothing saw, for the error message.
#[derive(Debug, Clone, Default)]
pub struct Searched {
    pub frames: Vec<String>,
    pub near: Vec<(String, String)>,
    pub scope_missing: Option<String>,
    /// Scopes found, each with the frame it was found in: the scope was there, the
    /// element was not.
    pub scopes_found: Vec<(String, String)>,
    pub bad_selector: Option<String>,
    pub nth_missing: Option<u64>,
    /// Error messages the page shows (classic error markup, error toasts).
    pub page_errors: Vec<String>,
    /// The title of each document searched, top first.
    pub titles: Vec<String>,
    /// What was looked for, to rank the near candidates.
    pub want: String,
    /// A document searched was still loading or showed a spinner, so the element may
    /// yet come.
    pub busy: bool,
    /// How long the least still document searched had been still, by the page's own
    /// clock.
    pub still: Option<Stillness>,
    /// Fields whose label begins with the name and goes on with other text, when more
    /// than one does.
    pub prefixed: Vec<String>,
    /// What the search scrolled to find it, list by list.
    pub scrolled: Vec<String>,
}

/// How long a page has been still, by its own clock, two ways: how long since its DOM last
/// changed, and since a network response last arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stillness {
    pub dom: std::time::Duration,
    pub net: std::time::Duration,
}

impl Stillness {
    /// The less still of two documents, each way.
    pub(super) fn least(self, other: Stillness) -> Stillness {
        Stillness {
            dom: self.dom.min(other.dom),
            net: self.net.min(other.net),
        }
    }
    /// Nothing can have been still for longer than `bound`.
    pub fn at_most(self, bound: std::time::Duration) -> Stillness {
        Stillness {
            dom: self.dom.min(bound),
            net: self.net.min(bound),
        }
    }
}

/// A page that a reload may cure, by its title: a 503 "Service Unavailable" (what
/// Salesforce shows during maintenance), a gateway error.
pub fn transient_error_title(title: &str) -> bool {
    let t = title.to_ascii_lowercase();
    [
        "service unavailable",
        "503 ",
        "502 bad gateway",
        "504 gateway",
        "temporarily unavailable",
    ]
    .iter()
    .any(|p| t.contains(p))
        || t.trim() == "503"
}

impl Searched {
    /// A document searched is an error page a reload may cure (a 503).
    pub fn on_error_page(&self) -> bool {
        self.titles.iter().any(|t| transient_error_title(t))
    }
    pub fn summary(&self) -> String {
        let mut s = String::new();
        if let Some(b) = &self.bad_selector {
            return format!("the selector is invalid: {b}");
        }
        if let Some((scope, frame)) = self.scopes_found.first() {
            s.push_str(&format!(
                "{scope} is in {frame}, and nothing in it matched; "
            ));
        } else if let Some(m) = &self.scope_missing {
            s.push_str(&format!("no {m} to look in; "));
        }
        if let Some(n) = self.nth_missing {
            s.push_str(&format!("only {n} match(es); "));
        }
        s.push_str(&format!("searched {}", self.frames.join(", ")));
        if !self.scrolled.is_empty() {
            s.push_str(&format!("; {}", self.scrolled.join("; ")));
        }
        if !self.prefixed.is_empty() {
            let quoted: Vec<String> = self.prefixed.iter().map(|l| format!("\"{l}\"")).collect();
            s.push_str(&format!(
                "; {} fields have labels that begin with \"{}\" and go on ({}), so none was taken: name one by its whole label or narrow it with `in_section`",
                self.prefixed.len(),
                self.want,
                quoted.join(", ")
            ));
        }
        if let Some(t) = self.titles.first().filter(|t| transient_error_title(t)) {
            s.push_str(&format!(
                "; the page is \"{t}\" and stayed so after reloading"
            ));
        }
        if !self.page_errors.is_empty() {
            s.push_str(&format!(
                "; the page shows an error: \"{}\"",
                self.page_errors.join("\"; \"")
            ));
        }
        if !self.near.is_empty() {
            // Closest first, across every frame searched.
            let want = self.want.to_lowercase();
            let mut ranked: Vec<&(String, String)> = self.near.iter().collect();
            ranked.sort_by(|a, b| {
                let d = |n: &str| strsim::damerau_levenshtein(&want, &n.to_lowercase());
                d(&a.0).cmp(&d(&b.0))
            });
            ranked.dedup();
            let near: Vec<String> = ranked
                .iter()
                .take(5)
                .map(|(n, f)| format!("\"{n}\" in {f}"))
                .collect();
            s.push_str(&format!("; near: {}", near.join(", ")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_it_scrolled_and_which_labels_only_began_with_the_name() {
        let s = Searched {
            want: "Retry Limit".into(),
            frames: vec!["the top document".into()],
            scrolled: vec!["scrolled the table to its end: 15 -> 60 rows".into()],
            prefixed: vec!["Retry Limit 1-5".into(), "Retry Limit (per hour)".into()],
            ..Searched::default()
        };
        assert_eq!(
            s.summary(),
            "searched the top document; scrolled the table to its end: 15 -> 60 rows; 2 fields have labels that begin with \"Retry Limit\" and go on (\"Retry Limit 1-5\", \"Retry Limit (per hour)\"), so none was taken: name one by its whole label or narrow it with `in_section`"
        );
    }

    #[test]
    fn recognises_transient_error_pages() {
        assert!(transient_error_title("Service Unavailable"));
        assert!(transient_error_title("502 Bad Gateway"));
        assert!(!transient_error_title(
            "Auth. Providers ~ Salesforce - Enterprise Edition"
        ));
    }
}
