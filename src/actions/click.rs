use super::{AResult, Ctx};
use crate::locate::{Mode, Purpose};
use crate::runbook::Locator;

pub async fn run(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Click, Mode::Act).await?;
    ctx.click(&hit).await?;
    // A click that turned a checkbox says how it left it: a report reader (and `import
    // --resolve`, which writes `check:`/`uncheck:` from it) learns what the click did. A
    // read that fails (the click led the page away) leaves it unsaid; the click was done.
    if let Some(toggle) = &hit.toggle {
        if let Ok(now) = ctx.read(toggle).await {
            if let Some(m) = ctx.matched.as_mut() {
                m.checked = now.checked;
            }
        }
    }
    Ok(())
}
