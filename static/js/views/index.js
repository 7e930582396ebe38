// One hook per view: how a state's step (and media, page) is applied to the view that the
// server rendered. A view without steps needs no hook.
import { chart } from "./chart.js";
import { chat } from "./chat.js";
import { code } from "./code.js";
import { documentView } from "./document.js";
import { media } from "./media.js";
import { table } from "./table.js";

export const VIEW_STEPS = { chart, chat, code, document: documentView, table, video: media, audio: media };
