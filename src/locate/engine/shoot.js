// Pictures. The engine never marks the page: no attribute, class, style or sheet a page
// could watch to learn which of its strings is a secret. It tells the executor where on
// the screen each secret is drawn (rectangles in this document's viewport), and the
// executor paints over those places in the picture it takes.
//
// No secret is ever sent here. Per document the engine hides what it can tell by itself
// (a password field with a value; whatever a secret capture's locator points at, before
// its value is known, as the screen that first shows a secret is pictured before it is
// captured; a canvas, whose drawing cannot be read), and answers the texts long enough to
// hold a secret as drawn.js reads them: field values and placeholders, each element's own
// text, and the text a person reads across an element's children (a secret split over
// spans, or drawn in another order), generated content included. The executor answers, for each text that holds a
// secret, where in the text (`mask`), and the engine turns those ranges into the boxes
// of exactly those characters. A verdict stands until the element's text changes.
//
// Between two `shoot`s the document's observer counts every change (`gen`) and keeps the
// text that changes brought in (`transient`): after the capture, a second `shoot` tells
// the executor whether anything could have drawn a secret the picture did not cover.

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
  // Looked at again when the page changes (or its loading moves on), at most every
  // 25 ms, and at least every 250 (a spinner hidden by a style the observer cannot
  // see): a page that waits on its server is not walked twenty times a second.
  for (;;) {
    const last = Date.now();
    if (last >= until) break;
    await pageChange(Math.min(250, until - last));
    const rest = Math.min(25 - (Date.now() - last), until - Date.now());
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    if (!busy()) break;
  }
  // Let what loaded be painted; the screenshot captures a fresh frame after that.
  await frame();
  return !busy();
}

// The boxes on screen of the characters start..end of an answered text, and where the
// page paints those characters again (`echoes`).
function rangeRects(p, start, end, out) {
  for (const [s, e, node, back] of p.segs) {
    const a = Math.max(s, start), b = Math.min(e, end);
    if (a >= b) continue;
    // A segment read backwards: its node is covered whole (below).
    const mine = [];
    let el = node;
    // SVG text: a range's boxes miss glyphs the element's own box holds.
    // (Text right inside a <foreignObject> is laid out as HTML: its range's boxes hold it.)
    if (node && node.nodeType === 3 && node.parentNode && node.parentNode.namespaceURI === 'http://www.w3.org/2000/svg' && node.parentNode.localName !== 'foreignObject') {
      el = node.parentNode;
      // Text in a pattern, clip path, mask or marker is drawn wherever the page uses
      // it: the whole viewport is covered.
      if (el.closest('pattern, clipPath, mask, marker')) mine.push(new DOMRect(0, 0, window.innerWidth, window.innerHeight));
      else boxRects(el, mine);
    } else if (node && node.nodeType === 3) {
      el = node.parentNode;
      const r = document.createRange();
      try {
        if (back) r.selectNodeContents(node); else { r.setStart(node, a - s); r.setEnd(node, b - s); }
        for (const q of r.getClientRects()) mine.push(q);
      } catch (err) { boxRects(el, mine); }
    } else if (node && node.generatedBy) {
      el = node.generatedBy;
      pseudoRects(el, node.pseudo, mine);
    } else if (node) {
      boxRects(node, mine);
    }
    echoes(el, mine, out);
  }
}

