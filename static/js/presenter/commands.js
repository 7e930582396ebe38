// Commands to the live presentation. A refusal the presenter can overrule (an unverified or
// excluded exhibit) asks first; any other refusal is said in a toast.
import { toast } from "./dom.js";

export function commander(live, store, ui) {
  async function send(command) {
    const answer = await live.command(command);
    if (answer.ok) return answer;
    const { deck } = store.get();
    // (side by side never shows a held exhibit: its refusal is only told)
    const held = answer.error === "unverified" || answer.error === "excluded";
    if (held && !command.confirm && command.action !== "compare") {
      const exhibit = deck.exhibits.find((e) => e.id === answer.item);
      const question = answer.error === "unverified" ? ui.confirm_unverified : ui.confirm_excluded;
      // Art. 44: shown only when the presenter confirms, with the problem in view
      if (window.confirm(`${exhibit ? exhibit.id + " " + exhibit.title : ""}\n${question}`)) {
        return send({ ...command, action: "goto", item: answer.item, confirm: true });
      }
      return answer;
    }
    toast(deck.reasons[answer.error] || (answer.error === "offline" ? ui.offline : answer.error));
    return answer;
  }
  return send;
}
