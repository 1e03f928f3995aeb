// An imitation of Lightning base components, faithful where automation meets them
// (see shared/reference/salesforce-setup-dom.md):
// - LWC *synthetic* shadow: a component's internals are real children of the host (the
//   DOM is flat, XPath sees them), but document.querySelector* cannot, `host.shadowRoot`
//   is a SyntheticShadowRoot (mode open, synthetic === true), and WebDriver's Get
//   Element Shadow Root finds none. Ids get numeric suffixes.
// - Some components use real (native) open shadow roots instead.
(function () {
  if (window.__lightning) return;
  window.__lightning = true;
  let idSeq = 0;
  const nextId = (base) => base + '-' + (++idSeq + 7);
  const OWNER = new WeakMap();
  const origParent = Object.getOwnPropertyDescriptor(Node.prototype, 'parentNode').get;
  const ownerHost = (n) => { for (let p = n; p; p = origParent.call(p)) if (OWNER.has(p)) return OWNER.get(p); return null; };

  // Like the real polyfill's: a DocumentFragment (nodeType 11) whose `host` is the host.
  class SyntheticShadowRoot extends DocumentFragment {
    constructor(host) { super(); this.host = host; this.mode = 'open'; this.synthetic = true; }
    get children() { return Array.from(this.host.childNodes).filter((c) => c.nodeType === 1 && OWNER.get(c) === this.host); }
    get childNodes() { return this.children; }
    querySelectorAll(sel) { return Array.from(origEQSA.call(this.host, sel)).filter((n) => ownerHost(n) === this.host); }
    querySelector(sel) { return this.querySelectorAll(sel)[0] || null; }
    getElementById(id) { return this.querySelectorAll('#' + CSS.escape(id))[0] || null; }
    elementFromPoint(x, y) { return document.elementFromPoint(x, y); }
  }
  const origQSA = Document.prototype.querySelectorAll;
  const origEQSA = Element.prototype.querySelectorAll;
  const origGetRootNode = Node.prototype.getRootNode;
  const ROOTS = new WeakMap();
  Document.prototype.querySelectorAll = function (sel) { return Array.from(origQSA.call(this, sel)).filter((n) => ownerHost(n) === null); };
  Document.prototype.querySelector = function (sel) { return this.querySelectorAll(sel)[0] || null; };
  Element.prototype.querySelectorAll = function (sel) { const mine = ownerHost(this); return Array.from(origEQSA.call(this, sel)).filter((n) => ownerHost(n) === mine); };
  Element.prototype.querySelector = function (sel) { return this.querySelectorAll(sel)[0] || null; };
  // WebDriver's isShown atom treats a host's child with `assignedSlot === null` as
  // unslotted (hidden). The polyfill's shadow nodes are not slotted content, so they
  // answer `undefined`, and the atom walks on to the host.
  const origSlot = Object.getOwnPropertyDescriptor(Element.prototype, 'assignedSlot').get;
  Object.defineProperty(Element.prototype, 'assignedSlot', { configurable: true, get() { return OWNER.has(this) ? undefined : origSlot.call(this); } });
  Node.prototype.getRootNode = function (opts) { const h = ownerHost(this); return h && !(opts && opts.composed) ? ROOTS.get(h) : origGetRootNode.call(this, opts); };

  // Base class: `synthetic` components render into themselves and hide it; others attach
  // a native shadow root.
  class Base extends HTMLElement {
    static get synthetic() { return true; }
    connectedCallback() {
      if (this.__rendered) return;
      this.__rendered = true;
      if (this.constructor.synthetic) {
        ROOTS.set(this, new SyntheticShadowRoot(this));
        const tpl = document.createElement('template');
        tpl.innerHTML = this.template();
        const nodes = Array.from(tpl.content.childNodes);
        const lightFirst = this.firstChild;
        for (const n of nodes) { if (n.nodeType === 1) OWNER.set(n, this); this.insertBefore(n, lightFirst); }
        this.$root = this;
      } else {
        const root = this.attachShadow({ mode: 'open' });
        root.innerHTML = this.template();
        this.$root = root;
      }
      this.setup && this.setup();
    }
    get shadowRoot() { return this.constructor.synthetic ? ROOTS.get(this) || null : super.shadowRoot; }
    $(sel) { return this.constructor.synthetic ? origEQSA.call(this, sel)[0] : this.$root.querySelector(sel); }
    $$(sel) { return Array.from(this.constructor.synthetic ? origEQSA.call(this, sel) : this.$root.querySelectorAll(sel)); }
    attr(n, d) { return this.hasAttribute(n) ? this.getAttribute(n) : d; }
    fire(name) { this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail: { value: this.value } })); }
  }
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

  // lightning-input > (synthetic) lightning-primitive-input-simple > label + input
  class Input extends Base {
    template() {
      const type = this.attr('type', 'text');
      const id = nextId(type === 'checkbox' ? 'checkbox' : 'input');
      const req = this.hasAttribute('required') ? '<abbr class="slds-required" title="required">*</abbr>' : '';
      if (type === 'checkbox') {
        return `<div class="slds-form-element"><div class="slds-form-element__control"><span class="slds-checkbox">` +
          `<input type="checkbox" id="${id}" name="${esc(this.attr('name', ''))}" ${this.hasAttribute('checked') ? 'checked' : ''} style="position:absolute;width:1px;height:1px;margin:-1px;clip:rect(0 0 0 0);overflow:hidden;border:0;padding:0">` +
          `<label class="slds-checkbox__label" for="${id}" style="display:inline-flex;align-items:center;gap:6px;cursor:pointer"><span class="slds-checkbox_faux" style="display:inline-block;width:14px;height:14px;border:1px solid #747474;border-radius:2px;background:#fff"></span><span class="slds-form-element__label" part="label">${esc(this.attr('label'))}</span></label></span></div></div>`;
      }
      const input = type === 'textarea'
        ? `<textarea id="${id}" class="slds-textarea" ${this.hasAttribute('readonly') ? 'readonly' : ''}>${esc(this.attr('value', ''))}</textarea>`
        : `<input type="${type}" id="${id}" class="slds-input" value="${esc(this.attr('value', ''))}" ${this.hasAttribute('readonly') ? 'readonly' : ''} placeholder="${esc(this.attr('placeholder', ''))}">`;
      return `<div class="slds-form-element"><label class="slds-form-element__label" for="${id}">${req}${esc(this.attr('label'))}</label>` +
        `<div class="slds-form-element__control">${input}</div><div class="slds-form-element__help" hidden></div></div>`;
    }
    setup() {
      this.input = this.$('input, textarea');
      const box = this.$('.slds-checkbox_faux');
      const sync = () => { if (box) box.style.background = this.input.checked ? '#0176d3' : '#fff'; };
      sync();
      this.input.addEventListener('change', () => { sync(); this.fire('change'); });
      this.input.addEventListener('input', () => this.fire('change'));
      this.input.addEventListener('blur', () => this.fire('blur'));
    }
    get value() { return this.input ? this.input.value : this.attr('value', ''); }
    set value(v) { if (this.input) this.input.value = v; else this.setAttribute('value', v); }
    get checked() { return this.input ? this.input.checked : this.hasAttribute('checked'); }
    set checked(v) { if (this.input) { this.input.checked = !!v; this.input.dispatchEvent(new Event('change')); } }
    setCustomValidity(msg) {
      const help = this.$('.slds-form-element__help');
      const box = this.$('.slds-form-element');
      if (!help) return;
      help.textContent = msg; help.hidden = !msg;
      box.classList.toggle('slds-has-error', !!msg);
    }
  }

  // lightning-combobox (native shadow): the <label> is in the combobox's shadow, the
  // control is a button role=combobox one component deeper, named only by aria-label.
  class Combobox extends Base {
    static get synthetic() { return false; }
    template() {
      return `<style>:host{display:block;margin:6px 0}.dd{position:absolute;background:#fff;border:1px solid #ccc;z-index:5;min-width:200px}.dd[hidden]{display:none}button{min-width:200px;text-align:left;padding:4px 8px;background:#fff;border:1px solid #c9c9c9;border-radius:4px}lightning-base-combobox-item{display:block;padding:4px 8px;cursor:pointer}lightning-base-combobox-item:hover{background:#eef4ff}</style>` +
        `<div class="slds-form-element"><label class="slds-form-element__label">${esc(this.attr('label'))}</label>` +
        `<div class="slds-form-element__control"><lightning-base-combobox></lightning-base-combobox></div></div>`;
    }
    setup() {
      const inner = this.$('lightning-base-combobox');
      const opts = JSON.parse(this.attr('options', '[]'));
      inner.init(this.attr('label'), opts, this.attr('value', ''), (v) => { this._value = v; this.fire('change'); });
      this._value = this.attr('value', '');
    }
    get value() { return this._value || ''; }
  }
  class BaseCombobox extends Base {
    static get synthetic() { return false; }
    template() { return `<div style="position:relative"><button type="button" role="combobox" aria-expanded="false" aria-haspopup="listbox"></button><div class="dd" role="listbox" hidden></div></div>`; }
    init(label, options, value, onPick) {
      const b = this.$root.querySelector('button'), dd = this.$root.querySelector('.dd');
      b.setAttribute('aria-label', label);
      const show = (v) => { const o = options.find((o) => o.value === v); b.textContent = o ? o.label : 'Select an Option'; b.setAttribute('data-value', o ? o.label : ''); };
      show(value);
      dd.innerHTML = options.map((o) => `<lightning-base-combobox-item role="option" data-value="${esc(o.value)}"><span class="slds-truncate">${esc(o.label)}</span></lightning-base-combobox-item>`).join('');
      b.addEventListener('click', () => { const open = dd.hidden; dd.hidden = !open; b.setAttribute('aria-expanded', String(open)); });
      dd.addEventListener('click', (e) => {
        const item = e.target.closest('lightning-base-combobox-item'); if (!item) return;
        show(item.dataset.value); dd.hidden = true; b.setAttribute('aria-expanded', 'false'); onPick(item.dataset.value);
      });
    }
  }

  // lightning-dual-listbox (synthetic): two role=listbox lists and move buttons whose
  // titles carry the list labels.
  class DualListbox extends Base {
    template() {
      const gid = nextId('group-label'), sid = nextId('source-list-label'), tid = nextId('selected-list-label');
      const label = esc(this.attr('label')), src = esc(this.attr('source-label', 'Available')), sel = esc(this.attr('selected-label', 'Selected'));
      const col = 'class="slds-dueling-list__column" style="display:inline-block;vertical-align:top;margin-right:8px"';
      const list = (id) => `<div class="slds-dueling-list__options" style="border:1px solid #c9c9c9;width:300px;height:140px;overflow:auto"><ul aria-labelledby="${id}" aria-multiselectable="true" class="slds-listbox slds-listbox_vertical" role="listbox" style="list-style:none;margin:0;padding:0"></ul></div>`;
      return `<div class="slds-form-element" role="group" aria-labelledby="${gid}"><span id="${gid}" class="slds-form-element__legend slds-form-element__label">${label}</span>` +
        `<div class="slds-form-element__control"><div class="slds-dueling-list">` +
        `<div ${col}><span class="slds-form-element__label" id="${sid}">${src}</span>${list(sid)}</div>` +
        `<div ${col}><button type="button" class="slds-button" title="Move selection to ${sel}">&#9654;</button><br><button type="button" class="slds-button" title="Move selection to ${src}">&#9664;</button></div>` +
        `<div ${col}><span class="slds-form-element__label" id="${tid}">${sel}</span>${list(tid)}</div>` +
        `</div></div></div>`;
    }
    setup() {
      this.options = JSON.parse(this.attr('options', '[]'));
      this.selected = JSON.parse(this.attr('value', '[]'));
      this.picked = new Set();
      const [mvSel, mvSrc] = this.$$('button');
      mvSel.addEventListener('click', () => this.move(true));
      mvSrc.addEventListener('click', () => this.move(false));
      this.render();
    }
    render() {
      const [srcList, selList] = this.$$('ul[role=listbox]');
      const item = (o) => `<li role="presentation" class="slds-listbox__item"><div class="slds-listbox__option" role="option" aria-selected="${this.picked.has(o.value)}" tabindex="0" data-value="${esc(o.value)}" style="padding:3px 6px;cursor:pointer;${this.picked.has(o.value) ? 'background:#0176d3;color:#fff' : ''}"><span class="slds-truncate" title="${esc(o.label)}">${esc(o.label)}</span></div></li>`;
      srcList.innerHTML = this.options.filter((o) => !this.selected.includes(o.value)).map(item).join('');
      selList.innerHTML = this.options.filter((o) => this.selected.includes(o.value)).map(item).join('');
      for (const el of this.$$('[role=option]')) {
        el.addEventListener('click', () => { const v = el.dataset.value; this.picked.has(v) ? this.picked.delete(v) : this.picked.add(v); this.render(); });
      }
    }
    move(toSelected) {
      for (const v of this.picked) {
        if (toSelected && !this.selected.includes(v)) this.selected.push(v);
        if (!toSelected) this.selected = this.selected.filter((x) => x !== v);
      }
      this.picked.clear(); this.render(); this.fire('change');
    }
    get value() { return this.selected.slice(); }
  }

  class Button extends Base {
    template() {
      const variant = this.attr('variant', 'neutral');
      const style = variant === 'brand' ? 'background:#0176d3;color:#fff;border:1px solid #0176d3' : 'background:#fff;color:#0176d3;border:1px solid #c9c9c9';
      return `<button type="button" class="slds-button slds-button_${variant}" style="${style};border-radius:4px;padding:4px 14px;cursor:pointer">${esc(this.attr('label'))}</button>`;
    }
    setup() { this.$('button').addEventListener('click', (e) => { e.stopPropagation(); this.dispatchEvent(new CustomEvent('press', { bubbles: true, composed: true })); }); }
  }

  // lightning-button-menu (native shadow): a button that opens lightning-menu-item
  // elements with role=menuitem.
  class ButtonMenu extends Base {
    static get synthetic() { return false; }
    template() {
      return `<style>:host{display:inline-block;position:relative}.menu{position:absolute;right:0;top:100%;background:#fff;border:1px solid #ccc;min-width:160px;z-index:10;box-shadow:0 2px 6px rgba(0,0,0,.2)}.menu[hidden]{display:none}button{background:#fff;border:1px solid #c9c9c9;border-radius:4px;padding:4px 8px;cursor:pointer}</style>` +
        `<button type="button" class="slds-button slds-button_icon-border-filled" aria-haspopup="true" aria-expanded="false" title="${esc(this.attr('alternative-text', 'Show menu'))}">&#9662;<span class="slds-assistive-text">${esc(this.attr('alternative-text', 'Show menu'))}</span></button>` +
        `<div class="menu" role="menu" hidden><slot></slot></div>`;
    }
    setup() {
      const b = this.$root.querySelector('button'), menu = this.$root.querySelector('.menu');
      b.addEventListener('click', () => { menu.hidden = !menu.hidden; b.setAttribute('aria-expanded', String(!menu.hidden)); });
      this.addEventListener('select', () => { menu.hidden = true; });
    }
  }
  class MenuItem extends Base {
    template() { return `<a role="menuitem" href="javascript:void(0)" style="display:block;padding:6px 12px;color:#181818;text-decoration:none"><span class="slds-truncate">${esc(this.attr('label'))}</span></a>`; }
    setup() { this.$('a').addEventListener('click', (e) => { e.preventDefault(); this.dispatchEvent(new CustomEvent('select', { bubbles: true, composed: true, detail: { value: this.attr('value') } })); }); }
  }

  class Spinner extends Base {
    template() { return `<div class="slds-spinner_container" style="position:fixed;inset:0;background:rgba(255,255,255,.6);z-index:9000"><div role="status" class="slds-spinner slds-spinner_medium" style="position:absolute;top:45%;left:50%;width:32px;height:32px;border:4px solid #0176d3;border-right-color:transparent;border-radius:50%"><span class="slds-assistive-text">Loading</span></div></div>`; }
  }

  for (const [n, c] of [['lightning-input', Input], ['lightning-combobox', Combobox], ['lightning-base-combobox', BaseCombobox],
    ['lightning-dual-listbox', DualListbox], ['lightning-button', Button], ['lightning-button-menu', ButtonMenu],
    ['lightning-menu-item', MenuItem], ['lightning-spinner', Spinner]]) customElements.define(n, c);

  // Toasts: forceToastMessage, as Lightning shows them.
  window.showToast = function (kind, message, ms) {
    const t = document.createElement('div');
    t.className = 'forceToastMessage slds-notify slds-notify_toast slds-theme_' + kind + (kind === 'error' ? ' error' : '');
    t.setAttribute('role', 'status');
    t.style.cssText = 'position:fixed;top:12px;left:50%;transform:translateX(-50%);z-index:9500;padding:12px 24px;border-radius:4px;color:#fff;background:' + (kind === 'error' ? '#ba0517' : '#2e844a');
    t.innerHTML = '<span class="toastMessage">' + esc(message) + '</span>';
    document.body.appendChild(t);
    setTimeout(() => t.remove(), ms || 3000);
  };
})();
