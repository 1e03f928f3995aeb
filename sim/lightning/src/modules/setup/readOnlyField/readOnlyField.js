// A value shown as text under its label, as a record page's output field shows it (SLDS
// read-only form element); slotted content (a Copy button) sits beside the value.
import { LightningElement, api } from 'lwc';

export default class ReadOnlyField extends LightningElement {
  @api label;
  @api value;
}
