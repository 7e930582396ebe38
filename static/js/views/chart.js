// Charts: the server builds the figure for the state's `chart` (until, focus, fold); the
// screen draws it with Plotly.react, so a lagging screen jumps to the latest picture and
// never replays a backlog. No toolbar, no mouse needed.

export async function chart(root, step, state, stage) {
  const box = root.querySelector("[data-role=chart]");
  if (!box || !window.Plotly) return;
  const key = JSON.stringify(state.chart || null);
  if (box.dataset.key === key) return;
  const figure = await stage.json(box.dataset.url);
  if (!figure) return;
  const layout = { ...figure.layout, transition: { duration: 500, easing: "cubic-in-out" } };
  await window.Plotly.react(box, figure.data, layout, { ...figure.config, topojsonURL: box.dataset.topojson });
  box.dataset.key = key;
  box.dataset.drawn = String(state.seq); // for tests: the figure of this state is drawn
}
