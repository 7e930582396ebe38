// Charts: the server builds the figure for the state's `chart` (until, focus, fold); the
// screen draws it with Plotly.react, so a lagging screen jumps to the latest picture and
// never replays a backlog. No toolbar, no mouse needed. A fund flow the presenter opened
// shows its transactions beside the figure.

export async function chart(root, step, state, stage) {
  const box = root.querySelector("[data-role=chart]");
  if (!box || !window.Plotly) return;
  const key = JSON.stringify(state.chart || null);
  if (box.dataset.key === key) return;
  const { flow, ...drawn } = state.chart || {};
  const figureKey = JSON.stringify(drawn);
  if (box.dataset.figure !== figureKey) {
    const figure = await stage.json(box.dataset.url);
    if (!figure) return;
    const layout = { ...figure.layout, transition: { duration: 500, easing: "cubic-in-out" } };
    await window.Plotly.react(box, figure.data, layout, { ...figure.config, topojsonURL: box.dataset.topojson });
    box.meta = figure.meta; // the names behind the figure's indices, for the presenter's clicks
    box.linkColours = figure.data[0]?.link?.color || null;
    box.dataset.lit = "";
    box.dataset.figure = figureKey;
    if (stage.onChart && !box.dataset.listening) {
      box.on("plotly_click", (event) => stage.onChart(box, event.points[0]));
      box.dataset.listening = "1";
    }
  }
  const open = await transactions(root, flow, stage, box.dataset.transactions);
  await lightFlow(box, open ? open.link : null);
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

async function transactions(root, flow, stage, url) {
  const frame = root.querySelector(".chart-frame").parentElement;
  let panel = frame.querySelector(".flow-panel");
  const data = flow ? await stage.json(url) : null;
  if (frame.classList.contains("with-flow") !== !!data) {
    frame.classList.toggle("with-flow", !!data);
    await window.Plotly.Plots.resize(frame.querySelector("[data-role=chart]"));
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
  const head = table.createTHead().insertRow();
  for (const name of data.header) head.append(Object.assign(document.createElement("th"), { textContent: name }));
  const body = table.createTBody();
  for (const values of data.rows) {
    const row = body.insertRow();
    for (const value of values) row.insertCell().textContent = value ?? "";
  }
  const scroll = document.createElement("div");
  scroll.className = "flow-scroll";
  scroll.append(table);
  panel.replaceChildren(caption, scroll);
  panel.dataset.flow = data.flow.join("→");
  return data;
}
