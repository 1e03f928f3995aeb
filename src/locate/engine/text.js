// Text as a person reads it, from the composed tree: never a host's `textContent` (the
// synthetic polyfill shows only its slotted content; native shadow stops at the root).

const norm = (s) => (s || '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
// Labels carry required markers ("*Name", "Name *") and colons; a person ignores them.
const labelNorm = (s) => norm(s).replace(/^\*\s*/, '').replace(/\s*\*$/, '').replace(/:$/, '').trim();

const SKIP_TAGS = /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|HEAD|TITLE|META|LINK)$/;

// Hidden from everyone: `hidden`, `aria-hidden`, no box (but `display: contents`, which
// slots have, shows its children).
function hiddenFromAll(el) {
  if (SKIP_TAGS.test(el.tagName)) return true;
  if (el.getAttribute('aria-hidden') === 'true') return true;
  if (el.hidden && el.tagName !== 'SLOT') return true;
  if (el.tagName === 'OPTION' || el.tagName === 'OPTGROUP') return false;
  if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) {
    return getComputedStyle(el).display !== 'contents';
  }
  return false;
}

// Shown only to assistive technology: SLDS and classic assistive text, and anything
// clipped to a pixel. A person does not see it.
function visuallyHidden(el) {
  if (el.classList && (el.classList.contains('slds-assistive-text') || el.classList.contains('assistiveText'))) return true;
  if (el.classList && el.classList.contains('slds-required')) return true;
  const r = el.getBoundingClientRect();
  if (r.width <= 1 && r.height <= 1) {
    const s = getComputedStyle(el);
    return s.position === 'absolute' || s.overflow === 'hidden';
  }
  return false;
}

// Text of boxes laid out apart reads as separate words: block-level children, and every
// child of a flex or grid container (which lays its children out as blocks).
function laidOutApart(child, parentDisplay) {
  if (/flex|grid/.test(parentDisplay)) return true;
  const d = getComputedStyle(child).display;
  return d !== 'contents' && !d.startsWith('inline') && d !== 'none';
}

// Per-call caches: a search reads the same element's text many times, and an element's
// text is built from its children's.
let textCache = new Map();
let visibleTextCache = new Map();
function resetTextCaches() {
  textCache = new Map();
  visibleTextCache = new Map();
}

// The text under `node` in the composed tree, whitespace collapsed but not trimmed.
// `visible`: only what a person sees (no assistive text); otherwise what assistive
// technology reads (hidden content is out either way).
function rawText(node, visible) {
  const cache = visible ? visibleTextCache : textCache;
  let t = cache.get(node);
  if (t !== undefined) return t;
  const parts = [];
  const display = node.nodeType === 1 ? getComputedStyle(node).display : 'block';
  for (const c of kids(node)) {
    if (c.nodeType === 3) parts.push(c.data);
    else if (c.nodeType === 1) {
      if (hiddenFromAll(c) || (visible && visuallyHidden(c))) continue;
      const inner = rawText(c, visible);
      parts.push(c.tagName === 'BR' || laidOutApart(c, display) ? ' ' + inner + ' ' : inner);
    }
  }
  t = parts.join('').replace(/[\s\u00a0\u200b]+/g, ' ');
  cache.set(node, t);
  return t;
}
const textOf = (el) => norm(rawText(el, false));
const visibleTextOf = (el) => norm(rawText(el, true));
