// Whether a picture and an engine call can overlap in time: the capture
// (Page.captureScreenshot, optimizeForSpeed) through chromedriver's classic passthrough
// (HTTP goog/cdp/execute, what setupwright uses) or through BiDi's goog:cdp.sendCommand,
// alone, and at once with a script.callFunction that walks the page (a stand-in for a
// locate). Prints the median of each, in ms, over ROUNDS rounds.
//
//   node --experimental-websocket bench/overlap.mjs      (Node 20; 22 has WebSocket)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { session } from './session.mjs';
const ROUNDS = 60;
const html = readFileSync(new URL('./page.html', import.meta.url), 'utf8');
const site = createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(html); });
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const { http, cmd, sid, ctx, close } = await session({ port: 19521, args: ['--window-size=1280,900'] });
await http('POST', `/session/${sid}/url`, { url: `http://127.0.0.1:${site.address().port}/` });
await new Promise((r) => setTimeout(r, 1500));
const cdpSession = (await cmd('goog:cdp.getSession', { context: ctx })).result.session;
const shotParams = { format: 'png', optimizeForSpeed: true };
const classicShot = async () => { const r = await http('POST', `/session/${sid}/goog/cdp/execute`, { cmd: 'Page.captureScreenshot', params: shotParams }); if (!r.value || !r.value.data) throw new Error(JSON.stringify(r).slice(0, 200)); };
const bidiShot = async () => { const r = await cmd('goog:cdp.sendCommand', { method: 'Page.captureScreenshot', params: shotParams, session: cdpSession }); if (!r.result || !r.result.result || !r.result.result.data) throw new Error(JSON.stringify(r).slice(0, 200)); };
const walk = `() => { let n = 0, a = 0; for (const e of document.querySelectorAll('*')) { const r = e.getBoundingClientRect(); a += r.width; n++; } return JSON.stringify([n, a]); }`;
const look = async () => { const r = await cmd('script.callFunction', { functionDeclaration: walk, awaitPromise: false, target: { context: ctx, sandbox: 'bench' } }); if (r.type !== 'success') throw new Error(JSON.stringify(r).slice(0, 200)); };
const time = async (f) => { const t0 = performance.now(); const inner = await f(); return typeof inner === 'number' ? inner : performance.now() - t0; };
const ways = {
  'engine call alone': look,
  'classic capture alone': classicShot,
  'classic capture, then engine call': async () => { await classicShot(); await look(); },
  'classic capture || engine call': () => Promise.all([classicShot(), look()]),
  '  the engine call in it': async () => { const p = classicShot(); const t0 = performance.now(); await look(); const t = performance.now() - t0; await p; return t; },
  'BiDi capture alone': bidiShot,
  'BiDi capture, then engine call': async () => { await bidiShot(); await look(); },
  'BiDi capture || engine call': () => Promise.all([bidiShot(), look()]),
  '  the engine call in it ': async () => { const p = bidiShot(); const t0 = performance.now(); await look(); const t = performance.now() - t0; await p; return t; },
};
const res = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) for (const [k, f] of Object.entries(ways)) res[k].push(await time(f));
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const [k, a] of Object.entries(res)) console.log(k.padEnd(36), 'median', med(a).toFixed(1), ' min', Math.min(...a).toFixed(1));
await close(); site.close(); process.exit(0);
