// Writing runbooks from what a person did: for an element, the locator a person would
// write and this engine finds it by again (`author`). Each answer is checked by running
// the engine's own search with it: a locator that finds another element, or more than
// one, is not given as unique.

// The kinds a recorded step names, in the order a role is looked up.
const AUTHOR_KINDS = ['button', 'link', 'tab', 'menuitem', 'option', 'field', 'row'];
function kindOfRole(role) {
  for (const k of AUTHOR_KINDS) if (KIND_ROLES[k].has(role)) return k;
  return null;
}
// A group of fields (a fieldset, a radio group) is a field's caption, never what a click
// or keys went to.
const NOT_ACTED_ON = new Set(['group', 'radiogroup']);

// The control a `<label>` labels: its `for`, else its first labelable descendant.
function labelTarget(label) {
  if (label.control) return label.control;
  const f = label.getAttribute('for');
  if (f) return byIdFrom(label, f);
  return walk(label).find(isLabelable) || null;
}

// What a person acted on when an event reached `node`: the nearest element around it
// with a role a runbook names (the button around a click on its icon), a label's
// control, or a row when nothing inside it is more particular.
function actionable(node) {
  let row = null;
  for (let n = node; n; n = parentOf(n)) {
    if (n.nodeType !== 1) continue;
    if (n.tagName === 'LABEL') {
      const c = labelTarget(n);
      if (c && kindOfRole(roleOf(c))) return c;
    }
    const role = roleOf(n);
    const k = kindOfRole(role);
    if (!k || NOT_ACTED_ON.has(role)) continue;
    if (k === 'row') { if (!row) row = n; continue; }
    return n;
  }
  return row;
}

// The control kind an action works on a field of this role (see `takes`).
function controlOfRole(role) {
  if (['textbox', 'searchbox', 'spinbutton'].includes(role)) return 'text';
  if (['combobox', 'listbox'].includes(role)) return 'choice';
  if (TOGGLES.has(role)) return 'toggle';
  return undefined;
}

// The names to try for `el`, best first: a field's label before its accessible name, and
// its placeholder only where the placeholder is its name (a person reads a label; a
// placeholder goes when a value is typed).
function authorNames(el, kind) {
  const names = namesOf(el, kind);
  // A switch inside its label shows its state after its name ("Notifications", then "On"
  // or "Off"): a name with the state in it lasts until the state changes. The label's
  // text before the control goes first; the engine finds the label by its beginning.
  const first = (n) => {
    if (!n) return;
    if (names.includes(n)) names.splice(names.indexOf(n), 1);
    names.unshift(n);
  };
  // Likewise a label that goes on with separate text (a slider's range "8-32", a unit, a
  // counter): the name without it, as a person writes it.
  if (kind === 'field') for (const l of labelSources(el)) first(separateHead(l));
  if (TOGGLES.has(roleOf(el))) first(captionBefore(el));
  const placeholder = labelNorm(el.getAttribute('placeholder') || '');
  const name = kind === 'field' ? labelNorm(accName(el)) : norm(accName(el));
  return names.filter((n) => n.length <= 120 && (kind !== 'field' || !placeholder || n !== placeholder || n === name));
}

// The longest beginning of a label that the rest of it follows as separate text (see
// `separateRest`), or null.
function separateHead(label) {
  const words = labelNorm(visibleTextOf(label)).split(' ');
  for (let k = words.length - 1; k >= 1; k--) {
    const head = words.slice(0, k).join(' ');
    if (separateRest(label, head)) return head;
  }
  return null;
}

