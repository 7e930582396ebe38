// Documents: the page of the state, rendered by the server; callouts are cut from it.
export function documentView(root, step, state) {
  const img = root.querySelector("img.pdf-page");
  if (!img) return;
  const page = Math.min(Math.max(1, state.page || 1), Number(img.dataset.pages));
  const src = `${img.dataset.base}/${page}.png`;
  if (!img.src.endsWith(src)) img.src = src;
  img.dataset.crop = `${src}?region=`;
  root.querySelector(".page-number .current").textContent = String(page);
}
