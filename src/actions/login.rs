use super::{AResult, Ctx, StepError};
use crate::locate::{self, EngineError, Mode, Purpose, SecretOutcome, Spec};
use crate::poll::{poll, Look};
use crate::runbook::{LocatorKind, Template};

/// Signs in on a Salesforce login page (`#username`, `#password`, `#Login`) and waits
/// until the page has moved on, or reports what the login page said.
pub async fn run(ctx: &mut Ctx, username: &Template, password: &Template) -> AResult<()> {
    let user = ctx.render(username)?;
    let pass = ctx.render(password)?;
    let css = |sel: &str, purpose| Spec::simple(LocatorKind::Css, sel, purpose, Mode::Act);
    // Both fields only in the org's documents: a partner widget's sign-in form on the
    // page (the same ids are common) must get neither the user nor the password.
    super::fill::replace_secret(
        ctx,
        &css("input#username", Purpose::Input),
        "the username field",
        &user,
    )
    .await?;
    super::fill::replace_secret(
        ctx,
        &css("input#password", Purpose::Input),
        "the password field",
        &pass,
    )
    .await?;
    let b = ctx.find(&css("#Login", Purpose::Click)).await?;
    ctx.click(&b).await?;
    let gone = Spec::simple(
        LocatorKind::Css,
        "input#password",
        Purpose::Read,
        Mode::Read,
    );
    let error = Spec::simple(
        LocatorKind::Css,
        "#error, .loginError, #errorTitle",
        Purpose::Read,
        Mode::Read,
    );
    let deadline = ctx.deadline.clone();
    let left = poll(&deadline, async || match look(ctx, &error, &gone).await {
        Ok(LoginPage::Left) => Look::Done(Ok(())),
        Ok(LoginPage::Says(message)) => Look::Done(Err(StepError::LoginRefused(
            ctx.redactor.redact(&message),
        )
        .into())),
        Ok(LoginPage::Waiting) => Look::Again,
        // The click starts a navigation that may land while a search runs: that means
        // the page is moving on, so look again rather than fail or redo the login.
        Err(EngineError::Driver(e)) if StepError::transient(&e) || locate::frame_lost(&e) => {
            ctx.frames.lost();
            Look::Again
        }
        Err(e) => Look::Done(Err(e.into())),
    })
    .await;
    left.unwrap_or_else(|| {
        Err(StepError::StillOnLogin {
            limit: deadline.limit.clone(),
        }
        .into())
    })
}

enum LoginPage {
    Left,
    Says(String),
    Waiting,
}

/// Where the sign-in stands, read in the org's documents alone: a partner widget's own
/// password field or error text on the page says nothing about it (and would keep the
/// step waiting, or put the widget's words in the failure).
async fn look(ctx: &mut Ctx, error: &Spec, gone: &Spec) -> Result<LoginPage, EngineError> {
    let (session, frames, org) = (&ctx.session, &mut ctx.frames, &ctx.org);
    if let SecretOutcome::Found(e) =
        locate::locate_secret(session, frames, error, None, org).await?
    {
        if !e.value.trim().is_empty() {
            return Ok(LoginPage::Says(e.value.trim().to_string()));
        }
    }
    Ok(
        match locate::locate_secret(session, frames, gone, None, org).await? {
            SecretOutcome::Missing(_) | SecretOutcome::Foreign(_) => LoginPage::Left,
            SecretOutcome::Found(_) | SecretOutcome::Ambiguous(_) => LoginPage::Waiting,
        },
    )
}
