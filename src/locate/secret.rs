//! The search for a field a secret is typed into. An ordinary search starts in the frame
//! the last step used and takes the first match; a secret's may not. A partner widget's
//! field of the same label, found while the page's own renders, or a frame the step
//! before acted in, would get the password. So a secret's search looks in every document
//! of the window, without the text, and types only where exactly one of the org's
//! documents (see `crate::origins`) holds a match.

use super::*;
use crate::origins::OrgOrigins;

/// A document a field was found in: its frame label and origin, for an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub frame: String,
    pub origin: String,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.frame, self.origin)
    }
}

/// What a secret's search found.
pub enum SecretOutcome {
    /// In exactly one of the org's documents; the session is in it.
    Found(Box<Hit>),
    Missing(Box<Searched>),
    /// In more than one of the org's documents: typed into none.
    Ambiguous(Vec<Place>),
    /// Only in documents of other origins: typed into none.
    Foreign(Vec<Place>),
}

/// A document the walk searched, and how to reach it.
struct Searchee {
    path: Vec<String>,
    /// The frames from the top down to it, to switch the session into it.
    hops: Vec<Frame>,
    context: String,
    origin: String,
    answer: LocateAnswer,
}

/// A locate answer with the origin of the document that gave it.
#[derive(serde::Deserialize)]
struct Placed {
    #[serde(flatten)]
    answer: LocateAnswer,
    #[serde(default)]
    origin: Option<String>,
}

/// Finds `spec` for a secret and, where it is in exactly one of the org's documents and
/// ready, runs `then` (the paste) there: the session is left in that document. The text
/// goes to no other document, not even inside a request. With no `then`, it is a search
/// of the org's documents alone (what `login` reads of the page after signing in).
pub async fn locate_secret(
    session: &Session,
    frames: &mut FrameState,
    spec: &Spec,
    then: Option<Then>,
    org: &OrgOrigins,
) -> Result<SecretOutcome, EngineError> {
    let docs = search_every_document(session, &spec.request(None)).await?;
    let mut searched = Searched {
        want: spec.value.clone(),
        ..Searched::default()
    };
    let top = docs.first().map(|d| d.origin.clone()).unwrap_or_default();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for d in docs {
        if d.answer.el.is_none() {
            note(&mut searched, &d.answer, &d.path);
        } else if org.allows(&d.origin, &top) {
            ours.push(d);
        } else {
            theirs.push(d);
        }
    }
    let places = |ds: &[Searchee]| {
        ds.iter()
            .map(|d| Place {
                frame: FrameState::label(&d.path),
                origin: d.origin.clone(),
            })
            .collect()
    };
    if ours.len() > 1 {
        return Ok(SecretOutcome::Ambiguous(places(&ours)));
    }
    let Some(d) = ours.pop() else {
        return Ok(if theirs.is_empty() {
            SecretOutcome::Missing(Box::new(searched))
        } else {
            SecretOutcome::Foreign(places(&theirs))
        });
    };
    // The actions that follow (a read-back, keys where a paste is refused) go through
    // classic WebDriver, which must be in the field's frame: most often it is already.
    if frames.unsure || frames.path != d.path {
        session.enter_top().await?;
        frames.path.clear();
        frames.unsure = false;
        for hop in &d.hops {
            if !enter(session, hop).await {
                // The frame went away since the walk: look again.
                frames.lost();
                return Ok(SecretOutcome::Missing(Box::new(searched)));
            }
        }
        frames.path.clone_from(&d.path);
    }
    // The paste, to that document alone. A document that replaced it since the walk has
    // no engine yet and answers `installEngine` without typing: it is searched afresh,
    // origin and all, on the next look.
    let req = serde_json::to_value(spec.request(then))
        .map_err(|e| EngineError::Script(format!("a request that does not serialize ({e})")))?;
    let answer = session
        .isolated_in(&d.context, &CALL, vec![req], true)
        .await?;
    if answer.get("installEngine").is_some() {
        return Ok(SecretOutcome::Missing(Box::new(searched)));
    }
    if let Some(e) = answer.get("engineError").and_then(Value::as_str) {
        return Err(EngineError::Script(
            e.lines().take(4).collect::<Vec<_>>().join(" | "),
        ));
    }
    let a: LocateAnswer = parse(answer)?;
    match hit(session, &a, &d.path) {
        Some(h) => Ok(SecretOutcome::Found(Box::new(h))),
        None => {
            note(&mut searched, &a, &d.path);
            Ok(SecretOutcome::Missing(Box::new(searched)))
        }
    }
}

/// Runs `req` (a locate without text) in the top document and every frame below it, by
/// each one's BiDi context: no frame switch, and every document is searched, the one the
/// last step used no sooner than the others.
async fn search_every_document(
    session: &Session,
    req: &Request,
) -> Result<Vec<Searchee>, EngineError> {
    let mut out = Vec::new();
    let mut to_visit = vec![(session.top_context().await?, Vec::new(), Vec::new())];
    while let Some((context, path, hops)) = to_visit.pop() {
        let placed = match call_in(session, context.clone(), req, true).await {
            Ok(v) => parse::<Placed>(v)?,
            // A frame that went away since its parent listed it holds nothing.
            Err(EngineError::Driver(_)) if !path.is_empty() => continue,
            Err(e) => return Err(e),
        };
        let answer = placed.answer;
        // Pushed in reverse, so they are visited in document order.
        for frame in frames_of(&answer.frames).into_iter().rev() {
            // A frame without a window has no document to type into.
            let Some(below) = frame.context.clone() else {
                continue;
            };
            let mut p: Vec<String> = path.clone();
            p.push(frame.name.clone());
            let mut h: Vec<Frame> = hops.clone();
            h.push(frame);
            to_visit.push((below, p, h));
        }
        // The engine says its document's origin; from its URL where it did not.
        let origin = placed
            .origin
            .filter(|o| !o.is_empty())
            .or_else(|| crate::origins::origin_of(&answer.url))
            .unwrap_or_else(|| "null".into());
        out.push(Searchee {
            path,
            hops,
            context,
            origin,
            answer,
        });
    }
    Ok(out)
}
