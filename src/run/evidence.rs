//! Evidence: the screenshot after each step (secrets masked, an unchanged page linked
//! to its last picture), and what a failure leaves (its picture, page sources, console).

use super::*;

/// A screenshot file and the documents of the window it pictured: (frame label, the
/// document's own mark), top first.
pub(super) struct Picture {
    pub(super) file: String,
    pub(super) docs: Vec<(String, String)>,
}

impl<'l> Runner<'l> {
    pub(super) async fn fail_with(&mut self, e: &StepError, mut rec: StepRecord) {
        self.failure = Some(match e {
            StepError::Expectation(_) => Failure::Expectation,
            StepError::Browser(_) => Failure::Browser,
            _ => Failure::Step,
        });
        if !matches!(e, StepError::Browser(_)) {
            rec.screenshot = self.screenshot(&rec.title.clone(), "-failed").await;
            rec.diagnostics = self.diagnostics().await;
        }
        self.finish(rec);
    }

    /// The org refused the sign-in before the first step: recorded as a failed step 0
    /// with a picture of what the browser shows and the page's source.
    pub async fn sign_in_failed(&mut self, rb: &Runbook, title: &str, error: &str) {
        self.failure = Some(Failure::Step);
        let mut rec = StepRecord::sign_in_failed(
            &rb.path,
            &self.ctx.redactor.redact(title),
            &self.ctx.redactor.redact(error),
        );
        rec.screenshot = self.screenshot(&rec.title.clone(), "-failed").await;
        rec.diagnostics = self.diagnostics().await;
        self.finish(rec);
    }

    /// Page source of every frame and the browser console, redacted, for a failed step.
    pub(super) async fn diagnostics(&mut self) -> Vec<String> {
        let mut saved = Vec::new();
        let n = self.seq;
        let docs = locate::in_every_frame::<SourceAnswer>(
            &self.ctx.session,
            &mut self.ctx.frames,
            &Request::Source,
        )
        .await;
        if let Ok(docs) = docs {
            for (i, (label, doc)) in docs.iter().enumerate() {
                let file = format!("{n:03}-failed-source-{i}.html");
                let body = format!("<!-- {label}: {} -->\n{}", doc.url, doc.html);
                if std::fs::write(self.dir.join(&file), self.ctx.redactor.redact(&body)).is_ok() {
                    saved.push(file);
                }
            }
        }
        if let Ok(log) = self.ctx.session.console_log().await {
            let file = format!("{n:03}-failed-console.json");
            let text = serde_json::to_string_pretty(&log).unwrap_or_default();
            if std::fs::write(self.dir.join(&file), self.ctx.redactor.redact(&text)).is_ok() {
                saved.push(file);
            }
        }
        saved
    }

    /// Takes the step's screenshot, with every control or text that shows a secret
    /// masked first (the masks stay; the next screenshot updates them).
    pub(super) async fn screenshot(&mut self, title: &str, suffix: &str) -> Option<String> {
        if !self.opts.screenshots {
            return None;
        }
        // Every picture has its own number, a failure's too, so files sort in the order
        // they were taken and none shares a number with the step before.
        self.seq += 1;
        // The picture should show where the step led: wait (bounded) for loading to end.
        // A failure is pictured as it is.
        let settle_ms = if suffix.is_empty() { 1500 } else { 0 };
        let secrets = self.ctx.redactor.values();
        let min_len = secrets.iter().map(|s| s.chars().count()).min().unwrap_or(0);
        let specs: Vec<_> = self
            .secret_targets
            .iter()
            .filter_map(|l| self.ctx.spec(l, Purpose::Read, Mode::Read).ok())
            .map(|s| s.spec_request())
            .collect();
        let nothing_to_hide = secrets.is_empty() && specs.is_empty();
        let req = Request::Shoot {
            ms: settle_ms,
            min_len,
            specs,
            secrets: secrets.len(),
        };
        // What each document said: whether the walk saw them all, and whether each looks
        // as it did at the last picture.
        let mut answers: Vec<(String, ShootAnswer)> = Vec::new();
        let last = self.last_picture.take();
        if nothing_to_hide {
            // Nothing to hide: settle where the step acted, and skip the frame walk.
            let at_top = self.ctx.frames.at_top();
            if let Ok(v) = locate::run_for_screenshot::<ShootAnswer>(&self.ctx.session, &req).await
            {
                if at_top {
                    answers.push((FrameState::label(&[]), v));
                }
            }
        } else {
            let mut tries = 0;
            let res = loop {
                tries += 1;
                match locate::in_every_frame::<ShootAnswer>(
                    &self.ctx.session,
                    &mut self.ctx.frames,
                    &req,
                )
                .await
                {
                    // The step closed the window it acted in: picture the one the run is back in.
                    Err(EngineError::Driver(e)) if e.is_no_such_window() && tries < 3 => {
                        let _ = self.ctx.recover_window().await;
                    }
                    // A document went away under the walk (a page that navigates a moment
                    // after a save): mask the one that replaced it.
                    Err(EngineError::Driver(e)) if locate::frame_lost(&e) && tries < 3 => {
                        tokio::time::sleep(Duration::from_millis(50)).await
                    }
                    other => break other,
                }
            };
            match res.map(|docs| mask_secrets(&self.ctx.session, docs, &secrets)) {
                Ok(masking) => match masking.await {
                    Ok(docs) => answers = docs,
                    Err(e) => {
                        tracing::warn!(
                            "could not mask secrets before the screenshot, skipping it: {e}"
                        );
                        return None;
                    }
                },
                Err(e) => {
                    // Without a mask, no picture: a leaked secret costs more than a missing image.
                    tracing::warn!(
                        "could not mask secrets before the screenshot, skipping it: {e}"
                    );
                    return None;
                }
            }
        }
        let file = format!(
            "{:03}-{}{suffix}.png",
            self.seq,
            slug(&self.ctx.redactor.redact(title))
        );
        let docs = pictured(&answers);
        if let (Some(last), Some(docs)) = (&last, &docs) {
            let unchanged = suffix.is_empty()
                && !self.opts.fresh_screenshots
                && *docs == last.docs
                && answers.iter().all(|(_, v)| v.unchanged);
            if unchanged && link_picture(&self.dir, &last.file, &file) {
                tracing::debug!("{file}: the page has not changed since {}", last.file);
                self.last_picture = Some(Picture {
                    file: last.file.clone(),
                    docs: docs.clone(),
                });
                return Some(file);
            }
        }
        let mut png = self.ctx.session.screenshot().await;
        let mut docs = docs;
        if png.as_ref().is_err_and(|e| e.is_no_such_window()) {
            // The step closed the window it acted in: picture the one the run is back in
            // (whose documents the answers above do not describe).
            let _ = self.ctx.recover_window().await;
            png = self.ctx.session.screenshot().await;
            docs = None;
        }
        let png = match png {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!("screenshot failed: {e}");
                return None;
            }
        };
        match std::fs::write(self.dir.join(&file), png) {
            Ok(()) => {
                if suffix.is_empty() {
                    self.last_picture = docs.map(|docs| Picture {
                        file: file.clone(),
                        docs,
                    });
                }
                Some(file)
            }
            Err(e) => {
                tracing::warn!("cannot write {file}: {e}");
                None
            }
        }
    }
}

