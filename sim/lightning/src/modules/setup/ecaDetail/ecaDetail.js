import { LightningElement, api } from 'lwc';
import { post, scheduleRerender, timings, toast } from 'setup/chaos';

export default class EcaDetail extends LightningElement {
  @api data;
  editing = false;
  rerendered = false;
  savedUrl;

  get app() {
    return this.data.app;
  }
  get callbackUrl() {
    return this.savedUrl !== undefined ? this.savedUrl : this.app.callback_url;
  }
  get scopes() {
    return (this.app.scopes || []).join(', ');
  }
  get summary() {
    return [
      { label: 'API Name', value: this.app.api_name },
      { label: 'Contact Email', value: this.app.contact_email },
      { label: 'Distribution State', value: this.app.distribution_state },
    ];
  }
  connectedCallback() {
    scheduleRerender(timings(this.data).rerenderMs, () => { this.rerendered = true; });
  }
  edit() {
    this.editing = true;
  }
  cancel() {
    this.editing = false;
  }
  openConsumer() {
    window.open(`/lightning/setup/ManageExternalClientApplication/${this.app.id}/consumer`, '_blank');
  }
  async save() {
    const input = this.template.querySelector('[data-f="callback_url"]');
    const value = input.value;
    const res = await post(`/__api/eca/${this.app.id}`, { callback_url: value });
    if (res.errors) {
      input.setCustomValidity(res.errors.callback_url);
      input.reportValidity();
      toast(this, 'error', res.errors.callback_url);
      return;
    }
    this.savedUrl = value;
    this.editing = false;
    toast(this, 'success', 'Your changes were saved.');
  }
}
