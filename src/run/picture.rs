//! A picture that shows no secret, whenever the page draws it: look (every document
//! says where it draws what must not show, and the texts that might show a secret are
//! judged here), capture, look again, and keep the capture only if nothing that must be
//! covered appeared since the first look; else take it again, a bounded number of times,
//! and refuse the picture past that. The covers are painted on the picture's pixels
//! ([`crate::cover`]), never in the page.

use std::collections::HashMap;

use super::secret_match::{drawn_len, Judge};
use super::*;
use crate::cover::{self, Rect};
use crate::locate::{Doc, ElementRef};

/// Captures taken for one picture before it is refused: a page that keeps drawing
/// something new to cover is pictured by none of them.
const TAKES: usize = 3;

/// What one look through every document of the window found.
pub(super) struct Look {
    /// Where to cover, in CSS pixels of the top viewport.
    pub(super) rects: Vec<Rect>,
    /// Device pixels per CSS pixel of the picture.
    scale: f64,
    /// Each document's change count, for the next look's `since`.
    marks: HashMap<String, u64>,
    /// A change since the last look brought in a secret's text (it may be gone again).
    secret_passed: bool,
    /// The documents, as `pictured` reads them.
    pub(super) docs: Vec<(String, ShootAnswer)>,
    /// How long the documents waited to finish loading, by their own clocks.
    settle_ms: f64,
    /// Per document (its mark), the answer whose texts were judged and hold no secret:
    /// told to the document with the next look (`Request::Shoot::clean`).
    clean: HashMap<String, u64>,
}

/// The result of [`Runner::capture_covered`].
pub(super) enum Captured {
    /// The covered PNG, and the look it was covered by.
    Png(Vec<u8>, Look),
    /// The page looks as at the last picture, covered the same way.
    Unchanged(Look),
}

impl Evidence {
    /// Settles (up to `settle_ms`), then captures the window with every place that shows
    /// a secret painted over. `Err` says why there is no picture: no picture is better
    /// than one that shows a secret.
    pub(super) async fn capture_covered(
        &mut self,
        ctx: &mut Ctx,
        last: Option<&Picture>,
        settle_ms: u64,
        may_link: bool,
        laps: &mut Laps,
    ) -> Result<Captured, String> {
        let secrets = ctx.redactor.values();
        let specs: Vec<_> = self
            .secret_targets
            .iter()
            .filter_map(|l| ctx.spec(l, Purpose::Read, Mode::Read).ok())
            .map(|s| s.spec_request())
            .collect();
        // The fewest characters a text showing a secret can have: as it is drawn (see
        // `secret_ranges`), a secret's white space may be left out.
        let min_len = secrets
            .iter()
            .map(|s| drawn_len(s))
            .filter(|n| *n > 0)
            .min()
            .unwrap_or(0);
        let guard = !secrets.is_empty() || !specs.is_empty();
        let mut req = Request::Shoot {
            ms: settle_ms,
            min_len,
            specs,
            secrets: secrets.len(),
            guard,
            since: HashMap::new(),
            // Verdicts of the last look, told to the documents now (never lost: a verdict
            // not told is a text answered and judged again).
            clean: std::mem::take(&mut self.clean),
        };
        if !guard {
            // Nothing to hide: settle where the step acted, and skip the frame walk.
            let look = look_here(ctx, &req).await;
            laps.look(look.as_ref().map_or(0.0, |l| l.settle_ms));
            if may_link && look.as_ref().is_some_and(|l| self.same_as_last(l, last)) {
                if let Some(look) = look {
                    return Ok(Captured::Unchanged(look));
                }
            }
            let png = capture(ctx).await?;
            laps.t.capture += laps.lap();
            let look = look.unwrap_or_else(|| Look::empty(1.0));
            return Ok(Captured::Png(png, look));
        }
        let seen = std::mem::take(&mut self.seen);
        let mut before = look(ctx, &req, &secrets, &seen).await?;
        laps.look(before.settle_ms);
        if may_link && self.same_as_last(&before, last) {
            self.clean = std::mem::take(&mut before.clean);
            self.seen = before.contexts();
            return Ok(Captured::Unchanged(before));
        }
        for _ in 0..TAKES {
            let png = capture(ctx).await?;
            laps.t.capture += laps.lap();
            if let Request::Shoot {
                ms, since, clean, ..
            } = &mut req
            {
                *ms = 0;
                since.clone_from(&before.marks);
                *clean = std::mem::take(&mut before.clean);
            }
            // The frames the first look found are asked at once with the top document. An
            // answer the walk drops is one from a window no document lists any more; and
            // an answer with `since` takes nothing with it: the engine answers every
            // change since the first look as often as it is asked.
            let seen = before.contexts();
            let mut after = look(ctx, &req, &secrets, &seen).await?;
            laps.look(after.settle_ms);
            if !after.secret_passed && cover::all_covered(&after.rects, &before.rects) {
                self.clean = std::mem::take(&mut after.clean);
                self.seen = after.contexts();
                let png = cover::paint(&png, &before.rects, before.scale)?;
                laps.t.cover += laps.lap();
                return Ok(Captured::Png(png, before));
            }
            tracing::debug!(
                "the page drew something to cover while it was pictured: taking it again"
            );
            before = after;
        }
        Err(format!(
            "the page kept drawing something new to cover while it was pictured ({TAKES} tries)"
        ))
    }

