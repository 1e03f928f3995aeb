// Actionability, as a pointer sees it: visible, not covered, where a click lands; and
// reading what a control shows.

function visible(el) {
  if (!el || !el.isConnected) return false;
  const r = el.getBoundingClientRect();
  if (r.width <= 0 && r.height <= 0) return false;
  if (el.checkVisibility && !el.checkVisibility({ opacityProperty: false, visibilityProperty: true })) return false;
  return true;
}
const tiny = (el) => { const r = el.getBoundingClientRect(); return r.width < 4 || r.height < 4; };

// The element a person would actually click: a visually hidden checkbox or radio is
// toggled through its label or the SLDS faux box that covers it.
function clickTarget(el) {
  if (el.tagName === 'INPUT' && /^(checkbox|radio)$/.test(el.type) && (tiny(el) || !hitOk(el, el))) {
    const lab = labelElements(el).find(visible);
    if (lab) return lab;
  }
  return el;
}

// The element under a point, through open shadow roots of both kinds.
function deepHit(x, y) {
  let el = document.elementFromPoint(x, y);
  while (el && el.shadowRoot && el.shadowRoot.elementFromPoint) {
    const inner = el.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === el) break;
    el = inner;
  }
  return el;
}
// The part of the window a page shows: without its scrollbars, where nothing can be hit
// (`innerWidth` and `innerHeight` count them).
function viewport() {
  const v = window.visualViewport;
  return v ? { width: v.width, height: v.height } : { width: innerWidth, height: innerHeight };
}
// Whether a point of the page is in view, so that a hit test there means something.
function inView(x, y) {
  const v = viewport();
  return x >= 0 && y >= 0 && x < v.width && y < v.height;
}
function hitOk(target, original) {
  // Where the pointer goes (`aim`): the middle of the target's first box, not of the box
  // around all of them, which for a link wrapped onto two lines is the text beside it.
  const r = target.getClientRects()[0] || target.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (!inView(x, y)) return true; // WebDriver scrolls first
  return accepts(deepHit(x, y), target, original);
}
// Whether a pointer on `hit` acts on `target` (found as `original`): the target or what
// it holds, a synthetic host around it, or the label of the original.
function accepts(hit, target, original) {
  if (!hit) return false;
  if (composedContains(target, hit) || composedContains(original, hit)) return true;
  // Synthetic shadow retargets hits to a host, which then contains the target.
  if (hit.tagName.includes('-') && composedContains(hit, target)) return true;
  if (hit.tagName === 'LABEL' && labelElements(original).includes(hit)) return true;
  return false;
}
const describe = (el) => {
  if (!el) return 'nothing';
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.');
  return s;
};

// What a control holds, or the text a value element shows, as a person would copy it:
// without the text of buttons beside it ("Copy", "Edit") or of assistive text.
function readValue(el) {
  if (el.tagName === 'SELECT') return el.selectedOptions.length ? norm(el.selectedOptions[0].textContent) : '';
  if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return el.value;
  if (roleOf(el) === 'combobox' && el.hasAttribute('data-value')) return norm(el.getAttribute('data-value'));
  const parts = [];
  const visit = (n) => {
    for (const c of kids(n)) {
      if (c.nodeType === 3) parts.push(c.data);
      else if (c.nodeType === 1 && !hiddenFromAll(c) && !visuallyHidden(c) && roleOf(c) !== 'button') visit(c);
    }
  };
  visit(el);
  return norm(parts.join(' '));
}
function isChecked(el) {
  if (el.tagName === 'INPUT') return el.checked;
  const ac = el.getAttribute('aria-checked');
  if (ac != null) return ac === 'true';
  // A classic detail page shows a checkbox as an image: "Checked" or "Not Checked".
  const checkImg = (e) => e.tagName === 'IMG' && /\bcheckImg\b/.test(e.className);
  if (checkImg(el)) return /^checked$/i.test(el.getAttribute('alt') || el.title || '');
  const inner = walk(el).find((e) => (e.tagName === 'INPUT' && e.type === 'checkbox') || checkImg(e));
  return inner ? isChecked(inner) : null;
}
// One rendered frame. A tab in the background (a step just opened another) gets no
// animation frames at all, so a timer bounds the wait.
const frame = () => new Promise((r) => {
  if (document.visibilityState === 'hidden') { setTimeout(r, 0); return; }
  requestAnimationFrame(() => r());
  setTimeout(r, 100);
});

// A pointer action aimed at an element goes to its in-view centre, and chromedriver
// hit-tests it through `el.getRootNode().elementsFromPoint`, in the page's own world.
// There, inside LWC's synthetic shadow, `getRootNode()` answers a patched root without
// that method, and the action fails. The engine's world sees the DOM unpatched, so it
// tells such an element by its place: under a custom element that has no real shadow
// root (a synthetic host). Aim at the nearest ancestor outside every such host, moved by
// the distance between the two centres. A centre is that of the element's first box (its
// first client rect), as WebDriver's in-view centre point is: a link whose text makes
// several boxes is aimed at its first. Nothing suitable: no aim, and the click is
// WebDriver's Element Click.
function aim(target) {
  const oneBox = (n) => n.nodeType === 1 && n.getClientRects().length >= 1;
  const syntheticHost = (n) => n.nodeType === 1 && n.localName.includes('-') && !n.shadowRoot;
  const underSynthetic = (n) => {
    for (let p = n.parentNode; p; p = p.parentNode || p.host) if (syntheticHost(p)) return true;
    return false;
  };
  const canAim = (n) => { const r = n.getRootNode && n.getRootNode(); return !!r && typeof r.elementsFromPoint === 'function' && !underSynthetic(n); };
  const centre = (n) => {
    const r = n.getClientRects()[0];
    const v = viewport();
    const l = Math.max(0, r.left), rt = Math.min(v.width, r.right), t = Math.max(0, r.top), b = Math.min(v.height, r.bottom);
    return rt > l && b > t ? [(l + rt) / 2, (t + b) / 2] : null;
  };
  if (!oneBox(target)) return null;
  const c = centre(target);
  if (!c) return null;
  for (let n = target; n && n.nodeType === 1; n = parentOf(n)) {
    if (!oneBox(n) || !canAim(n)) continue;
    const o = centre(n);
    if (!o) continue;
    return { el: n, x: Math.round(c[0] - o[0]), y: Math.round(c[1] - o[1]) };
  }
  return null;
}
