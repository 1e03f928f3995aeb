use super::{AResult, Attempt, Ctx, StepError};

use crate::locate::{Control, Mode, Purpose, Spec, Then};
use crate::runbook::{Locator, Template};

/// Replaces a field's text. First as a paste does (select all, insert the text: one
/// round trip, and the page sees the input events LWC inputs react to, which
/// `value =` would not give); where the browser refuses that, by typing it.
pub async fn type_into(ctx: &mut Ctx, target: &Locator, value: &str) -> AResult<()> {
    let spec = ctx
        .spec(target, Purpose::Input, Mode::Act)?
        .for_control(Control::Text);
    replace_text(ctx, &spec, &target.describe(), value).await
}

/// `type_into` for a field found by `spec`; `what` names it in errors. A value that holds
/// a secret goes only into a field of the org's own documents (see `replace_secret`).
pub async fn replace_text(ctx: &mut Ctx, spec: &Spec, what: &str, value: &str) -> AResult<()> {
    let secret = ctx.redactor.redact(value) != value;
    replace(ctx, spec, what, value, secret).await
}

/// `replace_text` into a field searched for in every document and found in exactly one of
/// the org's: never first-wins, never in the frame the last step used for that reason
/// alone, never in another party's frame. For a value that holds a secret, and for
/// `login`'s fields, whatever they hold.
pub async fn replace_secret(ctx: &mut Ctx, spec: &Spec, what: &str, value: &str) -> AResult<()> {
    replace(ctx, spec, what, value, true).await
}

async fn replace(ctx: &mut Ctx, spec: &Spec, what: &str, value: &str, secret: bool) -> AResult<()> {
    // The paste rides on the search that finds the field ready.
    let then = Some(Then::Insert {
        text: value.to_string(),
    });
    let hit = if secret {
        ctx.find_secret_target(spec, then).await?
    } else {
        ctx.find_then(spec, then).await?
    };
    if hit.tag == "select" || (hit.tag == "button" && hit.role == "combobox") {
        return Err(StepError::WrongAction {
            what: what.to_string(),
            is: "a picklist",
            instead: "select: { field: ..., option: ... }",
        }
        .into());
    }
    let got = match hit.then {
        Some(pasted) if pasted.ok => pasted.value,
        _ => {
            ctx.retype(&hit.el, value).await?;
            ctx.read(&hit.el).await?.value
        }
    };
    // A component that re-renders meanwhile drops the text: read back and try again.
    let got = got.as_str();
    if got != value && hit.kind != "text" {
        let shown = if secret {
            "***".to_string()
        } else {
            got.to_string()
        };
        return Err(Attempt::not_yet(format!(
            "the field holds \"{shown}\" after typing"
        )));
    }
    Ok(())
}

pub async fn fill(ctx: &mut Ctx, target: &Locator, value: &Template) -> AResult<()> {
    let v = ctx.render(value)?;
    type_into(ctx, target, &v).await
}

pub async fn clear(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    type_into(ctx, target, "").await
}
