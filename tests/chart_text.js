// What is wrong with the text of the chart figure on a screen: any text under the minimum
// size (`minPx` on a picture 1080 px high, scaled with it), any text cut by the figure's
// edge, any two texts over each other. Every <text> of the figure's SVG is measured as
// drawn (its bounding box on the screen); texts hidden or empty are not. Evaluated in the
// page by tests/test_chart_reading.py; [] when all reads. Given `{ frame }` (a selector)
// instead of a size, the figure in that frame of another page (a pre-trial bundle's, sized
// to the reader's window): overlaps and cuts only.
(minPx) => {
  const other = typeof minPx === 'object' ? document.querySelector(minPx.frame) : null;
  const plot = other || document.querySelector('#stage .stage-canvas [data-role=chart]');
  if (!plot) return ['no figure on the screen'];
  const edge = plot.getBoundingClientRect();
  const canvas = other ? null : document.querySelector('#stage .stage-canvas').getBoundingClientRect();
  const least = other ? 0 : minPx * (canvas.height / 1080) - 0.5;
  const problems = [];
  const boxes = [];
  const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
    && getComputedStyle(el).fillOpacity !== '0';
  for (const el of plot.querySelectorAll('svg text')) {
    const text = el.textContent.trim();
    if (!text || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5) continue;
    // the size drawn: the font size times every scale between the text and the screen
    const matrix = el.getScreenCTM();
    const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
    const size = parseFloat(getComputedStyle(el).fontSize) * scale;
    const what = `«${text.slice(0, 40)}»`;
    if (size < least) problems.push(`small: ${what} ${size.toFixed(1)}px < ${least.toFixed(1)}px`);
    if (r.left < edge.left - 1 || r.right > edge.right + 1 || r.top < edge.top - 1 || r.bottom > edge.bottom + 1) {
      problems.push(`cut by the figure's edge: ${what}`);
    }
    boxes.push({ el, r, what });
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      // a text's box holds the font's whole line (Noto CJK's is 1.45 em): lines closer than
      // that touch without any glyph touching, so an eighth of a line is allowed
      if (w > 2 && h > 0.125 * Math.min(a.r.height, b.r.height)) {
        problems.push(`over each other: ${a.what} / ${b.what}`);
      }
    }
  }
  return [...new Set(problems)];
}
