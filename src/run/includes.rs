//! `include`: another runbook run in its own scope of inputs, its captures handed back.

use super::*;

impl<'l> Runner<'l> {
    /// The included runbook's inputs: what the include step hands it, else its defaults.
    pub(super) fn include_scope(
        &self,
        inner: &Runbook,
        given: &[(String, crate::runbook::Template)],
    ) -> Result<Vars, StepError> {
        let mut scope = Vars {
            values: Default::default(),
            secret_names: Vec::new(),
            public_env: inner.public_env.clone(),
            // A secret the include hands on must be there when the include runs.
            not_given: Vec::new(),
        };
        for decl in &inner.inputs {
            let missing = || StepError::IncludeInput {
                path: inner.path.display().to_string(),
                input: decl.name.clone(),
            };
            let value = match given.iter().find(|(n, _)| *n == decl.name) {
                Some((_, t)) => self.ctx.render(t)?,
                None => {
                    let default = decl.default.as_ref().ok_or_else(missing)?;
                    scope
                        .register_env_secrets(default, &self.ctx.redactor)
                        .map_err(|(name, short)| StepError::SecretTooShort { name, short })?;
                    match scope.render(default) {
                        Ok(v) => v,
                        Err(e @ crate::runbook::RenderError::TooLong { .. }) => {
                            return Err(e.into())
                        }
                        Err(_) => return Err(missing()),
                    }
                }
            };
            let secret = decl.secret
                || given.iter().any(|(n, t)| {
                    *n == decl.name && t.vars().any(|(v, _)| self.ctx.vars.is_secret(&v.display()))
                });
            scope
                .set(&decl.name, value, secret, &self.ctx.redactor)
                .map_err(|short| StepError::SecretTooShort {
                    name: decl.name.clone(),
                    short,
                })?;
        }
        Ok(scope)
    }

    /// Runs `inner`'s steps with `scope` for variables; its captures come back.
    pub(super) async fn include(
        &mut self,
        inner: &Runbook,
        scope: Vars,
        path: &str,
        depth: usize,
        group: Option<Deadline>,
    ) -> Result<(), Stop> {
        let outer_vars = std::mem::replace(&mut self.ctx.vars, scope);
        let res = self
            .steps(inner, &inner.steps, path, depth + 1, group)
            .await;
        let inner_vars = std::mem::replace(&mut self.ctx.vars, outer_vars);
        // Captures come back to the caller; the included runbook's inputs stay inside.
        for (k, v) in inner_vars.values {
            if !inner.inputs.iter().any(|i| i.name == k) {
                let secret = inner_vars.secret_names.contains(&k);
                // A secret was registered (or refused) when it was captured inside, so the
                // redactor already holds it and cannot refuse it here.
                let _ = self.ctx.vars.set(&k, v, secret, &self.ctx.redactor.clone());
            }
        }
        res
    }
}
