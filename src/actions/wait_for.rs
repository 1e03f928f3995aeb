use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{self, Mode, Outcome, Purpose};
use crate::runbook::Locator;

pub async fn run(ctx: &mut Ctx, target: &Locator, gone: bool) -> AResult<()> {
    if !gone {
        ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
        return Ok(());
    }
    wait_gone(ctx, target).await
}

/// One look for the element gone; while it is shown, the runner looks again until the
/// step's time is up.
pub async fn wait_gone(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    let mut spec = ctx.spec(target, Purpose::Read, Mode::Read)?;
    // A wait for something to go never scrolls a list to find it.
    spec.no_scroll = true;
    match locate::locate(&ctx.session, &mut ctx.frames, &spec).await {
        Ok(Outcome::Missing(_)) => Ok(()),
        Ok(Outcome::Found(hit)) => Err(Attempt::Retry(StepError::StillShown {
            what: spec.describe(),
            frame: hit.frame,
            limit: ctx.deadline.limit.clone(),
        })),
        Err(e) => Err(e.into()),
    }
}
