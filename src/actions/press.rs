use super::{AResult, Ctx};
use crate::locate::{Mode, Purpose};
use crate::runbook::{keys, Locator};

pub async fn run(ctx: &mut Ctx, key: &str, target: Option<&Locator>) -> AResult<()> {
    let sent = match target {
        // Element Send Keys focuses the element first.
        Some(t) => {
            let el = ctx.find_locator(t, Purpose::Input, Mode::Act).await?.el;
            ctx.performed = Some("key");
            ctx.session.send_keys(&el, &keys::sequence(key)).await
        }
        // The focused element, wherever it is: the key goes where a person's would.
        None => {
            ctx.performed = Some("key");
            ctx.session.press_chord(&keys::chord_keys(key)).await
        }
    };
    match sent {
        Err(e) if super::refused_before_dispatch(&e) => {
            ctx.performed = None;
            Err(e.into())
        }
        other => Ok(other?),
    }
}
