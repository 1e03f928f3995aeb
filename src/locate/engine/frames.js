// The frames a person can see, with each one's place in `window.frames` (what
// WebDriver's Switch To Frame takes as a number) and its window (which comes back to
// the executor as its BiDi context).
function frames(everything) {
  const wins = Array.from({ length: window.frames.length }, (_, i) => window.frames[i]);
  return everything.filter((e) => (e.tagName === 'IFRAME' || e.tagName === 'FRAME') && visible(e))
    .map((el) => ({ el, name: el.name || el.id || '', title: el.title || '', src: el.getAttribute('src') || '',
      index: wins.indexOf(el.contentWindow), win: el.contentWindow }));
}

