//! Evidence: the screenshot after each step (secrets masked, an unchanged page linked
//! to its last picture), and what a failure leaves (its picture, page sources, console).

use super::*;

/// A screenshot file and the documents of the window it pictured: (frame label, the
/// document's own mark), top first.
pub(super) struct Picture {
    pub(super) file: String,
    pub(super) docs: Vec<(String, String)>,
    /// Where it was covered, in CSS pixels of the top viewport.
    pub(super) rects: Vec<crate::cover::Rect>,
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
            rec.screenshot_withheld = self.withheld.take();
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
        rec.screenshot_withheld = self.withheld.take();
        rec.diagnostics = self.diagnostics().await;
        self.finish(rec);
    }

    /// No picture for this step, and why (for its record and the log).
    fn withhold(&mut self, why: String) -> Option<String> {
        tracing::warn!("no screenshot: {why}");
        self.withheld = Some(why);
        None
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

    /// Takes the step's screenshot, with every place that shows a secret painted over
    /// (see `picture`). None when there is no picture; `withheld` then says why.
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
        let file = format!(
            "{:03}-{}{suffix}.png",
            self.seq,
            slug(&self.ctx.redactor.redact(title))
        );
        let last = self.last_picture.take();
        let (png, look) = match self.capture_covered(settle_ms, suffix.is_empty()).await {
            Ok(Captured::Png(png, look)) => (png, look),
            Ok(Captured::Unchanged(look)) => match &last {
                Some(last) if link_picture(&self.dir, &last.file, &file) => {
                    tracing::debug!("{file}: the page has not changed since {}", last.file);
                    self.last_picture = Some(Picture {
                        file: last.file.clone(),
                        docs: last.docs.clone(),
                        rects: look.rects,
                    });
                    return Some(file);
                }
                _ => match self.capture_covered(0, false).await {
                    Ok(Captured::Png(png, look)) => (png, look),
                    Ok(Captured::Unchanged(_)) => return None,
                    Err(why) => return self.withhold(why),
                },
            },
            // Without its covers, no picture: a leaked secret costs more than a missing image.
            Err(why) => return self.withhold(why),
        };
        let docs = pictured(&look.docs);
        match std::fs::write(self.dir.join(&file), png) {
            Ok(()) => {
                if suffix.is_empty() {
                    self.last_picture = docs.map(|docs| Picture {
                        file: file.clone(),
                        docs,
                        rects: look.rects,
                    });
                }
                Some(file)
            }
            Err(e) => {
                tracing::warn!("cannot write {file}: {e}");
                // Not a picture cut short, and a run that lost one has not passed.
                let _ = std::fs::remove_file(self.dir.join(&file));
                self.unwritten.push(format!("{file}: {e}"));
                None
            }
        }
    }
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