// `rects` of `el`, and where the page paints them again: the text's shadows
// (`text-shadow`), and an ancestor's drop shadow (`filter: drop-shadow`) or reflection
// (`-webkit-box-reflect`), which copy its glyphs elsewhere.
function echoes(el, rects, out) {
  let all = rects.slice();
  if (el && el.nodeType === 1 && rects.length) {
    const shifted = (list, shadows) => list.concat(...shadows.map(([dx, dy, blur]) => list.map((r) =>
      new DOMRect(r.left + dx - blur, r.top + dy - blur, r.width + 2 * blur, r.height + 2 * blur))));
    all = shifted(all, shadowsIn(getComputedStyle(el).textShadow));
    for (let a = el; a && a.nodeType === 1; a = a.parentElement || (a.parentNode && a.parentNode.host)) {
      const cs = getComputedStyle(a);
      if (cs.filter && cs.filter.includes('drop-shadow')) all = shifted(all, shadowsIn(cs.filter));
      const reflect = cs.webkitBoxReflect || cs.getPropertyValue('-webkit-box-reflect');
      if (reflect && reflect !== 'none') all = all.concat(all.map((r) => reflected(r, a.getBoundingClientRect(), reflect)));
    }
  }
  for (const r of all) out.push(r);
}
// Each shadow of a computed `text-shadow` or `drop-shadow()` list: [dx, dy, margin], the
// margin the blur spreads it by (generously: a blurred glyph is still legible).
function shadowsIn(value) {
  if (!value || value === 'none') return [];
  const out = [];
  for (const m of value.matchAll(/(-?[\d.]+)px\s+(-?[\d.]+)px(?:\s+(-?[\d.]+)px)?/g)) {
    out.push([parseFloat(m[1]) || 0, parseFloat(m[2]) || 0, 2 * (parseFloat(m[3]) || 0) + 2]);
  }
  return out;
}
// `r` mirrored as `-webkit-box-reflect` (`below 4px ...`) mirrors the box `b`.
function reflected(r, b, value) {
  const off = parseFloat((value.match(/(-?[\d.]+)px/) || [])[1]) || 0;
  if (value.startsWith('above')) return new DOMRect(r.left, 2 * b.top - off - r.bottom, r.width, r.height);
  if (value.startsWith('left')) return new DOMRect(2 * b.left - off - r.right, r.top, r.width, r.height);
  if (value.startsWith('right')) return new DOMRect(2 * b.right + off - r.right, r.top, r.width, r.height);
  return new DOMRect(r.left, 2 * b.bottom + off - r.bottom, r.width, r.height);
}
// Generated content is drawn in its element's box, but in its own font, which may stand
// taller than the element's: the box is grown to the pseudo-element's line height.
function pseudoRects(el, pseudo, out) {
  const list = [];
  boxRects(el, list);
  if (pseudo === '::scroll-button') {
    // A scroller's buttons and its markers are drawn about its box, where the page
    // places them: the lines above and below it, across the viewport, are covered.
    const r = list[0];
    if (!r) return;
    const line = Math.max(parseFloat(getComputedStyle(el).lineHeight) || 0, (parseFloat(getComputedStyle(el).fontSize) || 16) * 1.5, 48);
    out.push(new DOMRect(0, r.top - 2 * line, window.innerWidth, r.height + 4 * line));
    return;
  }
  if (pseudo === '::marker') {
    // An outside marker is drawn left of the item's box (right of it, right to left), as
    // wide as its text: the whole line beside the box is covered.
    const r = list[0];
    if (!r) return;
    const line = Math.max(parseFloat(getComputedStyle(el).lineHeight) || 0, (parseFloat(getComputedStyle(el).fontSize) || 16) * 1.5);
    out.push(new DOMRect(0, r.top, window.innerWidth, line));
    return;
  }
  const cs = getComputedStyle(el, pseudo);
  const size = parseFloat(cs.fontSize) || 0;
  const line = Math.max(parseFloat(cs.lineHeight) || 0, size * 1.5);
  // Content an animation draws now and then may be drawn wider and taller than the box
  // is now (an empty box sits elsewhere on its line): the rest of the line, and a line
  // above and below, are covered.
  const animated = (animatedContent.get(el) || new Map()).has(pseudo);
  for (const r of list) {
    const grow = animated ? line : Math.max(0, (line - r.height) / 2);
    out.push(new DOMRect(r.left, r.top - grow, animated ? Math.max(r.width, window.innerWidth - r.left) : r.width, r.height + 2 * grow));
  }
}
function boxRects(el, out) {
  if (!el || !el.getBoundingClientRect) return;
  out.push(el.getBoundingClientRect());
}
// Rectangles as the executor reads them: [x, y, width, height] in this viewport, grown by
// a pixel or two for glyphs that overhang their box, empty and off-screen ones dropped.
function screenRects(list) {
  const vw = window.innerWidth, vh = window.innerHeight, pad = 2;
  const out = [];
  for (const r of list) {
    if (r.width <= 0 && r.height <= 0) continue;
    const x0 = Math.max(0, r.left - pad), y0 = Math.max(0, r.top - pad);
    const x1 = Math.min(vw, r.right + pad), y1 = Math.min(vh, r.bottom + pad);
    if (x1 <= x0 || y1 <= y0) continue;
    const q = [Math.floor(x0), Math.floor(y0), Math.ceil(x1 - Math.floor(x0)), Math.ceil(y1 - Math.floor(y0))];
    if (!out.some((o) => o[0] === q[0] && o[1] === q[1] && o[2] === q[2] && o[3] === q[3])) out.push(q);
  }
  return out;
}

