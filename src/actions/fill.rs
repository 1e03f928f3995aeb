use super::{AResult, Attempt, Ctx, StepError};

use crate::locate::{
    self, Control, ElementRef, Hit, Mode, Purpose, RangeAnswer, Request, Spec, Then,
};
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
    if hit.role == "slider" && !secret {
        return slide(ctx, &hit, what, value).await;
    }
    if hit.tag == "select" || (hit.tag == "button" && hit.role == "combobox") {
        if ctx.authoring && !secret {
            return super::select::pick(ctx, &hit, what, value).await;
        }
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

/// The most keys one slider move may take: past that, a value is no setting a person
/// would reach by keyboard either.
const MAX_SLIDER_KEYS: f64 = 2000.0;

/// Sets a slider (a range input, `lightning-slider`) to `value` with the keys a person
/// uses on one: it takes the focus, then Home or End if that is shorter, then an arrow
/// per step. The browser moves the thumb and fires the trusted `input` and `change`
/// events the component listens to.
async fn slide(ctx: &mut Ctx, hit: &Hit, what: &str, value: &str) -> AResult<()> {
    let out_of_range = |why: String| StepError::OutOfRange {
        what: what.to_string(),
        value: format!("\"{value}\""),
        why,
    };
    let Ok(want) = value.trim().parse::<f64>() else {
        return Err(out_of_range("a slider takes a number".into()).into());
    };
    let r: RangeAnswer = locate::run(
        &ctx.session,
        &Request::Range {
            el: ElementRef::of(&hit.el),
        },
    )
    .await?;
    let step = if r.step > 0.0 { r.step } else { 1.0 };
    let steps_from = |from: f64| ((want - from) / step).round();
    if want < r.min || want > r.max {
        return Err(out_of_range(format!("it goes from {} to {}", r.min, r.max)).into());
    }
    if ((want - r.min) / step - steps_from(r.min)).abs() > 1e-6 {
        return Err(out_of_range(format!("it moves in steps of {step} from {}", r.min)).into());
    }
    if !r.focused {
        return Err(Attempt::not_yet(format!("{what} did not take the focus")));
    }
    let (home, end, arrow_right, arrow_left) = ('\u{E011}', '\u{E010}', '\u{E014}', '\u{E012}');
    let from_here = steps_from(r.value);
    let from_min = steps_from(r.min);
    let from_max = -steps_from(r.max);
    let (first, count, arrow) = if from_here.abs() <= from_min.min(from_max) {
        (
            None,
            from_here.abs(),
            if from_here > 0.0 {
                arrow_right
            } else {
                arrow_left
            },
        )
    } else if from_min <= from_max {
        (Some(home), from_min, arrow_right)
    } else {
        (Some(end), from_max, arrow_left)
    };
    if count > MAX_SLIDER_KEYS {
        return Err(out_of_range(format!(
            "it is {count} steps away, more than a keyboard reaches"
        ))
        .into());
    }
    let keys: String = first
        .into_iter()
        .chain(std::iter::repeat_n(arrow, count as usize))
        .collect();
    // Safe to send again: another attempt reads where the thumb is and moves from there.
    if !keys.is_empty() {
        ctx.session.type_focused(&keys).await?;
    }
    if ctx
        .confirm(&hit.el, |now| {
            now.value
                .trim()
                .parse::<f64>()
                .is_ok_and(|v| (v - want).abs() < 1e-9)
        })
        .await?
    {
        return Ok(());
    }
    Err(Attempt::not_yet(format!(
        "{what} does not show {value} after moving it"
    )))
}

pub async fn fill(ctx: &mut Ctx, target: &Locator, value: &Template) -> AResult<()> {
    let v = ctx.render(value)?;
    type_into(ctx, target, &v).await
}

pub async fn clear(ctx: &mut Ctx, target: &Locator) -> AResult<()> {
    type_into(ctx, target, "").await
}
