// What a script.callFunction answer costs by its shape, through chromedriver's WebDriver
// BiDi (chromium-bidi, which runs in a tab of its own): a locate-sized answer as an object
// (a tree of typed values at every hop), the same answer as one JSON text with its
// elements apart (as `src/driver/bidi_value.rs` packs it), and a bare `1`. Prints, per
// call, the wall time and each process's CPU from /proc (driver = chromedriver, browser,
// rN = renderer N: one is the page, one chromium-bidi's tab).
//
//   node --experimental-websocket bench/bidi-answer.mjs      (Node 20; 22 has WebSocket)
import { readFileSync, readdirSync } from 'node:fs';
import { session } from './session.mjs';
const { cmd, ctx, close } = await session({ port: 19518 });
await cmd('browsingContext.navigate', { context: ctx, url: 'data:text/html,' + encodeURIComponent('<p>x</p>'.repeat(50) + '<button>b</button>'), wait: 'complete' });
const tick = 100;
const cpu = () => { const out = {}; for (const p of readdirSync('/proc')) { if (!/^\d+$/.test(p)) continue; try { const c = readFileSync(`/proc/${p}/cmdline`, 'utf8'); if (!/chrom/.test(c)) continue; const st = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); const m = c.match(/renderer-client-id=(\d+)/); const k = (m ? 'r' + m[1] : (c.match(/--type=([a-z-]+)/) || [0, c.includes('chromedriver') ? 'driver' : 'browser'])[1]) + ':' + p; out[k] = (+st[11] + +st[12]) * 1000 / tick; } catch (e) {} } return out; };
const answer = `({ doc: 'abc', dpr: 1, settled: true, settleMs: 0.5, same: false, gen: 12, serial: 3,
  rects: Array.from({length: 30}, (_, i) => [i, i*2, 100, 20]), texts: Array.from({length: 20}, (_, i) => 'some text of the page ' + i),
  transient: [], overflow: null, opaque: 0, frames: [], unchanged: true, hosts: Array.from(document.querySelectorAll('p')).slice(0, 10) })`;
const variants = {
  plain: '() => 1',
  object: `() => ${answer}`,
  json: `() => { const a = ${answer}; const els = []; const t = JSON.stringify(a, (k, v) => (v instanceof Element) ? { $el: els.push(v) - 1 } : v); return [t, ...els]; }`,
};
const N = 200;
for (let round = 0; round < 3; round++) {
  for (const [k, fn] of Object.entries(variants)) {
    const c0 = cpu(); const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const r = await cmd('script.callFunction', { functionDeclaration: fn, awaitPromise: true, resultOwnership: 'none', serializationOptions: { maxDomDepth: 0, includeShadowTree: 'none' }, target: { context: ctx, sandbox: 'sw' } });
      if (r.type !== 'success' || r.result.type === 'exception') { console.log('ERR', k, JSON.stringify(r).slice(0, 300)); break; }
    }
    const wall = (performance.now() - t0) / N; const c1 = cpu();
    const d = Object.keys(c1).map((p) => [p, ((c1[p] - (c0[p] || 0)) / N).toFixed(2)]).filter(([, v]) => v > 0);
    console.log(round, k.padEnd(7), 'wall ms/call', wall.toFixed(2), 'cpu ms/call', d.map(([p, v]) => p + '=' + v).join(' '));
  }
}
await close(); process.exit(0);
