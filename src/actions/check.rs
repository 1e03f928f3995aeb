use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{Control, Mode, Purpose, Then};
use crate::runbook::Locator;

/// Sets a checkbox to `want`, clicking it (or the label over it) only when needed, and
/// confirms the state changed.
pub async fn run(ctx: &mut Ctx, target: &Locator, want: bool) -> AResult<()> {
    let spec = ctx
        .spec(target, Purpose::Input, Mode::Act)?
        .for_control(Control::Toggle);
    // The search answers at once for a box already as wanted, without readying a click.
    let hit = ctx
        .find_then(&spec, Some(Then::UnlessChecked { checked: want }))
        .await?;
    if hit.checked == Some(want) {
        return Ok(());
    }
    if matches!(hit.role.as_str(), "row" | "treeitem") {
        return Err(StepError::Unworkable {
            what: target.describe(),
            why: "has no selection checkbox or radio".into(),
            try_: "a row is selected through its own checkbox or radio; to act on a row without one, click a link or button in it (`in_row:`)",
        }
        .into());
    }
    // A selected radio (a single-selection table's row) unselects only by choosing another.
    if !want && hit.role == "radio" {
        return Err(StepError::Unworkable {
            what: target.describe(),
            why: "is a radio button: it is unselected only by selecting another".into(),
            try_: "`check` the row or option that should be selected instead",
        }
        .into());
    }
    // How the box stands rides on the click's verdict; a box a page turns later is read
    // again until it shows it.
    let now = ctx.click_reading(&hit, Some(&hit.el)).await?;
    if now.is_some_and(|r| r.checked == Some(want))
        || ctx
            .confirm(&hit.el, |now| now.checked == Some(want))
            .await?
    {
        return Ok(());
    }
    Err(Attempt::not_yet(format!(
        "{} did not become {}",
        target.describe(),
        if want { "checked" } else { "unchecked" }
    )))
}
