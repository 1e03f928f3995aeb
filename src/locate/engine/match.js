// Matching a runbook's locator to elements: candidates by kind (roles), each with the
// names a person could call it by, scored; scopes (row, section, dialog) narrow the
// search first.

// The names a person may use for `el` as a `kind`: its accessible name, what it shows
// (a button's visible text without its assistive text), and for fields the visible
// labels and the Salesforce layer's captions.
// What an element a CSS or XPath selector picked is called: its accessible name (what
// `import --resolve` writes a label locator from), else the selector.
function selectedName(el, spec) {
  return norm(accName(el)) || spec.value;
}

function namesOf(el, kind) {
  const out = [];
  const add = (s) => { const n = kind === 'field' ? labelNorm(s) : norm(s); if (n && !out.includes(n)) out.push(n); };
  const role = roleOf(el);
  if (role === 'treeitem') {
    add(ownItemText(el));
    add(el.getAttribute('aria-label'));
    return out;
  }
  if (kind === 'field') {
    for (const l of labelElements(el)) add(visibleTextOf(l));
    add(sldsLabelOf(el));
    add(classicLabelOf(el));
    add(accName(el));
    add(el.getAttribute('placeholder'));
    add(el.getAttribute('title'));
    return out;
  }
  if (NAME_FROM_CONTENT.has(role)) add(visibleTextOf(el));
  add(accName(el));
  if (el.tagName === 'INPUT') add(el.value);
  add(el.getAttribute('title'));
  return out;
}

// The elements that label a field: its `<label>`s, `aria-labelledby`, the SLDS caption
// and the classic label cell.
function labelSources(el) {
  const out = [];
  const add = (e) => { if (e && !out.includes(e)) out.push(e); };
  labelElements(el).forEach(add);
  idRefs(el, 'aria-labelledby').forEach(add);
  add(sldsLabelElement(el));
  add(classicLabelCell(el));
  return out;
}

// A label that begins with the asked name followed by separate text, as a slider shows
// its range ("Minimum Password Length" then "8-32"), a field its unit or a counter
// ("12/255"): the rest, or null. Separate means in another text node, and apart from the
// name by a space or a box of its own, so "Lengths" or "Length" + "s" are not
// "Length" followed by anything.
function separateRest(label, want) {
  const pieces = [];
  let gap = false;
  const visit = (n, display) => {
    for (const c of kids(n)) {
      if (c.nodeType === 3) { if (c.data) { pieces.push({ t: c.data, gap }); gap = false; } continue; }
      if (c.nodeType !== 1 || hiddenFromAll(c) || visuallyHidden(c)) continue;
      const apart = c.tagName === 'BR' || laidOutApart(c, display);
      if (apart) gap = true;
      visit(c, getComputedStyle(c).display);
      if (apart) gap = true;
    }
  };
  visit(label, getComputedStyle(label).display);
  const w = want.toLowerCase();
  for (let k = 1; k < pieces.length; k++) {
    const head = pieces.slice(0, k).map((p) => (p.gap ? ' ' : '') + p.t).join('');
    if (labelNorm(head).toLowerCase() !== w) continue;
    const tail = pieces.slice(k).map((p) => (p.gap ? ' ' : '') + p.t).join('');
    const apart = pieces[k].gap || /\s$/.test(head) || /^\s/.test(tail);
    const rest = labelNorm(tail);
    if (apart && rest) return rest;
  }
  return null;
}

// Fields whose label begins with `want` followed by separate text: `{ el, label }`.
function separatePrefixed(els, want) {
  const out = [];
  for (const el of els) {
    for (const l of labelSources(el)) {
      if (separateRest(l, want) == null) continue;
      out.push({ el, label: labelNorm(visibleTextOf(l)) });
      break;
    }
  }
  return out;
}

function score(candidateNames, want, exact, loose) {
  let best = 0;
  const w = exact ? want : want.toLowerCase();
  for (const n of candidateNames) {
    const c = exact ? n : n.toLowerCase();
    if (c === w) return 3;
    if (loose && c.includes(w)) best = Math.max(best, 1);
  }
  return best;
}

// The elements of `els` that contain no other element of `els`.
function deepest(els) {
  const set = new Set(els);
  const inner = new Set();
  for (const e of els) for (let p = parentOf(e); p; p = parentOf(p)) if (set.has(p)) inner.add(p);
  return els.filter((e) => !inner.has(e));
}

