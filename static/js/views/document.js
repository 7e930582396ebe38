// Documents: the page of the state, rendered by the server; callouts are cut from it.
export function documentView(root, step, state, stage) {
  const img = root.querySelector("img.pdf-page");
  if (!img) return;
  const page = Math.min(Math.max(1, state.page || 1), Number(img.dataset.pages));
  // of several documents, the one shown (`?file=`); a public screen's at the redaction's
  // version (stage.picture)
  const query = img.dataset.query || "";
  const src = stage.picture(`${img.dataset.base}/${page}.png${query}`);
  if (img.getAttribute("src") !== src) img.src = src;
  img.dataset.crop = `${src}${src.includes("?") ? "&" : "?"}region=`;
  root.querySelector(".page-number .current").textContent = String(page);
}
