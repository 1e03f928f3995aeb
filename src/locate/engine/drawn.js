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
  for (const [s, e, n] of q.segs) p.segs.push([s + p.text.length, e + p.text.length, n]);
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
    // draws its own text there.
    append(p, el.getAttribute('alt') || '', el);
    append(p, svgDataText(el.getAttribute('src') || ''), el);
  } else if (el.tagName === 'Q') {
    // The quotation marks a <q> draws come from its `quotes`, which a page may fill.
    append(p, quotesText(getComputedStyle(el).quotes), el);
  }
  return p;
}
const quotesText = (quotes) => (quotes.match(/"((?:[^"\\]|\\.)*)"/g) || []).map((q) => q.slice(1, -1)).join('');

// The text an SVG image given as a data URL holds (bounded: a page's icons are small).
const SVG_DATA_MAX = 1 << 18;
function svgDataText(src) {
  const m = /^\s*data:image\/svg\+xml([^,]*),/i.exec(src);
  if (!m || src.length > SVG_DATA_MAX) return '';
  try {
    const body = src.slice(m[0].length);
    const svg = /;base64/i.test(m[1]) ? atob(body) : decodeURIComponent(body);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    return (doc.documentElement && doc.documentElement.textContent) || '';
  } catch (err) {
    return '';
  }
}

// The text of the SVG images a style draws in or over an element's box: its
// backgrounds, its border image, a mask (which draws the image's shapes in the
// element's colour).
function imageText(el, cs) {
  let out = '';
  for (const value of [cs.backgroundImage, cs.borderImageSource, cs.maskImage || cs.webkitMaskImage]) {
    if (!value || value === 'none' || !value.includes('svg')) continue;
    for (const m of value.matchAll(/url\("((?:[^"\\]|\\.)*)"\)/g)) out += svgDataText(m[1].replace(/\\(.)/g, '$1'));
  }
  return out;
}

// Generated content as drawn: its strings, and the text of the counters it shows in a
// style of the page's own (`@counter-style`, whose symbols a page may fill).
function generatedDrawn(el, pseudo) {
  const content = getComputedStyle(el, pseudo).content;
  // Every string, the alternative text after a ` / ` too: `contentStrings` answers what
  // is spoken, which leaves out the strings drawn.
  let drawn = content && content !== 'none' && content !== 'normal' ? quotesText(content).replace(/\\(.)/g, '$1') : '';
  if (!content || !content.includes('counter')) return drawn;
  for (const m of content.matchAll(/counters?\(([^)]*)\)/g)) {
    const style = m[1].split(',').pop().trim();
    drawn += counterStyleText(style, el);
  }
  return drawn;
}