function textMatches(scope, want, exact) {
  const w = exact ? want : want.toLowerCase();
  const hits = scope.filter((el) => {
    // A slot has no box of its own (display: contents): its text belongs to what holds it.
    if (SKIP_TAGS.test(el.tagName) || el.tagName === 'SLOT') return false;
    const t = exact ? visibleTextOf(el) : visibleTextOf(el).toLowerCase();
    return t.includes(w);
  });
  return deepest(hits);
}

const HEADINGS = 'h1, h2, h3, h4, h5, h6, [role=heading], legend, .slds-section__title, .pbSubheader, .slds-card__header-title';
// The block a heading heads: the nearest of these around it. A classic related list or
// page block is its whole `.bPageBlock` (the heading sits in `td.pbTitle`, its buttons in
// the sibling `td.pbButton`).
const SECTION_BLOCKS = '[role=treeitem], section, fieldset, [role=region], .slds-section, .pbSubsection, article, .slds-card, .slds-form, .bRelatedList, .bPageBlock';

function containersFor(scopeKind, value, everything) {
  const want = norm(value).toLowerCase();
  if (scopeKind === 'row') {
    return deepest(everything.filter((el) => KIND_ROLES.row.has(roleOf(el)) && ownItemText(el).toLowerCase().includes(want)));
  }
  if (scopeKind === 'dialog') {
    const ds = everything.filter((el) => (['dialog', 'alertdialog'].includes(roleOf(el)) || el.matches('.slds-modal, .uiModal')) && visible(el));
    return want ? ds.filter((d) => accName(d).toLowerCase().includes(want) || textOf(d).toLowerCase().includes(want)) : ds;
  }
  // Sections: a heading, and the block it heads.
  const heads = everything.filter((el) => el.matches(HEADINGS) && labelNorm(visibleTextOf(el)).toLowerCase() === want);
  return heads.map(sectionBlockOf).filter(Boolean);
}

// The block a section heading heads (a classic subsection's heading, the block after it).
function sectionBlockOf(h) {
  const sub = closestComposed(h, '.pbSubheader');
  if (sub && sub.nextElementSibling) return sub.nextElementSibling;
  return closestComposed(h, SECTION_BLOCKS) || parentOf(h);
}

// Does `el` take what the action gives it? One label can govern two controls (a classic
// "Search: [picklist] for: [text]" row, a polymorphic lookup's scope picklist and input):
// the action picks, a text box for a fill, a picklist for a select, a box for a check.
function takes(el, control) {
  const role = roleOf(el);
  if (control === 'text') return ['textbox', 'searchbox', 'spinbutton'].includes(role);
  if (control === 'choice') return ['combobox', 'listbox'].includes(role);
  if (control === 'toggle') return TOGGLES.has(role);
  return true;
}

function candidates(kind, purpose, scope) {
  const ofKind = (k) => scope.filter((e) => KIND_ROLES[k].has(roleOf(e)));
  if (kind === 'auto') {
    if (purpose === 'input') return [['field', ofKind('field')]];
    const clickables = ['button', 'link', 'menuitem', 'tab', 'option'].map((k) => [k, ofKind(k)]);
    clickables.push(['field', scope.filter((e) => TOGGLES.has(roleOf(e)))]);
    if (purpose === 'read') clickables.unshift(['field', ofKind('field')]);
    return clickables;
  }
  return [[kind, ofKind(kind)]];
}

// Rows, tree items and cells: what a person reads on a table, a grid or a tree.

// A tree item's own text: without its subtree (an expanded branch holds its children's
// items, whose text is theirs). Any other row's text is all of it.
function ownItemText(el) {
  if (roleOf(el) !== 'treeitem') return textOf(el);
  const parts = [];
  for (const c of kids(el)) {
    if (c.nodeType === 3) parts.push(c.data);
    else if (c.nodeType === 1 && !hiddenFromAll(c) && !['group', 'treeitem'].includes(roleOf(c))) parts.push(' ' + rawText(c, false) + ' ');
  }
  return norm(parts.join(''));
}

// The row or tree item an element is in (not itself).
function rowOf(el) {
  for (let p = parentOf(el); p; p = parentOf(p)) if (p.nodeType === 1 && KIND_ROLES.row.has(roleOf(p))) return p;
  return null;
}

