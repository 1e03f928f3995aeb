//! Evidence: the screenshot after each step (secrets covered, an unchanged page linked
//! to its last picture), and what a failure leaves (its picture, page sources, console).
//! The runner hands each step's context in; the evidence keeps its own state.

use super::*;
use crate::runbook::Locator;

/// A screenshot file and the documents of the window it pictured: (frame label, the
/// document's own mark), top first.
pub(super) struct Picture {
    pub(super) file: String,
    pub(super) docs: Vec<(String, String)>,
    /// Where it was covered, in CSS pixels of the top viewport.
    pub(super) rects: Vec<crate::cover::Rect>,
}

/// What a run leaves besides its step records, and what leaving it takes.
pub(super) struct Evidence {
    /// The run folder.
    pub(super) dir: PathBuf,
    /// Pictures at all (`--no-screenshots` turns them off).
    screenshots: bool,
    /// Capture every picture, even of a page that has not changed since the last one.
    pub(super) fresh: bool,
    /// The number of the last picture: every picture has its own, a failure's too, so
    /// files sort in the order they were taken.
    seq: usize,
    /// The last picture captured and the documents it showed, each as it was then.
    pub(super) last_picture: Option<Picture>,
    /// Locators of secret captures: what they point at is covered in every picture, even
    /// before its value is known.
    pub(super) secret_targets: Vec<Locator>,
    /// Evidence that could not be written (each file and why): the run fails for it.
    pub(super) unwritten: Vec<String>,
    /// The last look's verdicts that texts hold no secret, for the next look to tell
    /// (see `picture`).
    pub(super) clean: std::collections::HashMap<String, u64>,
    /// The windows of the frames the last look found (see `picture`).
    pub(super) seen: Vec<String>,
}

/// A step's screenshot: its file, or why there is none; and the earlier picture it is
/// when the page had not changed.
#[derive(Default)]
pub(super) struct Shot {
    pub(super) file: Option<String>,
    pub(super) withheld: Option<String>,
    pub(super) same_as: Option<String>,
}

impl Shot {
    fn withheld(why: String) -> Shot {
        tracing::warn!("no screenshot: {why}");
        Shot {
            withheld: Some(why),
            ..Shot::default()
        }
    }
    /// Into the step's record.
    pub(super) fn record(self, rec: &mut StepRecord) {
        rec.screenshot = self.file;
        rec.screenshot_withheld = self.withheld;
        rec.screenshot_same_as = self.same_as;
    }
}

impl Evidence {
    pub(super) fn new(dir: PathBuf, opts: &RunOptions) -> Evidence {
        Evidence {
            dir,
            screenshots: opts.screenshots,
            fresh: opts.fresh_screenshots,
            seq: 0,
            last_picture: None,
            secret_targets: Vec::new(),
            unwritten: Vec::new(),
            clean: Default::default(),
            seen: Vec::new(),
        }
    }

    /// The runbook's secret captures, covered from the first picture on.
    pub(super) fn watch_secret_captures(&mut self, rb: &Runbook) {
        collect_secret_targets(&rb.steps, &mut self.secret_targets);
    }

