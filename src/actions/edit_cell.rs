use std::time::Duration;

use super::{AResult, Attempt, Ctx, StepError};
use crate::locate::{self, Control, ElementRef, InlineAnswer, Mode, Purpose, Request};
use crate::poll::{poll, Look};
use crate::runbook::{Locator, Template};

/// How long an inline editor may take to open after its pencil is clicked, or to close
/// after Tab, before the step starts over.
const EDITOR_WITHIN: Duration = Duration::from_secs(2);

/// Edits a cell as a person does: the cell's pencil, the value typed into the editor that
/// opens, Tab to commit it (Enter commits only under synthetic shadow, Tab in both), then
/// the table's Save, waiting for the bar of unsaved edits to go.
pub async fn run(ctx: &mut Ctx, target: &Locator, value: &Template, save: bool) -> AResult<()> {
    let text = ctx.render(value)?;
    let what = target.describe();
    if ctx.redactor.redact(&text) != text {
        return Err(StepError::Unworkable {
            what,
            why: "would get a secret, and a table shows its cells to anyone who opens it".into(),
            try_: "set a secret through its own field (`fill`), which types it only into the org's own documents",
        }
        .into());
    }
    // Already so (an attempt cut short after its Save): nothing to do.
    let cell = ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
    let state = inline(ctx, &cell.el).await?;
    if cell.value == text && state.save.is_none() && !state.open {
        return Ok(());
    }
    let spec = ctx
        .spec(target, Purpose::Click, Mode::Act)?
        .for_control(Control::Edit);
    let pencil = ctx.find(&spec).await?;
    if pencil.role != "button" {
        return Err(StepError::Unworkable {
            what,
            why: "cannot be edited inline: it has no edit button (a read-only column)".into(),
            try_: "edit the record on its own page, or name an editable column",
        }
        .into());
    }
    ctx.click(&pencil).await?;
    let editor = wait(ctx, &pencil.el, &what, "did not open its editor", |s| {
        s.editor.clone()
    })
    .await?;
    let Some(field) = editor.resolve(&ctx.session) else {
        return Err(Attempt::not_yet("the cell's editor was re-rendered"));
    };
    let pasted: locate::InsertAnswer = locate::run(
        &ctx.session,
        &Request::Insert {
            el: editor.clone(),
            text: text.clone(),
        },
    )
    .await?;
    if !pasted.ok || pasted.value != text {
        ctx.retype(&field, &text).await?;
    }
    ctx.session
        .send_keys(&field, &crate::runbook::keys::sequence("Tab"))
        .await?;
    wait(ctx, &pencil.el, &what, "kept its editor open", |s| {
        (!s.open).then_some(())
    })
    .await?;
    if !save {
        return Ok(());
    }
    let bar = wait(ctx, &pencil.el, &what, "shows no Save for the edit", |s| {
        s.save.clone().map(|b| (b, s.aim.clone()))
    })
    .await;
    let (button, aim) = match bar {
        Ok(bar) => bar,
        // A table without a Save bar (`suppress-bottom-bar`) saves each change itself: the
        // cell showing the value is the edit done.
        Err(e) => {
            let now = ctx.find_locator(target, Purpose::Read, Mode::Read).await?;
            if now.value == text {
                return Ok(());
            }
            return Err(e);
        }
    };
    let aim = aim.and_then(|a| locate::aim(&ctx.session, &a));
    match (aim, button.resolve(&ctx.session)) {
        (Some(aim), _) => ctx.session.pointer_click(&aim).await?,
        (None, Some(b)) => ctx.session.click(&b).await?,
        (None, None) => return Err(Attempt::not_yet("the table's Save was re-rendered")),
    }
    // Saved when the bar of unsaved edits goes; an error it shows instead fails the step.
    let deadline = ctx.deadline.clone();
    let saved = poll(&deadline, async || match inline(ctx, &pencil.el).await {
        Ok(s) if s.save.is_none() => Look::Done(Ok(())),
        Ok(s) if !s.errors.is_empty() => Look::Done(Err(StepError::Unworkable {
            what: what.clone(),
            why: format!(
                "was not saved: the table says \"{}\"",
                s.errors.join("\"; \"")
            ),
            try_: "the value is what the table refused: compare with the failure's screenshot",
        }
        .into())),
        Ok(_) => Look::Again,
        Err(e) => Look::Done(Err(e)),
    })
    .await;
    saved.unwrap_or_else(|| Err(Attempt::not_yet(format!("{what} was not saved yet"))))
}

async fn inline(ctx: &Ctx, el: &fantoccini::elements::Element) -> AResult<InlineAnswer> {
    Ok(locate::run(
        &ctx.session,
        &Request::Inline {
            el: ElementRef::of(el),
        },
    )
    .await?)
}

/// Looks at the table's inline editing until `ready` picks something from it, for at most
/// [`EDITOR_WITHIN`]; else the step starts over, saying what `what` `failed` to do (or
/// what the editor says is wrong).
async fn wait<T>(
    ctx: &Ctx,
    el: &fantoccini::elements::Element,
    what: &str,
    failed: &str,
    ready: impl Fn(&InlineAnswer) -> Option<T>,
) -> AResult<T> {
    let mut last_errors = Vec::new();
    let found = poll(
        &ctx.deadline.within(EDITOR_WITHIN),
        async || match inline(ctx, el).await {
            Ok(s) => match ready(&s) {
                Some(t) => Look::Done(Ok(t)),
                None => {
                    last_errors = s.errors;
                    Look::Again
                }
            },
            Err(e) => Look::Done(Err(e)),
        },
    )
    .await;
    match found {
        Some(answer) => answer,
        None if !last_errors.is_empty() => Err(StepError::Unworkable {
            what: what.to_string(),
            why: format!(
                "{failed}: the editor says \"{}\"",
                last_errors.join("\"; \"")
            ),
            try_: "the value is what the table refused: compare with the failure's screenshot",
        }
        .into()),
        None => Err(Attempt::not_yet(format!("{what} {failed}"))),
    }
}
