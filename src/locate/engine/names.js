// Accessible names by the WAI-ARIA accname 1.2 rules, over the composed tree:
// aria-labelledby (resolved in the element's own root), embedded control values,
// aria-label, native labels (label[for], wrapping label, legend, caption, alt, value),
// name from content for the roles that allow it, then title and placeholder.

function idRefs(el, attr) {
  const ids = (el.getAttribute(attr) || '').trim().split(/\s+/).filter(Boolean);
  return ids.map((id) => byIdFrom(el, id)).filter(Boolean);
}

// The <label> elements of a form control: `labels` (the platform's own, which sees the
// real tree), `label[for]` in the control's root, and a wrapping label, which (as HTML
// says) labels the control its `for` names, else its first labelable descendant only.
function labelElements(el) {
  const out = [];
  const add = (l) => { if (l && !out.includes(l)) out.push(l); };
  if (el.labels) for (const l of el.labels) add(l);
  if (el.id) {
    const root = rootOf(el);
    if (root.querySelectorAll) {
      try { root.querySelectorAll('label[for="' + CSS.escape(el.id) + '"]').forEach(add); } catch (e) { /* odd id */ }
    }
  }
  const wrap = closestComposed(el, 'label');
  if (wrap && (wrap.hasAttribute('for') ? wrap.getAttribute('for') === el.id : walk(wrap).find(isLabelable) === el)) add(wrap);
  return out;
}

const isLabelable = (el) => /^(BUTTON|METER|OUTPUT|PROGRESS|SELECT|TEXTAREA)$/.test(el.tagName) ||
  (el.tagName === 'INPUT' && (el.getAttribute('type') || '').toLowerCase() !== 'hidden');

// The text a CSS `::before` or `::after` puts on the page: its quoted strings, or its
// alternative text (`content: url(x) / "alt"`). Counters and images say nothing.
function generatedText(el, pseudo) {
  return contentStrings(getComputedStyle(el, pseudo).content);
}
// The strings of a computed `content` value, its alternative text where it has one.
function contentStrings(content) {
  if (!content || content === 'none' || content === 'normal') return '';
  const alt = content.lastIndexOf(' / ');
  const spoken = alt >= 0 ? content.slice(alt + 3) : content;
  const strings = spoken.match(/"((?:[^"\\]|\\.)*)"/g) || [];
  return strings.map((q) => q.slice(1, -1).replace(/\\(.)/g, '$1')).join('');
}

const isControl = (el) => /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(el.tagName);

function valueOfEmbedded(el, role) {
  if (role === 'textbox' || role === 'searchbox') return el.value !== undefined ? el.value : textOf(el);
  if (role === 'combobox' || role === 'listbox') {
    if (el.tagName === 'SELECT') return Array.from(el.selectedOptions).map((o) => o.textContent).join(' ');
    if (el.tagName === 'INPUT') return el.value;
    const sel = walk(el).filter((o) => roleOf(o) === 'option' && o.getAttribute('aria-selected') === 'true');
    return sel.map((o) => textOf(o)).join(' ');
  }
  if (role === 'slider' || role === 'spinbutton') return el.getAttribute('aria-valuetext') || el.getAttribute('aria-valuenow') || el.value || '';
  return null;
}

let nameCache = new Map();
function resetNameCache() { nameCache = new Map(); }

// The accessible name of `el`.
function accName(el) {
  let n = nameCache.get(el);
  if (n === undefined) { n = norm(computeName(el, { visited: new Set(), labelledby: false, embedded: false, referenced: false })); nameCache.set(el, n); }
  return n;
}

