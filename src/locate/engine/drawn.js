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
const SVG_NS = 'http://www.w3.org/2000/svg';
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
  const pcs = getComputedStyle(el, pseudo);
  const content = pcs.content;
  const animated = animatedContent.size ? (animatedContent.get(el) || new Map()).get(pseudo) || '' : '';
  if (!content || content === 'none' || content === 'normal') return animated;
  // Every string and counter in order, the alternative text after a ` / ` too
  // (`contentStrings` answers what is spoken, which leaves out the strings drawn); and
  // the SVG images it has as a background.
  let drawn = '';
  for (const m of content.matchAll(/"((?:[^"\\]|\\.)*)"|counters?\(([^)]*)\)/g)) {
    if (m[1] !== undefined) { drawn += m[1].replace(/\\(.)/g, '$1'); continue; }
    const args = m[2].split(',').map((a) => a.trim());
    const style = args.length > 1 ? args[args.length - 1] : 'decimal';
    drawn += counterStyleText(style, el) + builtInCounter(counterValue(el, pseudo, args[0]), style);
  }
  return drawn + imageText(el, pcs) + animated;
}

// The strings an animation or transition of `content` draws now and then, by element and
// pseudo-element, read from their keyframes once a look: the look sees one frame of
// them, the capture another.
let animatedContent = new Map();
function readAnimatedContent() {
  animatedContent = new Map();
  for (const a of document.getAnimations ? document.getAnimations() : []) {
    const effect = a.effect;
    if (!effect || !effect.target || !effect.getKeyframes) continue;
    let text = '';
    try {
      for (const k of effect.getKeyframes()) if (k.content) text += quotesText(k.content).replace(/\\(.)/g, '$1');
    } catch (err) { continue; }
    if (!text) continue;
    if (!animatedContent.has(effect.target)) animatedContent.set(effect.target, new Map());
    const by = animatedContent.get(effect.target), pseudo = effect.pseudoElement || '';
    by.set(pseudo, (by.get(pseudo) || '') + text);
  }
}

