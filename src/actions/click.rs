use super::{AResult, Ctx};
use crate::locate::{Mode, Purpose};
use crate::runbook::Locator;

pub async fn run(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Click, Mode::Act).await?;
    // In `import --resolve`'s replay, a click that turned a checkbox says how it left it
    // (the import writes `check:`/`uncheck:` from it); an ordinary run does not ask. It
    // rides on the read of the click's verdict; unsaid where the click led the page away.
    let toggle = hit.toggle.as_ref().filter(|_| ctx.authoring);
    let now = ctx.click_reading(&hit, toggle).await?;
    if toggle.is_some() {
        if let Some(m) = ctx.matched.as_mut() {
            m.checked = now.and_then(|r| r.checked);
        }
    }
    Ok(())
}
