// Where a point of the miniature falls on the view's annotation surface (0..1 of the
// picture, the page, or the view's box: docs/live.md), and back. The stage knows its
// surfaces (stage.surfaceAt, stage.surfaceRect: of a comparison, the half the keys drive);
// this adds what a drag needs, a point held at the surface's edge once the mouse left it.

const edge = (v) => Math.min(1, Math.max(0, v));

export function surface(stage) {
  function rect() {
    // in client pixels: surface (x, y) is at (left + x·width, top + y·height); null while
    // the view has no surface yet (a picture loading)
    const r = stage.surfaceRect();
    return r && r.width > 0 && r.height > 0 ? r : null;
  }

  function at(clientX, clientY, { clamp = false } = {}) {
    // [x, y] in 0..1, or null off what is seen of the surface; `clamp`: a drag that left
    // it is held at its edge
    const own = stage.surfaceAt(clientX, clientY);
    if (own || !clamp) return own || null;
    const r = rect();
    return r ? [edge((clientX - r.left) / r.width), edge((clientY - r.top) / r.height)] : null;
  }

  return { at, rect };
}