// A counter's value as far as the styles that set it say: the element's own (or its
// pseudo-element's) `counter-set` or `counter-reset`, else the nearest ancestor's. (The
// increments of the elements before it are not counted: a counter stepped through the
// page is read as where it started.)
function counterValue(el, pseudo, name) {
  const named = (value) => {
    // The name as the style spells it (any letters, escapes), taken literally.
    const m = new RegExp('(?:^|\\s)' + name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\s+(-?\\d+)').exec(value || '');
    return m ? parseInt(m[1], 10) : null;
  };
  const pcs = getComputedStyle(el, pseudo);
  let v = named(pcs.counterSet);
  if (v === null) v = named(pcs.counterReset);
  for (let a = el; v === null && a && a.nodeType === 1; a = a.parentElement) {
    const cs = getComputedStyle(a);
    v = named(cs.counterSet);
    if (v === null) v = named(cs.counterReset);
  }
  return v;
}
// A value in one of CSS's built-in counter styles that draw letters or digits.
function builtInCounter(v, style) {
  if (v === null) return '';
  const alpha = (n, base) => { let out = ''; for (; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(base + ((n - 1) % 26)) + out; return out; };
  const roman = (n) => {
    if (n <= 0 || n >= 4000) return String(n);
    const r = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
    let out = '';
    for (const [k, s] of r) for (; n >= k; n -= k) out += s;
    return out;
  };
  switch (style) {
    case 'upper-alpha': case 'upper-latin': return v > 0 ? alpha(v, 65) : String(v);
    case 'lower-alpha': case 'lower-latin': return v > 0 ? alpha(v, 97) : String(v);
    case 'upper-roman': return roman(v);
    case 'lower-roman': return roman(v).toLowerCase();
    case 'decimal-leading-zero': return (v < 10 && v >= 0 ? '0' : '') + v;
    case 'decimal': return String(v);
    default: return '';
  }
}

// Whether a style sheet of the document's or of the element's shadow root has a rule
// whose selector matches `re` (read once a look, and once a sheet and size).
let sheetsSeen = new WeakMap();
function stylesName(el, re) {
  const root = el.getRootNode ? el.getRootNode() : document;
  const lists = [document.styleSheets, document.adoptedStyleSheets || []];
  try {
    if (root !== document) lists.push(root.styleSheets || [], root.adoptedStyleSheets || []);
  } catch (err) { /* a root whose sheets cannot be read */ }
  for (const list of lists) {
    for (const sheet of Array.from(list)) {
      let rules;
      try { rules = sheet.cssRules; } catch (err) { continue; }
      const key = re.source + ':' + rules.length;
      let seen = sheetsSeen.get(sheet);
      if (!seen) { seen = new Map(); sheetsSeen.set(sheet, seen); }
      if (!seen.has(key)) seen.set(key, selectorsMatch(rules, re));
      if (seen.get(key)) return true;
    }
  }
  return false;
}
function selectorsMatch(rules, re) {
  for (const rule of Array.from(rules)) {
    if (rule.selectorText && re.test(rule.selectorText)) return true;
    if (rule.cssRules && selectorsMatch(rule.cssRules, re)) return true;
    if (rule.styleSheet) {
      let imported = null;
      try { imported = rule.styleSheet.cssRules; } catch (err) { /* another origin's */ }
      if (imported && selectorsMatch(imported, re)) return true;
    }
  }
  return false;
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
    let sheets = [];
    try { sheets = [root.styleSheets || [], root.adoptedStyleSheets || []]; } catch (err) { /* unreadable */ }
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
    } else if (rule.styleSheet) {
      // An `@import`-ed sheet's rules are its own sheet's.
      collectCounterStyles(rule.styleSheet, out);
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

// The text a list item's marker draws (an <li>, a <summary>, anything made a list item
// by CSS), when a page gives it one: `::marker { content }`, `list-style-type: "..."`,
// a counter style of the page's (a built-in counter draws digits or letters, no page's
// text), an SVG image as `list-style-image`.
function markerText(el, cs) {
  if (!cs.display.includes('list-item')) return '';
  const image = cs.listStyleImage && cs.listStyleImage !== 'none' ? imageText(el, { backgroundImage: cs.listStyleImage }) : '';
  const content = generatedDrawn(el, '::marker');
  if (content) return content + image;
  const type = cs.listStyleType || '';
  return (type.startsWith('"') ? type.slice(1, -1).replace(/\\(.)/g, '$1') : counterStyleText(type, el)) + image;
}

// What a scroller's buttons and its children's scroll markers draw (`::scroll-button()`,
// `::scroll-marker`): read on scrollers only, for they have them.
const SCROLL_BUTTONS = ['left', 'right', 'up', 'down', 'block-start', 'block-end', 'inline-start', 'inline-end'];
let scrollPseudos = new Map();
function scrollerText(el, cs) {
  const root = el.getRootNode ? el.getRootNode() : document;
  let named = scrollPseudos.get(root);
  if (named === undefined) { named = stylesName(el, /::scroll-(button|marker)/); scrollPseudos.set(root, named); }
  if (!named || (cs.overflowX === 'visible' && cs.overflowY === 'visible')) return '';
  let out = '';
  for (const b of SCROLL_BUTTONS) {
    try { out += generatedDrawn(el, '::scroll-button(' + b + ')'); } catch (err) { /* not known here */ }
  }
  for (const k of realChildren(el)) {
    if (k.nodeType === 1) {
      try { out += generatedDrawn(k, '::scroll-marker'); } catch (err) { /* not known here */ }
    }
  }
  return out;
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
// Below this opacity or alpha, or this font size in CSS pixels, nothing legible is drawn.
const INK_MIN = 0.05;
const FONT_MIN = 2;
function textInk(el, cs) {
  if (cs.visibility !== 'visible' || !(parseFloat(cs.fontSize) >= FONT_MIN)) return false;
  // SVG text is painted by `fill` and `stroke`, not `color`.
  if (el.namespaceURI === 'http://www.w3.org/2000/svg') return true;
  const fill = cs.webkitTextFillColor || cs.color;
  return alpha(fill) >= INK_MIN || cs.textShadow !== 'none' ||
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

// The children's texts in the order they are drawn (lines in the writing mode's block
// direction, each in its inline direction: top to bottom and left to right in a
// horizontal one), leaving out those that draw nothing (no box, or one too small to
// read); or null when that is the DOM's order and every child draws. A right-to-left
// line reads here left to right: the executor matches each secret reversed as well.
function drawnOrder(parts, writingMode, apart) {
  const legible = (b) => b && b.width >= FONT_MIN / 2 && b.height >= FONT_MIN;
  // Where only children placed apart may differ and each of them draws nothing (assistive
  // text clipped to a pixel, a hidden child), the others keep the DOM's order: their
  // boxes need not be read.
  if (apart !== 'all' && apart.every((part) => !legible(firstBox(part.node)))) return parts.filter((part) => !apart.includes(part));
  // A box in the writing mode's terms: `block`, where its line is; `inline`, where on
  // the line; `size`, its line's thickness.
  const vertical = /^(vertical|sideways)/.test(writingMode || '');
  const logical = (b) => (!vertical ? { block: b.top, inline: b.left, size: b.height }
    : /-rl$/.test(writingMode) ? { block: -b.right, inline: b.top, size: b.width }
    // `sideways-lr` draws its lines bottom to top.
    : writingMode === 'sideways-lr' ? { block: b.left, inline: -b.bottom, size: b.width } : { block: b.left, inline: b.top, size: b.width });
  const boxed = [];
  for (const part of parts) {
    const b = part.ink ? firstBox(part.node) : null;
    if (legible(b)) boxed.push(Object.assign({ part }, logical(b)));
  }
  const sameLine = (a, b) => Math.abs(b.block - a.block) < Math.min(a.size, b.size) / 2;
  let inOrder = boxed.length === parts.length;
  for (let i = 1; inOrder && i < boxed.length; i++) {
    const a = boxed[i - 1], b = boxed[i];
    if (sameLine(a, b) ? b.inline < a.inline - 0.5 : b.block < a.block) inOrder = false;
  }
  if (inOrder) return null;
  const lines = [];
  for (const b of boxed.slice().sort((x, y) => x.block - y.block)) {
    const line = lines.find((l) => sameLine(l[0], b));
    if (line) line.push(b); else lines.push([b]);
  }
  return lines.flatMap((l) => l.sort((x, y) => x.inline - y.inline).map((b) => b.part));
}

// A piece read backwards, as a bidi override draws it. Its segments are marked reversed:
// a range in one stands for the whole of its node (see `rangeRects`).
function reversed(p) {
  const q = piece();
  for (let i = p.segs.length - 1; i >= 0; i--) {
    const [s, e, n] = p.segs[i];
    const start = q.text.length;
    q.text += Array.from(p.text.slice(s, e)).reverse().join('');
    q.segs.push([start, q.text.length, n, true]);
  }
  return q;
}
const overridesRtl = (cs) => cs.direction === 'rtl' && cs.unicodeBidi.includes('override');
// A text node's characters as drawn where it holds right-to-left overrides (U+202E to
// the next U+202C or the end): each such run read backwards.
function overriddenText(node) {
  const p = piece(), data = node.data;
  let at = 0;
  for (const m of data.matchAll(/\u202e[^\u202c]*/g)) {
    if (m.index > at) append(p, data.slice(at, m.index), node);
    const run = piece();
    append(run, m[0], node);
    appendPiece(p, reversed(run));
    at = m.index + m[0].length;
  }
  if (at < data.length) append(p, data.slice(at), node);
  return p;
}

// An SVG text whose characters are placed one by one (lists of `x`, `y`, `dx`, `dy`):
// its characters in the order drawn, or null.
function svgPlacedText(el) {
  if (el.namespaceURI !== SVG_NS || !el.getNumberOfChars) return null;
  if (!['x', 'y', 'dx', 'dy'].some((a) => /\S[\s,]+\S/.test(el.getAttribute(a) || ''))) return null;
  const text = (el.textContent || '').replace(/\s+/g, ' ').trim();
  let n = 0;
  try { n = el.getNumberOfChars(); } catch (err) { return null; }
  if (n !== text.length || n > BLOCK_TEXT_MAX) return null;
  const at = [];
  try {
    for (let i = 0; i < n; i++) {
      const q = el.getStartPositionOfChar(i);
      at.push({ c: text[i], x: q.x, y: q.y });
    }
  } catch (err) {
    return null; // not rendered: nothing is placed
  }
  at.sort((a, b) => (Math.abs(a.y - b.y) > 2 ? a.y - b.y : a.x - b.x));
  const p = piece();
  append(p, at.map((a) => a.c).join(''), el);
  return p;
}

// Per element of the last `readTexts`: whether it may be drawn elsewhere than its place
// in the flow of its parent's text (taken out of the flow, moved, given a flex or grid
// place of its own), or not at all (`display: none`; what has no box inside it is its
// own reading's concern); a `display: contents` element, whether any of its children
// may.
let placedApart = new Map();
function placedApartOf(el, depth) {
  let v = placedApart.get(el);
  if (v !== undefined) return v;
  const cs = getComputedStyle(el);
  if (cs.display === 'contents') {
    v = (depth || 0) > 8 || realChildren(el).some((k) => k.nodeType === 1 && placedApartOf(k, (depth || 0) + 1)) ||
      kids(el).some((k) => k.nodeType === 1 && placedApartOf(k, (depth || 0) + 1));
  } else {
    const moved = cs.position === 'absolute' || cs.position === 'fixed' ||
      (cs.position !== 'static' && [cs.top, cs.left, cs.bottom, cs.right].some((x) => x !== 'auto' && x !== '0px'));
    v = moved || cs.float !== 'none' || cs.transform !== 'none' ||
      cs.translate !== 'none' || cs.rotate !== 'none' || cs.scale !== 'none' || cs.order !== '0' ||
      cs.gridColumnStart !== 'auto' || cs.gridRowStart !== 'auto' || cs.display === 'none';
  }
  placedApart.set(el, v);
  return v;
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