/// Looks for secrets in the texts each document answered, and has each document that
/// shows one masked (or one that no longer does unmasked): the secrets stay on this side.
/// A document whose masks moved no longer looks as at its last picture.
async fn mask_secrets(
    session: &crate::driver::Session,
    mut docs: Vec<(String, ShootAnswer)>,
    secrets: &[String],
) -> Result<Vec<(String, ShootAnswer)>, EngineError> {
    for (_, doc) in &mut docs {
        let hide: Vec<usize> = doc
            .texts
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                secrets
                    .iter()
                    .any(|s| !s.is_empty() && t.contains(s.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        // Every text answered gets its verdict, even one that changes no mask: that is how
        // the engine learns it need not answer the text again.
        if doc.texts.is_empty() {
            continue;
        }
        let req = Request::Mask { hide };
        let done: MaskAnswer = locate::run_in(session, &doc.context, &req, false).await?;
        if done.known != doc.texts.len() as u64 {
            return Err(EngineError::Script(
                "the document was replaced between reading its texts and masking them".into(),
            ));
        }
        if done.moved > 0 {
            doc.unchanged = false;
        }
    }
    Ok(docs)
}

/// The documents a screenshot shows, from the shoot answers: `None` unless the answers
/// cover every document of the window (each frame a document listed was searched too).
fn pictured(answers: &[(String, ShootAnswer)]) -> Option<Vec<(String, String)>> {
    let listed: usize = answers.iter().map(|(_, v)| v.frames.len()).sum();
    if answers.is_empty() || answers.len() != listed + 1 {
        return None;
    }
    answers
        .iter()
        .map(|(label, v)| {
            Some((
                label.clone(),
                Some(v.doc.clone()).filter(|d| !d.is_empty())?,
            ))
        })
        .collect()
}

/// The picture of an unchanged page is the last one: a hard link to its file (a copy
/// where links are refused). False when neither worked.
fn link_picture(dir: &Path, from: &str, to: &str) -> bool {
    let (from, to) = (dir.join(from), dir.join(to));
    std::fs::hard_link(&from, &to).is_ok() || std::fs::copy(&from, &to).is_ok()
}

pub(super) fn collect_secret_targets(steps: &[Step], out: &mut Vec<crate::runbook::Locator>) {
    for s in steps {
        match &s.kind {
            StepKind::Action(Action::Capture(crate::runbook::actions::Capture {
                items,
                secret: true,
            })) => out.extend(items.iter().map(|i| i.target.clone())),
            StepKind::Group { steps, .. } => collect_secret_targets(steps, out),
            StepKind::Include { runbook, .. } => collect_secret_targets(&runbook.steps, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_names_every_document_or_none() {
        let shoot = |v: serde_json::Value| -> ShootAnswer { serde_json::from_value(v).unwrap() };
        let top = shoot(serde_json::json!({ "doc": "a", "frames": [{ "name": "vf" }] }));
        let frame = shoot(serde_json::json!({ "doc": "b", "frames": [] }));
        let both = vec![
            ("the top document".to_string(), top.clone()),
            ("frame vf".to_string(), frame),
        ];
        assert_eq!(
            pictured(&both),
            Some(vec![
                ("the top document".into(), "a".into()),
                ("frame vf".into(), "b".into())
            ])
        );
        // A frame the walk could not enter: the picture is not known document by document.
        assert_eq!(pictured(&both[..1]), None);
        assert_eq!(pictured(&[]), None);
        // An engine that gave no mark.
        assert_eq!(
            pictured(&[(
                "the top document".into(),
                shoot(serde_json::json!({ "frames": [] }))
            )]),
            None
        );
    }
}
