use std::time::Duration;

use super::{wait_for, AResult, Attempt, Ctx, StepError};
use crate::locate::{Mode, Purpose, Stillness};
use crate::runbook::{Expectation, Locator};

/// How long a page must have been still, both ways (no DOM change, no network answer),
/// for a value read from it to count as final.
const FINAL_AFTER: Duration = Duration::from_secs(3);

/// One look at the expectation; the runner looks again until it holds or the step's time
/// is up, when the step fails with what the page showed. A value that is wrong and final
/// (the same on a page still for [`FINAL_AFTER`]) fails at once, unless the step set its
/// own `timeout:` (a status a server will change later).
pub async fn run(ctx: &mut Ctx, target: Option<&Locator>, check: &Expectation) -> AResult<()> {
    match once(ctx, target, check).await {
        Ok((None, _)) => Ok(()),
        Ok((Some(why), Some(still)))
            if !ctx.patient
                && ctx.acted.is_none_or(|a| a.elapsed() >= FINAL_AFTER)
                && ctx.looks.wrong.as_deref() == Some(why.as_str())
                && still.dom >= FINAL_AFTER
                && still.net >= FINAL_AFTER =>
        {
            Err(StepError::Expectation(format!(
                "{why} (the page has been still for {} s, so this will not change; give the step a `timeout:` to wait for a change a server makes later)",
                FINAL_AFTER.as_secs()
            ))
            .into())
        }
        Ok((Some(why), _)) => {
            ctx.looks.wrong = Some(why.clone());
            Err(Attempt::Retry(StepError::Expectation(why)))
        }
        Err(Attempt::Retry(StepError::NotFound { what, searched, .. })) => Err(Attempt::Retry(
            StepError::Expectation(format!("{what} is not on the page ({})", searched.summary())),
        )),
        // A look the page cut short: the step fails, if it does, on what it last read.
        Err(Attempt::Retry(cut @ StepError::Unsettled { .. })) => Err(Attempt::Retry(
            StepError::Expectation(ctx.looks.wrong.clone().unwrap_or_else(|| cut.to_string())),
        )),
        Err(e) => Err(e),
    }
}

/// `None` when the expectation holds, `Some(what is shown)` when not yet; with how long
/// the page had been still when its element was read.
async fn once(
    ctx: &mut Ctx,
    target: Option<&Locator>,
    check: &Expectation,
) -> AResult<(Option<String>, Option<Stillness>)> {
    let redactor = ctx.redactor.clone();
    let redact = |s: &str| redactor.redact(s);
    match (check, target) {
        (Expectation::UrlContains(t), _) => {
            let want = ctx.render(t)?;
            let url = ctx.session.current_url().await?.to_string();
            Ok((
                (!url.contains(&want)).then(|| {
                    format!(
                        "the URL {} does not contain \"{}\"",
                        redact(&url),
                        redact(&want)
                    )
                }),
                None,
            ))
        }
        (Expectation::Title(t), _) => {
            let want = ctx.render(t)?;
            let title = ctx.session.title().await?;
            Ok((
                (!title.contains(&want)).then(|| {
                    format!(
                        "the page title is \"{}\", not \"{}\"",
                        redact(&title),
                        redact(&want)
                    )
                }),
                None,
            ))
        }
        (Expectation::Hidden, Some(l)) => {
            wait_for::wait_gone(ctx, l).await?;
            Ok((None, None))
        }
        (_, Some(l)) => {
            let hit = ctx.find_locator(l, Purpose::Read, Mode::Read).await?;
            let what = l.describe();
            let shown = redact(&hit.value);
            let verdict = match check {
                Expectation::Visible => None,
                Expectation::Value(t) => {
                    let want = ctx.render(t)?;
                    (hit.value.trim() != want.trim()).then(|| {
                        format!("{what} holds \"{shown}\", expected \"{}\"", redact(&want))
                    })
                }
                Expectation::Contains(t) => {
                    let want = ctx.render(t)?;
                    (!hit.value.contains(&want)).then(|| {
                        format!(
                            "{what} holds \"{shown}\", which does not contain \"{}\"",
                            redact(&want)
                        )
                    })
                }
                Expectation::NotEmpty => hit
                    .value
                    .trim()
                    .is_empty()
                    .then(|| format!("{what} is empty")),
                Expectation::Error(t) => {
                    let want = ctx.render(t)?;
                    let field = hit.field.clone().unwrap_or_default();
                    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !field.invalid {
                        Some(format!("{what} shows no error"))
                    } else if !norm(&field.error).contains(&norm(&want)) {
                        Some(format!(
                            "{what} shows the error \"{}\", which does not contain \"{}\"",
                            redact(&field.error),
                            redact(&want)
                        ))
                    } else {
                        None
                    }
                }
                Expectation::Valid(want) => {
                    let field = hit.field.clone().unwrap_or_default();
                    match (want, field.invalid) {
                        (true, true) if field.error.is_empty() => {
                            Some(format!("{what} is marked invalid"))
                        }
                        (true, true) => Some(format!(
                            "{what} shows the error \"{}\"",
                            redact(&field.error)
                        )),
                        (false, false) => Some(format!("{what} shows no error")),
                        _ => None,
                    }
                }
                Expectation::Checked(b) => (hit.checked != Some(*b)).then(|| {
                    format!(
                        "{what} is {}",
                        match hit.checked {
                            Some(true) => "checked",
                            Some(false) => "unchecked",
                            None => "not a checkbox",
                        }
                    )
                }),
                _ => None,
            };
            Ok((verdict, hit.still))
        }
        (_, None) => Ok((None, None)),
    }
}
