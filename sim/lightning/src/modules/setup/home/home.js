import { LightningElement, api } from 'lwc';

export default class Home extends LightningElement {
  @api data;
}
