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

// `read`: the element whose state the verdict tells (what a check turned), or null.
// Given the executor's channel (`say`, `setupwrightSay`), the guard says its verdict there
// under the token the search answers, and the executor need not ask for it. A verdict is
// final at the click's first event, and is said then. One that must tell what the click
// turned waits for the click to have run its course: for a native checkbox or radio, its
// `change` (a click on its label reaches it only after the label's own click); for any
// other control, the click's `click` event at the window's last listener (the page's
// handlers have run, and the microtasks a component re-renders in); where neither comes
// (the page stopped the event on its way, the box did not turn), the next task.
function armClick(target, original, read, say) {
  disarmClick();
  const g = guardState('none', say);
  const tell = teller(g, say, read);
  g.listener = (e) => {
    // Only the browser's own input: our pointer's events are trusted, a page's are not.
    if (!e.isTrusted) return;
    if (g.verdict === 'none') {
      // A click a key made (detail 0) has no point to judge.
      if (e.type === 'click' && e.detail === 0) return;
      const hit = deepHit(e.clientX, e.clientY);
      g.verdict = target && accepts(hit, target, original) ? 'hit' : 'blocked';
      g.landed = describe(hit);
      if (g.token && (!read || g.verdict === 'blocked')) tell();
    }
    if (g.verdict === 'blocked') {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    // The guard stays armed (a stopped click's last events are stopped too) until the
    // next call, which asks for the verdict again should the message be lost.
    if (e.type === 'click' && g.token && !g.said) nextTask(tell);
  };
  if (g.token && read) {
    // A change does not leave a shadow root: it is listened for on the box itself, after
    // the component's own listener there.
    const [on, type] = read.tagName === 'INPUT' ? [read, 'change'] : [window, 'click'];
    const after = (e) => { if (g.verdict === 'hit' && (type === 'change' || e.isTrusted)) tell(); };
    on.addEventListener(type, after, false);
    g.after = () => on.removeEventListener(type, after, false);
  }
  if (globalThis.setupwrightGuardHooked) globalThis.setupwrightClickGuard = g.listener;
  else for (const t of GUARDED_EVENTS) window.addEventListener(t, g.listener, true);
  clickGuard = g;
  return g.token;
}

// A native select's option is chosen by WebDriver's Element Click, which aims at no point:
// nothing to guard, but what the select shows once chosen is said on the channel as a
// click's verdict is, at the select's change (after the page's own listeners there).
function watchChange(el, say) {
  disarmClick();
  const g = guardState('hit', say);
  if (!g.token) return null;
  const tell = teller(g, say, el);
  el.addEventListener('change', tell, false);
  g.after = () => el.removeEventListener('change', tell, false);
  clickGuard = g;
  return g.token;
}

// A guard's state; a token to say its verdict under where there is a channel to say it on.
function guardState(verdict, say) {
  return { verdict, landed: '', token: typeof say === 'function' ? Math.random().toString(36).slice(2) : null, said: false, listener: null };
}

// Says `g`'s verdict on the channel, once, with what `read` shows when the click landed.
function teller(g, say, read) {
  return () => {
    if (g.said) return;
    g.said = true;
    if (g.listener && g.verdict !== 'none') clickStopped = g.verdict === 'blocked';
    const out = { token: g.token, verdict: g.verdict, landed: g.landed };
    if (read && g.verdict === 'hit') { out.read = readState(read); out.readOf = read; }
    try { say(out); } catch (err) { /* the document is going: the executor asks instead */ }
  };
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

// Runs `f` at the next task: after the event being dispatched has run its course (the
// page's handlers, the microtasks a component re-renders in, a label's click passed on to
// its control). A posted message, not a timer: after input the browser holds timers back
// for a frame or so.
function nextTask(f) {
  const c = new MessageChannel();
  c.port1.onmessage = () => { c.port1.close(); f(); };
  c.port2.postMessage(0);
}

function disarmClick() {
  if (!clickGuard) return;
  if (clickGuard.after) clickGuard.after();
  globalThis.setupwrightClickGuard = null;
  if (clickGuard.listener) for (const t of GUARDED_EVENTS) window.removeEventListener(t, clickGuard.listener, true);
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
  if (g && g.listener && g.verdict !== 'none') clickStopped = g.verdict === 'blocked';
  if (req.read) out.read = readState(req.read);
  return out;
}
