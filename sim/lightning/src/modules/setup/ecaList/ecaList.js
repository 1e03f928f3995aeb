import { LightningElement, api } from 'lwc';
import { scheduleRerender, timings } from 'setup/chaos';

const COLUMNS = [
  { label: 'External Client App Name', fieldName: 'url', type: 'url', typeAttributes: { label: { fieldName: 'name' }, target: '_self' } },
  { label: 'API Name', fieldName: 'api_name' },
  { label: 'Distribution State', fieldName: 'distribution_state' },
  { label: 'OAuth', fieldName: 'oauth' },
];

export default class EcaList extends LightningElement {
  @api data;
  columns = COLUMNS;
  rerendered = false;

  get rows() {
    return (this.data.apps || []).map((a) => ({
      ...a,
      url: `/lightning/setup/ManageExternalClientApplication/${a.id}/detail`,
      oauth: a.oauth_enabled ? 'Enabled' : '',
    }));
  }
  get empty() {
    return !(this.data.apps || []).length;
  }
  connectedCallback() {
    scheduleRerender(timings(this.data).rerenderMs, () => { this.rerendered = true; });
  }
  create() {
    window.location.assign('/lightning/setup/ManageExternalClientApplication/new');
  }
}