    /// The page looks as at the last picture, covered in the same places.
    fn same_as_last(&self, look: &Look, last: Option<&Picture>) -> bool {
        if self.fresh {
            return false;
        }
        let (Some(last), Some(docs)) = (last, pictured(&look.docs)) else {
            return false;
        };
        docs == last.docs && look.rects == last.rects && look.docs.iter().all(|(_, v)| v.unchanged)
    }
}

/// The window's picture, as the browser takes it; the window the run is back in when
/// the step closed the one it acted in.
async fn capture(ctx: &mut Ctx) -> Result<Vec<u8>, String> {
    let mut png = ctx.session.screenshot().await;
    if png.as_ref().is_err_and(|e| e.is_no_such_window()) {
        let _ = ctx.recover_window().await;
        png = ctx.session.screenshot().await;
    }
    png.map_err(|e| format!("the browser took no screenshot ({e})"))
}

/// The current document's answer alone (nothing to hide: no masks, no frame walk).
async fn look_here(ctx: &mut Ctx, req: &Request) -> Option<Look> {
    let at_top = ctx.frames.at_top();
    let v = locate::run_for_screenshot::<ShootAnswer>(&ctx.session, req)
        .await
        .ok()?;
    let mut look = Look::empty(v.dpr);
    look.settle_ms = v.settle_ms;
    if at_top {
        look.docs.push((FrameState::label(&[]), v));
    }
    Some(look)
}

