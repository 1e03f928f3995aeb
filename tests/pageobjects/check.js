// Checks Salesforce's UTAM page objects (npm salesforce-pageobjects) against the page in
// this document: every instance of each root page object's selector, found through shadow
// roots of both kinds, and below it every element the page object declares, through its
// `shadow` and light `elements`, into the page objects its elements are typed as.
// arguments[0]: { pageObjects: { "lightning/input": {...}, ... }, roots: [[poName, css]], args: { "po.element": [values] } }
// Answers { checked, resolved: [path], absent: [path], wrongBoundary: [path], skipped: [path] }:
// an element absent from the page may be one its component renders only in another state
// (an open menu's items, a datepicker's parts); one found across the other shadow boundary
// than its page object declares is a structural mismatch.
const { pageObjects, roots, args } = arguments[0];

// Every element matching `css` in the document and in every shadow root, native or
// synthetic (whose host's `shadowRoot` is the polyfill's root).
function deepAll(css) {
  const out = [];
  const visit = (root) => {
    root.querySelectorAll(css).forEach((e) => out.push(e));
    root.querySelectorAll('*').forEach((e) => { if (e.shadowRoot) visit(e.shadowRoot); });
  };
  visit(document);
  return [...new Set(out)];
}

const result = { checked: 0, resolved: [], absent: [], wrongBoundary: [], skipped: [], missingRoots: [] };

function poNameOf(type) {
  if (typeof type !== 'string') return null;
  const m = /^utam-(lightning|setup)\/pageObjects\/(.+)$/.exec(type);
  return m ? m[1] + '/' + m[2] : null;
}

function selectorCss(poName, el) {
  const sel = el.selector || {};
  if (!sel.css) return null;
  if (!sel.args || !sel.args.length) return sel.css;
  const values = args[poName + '.' + el.name];
  if (!values) return null;
  let i = 0;
  return sel.css.replace(/%[sd]/g, () => String(values[i++]));
}

function checkPo(poName, host, path, depth) {
  const po = pageObjects[poName];
  if (!po || depth > 6) return;
  visit(poName, po.elements || [], host, false, path, depth);
  if (po.shadow) visit(poName, po.shadow.elements || [], host, true, path, depth);
}

function visit(poName, elements, scopeEl, inShadow, path, depth) {
  const scope = inShadow ? scopeEl.shadowRoot : scopeEl;
  for (const el of elements) {
    const where = path + (inShadow ? ' >>> ' : ' > ') + el.name;
    const css = selectorCss(poName, el);
    if (!css) { result.skipped.push(where + ' (selector takes arguments)'); continue; }
    if (!scope) { result.wrongBoundary.push(where + ' (no shadow root on ' + scopeEl.tagName.toLowerCase() + ')'); continue; }
    result.checked++;
    let found;
    try { found = Array.from(scope.querySelectorAll(css)); } catch (e) { result.skipped.push(where + ' (' + e.message + ')'); continue; }
    if (!found.length) {
      const other = inShadow ? scopeEl : scopeEl.shadowRoot;
      let across = [];
      try { across = other ? Array.from(other.querySelectorAll(css)) : []; } catch (e) { /* same selector */ }
      // A selector of any element (`:scope *`) matches something everywhere: no evidence.
      const generic = /^(:scope\s*)?\*$/.test(css.trim());
      if (across.length && !generic) result.wrongBoundary.push(where + ' [' + css + '] is in the ' + (inShadow ? 'light DOM' : 'shadow root'));
      else result.absent.push(where + (el.nullable ? ' (nullable)' : '') + ' [' + css + ']');
      continue;
    }
    result.resolved.push(where);
    const child = poNameOf(el.type);
    if (child) checkPo(child, found[0], where + '{' + child + '}', depth + 1);
    if (el.elements) visit(poName, el.elements, found[0], false, where, depth);
    if (el.shadow) visit(poName, el.shadow.elements || [], found[0], true, where, depth);
  }
}

for (const [poName, css] of roots) {
  const hosts = deepAll(css);
  if (!hosts.length) { result.missingRoots.push(poName + ' (no ' + css + ' on the page)'); continue; }
  hosts.forEach((h, i) => checkPo(poName, h, poName + '#' + (i + 1), 0));
}
return result;
