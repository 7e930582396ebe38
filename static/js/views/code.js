// Code: `lines` steps mark line ranges and scroll to the first.
import { markRanges } from "./marks.js";

export function code(root, step) {
  markRanges(root.querySelectorAll(".line[data-n]"), step?.lines);
}
