// The front page: the decks under decks/, and a new one.
import { call, page, word } from "./api.js";

const list = document.getElementById("deck-list");
const form = document.getElementById("new-deck");
const error = document.getElementById("new-deck-error");
const base = page.api.replace(/\/api\/decks$/, "");

async function show() {
  const answer = await call("GET", "");
  list.replaceChildren();
  if (!answer.ok || answer.data.length === 0) {
    const empty = document.createElement("li");
    empty.textContent = answer.ok ? word("no_decks") : answer.data.message;
    list.append(empty);
    return;
  }
  for (const deck of answer.data) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `${base}/deck/${encodeURIComponent(deck.id)}${location.search.includes("lang=") ? "?" + new URLSearchParams({ lang: page.lang }) : ""}`;
    link.textContent = deck.title || deck.id;
    const id = document.createElement("code");
    id.textContent = deck.id;
    item.append(link, " ", id);
    list.append(item);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const data = new FormData(form);
  const answer = await call("POST", "", {
    id: data.get("id").trim(),
    title: data.get("title").trim(),
    language: page.lang,
  });
  if (answer.ok) location.assign(answer.data.url);
  else error.textContent = answer.data.message;
});

show();