const CELL_ROLES = new Set(['cell', 'gridcell', 'rowheader', 'columnheader']);
// The cells of a row in column order (a cell's own content holds no cell of this row).
function cellsOf(row) {
  return walk(row).filter((e) => CELL_ROLES.has(roleOf(e)) && rowOf(e) === row);
}
// The column header a cell sits under: the header row's cell at the same place, by
// `aria-colindex` where the grid says it, else by position.
let headerCache = new Map();
function columnNameOf(cell) {
  const row = rowOf(cell);
  if (!row) return '';
  const table = closestComposed(row, '[role=table], [role=grid], [role=treegrid], table');
  if (!table) return '';
  let headers = headerCache.get(table);
  if (headers === undefined) {
    const headRow = walk(table).find((r) => roleOf(r) === 'row' && cellsOf(r).some((c) => roleOf(c) === 'columnheader'));
    headers = headRow ? cellsOf(headRow) : [];
    headerCache.set(table, headers);
  }
  const at = cell.getAttribute('aria-colindex');
  let h = at && headers.find((x) => x.getAttribute('aria-colindex') === at);
  if (!h) h = headers[cellsOf(row).indexOf(cell)];
  if (!h || roleOf(h) !== 'columnheader') return '';
  return labelNorm(accName(h) || visibleTextOf(h));
}
function cellCandidates(scope, want, exact) {
  const w = exact ? want : want.toLowerCase();
  const cells = scope.filter((e) => KIND_ROLES.cell.has(roleOf(e)));
  const named = cells.map((c) => [c, columnNameOf(c)]);
  const found = named.filter(([, n]) => (exact ? n : n.toLowerCase()) === w).map(([c, n]) => ({ el: c, name: n, kind: 'cell', s: 3 }));
  return { found, columns: [...new Set(named.map(([, n]) => n).filter(Boolean))] };
}

// The control of a row or cell that an action works: a row's selection checkbox or radio
// (the first of the row's own), a branch's expander, a cell's inline-edit button.
function controlOf(el, control) {
  const own = (e) => rowOf(e) === el || (roleOf(el) !== 'treeitem' && composedContains(el, e));
  if (control === 'toggle') {
    if (TOGGLES.has(roleOf(el))) return el;
    return walk(el).find((e) => TOGGLES.has(roleOf(e)) && rowOf(e) === el) || null;
  }
  if (control === 'branch') {
    if (!el.hasAttribute('aria-expanded')) return null;
    // Whatever draws the chevron: a button of the item's own (lightning-tree's is
    // aria-hidden, titled "Expand Tree Branch"; a tree grid's says "Expand VP Sales").
    const buttons = walk(el).filter((e) => roleOf(e) === 'button' && own(e) && visible(e));
    const named = (e) => /\b(expand|collapse)\b/i.test([e.title, e.getAttribute('aria-label'), textOf(e)].join(' '));
    return buttons.find((e) => e.hasAttribute('aria-expanded')) || buttons.find(named) || el;
  }
  if (control === 'edit') {
    return walk(el).find((e) => roleOf(e) === 'button' && (e.hasAttribute('data-action-edit') || /^edit\b/i.test(accName(e)))) || null;
  }
  return el;
}
const CONTROL_NAMES = { toggle: 'selection checkbox or radio', branch: 'expander', edit: 'inline edit button' };

// A branch's state, from the row or tree item around `el` (or `el` itself): expanded
// (null for a leaf), and still loading its children: a spinner in its tree or grid, or a
// child that only says it is loading.
function branchOf(el) {
  const item = KIND_ROLES.row.has(roleOf(el)) ? el : rowOf(el);
  if (!item || !item.hasAttribute('aria-expanded')) return { expanded: null, loading: false };
  const expanded = item.getAttribute('aria-expanded') === 'true';
  const box = closestComposed(item, 'lightning-tree-grid, lightning-tree, lightning-datatable, [role=tree], [role=treegrid], [role=grid], table') || item;
  const spinning = (root) => walk(root).some((e) => e.matches('.slds-spinner, lightning-spinner, [role=progressbar]') && visible(e));
  let loading = spinning(box);
  if (expanded && roleOf(item) === 'treeitem') {
    const children = walk(item).filter((e) => roleOf(e) === 'treeitem' && rowOf(e) === item);
    loading = loading || children.some((c) => /^loading\b/i.test(ownItemText(c)));
  }
  return { expanded, loading };
}

