// The operations the Rust side asks for, one request a call: `locate` (the default),
// `frames`, `shoot`, `mask`, `roots`, `source`, `insert`, `read`, `option`, `dual`, `reorder`,
// `range`, `describe`, `author`.

function resetCaches() {
  resetTextCaches();
  resetNameCache();
  resetRoleCache();
  headerCache = new Map();
}

// A dual listbox: its lists are its two listboxes (LWC) or multi-selects (classic).
function dual(req) {
  const box = req.el;
  const isList = (e) => roleOf(e) === 'listbox' && (e.getAttribute('role') === 'listbox' || e.multiple);
  let lists = walk(box).filter(isList);
  let scope = box;
  for (let up = box; lists.length < 2 && up; up = parentOf(up)) { scope = up; lists = walk(up).filter(isList); }
  if (lists.length < 2) return { missing: 'lists', error: 'no pair of lists inside ' + describe(box) };
  const [avail, sel] = lists;
  const opts = (l) => walk(l).filter((e) => roleOf(e) === 'option');
  const want = labelNorm(req.option).toLowerCase();
  const find1 = (l) => opts(l).find((o) => labelNorm(textOf(o)).toLowerCase() === want);
  const from = req.to === 'selected' ? avail : sel, to = req.to === 'selected' ? sel : avail;
  if (find1(to)) return { done: true };
  const opt = find1(from);
  if (!opt) return { missing: 'option', error: 'no option "' + req.option + '"', near: similar(req.option, opts(from).map((o) => textOf(o))) };
  // The arrow toward a list is named for it ("Move selection to Selected OAuth Scopes",
  // whatever the list's label); classic arrows say Add/Remove or point right/left.
  const toName = accName(to).toLowerCase();
  const dir = req.to === 'selected' ? /(to selected|add|right)/i : /(to available|remove|left)/i;
  const buttonText = (e) => [e.title, e.getAttribute('aria-label'), e.id, typeof e.className === 'string' ? e.className : '', e.alt, accName(e)].join(' ');
  const arrows = walk(scope).filter((e) => (roleOf(e) === 'button' || e.tagName === 'IMG' || e.tagName === 'A') && visible(e));
  const button = (toName && arrows.find((e) => buttonText(e).toLowerCase().includes('to ' + toName))) ||
    arrows.find((e) => dir.test(buttonText(e)));
  if (!button) return { missing: 'arrow', error: 'no button to move options ' + (req.to === 'selected' ? 'to Selected' : 'to Available') };
  const press = button.tagName === 'IMG' && closestComposed(button, 'a') ? closestComposed(button, 'a') : button;
  // Both clicks can go as pointer actions where each element shows in the viewport, nothing
  // covering its centre (a listbox scrolls the option into view first). A native <option>
  // is clicked by WebDriver, which selects it as a person's click does.
  let aims = null;
  if (opt.tagName !== 'OPTION') {
    opt.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const ready = (el) => visible(el) && hitOk(el, el);
    const a = ready(opt) && aim(opt), b = ready(press) && aim(press);
    if (a && b) aims = [a, b];
  }
  return { option: opt, button: press, aims, selectedCount: opts(to).length };
}

