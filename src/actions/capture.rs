use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{Mode, Purpose};
use crate::runbook::CaptureItem;

/// Reads each value into its variable; a secret one is redacted from then on.
pub async fn run(ctx: &mut Ctx, items: &[CaptureItem], secret: bool) -> AResult<()> {
    for item in items {
        let hit = ctx
            .find_locator(&item.target, Purpose::Read, Mode::Read)
            .await?;
        let mut value = hit.value.trim().to_string();
        if let Some(prefix) = &item.after {
            if let Some(i) = value.find(prefix.as_str()) {
                value = value[i + prefix.len()..].trim().to_string();
            }
        }
        if value.len() > crate::runbook::template::MAX_RENDERED {
            // Whatever a template then joins it into would be longer still.
            return Err(StepError::TooLong {
                what: format!("the value of {}", item.target.describe()),
            }
            .into());
        }
        if value.is_empty() {
            // Values are often filled in after the label renders.
            return Err(Attempt::not_yet(format!(
                "{} is empty so far",
                item.target.describe()
            )));
        }
        let redactor = ctx.redactor.clone();
        ctx.vars
            .set(&item.var, value, secret, &redactor)
            .map_err(|short| StepError::SecretTooShort {
                name: item.var.clone(),
                short,
            })?;
    }
    Ok(())
}
