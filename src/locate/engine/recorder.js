// The recorder (`setupwright record`): what a person does in this document, as the steps
// a runbook writes, each target named as the engine finds it again (`author`). It runs in
// the engine's sandbox (a BiDi preload script) and says each step on the sandbox's own
// console, which BiDi reports with the realm it came from: page scripts can neither see
// its listeners nor its messages, and setupwright takes only messages from a sandbox
// realm. Only the browser's own (trusted) events count, so a page cannot forge a step
// either. A password's value never leaves this world.

const SETUP_TREE = '[class*="onesetupSetupNavTree"]';
const FIELD_TEXT = new Set(['textbox', 'searchbox', 'spinbutton']);
// The first argument of each message; the second is the message as JSON.
const RECORDER_MARK = 'setupwright-recorder';

// The listeners are the window's, not the document's: a window the page opens with an
// address (`window.open(url)`) starts on an empty document, and its first same-origin page
// replaces that document in the same window object (HTML's initial about:blank reuse), so
// no new realm is made, the browser announces none, and this preload script does not run
// again. What was added to the first document would never hear the page.
function record() {
  const say = console.debug.bind(console);
  const post = (m) => say(RECORDER_MARK, JSON.stringify(Object.assign({ url: location.href }, m)));
  // What was last written for each field, so a value is written once, however many
  // events say it changed.
  const written = new WeakMap();
  const dirty = new Set();
  let quickFind = null;
  let combo = null;
  let picked = [];

  const fresh = () => { resetCaches(); return walk(document); };
  const named = (el, control, asIs) => author({ el, control, asIs }, fresh());
  const pathTarget = (e) => (e.composedPath && e.composedPath()[0]) || e.target;
  const inSetupTree = (el) => !!closestComposed(el, SETUP_TREE);
  const isPassword = (el) => el.tagName === 'INPUT' && (el.type || '').toLowerCase() === 'password';
  // A field whose name says it holds a secret (the verification code Salesforce sends
  // before it shows a Consumer Secret, a token) is one, password field or not; the
  // importer's rule is the same (src/author/import: secret_label).
  const SECRET_NAME = /password|verification code|secret|token/i;
  const isSecret = (el, a) => isPassword(el) || (a.locator && SECRET_NAME.test(a.locator.value || ''));
  const valueOf = (el) => (el.value !== undefined ? String(el.value) : norm(el.textContent));

  // The step a located element makes, or a note of why there is none.
  const step = (action, a, extra) => {
    if (!a.locator) { post({ unnamed: action, why: a.none }); return; }
    post(Object.assign({ action, locator: a.locator, unique: a.unique, note: a.note }, extra));
  };

  function flush(el) {
    if (!dirty.has(el)) return;
    dirty.delete(el);
    if (!el.isConnected) return;
    const v = valueOf(el);
    if (written.get(el) === v) return;
    written.set(el, v);
    if (inSetupTree(el) && roleOf(el) === 'searchbox') { quickFind = v; return; }
    const a = named(el, 'text');
    if (isSecret(el, a)) step('fill', a, { secret: true });
    else step('fill', a, { text: v });
  }
  const flushAll = (except) => { for (const el of [...dirty]) if (el !== except) flush(el); };

  // `input`, not `change`: a change event does not leave a shadow root (it is not
  // composed), and a native shadow root's controls would go unseen.
  window.addEventListener('input', (e) => {
    if (!e.isTrusted) return;
    const el = pathTarget(e);
    if (!el || el.nodeType !== 1) return;
    const role = roleOf(el);
    if (FIELD_TEXT.has(role)) { dirty.add(el); return; }
    if (el.tagName === 'SELECT' && !el.multiple) {
      flushAll(el);
      const opt = el.options[el.selectedIndex];
      if (opt) step('select', named(el, 'choice'), { option: labelNorm(opt.textContent) });
      return;
    }
    if (el.tagName === 'INPUT' && TOGGLES.has(role)) {
      flushAll(el);
      step(el.checked ? 'check' : 'uncheck', named(el, 'toggle'));
    }
  }, true);

  window.addEventListener('change', (e) => {
    if (!e.isTrusted) return;
    const el = pathTarget(e);
    if (el && el.nodeType === 1 && FIELD_TEXT.has(roleOf(el))) { dirty.add(el); flush(el); }
  }, true);

  window.addEventListener('focusout', (e) => {
    if (!e.isTrusted) return;
    const el = pathTarget(e);
    if (el && dirty.has(el)) flush(el);
  }, true);

  // A value a person copies is one the runbook reads at run time (`capture`), named after
  // its field: the copy button beside a shown value ("Copy Consumer Key"), or Ctrl-C in a
  // field. A value that is not secret goes along, so that where it is pasted later the
  // fill says `${consumer_key}` instead of the value of this org; a secret's never does
  // (a field named after it is filled from the capture).
  const capture = (a, field) => {
    if (!a.locator || a.locator.kind !== 'field') return false;
    const secret = SECRET_NAME.test(a.locator.value || '');
    post({ action: 'capture', locator: a.locator, unique: a.unique, note: a.note, secret, value: secret ? undefined : readValue(field) });
    return true;
  };
  function copied(button, everything) {
    const said = norm(accName(button) || button.title || '');
    const m = /^copy\s+(.+)$/i.exec(said);
    if (!m) return false;
    const spec = { kind: 'field', value: m[1], exact: false, mode: 'read', purpose: 'read' };
    const found = foundBy(spec, everything).filter((f) => f !== button);
    if (found.length !== 1) return false;
    return capture({ locator: { kind: 'field', value: labelNorm(m[1]) }, unique: true }, found[0]);
  }
  window.addEventListener('copy', (e) => {
    if (!e.isTrusted) return;
    const start = pathTarget(e);
    const el = start && start.nodeType === 1 ? actionable(start) : null;
    if (!el || !FIELD_TEXT.has(roleOf(el))) return;
    capture(named(el, 'text'), el);
  }, true);

  // A dual listbox around an option or an arrow button: the element whose two listboxes
  // it holds, and its field's name.
  const dualOf = (el) => {
    const isList = (e) => roleOf(e) === 'listbox' && (e.getAttribute('role') === 'listbox' || e.multiple);
    for (let up = parentOf(el), depth = 0; up && depth < 12; up = parentOf(up), depth++) {
      if (up.nodeType !== 1) continue;
      if (walk(up).filter(isList).length >= 2) {
        const group = closestComposed(up, '[role=group], fieldset') || up;
        return KIND_ROLES.field.has(roleOf(group)) ? group : null;
      }
    }
    return null;
  };

  window.addEventListener('click', (e) => {
    if (!e.isTrusted || e.button !== 0) return;
    const start = pathTarget(e);
    if (!start || start.nodeType !== 1) return;
    const everything = fresh();
    const el = actionable(start);
    flushAll(el);
    if (!el) return;
    const role = roleOf(el);
    if (FIELD_TEXT.has(role)) return;
    // A native checkbox's input event says what the click did (also for a click on its
    // label).
    if (el.tagName === 'INPUT' && TOGGLES.has(role)) return;
    if (TOGGLES.has(role)) {
      const a = author({ el, control: 'toggle' }, everything);
      setTimeout(() => step(isChecked(el) ? 'check' : 'uncheck', a), 0);
      return;
    }
    if (role === 'combobox' && el.tagName !== 'SELECT') {
      combo = { a: author({ el, control: 'choice' }, everything), at: Date.now() };
      return;
    }
    if (role === 'option') {
      const dual = dualOf(el);
      const name = labelNorm(visibleTextOf(el) || accName(el));
      if (dual) {
        picked = e.ctrlKey || e.metaKey || e.shiftKey ? picked.concat([name]) : [name];
        return;
      }
      if (combo && Date.now() - combo.at < 60000) {
        step('select', combo.a, { option: name });
        combo = null;
        return;
      }
    }
    if (role === 'button') {
      const dual = dualOf(el);
      if (dual && picked.length) {
        const said = [el.title, el.getAttribute('aria-label'), accName(el)].join(' ');
        const add = /(to selected|add|right)/i.test(said) && !/(to available|remove|left)/i.test(said);
        const field = author({ el: dual, asIs: true }, everything);
        step('choose', field, { [add ? 'add' : 'remove']: picked });
        picked = [];
        return;
      }
    }
    if (role === 'button' && copied(el, everything)) return;
    if (role === 'link' && inSetupTree(el) && quickFind != null) {
      const page = labelNorm(visibleTextOf(el) || accName(el));
      const item = rowOf(el);
      const parent = item && rowOf(item);
      const section = parent ? norm(ownItemText(parent)) : null;
      post({ action: 'setup', page, section, quickFind });
      quickFind = null;
      return;
    }
    step('click', author({ el }, everything));
  }, true);

  window.addEventListener('keydown', (e) => {
    if (!e.isTrusted || !['Enter', 'Escape', 'Tab'].includes(e.key)) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const el = pathTarget(e);
    flushAll(null);
    // Enter on a button or link is its click, which the click records.
    if (e.key === 'Enter' && el && el.nodeType === 1 && ['button', 'link', 'option', 'menuitem', 'tab'].includes(roleOf(el))) return;
    if (e.key === 'Enter' && el && el.nodeType === 1 && inSetupTree(el)) return;
    post({ action: 'press', key: (e.shiftKey ? 'Shift+' : '') + e.key });
  }, true);

  // A document going away takes what was typed but not yet written with it.
  window.addEventListener('pagehide', () => flushAll(null), true);
}