// What a counter style of the page's may draw: its prefix, symbols and suffix (a cyclic
// style with one symbol draws exactly it). Read once a look from the style sheets of the
// document and of the element's shadow root.
let counterStyles = null;
function resetCounterStyles() { counterStyles = null; }
function counterStyleText(name, el) {
  if (!name || /^(decimal|disc|circle|square|none|disclosure-(open|closed))$/.test(name) || name.startsWith('"')) return '';
  if (!counterStyles) counterStyles = new Map();
  const root = el.getRootNode ? el.getRootNode() : document;
  let styles = counterStyles.get(root);
  if (!styles) {
    styles = new Map();
    const sheets = [root.styleSheets || [], root.adoptedStyleSheets || []];
    if (root !== document) sheets.push(document.styleSheets, document.adoptedStyleSheets || []);
    for (const list of sheets) for (const sheet of Array.from(list)) collectCounterStyles(sheet, styles);
    counterStyles.set(root, styles);
  }
  return styles.get(name) || '';
}
function collectCounterStyles(sheet, out) {
  let rules;
  try { rules = sheet.cssRules; } catch (err) { return; }
  for (const rule of Array.from(rules || [])) {
    if (typeof CSSCounterStyleRule !== 'undefined' && rule instanceof CSSCounterStyleRule) {
      const symbols = [rule.prefix, rule.negative, rule.pad, rule.symbols, rule.additiveSymbols, rule.suffix].map(cssStrings).join('');
      if (!out.has(rule.name)) out.set(rule.name, symbols);
    } else if (rule.cssRules) {
      collectCounterStyles(rule, out);
    }
  }
}
// The strings and identifiers a descriptor's value lists, joined (numbers of an
// additive symbol's weight and pad's length dropped).
function cssStrings(value) {
  if (!value) return '';
  return Array.from(value.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s",']+)/g))
    .map((m) => (m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : /^\d+$/.test(m[3]) ? '' : m[3]))
    .join('').replace(/\\(.)/g, '$1');
}

// The text a list item's marker draws, when a page gives it one: `::marker { content }`,
// `list-style-type: "..."`, or a counter style of the page's (a built-in counter draws
// digits or letters, no page's text). Read on <li> only: a style read on every element
// would cost each look more than its walk.
function markerText(el) {
  if (el.tagName !== 'LI') return '';
  const cs = getComputedStyle(el);
  if (cs.display !== 'list-item') return '';
  const content = generatedDrawn(el, '::marker');
  if (content) return content;
  const type = cs.listStyleType || '';
  return type.startsWith('"') ? type.slice(1, -1).replace(/\\(.)/g, '$1') : counterStyleText(type, el);
}

// Where a child's text starts on the screen: its first box, or null when it has none. A
// `display: contents` element (a slot) starts where its first child with a box does.
function firstBox(node, depth) {
  if (node.nodeType === 3) {
    const r = document.createRange();
    r.selectNodeContents(node);
    const list = r.getClientRects();
    return list.length ? list[0] : null;
  }
  const list = node.getClientRects();
  if (list.length) return list[0];
  if ((depth || 0) > 8 || getComputedStyle(node).display !== 'contents') return null;
  for (const k of kids(node)) {
    if (k.nodeType === 3 && !k.data.trim()) continue;
    const b = k.nodeType === 1 || k.nodeType === 3 ? firstBox(k, (depth || 0) + 1) : null;
    if (b) return b;
  }
  return null;
}

// Whether an element's own text nodes leave ink: not hidden, not of size 0, and filled,
// stroked or shadowed in a colour that is not transparent. (Its children may differ:
// each is read by its own style. An opacity of 0 no descendant can undo.)
function textInk(cs) {
  if (cs.visibility !== 'visible' || !(parseFloat(cs.fontSize) > 0)) return false;
  const fill = cs.webkitTextFillColor || cs.color;
  return alpha(fill) > 0 || cs.textShadow !== 'none' ||
    parseFloat(cs.webkitTextStrokeWidth) > 0 || (cs.backgroundClip || cs.webkitBackgroundClip || '').includes('text');
}
// The alpha of a computed colour: `rgba(r, g, b, a)`, `color(srgb r g b / a)`, ...
function alpha(color) {
  if (!color) return 1;
  const slash = color.lastIndexOf('/');
  if (slash >= 0) return parseFloat(color.slice(slash + 1)) || 0;
  const m = /^rgba\([^,]+,[^,]+,[^,]+,\s*([\d.e-]+)\)$/.exec(color);
  return m ? parseFloat(m[1]) : color === 'transparent' ? 0 : 1;
}

// The children's texts in the order they are drawn (lines top to bottom, each left to
// right), leaving out those that draw nothing; or null when that is the DOM's order and
// every child draws. A right-to-left line reads here left to right: the executor matches
// each secret reversed as well.
function drawnOrder(parts) {
  const boxed = [];
  for (const part of parts) {
    const b = part.ink ? firstBox(part.node) : null;
    if (b) boxed.push({ part: part.piece, top: b.top, left: b.left, height: Math.max(1, b.height) });
  }
  const sameLine = (a, b) => Math.abs(b.top - a.top) < Math.min(a.height, b.height) / 2;
  let inOrder = boxed.length === parts.length;
  for (let i = 1; inOrder && i < boxed.length; i++) {
    const a = boxed[i - 1], b = boxed[i];
    if (sameLine(a, b) ? b.left < a.left - 0.5 : b.top < a.top) inOrder = false;
  }
  if (inOrder) return null;
  const lines = [];
  for (const b of boxed.slice().sort((x, y) => x.top - y.top)) {
    const line = lines.find((l) => sameLine(l[0], b));
    if (line) line.push(b); else lines.push([b]);
  }
  return lines.flatMap((l) => l.sort((x, y) => x.left - y.left).map((b) => b.part));
}

// Per element of the last `readTexts`: whether it may be drawn elsewhere than its place
// in the flow of its parent's text (taken out of the flow, moved, given a flex or grid
// place of its own), or not at all (no box); a `display: contents` element, whether
// any of its children may.
let placedApart = new Map();
function isPlacedApart(el, cs, childrenMay) {
  if (cs.display === 'contents') return childrenMay;
  const moved = cs.position === 'absolute' || cs.position === 'fixed' ||
    (cs.position !== 'static' && [cs.top, cs.left, cs.bottom, cs.right].some((v) => v !== 'auto' && v !== '0px'));
  return moved || cs.float !== 'none' || cs.transform !== 'none' ||
    cs.translate !== 'none' || cs.rotate !== 'none' || cs.scale !== 'none' || cs.order !== '0' ||
    cs.gridColumnStart !== 'auto' || cs.gridRowStart !== 'auto' || el.getClientRects().length === 0;
}

// Per element, the text a person reads in it: its fields' values, and its text across its
// composed children (null when longer than BLOCK_TEXT_MAX), as drawn. Built bottom up, so
// the walk stays linear in the page's text.
function readTexts(everything) {
  resetCounterStyles();
  placedApart = new Map();
  const block = new Map();
  for (let i = everything.length - 1; i >= 0; i--) {
    const el = everything[i];
    if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'TEMPLATE') { block.set(el, piece()); continue; }
    const cs = getComputedStyle(el);
    const inkless = cs.opacity === '0';
    const ink = !inkless && textInk(cs);
    const own = piece(), parts = [];
    let spoken = 0, tooLong = false, framed = false;
    // Whether the children may be drawn in another order than held, or some not at all;
    // where none is placed apart, the order is the DOM's and no box need be read.
    let mayDiffer = !ink || /reverse/.test(cs.flexDirection + cs.flexWrap) || (cs.display.includes('grid') && cs.gridAutoFlow.includes('dense'));
    for (const k of kids(el)) {
      if (k.nodeType === 3) {
        const t = piece();
        append(t, k.data, k); append(own, k.data, k);
        if (k.data.trim()) { spoken++; parts.push({ piece: t, node: k, ink }); }
        continue;
      }
      // A ruby's annotation is drawn above its base, not between the base's characters;
      // it answers its own text.
      if (k.nodeType !== 1 || k.tagName === 'RT' || k.tagName === 'RP') continue;
      if (isFrame(k)) {
        const f = piece();
        append(f, FRAME_EDGE, null);
        parts.push({ piece: f, node: k, ink: true });
        framed = true;
        mayDiffer = mayDiffer || placedApart.get(k) !== false;
        continue;
      }
      const b = block.get(k);
      if (b === null) { tooLong = true; continue; }
      if (b && b.text.trim()) {
        spoken++;
        parts.push({ piece: b, node: k, ink: true });
        mayDiffer = mayDiffer || placedApart.get(k) !== false;
      }
    }
    const marker = markerText(el), before = generatedDrawn(el, '::before'), after = generatedDrawn(el, '::after');
    const field = fieldText(el), image = imageText(el, cs);
    const whole = (list) => {
      const p = piece();
      append(p, marker, { generatedBy: el, pseudo: '::marker' });
      append(p, before, { generatedBy: el, pseudo: '::before' });
      for (const part of list) appendPiece(p, part.piece || part);
      appendPiece(p, field);
      append(p, image, el);
      append(p, after, { generatedBy: el, pseudo: '::after' });
      return p;
    };
    // The children as the DOM holds them, and as they are drawn where that differs (in
    // another order, or some draw nothing): the text as drawn is what the parent reads
    // on, and this element answers both.
    let p = whole(parts);
    const drawn = tooLong ? null : inkless ? [] : mayDiffer ? drawnOrder(parts) : null;
    placedApart.set(el, isPlacedApart(el, cs, mayDiffer));
    let held = null;
    if (drawn) { held = p; p = whole(drawn); }
    if (tooLong || p.text.length > BLOCK_TEXT_MAX) p = null;
    block.set(el, p);
    ownPieces.set(el, { own, spoken, held, drawsImage: !!image, framed: framed && spoken > 0 });
  }
  return block;
}
// Each element's own text nodes, how many of its children hold text, its text in DOM
// order where it is drawn in another, from the last `readTexts` (a WeakMap: nothing is
// stored on the page's elements).
let ownPieces = new WeakMap();