// The engine's picture state for this document, in its own world.
let shot = {
  // What the last `shoot` answered: elements, their texts, their segments.
  shown: [], shownTexts: [], shownPieces: [],
  // Verdicts: element -> { text, ranges } for a text that shows a secret; judged: element
  // -> the text as last judged. A new secret makes every verdict stale.
  verdicts: new WeakMap(), judged: new WeakMap(), judgedWith: -1,
  // What to cover, as the last full walk left it: elements covered whole, and
  // [piece, ranges] for texts with a secret.
  plan: { boxes: [], ranges: [] },
  // Fields and their values at the last walk: a value set by script changes no DOM.
  fields: [],
  // Counts the answers that listed texts: a verdict the executor sends with a later
  // `shoot` (`clean`) names the answer it judged.
  serial: 0,
  // The iframes of the last walk, for a `shoot` that needs no walk.
  frameEls: [],
  // A frame's document's whole text between its edges, from the last walk (`edgeText`).
  edge: null,
  // The style sheets at the last walk (`sheetsMark`).
  sheets: '',
  gen: -1,
};

// Elements that may host a closed shadow root, which nothing here can see: a box of
// their own but no child that renders; a custom element (a component library's closed
// root slots the host's children beside its own); one whose first child has no box
// though not hidden (no slot shows it). The executor asks the browser for their closed
// roots (once per element) and hands them over (`roots`); without that, a secret drawn
// in a closed root would go uncovered.
const NO_HOST = /^(INPUT|TEXTAREA|SELECT|BUTTON|IMG|CANVAS|VIDEO|AUDIO|IFRAME|FRAME|EMBED|OBJECT|HR|BR|WBR|PICTURE|SOURCE|TRACK|METER|PROGRESS|SLOT|TEMPLATE|SCRIPT|STYLE|LINK|META|OPTION|TD|TH|TR|COL|COLGROUP)$/;
const HOSTS_MAX = 500;
let askedHosts = new WeakSet();
function maybeClosedHosts(everything) {
  const out = [];
  for (const el of everything) {
    if (out.length >= HOSTS_MAX) break;
    if (askedHosts.has(el) || el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || NO_HOST.test(el.tagName) || nativeRoot(el)) continue;
    const r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) continue;
    if (el.localName.includes('-') || !realChildren(el).some((c) => c.nodeType === 1 || c.data.trim()) || unslotted(el.firstElementChild)) out.push(el);
  }
  return out;
}
function unslotted(child) {
  return !!child && child.getClientRects().length === 0 && getComputedStyle(child).display !== 'none';
}
// The hosts of the last answer that listed some, by its `hostSerial`. They wait in the
// sandbox (`setupwrightHosts`, which page scripts cannot see) for the executor to read
// them with their shadow trees in one call that takes no arguments: handing elements to
// the browser costs chromium-bidi a DOM round trip each (`bench/host-args.mjs`).
let hostSerial = 0;
function hostsAnswer(list) {
  if (!list.length) return { hosts: 0, hostSerial: 0 };
  hostSerial++;
  globalThis.setupwrightHosts = { serial: hostSerial, list };
  return { hosts: list.length, hostSerial };
}
// The executor's answer on the hosts of the answer `serial` names: the closed roots it
// found, by each host's index in that list. Every host of the list counts as asked; an
// answer on a list replaced since is dropped, and its hosts are asked about again.
function roots(req) {
  const asked = globalThis.setupwrightHosts;
  if (!asked || asked.serial !== req.serial) return { found: 0, stale: true };
  globalThis.setupwrightHosts = null;
  for (const host of asked.list) askedHosts.add(host);
  let found = 0;
  for (const [i, root] of req.roots || []) {
    const host = asked.list[i];
    if (host && root) { closedRoots.set(host, root); found++; }
  }
  return { found };
}

