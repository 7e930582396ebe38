// Documents: the page of the state, rendered by the server; callouts are cut from it.
export function documentView(root, step, state) {
  const img = root.querySelector("img.pdf-page");
  if (!img) return;
  const page = Math.min(Math.max(1, state.page || 1), Number(img.dataset.pages));
  // of several documents, the one shown (`?file=`)
  const query = img.dataset.query || "";
  const src = `${img.dataset.base}/${page}.png${query}`;
  if (!img.src.endsWith(src)) img.src = src;
  img.dataset.crop = `${src}${query ? "&" : "?"}region=`;
  root.querySelector(".page-number .current").textContent = String(page);
}
