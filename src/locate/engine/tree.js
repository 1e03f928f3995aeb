// The composed tree: what a person sees, built from the document and every shadow root in
// it, in document order.
//
// Two kinds of shadow root meet here. A native one is a real ShadowRoot: its host's light
// children show only where a <slot> takes them. LWC's synthetic shadow (the
// `@lwc/synthetic-shadow` polyfill, the mode Lightning Experience runs) keeps the real
// DOM flat, slotted content inside its <slot>, and patches `childNodes`, `children`,
// `textContent`, `querySelector` and friends to hide the component internals. So the walk
// takes children from a TreeWalker, which the polyfill does not patch, and enters only
// native shadow roots.

// Closed shadow roots, which no script reaches by itself (this world neither): the
// executor finds them over WebDriver BiDi, which serializes a host's closed root, and
// hands each over (`roots`, for pictures). Host -> root.
const closedRoots = new WeakMap();

// A synthetic root answers `synthetic: true`; only a native root holds a separate tree.
const nativeRoot = (el) => {
  const r = el.shadowRoot;
  if (r && !r.synthetic && r instanceof ShadowRoot) return r;
  return closedRoots.get(el) || null;
};
const isNativeShadowRoot = (r) => r instanceof ShadowRoot && !r.synthetic;

// One walker for the document of the nodes walked: a window opened with an address keeps
// the engine's realm when its page replaces the first, empty document.
let walkerOf = null;
function walkerFor(n) {
  const d = n.ownerDocument || document;
  if (!walkerOf || walkerOf.root !== d) walkerOf = d.createTreeWalker(d, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  return walkerOf;
}

// The node's real children (elements and text), unpatched.
function realChildren(node) {
  const out = [];
  const walker = walkerFor(node);
  walker.currentNode = node;
  for (let c = walker.firstChild(); c; c = walker.nextSibling()) out.push(c);
  return out;
}

// The node's children in the composed tree.
function kids(node) {
  if (node.nodeType === 1) {
    const root = nativeRoot(node);
    if (root) return realChildren(root);
    if (node.tagName === 'SLOT' && isNativeShadowRoot(node.getRootNode())) {
      const assigned = node.assignedNodes({ flatten: true });
      return assigned.length ? assigned : realChildren(node);
    }
  }
  return realChildren(node);
}

// Every element under `root` in composed document order (root excluded).
function walk(root) {
  const out = [];
  const stack = [kids(root)];
  const at = [0];
  while (stack.length) {
    const list = stack[stack.length - 1];
    const i = at[at.length - 1]++;
    if (i >= list.length) { stack.pop(); at.pop(); continue; }
    const n = list[i];
    if (n.nodeType !== 1) continue;
    out.push(n);
    stack.push(kids(n));
    at.push(0);
  }
  return out;
}

// The parent in the composed tree: a slotted node's slot, a shadow root's host. The
// real (unpatched) parent comes from the TreeWalker: under synthetic shadow a slotted
// node's `parentNode` answers its light-DOM host, but it sits inside the slot.
function parentOf(n) {
  if (n.assignedSlot && isNativeShadowRoot(n.assignedSlot.getRootNode())) return n.assignedSlot;
  const walker = walkerFor(n);
  walker.currentNode = n;
  const p = walker.parentNode();
  if (p) return p;
  const r = n.parentNode;
  return r && r.nodeType === 11 && r.host ? r.host : null;
}
function composedContains(a, b) {
  for (let n = b; n; n = parentOf(n)) if (n === a) return true;
  return false;
}
function closestComposed(el, selector) {
  for (let n = el; n; n = parentOf(n)) if (n.nodeType === 1 && n.matches(selector)) return n;
  return null;
}
const rootOf = (el) => (el.getRootNode ? el.getRootNode() : document);

// The element with this id in `el`'s own tree. Never `getElementById` on a shadow root:
// the synthetic polyfill's throws.
function byIdFrom(el, id) {
  const root = rootOf(el);
  if (root === document || !root.querySelector) return document.getElementById(id);
  try { return root.querySelector('#' + CSS.escape(id)); } catch (e) { return null; }
}
