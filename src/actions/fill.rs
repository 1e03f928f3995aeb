use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{Mode, Purpose};
use crate::runbook::{keys, Locator, Template};

/// Select all, delete, then type: one command, and the page sees the key and input
/// events a person's typing makes (LWC inputs react to those, not to `value =`).
pub async fn type_into(ctx: &mut Ctx, target: &Locator, value: &str) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Input, Mode::Act).await?;
    if hit.tag == "select" || (hit.tag == "button" && hit.role == "combobox") {
        return Err(StepError::Page(format!("{} is a picklist; use `select: {{ field: ..., option: ... }}`", target.describe())).into());
    }
    let keys = format!("{}\u{E003}{value}", keys::sequence("Control+a"));
    ctx.session.send_keys(&hit.el, &keys).await?;
    // A component that re-renders while we type drops keys: read back and try again.
    let now = ctx.read(&hit.el).await?;
    let got = now.get("value").and_then(|v| v.as_str()).unwrap_or_default();
    if got != value && hit.kind != "text" {
        let shown = if ctx.redactor.redact(value) != value { "***".to_string() } else { got.to_string() };
        return Err(Attempt::Retry(format!("the field holds \"{shown}\" after typing")));
    }
    Ok(())
}

pub async fn fill(ctx: &mut Ctx, target: &Locator, value: &Template) -> AResult<()> {
    let v = ctx.render(value)?;
    type_into(ctx, target, &v).await
}

pub async fn clear(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    type_into(ctx, target, "").await
}
