use super::{AResult, Attempt, Ctx, CONFIRM_WITHIN};
use crate::locate::{Control, Mode, Purpose, Then};
use crate::poll::{poll, Look};
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
    let confirmed = poll(&ctx.deadline.within(CONFIRM_WITHIN), async || {
        match ctx.read(&hit.el).await {
            Ok(now) if now.checked == Some(want) => Look::Done(Ok(())),
            Ok(_) => Look::Again,
            Err(e) => Look::Done(Err(e)),
        }
    })
    .await;
    if let Some(answer) = confirmed {
        return answer;
    }
    Err(Attempt::not_yet(format!(
        "{} did not become {}",
        target.describe(),
        if want { "checked" } else { "unchecked" }
    )))
}