// The next move that brings a dual listbox's chosen list to `req.order` through its own
// Up button: the options named come first, in that order, and the others keep theirs
// after them. Answers `done` with the order, or the option to select (none when it is
// the only one selected already), the Up button and how many times to press it.
function reorder(req) {
  const box = req.el;
  const isList = (e) => roleOf(e) === 'listbox' && (e.getAttribute('role') === 'listbox' || e.multiple);
  let lists = walk(box).filter(isList);
  let scope = box;
  for (let up = box; lists.length < 2 && up; up = parentOf(up)) { scope = up; lists = walk(up).filter(isList); }
  if (lists.length < 2) return { missing: 'lists', error: 'no pair of lists inside ' + describe(box) };
  const sel = lists[1];
  const opts = walk(sel).filter((e) => roleOf(e) === 'option');
  const labels = opts.map((o) => labelNorm(textOf(o)));
  const same = (a, b) => a.toLowerCase() === labelNorm(b).toLowerCase();
  const absent = req.order.filter((w) => !labels.some((l) => same(l, w)));
  if (absent.length) {
    return { missing: 'option', absent: absent[0], near: labels, order: labels };
  }
  const named = req.order.map((w) => labels.find((l) => same(l, w)));
  const want = [...new Set(named)].concat(labels.filter((l) => !named.includes(l)));
  const at = labels.findIndex((l, i) => l !== want[i]);
  if (at < 0) return { done: true, order: labels };
  const from = labels.indexOf(want[at]);
  const opt = opts[from];
  const buttonText = (e) => [e.title, e.getAttribute('aria-label'), e.id, typeof e.className === 'string' ? e.className : '', e.alt, accName(e)].join(' ');
  const arrows = walk(scope).filter((e) => (roleOf(e) === 'button' || e.tagName === 'IMG' || e.tagName === 'A') && visible(e));
  const upButton = arrows.find((e) => /(selection up|\bup\b|uparrow)/i.test(buttonText(e)));
  if (!upButton) return { missing: 'arrow', error: 'no button that moves the chosen options up', order: labels };
  const press = upButton.tagName === 'IMG' && closestComposed(upButton, 'a') ? closestComposed(upButton, 'a') : upButton;
  const selected = opts.filter((o) => o.getAttribute('aria-selected') === 'true' || o.selected);
  const pick = selected.length === 1 && selected[0] === opt ? null : opt;
  let aims = null;
  if (opt.tagName !== 'OPTION') {
    opt.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const ready = (el) => visible(el) && hitOk(el, el);
    const a = ready(opt) && aim(opt), b = ready(press) && aim(press);
    if (a && b) aims = pick ? [a, b] : [b];
  }
  return { option: pick, button: press, aims, times: from - at, order: labels };
}

// A range input (a slider), focused for the keys that move it: its bounds, step and value.
function range(el) {
  el.focus();
  const num = (v, d) => { const n = parseFloat(v); return Number.isFinite(n) ? n : d; };
  const min = num(el.min, 0), max = num(el.max, 100);
  const step = el.step === 'any' ? 1 : num(el.step, 1);
  return { min, max, step, value: num(el.value, min), focused: rootOf(el).activeElement === el || document.activeElement === el };
}

// Lists that show more as they are scrolled: a datatable that loads rows on `loadmore`,
// a virtualised list, a tree, a dropdown. A search that finds nothing scrolls each
// visible one a window further, one step a look, as a person scrolls and looks: until
// what is wanted appears, the list ends and stops growing, or the step's time is up.
// State is kept per search (the request's spec), so the report can say how far each
// list went and how much it grew.
const LIST_ROLES = new Set(['grid', 'table', 'treegrid', 'listbox', 'tree']);
const ITEM_ROLES = new Set(['row', 'option', 'treeitem']);
let listState = { key: '', lists: new Map() };
const scrollsY = (e) => e.scrollHeight > e.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(e).overflowY);
function scrollerOf(list) {
  let n = list;
  for (let depth = 0; n && n.nodeType === 1 && depth < 8; depth++, n = parentOf(n)) {
    if (n === document.body || n === document.documentElement) return null;
    if (scrollsY(n)) return n;
  }
  return null;
}
const LIST_SETTLE_MS = 300;
function scrollLists(everything, spec, settled, busy) {
  const key = JSON.stringify(spec);
  if (listState.key !== key) listState = { key, lists: new Map() };
  const said = [];
  const boxes = new Set();
  for (const list of everything.filter((e) => LIST_ROLES.has(roleOf(e)))) {
    const box = scrollerOf(list);
    if (!box || boxes.has(box) || !visible(box)) continue;
    boxes.add(box);
    // A header row is not one of the table's rows to a person.
    const items = walk(list).filter((e) => ITEM_ROLES.has(roleOf(e)) && !walk(e).some((c) => roleOf(c) === 'columnheader')).length;
    let st = listState.lists.get(box);
    if (!st && !settled) continue;
    const move = settled || (!busy && st.steps > 0);
    if (!st) {
      const role = roleOf(list);
      const noun = role === 'listbox' ? 'list' : role === 'tree' || role === 'treegrid' ? 'tree' : 'table';
      const name = accName(list);
      st = { first: items, steps: 0, what: 'the ' + noun + (name ? ' "' + name + '"' : ''), unit: role === 'listbox' ? 'options' : role === 'tree' ? 'items' : 'rows' };
      listState.lists.set(box, st);
    }
    const end = box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
    if (move && !end && st.steps < 500) {
      box.scrollTop = Math.min(box.scrollHeight - box.clientHeight, box.scrollTop + Math.max(20, box.clientHeight * 0.8));
      st.steps++;
    }
    if (st.steps) said.push('scrolled ' + st.what + (end ? ' to its end' : '') + ': ' + st.first + ' -> ' + items + ' ' + st.unit);
  }
  return said;
}

