// Redaction for the public gallery's screen (遮挡（旁听席）): the boxes drawn live on the view
// on screen (draw.js draws them with the 遮挡 tool), listed with 移除; the numbers the server
// detected in pictures and pages, waiting for the presenter's word (确认遮挡 / 不遮挡). Until a
// decision the server blacks them out anyway (fail closed). The miniature outlines the
// detected numbers of the view on screen (the stage outlines the live boxes): the pictures
// the public screen is sent are blacked out by the server, never here.
import { $, element } from "./dom.js";
import { current } from "./store.js";
import { surface } from "./surface.js";

const SVG = "http://www.w3.org/2000/svg";

export function viewOf(s) {
  // the view a live box belongs to: exhibit, file (index among those shown), page (1-based
  // for a document, 1 otherwise); null where there is no picture of an exhibit
  if (!s.state?.item || s.state.case || s.state.panel !== "content") return null;
  const paged = current(s)?.view === "document";
  return { item: s.state.item, file: s.state.file || 0, page: paged ? s.state.page || 1 : 1 };
}

const on = (view) => (b) =>
  !!view && b.item === view.item && (b.file ?? 0) === view.file && (b.page ?? 1) === view.page;

export function start({ store, send, stage, ui }) {
  const stageEl = $("stage");
  const area = surface(stage);
  const outlines = document.createElementNS(SVG, "svg");
  outlines.classList.add("redact-outlines");
  stageEl.parentElement.append(outlines);

  const percent = (v) => `${Math.round(v * 100)}%`;
  const button = (text, data) => {
    const b = element("button", text);
    b.type = "button";
    Object.assign(b.dataset, data);
    return b;
  };

  // --- the live boxes of the view on screen ----------------------------------------------
  store.subscribe(
    (s) => (s.state ? [viewOf(s), s.state.redaction?.boxes || []] : null),
    (slice) => slice && drawBoxes(...slice),
  );
  function drawBoxes(view, boxes) {
    const here = boxes.map((box, index) => ({ ...box, index })).filter(on(view));
    const items = here.map((b, n) => {
      const li = element("li");
      const [x, y, w, h] = b.box;
      li.append(
        element("span", ui.redact_box.replace("{n}", n + 1), "name"),
        element("span", `${percent(x)}, ${percent(y)} · ${percent(w)} × ${percent(h)}`, "where"),
        button(ui.redact_remove, { remove: String(b.index) }),
      );
      return li;
    });
    if (here.length > 1) {
      const all = element("li", undefined, "all");
      all.append(button(ui.redact_clear, { clear: "1" }));
      items.push(all);
    }
    $("redact-boxes").replaceChildren(...(items.length ? items : [element("li", ui.redact_none, "none")]));
    outline();
  }
  $("redact-boxes").addEventListener("click", (event) => {
    const remove = event.target.closest("button[data-remove]");
    if (remove) send({ action: "redact", op: "remove", index: Number(remove.dataset.remove) });
    if (event.target.closest("button[data-clear]")) send({ action: "redact", op: "clear" });
  });

  // --- detected numbers waiting for a decision -------------------------------------------
  const waiting = (s) => {
    const decisions = s.state?.redaction?.decisions || {};
    // decided in court (the state), or before it (`check --redactions`: the server's status)
    return (s.proposals || []).filter((p) => !decisions[p.id] && (p.status || "pending") === "pending");
  };
  store.subscribe(
    (s) => [waiting(s), s.state?.item ?? null],
    ([proposals, item]) => drawProposals(proposals, item),
  );
  function drawProposals(proposals, item) {
    // the exhibit on screen first, then in the server's order
    const sorted = [...proposals.filter((p) => p.item === item), ...proposals.filter((p) => p.item !== item)];
    $("proposal-count").textContent = proposals.length ? String(proposals.length) : "";
    const items = sorted.map((p) => {
      const li = element("li");
      li.dataset.proposal = p.id;
      li.classList.toggle("here", p.item === item);
      // the file by its name (a deck path: its last part), else its place among the shown
      const file = p.name ? p.name.split("/").at(-1) : Number.isInteger(p.file) ? `${ui.file} ${p.file + 1}` : "";
      const where = [p.item, file, p.page > 1 || p.pages > 1 ? ui.redact_page.replace("{n}", p.page) : ""];
      li.append(
        element("span", where.filter(Boolean).join(" · "), "where"),
        element("span", ui[`redact_kind_${p.kind}`] || p.kind, "number-kind"),
        element("code", p.masked, "masked"),
        button(ui.redact_confirm, { confirm: p.id }),
        button(ui.redact_dismiss, { dismiss: p.id }),
      );
      return li;
    });
    $("proposals").replaceChildren(...(items.length ? items : [element("li", ui.redact_proposals_none, "none")]));
    outline();
  }
  $("proposals").addEventListener("click", (event) => {
    const chosen = event.target.closest("button[data-confirm], button[data-dismiss]");
    if (!chosen) return;
    const op = chosen.dataset.confirm ? "confirm" : "dismiss";
    send({ action: "redact", op, proposal: chosen.dataset.confirm || chosen.dataset.dismiss });
  });

  // --- outlines on the miniature ----------------------------------------------------------
  function outline() {
    const s = store.get();
    const view = viewOf(s);
    const r = view && area.rect();
    const shapes = [];
    if (r) {
      const own = outlines.parentElement.getBoundingClientRect();
      const px = (v) => `${v}px`;
      Object.assign(outlines.style, {
        left: px(r.left - own.left),
        top: px(r.top - own.top),
        width: px(r.width),
        height: px(r.height),
      });
      outlines.setAttribute("viewBox", `0 0 ${r.width} ${r.height}`);
      const box = ([x, y, w, h], kind) => {
        const rect = document.createElementNS(SVG, "rect");
        const place = { x: x * r.width, y: y * r.height, width: w * r.width, height: h * r.height };
        for (const [name, value] of Object.entries(place)) rect.setAttribute(name, String(value));
        rect.classList.add(kind);
        return rect;
      };
      // (the live boxes the stage outlines itself, on the miniature and the court's screens)
      const decisions = s.state?.redaction?.decisions || {};
      for (const p of (s.proposals || []).filter(on(view))) {
        const decided = decisions[p.id] || (p.status !== "pending" ? p.status : undefined);
        if (decided !== "dismissed") shapes.push(box(p.box, decided ? "confirmed" : "proposed"));
      }
    }
    outlines.replaceChildren(...shapes);
    outlines.classList.toggle("none", !shapes.length);
  }
  store.subscribe((s) => s.applied, outline);
  window.addEventListener("resize", outline);
  // a picture laid out after the state was drawn moves the surface
  stageEl.addEventListener("load", outline, true);
}
