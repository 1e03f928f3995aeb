// Run in the engine's sandbox at the start of every document, before any of the page's
// scripts (a BiDi preload script): the first listeners at the window in the capture
// phase are these, so a click's guard (guard.js) judges and stops a pointer's events
// before even the page's own window listeners see them. Listeners added later would
// come after the page's, which would act on a click the guard then stops.
// The events are guard.js's GUARDED_EVENTS.
() => {
  const hook = (e) => {
    const guard = globalThis.setupwrightClickGuard;
    if (guard) guard(e);
  };
  for (const t of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click', 'auxclick', 'dblclick', 'contextmenu']) {
    window.addEventListener(t, hook, true);
  }
  globalThis.setupwrightGuardHooked = true;
}
