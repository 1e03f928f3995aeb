// What the simulator's pages share: chaos timings and the toast every save shows.
import Toast from 'lightning/toast';

export function timings(data) {
  const c = (data && data.chaos) || {};
  return { rerenderMs: c.rerender_ms || 0, saveMs: c.save_ms || 0 };
}

// The toast a save shows, as Lightning shows it.
export function toast(owner, variant, label, message) {
  Toast.show({ label, message, variant, mode: 'dismissible' }, owner);
}

// Calls `rerender` once after `ms` when chaos asks for it: the element it swaps is new, so
// any reference a client took before is stale.
export function scheduleRerender(ms, rerender) {
  if (ms > 0) setTimeout(rerender, ms);
}

export async function post(url, body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

export const wait = (ms) => new Promise((r) => setTimeout(r, ms));
