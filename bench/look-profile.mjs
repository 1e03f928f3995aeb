// The in-page cost of a guarded picture's look (`shoot` with secrets known, every text
// answered afresh) on the simulator's Lightning pages, for two engines side by side in
// the same page: the one in this tree and the one in another checkout. Each call is timed
// by the page's clock; the engines alternate call by call.
//
//   node --experimental-websocket bench/look-profile.mjs OTHER_CHECKOUT [calls]
//   (after cargo build --release: the simulator is target/release/setupwright's)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { session } from './session.mjs';

const other = process.argv[2];
const calls = Number(process.argv[3] || 20);
const here = new URL('..', import.meta.url).pathname;

function engine(root) {
  const mod = readFileSync(root + '/src/locate/mod.rs', 'utf8');
  const files = [...mod.slice(0, mod.indexOf('pub const SCRIPT')).matchAll(/include_str!\("engine\/([\w.]+)"\)/g)].map((m) => m[1]);
  return "(() => {\n'use strict';\n" + files.map((f) => readFileSync(root + '/src/locate/engine/' + f, 'utf8')).join('') + '\nreturn main;\n})()';
}

const sim = spawn(here + 'target/release/setupwright', ['sim'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve) => {
  let buf = '';
  sim.stdout.on('data', (d) => { buf += d; const m = /My Domain\S*\s.*?(http\S+)/.exec(buf); if (m) resolve(m[1]); });
});
const s = await session({ port: 9645 });
// The engines run in a sandbox of their own, as setupwright's does.
const evaluate = async (expression, sandbox = true) => {
  const r = await s.cmd('script.evaluate', { expression, target: { context: s.ctx, sandbox: sandbox ? 'look-profile' : undefined }, awaitPromise: true });
  if (r.error || r.result.type === 'exception') throw new Error(JSON.stringify(r).slice(0, 600));
  return r.result.result;
};
const go = (u) => s.cmd('browsingContext.navigate', { context: s.ctx, url: u, wait: 'complete' });
try {
  await go(url + '/');
  await evaluate("document.getElementById('username').value = 'admin@example.com'; document.getElementById('password').value = 'Sim-Passw0rd!'; document.forms.login.submit(); 1", false);
  await new Promise((r) => setTimeout(r, 3000));
  for (const page of ['/lightning/setup/SetupOneHome/home', '/lightning/setup/NamedCredential/home']) {
    await go(url + page);
    await new Promise((r) => setTimeout(r, 3000));
    await evaluate(`window.__engNew = ${engine(here)}; window.__engOld = ${engine(other)}; 1`);
    const times = { new: [], old: [] };
    for (let i = 0; i < calls; i++) {
      for (const which of i % 2 ? ['old', 'new'] : ['new', 'old']) {
        const fn = which === 'new' ? '__engNew' : '__engOld';
        const r = await evaluate(`(async () => { const t = performance.now(); const a = await window.${fn}({ op: 'shoot', ms: 0, minLen: 6, specs: [], secrets: ${i + 1}, guard: true, since: {}, clean: {} }); return JSON.stringify({ ms: performance.now() - t, texts: a.texts.length, bytes: a.texts.join('').length }); })()`);
        times[which].push(JSON.parse(r.value));
      }
    }
    const med = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
    for (const which of ['old', 'new']) {
      const t = times[which];
      console.log(`${page} ${which}: ${med(t.map((x) => x.ms)).toFixed(1)} ms a look (median of ${calls}), ${t[0].texts} texts, ${t[0].bytes} characters`);
    }
  }
} finally {
  await s.close();
  sim.kill();
}
