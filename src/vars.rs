//! Variables a run knows: inputs, captures and the environment. Their secret values go
//! to the run's [`Redactor`].

use std::collections::HashMap;

pub use crate::redact::Redactor;
use crate::runbook::{RenderError, Template, VarRef};

#[derive(Clone, Default, Debug)]
pub struct Vars {
    pub values: HashMap<String, String>,
    pub secret_names: Vec<String>,
    /// Environment variables the runbook declares not secret (`env:` with `secret:
    /// false`); the value of every other `${env.NAME}` is a secret.
    pub public_env: Vec<String>,
    /// Inputs the run started without, and how to give each: a step that needs one
    /// fails, saying so; a run whose steps never read it does not need it.
    pub not_given: Vec<NotGiven>,
}

/// An input a run started without: every secret not given, and the inputs a part of the
/// runbook (`--group`...) does not read.
#[derive(Clone, Debug)]
pub struct NotGiven {
    pub name: String,
    /// How to give it: "set SETUPWRIGHT_X or put it in an --inputs file".
    pub how: String,
    pub secret: bool,
}

impl Vars {
    pub fn lookup(&self, v: &VarRef) -> Option<String> {
        match v {
            VarRef::Env(n) => std::env::var(n).ok(),
            VarRef::Name(n) => self.values.get(n).cloned(),
        }
    }
    pub fn render(&self, t: &Template) -> Result<String, RenderError> {
        t.render(&|v| self.lookup(v))
    }
    /// Registers with `redactor`, before `t` is rendered, the value of every
    /// `${env.NAME}` it reads that the runbook does not declare `secret: false`: an
    /// environment variable is where a pipeline keeps its tokens. Err names a value too
    /// short to redact (`env.NAME`).
    pub fn register_env_secrets(
        &self,
        t: &Template,
        redactor: &Redactor,
    ) -> Result<(), (String, crate::redact::SecretTooShort)> {
        for (v, _) in t.vars() {
            let VarRef::Env(name) = v else { continue };
            if self.public_env.iter().any(|p| p == name) {
                continue;
            }
            if let Some(value) = self.lookup(v).filter(|v| !v.is_empty()) {
                redactor
                    .add(&value)
                    .map_err(|short| (format!("env.{name}"), short))?;
            }
        }
        Ok(())
    }
    /// Sets a variable; a secret one is registered with the redactor first, which refuses
    /// a value too short to redact (the caller says so where the value came from).
    pub fn set(
        &mut self,
        name: &str,
        value: String,
        secret: bool,
        redactor: &Redactor,
    ) -> Result<(), crate::redact::SecretTooShort> {
        if secret {
            redactor.add(&value)?;
            if !self.secret_names.iter().any(|n| n == name) {
                self.secret_names.push(name.to_string());
            }
        }
        self.values.insert(name.to_string(), value);
        Ok(())
    }
    /// Every value by name, sorted, as a report may show it: secrets as ***, the rest
    /// redacted (a secret may sit inside another value).
    pub fn shown(&self, redactor: &Redactor) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .values
            .iter()
            .map(|(k, v)| {
                let shown = if self.is_secret(k) {
                    "***".to_string()
                } else {
                    redactor.redact(v)
                };
                (k.clone(), shown)
            })
            .collect();
        out.sort();
        out
    }

    /// The input `name`, when the run started without it.
    pub fn not_given(&self, name: &str) -> Option<&NotGiven> {
        self.not_given.iter().find(|n| n.name == name)
    }

    pub fn is_secret(&self, name: &str) -> bool {
        self.secret_names.iter().any(|n| n == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(src: &str) -> Template {
        let span = crate::runbook::Span { line: 1, col: 1 };
        Template::parse(src, span).unwrap()
    }

    #[test]
    fn every_env_value_read_is_a_secret_unless_declared_public() {
        // The test process's own environment: names no other test uses.
        std::env::set_var("SW_VARS_TEST_TOKEN", "tok-9f2c");
        std::env::set_var("SW_VARS_TEST_URL", "https://ci.example.com/42");
        std::env::set_var("SW_VARS_TEST_SHORT", "ab");
        let vars = Vars {
            public_env: vec!["SW_VARS_TEST_URL".into()],
            ..Vars::default()
        };
        let r = Redactor::default();
        vars.register_env_secrets(
            &template("${env.SW_VARS_TEST_TOKEN} at ${env.SW_VARS_TEST_URL}"),
            &r,
        )
        .unwrap();
        assert_eq!(r.values(), vec!["tok-9f2c".to_string()]);
        assert_eq!(r.redact("a tok-9f2c b"), "a *** b");
        let (name, _) = vars
            .register_env_secrets(&template("${env.SW_VARS_TEST_SHORT}"), &r)
            .unwrap_err();
        assert_eq!(name, "env.SW_VARS_TEST_SHORT");
        // Unset: nothing to register, and rendering says it is unset.
        vars.register_env_secrets(&template("${env.SW_VARS_TEST_NEVER_SET}"), &r)
            .unwrap();
    }
}
