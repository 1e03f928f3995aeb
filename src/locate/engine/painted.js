// What a page draws besides the text of its text nodes, for drawn.js's readings: the
// strings and counters of generated content (also those animations draw now and then),
// list markers, the text of SVG images a style or an element shows, a scroller's buttons
// and markers. Each is text a picture may show, which no text node holds.

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
