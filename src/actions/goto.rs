use super::{AResult, Attempt, Ctx, StepError};
use crate::runbook::Template;

pub async fn run(ctx: &mut Ctx, url: &Template) -> AResult<()> {
    let raw = ctx.render(url)?;
    let target = if raw.starts_with('/') {
        let here = ctx.session.current_url().await?;
        here.join(&raw)
            .map_err(|e| StepError::BadUrl {
                url: raw.clone(),
                why: format!("it does not join to {here}: {e}"),
            })?
            .to_string()
    } else {
        url::Url::parse(&raw).map_err(|e| StepError::BadUrl {
            url: raw.clone(),
            why: e.to_string(),
        })?;
        raw
    };
    let went = ctx.session.goto(&target).await;
    ctx.frames.path.clear();
    // chromedriver answers some load failures with an error (`net::ERR_CONNECTION_REFUSED`)
    // instead of an error page: the page's fault, not the browser's.
    if let Err(e) = &went {
        if let Some(net) = e
            .to_string()
            .split_whitespace()
            .find(|w| w.starts_with("net::ERR_"))
        {
            return Err(Attempt::Retry(StepError::Unreachable {
                url: target,
                how: net.to_string(),
            }));
        }
    }
    went?;
    // WebDriver's Navigate succeeds on a page that did not load at all (refused, no such
    // host, a TLS error): Chromium shows its own error page instead. Try again until the
    // step's deadline, as a slow-starting org may yet answer.
    // (WebDriver's Get Current URL answers the URL asked for; the document knows better.)
    let shown = ctx
        .session
        .isolated("() => location.protocol", vec![], true)
        .await?;
    if shown.as_str() == Some("chrome-error:") {
        return Err(Attempt::Retry(StepError::Unreachable {
            url: target,
            how: "Chromium shows its error page: refused, unknown host or TLS error".into(),
        }));
    }
    Ok(())
}
