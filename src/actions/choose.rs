use super::select::quoted;
use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{self, DualAnswer, DualMissing, ElementRef, ListSide, Mode, Purpose, Request};
use crate::runbook::{Locator, Template};

/// Moves options between a dual listbox's lists: select the option, press the arrow.
pub async fn run(
    ctx: &mut Ctx,
    target: &Locator,
    add: &[Template],
    remove: &[Template],
) -> AResult<()> {
    let hit = ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
    let moves = add
        .iter()
        .map(|t| (t, ListSide::Selected))
        .chain(remove.iter().map(|t| (t, ListSide::Available)));
    for (t, to) in moves {
        let option = ctx.render(t)?;
        let req = Request::Dual {
            el: ElementRef::of(&hit.el),
            option: option.clone(),
            to,
        };
        let res: DualAnswer = locate::run(&ctx.session, &req).await?;
        if res.done {
            continue;
        }
        if let Some(missing) = res.missing {
            let what = target.describe();
            return Err(match missing {
                DualMissing::Option => StepError::NoOption {
                    what,
                    option,
                    options: quoted(&res.near),
                },
                DualMissing::Lists | DualMissing::Arrow => StepError::NotDualListbox {
                    what,
                    why: res.error.unwrap_or_default(),
                },
            }
            .into());
        }
        let (Some(opt), Some(button)) = (
            res.option.as_ref().and_then(|o| o.resolve(&ctx.session)),
            res.button.as_ref().and_then(|b| b.resolve(&ctx.session)),
        ) else {
            return Err(Attempt::not_yet(
                "the dual listbox changed while reading it",
            ));
        };
        // The option, then the arrow: one Actions call where the engine could aim both.
        let aims: Option<Vec<_>> = res
            .aims
            .as_ref()
            .and_then(|a| a.iter().map(|a| locate::aim(&ctx.session, a)).collect());
        match aims {
            Some(aims) if aims.len() == 2 => ctx.session.pointer_clicks(&aims).await?,
            _ => {
                ctx.session.click(&opt).await?;
                ctx.session.click(&button).await?;
            }
        }
        let after: DualAnswer = locate::run(&ctx.session, &req).await?;
        if !after.done {
            let side = match to {
                ListSide::Selected => "selected",
                ListSide::Available => "available",
            };
            return Err(Attempt::not_yet(format!(
                "\"{option}\" did not move to the {side} list"
            )));
        }
    }
    Ok(())
}