// Whether something around `el` that scrolls on its own (a dropdown's list, a table's
// body) hides its centre: a person scrolls that, not the page.
function clippedByScroller(el) {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  for (let p = parentOf(el); p && p.nodeType === 1; p = parentOf(p)) {
    if (p === document.body || p === document.documentElement) return false;
    if (p.scrollHeight <= p.clientHeight + 1 && p.scrollWidth <= p.clientWidth + 1) continue;
    const s = getComputedStyle(p);
    // Only what a person can scroll: a box that hides its overflow is cut, not scrolled.
    if (!/(auto|scroll)/.test(s.overflowY + ' ' + s.overflowX)) continue;
    const b = p.getBoundingClientRect();
    if (x < b.left || x > b.right || y < b.top || y > b.bottom) return true;
  }
  return false;
}

// Replace a field's text the way a paste does: focus, select all, insert. The page gets
// beforeinput and input events (trusted, as execCommand makes them) in one round trip,
// instead of a key event per character.
function insert(el, text) {
  el.focus();
  if (typeof el.select === 'function') el.select(); else document.execCommand('selectAll');
  const ok = text === '' ? document.execCommand('delete') || readValue(el) === '' : document.execCommand('insertText', false, text);
  return { ok, value: readValue(el) };
}

async function locate(req, everything) {
  const spec = req.spec;
  const res = find(spec, everything);
  // The document's origin, as the browser keeps it (a sandboxed frame's is "null",
  // an about:blank frame's its creator's): where a secret may go is judged by it.
  const out = { frames: frames(everything), url: location.href, origin: self.origin, title: document.title };
  if (res.bad) return Object.assign(out, { bad: res.bad });
  const ms = res.matches.filter((m) => spec.mode === 'present' || visibleOrFaux(m.el));
  out.count = ms.length;
  if (res.scopeMissing) out.scopeMissing = res.scopeMissing;
  if (res.scopesFound && res.scopesFound.length) out.scopesFound = res.scopesFound;
  if (!ms.length) {
    // A table's columns are few, and each is a name the author may have meant.
    out.near = res.nearAll ? res.near.slice(0, 12) : similar(spec.value, res.near || []);
    if (res.prefixed) out.prefixed = res.prefixed;
    out.busy = pageBusy(everything);
    const still = stillness(everything);
    out.domStillMs = still.dom; out.netStillMs = still.net;
    // What a list holds: its rows, their buttons, links and text, its options; a field
    // only in a row. A label's field is not looked for down a table.
    const inList = spec.kind !== 'field' || spec.in_row != null;
    if (spec.mode !== 'present' && !spec.within && !spec.no_scroll && inList) {
      // A person waits for the page to settle before starting to scroll for what it has
      // not shown (a toast or a row a step's click is still bringing is not scrolled
      // past), and while a list loads more; once scrolling, goes on look by look.
      const settled = !out.busy && still.dom >= LIST_SETTLE_MS && still.net >= LIST_SETTLE_MS;
      out.scrolled = scrollLists(everything, spec, settled, out.busy);
    }
    out.pageErrors = everything.filter((e) => e.matches('#errorDiv_ep, div.errorMsg, #error, #errorDesc, #validationError, .pageDoesNotExist, .slds-theme_error, .forceToastMessage.error, .slds-has-error .slds-form-element__help, .slds-form-element__help[data-help-message]') && visible(e))
      .map((e) => visibleTextOf(e)).filter(Boolean).slice(0, 3);
    return out;
  }
  const pick = spec.nth ? ms[spec.nth - 1] : ms[0];
  if (!pick) { out.nthMissing = true; return out; }
  listState = { key: '', lists: new Map() };
  const el = pick.el;
  out.el = el; out.name = pick.name; out.kind = pick.kind || spec.kind;
  // A value read from a still page is likely final: `expect` may stop waiting for another.
  if (spec.mode === 'read') { const still = stillness(everything); out.domStillMs = still.dom; out.netStillMs = still.net; out.busy = pageBusy(everything); }
  out.tag = el.tagName.toLowerCase(); out.role = roleOf(el);
  // A CSS or XPath match: the label locator a runbook would name it by, checked by the
  // engine's own search (author.js); `import --resolve` writes it in place of the selector.
  if (spec.kind === 'css' || spec.kind === 'xpath') {
    try { out.authored = author({ el }, everything); } catch (e) { out.authored = { none: String(e && e.message || e) }; }
    delete out.authored.el;
  }
  if (spec.mode !== 'act') {
    out.value = readValue(el); out.checked = isChecked(el); out.ready = true;
    if (spec.mode === 'read') out.field = fieldError(el);
    return out;
  }
  const target = clickTarget(el);
  out.target = target;
  const then = req.then || {};
  // A checkbox already as wanted needs no click, so no aim either; nor a branch
  // already open or closed.
  if (then.op === 'unlessChecked' && isChecked(el) === then.checked) {
    out.ready = true; out.checked = isChecked(el); out.value = readValue(el);
    return out;
  }
  if (then.op === 'unlessExpanded') {
    const b = branchOf(el);
    out.expanded = b.expanded; out.loading = b.loading;
    if (b.expanded === then.expanded || b.expanded === null) { out.ready = true; out.value = readValue(el); return out; }
  }
  if (el.disabled || el.getAttribute('aria-disabled') === 'true' || closestComposed(el, 'fieldset[disabled]')) {
    out.ready = false; out.reason = 'disabled'; return out;
  }
  // A target whose centre is out of view, or under a scrollbar, is scrolled to: a person
  // scrolls until they see what they click.
  const r1 = target.getBoundingClientRect();
  let scrolled = true;
  // At once, as Playwright does, whatever the page's scroll-behavior: a smooth scroll
  // would keep the target moving for frames.
  if (!inView(r1.left + r1.width / 2, r1.top + r1.height / 2)) target.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
  else if (clippedByScroller(target)) target.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: 'instant' });
  else scrolled = false;
  // A click follows (a click step, or a check or expand that found it must click): its
  // events are judged where they land (guard.js).
  // Not a frame: a click on one goes to the document inside, where no guard is armed.
  const guarded = (spec.purpose === 'click' || then.op === 'unlessChecked' || then.op === 'unlessExpanded') && !landsInFrame(target);
  // A pointer needs its target to stay put for a frame; a paste goes to the element
  // itself, wherever it is (as Playwright's fill checks no stability either). A guarded
  // click on a page with every sign of rest needs no frame either: should the target
  // move after all, the guard stops the click and the step looks again, with the frame.
  // After a scroll it waits one all the same: the page's scroll handlers run at the next
  // frame (a sticky header drawn, rows loaded above).
  if (then.op !== 'insert') {
    // A native select's option is chosen by WebDriver's Element Click, which aims at no
    // point: no wait.
    const pointless = then.op === 'option' && el.tagName === 'SELECT';
    const why = pointless ? '' : !guarded ? 'unguarded' : scrolled ? 'scrolled to' : unrest(everything);
    out.steady = pointless ? 'no point to aim at' : why ? 'a frame (' + why + ')' : 'at rest';
  }
  if (out.steady && out.steady.startsWith('a frame')) {
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
  // The checkbox, switch or radio a click here turns (itself, or the control of the label
  // or box around it, as a click on a faux box is): the runner reads it after the click.
  if (spec.purpose === 'click' && !then.op) {
    const t = actionable(el);
    if (t && TOGGLES.has(roleOf(t))) out.toggle = t;
  }
  if (guarded) {
    // What the click's verdict tells besides: the box a check turns, the toggle a click does.
    const token = armClick(target, el, then.op === 'unlessChecked' ? el : out.toggle || null, globalThis.setupwrightSay);
    out.guarded = true;
    if (token) out.guardToken = token;
  }
  out.value = readValue(el); out.checked = isChecked(el);
  // A fill's paste rides on the search that found its field ready: one round trip less.
  // Not into a picklist, which the Rust side refuses with a hint.
  const picklist = el.tagName === 'SELECT' || (el.tagName === 'BUTTON' && roleOf(el) === 'combobox') || roleOf(el) === 'slider';
  if (then.op === 'insert' && !picklist) out.then = insert(el, then.text);
  // A native select's option rides on the search that found it ready: one round trip less.
  if (then.op === 'option' && el.tagName === 'SELECT') {
    out.option = findOption(el, then.option);
    const token = out.option.option && watchChange(el, globalThis.setupwrightSay);
    if (token) out.guardToken = token;
  }
  return out;
}

