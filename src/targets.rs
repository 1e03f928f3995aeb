//! A targets file for `run --targets`: one runbook against many orgs, each with its own
//! inputs and sign-in. Inline values are visible to anyone who reads the file, so secret
//! inputs come from a per-target inputs file or the environment, never from here.
//!
//! ```yaml
//! inputs:                       # shared by every target
//!   contact_email: ops@example.com
//! targets:
//!   - name: uat
//!     inputs: { my_domain_url: "https://acme--uat.sandbox.my.salesforce.com" }
//!     inputs_file: secrets/uat.yaml      # relative to this file; keep it mode 0600
//!     org: acme-uat                      # or instance_url + access_token_env
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    inputs: BTreeMap<String, Scalar>,
    targets: Vec<RawTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: String,
    #[serde(default)]
    inputs: BTreeMap<String, Scalar>,
    inputs_file: Option<PathBuf>,
    org: Option<String>,
    instance_url: Option<String>,
    access_token_env: Option<String>,
}

/// A plain YAML value taken as its text, as in an inputs file.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(serde_yaml::Number),
    Flag(bool),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Flag(b) => b.to_string(),
        }
    }
}

/// How a target signs in, when not through the runbook's own login steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The Salesforce CLI's stored session for this alias.
    SfAlias(String),
    /// An instance URL with the access token in this environment variable.
    Token { instance_url: String, env: String },
}

#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    /// Inline values: the shared ones overlaid by the target's own.
    pub inputs: Vec<(String, String)>,
    /// The target's inputs file, resolved against the targets file's folder.
    pub inputs_file: Option<PathBuf>,
    pub sign_in: Option<SignIn>,
}

impl Target {
    /// The environment variable that holds this target's value of an input; it wins over
    /// the shared `SETUPWRIGHT_<NAME>`, so each org can have its own password.
    pub fn env_name(&self, input: &str) -> String {
        let tag: String = self
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("SETUPWRIGHT_{tag}_{}", input.to_ascii_uppercase())
    }
}

/// Reads and checks a targets file. Every problem is reported as `file:line:col: what`.
pub fn load(path: &Path) -> Result<Vec<Target>, String> {
    let text = crate::runbook::source::read_text(path, "targets file").map_err(|e| {
        format!(
            "{}:{}:{}: {}; {}",
            path.display(),
            e.span.line,
            e.span.col,
            e.message,
            e.help
        )
    })?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Vec<Target>, String> {
    let at = |loc: Option<serde_yaml::Location>| match loc {
        Some(l) => format!("{}:{}:{}", path.display(), l.line(), l.column()),
        None => path.display().to_string(),
    };
    let file: File = serde_yaml::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_yaml appends " at line L column C"; the location leads instead.
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        format!("{}: {msg}\n  help: a targets file holds `targets:`, a list of {{ name, inputs, inputs_file, org, instance_url, access_token_env }}, and optional shared `inputs:`", at(e.location()))
    })?;
    if file.targets.is_empty() {
        return Err(format!(
            "{}: `targets` is empty; list at least one org",
            path.display()
        ));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, t) in file.targets.into_iter().enumerate() {
        let which = format!("{}: target {} (`{}`)", path.display(), i + 1, t.name);
        if t.name.is_empty()
            || !t
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            || t.name.starts_with('.')
        {
            return Err(format!("{which}: a name may hold only letters, digits, '-', '_' and '.', as it names the target's artifacts folder"));
        }
        if let Some(first) = seen.insert(t.name.to_ascii_lowercase(), i + 1) {
            return Err(format!("{which}: the name is already used by target {first}; names must differ (case aside)"));
        }
        let sign_in = match (t.org, t.instance_url, t.access_token_env) {
            (Some(_), Some(_), _) => {
                return Err(format!("{which}: give `org` or `instance_url`, not both"))
            }
            (Some(alias), None, None) => Some(SignIn::SfAlias(alias)),
            (Some(_), None, Some(_)) => {
                return Err(format!(
                    "{which}: `access_token_env` goes with `instance_url`, not `org`"
                ))
            }
            (None, Some(url), env) => Some(SignIn::Token {
                instance_url: url,
                env: env.unwrap_or_else(|| crate::salesforce::session::TOKEN_ENV.into()),
            }),
            (None, None, Some(_)) => {
                return Err(format!("{which}: `access_token_env` needs `instance_url`"))
            }
            (None, None, None) => None,
        };
        let mut inputs: Vec<(String, String)> = file
            .inputs
            .iter()
            .map(|(k, v)| (k.clone(), v.text()))
            .collect();
        inputs.extend(t.inputs.iter().map(|(k, v)| (k.clone(), v.text())));
        out.push(Target {
            name: t.name,
            inputs,
            inputs_file: t
                .inputs_file
                .map(|p| if p.is_absolute() { p } else { base.join(p) }),
            sign_in,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Vec<Target>, String> {
        parse(Path::new("conf/targets.yaml"), s)
    }

    #[test]
    fn reads_shared_and_own_inputs_and_sign_ins() {
        let t = parse_str(
            "inputs: { contact_email: ops@example.com, retries: 3 }\ntargets:\n  - name: uat\n    inputs: { my_domain_url: 'https://uat', contact_email: uat@example.com }\n    inputs_file: secrets/uat.yaml\n    org: acme-uat\n  - name: qa.2\n    instance_url: https://qa\n    access_token_env: QA_TOKEN\n  - name: dev\n",
        )
        .unwrap();
        assert_eq!(t.len(), 3);
        // Later pairs win, so the target's own contact_email overrides the shared one.
        assert_eq!(
            t[0].inputs
                .iter()
                .rev()
                .find(|(k, _)| k == "contact_email")
                .unwrap()
                .1,
            "uat@example.com"
        );
        assert!(t[0].inputs.contains(&("retries".into(), "3".into())));
        assert_eq!(
            t[0].inputs_file.as_deref(),
            Some(Path::new("conf/secrets/uat.yaml"))
        );
        assert_eq!(t[0].sign_in, Some(SignIn::SfAlias("acme-uat".into())));
        assert_eq!(
            t[1].sign_in,
            Some(SignIn::Token {
                instance_url: "https://qa".into(),
                env: "QA_TOKEN".into()
            })
        );
        assert_eq!(
            t[1].env_name("login_password"),
            "SETUPWRIGHT_QA_2_LOGIN_PASSWORD"
        );
        assert_eq!(t[2].sign_in, None);
    }

    #[test]
    fn says_where_a_targets_file_is_wrong() {
        let e = parse_str("targets:\n  - name: uat\n    inptus: {}\n").unwrap_err();
        assert!(
            e.starts_with("conf/targets.yaml:3:5: targets[0]: unknown field `inptus`"),
            "{e}"
        );
        let e = parse_str("targets: []\n").unwrap_err();
        assert!(e.contains("`targets` is empty"), "{e}");
        let e = parse_str("targets:\n  - name: uat\n  - name: UAT\n").unwrap_err();
        assert!(
            e.contains("target 2 (`UAT`): the name is already used by target 1"),
            "{e}"
        );
        let e = parse_str("targets:\n  - name: ../x\n").unwrap_err();
        assert!(e.contains("a name may hold only"), "{e}");
        let e = parse_str("targets:\n  - name: a\n    org: x\n    instance_url: y\n").unwrap_err();
        assert!(e.contains("not both"), "{e}");
        let e = parse_str("targets:\n  - name: a\n    inputs: { x: [1] }\n").unwrap_err();
        assert!(e.starts_with("conf/targets.yaml:"), "{e}");
    }
}
