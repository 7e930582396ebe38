// The control room: the connection, who is in control (and handing it over), the screens
// connected, screens asking to pair, problems in the deck on disk, and an exhibit the
// screens were taken off when the deck changed.
import { $, element } from "./dom.js";

export function pairingChanged(pairings, change) {
  // one pairing changed: only it is redrawn, however many codes a flood asks for
  const others = (pairings || []).filter((p) => p.code !== change.code);
  if (change.status !== "pending" && change.status !== "approved") return others;
  const at = (pairings || []).findIndex((p) => p.code === change.code);
  if (at < 0) return [...others, change];
  return [...others.slice(0, at), change, ...others.slice(at)]; // in its place, as it was
}

export function start({ store, send, ui, role, data }) {
  store.subscribe(
    (s) => s.link,
    (link) => {
      const el = $("connection");
      el.textContent = link === "online" ? ui.online : link === "refused" ? ui.refused : ui.offline;
      // a refusal says so, and leaves the look of the last connection
      if (link !== "refused") el.classList.toggle("offline", link === "offline");
    },
  );

  store.subscribe(
    (s) => (s.state ? s.state.controller : null),
    (controller) => {
      if (controller === null) return;
      const mine = controller === role;
      $("controller").textContent = controller === "expert" ? ui.controller_expert : ui.controller_presenter;
      document.body.classList.toggle("not-in-control", !mine);
      const handover = $("handover");
      if (role === "expert") {
        handover.textContent = ui.hand_back;
        handover.hidden = !mine;
      } else {
        handover.textContent = controller === "expert" ? ui.take_back : ui.hand_to_expert;
      }
    },
  );
  $("handover").addEventListener("click", () => {
    if (role === "expert") send({ action: "handover", to: "presenter" });
    else send({ action: "handover", to: store.get().state?.controller === "expert" ? "presenter" : "expert" });
  });
  $("open-screen").addEventListener("click", () => {
    // opened from the click itself, so the browser makes a window (for a second monitor)
    window.open(data.screenUrl, "shizheng-screen", "popup,width=1280,height=720");
  });

  store.subscribe(
    (s) => s.screens,
    (clients) => {
      if (!clients) return;
      const items = clients.map((c) => {
        // with several processes, which one it is on (its address)
        const where = c.process ? ` · ${c.process}` : "";
        const li = element("li", `${ui[`role_${c.role}`] || c.role} · ${c.name}${where}`);
        // its browser blocks sound until someone clicks in that window (sound.js)
        if (c.blocked) li.append(" ", element("span", ui.sound_blocked, "sound-blocked"));
        return li;
      });
      $("screens").replaceChildren(...(items.length ? items : [element("li", ui.no_screens)]));
    },
  );

  store.subscribe((s) => s.pairings, (pairings) => pairings && drawPairings(pairings));
  function drawPairings(pairings) {
    // pending codes: approve as a court screen or as the public gallery (masked), or refuse;
    // approved screens: revoke
    const button = (text, command) => {
      const b = element("button", text);
      b.type = "button";
      b.addEventListener("click", () => send({ action: "pair", ...command }));
      return b;
    };
    const items = pairings.map((pairing) => {
      const approved = pairing.status === "approved";
      const label = approved ? (pairing.public ? ui.paired_public : ui.paired_screen) : pairing.code;
      const li = element("li", undefined, approved ? "approved" : "pending");
      li.append(element("span", label, approved ? "status" : "code"), element("span", pairing.name, "name"));
      const code = pairing.code;
      if (approved) li.append(button(ui.revoke, { code, revoke: true }));
      else {
        li.append(
          button(ui.approve, { code, approve: true }),
          button(ui.approve_public, { code, approve: true, public: true }),
          button(ui.refuse, { code, approve: false }),
        );
      }
      return li;
    });
    if (pairings.filter((p) => p.status === "pending").length > 1) {
      const all = element("li", undefined, "all");
      all.append(button(ui.refuse_all, { refuse_all: true }));
      items.push(all);
    }
    $("pairings").replaceChildren(...items);
  }

  store.subscribe(
    (s) => s.problems,
    (lines) => {
      if (!lines) return;
      $("deck-problems").hidden = lines.length === 0;
      $("deck-problems").replaceChildren(...lines.map((line) => element("p", line)));
    },
  );

  // the deck changed on disk and the exhibit on screen is now excluded or fails its hash:
  // the screens went blank; showing it again needs the presenter's word (Art. 44). Asked
  // once for each exhibit held; → or B ask again through the command's refusal.
  store.subscribe(
    (s) => s.held,
    (held) => {
      if (!held?.item) return;
      setTimeout(() => {
        const exhibit = store.get().deck.exhibits.find((e) => e.id === held.item);
        const question = held.error === "unverified" ? ui.confirm_unverified : ui.confirm_excluded;
        if (window.confirm(`${exhibit ? exhibit.id + " " + exhibit.title : held.item}\n${question}`)) {
          send({ action: "goto", item: held.item, confirm: true });
        }
      }, 0);
    },
  );
}
