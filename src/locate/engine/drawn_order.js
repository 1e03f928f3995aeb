// The order a text is drawn in, for drawn.js's readings: where a child's text starts on
// the screen, whether it leaves ink, the children in the order drawn, bidi overrides read
// backwards, SVG glyphs placed one by one, and which elements may be drawn away from
// their place in the flow.

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
