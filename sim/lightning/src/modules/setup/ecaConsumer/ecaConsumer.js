import { LightningElement, api } from 'lwc';
import { post } from 'setup/chaos';

export default class EcaConsumer extends LightningElement {
  @api data;
  details;

  async verify() {
    const code = this.template.querySelector('[data-f="code"]');
    const res = await post(`/__api/eca/${this.data.app.id}/verify`, { code: code.value });
    if (res.error) {
      code.setCustomValidity(res.error);
      code.reportValidity();
      return;
    }
    this.details = [
      { label: 'Consumer Key', value: res.consumer_key, copy: 'Copy Consumer Key' },
      { label: 'Consumer Secret', value: res.consumer_secret, copy: 'Copy Consumer Secret' },
    ];
  }
}
