//! Variables a run knows: inputs, captures and the environment. Their secret values go
//! to the run's [`Redactor`].

use std::collections::HashMap;

pub use crate::redact::Redactor;
use crate::runbook::{RenderError, Template, VarRef};

#[derive(Clone, Default, Debug)]
pub struct Vars {
    pub values: HashMap<String, String>,
    pub secret_names: Vec<String>,
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

    pub fn is_secret(&self, name: &str) -> bool {
        self.secret_names.iter().any(|n| n == name)
    }
}
