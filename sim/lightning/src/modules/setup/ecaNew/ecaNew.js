import { LightningElement, api } from 'lwc';
import { post, scheduleRerender, timings, toast, wait } from 'setup/chaos';

// What Salesforce derives from a label: word characters joined by single underscores,
// starting with a letter.
function apiNameOf(label) {
  let out = label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (/^[0-9]/.test(out)) out = 'X' + out;
  return out;
}

export default class EcaNew extends LightningElement {
  @api data;
  apiName = '';
  oauth = false;
  busy = false;
  rerendered = false;
  distributionStates = [
    { label: 'Local', value: 'Local' },
    { label: 'Packaged', value: 'Packaged' },
  ];

  get scopeOptions() {
    return this.data.scopes.map((s) => ({ label: s, value: s }));
  }
  get flows() {
    return this.data.flows.map(([key, label]) => ({ key, label }));
  }
  get security() {
    return this.data.security.map(([key, label, checked]) => ({ key, label, checked }));
  }
  connectedCallback() {
    scheduleRerender(timings(this.data).rerenderMs, () => { this.rerendered = true; });
  }
  field(key) {
    return this.template.querySelector(`[data-f="${key}"]`);
  }
  fillApiName(event) {
    if (!this.apiName) this.apiName = apiNameOf(event.target.value || '');
  }
  apiNameChanged(event) {
    this.apiName = event.target.value;
  }
  oauthToggled(event) {
    this.oauth = event.target.checked;
  }
  cancel() {
    window.location.assign('/lightning/setup/ManageExternalClientApplication/home');
  }
  async create() {
    if (this.busy) return;
    this.busy = true;
    const checks = (attr) => {
      const out = {};
      this.template.querySelectorAll(`[data-${attr}]`).forEach((x) => { out[x.dataset[attr]] = x.checked; });
      return out;
    };
    const value = (k) => (this.field(k) ? this.field(k).value : undefined);
    const checked = (k) => (this.field(k) ? this.field(k).checked : false);
    const body = {
      name: value('name') || '',
      api_name: this.apiName || '',
      contact_email: value('contact_email') || '',
      distribution_state: value('distribution_state') || '',
      oauth_enabled: checked('oauth_enabled'),
      callback_url: value('callback_url') || '',
      scopes: value('scopes') || [],
      introspect_all_tokens: checked('introspect_all_tokens'),
      configure_id_token: checked('configure_id_token'),
      flows: checks('flow'),
      security: checks('sec'),
    };
    const res = await post('/__api/eca', body);
    await wait(timings(this.data).saveMs);
    this.busy = false;
    this.template.querySelectorAll('lightning-input, lightning-textarea, lightning-combobox').forEach((x) => x.setCustomValidity(''));
    if (res.errors) {
      for (const [k, msg] of Object.entries(res.errors)) {
        const el = this.field(k);
        if (el && el.setCustomValidity) {
          el.setCustomValidity(msg);
          el.reportValidity();
        }
      }
      toast(this, 'error', 'Review the errors on this page.', Object.values(res.errors).join(' '));
      return;
    }
    const done = `External Client App "${body.name}" was created.`;
    window.location.assign(`/lightning/setup/ManageExternalClientApplication/${res.id}/detail?toast=${encodeURIComponent(done)}`);
  }
}
