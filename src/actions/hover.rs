use super::{AResult, Ctx};
use crate::locate::{Mode, Purpose};
use crate::runbook::Locator;

pub async fn run(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Click, Mode::Act).await?;
    ctx.session.hover(&hit.target).await?;
    Ok(())
}
