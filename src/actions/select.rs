use serde_json::json;

use super::{backoff, AResult, Attempt, Ctx, StepError};
use crate::driver::element_json;
use crate::locate::{self, Mode, Purpose, Spec};
use crate::runbook::{Locator, LocatorKind, Template};

/// A native `<select>` (classic pages) or an LWC combobox: a button that opens a list
/// of `role=option` items.
pub async fn run(ctx: &mut Ctx, target: &Locator, option: &Template) -> AResult<()> {
    let want = ctx.render(option)?;
    let hit = ctx.find_locator(target, Purpose::Input, Mode::Act).await?;
    if hit.value.trim() == want.trim() {
        return Ok(());
    }
    if hit.tag == "select" {
        let res = locate::run(&ctx.session, json!({ "op": "option", "el": element_json(&hit.el), "option": want })).await?;
        let Some(opt) = res.get("option").and_then(|o| ctx.session.element(o)) else {
            let near = res.get("near").map(|n| n.to_string()).unwrap_or_default();
            return Err(StepError::Page(format!("{} has no option \"{want}\"; its options: {near}", target.describe())).into());
        };
        ctx.session.click(&opt).await?;
    } else {
        ctx.click(&hit).await?;
        let mut spec = Spec::simple(LocatorKind::Auto, &want, Purpose::Click, Mode::Act);
        spec.raw_kind = Some("option");
        let opt = ctx.find(&spec).await?;
        ctx.click(&opt).await?;
    }
    // The control must show the choice; a re-render can swallow it.
    for round in 0..8 {
        let now = ctx.read(&hit.el).await?;
        if now.get("value").and_then(|v| v.as_str()).map(str::trim) == Some(want.trim()) {
            return Ok(());
        }
        tokio::time::sleep(backoff(round)).await;
    }
    Err(Attempt::Retry(format!("{} does not show \"{want}\" after choosing it", target.describe())))
}
