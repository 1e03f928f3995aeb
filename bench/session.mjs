// A chromedriver of its own and a headless Chromium session with WebDriver BiDi, for the
// probes in this folder: classic commands by HTTP (`http`, `post`), BiDi commands over the
// session's WebSocket (`cmd`), the first tab's BiDi context (`ctx`). `close` ends both.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';

export const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function session({ port, args = [] }) {
  const driver = spawn('chromedriver', [`--port=${port}`], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 800));
  const http = async (method, path, body) => (await fetch(`http://127.0.0.1:${port}${path}`, { method, body: body && JSON.stringify(body), headers: { 'content-type': 'application/json' } })).json();
  const post = (path, body) => http('POST', path, body);
  const s = await post('/session', { capabilities: { alwaysMatch: { webSocketUrl: true, 'goog:chromeOptions': { binary: '/usr/bin/chromium', args: [...FLAGS, ...args, '--user-data-dir=' + mkdtempSync('/tmp/ud-')] } } } });
  const sid = s.value.sessionId;
  const ws = new WebSocket(s.value.capabilities.webSocketUrl);
  await new Promise((r) => ws.addEventListener('open', r));
  let id = 0;
  const pending = new Map();
  ws.addEventListener('message', (m) => { const v = JSON.parse(m.data); if (v.id && pending.has(v.id)) { pending.get(v.id)(v); pending.delete(v.id); } });
  const cmd = (method, params) => new Promise((r) => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })); });
  const ctx = (await cmd('browsingContext.getTree', {})).result.contexts[0].context;
  const close = async () => { await http('DELETE', `/session/${sid}`); driver.kill(); };
  return { http, post, cmd, sid, ctx, close };
}
