// A classic Setup page inside Lightning: Salesforce's `force-aloha-page` frames it in an
// iframe named `vfFrameId_<time>`, served from the org's other (classic) origin.
import { LightningElement, api } from 'lwc';

export default class AlohaPage extends LightningElement {
  @api data;
}
