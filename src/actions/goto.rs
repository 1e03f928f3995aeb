use super::{AResult, Ctx, StepError};
use crate::runbook::Template;

pub async fn run(ctx: &mut Ctx, url: &Template) -> AResult<()> {
    let raw = ctx.render(url)?;
    let target = if raw.starts_with('/') {
        let here = ctx.session.current_url().await?;
        here.join(&raw).map_err(|e| StepError::Page(format!("cannot join {raw} to {here}: {e}")))?.to_string()
    } else {
        url::Url::parse(&raw).map_err(|e| StepError::Page(format!("\"{raw}\" is not a URL ({e}); write an absolute URL or a path starting with /")))?;
        raw
    };
    ctx.session.goto(&target).await?;
    ctx.frames.path.clear();
    Ok(())
}
