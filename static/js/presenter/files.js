// An exhibit of several files (a gallery of pictures, a code folder, a few documents or
// recordings): the presenter's picker under the miniature, thumbnails or names, the one on
// the screens marked; a click, or , and . (previous, next), shows another on every screen.
// The list is the one the miniature was drawn with (the view's hidden .file-list), so it
// names what the screens name, and only what they may show.
import { $, element } from "./dom.js";

export function start({ store, send, data }) {
  const stageEl = $("stage");
  const known = new Map(); // item@deck -> its files, kept while another panel is shown
  const picker = element("div", undefined, "file-picker");
  picker.id = "file-picker";
  picker.hidden = true;
  const back = element("button", "‹ (,)");
  back.type = "button";
  back.title = ",";
  back.dataset.by = "-1";
  const forward = element("button", "(.) ›");
  forward.type = "button";
  forward.title = ".";
  forward.dataset.by = "1";
  const choices = element("ol", undefined, "file-choices");
  const count = element("span", undefined, "file-count");
  picker.append(back, count, choices, forward);
  document.querySelector(".mini-frame").after(picker);

  const listed = () =>
    [...stageEl.querySelectorAll(".stage-content .file-list li[data-index]")].map((li) => ({
      index: Number(li.dataset.index),
      name: li.textContent,
      thumb: li.dataset.thumb || null,
    }));

  store.subscribe(
    (s) => {
      if (!s.applied || !s.state) return null;
      const key = `${s.applied.item}@${s.decks}`;
      const files = listed();
      if (files.length) known.set(key, files);
      return { key, file: s.state.file || 0, files: known.get(key) || [] };
    },
    (slice) => slice && draw(slice),
  );

  function draw({ file, files }) {
    picker.hidden = files.length < 2;
    picker.dataset.file = String(file);
    count.textContent = files.length ? `${data.verify?.file || ""} ${file + 1}/${files.length}` : "";
    choices.replaceChildren(
      ...files.map((f) => {
        const li = element("li", undefined, f.index === file ? "current" : undefined);
        const button = element("button", undefined, f.thumb ? "thumb" : "name");
        button.type = "button";
        button.dataset.index = String(f.index);
        button.title = f.name;
        if (f.thumb) {
          const img = element("img");
          img.src = f.thumb;
          img.alt = f.name;
          button.append(img);
        } else {
          button.textContent = f.name;
        }
        li.append(button);
        return li;
      }),
    );
    picker.querySelector(".current")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  picker.addEventListener("click", (event) => {
    const chosen = event.target.closest("button[data-index]");
    if (chosen) {
      send({ action: "file", index: Number(chosen.dataset.index) });
      return;
    }
    const step = event.target.closest("button[data-by]");
    if (step) go(Number(step.dataset.by));
  });

  function go(by) {
    // the next or previous file of the exhibit on screen; nothing past either end
    const s = store.get();
    const files = known.get(`${s.state?.item}@${s.decks}`) || [];
    const index = (s.state?.file || 0) + by;
    if (files.length > 1 && index >= 0 && index < files.length) send({ action: "file", index });
  }

  return { go };
}
