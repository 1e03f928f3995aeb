// The text a picture draws, per element, for the executor to judge (see shoot.js): as a
// person reads it on the screen, not as the DOM spells it. Besides the element's own text
// and its children's, it holds what the page draws from elsewhere: field values, list box
// labels, an image's alt or SVG text, markers, quotation marks, generated content and
// the counters it uses, SVG images behind the element; and, where the children are drawn
// in another order than the DOM holds them (flex `order`, letters placed one by one, a
// float), their text in the order drawn as well.

// Bounds on what one document answers for judging: past them the picture is refused
// (the run goes on), never taken unjudged.
const SHOT_TEXTS_MAX = 20000;
const SHOT_BYTES_MAX = 4 << 20;
// Past this length an element's text across its children is not answered as one; its
// own text nodes still are.
const BLOCK_TEXT_MAX = 4096;
// Between two readings of one element's text (as held, then as drawn): a character no
// secret holds and that is never skipped as drawing nothing, so no match spans both.
const READINGS_APART = '\u0000';
// Where a frame is drawn among the text around it, and the ends of a frame's document:
// a secret's halves may be drawn on either side of such an edge, each half in its own
// document. The executor covers what at an edge begins or ends a secret.
const FRAME_EDGE = '\ufffc';
const isFrame = (el) => /^(IFRAME|FRAME|EMBED|OBJECT)$/.test(el.tagName);
// A frame's document answers its whole text as drawn, with its two edges, up to this
// length: a frame that shows a fragment of a secret has little else to show.
const EDGE_TEXT_MAX = 512;

// A text and where each of its characters is drawn: `segs` lists [start, end, node],
// where node is a text node (its characters are the text's start..end), an element (the
// characters are drawn somewhere in its box: a field's value), or { generatedBy, pseudo }
// for generated content.
function piece() { return { text: '', segs: [] }; }
function append(p, text, node) {
  if (!text) return;
  p.segs.push([p.text.length, p.text.length + text.length, node]);
  p.text += text;
}
function appendPiece(p, q) {
  for (const [s, e, n, back] of q.segs) p.segs.push(back ? [s + p.text.length, e + p.text.length, n, true] : [s + p.text.length, e + p.text.length, n]);
  p.text += q.text;
}

