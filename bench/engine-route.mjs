// The way an engine call takes to the page: WebDriver BiDi script.callFunction in the
// sandbox (through chromedriver and chromium-bidi's tab, as setupwright calls now)
// against chromedriver's classic DevTools passthrough (HTTP goog/cdp/execute,
// Runtime.callFunctionOn in the same sandbox's isolated world, which chromedriver sends
// straight to the page). Both send the request as one JSON text and return the same
// locate-sized answer as one JSON text, as setupwright's calls do.
// Prints per call the wall time and each process's CPU from /proc.
//
//   node --experimental-websocket bench/engine-route.mjs      (Node 20; 22 has WebSocket)
import { readFileSync, readdirSync } from 'node:fs';
import { session } from './session.mjs';
const { post, cmd, sid, ctx, close } = await session({ port: 19522 });
await cmd('browsingContext.navigate', { context: ctx, url: 'data:text/html,' + encodeURIComponent('<p>x</p>'.repeat(50) + '<button>b</button>'), wait: 'complete' });
const cdp = async (c, params) => { const r = await post(`/session/${sid}/goog/cdp/execute`, { cmd: c, params }); if (!r.value || r.value.error) throw new Error(JSON.stringify(r).slice(0, 300)); return r.value; };
// The sandbox as BiDi made it, then the same world by name through DevTools.
await cmd('script.callFunction', { functionDeclaration: '() => { globalThis.mark = 42; }', awaitPromise: false, target: { context: ctx, sandbox: 'sw' } });
const frameId = (await cdp('Page.getFrameTree', {})).frameTree.frame.id;
const world = (await cdp('Page.createIsolatedWorld', { frameId, worldName: 'sw' })).executionContextId;
const same = (await cdp('Runtime.evaluate', { expression: 'globalThis.mark', contextId: world, returnByValue: true })).result.value;
console.log('the DevTools world is the BiDi sandbox:', same === 42);
const tick = 100;
const cpu = () => { const out = {}; for (const p of readdirSync('/proc')) { if (!/^\d+$/.test(p)) continue; try { const c = readFileSync(`/proc/${p}/cmdline`, 'utf8'); if (!/chrom/.test(c)) continue; const st = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); const m = c.match(/renderer-client-id=(\d+)/); const k = (m ? 'r' + m[1] : (c.match(/--type=([a-z-]+)/) || [0, c.includes('chromedriver') ? 'driver' : 'browser'])[1]); out[k] = (out[k] || 0) + (+st[11] + +st[12]) * 1000 / tick; } catch (e) {} } return out; };
const answer = `({ doc: 'abc', dpr: 1, settled: true, settleMs: 0.5, same: false, gen: 12, serial: 3,
  rects: Array.from({length: 30}, (_, i) => [i, i*2, 100, 20]), texts: Array.from({length: 20}, (_, i) => 'some text of the page ' + i),
  transient: [], overflow: null, opaque: 0, frames: [], unchanged: true })`;
const fn = `(req) => JSON.stringify(${answer})`;
const ways = {
  bidi: async () => { const r = await cmd('script.callFunction', { functionDeclaration: fn, arguments: [{ type: 'string', value: '[{"op":"shoot"}]' }], awaitPromise: true, resultOwnership: 'none', target: { context: ctx, sandbox: 'sw' } }); if (r.type !== 'success' || r.result.type === 'exception') throw new Error(JSON.stringify(r).slice(0, 300)); },
  devtools: async () => { const r = await cdp('Runtime.callFunctionOn', { functionDeclaration: fn, arguments: [{ value: '[{"op":"shoot"}]' }], executionContextId: world, awaitPromise: true, returnByValue: true }); if (r.exceptionDetails) throw new Error('exception'); },
};
const N = 200;
for (let round = 0; round < 3; round++) {
  for (const [k, f] of Object.entries(ways)) {
    const c0 = cpu(); const t0 = performance.now();
    for (let i = 0; i < N; i++) await f();
    const wall = (performance.now() - t0) / N; const c1 = cpu();
    const d = Object.keys(c1).map((p) => [p, ((c1[p] - (c0[p] || 0)) / N)]).filter(([, v]) => v > 0);
    const all = d.reduce((a, [, v]) => a + v, 0);
    console.log(round, k.padEnd(9), 'wall ms/call', wall.toFixed(2), 'cpu ms/call', all.toFixed(2), d.map(([p, v]) => p + '=' + v.toFixed(2)).join(' '));
  }
}
await close(); process.exit(0);
