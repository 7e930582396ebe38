// What is wrong with the court's picture on a screen: text smaller than the minimum (`minPx`
// on a picture 1080 px high, scaled with it), text outside the picture or cut by a box that
// hides its overflow, text over other text. Evaluated in the page by tests/screens.py.
(minPx) => {
  const canvas = document.querySelector('#stage .stage-canvas');
  const box = canvas.getBoundingClientRect();
  const scale = box.height / 1080;
  const least = minPx * scale - 0.5;
  const problems = [];
  const boxes = [];
  const name = (el) => {
    const cls = typeof el.className === 'string' ? el.className : el.getAttribute('class') || '';
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls.trim().split(/\s+/).join('.') : ''}`;
  };
  const inside = (r, o) => r.left >= o.left - 1 && r.right <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
  const walker = document.createTreeWalker(canvas, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    // the size drawn: a chart is laid out at 1080 px and scaled with the canvas
    let scale = 1;
    for (let a = el; a && a !== canvas; a = a.parentElement) {
      const t = getComputedStyle(a).transform;
      if (t && t !== 'none' && !(a instanceof SVGElement)) { const m = new DOMMatrix(t); scale *= Math.hypot(m.a, m.b); }
    }
    const size = parseFloat(getComputedStyle(el).fontSize) * scale;
    const what = `${name(el)} «${text.slice(0, 30)}»`;
    if (size < least) problems.push(`small: ${what} ${size.toFixed(1)}px < ${least.toFixed(1)}px`);
    for (const r of rects) {
      // a line drawn outside an ancestor's clip-path (a tall block's part on another page)
      // is not drawn at all
      let hidden = false;
      for (let a = el; a && a !== canvas; a = a.parentElement) {
        const clip = getComputedStyle(a).clipPath;
        if (clip && clip.startsWith('inset(')) {
          const [t, rt, b, l] = clip.slice(6, -1).split(/\s+/).map(parseFloat);
          const o = a.getBoundingClientRect();
          const seen = { left: o.left + (l ?? rt ?? t), right: o.right - (rt ?? t), top: o.top + t, bottom: o.bottom - (b ?? t) };
          if (r.bottom <= seen.top + 1 || r.top >= seen.bottom - 1) { hidden = true; break; }
        }
      }
      if (hidden) continue;
      if (!inside(r, box)) { problems.push(`outside the picture: ${what}`); break; }
      let clipped = null;
      for (let a = el; a && a !== canvas; a = a.parentElement) {
        const s = getComputedStyle(a);
        if ((s.overflowX !== 'visible' || s.overflowY !== 'visible') && !inside(r, a.getBoundingClientRect())) { clipped = a; break; }
      }
      if (clipped) { problems.push(`cut by ${name(clipped)}: ${what}`); break; }
      boxes.push({ el, r, what });
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 2 && w * h > 0.2 * Math.min(a.r.width * a.r.height, b.r.width * b.r.height)) {
        problems.push(`over each other: ${a.what} / ${b.what}`);
      }
    }
  }
  return [...new Set(problems)];
}
