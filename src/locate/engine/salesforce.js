// The Salesforce layer, above the standard one: how a person names a control on a Setup
// page where the accessible name alone would not say it.
// - Classic forms and detail pages: `<td class="labelCol">Label</td><td class="dataCol">`.
// - SLDS form elements: the `.slds-form-element__label` of the element around a control,
//   even where the label sits in another component's shadow root than the control.
// - SLDS toggles: the caption, without the On/Off state text inside the same label.

const CLASSIC_DATA = /\bdata2?Col\b/;
const CLASSIC_LABEL = /\blabelCol\b/;

// The label cell beside a classic data cell.
function classicLabelCell(el) {
  const cell = closestComposed(el, 'td, th');
  if (!cell || !CLASSIC_DATA.test(cell.className)) return null;
  const prev = cell.previousElementSibling;
  return prev && CLASSIC_LABEL.test(prev.className) ? prev : null;
}
// The label cell's text as a person reads it (no script, no help bubble's hidden text).
function classicLabelOf(el) {
  const cell = classicLabelCell(el);
  return cell ? visibleTextOf(cell) : '';
}

// The caption element of the SLDS form element (or toggle) around `el`.
function sldsLabelElement(el) {
  const box = closestComposed(el, '.slds-checkbox_toggle, .slds-form-element');
  if (!box) return null;
  return walk(box).find((e) => e.classList.contains('slds-form-element__label') &&
    closestComposed(e, '.slds-checkbox_toggle, .slds-form-element') === box) || null;
}
function sldsLabelOf(el) {
  const label = sldsLabelElement(el);
  return label ? visibleTextOf(label) : '';
}

// What a field's error says, as a person sees it under the field and assistive technology
// hears it: the accessible description of a control marked `aria-invalid`, the help text
// of an SLDS form element in its error state (`slds-has-error`), a classic `div.errorMsg`
// in the field's data cell. A description that is only help ("Your entry must be ...")
// is not an error unless the field says it is invalid.
function fieldError(el) {
  const texts = [];
  const add = (e) => {
    if (!e || !visible(e)) return;
    const t = visibleTextOf(e);
    if (t && !texts.includes(t)) texts.push(t);
  };
  const flag = (el.getAttribute('aria-invalid') || '').trim();
  const invalid = flag !== '' && flag !== 'false';
  if (invalid) {
    // Native shadow roots refer across roots by element reflection, not ids.
    const reflected = Array.isArray(el.ariaDescribedByElements) ? el.ariaDescribedByElements : [];
    for (const d of [...idRefs(el, 'aria-describedby'), ...reflected]) add(d);
  }
  const box = closestComposed(el, '.slds-form-element');
  if (box) {
    const boxError = box.classList.contains('slds-has-error');
    for (const h of walk(box)) {
      if (!h.classList.contains('slds-form-element__help')) continue;
      if (boxError || h.classList.contains('slds-has-error') || (invalid && h.hasAttribute('data-help-message'))) add(h);
    }
  }
  const cell = closestComposed(el, 'td, th');
  if (cell && CLASSIC_DATA.test(cell.className)) for (const e of walk(cell)) if (e.classList.contains('errorMsg')) add(e);
  return { invalid: invalid || texts.length > 0, error: texts.join(' ') };
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