function computeName(el, ctx) {
  if (ctx.visited.has(el)) return '';
  ctx.visited.add(el);
  // 2A: hidden, unless reached through aria-labelledby.
  if (!ctx.referenced && hiddenFromAll(el)) return '';
  const role = roleOf(el);
  // 2B
  if (!ctx.labelledby) {
    const refs = idRefs(el, 'aria-labelledby');
    if (refs.length) {
      // Each reference is named afresh (a control may name itself: "Delete" plus a file
      // name); cycles cannot form, as a reference's own aria-labelledby is not followed.
      const parts = refs.map((r) => computeName(r, { visited: new Set(), labelledby: true, embedded: false, referenced: true }));
      const joined = norm(parts.join(' '));
      if (joined) return joined;
    }
  }
  // 2C: a control inside a label or content being named gives its value.
  if (ctx.embedded) {
    const v = valueOfEmbedded(el, role);
    if (v !== null) return v;
  }
  // 2D
  const label = norm(el.getAttribute('aria-label'));
  if (label && !(ctx.embedded && (role === 'textbox' || role === 'combobox'))) return label;
  // 2E: the host language's own labels.
  if (role !== 'presentation' && role !== 'none') {
    const native = nativeName(el, ctx);
    if (native) return native;
  }
  // 2F: from content.
  if (NAME_FROM_CONTENT.has(role) || ctx.referenced || ctx.embedded || el.tagName === 'LABEL' || el.tagName === 'LEGEND') {
    // 2F.ii: generated content counts, as it shows; 2F.iii: a child laid out apart
    // (anything but an inline box: blocks, inline-blocks, a line break) is spaced off.
    const parts = [generatedText(el, '::before')];
    for (const c of kids(el)) {
      if (c.nodeType === 3) parts.push(c.data);
      else if (c.nodeType === 1) {
        if (c.tagName === 'BR') { parts.push(' '); continue; }
        if (hiddenFromAll(c)) continue;
        // A label[for] beside its control in what is being named: the control brings the
        // label's text as its own name, so the label does not say it again (Chromium's
        // reading of a datatable's selection cell: "Select Item 1", once).
        if (c.tagName === 'LABEL' && labelsSiblingWithin(c, el)) continue;
        // A tree item is named by its own label, not by the branch of items it holds.
        if (role === 'treeitem' && roleOf(c) === 'group') continue;
        const display = getComputedStyle(c).display;
        const inline = display === 'inline' || display === 'contents' || c.tagName === 'SLOT';
        const t = computeName(c, { visited: ctx.visited, labelledby: ctx.labelledby, embedded: true, referenced: false });
        parts.push(inline ? t : ' ' + t + ' ');
      }
    }
    parts.push(generatedText(el, '::after'));
    const t = norm(parts.join(''));
    if (t) return t;
  }
  // 2I: tooltip attribute, placeholder.
  const title = norm(el.getAttribute('title'));
  if (title) return title;
  const ph = norm(el.getAttribute('placeholder'));
  if (ph && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA')) return ph;
  return '';
}

function labelsSiblingWithin(label, el) {
  const control = label.control;
  return !!control && !label.contains(control) && containsComposed(el, control);
}
function containsComposed(el, node) {
  for (let n = node; n; n = n.parentNode || n.host) if (n === el) return true;
  return false;
}

function nativeName(el, ctx) {
  const tag = el.tagName;
  if (tag === 'INPUT') {
    const type = (el.getAttribute('type') || 'text').toLowerCase();
    if (type === 'image') return el.getAttribute('alt') || el.getAttribute('value') || '';
    if (['button', 'submit', 'reset'].includes(type)) return el.value || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : '');
  }
  if (isControl(el) && tag !== 'BUTTON') {
    const names = labelElements(el).map((l) => computeName(l, { visited: ctx.visited, labelledby: ctx.labelledby, embedded: false, referenced: true }));
    const joined = norm(names.join(' '));
    if (joined) return joined;
  }
  if (tag === 'IMG' || tag === 'AREA') return el.getAttribute('alt') || '';
  if (tag === 'FIELDSET') {
    const legend = kids(el).find((c) => c.nodeType === 1 && c.tagName === 'LEGEND');
    if (legend) return computeName(legend, { visited: ctx.visited, labelledby: false, embedded: false, referenced: true });
  }
  if (tag === 'TABLE') {
    const cap = kids(el).find((c) => c.nodeType === 1 && c.tagName === 'CAPTION');
    if (cap) return computeName(cap, { visited: ctx.visited, labelledby: false, embedded: false, referenced: true });
  }
  if (tag === 'SVG' || tag === 'svg') {
    const t = kids(el).find((c) => c.nodeType === 1 && c.tagName.toLowerCase() === 'title');
    if (t) return t.textContent;
  }
  return '';
}
