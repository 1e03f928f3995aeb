// Roles: the explicit `role` attribute's first known token, else the implicit role of the
// element (HTML-AAM), as Playwright's roleUtils has it, for the elements forms use.

const KNOWN_ROLES = new Set(('alert alertdialog application article banner button cell checkbox columnheader combobox ' +
  'complementary contentinfo definition dialog document feed figure form grid gridcell group heading img link list ' +
  'listbox listitem log main menu menubar menuitem menuitemcheckbox menuitemradio navigation none note option ' +
  'presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search searchbox separator ' +
  'slider spinbutton status switch tab table tablist tabpanel term textbox timer toolbar tooltip tree treegrid treeitem').split(' '));

function implicitRole(el) {
  const tag = el.tagName;
  switch (tag) {
    case 'A': case 'AREA': return el.hasAttribute('href') ? 'link' : '';
    case 'BUTTON': return 'button';
    case 'INPUT': {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox') return el.getAttribute('switch') != null ? 'switch' : 'checkbox';
      if (type === 'radio') return 'radio';
      if (type === 'range') return 'slider';
      if (type === 'number') return 'spinbutton';
      if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
      if (type === 'hidden' || type === 'file' || type === 'color' || type === 'date' || type === 'time') return '';
      return el.hasAttribute('list') ? 'combobox' : 'textbox';
    }
    case 'SELECT': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    case 'TEXTAREA': return 'textbox';
    case 'OPTION': return 'option';
    case 'H1': case 'H2': case 'H3': case 'H4': case 'H5': case 'H6': return 'heading';
    case 'IMG': return el.getAttribute('alt') === '' ? 'presentation' : 'img';
    case 'TABLE': return 'table';
    case 'TR': return 'row';
    case 'TD': {
      const table = closestComposed(el, 'table');
      const r = table && table.getAttribute('role');
      return r === 'grid' || r === 'treegrid' ? 'gridcell' : 'cell';
    }
    case 'TH': return el.getAttribute('scope') === 'row' ? 'rowheader' : 'columnheader';
    case 'UL': case 'OL': return 'list';
    case 'LI': return 'listitem';
    case 'NAV': return 'navigation';
    case 'DIALOG': return 'dialog';
    case 'FIELDSET': case 'DETAILS': return 'group';
    case 'FORM': return 'form';
    case 'MAIN': return 'main';
    case 'SECTION': return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : '';
    case 'SUMMARY': return 'button';
    default: return '';
  }
}

let roleCache = new Map();
function resetRoleCache() { roleCache = new Map(); }

function roleOf(el) {
  let r = roleCache.get(el);
  if (r === undefined) { r = computeRole(el); roleCache.set(el, r); }
  return r;
}

function computeRole(el) {
  const explicit = (el.getAttribute('role') || '').trim().toLowerCase();
  if (explicit) {
    for (const token of explicit.split(/\s+/)) if (KNOWN_ROLES.has(token)) return token;
  }
  if (el.isContentEditable && (!el.parentElement || !el.parentElement.isContentEditable)) return 'textbox';
  return implicitRole(el);
}

// Roles whose accessible name comes from their content (WAI-ARIA "name from: contents").
const NAME_FROM_CONTENT = new Set(['button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link',
  'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row', 'rowheader', 'switch', 'tab',
  'tooltip', 'treeitem']);

// The kinds a runbook names, as roles.
const KIND_ROLES = {
  button: new Set(['button']),
  link: new Set(['link']),
  tab: new Set(['tab']),
  menuitem: new Set(['menuitem', 'menuitemcheckbox', 'menuitemradio']),
  option: new Set(['option']),
  // A tree's items are its rows: a person names either by its text.
  row: new Set(['row', 'treeitem']),
  cell: new Set(['cell', 'gridcell', 'rowheader']),
  field: new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'checkbox', 'radio', 'switch', 'spinbutton',
    'slider', 'radiogroup', 'group']),
};
const TOGGLES = new Set(['checkbox', 'radio', 'switch']);