// The table's inline editor and its Save bar, around a cell or its edit button: the
// editor's field while it is open, the Save button while edits wait to be saved, and
// what the bar says went wrong.
function inlineEdit(el) {
  const box = closestComposed(el, 'lightning-datatable') || closestComposed(el, '[role=grid], [role=treegrid], table');
  if (!box) return {};
  const all = walk(box);
  const panel = all.find((e) => e.matches('.slds-popover_edit, section[role=dialog]') && visible(e));
  const editor = panel && walk(panel).find((e) => KIND_ROLES.field.has(roleOf(e)) && roleOf(e) !== 'group' && visible(e) && !closestComposed(e, '[data-mass-selection]'));
  const bar = all.find((e) => e.matches('.slds-docked-form-footer') && visible(e));
  const save = bar && walk(bar).find((e) => roleOf(e) === 'button' && /^save$/i.test(visibleTextOf(e)) && visible(e));
  const errors = all.filter((e) => e.matches('.slds-has-error .slds-form-element__help, .slds-popover_error, lightning-primitive-datatable-tooltip') && visible(e)).map((e) => visibleTextOf(e)).filter(Boolean);
  const out = { open: !!panel, errors };
  if (editor) out.editor = editor;
  if (save) { out.save = save; out.aim = hitOk(save, save) ? aim(save) : null; }
  return out;
}