// The document's style sheets and how many rules each has: a rule added or removed
// through CSSOM changes no DOM, and may draw a secret as generated content.
function sheetsMark() {
  let mark = '';
  for (const list of [document.styleSheets, document.adoptedStyleSheets || []]) {
    for (const sheet of Array.from(list)) {
      let n = -1;
      try { n = sheet.cssRules.length; } catch (err) { /* another origin's */ }
      mark += n + ',';
    }
    mark += ';';
  }
  return mark;
}

// The content box of a frame in this viewport: where its document's (0, 0) is drawn.
function frameBox(el) {
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  const pl = parseFloat(cs.paddingLeft) || 0, pt = parseFloat(cs.paddingTop) || 0;
  const pr = parseFloat(cs.paddingRight) || 0, pb = parseFloat(cs.paddingBottom) || 0;
  return [r.left + el.clientLeft + pl, r.top + el.clientTop + pt, Math.max(0, el.clientWidth - pl - pr), Math.max(0, el.clientHeight - pt - pb)];
}
function placedFrames(list) {
  return frames(list).map((f) => Object.assign(f, { box: frameBox(f.el) }));
}

function planRects(plan) {
  const list = [];
  for (const el of plan.boxes) if (el.isConnected) boxRects(el, list);
  for (const [p, ranges] of plan.ranges) for (const [s, e] of ranges) rangeRects(p, s, e, list);
  return screenRects(list);
}

