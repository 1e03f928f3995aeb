use super::{AResult, Ctx};
use crate::locate::{Mode, Purpose};
use crate::runbook::Locator;

pub async fn run(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Click, Mode::Act).await?;
    ctx.click(&hit).await?;
    // In `import --resolve`'s replay, a click that turned a checkbox says how it left it
    // (the import writes `check:`/`uncheck:` from it); an ordinary run does not spend the
    // read. A read that fails (the click led the page away) leaves it unsaid.
    if let Some(toggle) = hit.toggle.as_ref().filter(|_| ctx.authoring) {
        if let Ok(now) = ctx.read(toggle).await {
            if let Some(m) = ctx.matched.as_mut() {
                m.checked = now.checked;
            }
        }
    }
    Ok(())
}
