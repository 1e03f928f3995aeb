//! Where the session is among a page's frames, and operations run in every document of
//! the window (the screenshot's masking, a failure's page sources), top first.

use super::*;

/// The frame the session is in, as a path of frame names from the top document.
#[derive(Debug, Clone, Default)]
pub struct FrameState {
    pub path: Vec<String>,
    /// An error cut a frame walk short, so the session may be in any frame: the next
    /// search starts by switching to the top document.
    pub(super) unsure: bool,
}

impl FrameState {
    /// Known to be in the top document.
    pub fn at_top(&self) -> bool {
        self.path.is_empty() && !self.unsure
    }

    /// After an error in the middle of a search.
    pub fn lost(&mut self) {
        self.path.clear();
        self.unsure = true;
    }

    pub fn label(path: &[String]) -> String {
        if path.is_empty() {
            "the top document".into()
        } else {
            format!("frame {}", path.join(" > "))
        }
    }
}

/// One document of a window, as a walk through every frame found it.
pub struct Doc<A> {
    /// Its frame label ("the top document", "frame vf > inner").
    pub label: String,
    pub answer: A,
    /// Where its frame is listed: the parent document's index in the walk's answer, and
    /// the frame's place in that document's `frames`. None for the top document.
    pub parent: Option<(usize, usize)>,
}

/// Runs `req` in the top document and every frame below it, depth first, and returns
/// each document's answer with its frame label (see [`every_document`]).
pub async fn in_every_frame<A>(
    session: &Session,
    frames: &mut FrameState,
    req: &Request,
) -> Result<Vec<(String, A)>, EngineError>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    let docs = every_document(session, frames, req).await?;
    Ok(docs.into_iter().map(|d| (d.label, d.answer)).collect())
}

/// Runs `req` in the top document and every frame below it, depth first, and returns
/// each document's answer with its frame label and where its frame is listed. Each document is reached by its BiDi
/// context, and the session stays where it was. Where a frame's window is not known, the
/// walk switches frames instead and leaves the session in the last frame it visited,
/// recorded in `frames` (on an error the frame state is marked unsure).
pub async fn every_document<A>(
    session: &Session,
    frames: &mut FrameState,
    req: &Request,
) -> Result<Vec<Doc<A>>, EngineError>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    // By BiDi context, where every frame's window is known: no WebDriver frame switch
    // (about 11 ms each), and the session stays in the frame the step acted in.
    match every_by_context(session, req).await {
        Ok(Some(all)) => return Ok(all),
        Err(e @ EngineError::Script(_)) => return Err(e),
        // A frame without a known window, or a document gone mid-walk: walk by switching.
        Ok(None) | Err(EngineError::Driver(_)) => {}
    }
    let res = every_from_top(session, frames, req).await;
    if res.is_err() {
        frames.lost();
    }
    res
}

/// The walk of [`in_every_frame`] by each document's BiDi context, depth first, top
/// first; `None` when a frame's window is not known.
async fn every_by_context<A>(
    session: &Session,
    req: &Request,
) -> Result<Option<Vec<Doc<A>>>, EngineError>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    let mut out = Vec::new();
    let mut to_visit = vec![(session.top_context().await?, Vec::<String>::new(), None)];
    while let Some((context, path, parent)) = to_visit.pop() {
        let answer = match call_in(session, context, req, true).await {
            Ok(v) => parse::<A>(v)?,
            // A frame that went away since its parent listed it is not pictured.
            Err(EngineError::Driver(_)) if !path.is_empty() => continue,
            Err(e) => return Err(e),
        };
        let frames = frames_of(answer.frames());
        let here = out.len();
        // Pushed in reverse, so they are visited in document order.
        for (slot, frame) in frames.into_iter().enumerate().rev() {
            let Some(context) = frame.context else {
                return Ok(None);
            };
            let mut below = path.clone();
            below.push(frame.name);
            to_visit.push((context, below, Some((here, slot))));
        }
        out.push(Doc {
            label: FrameState::label(&path),
            answer,
            parent,
        });
    }
    Ok(Some(out))
}

async fn every_from_top<A>(
    session: &Session,
    frames: &mut FrameState,
    req: &Request,
) -> Result<Vec<Doc<A>>, EngineError>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    if !frames.path.is_empty() || frames.unsure {
        session.enter_top().await?;
    }
    frames.path.clear();
    frames.unsure = false;
    let mut out = Vec::new();
    let top: A = run(session, req).await?;
    out.push(Doc {
        label: FrameState::label(&[]),
        answer: top.clone(),
        parent: None,
    });
    let mut at = Vec::new();
    every(session, req, &top, 0, &mut Vec::new(), &mut at, &mut out).await?;
    frames.path = at;
    Ok(out)
}

/// `path` is the document whose answer `here` is; `at` is the frame the session is
/// really in, which may be deeper: leaving a frame waits until the next sibling needs
/// it, so the walk ends inside the last frame instead of climbing back to the top.
fn every<'a, A>(
    session: &'a Session,
    req: &'a Request,
    here: &'a A,
    here_at: usize,
    path: &'a mut Vec<String>,
    at: &'a mut Vec<String>,
    out: &'a mut Vec<Doc<A>>,
) -> BoxFuture<'a, Result<(), EngineError>>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    Box::pin(async move {
        for (slot, frame) in frames_of(here.frames()).into_iter().enumerate() {
            // A frame can be entered only from its own parent document.
            while at.len() > path.len() {
                session.enter_parent_frame().await?;
                at.pop();
            }
            let Some(res) = enter_and_run::<A>(session, &frame, req).await? else {
                continue;
            };
            path.push(frame.name);
            at.clone_from(path);
            match res {
                Ok(v) => {
                    let idx = out.len();
                    out.push(Doc {
                        label: FrameState::label(path),
                        answer: v.clone(),
                        parent: Some((here_at, slot)),
                    });
                    every(session, req, &v, idx, path, at, out).await?;
                }
                Err(e @ EngineError::Script(_)) => return Err(e),
                Err(_) => {}
            }
            path.pop();
        }
        Ok(())
    })
}