    /// A resumed run numbers its pictures after the ones already in its folder.
    pub(super) fn number_after_existing(&mut self) {
        self.seq = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
                    .count()
            })
            .unwrap_or(0);
    }

    /// Page source of every frame and the browser console, redacted, for a failed step.
    pub(super) async fn diagnostics(&mut self, ctx: &mut Ctx) -> Vec<String> {
        let mut saved = Vec::new();
        let n = self.seq;
        let docs =
            locate::in_every_frame::<SourceAnswer>(&ctx.session, &mut ctx.frames, &Request::Source)
                .await;
        if let Ok(docs) = docs {
            for (i, (label, doc)) in docs.iter().enumerate() {
                let file = format!("{n:03}-failed-source-{i}.html");
                let body = format!("<!-- {label}: {} -->\n{}", doc.url, doc.html);
                self.save(&file, ctx.redactor.redact(&body).as_bytes(), &mut saved);
            }
        }
        if let Ok(log) = ctx.session.console_log().await {
            let file = format!("{n:03}-failed-console.json");
            let text = serde_json::to_string_pretty(&log).unwrap_or_default();
            self.save(&file, ctx.redactor.redact(&text).as_bytes(), &mut saved);
        }
        saved
    }

    /// Writes a file of the run folder whole or not at all; one that could not be
    /// written fails the run (`unwritten`).
    fn save(&mut self, file: &str, bytes: &[u8], saved: &mut Vec<String>) -> bool {
        match crate::report::atomic::write(&self.dir.join(file), bytes) {
            Ok(()) => {
                saved.push(file.to_string());
                true
            }
            Err(e) => {
                tracing::warn!("{e}");
                self.unwritten.push(format!("{file}: {e}"));
                false
            }
        }
    }

    /// Takes the step's screenshot, with every place that shows a secret painted over
    /// (see `picture`).
    pub(super) async fn screenshot(
        &mut self,
        ctx: &mut Ctx,
        title: &str,
        suffix: &str,
        laps: &mut Laps,
    ) -> Shot {
        if !self.screenshots {
            return Shot::default();
        }
        self.seq += 1;
        // The picture should show where the step led: wait (bounded) for loading to end.
        // A failure is pictured as it is.
        let settle_ms = if suffix.is_empty() { 1500 } else { 0 };
        let file = format!(
            "{:03}-{}{suffix}.png",
            self.seq,
            slug(&ctx.redactor.redact(title))
        );
        let last = self.last_picture.take();
        let (png, look) = match self
            .capture_covered(ctx, last.as_ref(), settle_ms, suffix.is_empty(), laps)
            .await
        {
            Ok(Captured::Png(png, look)) => (png, look),
            Ok(Captured::Unchanged(look)) => match last {
                Some(last) if link_picture(&self.dir, &last.file, &file) => {
                    laps.t.write += laps.lap();
                    tracing::debug!("{file}: the page has not changed since {}", last.file);
                    let same_as = Some(last.file.clone());
                    self.last_picture = Some(Picture {
                        rects: look.rects,
                        ..last
                    });
                    return Shot {
                        file: Some(file),
                        withheld: None,
                        same_as,
                    };
                }
                _ => match self.capture_covered(ctx, None, 0, false, laps).await {
                    Ok(Captured::Png(png, look)) => (png, look),
                    Ok(Captured::Unchanged(_)) => return Shot::default(),
                    Err(why) => return Shot::withheld(why),
                },
            },
            // Without its covers, no picture: a leaked secret costs more than a missing image.
            Err(why) => return Shot::withheld(why),
        };
        let docs = pictured(&look.docs);
        // Whole or not at all: a run that lost a picture has not passed.
        let mut saved = Vec::new();
        let written = self.save(&file, &png, &mut saved);
        laps.t.write += laps.lap();
        if !written {
            return Shot::withheld(format!("the picture {file} could not be written"));
        }
        if suffix.is_empty() {
            self.last_picture = docs.map(|docs| Picture {
                file: file.clone(),
                docs,
                rects: look.rects,
            });
        }
        Shot {
            file: Some(file),
            ..Shot::default()
        }
    }
}

impl<'l> Runner<'l> {
    pub(super) async fn fail_with(&mut self, e: &StepError, mut rec: StepRecord) {
        self.failure = Some(match e {
            StepError::Expectation(_) => Failure::Expectation,
            StepError::Browser(_) => Failure::Browser,
            StepError::InputNotGiven { .. } => Failure::InputNotGiven,
            _ => Failure::Step,
        });
        if !matches!(e, StepError::Browser(_)) {
            self.failure_evidence(&mut rec).await;
        }
        self.finish(rec);
    }

    /// What a failure leaves: its picture and the page sources and console.
    async fn failure_evidence(&mut self, rec: &mut StepRecord) {
        let title = rec.title.clone();
        // A failure's evidence is not part of the step's timings.
        let mut laps = Laps::new(Instant::now());
        self.evidence
            .screenshot(&mut self.ctx, &title, "-failed", &mut laps)
            .await
            .record(rec);
        rec.diagnostics = self.evidence.diagnostics(&mut self.ctx).await;
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
        self.failure_evidence(&mut rec).await;
        self.finish(rec);
    }
}

/// The picture of an unchanged page is the last one: a hard link to its file (a copy,
/// written whole, where links are refused). False when neither worked.
fn link_picture(dir: &Path, from: &str, to: &str) -> bool {
    let (from, to) = (dir.join(from), dir.join(to));
    std::fs::hard_link(&from, &to).is_ok()
        || std::fs::read(&from)
            .and_then(|png| crate::report::atomic::write(&to, &png))
            .is_ok()
}

fn collect_secret_targets(steps: &[Step], out: &mut Vec<Locator>) {
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
