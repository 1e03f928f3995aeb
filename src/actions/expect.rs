use std::time::Instant;

use super::{backoff, wait_for, AResult, Attempt, Ctx, StepError};
use crate::locate::{Mode, Purpose};
use crate::runbook::{Expectation, Locator};

/// Polls until the expectation holds; when time is up, says what the page showed.
pub async fn run(ctx: &mut Ctx, target: Option<&Locator>, check: &Expectation) -> AResult<()> {
    let mut round = 0;
    loop {
        let verdict = once(ctx, target, check).await;
        match verdict {
            Ok(None) => return Ok(()),
            Ok(Some(why)) if Instant::now() >= ctx.deadline => {
                return Err(StepError::Expectation(why).into())
            }
            Err(Attempt::Fail(StepError::NotFound { what, searched, .. })) => {
                return Err(StepError::Expectation(format!(
                    "{what} is not on the page ({})",
                    searched.summary()
                ))
                .into())
            }
            Err(Attempt::Fail(StepError::Timeout(m))) => {
                return Err(StepError::Expectation(m).into())
            }
            Err(e @ Attempt::Fail(_)) => return Err(e),
            _ => {}
        }
        tokio::time::sleep(backoff(round)).await;
        round += 1;
    }
}

/// `Ok(None)` when the expectation holds, `Ok(Some(what is shown))` when not yet.
async fn once(
    ctx: &mut Ctx,
    target: Option<&Locator>,
    check: &Expectation,
) -> AResult<Option<String>> {
    let redactor = ctx.redactor.clone();
    let redact = |s: &str| redactor.redact(s);
    match (check, target) {
        (Expectation::UrlContains(t), _) => {
            let want = ctx.render(t)?;
            let url = ctx.session.current_url().await?.to_string();
            Ok((!url.contains(&want)).then(|| {
                format!(
                    "the URL {} does not contain \"{}\"",
                    redact(&url),
                    redact(&want)
                )
            }))
        }
        (Expectation::Title(t), _) => {
            let want = ctx.render(t)?;
            let title = ctx.session.title().await?;
            Ok((!title.contains(&want)).then(|| {
                format!(
                    "the page title is \"{}\", not \"{}\"",
                    redact(&title),
                    redact(&want)
                )
            }))
        }
        (Expectation::Hidden, Some(l)) => {
            wait_for::wait_gone(ctx, l).await?;
            Ok(None)
        }
        (_, Some(l)) => {
            let hit = ctx.find_locator(l, Purpose::Read, Mode::Read).await?;
            let what = l.describe();
            let shown = redact(&hit.value);
            Ok(match check {
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
            })
        }
        (_, None) => Ok(None),
    }
}