const isField = (el) => (el.tagName === 'INPUT' && el.type !== 'hidden') || el.tagName === 'TEXTAREA';
function fieldText(el) {
  const p = piece();
  if (isField(el)) {
    append(p, el.value, el);
    if (el.placeholder) { if (p.text) append(p, '\n', null); append(p, el.placeholder, el); }
  } else if (el.tagName === 'SELECT') {
    // A list box draws every option and group; a drop-down its choice. An option shows
    // its `label` where it has one.
    const listBox = el.multiple || el.size > 1;
    const shown = listBox ? Array.from(el.querySelectorAll('option, optgroup')) : Array.from(el.selectedOptions || []);
    append(p, shown.map((o) => (o.tagName === 'OPTGROUP' ? o.label : o.label || o.textContent)).join('\n'), el);
  } else if (el.tagName === 'IMG' || (el.tagName === 'INPUT' && el.type === 'image')) {
    // A broken image draws its alt text in its box; an SVG image given as a data URL
    // draws its own text there, whether `src`, `srcset` or a <picture>'s source chose it.
    append(p, el.getAttribute('alt') || '', el);
    append(p, svgDataText(el.currentSrc || el.getAttribute('src') || ''), el);
  } else if (el.tagName === 'VIDEO') {
    append(p, svgDataText(el.getAttribute('poster') || ''), el);
  } else if (el.namespaceURI === SVG_NS && el.localName === 'image') {
    append(p, svgDataText(el.getAttribute('href') || el.getAttribute('xlink:href') || ''), el);
  } else if (el.namespaceURI === SVG_NS && el.localName === 'use') {
    // A <use> draws a copy of what it refers to, in its own box: a copy of a <use>, of
    // what that one refers to (a few steps, no loop).
    let target = el;
    for (let hops = 0; target && target.localName === 'use' && hops < 8; hops++) {
      const ref = (target.getAttribute('href') || target.getAttribute('xlink:href') || '').replace(/^#/, '');
      const root = target.getRootNode();
      target = ref && root.getElementById ? root.getElementById(ref) : null;
    }
    if (target && target !== el) append(p, target.textContent || '', el);
  } else if (el.tagName === 'Q') {
    // The quotation marks a <q> draws come from its `quotes`, which a page may fill.
    append(p, quotesText(getComputedStyle(el).quotes), el);
  }
  return p;
}
// Per element, the text a person reads in it: its fields' values, and its text across its
// composed children (null when longer than BLOCK_TEXT_MAX), in two readings: `plain`, as
// the DOM holds it (every child, in the DOM's order), and `drawn`, as it is drawn (the
// same object where they do not differ). Each is built from the children's readings of
// its kind, so what one reading misjudges the other still holds. Built bottom up, so the
// walk stays linear in the page's text.
function readTexts(everything) {
  resetCounterStyles();
  readAnimatedContent();
  placedApart = new Map();
  scrollPseudos = new Map();
  const plain = new Map(), drawn = new Map();
  for (let i = everything.length - 1; i >= 0; i--) {
    const el = everything[i];
    if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'TEMPLATE') { plain.set(el, piece()); drawn.set(el, plain.get(el)); continue; }
    const own = piece(), parts = [];
    let spoken = 0, tooLong = false, framed = false, texts = false;
    for (const k of kids(el)) {
      if (k.nodeType === 3) {
        const t = piece();
        append(t, k.data, k); append(own, k.data, k);
        if (k.data.trim()) { spoken++; texts = true; parts.push({ plain: t, drawn: k.data.includes('\u202e') ? overriddenText(k) : t, node: k, ink: true, text: true }); }
        continue;
      }
      // A ruby's annotation is drawn above its base, not between the base's characters;
      // it answers its own text.
      if (k.nodeType !== 1 || k.tagName === 'RT' || k.tagName === 'RP') continue;
      if (isFrame(k)) {
        const f = piece();
        append(f, FRAME_EDGE, null);
        parts.push({ plain: f, drawn: f, node: k, ink: true });
        framed = true;
        continue;
      }
      const b = plain.get(k);
      if (b === null) { tooLong = true; continue; }
      if (b && b.text.trim()) {
        spoken++;
        parts.push({ plain: b, drawn: drawn.get(k) || piece(), node: k, ink: true });
      }
    }
    const cs = getComputedStyle(el);
    // Styles are read only where they can change the reading: most elements have no
    // text of their own, or one child with text.
    const inkless = parts.length > 0 && parseFloat(cs.opacity) < INK_MIN;
    const ink = texts && !inkless && textInk(el, cs);
    if (texts) for (const part of parts) if (part.text) part.ink = ink;
    const marker = markerText(el, cs), before = generatedDrawn(el, '::before'), after = generatedDrawn(el, '::after');
    const field = fieldText(el), image = imageText(el, cs), scroller = scrollerText(el, cs);
    const whole = (list, reading) => {
      const p = piece();
      append(p, marker, { generatedBy: el, pseudo: '::marker' });
      append(p, before, { generatedBy: el, pseudo: '::before' });
      for (const part of list) appendPiece(p, part[reading]);
      appendPiece(p, field);
      append(p, image, el);
      append(p, after, { generatedBy: el, pseudo: '::after' });
      append(p, scroller, { generatedBy: el, pseudo: '::scroll-button' });
      return p;
    };
    const held = whole(parts, 'plain');
    const differ = tooLong || inkless ? null : mayDiffer(cs, parts, texts && !ink);
    const order = tooLong ? null : inkless ? [] : differ ? drawnOrder(parts, cs.writingMode, differ) : null;
    let shown = held;
    if (order) shown = whole(order, 'drawn');
    else if (parts.some((part) => part.drawn !== part.plain)) shown = whole(parts, 'drawn');
    if (!inkless && !tooLong && shown.text) {
      const placed = svgPlacedText(el);
      if (placed) shown = placed;
      else if (overridesRtl(cs)) shown = reversed(shown);
    }
    const fits = !tooLong && held.text.length <= BLOCK_TEXT_MAX;
    plain.set(el, fits ? held : null);
    drawn.set(el, fits ? shown : null);
    ownPieces.set(el, { own, spoken, drawsOwn: !!(image || scroller || field.text), framed: framed && spoken > 0 });
  }
  return { plain, drawn };
}
// Whether an element's children may be drawn in another order than held, or some not at
// all: `all` when its own text leaves no ink, or it reverses its flex lines or packs its
// grid densely; else the children placed apart, if any. Where none is, the order is the
// DOM's and no box is read.
function mayDiffer(cs, parts, inklessText) {
  if (inklessText) return 'all';
  if (parts.length < 2) return null;
  if (/reverse/.test(cs.flexDirection + cs.flexWrap) || (cs.display.includes('grid') && cs.gridAutoFlow.includes('dense'))) return 'all';
  const apart = parts.filter((part) => !part.text && placedApartOf(part.node));
  return apart.length ? apart : null;
}
// Each element's own text nodes, how many of its children hold text, from the last
// `readTexts` (a WeakMap: nothing is stored on the page's elements).
let ownPieces = new WeakMap();

// The text answered for an element, with its segments: its text across its children
// where that is what only it shows (its own text, generated text, a field, an image, or
// text in more than one child: a secret split over spans), as held and, where that
// differs, as drawn; else nothing (a wrapper around one child, whose text that child
// answers). A too-long block answers its own text nodes.
function answeredText(el, readings) {
  const b = readings.plain.get(el), d = readings.drawn.get(el);
  const o = ownPieces.get(el) || { own: piece(), spoken: 0, drawsOwn: false, framed: false };
  if (b) {
    const ownSpoken = o.own.text.trim() !== '';
    const generated = b.segs.some((s) => s[2] && s[2].generatedBy === el);
    if (!(ownSpoken || generated || o.spoken >= 2 || o.drawsOwn || o.framed || isField(el) || el.tagName === 'SELECT' || el.tagName === 'IMG' || el.tagName === 'Q')) return null;
    if (!d || d === b || d.text === b.text) return b;
    const both = piece();
    appendPiece(both, b);
    append(both, READINGS_APART, null);
    appendPiece(both, d);
    return both;
  }
  const p = piece();
  appendPiece(p, o.own);
  appendPiece(p, fieldText(el));
  return p.text ? p : null;
}

// A frame's document: its whole text as drawn between its two edges (see FRAME_EDGE), or
// null at the top, or when it shows more than a fragment's worth.
function edgeText(readings) {
  if (window.parent === window) return null;
  const whole = readings.drawn.get(document.body || document.documentElement);
  if (!whole || !whole.text.trim() || whole.text.length > EDGE_TEXT_MAX) return null;
  const p = piece();
  append(p, FRAME_EDGE, null);
  appendPiece(p, whole);
  append(p, FRAME_EDGE, null);
  return p;
}
