// A classic Setup page inside Lightning: Salesforce's `force-aloha-page` frames it in an
// iframe named `vfFrameId_<time>`, served from the org's other (classic) origin. When the
// classic page navigates (a Save, a link), it tells this page where it went, and Lightning
// loads that page in a new frame with a new name: a reference to the old frame is stale.
import { LightningElement, api } from 'lwc';

// A classic address without the parameters Lightning adds to it.
function clean(address) {
  const u = new URL(address, 'http://x');
  u.searchParams.delete('isdtp');
  u.searchParams.delete('sfdcIFrameOrigin');
  return u.pathname + u.search;
}

export default class AlohaPage extends LightningElement {
  @api data;
  frames = [];
  shown;

  connectedCallback() {
    this.frames = [this.data.frame];
    this.listener = (e) => this.classicLoaded(e);
    window.addEventListener('message', this.listener);
  }
  disconnectedCallback() {
    window.removeEventListener('message', this.listener);
  }
  classicLoaded(e) {
    const iframe = this.template.querySelector('iframe');
    if (!iframe || e.source !== iframe.contentWindow || !e.data || typeof e.data.alohaPageLoaded !== 'string') return;
    const address = clean(e.data.alohaPageLoaded);
    if (this.shown === undefined || this.shown === address) {
      this.shown = address;
      return;
    }
    this.shown = address;
    const origin = new URL(iframe.src).origin;
    const sep = address.includes('?') ? '&' : '?';
    this.frames = [{ name: 'vfFrameId_' + Date.now(), title: this.data.frame.title, src: `${origin}${address}${sep}isdtp=p1` }];
    const page = location.pathname.replace(/\/[^/]*$/, '/page');
    history.replaceState(history.state, '', `${page}?address=${encodeURIComponent(address)}`);
  }
}
