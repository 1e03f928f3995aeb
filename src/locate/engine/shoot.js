// Before a screenshot, per document: settle, then hide every control or text that shows a
// secret. No secret is ever sent here: the engine hides what it can tell by itself (a
// password field with a value; whatever a secret capture's locator points at, before its
// value is known, as the screen that first shows a secret is pictured before it is
// captured), and answers the texts and field values long enough to hold one. The executor
// looks for secrets in them and, where it finds one, sends back which to hide (`mask`).
// The masks stay after the picture (a colour changes no value a later step reads or
// clicks), which saves a walk through the frames; one that no longer covers a secret gets
// its style back.

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

// Why each masked element is masked: 'own' (the engine's own judgement) or 'text' (the
// executor found a secret in its text). Kept in the engine's world, out of the page's sight.
let maskedFor = new WeakMap();
// The elements whose texts the last `shoot` answered, by index, and those texts, for the
// `mask` after it.
let shown = [];
let shownTexts = [];
// Texts the executor has judged (in a `mask`), by element, and how many secrets it knew
// then. A text unchanged since is not answered again and its verdict stands: on a form
// filled step by step, most of the page is the same from one picture to the next, and
// answering every text each time cost a tenth of a second a step. A new secret makes
// every verdict stale.
let judged = new WeakMap();
let judgedWith = -1;

function cover(el, why) {
  if (!el.hasAttribute('data-sw-masked')) el.setAttribute('data-sw-masked', el.getAttribute('style') || '');
  el.style.setProperty('color', 'transparent', 'important');
  el.style.setProperty('background', '#3b3b3b', 'important');
  el.style.setProperty('text-shadow', 'none', 'important');
  el.style.setProperty('-webkit-text-fill-color', 'transparent', 'important');
  maskedFor.set(el, why);
}
function uncover(el) {
  const old = el.getAttribute('data-sw-masked');
  if (old) el.setAttribute('style', old); else el.removeAttribute('style');
  el.removeAttribute('data-sw-masked');
  maskedFor.delete(el);
}

async function shoot(req) {
  // Watching from before the wait sees the moment the page finished rendering.
  stillness(walk(document));
  const settled = req.ms ? await settle(req.ms) : true;
  resetCaches();
  const now = walk(document);
  const st = stillness(now).st;
  let masksMoved = false;
  const hide = new Set();
  for (const el of now) {
    if (el.tagName === 'INPUT' && el.type === 'password' && el.value) hide.add(el);
  }
  for (const sp of req.specs || []) {
    const r = find(Object.assign({}, sp, { purpose: 'read', mode: 'read' }), now);
    for (const m of r.matches || []) { hide.add(m.el); for (const d of walk(m.el)) hide.add(d); }
  }
  // What might show a secret, for the executor to judge; and which of them are masked
  // for that now.
  const minLen = Math.max(1, req.minLen || 0);
  if (req.secrets !== judgedWith) { judged = new WeakMap(); judgedWith = req.secrets; }
  shown = [];
  const texts = [], textMasked = [];
  // Elements whose text is judged already, or answered now: their masks for a text stay
  // until the verdict on it.
  const standing = new Set();
  if (req.minLen) {
    for (const el of now) {
      if (hide.has(el)) continue;
      const val = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') ? el.value : '';
      const own = ownText(el);
      const text = val && own ? val + '\n' + own : val || own;
      if (text.length < minLen) continue;
      standing.add(el);
      if (judged.get(el) === text) continue;
      if (maskedFor.get(el) === 'text') textMasked.push(shown.length);
      shown.push(el);
      texts.push(text);
    }
  }
  shownTexts = texts;
  for (const el of now) {
    if (hide.has(el) || !el.hasAttribute('data-sw-masked') || (maskedFor.get(el) === 'text' && standing.has(el))) continue;
    uncover(el);
    masksMoved = true;
  }
  for (const el of hide) {
    if (maskedFor.get(el) !== 'own') { cover(el, 'own'); masksMoved = true; }
  }
  // The masks are this engine's own changes, not the page's.
  st.observer.takeRecords();
  // `unchanged`: this document looks as it did at its last screenshot. Not while something
  // animates (a CSS animation, a video, a canvas), nor for a document still loading.
  const moving = (document.getAnimations ? document.getAnimations() : []).some((a) => a.playState === 'running') ||
    now.some((e) => e.tagName === 'VIDEO' || e.tagName === 'CANVAS');
  const unchanged = st.drawn && !masksMoved && !moving && settled && !pageBusy(now);
  st.drawn = true;
  return { masked: hide.size + textMasked.length, settled, frames: frames(now), doc: st.doc, unchanged, texts, textMasked };
}

// The executor's verdict on the last `shoot`'s texts: exactly these (by index) show a
// secret. Masks the ones not masked yet and unmasks the others masked for their text;
// each verdict stands until the element's text changes.
function mask(req) {
  const want = new Set(req.hide || []);
  let moved = 0;
  shown.forEach((el, i) => {
    if (want.has(i) && maskedFor.get(el) !== 'text') { cover(el, 'text'); moved++; }
    if (!want.has(i) && maskedFor.get(el) === 'text') { uncover(el); moved++; }
    judged.set(el, shownTexts[i]);
  });
  const st = stillness([]).st;
  st.observer.takeRecords();
  if (moved) st.drawn = false;
  return { masked: want.size, moved, known: shown.length };
}
