// A click's guard. Between the search that found a target still and uncovered and the
// moment the browser delivers the pointer's events, the page may move (a late banner,
// a list that re-renders as the pointer reaches it): the events then go to whatever is
// under the point now. Armed by the search, the guard judges the first pointer event of
// the click where it lands, as the search judged the target; a click landing elsewhere
// is stopped before the page sees any of its events, and the runner, reading the
// verdict, tries the step again instead of calling it done.

// guard_hook.js, in every document from its start, listens for these before the page
// can; a document it did not reach (one older than the session's sandbox) gets the
// guard's own listeners, which come after the page's.
const GUARDED_EVENTS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'auxclick', 'dblclick', 'contextmenu'];
let clickGuard = null;
// The last verdict read here stopped its click: the next search waits for a still frame
// whatever the page's signs of rest (atRest).
let clickStopped = false;

function armClick(target, original) {
  disarmClick();
  const g = { verdict: 'none', landed: '' };
  g.listener = (e) => {
    // Only the browser's own input: our pointer's events are trusted, a page's are not.
    if (!e.isTrusted) return;
    if (g.verdict === 'none') {
      // A click a key made (detail 0) has no point to judge.
      if (e.type === 'click' && e.detail === 0) return;
      const hit = deepHit(e.clientX, e.clientY);
      g.verdict = target && accepts(hit, target, original) ? 'hit' : 'blocked';
      g.landed = describe(hit);
    }
    if (g.verdict === 'blocked') {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  };
  if (globalThis.setupwrightGuardHooked) globalThis.setupwrightClickGuard = g.listener;
  else for (const t of GUARDED_EVENTS) window.addEventListener(t, g.listener, true);
  clickGuard = g;
}

// The top document, when a click's target is in a frame below it: an event of that click
// that reaches this document landed on something drawn over the frame (a toast, a menu),
// never on the target, and is stopped the same way.
function guardAbove() {
  armClick(null, null);
  return { armed: true };
}

// Whether a click on `target` lands in a frame's document rather than this one.
function landsInFrame(target) {
  const r = target.getClientRects()[0];
  const hit = r && deepHit(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && /^(IFRAME|FRAME|EMBED|OBJECT)$/.test(hit.tagName);
}

function disarmClick() {
  if (!clickGuard) return;
  globalThis.setupwrightClickGuard = null;
  for (const t of GUARDED_EVENTS) window.removeEventListener(t, clickGuard.listener, true);
  clickGuard = null;
}

// The guard's verdict, once: `armed` false when this document never armed one (the
// click led to another document); `verdict` none (no event of the click reached this
// document), hit, or blocked (with where it landed). With `read`, what that element
// shows now, as the `read` operation answers: the step's check of what its click did,
// in the same round trip.
function clickVerdict(req) {
  const g = clickGuard;
  disarmClick();
  const out = g ? { armed: true, verdict: g.verdict, landed: g.landed } : { armed: false, verdict: 'none', landed: '' };
  if (g && g.verdict !== 'none') clickStopped = g.verdict === 'blocked';
  if (req.read) out.read = readState(req.read);
  return out;
}
