use super::{AResult, Attempt, Ctx, StepError};
use crate::runbook::WindowOp;

pub async fn run(ctx: &mut Ctx, op: &WindowOp) -> AResult<()> {
    let fail = |e: fantoccini::error::CmdError| Attempt::from(e);
    match op {
        WindowOp::New => {
            let open = ctx.session.windows().await.map_err(fail)?;
            let Some(new) = open
                .iter()
                .rev()
                .find(|w| !ctx.windows.contains(w) && !ctx.left.contains(w))
                .cloned()
            else {
                return Err(Attempt::not_yet("no new window has opened yet"));
            };
            ctx.session
                .switch_to_window(new.clone())
                .await
                .map_err(fail)?;
            ctx.windows.push(new);
        }
        WindowOp::Close => {
            if ctx.windows.len() < 2 {
                return Err(StepError::OnlyWindow.into());
            }
            ctx.session.close_window().await.map_err(fail)?;
            ctx.windows.pop();
            if let Some(w) = ctx.windows.last().cloned() {
                ctx.session.switch_to_window(w).await.map_err(fail)?;
            }
        }
        WindowOp::Main => {
            if ctx.windows.len() > 1 {
                let gone = ctx.windows.split_off(1);
                ctx.left.extend(gone);
            }
            if let Some(w) = ctx.windows.first().cloned() {
                ctx.session.switch_to_window(w).await.map_err(fail)?;
            }
        }
        WindowOp::Titled(t) => {
            let want = ctx.render(t)?;
            for w in ctx.session.windows().await.map_err(fail)? {
                ctx.session
                    .switch_to_window(w.clone())
                    .await
                    .map_err(fail)?;
                let title = ctx.session.title().await.map_err(fail)?;
                let url = ctx.session.current_url().await.map_err(fail)?;
                if title.contains(&want) || url.as_str().contains(&want) {
                    if !ctx.windows.contains(&w) {
                        ctx.windows.push(w);
                    }
                    ctx.frames.path.clear();
                    return Ok(());
                }
            }
            return Err(Attempt::not_yet(format!(
                "no window's title or URL contains \"{want}\""
            )));
        }
    }
    ctx.frames.path.clear();
    Ok(())
}