/// Every document's answer, its texts judged, its covers placed on the top viewport.
/// `seen`: the frames' windows of an earlier look, asked at once with the top document
/// (the walk drops an answer from a window no document lists any more).
async fn look(
    ctx: &mut Ctx,
    req: &Request,
    secrets: &[String],
    seen: &[String],
) -> Result<Look, String> {
    let mut tries = 0;
    let docs = loop {
        tries += 1;
        let guess = if tries == 1 { seen } else { &[] };
        match locate::every_document_guessing::<ShootAnswer>(
            &ctx.session,
            &mut ctx.frames,
            req,
            guess,
        )
        .await
        {
            // The step closed the window it acted in: picture the one the run is back in.
            Err(EngineError::Driver(e)) if e.is_no_such_window() && tries < 3 => {
                let _ = ctx.recover_window().await;
            }
            // A document went away under the walk (a page that navigates a moment
            // after a save): look at the one that replaced it.
            Err(EngineError::Driver(e)) if locate::frame_lost(&e) && tries < 3 => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            other => break other,
        }
    };
    let mut docs = docs.map_err(|e| format!("could not look for secrets on the page: {e}"))?;
    // Hosts of closed shadow roots: handed to their documents' engines, which then
    // walk them, and the look is taken again (once: each host is asked about once).
    if hand_over_closed_roots(ctx, &docs).await? {
        docs = locate::every_document::<ShootAnswer>(&ctx.session, &mut ctx.frames, req)
            .await
            .map_err(|e| format!("could not look for secrets on the page: {e}"))?;
    }
    let mut look = Look::empty(docs.first().map_or(1.0, |d| d.answer.dpr));
    look.settle_ms = docs.iter().map(|d| d.answer.settle_ms).sum();
    let mut per_doc: Vec<Vec<Rect>> = Vec::with_capacity(docs.len());
    let judge = Judge::new(secrets);
    let mut to_mask = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let v = &doc.answer;
        if let Some(why) = &v.overflow {
            return Err(format!("{} ({})", why, doc.label));
        }
        look.marks.insert(v.doc.clone(), v.gen);
        look.secret_passed |= v.transient.iter().any(|t| judge.shows(t));
        per_doc.push(v.rects.clone());
        let hide: Vec<(usize, Vec<(usize, usize)>)> = v
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i, judge.ranges(t)))
            .filter(|(_, r)| !r.is_empty())
            .collect();
        let edge = v
            .edge
            .as_deref()
            .map(|t| judge.ranges(t))
            .unwrap_or_default();
        // Every text answered gets its verdict, even one that hides nothing: that is
        // how the engine learns it need not answer the text again. Texts with nothing
        // to hide are told so with the next look; a secret's boxes are asked for now.
        if !hide.is_empty() || !edge.is_empty() {
            to_mask.push((i, hide, edge));
        } else if !v.texts.is_empty() {
            look.clean.insert(v.doc.clone(), v.serial);
        }
    }
    let session = &ctx.session;
    let masked = futures_util::future::join_all(to_mask.into_iter().map(|(i, hide, edge)| {
        let v = &docs[i].answer;
        async move {
            let done: Result<MaskAnswer, _> =
                locate::run_in(session, &v.context, &Request::Mask { hide, edge }, false).await;
            (i, done)
        }
    }))
    .await;
    for (i, done) in masked {
        let done = done.map_err(|e| format!("could not judge the page's texts: {e}"))?;
        if done.known != docs[i].answer.texts.len() as u64 {
            return Err(
                "the document was replaced between reading its texts and judging them".into(),
            );
        }
        per_doc[i].extend(done.rects);
    }
    look.rects = place_all(&docs, &per_doc);
    look.docs = docs.into_iter().map(|d| (d.label, d.answer)).collect();
    Ok(look)
}

/// Asks the browser for the closed shadow roots of the hosts each document listed and
/// hands them to it; true when one was found.
async fn hand_over_closed_roots(ctx: &Ctx, docs: &[Doc<ShootAnswer>]) -> Result<bool, String> {
    let session = &ctx.session;
    // Each document's two round trips in turn; the documents at once.
    let handed = futures_util::future::join_all(docs.iter().filter(|d| d.answer.hosts > 0).map(
        |doc| async move {
            let v = &doc.answer;
            let roots = session
                .closed_roots(&v.context, v.host_serial)
                .await
                .map_err(|e| format!("could not look into closed shadow roots: {e}"))?;
            let roots: Vec<(usize, ElementRef)> = roots
                .into_iter()
                .enumerate()
                .filter_map(|(i, r)| Some((i, ElementRef(r?))))
                .collect();
            let found = !roots.is_empty();
            let req = Request::Roots {
                serial: v.host_serial,
                roots,
            };
            let done: serde_json::Value = locate::run_in(session, &v.context, &req, false)
                .await
                .map_err(|e| format!("could not look into closed shadow roots: {e}"))?;
            // The engine listed other hosts meanwhile: these roots were not taken, and
            // what they show would go uncovered.
            if done.get("stale").and_then(serde_json::Value::as_bool) == Some(true) {
                return Err(
                    "could not look into closed shadow roots: the document listed other hosts meanwhile"
                        .to_string(),
                );
            }
            Ok::<bool, String>(found)
        },
    ))
    .await;
    let mut found = false;
    for h in handed {
        found |= h?;
    }
    Ok(found)
}

