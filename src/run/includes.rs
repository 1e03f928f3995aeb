//! `include`: another runbook run in its own scope of inputs, its captures handed back.

use super::*;

impl<'l> Runner<'l> {
    pub(super) async fn include(
        &mut self,
        outer: &Runbook,
        inner: &Runbook,
        given: &[(String, crate::runbook::Template)],
        path: &str,
        depth: usize,
        group: Option<Deadline>,
    ) -> Result<(), Stop> {
        let mut scope = Vars {
            values: Default::default(),
            secret_names: Vec::new(),
        };
        for decl in &inner.inputs {
            let value = match given.iter().find(|(n, _)| *n == decl.name) {
                Some((_, t)) => self.ctx.vars.render(t).ok(),
                None => decl.default.as_ref().and_then(|d| scope.render(d).ok()),
            };
            let Some(value) = value else {
                let e = StepError::Page(format!(
                    "the included runbook {} needs input `{}`; pass it under `inputs:`",
                    inner.path.display(),
                    decl.name
                ));
                let mut rec = StepRecord {
                    error: Some(e.to_string()),
                    ..self.record(
                        outer,
                        &outer.steps[0],
                        path,
                        depth,
                        StepKindName::Include,
                        Status::Failed,
                    )
                };
                rec.title = format!("include {}", inner.path.display());
                self.fail_with(&e, rec).await;
                return Err(Stop);
            };
            let secret = decl.secret
                || given.iter().any(|(n, t)| {
                    *n == decl.name && t.vars().any(|(v, _)| self.ctx.vars.is_secret(&v.display()))
                });
            scope.set(&decl.name, value, secret, &self.ctx.redactor);
        }
        let outer_vars = std::mem::replace(&mut self.ctx.vars, scope);
        let res = self
            .steps(inner, &inner.steps, path, depth + 1, group)
            .await;
        let inner_vars = std::mem::replace(&mut self.ctx.vars, outer_vars);
        // Captures come back to the caller; the included runbook's inputs stay inside.
        for (k, v) in inner_vars.values {
            if !inner.inputs.iter().any(|i| i.name == k) {
                let secret = inner_vars.secret_names.contains(&k);
                self.ctx.vars.set(&k, v, secret, &self.ctx.redactor.clone());
            }
        }
        res
    }
}
