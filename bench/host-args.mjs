// What a closed-root hand-over's elements cost as arguments: a BiDi script.callFunction
// given 13 elements as shared references (each resolved by chromium-bidi with a DOM round
// trip, and released after) against one that reads the same 13 elements from the
// sandbox, both answering them serialized with their shadow trees. Prints per call the
// wall time and all processes' CPU (from /proc), alternating, three rounds of 200.
//
//   node --experimental-websocket bench/host-args.mjs      (Node 20; 22 has WebSocket)
import { readFileSync, readdirSync } from 'node:fs';
import { session } from './session.mjs';
const { cmd, ctx, close } = await session({ port: 19529 });
const page = '<body>' + Array.from({ length: 40 }, (_, i) => `<x-card${i % 3}><p>card ${i}</p></x-card${i % 3}>`).join('') + '</body>';
await cmd('browsingContext.navigate', { context: ctx, url: 'data:text/html,' + encodeURIComponent(page), wait: 'complete' });
const tick = 100;
const cpu = () => { let all = 0; for (const p of readdirSync('/proc')) { if (!/^\d+$/.test(p)) continue; try { const c = readFileSync(`/proc/${p}/cmdline`, 'utf8'); if (!/chrom/.test(c)) continue; const st = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' '); all += (+st[11] + +st[12]) * 1000 / tick; } catch (e) {} } return all; };
const opts = { awaitPromise: false, resultOwnership: 'none', serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' }, target: { context: ctx, sandbox: 'sw' } };
const kept = await cmd('script.callFunction', { functionDeclaration: `() => { globalThis.hosts = Array.from(document.querySelectorAll('body > *')).slice(0, 13); return globalThis.hosts; }`, ...opts });
const ids = kept.result.result.value.map((n) => ({ sharedId: n.sharedId }));
const ways = {
  'as arguments': () => cmd('script.callFunction', { functionDeclaration: '(...hosts) => hosts', arguments: ids, ...opts }),
  'from the sandbox': () => cmd('script.callFunction', { functionDeclaration: '() => globalThis.hosts', ...opts }),
};
const N = 200;
for (let round = 0; round < 3; round++) {
  for (const [k, f] of Object.entries(ways)) {
    const c0 = cpu(); const t0 = performance.now();
    for (let i = 0; i < N; i++) { const r = await f(); if (r.type !== 'success' || r.result.result.value.length !== 13) throw new Error(JSON.stringify(r).slice(0, 300)); }
    console.log(round, k.padEnd(17), 'wall ms/call', ((performance.now() - t0) / N).toFixed(2), 'cpu ms/call', ((cpu() - c0) / N).toFixed(2));
  }
}
await close(); process.exit(0);
