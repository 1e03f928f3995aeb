// How long this document has been still, two ways: no DOM change (`dom`), and no
// network response (`net`). DOM changes are seen by an observer the engine leaves in
// the document the first time it runs there (so a change before that counts from
// then); responses come from Resource Timing. A guard decides "not on the page" once
// the page has been still for a while by both. Native shadow roots are observed as
// they are found; a new one counts as a change.
// This document's state, in the engine's own world.
let stillState = null;
let redrawHeard = false;
function stillness(everything) {
  const now = performance.now();
  let st = stillState;
  // A window opened with an address keeps the realm of its first, empty document for
  // the page that replaces it (the HTML spec's reuse of a same-origin Window): that page
  // is another document, with its own changes and pictures.
  if (st && st.document !== document) {
    st.observer.disconnect();
    st = null;
  }
  if (!st) {
    // `drawn`: nothing that could change what the document looks like has happened
    // since its last screenshot (see the `shoot` operation). `doc` tells this document
    // from the one that replaces it.
    // `gen` counts the batches of changes; while `collect` is on (a run with secrets),
    // `transient` keeps the text they brought in, each with its batch's `gen`, for the
    // picture's check (see shoot.js).
    // `shifted`: the last event that can move things without a DOM change (see atRest).
    st = { since: now, shifted: now, roots: new WeakSet(), drawn: false, doc: Math.random().toString(36).slice(2),
      gen: 0, collect: false, transient: [], transientBytes: 0, overflow: false, waiters: [], document };
    // chromedriver marks a frame element (`cd_frame_id_`) each time it switches into
    // it: that is WebDriver's doing, not the page's.
    const pages = (r) => !(r.type === 'attributes' && r.attributeName === 'cd_frame_id_');
    st.observer = new MutationObserver((rs) => noteChanges(st, rs.filter(pages)));
    // What changes the picture without changing the DOM: scrolling, focus, hover, a
    // field's value and selection, a click, an image or font that finished loading.
    // Listened for on the window, once: it outlives a document that replaces another.
    const redraw = () => { if (stillState) stillState.drawn = false; };
    const shift = () => { if (stillState) stillState.shifted = performance.now(); };
    if (!redrawHeard) {
      redrawHeard = true;
      for (const t of ['scroll', 'focusin', 'focusout', 'input', 'change', 'click', 'pointermove', 'pointerdown', 'pointerup',
        'mouseover', 'mouseout', 'keydown', 'keyup', 'selectionchange', 'load', 'error', 'resize', 'toggle',
        'animationstart', 'transitionrun']) window.addEventListener(t, redraw, { capture: true, passive: true });
      for (const t of ['scroll', 'resize', 'load', 'error', 'animationstart', 'transitionrun']) window.addEventListener(t, shift, { capture: true, passive: true });
    }
    if (document.fonts && document.fonts.addEventListener) {
      document.fonts.addEventListener('loadingdone', () => { redraw(); shift(); });
    }
    stillState = st;
  }
  const observe = (root) => {
    if (st.roots.has(root)) return;
    try { st.observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true }); } catch (e) { return; }
    if (root !== document) { st.since = Math.max(st.since, now); st.drawn = false; }
    st.roots.add(root);
  };
  observe(document);
  for (const e of everything) { const r = nativeRoot(e); if (r) observe(r); }
  let net = 0;
  const nav = performance.getEntriesByType('navigation')[0];
  if (nav) net = Math.max(nav.responseEnd, nav.loadEventEnd);
  for (const r of performance.getEntriesByType('resource')) net = Math.max(net, r.responseEnd);
  return { st, dom: now - st.since, net: now - net };
}


// Whether the page shows every sign of rest, so that what a search found where it is will
// be there for the click that follows: no DOM change and nothing that moves boxes without
// one (a scroll, a resize, an image or font that loaded) for REST_MS, no animation
// running (CSS animations and transitions, Web Animations: in the document and in each
// native shadow root, which the document's list leaves out), and no click of this
// document stopped by its guard since the last that landed.
const REST_MS = 50;
// Why the page is not at rest, or '' when it is.
function unrest(everything) {
  if (clickStopped) return 'a click was stopped';
  const s = stillness(everything);
  if (s.dom < REST_MS) return 'the DOM changed';
  if (performance.now() - s.st.shifted < REST_MS) return 'a scroll, resize or load';
  const moving = (list) => list.some((a) => a.pending || a.playState === 'running');
  if (moving(document.getAnimations())) return 'an animation runs';
  for (const e of everything) {
    const r = nativeRoot(e);
    if (r && moving(r.getAnimations())) return 'an animation runs';
  }
  return '';
}

// The page changed: when, and (for a picture's check) what text the change brought in,
// bounded; past the bound the next picture is refused rather than taken unjudged.
const TRANSIENT_MAX = 1 << 20;
function noteChanges(st, rs) {
  if (!rs.length) return;
  st.since = performance.now(); st.drawn = false; st.gen++;
  for (const w of st.waiters.splice(0)) w();
  if (!st.collect || st.overflow) return;
  const keep = (t) => {
    if (!t) return;
    st.transientBytes += t.length;
    if (st.transientBytes > TRANSIENT_MAX) { st.overflow = true; st.transient = []; return; }
    st.transient.push({ gen: st.gen, text: t });
  };
  for (const r of rs) {
    if (r.type === 'characterData') keep(r.target.data);
    else if (r.type === 'attributes' && /^(value|placeholder)$/.test(r.attributeName || '')) keep(r.target.getAttribute(r.attributeName));
    else if (r.type === 'childList') for (const n of r.addedNodes) keep(n.nodeType === 3 ? n.data : n.textContent);
    if (st.overflow) return;
  }
}
// Deliver the changes the observer has seen but not yet reported.
const flushChanges = (st) => noteChanges(st, st.observer.takeRecords().filter((r) => !(r.type === 'attributes' && r.attributeName === 'cd_frame_id_')));

// Resolves at the document's next change (its DOM, as the observer sees it, or its
// loading state), or after `ms`.
function pageChange(ms) {
  const st = stillState;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      document.removeEventListener('readystatechange', done);
      if (st) st.waiters = st.waiters.filter((w) => w !== done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    document.addEventListener('readystatechange', done);
    if (st) st.waiters.push(done);
  });
}
