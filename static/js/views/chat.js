// Chats: `messages` steps reveal messages up to the newest, highlighted. A long thread is
// drawn a window at a time: the server sends the window that ends at the newest.

function bubble(message) {
  // built from text nodes: a message is evidence, never markup
  const make = (tag, className) => Object.assign(document.createElement(tag), { className });
  const li = make("li", `msg msg-${message.side === "left" ? "left" : "right"}`);
  li.dataset.n = String(message.n);
  const meta = make("div", "meta");
  const sender = make("span", "sender");
  sender.textContent = message.sender;
  const time = make("time", "");
  time.textContent = message.time;
  meta.append(sender, " ", time);
  const body = make("div", "bubble");
  body.textContent = message.text;
  const attachment = message.attachment;
  if (attachment?.thumb) {
    const img = make("img", "attachment");
    img.alt = attachment.name;
    img.src = attachment.thumb;
    body.append(img);
  } else if (attachment) {
    const file = make("span", "attachment-file");
    file.textContent = attachment.name;
    body.append(file);
  }
  li.append(meta, body);
  return li;
}

export async function chat(root, step, state, stage) {
  const list = root.querySelector("ol.chat");
  const spans = step?.messages || [];
  const last = spans.length ? Math.max(...spans.map((s) => s[1])) : 0;
  if (list) {
    const size = Number(list.dataset.window);
    const start = Math.max(0, (last || size) - size);
    if (String(start) !== list.dataset.start) {
      const data = await stage.window(list.dataset.url, start);
      if (!data) return;
      list.replaceChildren(...data.messages.map(bubble));
      list.dataset.start = String(start);
    }
  }
  let newest = null;
  for (const el of root.querySelectorAll(".msg[data-n]")) {
    const n = Number(el.dataset.n);
    el.classList.toggle("hidden", last > 0 && n > last);
    el.classList.toggle("hl", n === last);
    if (n === last) newest = el;
  }
  newest?.scrollIntoView({ block: "end" });
}
