use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{
    self, Control, ElementRef, Hit, Mode, OptionAnswer, Purpose, Request, Spec, Then,
};
use crate::runbook::{Locator, LocatorKind, Template};

/// A native `<select>` (classic pages) or an LWC combobox: a button that opens a list
/// of `role=option` items.
pub async fn run(ctx: &mut Ctx, target: &Locator, option: &Template) -> AResult<()> {
    let want = ctx.render(option)?;
    let spec = ctx
        .spec(target, Purpose::Input, Mode::Act)?
        .for_control(Control::Choice);
    // A native select answers its option in the search's round trip; a combobox ignores it.
    let hit = ctx
        .find_then(
            &spec,
            Some(Then::Option {
                option: want.clone(),
            }),
        )
        .await?;
    pick(ctx, &hit, &target.describe(), &want).await
}

/// Picks `want` in the picklist or combobox `hit`; `what` names it in errors.
pub async fn pick(ctx: &mut Ctx, hit: &Hit, what: &str, want: &str) -> AResult<()> {
    let want = want.to_string();
    if hit.value.trim() == want.trim() {
        return Ok(());
    }
    if hit.tag == "select" {
        let res: OptionAnswer = match hit.option.clone() {
            Some(res) => res,
            // Found by a search that did not ready it (not expected in Act mode): asked apart.
            None => {
                locate::run(
                    &ctx.session,
                    &Request::Option {
                        el: ElementRef::of(&hit.el),
                        option: want.clone(),
                    },
                )
                .await?
            }
        };
        let Some(opt) = res.option.as_ref().and_then(|o| o.resolve(&ctx.session)) else {
            return Err(StepError::NoOption {
                what: what.to_string(),
                option: want,
                options: quoted(&res.near),
            }
            .into());
        };
        ctx.session.click(&opt).await?;
        // What the select shows once chosen comes on the channel, unasked.
        let said = ctx
            .said_verdict(hit.guard_token.as_deref(), Some(&hit.el))
            .await;
        if said
            .and_then(|v| v.read)
            .is_some_and(|r| r.value.trim() == want.trim())
        {
            return Ok(());
        }
    } else {
        ctx.click(hit).await?;
        let mut spec = Spec::simple(LocatorKind::Auto, &want, Purpose::Click, Mode::Act);
        spec.raw_kind = Some("option");
        let opt = ctx.find(&spec).await?;
        // What the control shows rides on the option click's verdict.
        let now = ctx.click_reading(&opt, Some(&hit.el)).await?;
        if now.is_some_and(|r| r.value.trim() == want.trim()) {
            return Ok(());
        }
    }
    // The control must show the choice; a re-render can swallow it.
    if ctx
        .confirm(&hit.el, |now| now.value.trim() == want.trim())
        .await?
    {
        return Ok(());
    }
    Err(Attempt::not_yet(format!(
        "{what} does not show \"{want}\" after choosing it"
    )))
}

/// Options as a list shows them: `"A", "B"`.
pub(super) fn quoted(options: &[String]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("\"{o}\"")).collect();
    quoted.join(", ")
}
