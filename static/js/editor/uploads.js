// Evidence dropped on the page: each file sent as it is (with its upload's progress), then
// added to the deck by the server, which copies and hashes each once, with a progress bar.
import { call, page, send, word } from "./api.js";
import { commit, deckId, open, refresh, state } from "./store.js";

const drop = document.getElementById("drop");
const input = document.getElementById("file-input");
const uploads = document.getElementById("uploads");

function bar(text) {
  const row = document.createElement("div");
  row.className = "upload";
  const label = document.createElement("span");
  label.textContent = text;
  const progress = document.createElement("progress");
  progress.max = 1;
  progress.value = 0;
  row.append(label, progress);
  uploads.append(row);
  return { row, label, progress };
}

// Files with their place in what was dropped (a folder's files keep their folder).
async function collect(items) {
  const found = [];
  async function walk(entry, prefix) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      found.push({ file, path: prefix + entry.name });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      let batch;
      do {
        batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      } while (batch.length);
    }
  }
  for (const entry of items) await walk(entry, "");
  return found;
}

function batchId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// `export`: the files are a chat export or a forensic report, read by its importer.
export async function add(files, name, exportKind = false) {
  if (!files.length) return;
  const deck = encodeURIComponent(deckId());
  const batch = batchId();
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  const shown = bar(word("uploading", { name }));
  let sent = 0;
  for (const { file, path } of files) {
    shown.label.textContent = word("uploading", { name: path });
    const query = new URLSearchParams({ path, modified: String(file.lastModified || "") });
    const answer = await send(`/${deck}/uploads/${batch}?${query}`, file, (loaded) => {
      shown.progress.value = total ? (sent + loaded) / total : 1;
    });
    if (!answer.ok) {
      shown.label.textContent = answer.data.message;
      shown.row.classList.add("failed");
      await call("DELETE", `/${deck}/uploads/${batch}`);
      return;
    }
    sent += file.size;
  }
  shown.label.textContent = word("hashing");
  shown.progress.value = 0;
  const started = await call("POST", `/${deck}/uploads/${batch}/import`, { name, export: exportKind });
  if (!started.ok) {
    shown.label.textContent = started.data.message;
    shown.row.classList.add("failed");
    return;
  }
  for (;;) {
    const job = await call("GET", `/${page.jobs}${started.data.job}`);
    if (!job.ok) {
      shown.label.textContent = job.data.message;
      return;
    }
    shown.progress.value = job.data.total ? job.data.done / job.data.total : 0;
    if (job.data.finished) {
      if (job.data.error) {
        shown.label.textContent = job.data.error;
        shown.row.classList.add("failed");
      } else {
        shown.progress.value = 1;
        shown.label.textContent = word("added", { count: job.data.added.length, ids: job.data.added.join("、") });
        await refresh();
        const first = state.deck.items.find((i) => i.data.id === job.data.added[0]);
        if (first) open(first.name);
        shown.row.classList.add("done");
      }
      return;
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 250)));
  }
}

drop.addEventListener("dragover", (event) => {
  if (!event.dataTransfer.types.includes("Files")) return;
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (event) => {
  if (!event.dataTransfer.types.includes("Files")) return;
  event.preventDefault();
  drop.classList.remove("over");
  const entries = [...event.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  const files = entries.length
    ? await collect(entries)
    : [...event.dataTransfer.files].map((file) => ({ file, path: file.name }));
  const name = entries.length === 1 && entries[0].isDirectory ? entries[0].name : "upload";
  await add(files, name);
});
input.addEventListener("change", async () => {
  const files = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  input.value = "";
  await add(files, "upload");
});
const exportInput = document.getElementById("export-input");
exportInput.addEventListener("change", async () => {
  const files = [...exportInput.files].map((file) => ({ file, path: file.name }));
  exportInput.value = "";
  await add(files, files[0]?.path ?? "import", true);
});
const exportFolder = document.getElementById("export-folder-input");
exportFolder.addEventListener("change", async () => {
  const files = [...exportFolder.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  exportFolder.value = "";
  await add(files, files[0]?.path.split("/")[0] ?? "import", true);
});
const folder = document.getElementById("folder-input");
folder.addEventListener("change", async () => {
  const files = [...folder.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  folder.value = "";
  const name = files[0]?.path.split("/")[0] || "upload";
  await add(files, name);
});
drop.addEventListener("keydown", (event) => {
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    input.click();
  }
});

document.getElementById("add-exhibit").addEventListener("click", async () => {
  const title = prompt(word("item_title_prompt"));
  if (title === null) return;
  const answer = await call("POST", `/${encodeURIComponent(deckId())}/items`, { title });
  if (answer.ok) {
    await refresh();
    open(answer.data.file);
  }
});

export async function removeItem(item) {
  const answer = await call("POST", `/${encodeURIComponent(deckId())}/items/remove`, {
    file: item.name,
    base: item.version,
  });
  if (answer.ok) {
    open("deck.toml");
    await refresh();
  }
}

export { commit, page };
