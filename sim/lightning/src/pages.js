// Mounts the component named by `<div id="lwc-page" data-page="setup-eca-list">` with the
// JSON of `<script type="application/json" id="lwc-data">` as its `data`. Like Lightning
// Experience, the page shows a spinner while its data "loads" (`data.chaos.load_ms`).
import { createElement } from 'lwc';
import Toast from 'lightning/toast';
import Spinner from 'lightning/spinner';
import EcaList from 'setup/ecaList';
import EcaNew from 'setup/ecaNew';
import EcaDetail from 'setup/ecaDetail';
import EcaConsumer from 'setup/ecaConsumer';
import NcList from 'setup/ncList';
import Home from 'setup/home';
import AlohaPage from 'force/alohaPage';
import Components from 'fixture/components';
import FormParts from 'fixture/formParts';
import MoreParts from 'fixture/moreParts';
import RowParts from 'fixture/rowParts';
import SetupSteps from 'fixture/setupSteps';

const PAGES = {
  'setup-home': Home,
  'setup-eca-list': EcaList,
  'setup-eca-new': EcaNew,
  'setup-eca-detail': EcaDetail,
  'setup-eca-consumer': EcaConsumer,
  'setup-nc-list': NcList,
  'force-aloha-page': AlohaPage,
  // Pages of the engine's tests (tests/fixtures), not of the simulated org.
  'fixture-components': Components,
  'fixture-form-parts': FormParts,
  'fixture-more-parts': MoreParts,
  'fixture-row-parts': RowParts,
  'fixture-setup-steps': SetupSteps,
};

const host = document.getElementById('lwc-page');
const dataScript = document.getElementById('lwc-data');
const data = dataScript ? JSON.parse(dataScript.textContent) : {};
const chaos = data.chaos || {};
const Page = PAGES[host.dataset.page];

function render() {
  const page = createElement(host.dataset.page, { is: Page });
  page.data = data;
  host.replaceChildren(page);
  const toast = new URLSearchParams(location.search).get('toast');
  if (toast) Toast.show({ label: toast, variant: 'success', mode: 'dismissible' }, page);
  document.dispatchEvent(new Event('sim:ready'));
}

if (chaos.load_ms) {
  const spinner = createElement('lightning-spinner', { is: Spinner });
  spinner.alternativeText = 'Loading';
  spinner.size = 'large';
  host.replaceChildren(spinner);
  setTimeout(render, chaos.load_ms);
} else {
  render();
}
