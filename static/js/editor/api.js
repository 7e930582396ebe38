// The editor's one way to the server: JSON with the page's CSRF token on every write.

const page = JSON.parse(document.getElementById("page-data").textContent);

export { page };

export function word(key, values = {}) {
  const text = page.words[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
}

// `path` after the decks' API (`/demo/edit`), or from the root when it begins with `//`.
export async function call(method, path, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (method !== "GET") options.headers["X-CSRF-Token"] = page.csrf;
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  const url = new URL(path.startsWith("//") ? path.slice(1) : page.api + path, location.href);
  url.searchParams.set("lang", page.lang); // answers and the check's words in the page's language
  try {
    response = await fetch(url, options);
  } catch (error) {
    return { ok: false, status: 0, data: { message: String(error) } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = { message: response.statusText };
  }
  return { ok: response.ok, status: response.status, data };
}

// One file sent as it is, with its upload's progress (fetch cannot report it).
export function send(path, file, progress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("PUT", `${page.api}${path}&lang=${encodeURIComponent(page.lang)}`);
    request.setRequestHeader("X-CSRF-Token", page.csrf);
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.onprogress = (event) => progress(event.loaded);
    request.onload = () => {
      let data = {};
      try {
        data = JSON.parse(request.responseText);
      } catch {
        data = { message: request.statusText };
      }
      resolve({ ok: request.status < 300, status: request.status, data });
    };
    request.onerror = () => resolve({ ok: false, status: 0, data: { message: "network" } });
    request.send(file);
  });
}
