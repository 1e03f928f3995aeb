// The Salesforce layer, above the standard one: how a person names a control on a Setup
// page where the accessible name alone would not say it.
// - Classic forms and detail pages: `<td class="labelCol">Label</td><td class="dataCol">`.
// - SLDS form elements: the `.slds-form-element__label` of the element around a control,
//   even where the label sits in another component's shadow root than the control.
// - SLDS toggles: the caption, without the On/Off state text inside the same label.

const CLASSIC_DATA = /\bdata2?Col\b/;
const CLASSIC_LABEL = /\blabelCol\b/;

// The label cell's text as a person reads it (no script, no help bubble's hidden text).
function classicLabelOf(el) {
  const cell = closestComposed(el, 'td, th');
  if (!cell || !CLASSIC_DATA.test(cell.className)) return '';
  const prev = cell.previousElementSibling;
  return prev && CLASSIC_LABEL.test(prev.className) ? visibleTextOf(prev) : '';
}

// The caption of the SLDS form element (or toggle) around `el`.
function sldsLabelOf(el) {
  const box = closestComposed(el, '.slds-checkbox_toggle, .slds-form-element');
  if (!box) return '';
  const label = walk(box).find((e) => e.classList.contains('slds-form-element__label') &&
    closestComposed(e, '.slds-checkbox_toggle, .slds-form-element') === box);
  return label ? visibleTextOf(label) : '';
}

// Values shown as text beside a label: SLDS read-only form elements and classic detail
// rows. `{ el, names }`, where `el` holds the value.
function displayPairs(scope) {
  const out = [];
  for (const el of scope) {
    if (el.classList.contains('slds-form-element__label')) {
      const box = closestComposed(el, '.slds-form-element');
      const ctl = box && walk(box).find((e) => e.classList.contains('slds-form-element__static')) ||
        box && walk(box).find((e) => e.classList.contains('slds-form-element__control'));
      if (ctl) out.push({ el: ctl, names: [labelNorm(visibleTextOf(el))] });
    } else if ((el.tagName === 'TD' || el.tagName === 'TH') && CLASSIC_LABEL.test(el.className)) {
      const val = el.nextElementSibling;
      if (val && CLASSIC_DATA.test(val.className)) out.push({ el: val, names: [labelNorm(visibleTextOf(el))] });
    }
  }
  return out;
}
