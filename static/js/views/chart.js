// Charts: the server builds the figure for the state's `chart` (until, focus, fold); the
// screen draws it with Plotly.react, so a lagging screen jumps to the latest picture and
// never replays a backlog. No toolbar, no mouse needed. A fund flow the presenter opened
// shows its transactions beside the figure.
//
// A figure is laid out on a picture 1080 px high (its type sizes are given for that) and
// scaled to the canvas: every screen and the miniature draw the same labels in the same
// places, as large as the text around them.

const REFERENCE = 1080;

let plotly = null;
function loadPlotly() {
  // plotly.js, run once, when the first chart is shown (its address: the page's head); a
  // page that never shows one never reads its 4.5 MB. A load that failed, or gave a script
  // that did not run (cut off on the way), is tried again at the next chart drawn.
  plotly ??= new Promise((resolve) => {
    if (window.Plotly) return resolve(window.Plotly);
    const script = document.createElement("script");
    script.src = document.querySelector("meta[name=shizheng-plotly]")?.content || "";
    const settled = () => {
      if (!window.Plotly) {
        plotly = null;
        script.remove();
      }
      resolve(window.Plotly || null);
    };
    script.onload = settled;
    script.onerror = settled;
    document.head.append(script);
  });
  return plotly;
}

function fit(box) {
  // the plot at the reference scale, filling its frame once scaled; its size in those px
  const frame = box.parentElement;
  const canvas = box.closest(".stage-canvas");
  // in a half of a side-by-side view, the whole picture's height (a half's text is the
  // court's size: stage.js arrange)
  const share = Number(box.closest(".stage-content")?.style.getPropertyValue("--share")) || 1;
  const scale = canvas && canvas.clientHeight ? canvas.clientHeight / share / REFERENCE : 1;
  const width = Math.max(1, Math.round(frame.clientWidth / scale));
  const height = Math.max(1, Math.round(frame.clientHeight / scale));
  box.style.width = `${width}px`;
  box.style.height = `${height}px`;
  box.style.transform = `scale(${scale})`;
  return { width, height };
}

function follow(box) {
  // a window resized (or a panel opened beside it) rescales the figure; it is redrawn only
  // when its room changes shape
  if (box.resizing) return;
  box.resizing = new ResizeObserver(() => {
    const { width, height } = fit(box);
    if (box.layout && (box.layout.width !== width || box.layout.height !== height)) {
      window.Plotly.relayout(box, { width, height });
    }
  });
  box.resizing.observe(box.parentElement);
}

export async function chart(root, step, state, stage) {
  const box = root.querySelector("[data-role=chart]");
  if (!box || !(await loadPlotly())) return;
  const key = JSON.stringify(state.chart || null);
  // states come faster than figures load: only the call of the newest state may draw, so a
  // figure fetched for an older state never replaces a newer one (the server builds each
  // figure from its state at the time of the request, at least as new as the state asked).
  // What is drawn is named (data-key, data-figure) only once drawn, and unnamed while a
  // drawing is under way, so a state coming back to what was drawn is never skipped.
  const turn = (box.turn = (box.turn || 0) + 1);
  const stale = () => {
    if (turn === box.turn) return false;
    // counted for the tests, as data-drawn and data-figureSeq are set for them and the
    // benches: nothing in the app reads these three
    box.dataset.dropped = String(Number(box.dataset.dropped || 0) + 1);
    return true;
  };
  if (box.dataset.key === key) {
    box.dataset.drawn = String(state.seq); // what is drawn is this state's already
    return;
  }
  box.dataset.key = "";
  const { flow, ...drawn } = state.chart || {};
  const figureKey = JSON.stringify(drawn);
  if (box.dataset.figure !== figureKey) {
    const figure = await stage.json(box.dataset.url);
    if (!figure || stale()) return;
    box.dataset.figure = "";
    const size = fit(box);
    // a trajectory's path grows over a still map: drawn at once, not eased in (a long path
    // would take the transition's half second on every step)
    const eased = box.dataset.kind !== "trajectory";
    const transition = eased ? { duration: 500, easing: "cubic-in-out" } : { duration: 0 };
    const layout = { ...figure.layout, ...size, autosize: false, transition };
    const config = { ...figure.config, responsive: false };
    await window.Plotly.react(box, figure.data, layout, config);
    if (stale()) return;
    follow(box);
    box.meta = figure.meta; // the names behind the figure's indices, for the presenter's clicks
    box.linkColours = figure.data[0]?.link?.color || null;
    box.dataset.lit = "";
    box.dataset.figure = figureKey;
    box.dataset.figureSeq = String(figure.seq ?? ""); // for tests: the state it was built for
    if (stage.onChart && !box.dataset.listening) {
      box.on("plotly_click", (event) => stage.onChart(box, event.points[0]));
      box.dataset.listening = "1";
    }
  }
  const open = await transactions(root, flow, stage, box.dataset.transactions, stale);
  if (stale()) return;
  await lightFlow(box, open ? open.link : null);
  if (stale()) return;
  box.dataset.key = key;
  box.dataset.drawn = String(state.seq); // for tests: the figure of this state is drawn
}

async function lightFlow(box, link) {
  // the open flow (its index among the figure's links) in full colour, every other faded
  const lit = link === null || link === undefined ? "" : String(link);
  if (!box.linkColours || box.dataset.lit === lit) return;
  const colours = lit ? box.linkColours.map((_, i) => (i === link ? FLOW_LIT : FLOW_FADED)) : box.linkColours;
  await window.Plotly.restyle(box, { "link.color": [colours] }, [0]);
  box.dataset.lit = lit;
}

const FLOW_LIT = "rgba(199,119,0,0.85)";
const FLOW_FADED = "rgba(160,160,160,0.12)";

async function transactions(root, flow, stage, url, stale) {
  const frame = root.querySelector(".chart-frame").parentElement;
  let panel = frame.querySelector(".flow-panel");
  const data = flow ? await stage.json(url) : null;
  if (stale()) return null; // a newer state shows its own
  if (frame.classList.contains("with-flow") !== !!data) {
    frame.classList.toggle("with-flow", !!data);
    const box = frame.querySelector("[data-role=chart]");
    await window.Plotly.relayout(box, fit(box));
  }
  if (!data) {
    panel?.remove();
    return null;
  }
  if (!panel) {
    panel = document.createElement("div");
    panel.className = "flow-panel";
    frame.append(panel);
  }
  const caption = document.createElement("p");
  caption.className = "flow-caption";
  caption.textContent = data.caption;
  const table = document.createElement("table");
  table.className = "data flow-rows";
  // read for court by the server: the deck's column names, times in its zone, amounts grouped
  const numeric = new Set(data.numeric || []);
  const head = table.createTHead().insertRow();
  data.header.forEach((name, i) => {
    const th = Object.assign(document.createElement("th"), { textContent: name });
    if (numeric.has(i)) th.className = "num";
    head.append(th);
  });
  const body = table.createTBody();
  for (const values of data.rows) {
    const row = body.insertRow();
    values.forEach((value, i) => {
      const cell = row.insertCell();
      cell.textContent = value ?? "";
      if (numeric.has(i)) cell.className = "num";
    });
  }
  const scroll = document.createElement("div");
  scroll.className = "flow-scroll";
  scroll.append(table);
  panel.replaceChildren(caption, scroll);
  panel.dataset.flow = data.flow.join("→");
  return data;
}