// The text of the label around `el` that comes before it, as shown.
function captionBefore(el) {
  let label = null;
  for (let p = el.parentNode; p && p.nodeType === 1; p = p.parentNode) if (p.tagName === 'LABEL') { label = p; break; }
  if (!label) return '';
  const parts = [];
  const w = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
  for (let t = w.nextNode(); t; t = w.nextNode()) {
    if (!(t.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    if (t.parentElement && visible(t.parentElement)) parts.push(t.data);
  }
  return labelNorm(parts.join(' '));
}

// The scopes that may tell `el` apart, innermost first: the row it is in (by the text of
// one of its cells), the sections whose headings head a block around it, the dialog.
function scopesOf(el, everything) {
  const out = [];
  const row = rowOf(el);
  if (row) {
    // A cell's text without the element's own (a chevron's ">" in "> VP Sales") first.
    const texts = [];
    if (roleOf(row) === 'treeitem') texts.push(ownItemText(row));
    const cells = cellsOf(row);
    for (const c of cells.filter((c) => !composedContains(c, el))) texts.push(visibleTextOf(c));
    for (const c of cells.filter((c) => composedContains(c, el))) {
      const own = visibleTextOf(el);
      const t = visibleTextOf(c);
      texts.push(own && t.startsWith(own) ? t.slice(own.length) : t, t);
    }
    for (const t of texts) {
      const v = norm(t);
      if (v && v.length <= 80 && !out.some((o) => o.in_row === v)) out.push({ in_row: v });
    }
  }
  const sections = [];
  for (const h of everything.filter((e) => e.matches(HEADINGS))) {
    const block = sectionBlockOf(h);
    const v = labelNorm(visibleTextOf(h));
    if (!block || !v || v.length > 80 || block === el || !composedContains(block, el)) continue;
    let depth = 0;
    for (let p = block; p; p = parentOf(p)) depth++;
    sections.push({ v, depth });
  }
  sections.sort((a, b) => b.depth - a.depth);
  for (const s of sections) if (!out.some((o) => o.in_section === s.v)) out.push({ in_section: s.v });
  const dialogs = containersFor('dialog', '', everything);
  const mine = dialogs.find((d) => d !== el && composedContains(d, el));
  if (mine) {
    out.push({ in_dialog: true });
    const name = norm(accName(mine));
    if (name && name.length <= 80) out.push({ in_dialog: name });
  }
  return out;
}

// Elements a spec finds as `locate` takes them: shown ones, in the engine's order.
function foundBy(spec, everything) {
  const s = Object.assign({}, spec, { in_dialog: spec.in_dialog === true ? '' : spec.in_dialog });
  const res = find(s, everything);
  if (res.bad) return [];
  return res.matches.filter((m) => spec.mode === 'present' || visibleOrFaux(m.el)).map((m) => m.el);
}

// A CSS selector for `el` in its own root, from stable parts only: tags, classes and
// names without digits (generated ids such as `input-12` or Visualforce's `j_id0:...`
// change from page to page), and places among siblings.
function cssFor(el, everything) {
  const stable = (s) => s && !/[\d:]/.test(s) && s.length <= 60;
  const part = (e) => {
    let p = e.tagName.toLowerCase();
    if (stable(e.id)) return p + '#' + CSS.escape(e.id);
    const nm = e.getAttribute('name');
    if (stable(nm)) p += '[name="' + nm.replace(/"/g, '\\"') + '"]';
    const classes = typeof e.className === 'string' ? e.className.trim().split(/\s+/).filter(stable).slice(0, 3) : [];
    for (const c of classes) p += '.' + CSS.escape(c);
    const parent = e.parentElement;
    if (parent) {
      const same = Array.from(parent.children).filter((c) => c.tagName === e.tagName);
      if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
    }
    return p;
  };
  const root = el.getRootNode();
  let sel = '';
  for (let e = el, depth = 0; e && e.nodeType === 1 && depth < 8; e = e.parentElement, depth++) {
    sel = sel ? part(e) + ' > ' + sel : part(e);
    const spec = { kind: 'css', value: sel, mode: 'read', purpose: 'click' };
    // A bare tag and place (`button:nth-of-type(2)`) says too little to last: one more
    // level at least.
    const says = depth > 0 || /[.#[]/.test(sel);
    const els = says ? foundBy(spec, everything) : [];
    if (els.length === 1 && els[0] === el) return sel;
    if (e.parentNode === root) break;
  }
  return null;
}

// The locator for `req.el` (or the first shown element `req.css` selects), as a runbook
// writes it: `{ kind, value }` with the scopes it needs, `unique` when the engine finds
// that element and only it. `control` (text, choice, toggle) says what the step does
// with a field, as the step's own search will ask.
function author(req, everything) {
  let start = req.el;
  if (!start && req.css) {
    const els = foundBy({ kind: 'css', value: req.css, mode: 'read', purpose: 'click' }, everything);
    if (!els.length) return { none: 'no element shown matches the CSS selector ' + req.css };
    start = els[0];
  }
  if (!start) return { none: 'no element given' };
  // `asIs`: the element itself, not the control around it (a dual listbox's group).
  const el = req.asIs ? (kindOfRole(roleOf(start)) ? start : null) : actionable(start);
  if (!el) return { none: 'nothing a runbook names is at ' + describe(start) + ' (no button, link, tab, menu item, option, field or row around it)' };
  const role = roleOf(el);
  const kind = kindOfRole(role);
  const out = { role, tag: el.tagName.toLowerCase(), el };
  const base = { kind, exact: false, mode: 'read', purpose: kind === 'field' ? 'input' : 'click' };
  if (kind === 'field') base.control = out.control = req.control || controlOfRole(role);
  const scopes = scopesOf(el, everything);
  const tries = scopes.map((s) => [s]);
  for (let i = 0; i < scopes.length; i++) for (let j = i + 1; j < scopes.length; j++) {
    const a = scopes[i], b = scopes[j];
    if (Object.keys(a)[0] !== Object.keys(b)[0]) tries.push([a, b]);
  }
  // A name that says something (a chevron's ">" does not) before one that does not; a
  // name alone before a name with scopes.
  const names = authorNames(el, kind);
  const wordy = names.filter((n) => /[\p{L}\p{N}]/u.test(n));
  const ordered = wordy.concat(names.filter((n) => !wordy.includes(n)));
  const pending = [];
  for (const name of ordered) {
    const spec = Object.assign({}, base, { value: name });
    const els = foundBy(spec, everything);
    if (!els.includes(el)) continue;
    // A field made of fields (a dual listbox's group and its two lists) shares its name
    // with its parts: the name is the whole's when the whole comes first.
    const whole = els[0] === el && els.every((e) => e === el || composedContains(el, e));
    if (els.length === 1 || whole) return Object.assign(out, { locator: { kind, value: name }, unique: true });
    pending.push([spec, els]);
  }
  // A row's selection checkbox is named by its row, as `check` finds it.
  if (kind === 'field' && TOGGLES.has(role) && rowOf(el) && !pending.length) {
    for (const s of scopes.filter((s) => s.in_row)) {
      const spec = { kind: 'row', value: s.in_row, exact: false, mode: 'read', purpose: 'input', control: 'toggle' };
      const found = foundBy(spec, everything);
      if (found.length === 1 && found[0] === el) return Object.assign(out, { locator: { kind: 'row', value: s.in_row }, unique: true });
    }
  }
  let ambiguous = null;
  for (const [spec, els] of pending) {
    for (const t of tries) {
      const found = foundBy(Object.assign({}, spec, ...t), everything);
      if (found.length === 1 && found[0] === el) {
        return Object.assign(out, { locator: Object.assign({ kind, value: spec.value }, ...t), unique: true });
      }
    }
    if (!ambiguous) ambiguous = { kind, value: spec.value, nth: els.indexOf(el) + 1, count: els.length };
  }
  const css = cssFor(el, everything);
  const why = ambiguous
    ? kind + ' "' + ambiguous.value + '" names ' + ambiguous.count + ' elements here, and no row, section or dialog tells this one apart'
    : 'no name the engine finds it by (' + describe(el) + ')';
  if (css) return Object.assign(out, { locator: { kind: 'css', value: css }, unique: true, note: why });
  if (ambiguous) return Object.assign(out, { locator: { kind, value: ambiguous.value, nth: ambiguous.nth }, unique: false, note: why });
  return Object.assign(out, { none: why + ', and no CSS selector without generated ids selects it alone' });
}