async function shoot(req) {
  // Watching from before the wait sees the moment the page finished rendering.
  let now = walk(document);
  stillness(now);
  const settleStart = performance.now();
  // A page that is not loading is not waited on, and this walk serves the whole look: it
  // all runs in this one task (no await), so no script of the page runs in between (its
  // promise callbacks would, at an await) and the tree walked is the tree pictured.
  let settled = true;
  if (req.ms && pageBusy(now)) {
    settled = await settle(req.ms);
    now = null;
  }
  // The wait apart from the walk, for the step's timings.
  const settleMs = performance.now() - settleStart;
  resetCaches();
  const st = stillness([]).st;
  flushChanges(st);
  st.collect = !!req.minLen;
  const minLen = Math.max(1, req.minLen || 0);
  // The executor found no secret in any text of the answer it names: they need not be
  // answered again while they read the same. Taken before a change of secrets forgets
  // every verdict, as it was judged with the secrets of then.
  const clean = req.clean && req.clean[st.doc];
  if (clean !== undefined && clean === shot.serial && shot.shown.length) {
    shot.shown.forEach((el, i) => { shot.judged.set(el, shot.shownTexts[i]); shot.verdicts.delete(el); });
    shot.shown = []; shot.shownTexts = []; shot.shownPieces = [];
  }
  if (req.secrets !== shot.judgedWith) { shot.verdicts = new WeakMap(); shot.judged = new WeakMap(); shot.judgedWith = req.secrets; }
  const moving = () => (document.getAnimations ? document.getAnimations() : []).some((a) => a.playState === 'running');
  const base = { doc: st.doc, dpr: window.devicePixelRatio || 1, settled, settleMs };
  // Nothing changed since the `shoot` the executor names: the plan stands, only where it
  // is drawn is measured again (a scroll, a style that moved or revealed a covered text).
  const since = req.since && req.since[st.doc];
  if (since !== undefined && since === st.gen && !st.overflow && shot.fields.every(([el, v]) => el.value === v) && sheetsMark() === shot.sheets) {
    return Object.assign(base, {
      same: true, gen: st.gen, rects: planRects(shot.plan), texts: [], transient: [],
      frames: placedFrames(shot.frameEls), unchanged: st.drawn && !moving() && settled,
    });
  }
  if (!now) {
    now = walk(document);
    stillness(now);
  }
  flushChanges(st);
  const hide = new Set();
  const opaque = [];
  for (const el of now) {
    if (el.tagName === 'INPUT' && el.type === 'password' && el.value) hide.add(el);
    if (req.guard && (el.tagName === 'CANVAS' || el.tagName === 'EMBED' || el.tagName === 'OBJECT') && visible(el)) { hide.add(el); opaque.push(el); }
  }
  for (const sp of req.specs || []) {
    const r = find(Object.assign({}, sp, { purpose: 'read', mode: 'read' }), now);
    for (const m of r.matches || []) { hide.add(m.el); for (const d of walk(m.el)) hide.add(d); }
  }
  const plan = { boxes: Array.from(hide), ranges: [] };
  const texts = [];
  shot.shown = []; shot.shownTexts = []; shot.shownPieces = [];
  // Text the page changed before a picture's first look is in the tree this look walks:
  // only a look after the capture (`since`) is refused for the changes it cannot judge.
  let bytes = 0, overflow = st.overflow && since !== undefined ? 'the page changed more text than the engine can judge' : null;
  let edge = null;
  if (req.minLen) {
    const readings = readTexts(now);
    edge = edgeText(readings);
    for (const el of now) {
      if (hide.has(el)) continue;
      const p = answeredText(el, readings);
      // A text beside a frame may hold part of a secret whatever its length.
      if (!p || (p.text.length < minLen && !p.text.includes(FRAME_EDGE))) continue;
      if (shot.judged.get(el) === p.text) {
        const v = shot.verdicts.get(el);
        if (v && v.text === p.text) plan.ranges.push([p, v.ranges]);
        continue;
      }
      bytes += p.text.length;
      if (texts.length >= SHOT_TEXTS_MAX || bytes > SHOT_BYTES_MAX) {
        overflow = 'the page shows more text than the engine can judge (' + texts.length + ' texts, ' + bytes + ' characters)';
        break;
      }
      shot.shown.push(el); shot.shownTexts.push(p.text); shot.shownPieces.push(p);
      texts.push(p.text);
    }
  }
  // A look that cannot be judged is refused whole: its texts would only fill the
  // answer (20,000 of them make an 800 KB message the executor has to parse).
  if (overflow) { texts.length = 0; shot.shown = []; shot.shownTexts = []; shot.shownPieces = []; }
  if (texts.length) shot.serial++;
  shot.plan = plan;
  shot.sheets = sheetsMark();
  shot.edge = overflow ? null : edge;
  shot.fields = now.filter((e) => isField(e)).map((e) => [e, e.value]);
  shot.frameEls = now.filter((e) => e.tagName === 'IFRAME' || e.tagName === 'FRAME');
  // A look after the capture answers every change since the look before it, as often as
  // it is asked (an answer thrown away and the look taken again must still see them);
  // only the next picture's first look, which names no `since`, starts afresh.
  const transient = overflow ? [] : st.transient.filter((e) => since === undefined || e.gen > since).map((e) => e.text);
  if (since === undefined) { st.transient = []; st.transientBytes = 0; st.overflow = false; }
  shot.gen = st.gen;
  const unchanged = st.drawn && !moving() && !now.some((e) => e.tagName === 'VIDEO' || e.tagName === 'CANVAS') && settled && !pageBusy(now);
  st.drawn = true;
  return Object.assign(base, {
    same: false, gen: st.gen, serial: shot.serial, rects: planRects(plan), texts, edge: shot.edge && shot.edge.text, transient, overflow, opaque: opaque.length,
    frames: placedFrames(now), unchanged, ...hostsAnswer(req.guard ? maybeClosedHosts(now) : []),
  });
}

// The executor's verdict on the last `shoot`'s texts: `hide` lists, by index, each text
// that shows a secret with the ranges (UTF-16 offsets) where it does. Answers the boxes
// of those characters. Every text answered gets its verdict, so it is not answered again.
function mask(req) {
  const list = [];
  const want = new Map((req.hide || []).map(([i, ranges]) => [i, ranges]));
  shot.shown.forEach((el, i) => {
    const text = shot.shownTexts[i];
    shot.judged.set(el, text);
    const ranges = want.get(i);
    if (ranges) {
      shot.verdicts.set(el, { text, ranges });
      shot.plan.ranges.push([shot.shownPieces[i], ranges]);
      for (const [s, e] of ranges) rangeRects(shot.shownPieces[i], s, e, list);
    } else {
      shot.verdicts.delete(el);
    }
  });
  // Parts of a secret at this frame's edges, in its whole text.
  if (shot.edge && req.edge && req.edge.length) {
    shot.plan.ranges.push([shot.edge, req.edge]);
    for (const [s, e] of req.edge) rangeRects(shot.edge, s, e, list);
  }
  return { rects: screenRects(list), known: shot.shown.length };
}
