//! Where the session is among a page's frames, and operations run in every document of
//! the window (the screenshot's masking, a failure's page sources), top first.

use std::collections::HashMap;

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
    every_document_guessing(session, frames, req, &[]).await
}

/// [`every_document`], asking the frames' windows in `guess` (BiDi contexts, from an
/// earlier walk of the same window) at once with the top document instead of after
/// their parents answer. An answer from a window no document lists any more is dropped.
/// For a request that changes nothing in a document the walk does not keep.
pub async fn every_document_guessing<A>(
    session: &Session,
    frames: &mut FrameState,
    req: &Request,
    guess: &[String],
) -> Result<Vec<Doc<A>>, EngineError>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    // By BiDi context, where every frame's window is known: no WebDriver frame switch
    // (about 11 ms each), and the session stays in the frame the step acted in.
    match every_by_context(session, req, guess).await {
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

/// The walk of [`in_every_frame`] by each document's BiDi context, answered depth first,
/// top first; `None` when a frame's window is not known. The documents of one depth are
/// asked together (their calls are in flight at once, and a cross-origin frame's engine
/// runs in its own renderer): a look costs one round trip per depth of frames, not one
/// per document.
async fn every_by_context<A>(
    session: &Session,
    req: &Request,
    guess: &[String],
) -> Result<Option<Vec<Doc<A>>>, EngineError>
where
    A: DeserializeOwned + ListsFrames + Clone + Send + Sync,
{
    let top = session.top_context().await?;
    let guessed: Vec<String> = guess.iter().filter(|c| **c != top).cloned().collect();
    let (top_answer, early) = futures_util::future::join(
        call_in(session, top.clone(), req, true),
        futures_util::future::join_all(
            guessed
                .iter()
                .map(|context| call_in(session, context.clone(), req, true)),
        ),
    )
    .await;
    // A guess that failed is asked again once its parent lists it.
    let mut early: HashMap<String, Value> = guessed
        .into_iter()
        .zip(early)
        .filter_map(|(c, a)| Some((c, a.ok()?)))
        .collect();
    let mut found: Vec<Doc<A>> = Vec::new();
    let mut depth = vec![(top, Vec::<String>::new(), None)];
    let mut top_answer = Some(top_answer);
    while !depth.is_empty() {
        let asked = futures_util::future::join_all(depth.iter().map(|(context, _, _)| {
            let known = match top_answer.take() {
                Some(a) => Some(a),
                None => early.remove(context).map(Ok),
            };
            async move {
                match known {
                    Some(a) => a,
                    None => call_in(session, context.clone(), req, true).await,
                }
            }
        }));
        let answers = asked.await;
        let mut below = Vec::new();
        for ((_, path, parent), answer) in depth.into_iter().zip(answers) {
            let answer = match answer {
                Ok(v) => parse::<A>(v)?,
                // A frame that went away since its parent listed it is not pictured.
                Err(EngineError::Driver(_)) if !path.is_empty() => continue,
                Err(e) => return Err(e),
            };
            let here = found.len();
            for (slot, frame) in frames_of(answer.frames()).into_iter().enumerate() {
                let Some(context) = frame.context else {
                    return Ok(None);
                };
                let mut under = path.clone();
                under.push(frame.name);
                below.push((context, under, Some((here, slot))));
            }
            found.push(Doc {
                label: FrameState::label(&path),
                answer,
                parent,
            });
        }
        depth = below;
    }
    Ok(Some(depth_first(found)))
}

/// Documents found depth by depth, put in document order (each frame's documents right
/// after its parent's, frames in the order their parent lists them), parents renumbered.
fn depth_first<A>(found: Vec<Doc<A>>) -> Vec<Doc<A>> {
    let mut children: Vec<Vec<(usize, usize)>> = vec![Vec::new(); found.len()];
    for (i, d) in found.iter().enumerate() {
        if let Some((p, slot)) = d.parent {
            children[p].push((slot, i));
        }
    }
    let mut order = Vec::with_capacity(found.len());
    let mut stack: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].parent.is_none())
        .rev()
        .collect();
    while let Some(i) = stack.pop() {
        order.push(i);
        children[i].sort_unstable();
        stack.extend(children[i].iter().rev().map(|&(_, c)| c));
    }
    let mut new_at = vec![0; found.len()];
    for (n, &i) in order.iter().enumerate() {
        new_at[i] = n;
    }
    let mut slots: Vec<Option<Doc<A>>> = found.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots[i].take())
        .map(|mut d| {
            d.parent = d.parent.map(|(p, slot)| (new_at[p], slot));
            d
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(label: &str, parent: Option<(usize, usize)>) -> Doc<()> {
        Doc {
            label: label.into(),
            answer: (),
            parent,
        }
    }

    #[test]
    fn documents_found_depth_by_depth_are_answered_in_document_order() {
        // top lists frames a and b; a lists a1 and a2; b lists b1.
        let found = vec![
            doc("top", None),
            doc("a", Some((0, 0))),
            doc("b", Some((0, 1))),
            doc("a1", Some((1, 0))),
            doc("a2", Some((1, 1))),
            doc("b1", Some((2, 0))),
        ];
        let got: Vec<_> = depth_first(found)
            .into_iter()
            .map(|d| (d.label, d.parent))
            .collect();
        assert_eq!(
            got,
            vec![
                ("top".to_string(), None),
                ("a".to_string(), Some((0, 0))),
                ("a1".to_string(), Some((1, 0))),
                ("a2".to_string(), Some((1, 1))),
                ("b".to_string(), Some((0, 1))),
                ("b1".to_string(), Some((4, 0))),
            ]
        );
    }
}
