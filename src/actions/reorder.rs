use super::select::quoted;
use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{self, DualMissing, ElementRef, Mode, Purpose, ReorderAnswer, Request};
use crate::runbook::{Locator, Template};

/// Puts a dual listbox's chosen options in order through its own Up button, as a person
/// does: select the option that belongs higher, press Up until it is there, and so on
/// down the list. The component hears each click and tells the page (`change`), which
/// setting `value` from outside would not do.
pub async fn run(ctx: &mut Ctx, target: &Locator, to: &[Template]) -> AResult<()> {
    let order = to
        .iter()
        .map(|t| ctx.render(t))
        .collect::<Result<Vec<_>, _>>()?;
    let hit = ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
    let req = Request::Reorder {
        el: ElementRef::of(&hit.el),
        order: order.clone(),
    };
    // Each move puts one more option in its place: as many moves as options, and one
    // look more to see the list done.
    let mut moves = 0;
    loop {
        let res: ReorderAnswer = locate::run(&ctx.session, &req).await?;
        if res.done {
            return Ok(());
        }
        let what = target.describe();
        if let Some(missing) = res.missing {
            return Err(match missing {
                DualMissing::Option => StepError::NotChosen {
                    what,
                    option: res.absent.unwrap_or_default(),
                    chosen: quoted(&res.near),
                },
                DualMissing::Lists | DualMissing::Arrow => StepError::NotDualListbox {
                    what,
                    why: res.error.unwrap_or_default(),
                },
            }
            .into());
        }
        if moves > res.order.len() {
            return Err(Attempt::not_yet(format!(
                "{what}'s chosen list reads {} after {moves} moves",
                quoted(&res.order)
            )));
        }
        moves += 1;
        let Some(button) = res.button.as_ref().and_then(|b| b.resolve(&ctx.session)) else {
            return Err(Attempt::not_yet(
                "the dual listbox changed while reading it",
            ));
        };
        let option = res.option.as_ref().and_then(|o| o.resolve(&ctx.session));
        // The option (when it is not the one selected already), then Up as often as it
        // must climb: one Actions call where the engine could aim at both.
        let aims: Option<Vec<_>> = res
            .aims
            .as_ref()
            .and_then(|a| a.iter().map(|a| locate::aim(&ctx.session, a)).collect());
        let presses = res.times.max(1) as usize;
        match aims {
            Some(aims) if aims.len() == usize::from(option.is_some()) + 1 => {
                let mut all = aims.clone();
                let up = all.pop().expect("the Up button's aim");
                all.extend(std::iter::repeat_n(up, presses));
                ctx.session.pointer_clicks(&all).await?;
            }
            _ => {
                if let Some(o) = &option {
                    ctx.session.click(o).await?;
                }
                for _ in 0..presses {
                    ctx.session.click(&button).await?;
                }
            }
        }
    }
}