// The `<option>` of a native select by its text, else its value; else every option's text.
function findOption(el, option) {
  const want = labelNorm(option).toLowerCase();
  const opts = Array.from(el.options || []);
  const opt = opts.find((o) => labelNorm(o.textContent).toLowerCase() === want) || opts.find((o) => o.value === option);
  return opt ? { option: opt } : { near: opts.map((o) => norm(o.textContent)) };
}

// What a control shows now: the `read` operation's answer.
function readState(el) {
  const b = branchOf(el);
  return { value: readValue(el), checked: isChecked(el), visible: visible(el), enabled: !el.disabled, expanded: b.expanded, loading: b.loading };
}

async function main(req) {
  resetCaches();
  // A guard lives from the search that armed it to the reading of its verdict; any other
  // call means its click is not coming (or was not guarded): it must not judge a later one.
  if (req.op === 'clickVerdict') return clickVerdict(req);
  disarmClick();
  if (req.op === 'guardAbove') return guardAbove();
  if (req.op === 'shoot') return shoot(req);
  if (req.op === 'mask') return mask(req);
  if (req.op === 'roots') return roots(req);
  const everything = walk(document);
  switch (req.op) {
    case 'frames': return { frames: frames(everything), url: location.href, title: document.title };
    case 'dual': return dual(req);
    case 'reorder': return reorder(req);
    case 'range': return range(req.el);
    case 'option': return findOption(req.el, req.option);
    case 'source': return { url: location.href, html: document.documentElement.outerHTML, frames: frames(everything) };
    // How long this document has been still both ways, and whether it still loads.
    case 'still': {
      const s = stillness(everything);
      return { frames: frames(everything), domStillMs: s.dom, netStillMs: s.net, busy: pageBusy(everything) };
    }
    case 'insert': return insert(req.el, req.text);
    case 'inline': return inlineEdit(req.el);
    case 'read': return readState(req.el);
    // How the engine reads one element: its role, accessible name, and the names a
    // person may call it by. For the engine's test corpus and for diagnosis.
    case 'describe': {
      const el = req.el;
      return { role: roleOf(el), name: accName(el), names: namesOf(el, KIND_ROLES.field.has(roleOf(el)) ? 'field' : 'button'), text: visibleTextOf(el) };
    }
    // The locator a runbook names an element by (author.js), for the recorder and importer.
    case 'author': return author(req, everything);
    case 'locate': case undefined: return locate(req, everything);
    default: throw new Error('unknown engine operation ' + JSON.stringify(req.op));
  }
}