impl Look {
    /// The windows of its frames' documents, for the next look to ask at once.
    fn contexts(&self) -> Vec<String> {
        self.docs
            .iter()
            .skip(1)
            .map(|(_, v)| v.context.clone())
            .filter(|c| !c.is_empty())
            .collect()
    }

    fn empty(scale: f64) -> Look {
        Look {
            rects: Vec::new(),
            scale: if scale.is_finite() && scale > 0.0 {
                scale
            } else {
                1.0
            },
            marks: HashMap::new(),
            secret_passed: false,
            docs: Vec::new(),
            settle_ms: 0.0,
            clean: HashMap::new(),
        }
    }
}

/// Each document's covers moved to the top viewport and cut to its frame; a frame whose
/// document did not answer (it went away, or could not be entered) is covered whole, as
/// nothing is known of what it shows.
fn place_all(docs: &[Doc<ShootAnswer>], rects: &[Vec<Rect>]) -> Vec<Rect> {
    let whole = [0.0, 0.0, f64::MAX / 4.0, f64::MAX / 4.0];
    // Per document: its viewport's origin on the top viewport, and what of it shows.
    let mut at: Vec<Option<(f64, f64, Rect)>> = Vec::with_capacity(docs.len());
    let mut out = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let placed = match doc.parent {
            None => Some((0.0, 0.0, whole)),
            Some((p, slot)) => at.get(p).copied().flatten().and_then(|(x, y, clip)| {
                let b = docs[p].answer.frames.get(slot)?.content_box?;
                let frame = cover::place(&[0.0, 0.0, b[2], b[3]], x + b[0], y + b[1], &clip)?;
                Some((x + b[0], y + b[1], frame))
            }),
        };
        at.push(placed);
        if let Some((x, y, clip)) = placed {
            out.extend(rects[i].iter().filter_map(|r| cover::place(r, x, y, &clip)));
        }
    }
    // Frames listed with a box but answered by no document.
    for (i, doc) in docs.iter().enumerate() {
        let Some((x, y, clip)) = at[i] else { continue };
        for (slot, f) in doc.answer.frames.iter().enumerate() {
            let answered = docs.iter().any(|d| d.parent == Some((i, slot)));
            if let (false, Some(b)) = (answered, f.content_box) {
                out.extend(cover::place(&b, x, y, &clip));
            }
        }
    }
    out
}

/// The documents a screenshot shows, from the shoot answers: `None` unless the answers
/// cover every document of the window (each frame a document listed was searched too).
pub(super) fn pictured(answers: &[(String, ShootAnswer)]) -> Option<Vec<(String, String)>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(parent: Option<(usize, usize)>, frames: serde_json::Value) -> Doc<ShootAnswer> {
        Doc {
            label: String::new(),
            answer: serde_json::from_value(serde_json::json!({ "frames": frames })).unwrap(),
            parent,
        }
    }

    #[test]
    fn covers_in_frames_are_placed_on_the_top_viewport_and_unanswered_frames_covered_whole() {
        let docs = vec![
            doc(
                None,
                serde_json::json!([
                    { "box": [100.0, 50.0, 300.0, 200.0] },
                    { "box": [500.0, 0.0, 40.0, 40.0] }
                ]),
            ),
            doc(
                Some((0, 0)),
                serde_json::json!([{ "box": [10.0, 10.0, 50.0, 50.0] }]),
            ),
            doc(Some((1, 0)), serde_json::json!([])),
        ];
        let rects = vec![
            vec![[1.0, 2.0, 3.0, 4.0]],
            vec![[0.0, 0.0, 10.0, 10.0], [290.0, 0.0, 100.0, 10.0]],
            vec![[5.0, 5.0, 100.0, 5.0]],
        ];
        assert_eq!(
            place_all(&docs, &rects),
            vec![
                [1.0, 2.0, 3.0, 4.0],
                [100.0, 50.0, 10.0, 10.0],
                // Cut at the frame's right edge.
                [390.0, 50.0, 10.0, 10.0],
                // Two frames deep, cut to the inner frame.
                [115.0, 65.0, 45.0, 5.0],
                // The second frame of the top document never answered.
                [500.0, 0.0, 40.0, 40.0],
            ]
        );
    }

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
