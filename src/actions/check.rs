use super::{AResult, Attempt, Ctx};
use crate::locate::{Control, Mode, Purpose, Then};
use crate::runbook::Locator;

/// Sets a checkbox to `want`, clicking it (or the label over it) only when needed, and
/// confirms the state changed.
pub async fn run(ctx: &mut Ctx, target: &Locator, want: bool) -> AResult<()> {
    let spec = ctx
        .spec(target, Purpose::Input, Mode::Act)?
        .for_control(Control::Toggle);
    // The search answers at once for a box already as wanted, without readying a click.
    let hit = ctx
        .find_then(&spec, Some(Then::UnlessChecked { checked: want }))
        .await?;
    if hit.checked == Some(want) {
        return Ok(());
    }
    ctx.click(&hit).await?;
    if ctx
        .confirm(&hit.el, |now| now.checked == Some(want))
        .await?
    {
        return Ok(());
    }
    Err(Attempt::not_yet(format!(
        "{} did not become {}",
        target.describe(),
        if want { "checked" } else { "unchecked" }
    )))
}
