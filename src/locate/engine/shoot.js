// Before a screenshot, in one round trip per document: settle, then hide every control or
// text that shows a secret. Also hidden: whatever a secret capture's locator points at,
// before its value is known (the screen that first shows a secret is pictured before it is
// captured). The masks stay after the picture (a colour changes no value a later step
// reads or clicks), which saves a second walk through the frames; one that no longer
// covers a secret gets its style back.

// Still loading: the document, or a Lightning spinner over it.
function pageBusy(everything) {
  return document.readyState !== 'complete' ||
    everything.some((e) => e.matches('.slds-spinner, lightning-spinner, .auraLoadingBox') && visible(e));
}
// Let the page finish loading and its spinners go, within a bound, so the picture shows
// what the step led to, not a loading screen.
async function settle(ms) {
  const busy = () => pageBusy(walk(document));
  if (!busy()) return true;
  const until = Date.now() + ms;
  while (busy() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  // Let what loaded be painted; the screenshot captures a fresh frame after that.
  await frame();
  return !busy();
}

// The text nodes that are `el`'s own children in the composed tree: a component whose
// shadow root holds a bare text node (lightning-formatted-text) shows it as its own.
function ownText(el) {
  return kids(el).filter((c) => c.nodeType === 3).map((c) => c.data).join('');
}

async function shoot(req) {
  // Watching from before the wait sees the moment the page finished rendering.
  stillness(walk(document));
  const settled = req.ms ? await settle(req.ms) : true;
  resetCaches();
  const now = walk(document);
  const st = stillness(now).st;
  let masksMoved = false;
  const secrets = req.secrets || [];
  const shows = (s) => s && secrets.some((x) => s.includes(x));
  const hide = new Set();
  for (const el of now) {
    const val = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') ? el.value : '';
    if (shows(ownText(el)) || shows(val) || (el.tagName === 'INPUT' && el.type === 'password' && el.value)) hide.add(el);
  }
  for (const sp of req.specs || []) {
    const r = find(Object.assign({}, sp, { purpose: 'read', mode: 'read' }), now);
    for (const m of r.matches || []) { hide.add(m.el); for (const d of walk(m.el)) hide.add(d); }
  }
  for (const el of now) {
    if (hide.has(el) || !el.hasAttribute('data-sw-masked')) continue;
    const old = el.getAttribute('data-sw-masked');
    if (old) el.setAttribute('style', old); else el.removeAttribute('style');
    el.removeAttribute('data-sw-masked');
    masksMoved = true;
  }
  for (const el of hide) {
    if (!el.hasAttribute('data-sw-masked')) { el.setAttribute('data-sw-masked', el.getAttribute('style') || ''); masksMoved = true; }
    el.style.setProperty('color', 'transparent', 'important');
    el.style.setProperty('background', '#3b3b3b', 'important');
    el.style.setProperty('text-shadow', 'none', 'important');
    el.style.setProperty('-webkit-text-fill-color', 'transparent', 'important');
  }
  // The masks are this engine's own changes, not the page's.
  st.observer.takeRecords();
  // `unchanged`: this document looks as it did at its last screenshot. Not while something
  // animates (a CSS animation, a video, a canvas), nor for a document still loading.
  const moving = (document.getAnimations ? document.getAnimations() : []).some((a) => a.playState === 'running') ||
    now.some((e) => e.tagName === 'VIDEO' || e.tagName === 'CANVAS');
  const unchanged = st.drawn && !masksMoved && !moving && settled && !pageBusy(now);
  st.drawn = true;
  return { masked: hide.size, settled, frames: frames(now), doc: st.doc, unchanged };
}
