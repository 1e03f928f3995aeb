use super::{AResult, Attempt, Ctx, Pace};
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
    let mut pace = Pace::default();
    for _ in 0..8 {
        let now = ctx.read(&hit.el).await?;
        if now.checked == Some(want) {
            return Ok(());
        }
        pace.wait().await;
    }
    Err(Attempt::Retry(format!(
        "{} did not become {}",
        target.describe(),
        if want { "checked" } else { "unchecked" }
    )))
}
