import { LightningElement, api } from 'lwc';
import { scheduleRerender, timings, toast } from 'setup/chaos';

const COLUMNS = [
  { label: 'Label', fieldName: 'url', type: 'url', typeAttributes: { label: { fieldName: 'label' }, target: '_self' } },
  { label: 'Name', fieldName: 'name' },
  { label: 'URL', fieldName: 'endpoint' },
  { label: 'Type', fieldName: 'type' },
  { label: 'Authentication Status', fieldName: 'auth_status' },
];

export default class NcList extends LightningElement {
  @api data;
  columns = COLUMNS;
  rerendered = false;

  get rows() {
    return (this.data.ncs || []).map((n) => ({
      id: n.id,
      label: n.label,
      name: n.name,
      endpoint: n.url,
      type: 'Legacy',
      auth_status: n.auth_status,
      url: '/lightning/setup/NamedCredential/page?address=' + encodeURIComponent('/' + n.id),
    }));
  }
  get empty() {
    return !(this.data.ncs || []).length;
  }
  connectedCallback() {
    scheduleRerender(timings(this.data).rerenderMs, () => { this.rerendered = true; });
  }
  newCredential() {
    toast(this, 'error', 'This simulator supports only New Legacy.');
  }
  menuSelect(event) {
    if (event.detail.value === 'legacy') {
      window.location.assign('/lightning/setup/NamedCredential/page?address=' + encodeURIComponent('/0XA/e?retURL=/0XA'));
    }
  }
}
