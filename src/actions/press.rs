use super::{AResult, Ctx};
use crate::locate::{Mode, Purpose};
use crate::runbook::{keys, Locator};

pub async fn run(ctx: &mut Ctx, key: &str, target: Option<&Locator>) -> AResult<()> {
    let el = match target {
        Some(t) => ctx.find_locator(t, Purpose::Input, Mode::Act).await?.el,
        // The focused element, wherever it is: the key goes where a person's would.
        None => ctx.session.active_element().await?,
    };
    ctx.session.send_keys(&el, &keys::sequence(key)).await?;
    Ok(())
}
