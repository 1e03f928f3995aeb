// setupwright's locator engine. Runs inside one document (one frame) per call and
// answers in a single WebDriver round trip. It walks the composed tree: open shadow
// roots and LWC synthetic shadow roots (whose internals `document.querySelector` cannot
// see), and names controls the way a person reads them: by label, aria-label,
// aria-labelledby, placeholder, title, or the classic `td.labelCol` beside the control.
//
// Called as `setupwright(request)` and resolves to a plain object holding element
// references, which WebDriver serializes for the Rust side.
async function setupwright(req) {
  const norm = (s) => (s || '').replace(/[\s\u00a0]+/g, ' ').trim();
  // Labels carry required markers ("*Name", "Name *") and colons; a person ignores them.
  const labelNorm = (s) => norm(s).replace(/^\*\s*/, '').replace(/\s*\*$/, '').replace(/:$/, '').trim();

  function* children(node) {
    // A synthetic shadow host's own `children` may hide or repeat its shadow's nodes,
    // so both lists are walked and the caller de-duplicates.
    if (node.shadowRoot) yield* Array.from(node.shadowRoot.children || []);
    yield* Array.from(node.children || []);
  }
  function all(root) {
    const out = [], seen = new Set(), stack = [root];
    while (stack.length) {
      const n = stack.pop();
      const kids = Array.from(children(n));
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i];
        if (seen.has(k)) continue;
        seen.add(k); out.push(k); stack.push(k);
      }
    }
    // Document order matters for `nth`: the stack walk above yields a pre-order walk.
    return out;
  }
  const parentOf = (n) => n.parentNode || n.host || null;
  const composedContains = (a, b) => { for (let n = b; n; n = parentOf(n)) if (n === a) return true; return false; };
  const rootOf = (el) => el.getRootNode ? el.getRootNode() : document;
  const byId = (el, id) => {
    const r = rootOf(el);
    return (r.getElementById && r.getElementById(id)) || document.getElementById(id) ||
      (r.querySelector && r.querySelector('#' + CSS.escape(id)));
  };
  const text = (el) => norm(el.textContent);

  function visible(el) {
    if (!el || !el.isConnected) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 0 && r.height <= 0) return false;
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: false, visibilityProperty: true })) return false;
    return true;
  }
  const tiny = (el) => { const r = el.getBoundingClientRect(); return r.width < 4 || r.height < 4; };

  function ownLabels(el) {
    const names = [];
    const lb = el.getAttribute && el.getAttribute('aria-labelledby');
    if (lb) names.push(lb.split(/\s+/).map((id) => { const t = byId(el, id); return t ? text(t) : ''; }).join(' '));
    const al = el.getAttribute && el.getAttribute('aria-label');
    if (al) names.push(al);
    if (el.labels) for (const l of el.labels) names.push(text(l));
    if (el.id) {
      const r = rootOf(el);
      if (r.querySelectorAll) for (const l of r.querySelectorAll('label[for="' + CSS.escape(el.id) + '"]')) names.push(text(l));
    }
    const wrap = el.closest && el.closest('label');
    if (wrap) names.push(text(wrap));
    // Classic Setup forms: <td class="labelCol"><label>Name</label></td><td class="dataCol">control</td>.
    const td = el.closest && el.closest('td');
    if (td && /\bdata2?Col\b/.test(td.className)) {
      const prev = td.previousElementSibling;
      if (prev && /\blabelCol\b/.test(prev.className)) names.push(text(prev));
    }
    if (el.placeholder) names.push(el.placeholder);
    if (el.title) names.push(el.title);
    return names.map(labelNorm).filter(Boolean);
  }

  const SEL = {
    button: 'button, input[type=button], input[type=submit], input[type=reset], input[type=image], [role=button]',
    link: 'a[href], [role=link], a[onclick]',
    field: 'input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset]):not([type=image]), textarea, select, [role=combobox], [role=textbox], [role=listbox], [role=group], [role=radiogroup], [role=checkbox], [role=switch], [contenteditable=true]',
    tab: '[role=tab]',
    menuitem: '[role=menuitem], [role=menuitemradio], [role=menuitemcheckbox]',
    option: '[role=option], option',
    row: 'tr, [role=row]',
  };
  const matchesSel = (el, sel) => el.matches && el.matches(sel);

  function names(el, kind) {
    if (kind === 'field') return ownLabels(el);
    const out = [];
    const al = el.getAttribute('aria-label');
    if (al) out.push(al);
    const lb = el.getAttribute('aria-labelledby');
    if (lb) out.push(lb.split(/\s+/).map((id) => { const t = byId(el, id); return t ? text(t) : ''; }).join(' '));
    if (el.tagName === 'INPUT') out.push(el.value);
    else out.push(text(el));
    if (el.title) out.push(el.title);
    return out.map(norm).filter(Boolean);
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

  // Elements read by a person as a label beside a value: SLDS form elements and classic
  // detail tables. Used to read values that are shown as text, not in a control.
  function displayPairs(scope) {
    const out = [];
    for (const el of scope) {
      if (el.classList && el.classList.contains('slds-form-element__label')) {
        const box = el.closest('.slds-form-element');
        const ctl = box && box.querySelector('.slds-form-element__control, .slds-form-element__static');
        if (ctl) out.push({ el: ctl, names: [labelNorm(text(el))] });
      } else if (el.tagName === 'TD' && /\blabelCol\b/.test(el.className)) {
        const val = el.nextElementSibling;
        if (val && /\bdata2?Col\b/.test(val.className)) out.push({ el: val, names: [labelNorm(text(el))] });
      }
    }
    return out;
  }

  function deepest(els) {
    return els.filter((e) => !els.some((o) => o !== e && composedContains(e, o)));
  }

  function textMatches(scope, want, exact) {
    const w = exact ? want : want.toLowerCase();
    const hits = scope.filter((el) => {
      if (!el.textContent || /^(SCRIPT|STYLE|TEMPLATE|HEAD|TITLE)$/.test(el.tagName)) return false;
      const t = exact ? text(el) : text(el).toLowerCase();
      return exact ? t === w || t.includes(w) : t.includes(w);
    });
    return deepest(hits);
  }

  function containersFor(scopeKind, value, everything) {
    const want = norm(value).toLowerCase();
    if (scopeKind === 'row') {
      return deepest(everything.filter((el) => matchesSel(el, SEL.row) && text(el).toLowerCase().includes(want)));
    }
    if (scopeKind === 'dialog') {
      const ds = everything.filter((el) => matchesSel(el, '[role=dialog], [role=alertdialog], .slds-modal, .uiModal') && visible(el));
      return want ? ds.filter((d) => text(d).toLowerCase().includes(want)) : ds;
    }
    // Sections: a heading, and the block it heads.
    const heads = everything.filter((el) => matchesSel(el, 'h1, h2, h3, h4, h5, h6, [role=heading], legend, .slds-section__title, .pbSubheader, .slds-card__header-title') && labelNorm(text(el)).toLowerCase() === want);
    return heads.map((h) => {
      const sub = h.closest('.pbSubheader');
      if (sub && sub.nextElementSibling) return sub.nextElementSibling;
      return h.closest('[role=treeitem], section, fieldset, [role=region], .slds-section, .pbSubsection, article, .slds-card, .slds-form') || h.parentElement;
    }).filter(Boolean);
  }

  function candidates(kind, purpose, scope) {
    if (kind === 'auto') {
      if (purpose === 'input') return [['field', scope.filter((e) => matchesSel(e, SEL.field))]];
      const clickables = ['button', 'link', 'menuitem', 'tab', 'option'].map((k) => [k, scope.filter((e) => matchesSel(e, SEL[k]))]);
      clickables.push(['field', scope.filter((e) => matchesSel(e, 'input[type=checkbox], input[type=radio], [role=checkbox], [role=radio]'))]);
      if (purpose === 'read') clickables.unshift(['field', scope.filter((e) => matchesSel(e, SEL.field))]);
      return clickables;
    }
    if (kind === 'row') return [['row', scope.filter((e) => matchesSel(e, SEL.row))]];
    return [[kind, scope.filter((e) => matchesSel(e, SEL[kind]))]];
  }

  function find(spec, everything) {
    let scope = everything;
    if (spec.within) {
      const boxes = everything.filter((e) => matchesSel(e, spec.within));
      scope = scope.filter((el) => boxes.some((b) => b !== el && composedContains(b, el)));
    }
    for (const [key, kind] of [['in_row', 'row'], ['in_section', 'section'], ['in_dialog', 'dialog']]) {
      if (spec[key] == null) continue;
      const boxes = containersFor(kind, spec[key], everything);
      if (!boxes.length) return { matches: [], scopeMissing: kind + ' "' + spec[key] + '"' };
      scope = scope.filter((el) => boxes.some((b) => b !== el && composedContains(b, el)));
    }
    const want = spec.exact ? norm(spec.value) : labelNorm(spec.value);
    if (spec.kind === 'css') {
      const roots = [document, ...everything.filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
      const set = new Set();
      for (const r of roots) { try { r.querySelectorAll(spec.value).forEach((e) => set.add(e)); } catch (e) { return { matches: [], bad: String(e.message || e) }; } }
      return { matches: scope.filter((e) => set.has(e)).map((el) => ({ el, name: spec.value })) };
    }
    if (spec.kind === 'xpath') {
      let res;
      try { res = document.evaluate(spec.value, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null); }
      catch (e) { return { matches: [], bad: String(e.message || e) }; }
      const set = new Set();
      for (let i = 0; i < res.snapshotLength; i++) set.add(res.snapshotItem(i));
      return { matches: scope.filter((e) => set.has(e)).map((el) => ({ el, name: spec.value })) };
    }
    if (spec.kind === 'text') {
      if (spec.mode !== 'present') scope = scope.filter(visible);
      return { matches: textMatches(scope, want, spec.exact).map((el) => ({ el, name: text(el) })) };
    }
    const loose = spec.kind === 'row';
    // Hidden elements are not what a person means (a closed editor, a collapsed menu),
    // so they are dropped before choosing, not after.
    if (spec.mode !== 'present') scope = scope.filter(visible);
    const groups = candidates(spec.kind, spec.purpose, scope);
    const near = [];
    for (const [kind, els] of groups) {
      let found = [];
      for (const el of els) {
        const ns = names(el, kind);
        const s = score(ns, want, spec.exact, loose);
        if (s > 0) found.push({ el, name: ns[0], kind, s });
        else if (ns.length) near.push(ns[0]);
      }
      if (kind === 'row') found = found.filter((f) => !found.some((o) => o !== f && composedContains(f.el, o.el)));
      const top = Math.max(0, ...found.map((f) => f.s));
      found = found.filter((f) => f.s === top);
      if (found.length) return { matches: found };
    }
    if (spec.purpose === 'read' && (spec.kind === 'field' || spec.kind === 'auto')) {
      const pairs = displayPairs(scope).filter((p) => score(p.names, want, spec.exact, false) > 0);
      if (pairs.length) return { matches: pairs.map((p) => ({ el: p.el, name: p.names[0], kind: 'field' })) };
    }
    if (spec.purpose !== 'input' && spec.kind === 'auto') {
      const t = textMatches(scope, want, spec.exact);
      if (t.length) return { matches: t.map((el) => ({ el, name: text(el), kind: 'text' })) };
    }
    return { matches: [], near };
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
      .filter(([n, d]) => d <= Math.max(3, Math.floor(w.length / 2)))
      .sort((a, b) => a[1] - b[1]).slice(0, 4).map(([n]) => n);
  }

  // The element a person would actually click: a visually hidden checkbox is toggled
  // through its label or the SLDS faux box that covers it.
  function clickTarget(el) {
    if (el.tagName === 'INPUT' && /^(checkbox|radio)$/.test(el.type) && (tiny(el) || !hitOk(el, el))) {
      const lab = (el.labels && el.labels[0]) || (el.id && rootOf(el).querySelector && rootOf(el).querySelector('label[for="' + CSS.escape(el.id) + '"]'));
      if (lab && visible(lab)) return lab;
    }
    return el;
  }

  function deepHit(x, y) {
    let el = document.elementFromPoint(x, y);
    while (el && el.shadowRoot && el.shadowRoot.elementFromPoint) {
      const inner = el.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === el) break;
      el = inner;
    }
    return el;
  }
  function hitOk(target, original) {
    const r = target.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return true; // WebDriver scrolls first
    const hit = deepHit(x, y);
    if (!hit) return false;
    if (composedContains(target, hit) || composedContains(original, hit)) return true;
    // Synthetic shadow retargets hits to the host, which then contains the target.
    if (hit.tagName.includes('-') && composedContains(hit, target)) return true;
    if (hit.tagName === 'LABEL' && hit.control === original) return true;
    return false;
  }
  const describe = (el) => {
    if (!el) return 'nothing';
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.');
    return s;
  };

  function readValue(el) {
    if (el.tagName === 'SELECT') return el.selectedOptions.length ? norm(el.selectedOptions[0].textContent) : '';
    if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return el.value;
    if (el.getAttribute('role') === 'combobox' && el.tagName === 'BUTTON') return norm(el.getAttribute('data-value') || el.textContent);
    // A shown value, as a person would copy it: without the text of buttons beside it
    // ("Copy", "Edit") or of hidden helpers.
    const skip = (n) => n.nodeType === 1 && (n.tagName === 'BUTTON' || n.getAttribute('role') === 'button' || n.hidden || /\bassistiveText\b|\bslds-assistive-text\b/.test(n.className || ''));
    if (!all(el).some(skip)) return norm(el.innerText !== undefined ? el.innerText : el.textContent);
    const parts = [];
    const walk = (n) => { for (const c of n.childNodes) { if (c.nodeType === 3) parts.push(c.data); else if (c.nodeType === 1 && !skip(c)) walk(c); } };
    walk(el);
    return norm(parts.join(' '));
  }
  function isChecked(el) {
    if (el.tagName === 'INPUT') return el.checked;
    const ac = el.getAttribute('aria-checked');
    if (ac != null) return ac === 'true';
    const inner = all(el).find((e) => e.tagName === 'INPUT' && e.type === 'checkbox');
    return inner ? inner.checked : null;
  }
  // One rendered frame. A tab in the background (a step just opened another) gets no
  // animation frames at all, so a timer bounds the wait.
  const frame = () => new Promise((r) => {
    if (document.visibilityState === 'hidden') { setTimeout(r, 0); return; }
    requestAnimationFrame(() => r());
    setTimeout(r, 100);
  });

  // A pointer action aimed at an element goes to its in-view centre (the part of its
  // first box inside the viewport), and chromedriver hit-tests it through
  // `el.getRootNode().elementsFromPoint`. LWC's synthetic shadow makes getRootNode answer
  // a root without that method, so aim at the nearest ancestor that has it, moved by the
  // distance between the two centres. Only an element laid out as one box will do: for
  // an inline element split around a block, "its first box" is open to interpretation.
  // Nothing suitable: no aim, and the click is WebDriver's Element Click.
  function aim(target) {
    const oneBox = (n) => n.nodeType === 1 && n.getClientRects().length === 1;
    const canAim = (n) => { const r = n.getRootNode && n.getRootNode(); return !!r && typeof r.elementsFromPoint === 'function'; };
    const centre = (n) => {
      const r = n.getClientRects()[0];
      const l = Math.max(0, r.left), rt = Math.min(innerWidth, r.right), t = Math.max(0, r.top), b = Math.min(innerHeight, r.bottom);
      return rt > l && b > t ? [(l + rt) / 2, (t + b) / 2] : null;
    };
    if (!oneBox(target)) return null;
    const c = centre(target);
    if (!c) return null;
    for (let n = target; n && n.nodeType === 1; n = parentOf(n)) {
      if (!oneBox(n) || !canAim(n)) continue;
      const o = centre(n);
      if (!o) return null;
      return { el: n, x: Math.round(c[0] - o[0]), y: Math.round(c[1] - o[1]) };
    }
    return null;
  }

  // How long this document has been still, two ways: no DOM change (`dom`), and no
  // network response (`net`). DOM changes are seen by an observer the engine leaves in
  // the document the first time it runs there (so a change before that counts from
  // then); responses come from Resource Timing. A guard decides "not on the page" once
  // the page has been still for a while by both. Native shadow roots are observed as
  // they are found; a new one counts as a change.
  function stillness(everything) {
    const K = Symbol.for('setupwright.stillness');
    const now = performance.now();
    let st = window[K];
    if (!st) {
      // `drawn`: nothing that could change what the document looks like has happened
      // since its last screenshot (see the `shoot` operation). `doc` tells this document
      // from the one that replaces it.
      st = { since: now, roots: new WeakSet(), drawn: false, doc: Math.random().toString(36).slice(2) };
      // chromedriver marks a frame element (`cd_frame_id_`) each time it switches into
      // it: that is WebDriver's doing, not the page's.
      const pages = (r) => !(r.type === 'attributes' && r.attributeName === 'cd_frame_id_');
      st.observer = new MutationObserver((rs) => { if (rs.some(pages)) { st.since = performance.now(); st.drawn = false; } });
      // What changes the picture without changing the DOM: scrolling, focus, hover, a
      // field's value and selection, a click, an image or font that finished loading.
      const redraw = () => { st.drawn = false; };
      for (const t of ['scroll', 'focusin', 'focusout', 'input', 'change', 'click', 'pointermove', 'pointerdown', 'pointerup',
        'mouseover', 'mouseout', 'keydown', 'keyup', 'selectionchange', 'load', 'error', 'resize', 'toggle',
        'animationstart', 'transitionrun']) window.addEventListener(t, redraw, { capture: true, passive: true });
      if (document.fonts && document.fonts.addEventListener) document.fonts.addEventListener('loadingdone', redraw);
      window[K] = st;
    }
    const observe = (root) => {
      if (st.roots.has(root)) return;
      try { st.observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true }); } catch (e) { return; }
      if (root !== document) { st.since = Math.max(st.since, now); st.drawn = false; }
      st.roots.add(root);
    };
    observe(document);
    for (const e of everything) if (e.shadowRoot instanceof Node) observe(e.shadowRoot);
    let net = 0;
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav) net = Math.max(nav.responseEnd, nav.loadEventEnd);
    for (const r of performance.getEntriesByType('resource')) net = Math.max(net, r.responseEnd);
    return { st, dom: now - st.since, net: now - net };
  }

  // The frames a person can see, with each one's place in `window.frames` (what
  // WebDriver's Switch To Frame takes as a number) and its name attribute, which the
  // frame's own window carries as `window.name`.
  function frames(everything) {
    const wins = Array.from({ length: window.frames.length }, (_, i) => window.frames[i]);
    return everything.filter((e) => (e.tagName === 'IFRAME' || e.tagName === 'FRAME') && visible(e))
      .map((el) => ({ el, name: el.name || el.id || '', title: el.title || '', src: el.getAttribute('src') || '',
        index: wins.indexOf(el.contentWindow), windowName: el.getAttribute('name') || '' }));
  }

  // --- operations -------------------------------------------------------------------
  const everything = all(document);
  if (req.op === 'frames') return { frames: frames(everything), url: location.href, title: document.title };

  if (req.op === 'dual') {
    // A dual listbox: the lists are its two listboxes (LWC) or multi-selects (classic).
    const box = req.el;
    let lists = all(box).filter((e) => matchesSel(e, '[role=listbox], select[multiple]'));
    let scope = box;
    for (let up = box; lists.length < 2 && up; up = parentOf(up)) { scope = up; lists = all(up).filter((e) => matchesSel(e, '[role=listbox], select[multiple]')); }
    if (lists.length < 2) return { error: 'no pair of lists inside ' + describe(box) };
    const [avail, sel] = lists;
    const opts = (l) => all(l).filter((e) => matchesSel(e, '[role=option], option'));
    const want = labelNorm(req.option).toLowerCase();
    const find1 = (l) => opts(l).find((o) => labelNorm(o.textContent).toLowerCase() === want);
    const from = req.to === 'selected' ? avail : sel, to = req.to === 'selected' ? sel : avail;
    if (find1(to)) return { done: true };
    const opt = find1(from);
    if (!opt) return { error: 'no option "' + req.option + '"', near: similar(req.option, opts(from).map((o) => norm(o.textContent))) };
    const dir = req.to === 'selected' ? /(to selected|add|right)/i : /(to available|remove|left)/i;
    const button = all(scope).find((e) => matchesSel(e, 'button, a, [role=button], img') && dir.test((e.title || '') + ' ' + (e.getAttribute('aria-label') || '') + ' ' + (e.id || '') + ' ' + (e.className && e.className.baseVal === undefined ? e.className : '') + ' ' + (e.alt || '')) && visible(e));
    if (!button) return { error: 'no button to move options ' + (req.to === 'selected' ? 'to Selected' : 'to Available') };
    const press = button.tagName === 'IMG' && button.closest('a') ? button.closest('a') : button;
    // Both clicks can go as pointer actions where each element shows in the viewport,
    // nothing covering its centre (a listbox scrolls the option into view first). A
    // native <option> is clicked by WebDriver, which selects it as a person's click does.
    let aims = null;
    if (opt.tagName !== 'OPTION') {
      opt.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const ready = (el) => visible(el) && hitOk(el, el);
      const a = ready(opt) && aim(opt), b = ready(press) && aim(press);
      if (a && b) aims = [a, b];
    }
    return { option: opt, button: press, aims, selectedCount: opts(to).length };
  }

  if (req.op === 'option') {
    const want = labelNorm(req.option).toLowerCase();
    const opts = Array.from(req.el.options || []);
    const opt = opts.find((o) => labelNorm(o.textContent).toLowerCase() === want) || opts.find((o) => o.value === req.option);
    return opt ? { option: opt } : { near: opts.map((o) => norm(o.textContent)) };
  }

  // Still loading: the document, or a Lightning spinner over it.
  function pageBusy(everything) {
    return document.readyState !== 'complete' || everything.some((e) => matchesSel(e, '.slds-spinner, lightning-spinner, .auraLoadingBox') && visible(e));
  }
  async function settle(ms) {
    // Let the page finish loading and its spinners go, within a bound, so the picture
    // shows what the step led to, not a loading screen.
    const busy = () => pageBusy(all(document));
    if (!busy()) return true;
    const until = Date.now() + ms;
    while (busy() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    // Let what loaded be painted; the screenshot captures a fresh frame after that.
    await frame();
    return !busy();
  }
  if (req.op === 'shoot') {
    // Before a screenshot, in one round trip per document: settle, then hide every
    // control or text that shows a secret. Also hidden: whatever a secret capture's
    // locator points at, before its value is known (the screen that first shows a
    // secret is pictured before it is captured). The masks stay after the picture
    // (a colour changes no value a later step reads or clicks), which saves a second
    // walk through the frames; one that no longer covers a secret gets its style back.
    // Watching from before the wait sees the moment the page finished rendering.
    stillness(everything);
    const settled = req.ms ? await settle(req.ms) : true;
    const now = all(document);
    const st = stillness(now).st;
    let masksMoved = false;
    const secrets = req.secrets || [];
    const shows = (s) => s && secrets.some((x) => s.includes(x));
    const hide = new Set();
    for (const el of now) {
      const own = Array.from(el.childNodes || []).filter((c) => c.nodeType === 3).map((c) => c.data).join('');
      const val = (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') ? el.value : '';
      if (shows(own) || shows(val) || (el.tagName === 'INPUT' && el.type === 'password' && el.value)) hide.add(el);
    }
    for (const sp of req.specs || []) {
      const r = find(Object.assign({}, sp, { purpose: 'read', mode: 'read' }), now);
      for (const m of r.matches || []) { hide.add(m.el); for (const d of all(m.el)) if (d.nodeType === 1) hide.add(d); }
    }
    for (const el of now) {
      if (hide.has(el) || !el.hasAttribute || !el.hasAttribute('data-sw-masked')) continue;
      const old = el.getAttribute('data-sw-masked');
      if (old) el.setAttribute('style', old); else el.removeAttribute('style');
      el.removeAttribute('data-sw-masked');
      masksMoved = true;
    }
    for (const el of hide) {
      if (!el.hasAttribute('data-sw-masked')) { el.setAttribute('data-sw-masked', el.getAttribute('style') || ''); masksMoved = true; }
      el.style.setProperty('color', 'transparent', 'important');
      el.style.setProperty('background', '#3b3b3b', 'important');
      el.style.setProperty('text-shadow', 'none', 'important');
      el.style.setProperty('-webkit-text-fill-color', 'transparent', 'important');
    }
    // The masks are this engine's own changes, not the page's.
    st.observer.takeRecords();
    // `unchanged`: this document looks as it did at its last screenshot. Not while
    // something animates (a CSS animation, a video, a canvas), nor for a document that
    // is still loading.
    const moving = (document.getAnimations ? document.getAnimations() : []).some((a) => a.playState === 'running') ||
      now.some((e) => e.tagName === 'VIDEO' || e.tagName === 'CANVAS');
    const unchanged = st.drawn && !masksMoved && !moving && settled && !pageBusy(now);
    st.drawn = true;
    return { masked: hide.size, settled, frames: frames(now), doc: st.doc, unchanged };
  }
  if (req.op === 'source') {
    return { url: location.href, html: document.documentElement.outerHTML, frames: frames(everything) };
  }

  // Replace a field's text the way a paste does: focus, select all, insert. The page
  // gets beforeinput and input events (trusted, as execCommand makes them) in one
  // round trip, instead of a key event per character.
  function insert(el, text) {
    el.focus();
    if (typeof el.select === 'function') el.select(); else document.execCommand('selectAll');
    const ok = text === '' ? document.execCommand('delete') || readValue(el) === '' : document.execCommand('insertText', false, text);
    return { ok, value: readValue(el) };
  }
  if (req.op === 'insert') return insert(req.el, req.text);
  if (req.op === 'read') {
    const el = req.el;
    return { value: readValue(el), checked: isChecked(el), visible: visible(el), enabled: !el.disabled };
  }

  // op: locate
  const spec = req.spec;
  const res = find(spec, everything);
  const out = { frames: frames(everything), url: location.href, title: document.title };
  if (res.bad) return Object.assign(out, { bad: res.bad });
  let ms = res.matches.filter((m) => spec.mode === 'present' || visible(m.el));
  out.count = ms.length;
  if (res.scopeMissing) out.scopeMissing = res.scopeMissing;
  if (!ms.length) {
    out.near = similar(spec.value, res.near || []);
    out.busy = pageBusy(everything);
    const still = stillness(everything);
    out.domStillMs = still.dom; out.netStillMs = still.net;
    out.pageErrors = everything.filter((e) => matchesSel(e, '#errorDiv_ep, div.errorMsg, #error, #errorDesc, #validationError, .pageDoesNotExist, .slds-theme_error, .forceToastMessage.error, .slds-has-error .slds-form-element__help') && visible(e))
      .map((e) => norm(e.innerText || e.textContent)).filter(Boolean).slice(0, 3);
    return out;
  }
  const pick = spec.nth ? ms[spec.nth - 1] : ms[0];
  if (!pick) { out.count = ms.length; out.nthMissing = true; return out; }
  const el = pick.el;
  out.el = el; out.name = pick.name; out.kind = pick.kind || spec.kind;
  out.tag = el.tagName.toLowerCase(); out.role = el.getAttribute('role') || '';
  if (spec.mode !== 'act') {
    out.value = readValue(el); out.checked = isChecked(el); out.ready = true;
    return out;
  }
  const target = clickTarget(el);
  out.target = target;
  const then = req.then || {};
  // A checkbox already as wanted needs no click, so no aim either.
  if (then.op === 'unlessChecked' && isChecked(el) === then.checked) {
    out.ready = true; out.checked = isChecked(el); out.value = readValue(el);
    return out;
  }
  if (el.disabled || el.getAttribute('aria-disabled') === 'true' || (el.closest && el.closest('fieldset[disabled]'))) {
    out.ready = false; out.reason = 'disabled'; return out;
  }
  const r1 = target.getBoundingClientRect();
  if (r1.bottom < 0 || r1.top > innerHeight || r1.right < 0 || r1.left > innerWidth) target.scrollIntoView({ block: 'center', inline: 'nearest' });
  // A pointer needs its target to stay put for a frame; a paste goes to the element
  // itself, wherever it is (as Playwright's fill checks no stability either).
  if (then.op !== 'insert') {
    const before = target.getBoundingClientRect();
    await frame();
    const after = target.getBoundingClientRect();
    if (Math.abs(before.x - after.x) > 1 || Math.abs(before.y - after.y) > 1 || Math.abs(before.width - after.width) > 1) {
      out.ready = false; out.reason = 'still moving'; return out;
    }
  }
  if (!hitOk(target, el)) {
    const c = target.getBoundingClientRect();
    out.ready = false; out.reason = 'covered by ' + describe(deepHit(c.left + c.width / 2, c.top + c.height / 2)); return out;
  }
  out.ready = true;
  out.aim = aim(target);
  out.value = readValue(el); out.checked = isChecked(el);
  // A fill's paste rides on the search that found its field ready: one round trip less.
  // Not into a picklist, which the Rust side refuses with a hint.
  const picklist = el.tagName === 'SELECT' || (el.tagName === 'BUTTON' && el.getAttribute('role') === 'combobox');
  if (then.op === 'insert' && !picklist) out.then = insert(el, then.text);
  return out;
}
