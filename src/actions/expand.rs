use std::time::{Duration, Instant};

use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{Control, Mode, Purpose, Then};
use crate::poll::{poll, Look};
use crate::runbook::Locator;

/// How long a branch may show no sign of a click (neither its new state nor a load under
/// way) before the step tries again: a re-render can swallow a click.
const SIGN_WITHIN: Duration = Duration::from_millis(700);

/// Opens (`want`) or closes a branch through whatever draws its chevron, clicking only
/// when it is not already so, then waits for its state in `aria-expanded` and, on
/// opening, for children its tree or grid loads on demand.
pub async fn run(ctx: &mut Ctx, target: &Locator, want: bool) -> AResult<()> {
    let spec = ctx
        .spec(target, Purpose::Click, Mode::Act)?
        .for_control(Control::Branch);
    let hit = ctx
        .find_then(&spec, Some(Then::UnlessExpanded { expanded: want }))
        .await?;
    match hit.expanded {
        None => {
            return Err(StepError::Unworkable {
                what: target.describe(),
                why: "is a leaf: it has no children to show or hide".into(),
                try_: "name a branch (an item with an expand chevron); a leaf's children, if it is to get any, come from the page, not from a click",
            }
            .into())
        }
        Some(now) if now == want && !hit.loading => return Ok(()),
        Some(now) if now == want => {}
        Some(_) => ctx.click(&hit).await?,
    }
    let clicked = Instant::now();
    let deadline = ctx.deadline.clone();
    let done = poll(&deadline, async || match ctx.read(&hit.el).await {
        Ok(now) if now.expanded == Some(want) && !now.loading => Look::Done(Ok(())),
        // Neither done nor under way: the click went nowhere.
        Ok(now) if !now.loading && clicked.elapsed() >= SIGN_WITHIN => {
            Look::Done(Err(Attempt::not_yet(format!(
                "{} did not {}",
                target.describe(),
                if want { "open" } else { "close" }
            ))))
        }
        Ok(_) => Look::Again,
        // Re-rendered as its children came: look again from the start.
        Err(_) => Look::Done(Err(Attempt::not_yet(format!(
            "{} was re-rendered",
            target.describe()
        )))),
    })
    .await;
    done.unwrap_or_else(|| {
        Err(Attempt::not_yet(format!(
            "{} is still loading its children",
            target.describe()
        )))
    })
}
