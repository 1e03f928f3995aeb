use std::time::Instant;

use super::{AResult, Ctx, Pace, StepError};
use crate::locate::{self, Mode, Outcome, Purpose};
use crate::runbook::Locator;

pub async fn run(ctx: &mut Ctx, target: &Locator, gone: bool) -> AResult<()> {
    if !gone {
        ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
        return Ok(());
    }
    wait_gone(ctx, target).await
}

/// Polls until no visible element matches.
pub async fn wait_gone(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    let spec = ctx.spec(target, Purpose::Read, Mode::Read)?;
    let mut pace = Pace::default();
    loop {
        match locate::locate(&ctx.session, &mut ctx.frames, &spec).await? {
            Outcome::Missing(_) => return Ok(()),
            Outcome::Found(hit) if Instant::now() >= ctx.deadline => {
                return Err(StepError::Timeout(format!(
                    "{} is still shown in {} after the {}",
                    spec.describe(),
                    hit.frame,
                    ctx.limit
                ))
                .into())
            }
            Outcome::Found(_) => {}
        }
        pace.wait().await;
    }
}
