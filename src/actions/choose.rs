use serde_json::json;

use super::{AResult, Attempt, Ctx, StepError};
use crate::driver::element_json;
use crate::locate::{self, Mode, Purpose};
use crate::runbook::{Locator, Template};

/// Moves options between a dual listbox's lists: select the option, press the arrow.
pub async fn run(ctx: &mut Ctx, target: &Locator, add: &[Template], remove: &[Template]) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
    let moves = add.iter().map(|t| (t, "selected")).chain(remove.iter().map(|t| (t, "available")));
    for (t, to) in moves {
        let option = ctx.render(t)?;
        let req = json!({ "op": "dual", "el": element_json(&hit.el), "option": option, "to": to });
        let res = locate::run(&ctx.session, req.clone()).await?;
        if res.get("done").and_then(|d| d.as_bool()) == Some(true) {
            continue;
        }
        if let Some(err) = res.get("error").and_then(|e| e.as_str()) {
            let near = res.get("near").and_then(|n| n.as_array()).map(|n| format!("; near: {}", n.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>().join(", "))).unwrap_or_default();
            return Err(StepError::Page(format!("in {}: {err}{near}", target.describe())).into());
        }
        let (Some(opt), Some(button)) = (res.get("option").and_then(|o| ctx.session.element(o)), res.get("button").and_then(|b| ctx.session.element(b))) else {
            return Err(Attempt::Retry("the dual listbox changed while reading it".into()));
        };
        // The option, then the arrow: one Actions call where the engine could aim both.
        let aims: Option<Vec<_>> = res.get("aims").and_then(|a| a.as_array()).and_then(|a| a.iter().map(|a| locate::aim(&ctx.session, a)).collect());
        match aims {
            Some(aims) if aims.len() == 2 => ctx.session.pointer_clicks(&aims).await?,
            _ => {
                ctx.session.click(&opt).await?;
                ctx.session.click(&button).await?;
            }
        }
        let after = locate::run(&ctx.session, req).await?;
        if after.get("done").and_then(|d| d.as_bool()) != Some(true) {
            return Err(Attempt::Retry(format!("\"{option}\" did not move to the {to} list")));
        }
    }
    Ok(())
}
