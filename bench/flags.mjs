// Chromium flags and the picture: per flag set, the median wall time of a capture
// (Page.captureScreenshot, optimizeForSpeed, through chromedriver's passthrough), of two
// animation frames awaited in the page (what a stillness check waits), and Chromium's CPU
// while the page sits idle with a spinner turning (what an unthrottled frame rate costs).
//
//   node --experimental-websocket bench/flags.mjs [ROUNDS]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { execSync } from 'node:child_process';
import { session } from './session.mjs';
const ROUNDS = Number(process.argv[2] || 3);
const SHOTS = 30;
const html = readFileSync(new URL('./page.html', import.meta.url), 'utf8')
  .replace('</body>', '<div style="width:20px;height:20px;border:3px solid #06c;border-top-color:transparent;border-radius:50%;animation:spin 1s linear infinite"></div><style>@keyframes spin{to{transform:rotate(360deg)}}</style></body>');
const site = createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(html); });
await new Promise((r) => site.listen(0, '127.0.0.1', r));
const sets = {
  default: [],
  'disable-gpu-vsync': ['--disable-gpu-vsync'],
  'disable-frame-rate-limit': ['--disable-frame-rate-limit', '--disable-gpu-vsync'],
};
const cpuOf = () => Number(execSync("ps -C chromium -o times= | awk '{s+=$1} END {print s+0}'").toString());
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const results = Object.fromEntries(Object.keys(sets).map((k) => [k, { shot: [], frames: [], idle: [] }]));
let port = 19540;
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, args] of Object.entries(sets)) {
    const { http, sid, close } = await session({ port: port++, args: ['--window-size=1366,900', ...args] });
    await http('POST', `/session/${sid}/url`, { url: `http://127.0.0.1:${site.address().port}/` });
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < SHOTS; i++) {
      let t0 = performance.now();
      const r = await http('POST', `/session/${sid}/goog/cdp/execute`, { cmd: 'Page.captureScreenshot', params: { format: 'png', optimizeForSpeed: true } });
      if (!r.value || !r.value.data) throw new Error(JSON.stringify(r).slice(0, 200));
      results[name].shot.push(performance.now() - t0);
      t0 = performance.now();
      await http('POST', `/session/${sid}/execute/async`, { script: 'const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(1)));', args: [] });
      results[name].frames.push(performance.now() - t0);
    }
    const c0 = cpuOf();
    await new Promise((r) => setTimeout(r, 3000));
    results[name].idle.push((cpuOf() - c0) / 3);
    await close();
  }
}
for (const [name, r] of Object.entries(results)) {
  console.log(`${name.padEnd(26)} capture ${median(r.shot).toFixed(1)} ms, two frames ${median(r.frames).toFixed(1)} ms, idle CPU ${(100 * median(r.idle)).toFixed(0)}% of a core`);
}
site.close();
