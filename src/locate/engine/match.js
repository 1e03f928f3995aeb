// Matching a runbook's locator to elements: candidates by kind (roles), each with the
// names a person could call it by, scored; scopes (row, section, dialog) narrow the
// search first.

// The names a person may use for `el` as a `kind`: its accessible name, what it shows
// (a button's visible text without its assistive text), and for fields the visible
// labels and the Salesforce layer's captions.
function namesOf(el, kind) {
  const out = [];
  const add = (s) => { const n = kind === 'field' ? labelNorm(s) : norm(s); if (n && !out.includes(n)) out.push(n); };
  const role = roleOf(el);
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
    return deepest(everything.filter((el) => roleOf(el) === 'row' && textOf(el).toLowerCase().includes(want)));
  }
  if (scopeKind === 'dialog') {
    const ds = everything.filter((el) => (['dialog', 'alertdialog'].includes(roleOf(el)) || el.matches('.slds-modal, .uiModal')) && visible(el));
    return want ? ds.filter((d) => accName(d).toLowerCase().includes(want) || textOf(d).toLowerCase().includes(want)) : ds;
  }
  // Sections: a heading, and the block it heads.
  const heads = everything.filter((el) => el.matches(HEADINGS) && labelNorm(visibleTextOf(el)).toLowerCase() === want);
  return heads.map((h) => {
    const sub = closestComposed(h, '.pbSubheader');
    if (sub && sub.nextElementSibling) return sub.nextElementSibling;
    return closestComposed(h, SECTION_BLOCKS) || parentOf(h);
  }).filter(Boolean);
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
    const roots = [document, ...everything.filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
    const set = new Set();
    for (const r of roots) {
      try { r.querySelectorAll(spec.value).forEach((e) => set.add(e)); } catch (e) { return { matches: [], bad: String(e.message || e) }; }
    }
    return { matches: scope.filter((e) => set.has(e)).map((el) => ({ el, name: spec.value })), scopesFound };
  }
  if (spec.kind === 'xpath') {
    let res;
    try { res = document.evaluate(spec.value, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null); } catch (e) { return { matches: [], bad: String(e.message || e) }; }
    const set = new Set();
    for (let i = 0; i < res.snapshotLength; i++) set.add(res.snapshotItem(i));
    return { matches: scope.filter((e) => set.has(e)).map((el) => ({ el, name: spec.value })), scopesFound };
  }
  // Hidden elements are not what a person means (a closed editor, a collapsed menu), so
  // they are dropped before choosing among the candidates, not after. Only candidates are
  // measured: layout reads on every element of a page cost more than the search.
  const shown = spec.mode === 'present' ? () => true : visibleOrFaux;
  if (spec.kind === 'text') {
    return { matches: textMatches(scope, want, spec.exact).filter(shown).map((el) => ({ el, name: visibleTextOf(el) })), scopesFound };
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
