use super::{AResult, Ctx, StepError};
use crate::locate::{self, Mode, Outcome, Purpose};
use crate::poll::{poll, Look};
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
    let mut spec = ctx.spec(target, Purpose::Read, Mode::Read)?;
    spec.no_scroll = true;
    let deadline = ctx.deadline.clone();
    let mut shown_in = String::new();
    let gone = poll(&deadline, async || {
        match locate::locate(&ctx.session, &mut ctx.frames, &spec).await {
            Ok(Outcome::Missing(_)) => Look::Done(Ok(())),
            Ok(Outcome::Found(hit)) => {
                shown_in = hit.frame;
                Look::Again
            }
            Err(e) => Look::Done(Err(e.into())),
        }
    })
    .await;
    gone.unwrap_or_else(|| {
        Err(StepError::StillShown {
            what: spec.describe(),
            frame: shown_in,
            limit: deadline.limit.clone(),
        }
        .into())
    })
}
