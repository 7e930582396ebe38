// 保存为演示材料 (Shift+S): the view the keys drive, with its marks, saved by the server as a
// PNG in the instance folder, hashed and written to the record, as a demonstrative made in
// court (the `demonstrative` command). The page says which file it made and the start of
// its hash, or why it made none.
import { $ } from "./dom.js";

export function start({ store, send, ui }) {
  const button = $("demonstrative");
  const result = $("demonstrative-result");
  let busy = false;

  async function save() {
    if (busy) return; // one at a time: a second press while saving makes no second file
    busy = true;
    button.disabled = true;
    result.classList.remove("failed");
    result.removeAttribute("title");
    result.textContent = ui.demonstrative_saving;
    try {
      // a view without a picture of its own (a chat, a table, code, a chart) exists only as the
      // browser lays it out: the miniature, drawn as it is, goes with the command (the server
      // uses it only for such a view, and draws it again)
      const png = await capture($("stage")).catch((error) => console.warn("capture", String(error)) ?? null);
      const answer = await send(png ? { action: "demonstrative", png } : { action: "demonstrative" });
      if (answer.ok) {
        const start = String(answer.sha256).slice(0, 16);
        result.textContent = `${ui.demonstrative_saved} ${answer.file} · SHA-256 ${start}…`;
        result.title = answer.sha256; // the whole of it, to read out if asked
      } else {
        const reasons = store.get().deck.reasons;
        const why = reasons[answer.error] || (answer.error === "offline" ? ui.offline : answer.error);
        result.textContent = ui.demonstrative_failed.replace("{why}", why);
        result.classList.add("failed");
      }
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  button.addEventListener("click", save);
  return { save };
}

const SCALE = 2; // pixels of the capture per pixel of the miniature: sharp enough to read

async function capture(stageEl) {
  // the miniature as a PNG: its DOM and the page's style sheets in an SVG picture, drawn on a
  // canvas (an SVG picture loads nothing: the view's text and vector charts are what it holds)
  const { width, height } = stageEl.getBoundingClientRect();
  if (!width || !height) return null;
  let css = "";
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) css += `${rule.cssText}\n`;
  }
  const clone = stageEl.cloneNode(true);
  clone.removeAttribute("id");
  clone.style.width = `${width}px`;
  clone.style.height = `${height}px`;
  clone.style.fontFamily = getComputedStyle(document.body).fontFamily;
  for (const img of clone.querySelectorAll("img")) img.remove(); // never loaded in a picture
  const html = new XMLSerializer().serializeToString(clone);
  const style = new XMLSerializer().serializeToString(Object.assign(document.createElement("style"), { textContent: css }));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<foreignObject width="100%" height="100%"><div xmlns="http://www.w3.org/1999/xhtml">${style}${html}</div></foreignObject></svg>`;
  // a data: address, not a blob: one, which would taint the canvas in Chromium
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  {
    const picture = new Image();
    picture.src = url;
    await picture.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * SCALE);
    canvas.height = Math.round(height * SCALE);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/png"));
    return blob && blob.size < 4e6 ? await blob.arrayBuffer() : null;
  }
}
