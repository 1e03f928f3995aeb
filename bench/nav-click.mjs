// What chromedriver's wait for the page a click starts costs: a click on a link by
// classic Perform Actions (chromedriver returns once the new page has loaded) against
// BiDi input.performActions (returns once the events are dispatched), each timed to its
// return and to the new document's readyState "complete" (polled every 5 ms by BiDi
// script.evaluate). The pages (a link and 200 paragraphs each) are served here.
//
//   node --experimental-websocket bench/nav-click.mjs      (Node 20; 22 has WebSocket)
import { createServer } from 'node:http';
import { session } from './session.mjs';
const site = createServer((req, res) => {
  const n = parseInt((req.url.match(/p(\d+)/) || [0, '0'])[1], 10);
  res.setHeader('content-type', 'text/html');
  res.end(`<!doctype html><title>p${n}</title><body style="margin:0"><a href="/p${n + 1}.html" style="display:block;width:300px;height:100px">next</a>` +
    Array.from({ length: 200 }, (_, k) => `<p>paragraph ${k} of page</p>`).join('') + '</body>');
});
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${site.address().port}`;
const { http, cmd, sid, ctx, close } = await session({ port: 19519 });
await http('POST', `/session/${sid}/url`, { url: `${base}/p0.html` });
let page = 0;
const title = async () => { const r = await cmd('script.evaluate', { expression: 'document.readyState + " " + document.title', awaitPromise: false, target: { context: ctx } }); return r.result && r.result.result ? r.result.result.value : 'gone'; };
const untilLoaded = async (want) => { for (;;) { const t = await title(); if (t === 'complete p' + want) return; await new Promise((r) => setTimeout(r, 5)); } };
const res = { classic: [], bidi: [] };
for (let round = 0; round < 10; round++) {
  for (const how of ['classic', 'bidi']) {
    const t0 = performance.now();
    const act = [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', x: 50, y: 50, duration: 0, origin: 'viewport' }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }];
    if (how === 'classic') await http('POST', `/session/${sid}/actions`, { actions: act });
    else await cmd('input.performActions', { context: ctx, actions: act });
    const t1 = performance.now();
    page++;
    await untilLoaded(page);
    const t2 = performance.now();
    res[how].push([t1 - t0, t2 - t0]);
  }
}
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const [k, a] of Object.entries(res)) console.log(k, 'command returns (median ms)', med(a.map((x) => x[0])).toFixed(1), ' new page complete', med(a.map((x) => x[1])).toFixed(1), ' all:', a.map((x) => x[0].toFixed(0) + '/' + x[1].toFixed(0)).join(' '));
await close(); site.close(); process.exit(0);