function find(spec, everything) {
  let scope = everything;
  if (spec.within) {
    const boxes = everything.filter((e) => e.matches(spec.within));
    scope = scope.filter((el) => boxes.some((b) => b !== el && composedContains(b, el)));
  }
  const scopesFound = [];
  for (const [key, kind] of [['in_row', 'row'], ['in_section', 'section'], ['in_dialog', 'dialog']]) {
    if (spec[key] == null) continue;
    const boxes = containersFor(kind, spec[key], everything);
    if (!boxes.length) return { matches: [], scopeMissing: kind + ' "' + spec[key] + '"', scopesFound };
    scopesFound.push(kind + ' "' + spec[key] + '"');
    scope = scope.filter((el) => boxes.some((b) => b !== el && composedContains(b, el)));
  }
  const want = spec.exact ? norm(spec.value) : labelNorm(spec.value);
  if (spec.kind === 'css') {
    let roots = [document, ...everything.filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
    let set = new Set();
    // `host >>> inner` (Chrome's Recorder writes such a chain through shadow roots): each
    // part is searched inside what the part before it matched, in its shadow root under
    // native shadow, among its descendants under synthetic shadow (no real root there).
    for (const part of spec.value.split('>>>').map((p) => p.trim())) {
      set = new Set();
      for (const r of roots) {
        try { r.querySelectorAll(part).forEach((e) => set.add(e)); } catch (e) { return { matches: [], bad: String(e.message || e) }; }
      }
      roots = [...set].flatMap((e) => (e.shadowRoot ? [e.shadowRoot, e] : [e]));
    }
    return { matches: scope.filter((e) => set.has(e)).map((el) => ({ el, name: selectedName(el, spec) })), scopesFound };
  }
  if (spec.kind === 'xpath') {
    let res;
    try { res = document.evaluate(spec.value, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null); } catch (e) { return { matches: [], bad: String(e.message || e) }; }
    const set = new Set();
    for (let i = 0; i < res.snapshotLength; i++) set.add(res.snapshotItem(i));
    return { matches: scope.filter((e) => set.has(e)).map((el) => ({ el, name: selectedName(el, spec) })), scopesFound };
  }
  // Hidden elements are not what a person means (a closed editor, a collapsed menu), so
  // they are dropped before choosing among the candidates, not after. Only candidates are
  // measured: layout reads on every element of a page cost more than the search.
  const shown = spec.mode === 'present' ? () => true : visibleOrFaux;
  if (spec.kind === 'text') {
    return { matches: textMatches(scope, want, spec.exact).filter(shown).map((el) => ({ el, name: visibleTextOf(el) })), scopesFound };
  }
  if (spec.kind === 'cell') {
    const { found, columns } = cellCandidates(scope, want, spec.exact);
    const shownCells = found.filter((f) => shown(f.el));
    if (!shownCells.length) return { matches: [], near: columns, nearAll: true, scopesFound, scopeMissing: found.length || columns.some((c) => c.toLowerCase() === want.toLowerCase()) ? undefined : 'column "' + spec.value + '"' };
    return withControls(spec, shownCells, scopesFound);
  }
  const loose = spec.kind === 'row';
  const near = [];
  const fields = [];
  for (const [kind, all] of candidates(spec.kind, spec.purpose, scope)) {
    const els = all.filter(shown);
    if (kind === 'field') fields.push(...els);
    let found = [];
    for (const el of els) {
      const ns = namesOf(el, kind);
      const s = score(ns, want, spec.exact, loose);
      if (s > 0) found.push({ el, name: ns[0], kind, s });
      else if (ns.length) near.push(ns[0]);
    }
    if (kind === 'row') found = found.filter((f) => !found.some((o) => o !== f && composedContains(f.el, o.el)));
    const top = Math.max(0, ...found.map((f) => f.s));
    found = found.filter((f) => f.s === top);
    if (kind === 'row' && spec.control && found.length) return withControls(spec, found, scopesFound);
    if (spec.control && found.some((f) => takes(f.el, spec.control))) found = found.filter((f) => takes(f.el, spec.control));
    if (found.length) return { matches: found, scopesFound };
  }
  if (spec.purpose === 'read' && (spec.kind === 'field' || spec.kind === 'auto')) {
    const pairs = displayPairs(scope).filter((p) => score(p.names, want, spec.exact, false) > 0 && shown(p.el));
    if (pairs.length) return { matches: pairs.map((p) => ({ el: p.el, name: p.names[0], kind: 'field' })), scopesFound };
  }
  // No field has the name whole: one whose label begins with it and goes on with
  // separate text (a range, a unit, a counter) is the one meant, when it is the only one.
  if (fields.length && !spec.exact) {
    const prefixed = separatePrefixed(fields, want);
    if (prefixed.length === 1) return { matches: [{ el: prefixed[0].el, name: prefixed[0].label, kind: 'field' }], scopesFound };
    if (prefixed.length > 1) return { matches: [], near: prefixed.map((p) => p.label).concat(near), prefixed: prefixed.map((p) => p.label), scopesFound };
  }
  if (spec.purpose !== 'input' && spec.kind === 'auto') {
    const t = textMatches(scope, want, spec.exact).filter(shown);
    if (t.length) return { matches: t.map((el) => ({ el, name: visibleTextOf(el), kind: 'text' })), scopesFound };
  }
  return { matches: [], near, scopesFound };
}

// Rows and cells found, as the controls the action works in them (see `controlOf`). A
// row or cell without one is said so, not clicked as if it were its control.
function withControls(spec, found, scopesFound) {
  if (!spec.control || !CONTROL_NAMES[spec.control]) return { matches: found, scopesFound };
  const mapped = found.map((f) => Object.assign({}, f, { el: controlOf(f.el, spec.control) })).filter((f) => f.el);
  if (mapped.length) return { matches: mapped, scopesFound };
  // None has one: the rows or cells themselves, which the action then says it cannot work
  // (a leaf, a row without a checkbox, a read-only cell), at once rather than at the timeout.
  return { matches: found, scopesFound };
}

// A visually hidden checkbox or radio under an SLDS faux box counts as visible when its
// label shows.
function visibleOrFaux(el) {
  if (visible(el)) return true;
  return el.tagName === 'INPUT' && /^(checkbox|radio)$/.test(el.type) && labelElements(el).some(visible);
}

function similar(want, pool) {
  const lev = (a, b) => {
    const d = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0]; d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const t = d[j];
        d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = t;
      }
    }
    return d[b.length];
  };
  const w = want.toLowerCase();
  const uniq = [...new Set(pool.filter((n) => n.length < 80))];
  return uniq.map((n) => [n, n.toLowerCase().includes(w) || w.includes(n.toLowerCase()) ? 0 : lev(w, n.toLowerCase())])
    .filter(([, d]) => d <= Math.max(3, Math.floor(w.length / 2)))
    .sort((a, b) => a[1] - b[1]).slice(0, 4).map(([n]) => n);
}
