// The record (Art. 49), in view at all times: how many entries and the last one's hash, as the
// clerk may be asked to note it. "结束示证" writes the closing entry and shows the head to note.
import { $ } from "./dom.js";

export function spaced(hex) {
  return hex.replace(/(.{4})(?=.)/g, "$1 ");
}

export function start({ store, send, ui, role }) {
  const head = $("record-head");
  store.subscribe(
    (s) => s.record,
    (record) => {
      if (!record) return;
      head.querySelector(".entries").textContent = ui.record_entries.replace("{entries}", record.entries);
      head.querySelector(".hash").textContent = record.head.slice(0, 16);
      head.dataset.entries = String(record.entries);
      head.dataset.head = record.head;
      head.classList.toggle("ended", !!record.ended);
    },
  );

  const button = $("end-record");
  const dialog = $("record-ended");
  if (role !== "presenter") {
    button.hidden = true; // an expert drives; only the presenter ends the record
    return;
  }
  button.addEventListener("click", async () => {
    if (!window.confirm(ui.record_end_confirm)) return;
    const answer = await send({ action: "end" });
    if (!answer.ok) return;
    $("ended-file").textContent = answer.file;
    $("ended-entries").textContent = String(answer.entries);
    $("ended-head").textContent = spaced(answer.head);
    dialog.showModal();
  });
  $("ended-close").addEventListener("click", () => dialog.close());
}
