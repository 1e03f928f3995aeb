// The seed runbook (runbooks/focus-matters-secured-login.yaml) written as a Playwright
// script, the way a user would write it with playwright-core: accessible locators,
// auto-waiting, one screenshot per step. The same flow, step for step, including the
// runbook's "already done?" checks and the masking of the Consumer Secret in the
// screenshots, so both tools do the same work on the same pages.
//
//   node seed-flow.mjs <my_domain_url> <artifacts dir>
//   env: SEED_USERNAME, SEED_PASSWORD, SEED_CODE
//
// Prints one JSON line at the end: { steps, wall_ms, cpu_ms, peak_rss_kb } of this Node
// process (Playwright's client and its protocol handling; Chromium aside).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [domain, outDir] = process.argv.slice(2);
const user = process.env.SEED_USERNAME;
const password = process.env.SEED_PASSWORD;
const code = process.env.SEED_CODE;
const APP = 'CaseCloud Secured Login Integration';
const PROVIDER = 'CaseCloud Secured Login Provider';
const NC = 'CaseCloud Secured Login Named Credential';
mkdirSync(outDir, { recursive: true });

const started = Date.now();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
context.setDefaultTimeout(30_000);
const page = await context.newPage();
const upAt = performance.now();
let current = page;
let steps = 0;
// Required fields' labels start with a "*" marker, which is part of the accessible name.
const exactly = (name) => new RegExp(`^\\*?\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

// Each step's time in its action and in its picture (settle and screenshot), ms: set
// against setupwright's `timings_ms` by bench/compare.py.
const phases = { action: 0, picture: 0 };
// When each group of the runbook began, ms since the browser was up.
const marks = [];
const mark = (group) => marks.push([group, Math.round(performance.now() - upAt)]);
async function step(fn) {
  const t0 = performance.now();
  await fn();
  const t1 = performance.now();
  phases.action += t1 - t0;
  steps += 1;
  if (process.env.NO_SHOTS) return;
  try { await picture(); } finally {
    phases.picture += performance.now() - t1;
    if (process.env.STEP_TIMES) console.error(JSON.stringify({ step: steps, at: Math.round(t0 - upAt), action: Math.round(t1 - t0), picture: Math.round(performance.now() - t1) }));
  }
}
async function picture() {
  if (!process.env.NO_SETTLE) await settle(current);
  const shot = () => current.screenshot({ path: `${outDir}/${String(steps).padStart(3, '0')}.png`, mask: secretsOn(current) });
  // A click that starts a navigation returns before it ends; resolving the masks in a
  // document that then goes away fails ("Execution context was destroyed"). Wait for the
  // new page and take it again.
  await shot().catch(async (e) => {
    if (!/context was destroyed|navigat|frame was detached/i.test(String(e))) throw e;
    await current.waitForLoadState();
    await shot();
  });
}
// Like setupwright, picture what the step led to rather than a loading screen: before
// each screenshot, wait (at most 1.5 s a frame) until every frame has loaded and shows no
// spinner. Without this, a step that navigates is pictured as a spinner (NO_SETTLE=1).
async function settle(p) {
  const quiet = () => document.readyState === 'complete' &&
    !Array.from(document.querySelectorAll('lightning-spinner, .slds-spinner, .auraLoadingBox')).some((e) => e.checkVisibility());
  for (const f of p.frames()) await f.waitForFunction(quiet, null, { timeout: 1500 }).catch(() => {});
}
// Like setupwright, keep the Consumer Secret out of the pictures: where it is shown (the
// consumer details tab) and where it is typed (the Auth. Provider's form).
const secretsOn = (p) => [
  p.locator('.slds-form-element', { has: p.locator('.slds-form-element__label', { hasText: 'Consumer Secret' }) }).locator('.slds-form-element__static'),
  p.frameLocator('force-aloha-page iframe').getByLabel(exactly('Consumer Secret')),
];
// Classic pages live in the Lightning page's iframe (vfFrameId_...).
const classic = () => page.frameLocator('force-aloha-page iframe');
// Quick Find: type the section, pick the page from the filtered tree.
async function setup(section, pageName) {
  const box = page.getByPlaceholder('Quick Find');
  await box.fill(section);
  await page.getByRole('treeitem').getByRole('link', { name: pageName, exact: true }).click();
}
// A guard: does the page show this? Wait until the page is quiet (no spinner, no
// network for 500 ms), then look without waiting.
async function present(locator) {
  await page.locator('lightning-spinner').first().waitFor({ state: 'detached' });
  await page.waitForLoadState('networkidle');
  return (await locator.count()) > 0;
}
const classicPair = (label) => classic().locator('td.labelCol', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).locator('xpath=following-sibling::td[1]');

// Go to Setup
mark('Go to Setup');
await step(() => page.goto(`${domain}/lightning/setup/SetupOneHome/home`));
if (await page.locator('input#username').count()) {
  await step(async () => {
    await page.locator('#username').fill(user);
    await page.locator('#password').fill(password);
    await page.locator('#Login').click();
    await page.locator('#password').waitFor({ state: 'detached' });
  });
}

// Step 1: Create a New External Client App
mark('Step 1: Create a New External Client App');
await step(() => setup('External Client Apps', 'External Client App Manager'));
if (!(await present(page.getByRole('link', { name: APP, exact: true })))) {
  await step(() => setup('External Client Apps', 'External Client App Manager'));
  await step(() => page.getByRole('button', { name: 'New External Client App' }).click());
  await step(() => page.getByLabel('External Client App Name').fill(APP));
  await step(() => page.keyboard.press('Tab'));
  await step(() => expectValue(page.getByLabel(exactly('API Name')), /.+/));
  await step(() => page.getByLabel('Contact Email').fill(user));
  await step(async () => {
    await page.getByRole('combobox', { name: 'Distribution State' }).click();
    await page.getByRole('option', { name: 'Local' }).click();
  });
  await step(() => setBox(page, 'Enable OAuth', true));
  await step(() => page.getByLabel('Callback URL').fill(`${domain}/`));
  await step(async () => {
    for (const scope of ['Access the identity URL service (id, profile, email, address, phone)', 'Full access (full)', 'Perform requests at any time (refresh_token, offline_access)']) {
      await page.getByRole('option', { name: scope, exact: true }).click();
      await page.getByTitle('Move selection to Selected OAuth Scopes').click();
    }
  });
  for (const [label, on] of [['Introspect all Tokens', false], ['Configure ID Token', false], ['Enable Authorization Code and Credentials Flow', true],
    ['Enable Client Credentials Flow', false], ['Enable Device Flow', false], ['Enable JWT Bearer Flow', false], ['Enable Token Exchange Flow', false],
    ['Require secret for Web Server Flow', true], ['Require secret for Refresh Token Flow', true],
    ['Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows', false], ['Enable Refresh Token Rotation', false],
    ['Issue JSON Web Token (JWT)-based access tokens for named users', false]]) {
    await step(() => setBox(page, label, on));
  }
  await step(() => page.getByRole('button', { name: 'Create' }).click());
  await step(() => page.getByRole('tab', { name: 'Settings' }).waitFor());
}

// Step 1: Copy the Consumer Key and Secret (skipped once the provider exists)
mark('Step 1: Copy the Consumer Key and Secret');
let consumerKey, consumerSecret, callbackUrl;
await step(() => setup('Identity', 'Auth. Providers'));
if (!(await present(classic().getByRole('link', { name: PROVIDER, exact: true })))) {
  await step(() => setup('External Client Apps', 'External Client App Manager'));
  await step(() => page.getByRole('link', { name: APP, exact: true }).click());
  await step(() => page.getByRole('tab', { name: 'Settings' }).click());
  let tab;
  await step(async () => {
    [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Consumer Key and Secret' }).click()]);
    current = tab;
  });
  await step(() => tab.getByLabel('Verification Code').fill(code));
  // Wait for the details before the picture: a mask resolved before they render
  // would let the secret into the screenshot.
  await step(async () => {
    await tab.getByRole('button', { name: 'Verify' }).click();
    await tab.getByText('Consumer Secret', { exact: true }).waitFor();
  });
  const pair = (label) => tab.locator('.slds-form-element', { has: tab.locator('.slds-form-element__label', { hasText: label }) }).locator('.slds-form-element__static');
  await step(async () => { consumerKey = (await pair('Consumer Key').textContent()).trim(); });
  await step(async () => { consumerSecret = (await pair('Consumer Secret').textContent()).trim(); });
  await step(async () => { await tab.close(); current = page; });

  // Step 2: Create Auth. Provider
  await step(() => setup('Identity', 'Auth. Providers'));
  await step(() => classic().getByRole('button', { name: 'New' }).click());
  await step(() => classic().getByLabel('Provider Type').selectOption('Salesforce'));
  await step(() => classic().getByLabel(exactly('Name')).fill(PROVIDER));
  await step(() => page.keyboard.press('Tab'));
  await step(() => expectValue(classic().getByLabel('URL Suffix'), /.+/));
  await step(() => classic().getByLabel(exactly('Consumer Key')).fill(consumerKey));
  await step(() => classic().getByLabel(exactly('Consumer Secret')).fill(consumerSecret));
  await step(() => classic().getByLabel('Use Proof Key for Code Exchange (PKCE) Extension').uncheck());
  await step(() => classic().getByLabel('Default Scopes').fill('refresh_token full'));
  await step(() => classic().getByRole('button', { name: 'Save' }).first().click());
  await step(async () => { callbackUrl = (await classicPair('Callback URL').textContent()).trim(); });
}

// Step 2: Update the External Client App Callback URL. Like the runbook's guard, read the
mark('Step 2: Update the External Client App Callback URL');
// provider's Callback URL afresh and look for it on the app's Settings tab.
await step(() => setup('Identity', 'Auth. Providers'));
await step(() => classic().getByRole('link', { name: PROVIDER, exact: true }).click());
await step(async () => { callbackUrl = (await classicPair('Callback URL').textContent()).trim(); });
await step(() => setup('External Client Apps', 'External Client App Manager'));
await step(() => page.getByRole('link', { name: APP, exact: true }).click());
await step(() => page.getByRole('tab', { name: 'Settings' }).click());
if (!(await present(page.getByText(callbackUrl, { exact: true })))) {
  await step(() => setup('External Client Apps', 'External Client App Manager'));
  await step(() => page.getByRole('link', { name: APP, exact: true }).click());
  await step(() => page.getByRole('tab', { name: 'Settings' }).click());
  await step(() => page.getByRole('button', { name: 'Edit' }).click());
  await step(() => page.getByLabel('Callback URL').fill(callbackUrl));
  await step(() => page.getByRole('button', { name: 'Save' }).click());
  await step(() => page.locator('.slds-form-element', { has: page.locator('.slds-form-element__label', { hasText: 'Callback URL' }) }).filter({ hasText: callbackUrl }).waitFor());
}

// Step 3: Create Named Credential
mark('Step 3: Create Named Credential');
await step(() => setup('Security', 'Named Credentials'));
if (!(await present(page.getByRole('link', { name: NC, exact: true })))) {
  await step(() => setup('Security', 'Named Credentials'));
  await step(() => page.getByRole('button', { name: 'Show menu' }).click());
  await step(() => page.getByRole('menuitem', { name: 'New Legacy' }).click());
  await step(() => classic().getByLabel(exactly('Label')).fill(NC));
  await step(() => page.keyboard.press('Tab'));
  await step(async () => { await classic().getByLabel(exactly('Name')).inputValue(); });
  await step(() => classic().getByLabel(exactly('URL')).fill(`${domain}/`));
  await step(() => classic().getByLabel('Identity Type').selectOption('Named Principal'));
  await step(() => classic().getByLabel('Authentication Protocol').selectOption('OAuth 2.0'));
  let popup;
  await step(async () => {
    [popup] = await Promise.all([context.waitForEvent('page'), classic().getByRole('link', { name: 'Authentication Provider Lookup (New Window)' }).click()]);
    current = popup;
  });
  await step(() => popup.frameLocator('frame[name=searchFrame]').getByLabel('Search').fill(PROVIDER));
  await step(() => popup.frameLocator('frame[name=searchFrame]').getByRole('button', { name: 'Go!' }).click());
  await step(async () => {
    const closed = popup.waitForEvent('close');
    // The link closes its own window: the click can see its page go away mid-action.
    await popup.frameLocator('frame[name=resultsFrame]').getByRole('link', { name: PROVIDER, exact: true }).click()
      .catch((e) => { if (!popup.isClosed() && !/has been closed/.test(String(e))) throw e; });
    await closed;
    current = page;
  });
  await step(() => expectValue(classic().getByLabel(exactly('Authentication Provider')), PROVIDER));
  await step(() => classic().getByLabel(exactly('Scope')).fill('refresh_token full'));
  await step(() => classic().getByLabel('Start Authentication Flow on Save').check());
  await step(() => classic().getByLabel('Generate Authorization Header').check());
  await step(() => classic().getByLabel('Allow Merge Fields in HTTP Header').check());
  await step(() => classic().getByRole('button', { name: 'Save' }).first().click());
  await oauthChain();
}

// Step 3: Authenticate the Named Credential (when a run stopped before Allow)
mark('Step 3: Authenticate the Named Credential');
await step(() => setup('Security', 'Named Credentials'));
await step(() => page.getByRole('link', { name: NC, exact: true }).click());
if (!(await present(classicPair('Authentication Status').filter({ hasText: 'Authenticated as' })))) {
  await step(() => setup('Security', 'Named Credentials'));
  await step(() => page.getByRole('link', { name: NC, exact: true }).click());
  await step(() => classic().getByRole('button', { name: 'Edit' }).first().click());
  await step(() => classic().getByLabel('Start Authentication Flow on Save').check());
  await step(() => classic().getByRole('button', { name: 'Save' }).first().click());
  await oauthChain();
}

// Step 4: Update AdvoLogix Global Configuration. Like the runbook's guard, read the
mark('Step 4: Update AdvoLogix Global Configuration');
// credential's Name afresh from the list.
let ncName;
await step(() => setup('Security', 'Named Credentials'));
await step(async () => { ncName = (await page.getByRole('row').filter({ hasText: NC }).locator('td:nth-child(2)').textContent()).trim(); });
await step(() => setup('Custom Code', 'Custom Metadata Types'));
await step(() => classic().getByRole('row').filter({ hasText: 'AdvoLogix Global Configurations' }).getByRole('link', { name: 'Manage Records' }).click());
if (!(await present(classic().getByRole('row').filter({ hasText: 'My Org Named Credential' }).filter({ hasText: ncName })))) {
  await step(() => setup('Custom Code', 'Custom Metadata Types'));
  await step(() => classic().getByRole('row').filter({ hasText: 'AdvoLogix Global Configurations' }).getByRole('link', { name: 'Manage Records' }).click());
  await step(() => classic().getByRole('row').filter({ hasText: 'My Org Named Credential' }).getByRole('link', { name: 'Edit' }).click());
  await step(() => classic().getByLabel('Named Credential API Name').fill(ncName));
  await step(() => classic().getByRole('button', { name: 'Save' }).first().click());
  await step(() => classicPair('Named Credential API Name').filter({ hasText: ncName }).waitFor());
}

mark('end');
await browser.close();
const usage = process.resourceUsage();
console.log(JSON.stringify({ steps, action_ms: Math.round(phases.action), picture_ms: Math.round(phases.picture), marks, wall_ms: Date.now() - started, cpu_ms: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), peak_rss_kb: usage.maxRSS }));

// SLDS checkboxes of lightning-input are visually hidden under the label's faux box:
// Playwright's check() refuses them, and even forced, its click at the input's centre does
// not toggle them. A person clicks the label's text, and only when the box is not yet as
// wanted.
async function setBox(p, label, on) {
  const box = p.getByLabel(exactly(label));
  if ((await box.isChecked()) === on) return;
  await p.getByText(label, { exact: true }).click();
  const deadline = Date.now() + 30_000;
  while ((await box.isChecked()) !== on) {
    if (Date.now() > deadline) throw new Error(`${label} did not become ${on ? 'checked' : 'unchecked'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expectValue(locator, want) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await locator.inputValue();
    if (want instanceof RegExp ? want.test(v) : v === want) return;
    if (Date.now() > deadline) throw new Error(`expected ${want}, found "${v}"`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The OAuth chain after the credential's Save runs inside the classic frame: the login
// page, then the approval page.
async function oauthChain() {
  await step(async () => {
    await classic().locator('#username').fill(user);
    await classic().locator('#password').fill(password);
    await classic().locator('#Login').click();
    await classic().locator('#password').waitFor({ state: 'detached' });
  });
  await step(() => classic().getByRole('button', { name: 'Allow' }).click());
  await step(() => classicPair('Authentication Status').filter({ hasText: 'Authenticated as' }).waitFor());
}
