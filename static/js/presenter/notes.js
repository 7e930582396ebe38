// The presenter's notes for the exhibit on screen, and the prepared responses to the
// challenges it may meet (by ground), shown and hidden with C. Both are the presenter's
// Markdown, sanitised on the server.
import { $, element } from "./dom.js";
import { current } from "./store.js";

export function start({ store, ui }) {
  // the expert's page has neither: their text never reaches it (deck.json leaves it out)
  if (!$("notes")) return { toggle: () => {} };
  store.subscribe(
    (s) => (s.state ? [current(s)?.notes || ""] : null),
    (slice) => {
      if (slice) $("notes").innerHTML = slice[0] || `<p class="none">${ui.no_notes}</p>`;
    },
  );

  store.subscribe(
    (s) => (s.state ? [current(s)?.challenges || {}] : null),
    (slice) => slice && drawChallenges(slice[0]),
  );
  function drawChallenges(challenges) {
    const box = $("challenges");
    const groups = Object.entries(challenges);
    if (!groups.length) {
      box.replaceChildren(element("p", ui.no_challenges, "none"));
      return;
    }
    box.replaceChildren(
      ...groups.map(([ground, items]) => {
        const section = element("section");
        section.append(element("h3", ui[`ground_${ground}`] || ground));
        for (const item of items) {
          const claim = element("p", item.claim, "claim");
          const response = element("div", undefined, "response");
          response.innerHTML = item.response; // sanitised on the server
          section.append(claim, response);
        }
        return section;
      }),
    );
  }

  return {
    toggle: () => ($("challenges").hidden = !$("challenges").hidden),
  };
}
