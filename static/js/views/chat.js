// Chats, replayed: a step shows the messages up to its own (the server's `shown`), the newest
// highlighted; before the first step, only what comes before it. Moving forward never hides
// a message already shown (presenter/deck/replay.py). A long thread is drawn a window at a
// time, from the server. A message's picture may be shown large on every screen
// (`state.attachment`), where callouts (`state.region`) are cut sharp from the original.

const make = (tag, className) => Object.assign(document.createElement(tag), { className });

function bubble(message, stage) {
  // built from text nodes: a message is evidence, never markup
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
    img.src = stage.picture(attachment.thumb);
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
  if (!list) return;
  const total = Number(list.dataset.total);
  const shown = step ? (step.shown ?? total) : Number(list.dataset.before);
  const newest = step?.newest ?? null;
  const size = Number(list.dataset.window);
  // the window ends at the newest message, or at the last shown of a chat not yet whole
  const anchor = newest ?? (shown < total ? shown : 0);
  const start = Math.max(0, anchor - size);
  if (String(start) !== list.dataset.start) {
    const data = await stage.window(list.dataset.url, start);
    if (!data) return;
    list.replaceChildren(...data.messages.map((message) => bubble(message, stage)));
    list.dataset.start = String(start);
  }
  for (const el of list.querySelectorAll(".msg[data-n]")) {
    const n = Number(el.dataset.n);
    el.classList.toggle("hidden", n > shown);
    el.classList.toggle("hl", n === newest);
  }
  // the stage then shows the page holding the newest message (pages.js)
  list.dataset.shown = String(shown); // for tests and the presenter: the replay's point
  await large(root, list, state.attachment || null, stage);
}

async function large(root, list, n, stage) {
  // the picture of message n, large, over the chat: an image frame, so that the stage's
  // callout (data-crop) works on it as on an image exhibit
  let box = root.querySelector(".chat-large");
  if (!n) {
    box?.remove();
    return;
  }
  if (box?.dataset.n === String(n)) return;
  const data = await stage.window(list.dataset.url, n - 1);
  const message = data?.messages?.[0];
  const picture = message?.n === n ? message.attachment : null;
  if (!picture?.large) {
    box?.remove();
    return;
  }
  if (!box) {
    box = make("div", "chat-large");
    list.after(box);
  }
  const frame = make("div", "image-frame chat-large-frame");
  const img = make("img", "exhibit-image chat-large-image");
  img.dataset.role = "zoomable";
  img.dataset.crop = stage.picture(picture.crop);
  img.alt = picture.name;
  img.src = stage.picture(picture.large);
  img.draggable = false;
  frame.append(img);
  const caption = make("p", "chat-large-caption");
  caption.textContent = `#${message.n} ${message.sender} ${message.time}`;
  box.replaceChildren(frame, caption);
  box.dataset.n = String(n);
}
