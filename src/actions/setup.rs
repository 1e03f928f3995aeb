use std::time::Duration;

use super::{AResult, Attempt, Ctx, StepError};

use crate::locate::{Hit, Mode, Purpose, Spec, Then};
use crate::runbook::{LocatorKind, Template};
use crate::salesforce;

/// How long a page shows no Setup tree before the step goes to Setup home for one.
const SETUP_TREE_WITHIN: Duration = Duration::from_secs(3);

/// "In Quick Find, enter X, then select X": types into the Setup tree's Quick Find box
/// and clicks the matching entry. Goes to Setup first when the page has no Setup tree.
pub async fn run(ctx: &mut Ctx, page: &Template, section: Option<&Template>) -> AResult<()> {
    let page = ctx.render(page)?;
    let section = section.map(|s| ctx.render(s)).transpose()?;
    let quick_find = Spec::simple(
        LocatorKind::Css,
        salesforce::QUICK_FIND_CSS,
        Purpose::Input,
        Mode::Act,
    );
    // All but the last character is pasted by the search that finds the box ready (one
    // round trip instead of a key event per character); the last one is typed, so a tree
    // that filters on key events sees a whole keystroke as well as the input events.
    let split = page.char_indices().last().map_or(0, |(i, _)| i);
    let (head, last) = page.split_at(split);
    let paste = Then::Insert {
        text: head.to_string(),
    };
    let found = ctx.find_then(&quick_find, Some(paste.clone())).await;
    let hit = match found {
        Ok(h) => h,
        // Looked for a while on a page without the Setup tree: go to Setup home.
        Err(Attempt::Retry(StepError::NotFound { .. } | StepError::NotReady { .. }))
            if ctx.looks.began.elapsed() >= SETUP_TREE_WITHIN =>
        {
            let here = ctx.session.current_url().await?;
            if !matches!(here.scheme(), "http" | "https") {
                return Err(StepError::NoOrgPage {
                    at: here.to_string(),
                }
                .into());
            }
            let home = here
                .join(salesforce::SETUP_HOME)
                .map_err(|e| StepError::BadUrl {
                    url: salesforce::SETUP_HOME.to_string(),
                    why: format!("it does not join to {here}: {e}"),
                })?;
            ctx.performed = Some("navigation");
            ctx.session.goto(home.as_str()).await?;
            ctx.frames.path.clear();
            ctx.find_then(&quick_find, Some(paste)).await?
        }
        Err(e) => return Err(e),
    };
    enter_search(ctx, &hit, &page, last).await?;
    let mut entry = Spec::simple(LocatorKind::Link, &page, Purpose::Click, Mode::Act);
    entry.within = Some(salesforce::SETUP_TREE_CSS.to_string());
    entry.in_section = section;
    let link = ctx.find(&entry).await?;
    ctx.click(&link).await
}

/// Finishes the Quick Find text: the last character typed after the paste (which left
/// the box focused), or all of it typed where the browser refused the paste.
async fn enter_search(ctx: &mut Ctx, hit: &Hit, text: &str, last: &str) -> AResult<()> {
    if hit.then.as_ref().is_some_and(|t| t.ok) {
        ctx.session.type_focused(last).await?;
        Ok(())
    } else {
        ctx.retype(&hit.el, text).await
    }
}