// The text answered for an element, with its segments: its text across its children
// where that is what only it shows (its own text, generated text, a field, an image, or
// text in more than one child: a secret split over spans); else nothing (a wrapper around
// one child, whose text that child answers). A too-long block answers its own text nodes.
function answeredText(el, block) {
  const b = block.get(el);
  const o = ownPieces.get(el) || { own: piece(), spoken: 0, held: null, drawsImage: false, framed: false };
  if (b) {
    const ownSpoken = o.own.text.trim() !== '';
    const generated = b.segs.some((s) => s[2] && s[2].generatedBy === el);
    if (!(ownSpoken || generated || o.spoken >= 2 || o.drawsImage || o.framed || isField(el) || el.tagName === 'SELECT' || el.tagName === 'IMG' || el.tagName === 'Q')) return null;
    if (!o.held) return b;
    const both = piece();
    appendPiece(both, o.held);
    append(both, READINGS_APART, null);
    appendPiece(both, b);
    return both;
  }
  const p = piece();
  appendPiece(p, o.own);
  appendPiece(p, fieldText(el));
  return p.text ? p : null;
}

// A frame's document: its whole text as drawn between its two edges (see FRAME_EDGE), or
// null at the top, or when it shows more than a fragment's worth.
function edgeText(block) {
  if (window.parent === window) return null;
  const whole = block.get(document.body || document.documentElement);
  if (!whole || !whole.text.trim() || whole.text.length > EDGE_TEXT_MAX) return null;
  const p = piece();
  append(p, FRAME_EDGE, null);
  appendPiece(p, whole);
  append(p, FRAME_EDGE, null);
  return p;
}
