// Long content in pages. A view marks the box of its long content `data-flow`; its blocks
// (paragraphs, rows, messages, lines) are laid out whole and cut into pages that fit the
// box; every block off the page shown is hidden. Nothing is shrunk, nothing split.
//
// Every screen and the miniature must cut exactly the same pages, whatever their resolution,
// so that the presenter turns them by number (the state's `flow_page`) and the screens
// follow, "2/3" in the heading. The canvas is sized in fractions of its height, so a layout
// differs between screens only by rounding: pages are cut on the screen's own layout,
// measured in px of the reference (a canvas 1080 px high), and when any decision there is
// within rounding of going the other way, on a copy laid out at the reference size (hidden),
// which is the same on every screen.

const ATOMIC = "img, svg, canvas, video, audio, tr, thead, [data-atomic]";
const KEPT = "thead, [data-keep]"; // shown on every page (a table's heading row)
const REFERENCE = 1080;
const SLACK = 6; // px of the reference: a screen's rounding never pushes a line off a page

export async function paginate(section, wanted, shape = { w: 16, h: 9 }) {
  const flow = section?.querySelector("[data-flow]");
  if (!flow) return { page: 1, pages: 1 };
  await settled(flow);
  prepareTables(flow);
  const { real, key } = survey(section, shape);
  let pages = planned.get(key);
  if (pages) {
    planned.delete(key); // kept as the most recent
  } else {
    for (const el of real.values()) {
      el.classList.remove("off-page");
      if (el.dataset.slice !== undefined) unslice(el);
    }
    unscroll(flow);
    // cut where the screen lays it out, measured in px of the reference; only when a
    // decision there is too close to call does the hidden reference copy decide (the same
    // everywhere)
    const scale = (section.closest(".stage-canvas")?.clientHeight || REFERENCE) / REFERENCE;
    const here = plan(section, new Ruler(scale));
    // groups of columns are always cut on the reference copy: a text's width does not scale
    // with the screen as its height does (hinting), so widths are no one's to round
    const grouped = here.pages.some((p) => p.group);
    pages = here.ruler.close < BORDER || grouped ? await referencePlan(section, shape, real, scale) : here.pages;
  }
  planned.set(key, pages);
  if (planned.size > PLANS) planned.delete(planned.keys().next().value);
  const page = chosen(pages, flow, wanted);
  show(section, real, pages[page - 1]);
  label(section, page, pages.length);
  unscrollSoon(flow);
  return { page, pages: pages.length };
}

const planned = new Map(); // signature -> pages: content seen before is not measured again
const PLANS = 64;



function show(section, real, { group, blocks, parents, shown, slices }) {
  // the page's blocks, and nothing else of its content
  showColumns(section, group);
  for (const pi of blocks) real.get(pi)?.classList.toggle("off-page", !shown.has(pi));
  for (const [pi, kids] of parents) real.get(pi)?.classList.toggle("off-page", !kids.some((k) => shown.has(k)));
  for (const el of section.querySelectorAll("[data-slice]")) if (!slices.has(el.dataset.pi)) unslice(el);
  for (const [pi, part] of slices) slice(real.get(pi), part);
}

function survey(section, shape) {
  // every element by its place in the content, and what the pages depend on: the canvas's
  // shape, each element with its classes (not those given here) and its own text, each
  // picture's size, hashed twice (FNV-1a, 2 × 32 bits); the page count written in the
  // heading is not content
  const real = new Map();
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const mix = (text) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
  };
  mix(`${shape.w}:${shape.h}`);
  let n = 0;
  for (const el of section.querySelectorAll("*")) {
    const list = el.classList;
    if (list.contains("page-count")) continue;
    const pi = String(n++);
    if (el.dataset.pi !== pi) el.dataset.pi = pi;
    real.set(pi, el);
    let classes = "";
    for (const name of list) if (!MINE.has(name)) classes += ` ${name}`;
    mix(`<${el.tagName}${classes} ${el.childElementCount}>`);
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE) mix(node.data);
    }
    if (el.tagName === "IMG") mix(`${el.naturalWidth}x${el.naturalHeight}`);
  }
  return { real, key: `${a >>> 0}.${b >>> 0}` };
}

const MINE = new Set(["off-page", "breakable", "long"]); // classes pages.js gives

const BORDER = 1; // px of the reference: closer than this, the reference copy decides

class Ruler {
  // measures in px of the reference and keeps how close the closest decision was
  constructor(scale) {
    this.scale = scale;
    this.close = Infinity;
  }

  rect(el) {
    const r = el.getBoundingClientRect();
    const k = this.scale;
    return { top: r.top / k, bottom: r.bottom / k, width: r.width / k, height: r.height / k };
  }

  height(el) {
    const style = getComputedStyle(el);
    return (el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)) / this.scale;
  }

  width(el) {
    return el.clientWidth / this.scale;
  }

  fits(size, room) {
    this.close = Math.min(this.close, Math.abs(room - size));
    return size <= room;
  }
}

function plan(root, ruler) {
  // the pages, as the data-pi numbers of the blocks each shows (and the columns, if any)
  const flow = root.querySelector("[data-flow]");
  // a table too wide for the screen (the case's matrix, a bank's statement under its
  // totals) is shown a group of columns at a time, each group in as many pages as its rows
  // need: the first such table of the flow
  showColumns(root, null);
  const table = [...flow.querySelectorAll("table[data-columns]")].find(
    (t) => !ruler.fits(ruler.rect(t).width, ruler.width(flow) + 1),
  );
  const groups = table ? columnGroups(root, table, flow, ruler) : [null];
  const pages = [];
  for (const group of groups) {
    showColumns(root, group);
    const limit = ruler.height(flow) - SLACK;
    const { blocks, parents } = collect(flow, limit, ruler);
    const ids = blocks.map((b) => b.dataset.pi);
    const tree = parents.map((p) => [p.dataset.pi, blocks.filter((b) => p.contains(b)).map((b) => b.dataset.pi)]);
    for (const { blocks: shown, slices } of cut(rows(blocks, ruler), flow, limit, ruler)) {
      pages.push({ group, blocks: ids, parents: tree, shown: new Set(shown.map((b) => b.dataset.pi)), slices });
    }
  }
  showColumns(root, null);
  return { pages, ruler };
}

let reference = null;

function referenceBody(shape) {
  // a stage of the screens' shape at the reference size, out of sight
  if (!reference) {
    reference = document.createElement("div");
    reference.className = "stage stage-reference";
    reference.setAttribute("aria-hidden", "true");
    const canvas = document.createElement("div");
    canvas.className = "stage-canvas";
    const body = document.createElement("div");
    body.className = "stage-body";
    canvas.append(body);
    reference.append(canvas);
    document.body.append(reference);
  }
  reference.style.setProperty("--aw", String(shape.w));
  reference.style.setProperty("--ah", String(shape.h));
  reference.style.width = `${(REFERENCE * shape.w) / shape.h}px`;
  reference.style.height = `${REFERENCE}px`;
  return reference.querySelector(".stage-body");
}

async function referencePlan(section, shape, real, scale) {
  const body = referenceBody(shape);
  const twin = section.cloneNode(true);
  // a picture keeps the size it has on the screen, at the reference scale, without being
  // decoded again
  for (const img of twin.querySelectorAll("img")) {
    const shown = real.get(img.dataset.pi)?.getBoundingClientRect();
    img.removeAttribute("src");
    img.removeAttribute("srcset");
    if (shown) {
      img.style.width = `${shown.width / scale}px`;
      img.style.height = `${shown.height / scale}px`;
    }
  }
  body.replaceChildren(twin);
  try {
    return plan(twin, new Ruler(1)).pages;
  } finally {
    body.replaceChildren();
  }
}

function columnGroups(root, table, flow, ruler) {
  showColumns(root, null);
  // a table as wide as its box (width: 100%) fits: only one wider is shown in groups
  if (ruler.rect(table).width <= ruler.width(flow) + 1) return [null];
  const room = ruler.width(flow) - SLACK;
  const head = table.tHead?.rows[0] || table.rows[0];
  if (!head) return [null];
  const cells = [...head.cells];
  const width = (cell) => ruler.rect(cell).width;
  const fixed = cells.filter((c) => !c.dataset.column).reduce((sum, c) => sum + width(c), 0);
  // the titles listed under the table (the matrix's) take at most a third of the picture:
  // a group has no more columns than its titles leave room for
  const titles = new Map(
    [...root.querySelectorAll(".matrix-legend li[data-column]")].map((li) => [li.dataset.column, ruler.rect(li).height]),
  );
  const budget = ruler.rect(root).height / 3;
  const listed = (g, id) => (g.titles + (titles.get(id) || 0)) / 2 + Math.max(g.tallest, titles.get(id) || 0);
  const groups = [];
  let group = null;
  for (const cell of cells.filter((c) => c.dataset.column)) {
    const id = cell.dataset.column;
    const wide = group && !ruler.fits(group.width + width(cell), room - fixed);
    if (!group || wide || (titles.size && !ruler.fits(listed(group, id), budget))) {
      group = { ids: [], width: 0, titles: 0, tallest: 0 };
      groups.push(group);
    }
    group.ids.push(id);
    group.width += width(cell);
    group.titles += titles.get(id) || 0;
    group.tallest = Math.max(group.tallest, titles.get(id) || 0);
  }
  const all = new Set(cells.filter((c) => c.dataset.column).map((c) => c.dataset.column));
  return groups.map((g) => ({ ids: g.ids, all }));
}

function showColumns(root, group) {
  for (const el of root.querySelectorAll("[data-column]")) {
    const id = el.dataset.column;
    el.classList.toggle("off-page", !!group && group.all.has(id) && !group.ids.includes(id));
  }
}

async function settled(flow) {
  // a page is cut from the final layout: fonts loaded, pictures sized (nothing awaited when
  // nothing is pending: a step is drawn in the task that received it)
  if (document.fonts && document.fonts.status !== "loaded") await document.fonts.ready;
  const images = [...flow.querySelectorAll("img")].filter((img) => !img.complete);
  if (images.length) await Promise.all(images.map((img) => img.decode().catch(() => null)));
}

function unscroll(flow) {
  // a box scrolled (by a browser's find, a focus) is put back: pages are cut from the top
  for (let el = flow; el; el = el.parentElement) {
    if (el.scrollTop) el.scrollTop = 0;
    if (el.scrollLeft) el.scrollLeft = 0;
    if (el.classList.contains("stage")) break;
  }
}

function unscrollSoon(flow) {
  // before the next frame is drawn, when the layout is made anyway (not a second one now)
  requestAnimationFrame(() => unscroll(flow));
}

function visible(el) {
  return getComputedStyle(el).display !== "none";
}

function collect(flow, limit, ruler) {
  // the blocks to place: a child taller than a page is opened into its own children
  const blocks = [];
  const parents = [];
  const walk = (el) => {
    for (const child of el.children) {
      if (!visible(child) || child.matches(KEPT)) continue;
      // opened only when all it holds is in its children: its own text would be lost
      const text = [...child.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
      const opens = child.children.length && !text && !child.matches(ATOMIC);
      if (opens && !ruler.fits(ruler.rect(child).height, limit)) {
        parents.push(child);
        walk(child);
      } else {
        blocks.push(child);
      }
    }
  };
  walk(flow);
  return { blocks, parents };
}

function rows(blocks, ruler) {
  // blocks side by side (a term and its description, two columns) stay on one page
  const out = [];
  for (const block of blocks) {
    const r = ruler.rect(block);
    const last = out.at(-1);
    if (last && r.top < last.bottom - 1 && r.top >= last.top - 1) {
      last.blocks.push(block);
      last.bottom = Math.max(last.bottom, r.bottom);
    } else {
      out.push({ blocks: [block], top: r.top, bottom: r.bottom });
    }
  }
  return out;
}

function cut(lines, flow, limit, ruler) {
  // greedy: a page takes rows while they fit, counting the heading rows it repeats; a block
  // taller than a page (a long paragraph or message, a wrapped line of code) goes on pages of
  // its own, a whole number of its lines on each
  const kept = [...flow.querySelectorAll(KEPT)].map((el) => ({ el, r: ruler.rect(el) }));
  const style = getComputedStyle(flow);
  const flowTop = ruler.rect(flow).top + parseFloat(style.paddingTop) / ruler.scale;
  const pages = [];
  let page = null;
  const repeats = (top, block) =>
    kept
      .filter(({ el, r }) => r.bottom <= top + 1 && el.parentElement.contains(block))
      .reduce((sum, { r }) => sum + r.height, 0);
  for (const line of lines) {
    if (page) {
      // the heading rows repeated at the page's top are those of the table it starts in
      if (ruler.fits(line.bottom - page.top + page.repeated, limit)) {
        page.blocks.push(...line.blocks);
        continue;
      }
    }
    // a page starts where its first block's margin does (the blocks before it are hidden)
    const lead = parseFloat(getComputedStyle(line.blocks[0]).marginTop) / ruler.scale;
    const top = pages.length ? line.top - lead : flowTop;
    if (line.bottom - line.top > limit) {
      const room = limit - repeats(line.top, line.blocks[0]) - (line.top - top);
      for (const part of parts(line, room, ruler)) {
        const slices = new Map(line.blocks.map((b) => [b.dataset.pi, part]));
        pages.push({ top, blocks: [...line.blocks], slices });
      }
      page = null;
      continue;
    }
    page = { top, blocks: [...line.blocks], slices: new Map(), repeated: repeats(line.top, line.blocks[0]) };
    pages.push(page);
  }
  return pages.length ? pages : [{ blocks: [], slices: new Map() }];
}

function parts(row, room, ruler) {
  // a tall row's lines of text (a block's, or those of blocks side by side: the cells of a
  // table's row), cut into runs that each fit a page: [{from, to, height}] in px of the
  // reference from the row's top
  const rects = [];
  const range = document.createRange();
  const add = (r) => r.height > 0 && rects.push({ top: r.top / ruler.scale - row.top, bottom: r.bottom / ruler.scale - row.top });
  for (const block of row.blocks) {
    // the lines of its text, and its pictures whole (never the boxes that hold them)
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode()); ) {
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) add(r);
    }
    for (const media of block.querySelectorAll("img, svg, video, canvas")) add(media.getBoundingClientRect());
  }
  rects.sort((a, b) => a.top - b.top);
  const box = { height: row.bottom - row.top };
  const lines = [];
  for (const r of rects) {
    const last = lines.at(-1);
    if (last && r.top < last.bottom - 2) last.bottom = Math.max(last.bottom, r.bottom);
    else lines.push({ ...r });
  }
  const out = [];
  let run = null;
  for (const line of lines) {
    if (run && line.bottom - run.from <= room) {
      run.to = line.bottom;
      continue;
    }
    run = { from: run ? line.top : 0, to: line.bottom, height: box.height };
    out.push(run);
  }
  return out.length ? out : [{ from: 0, to: box.height, height: box.height }];
}

const REF = (px) => `calc(${px.toFixed(2)} * 100cqh / ${REFERENCE})`; // a length on any canvas

function slice(el, part) {
  // the part of a tall block on this page: moved up to the top and clipped to its lines (a
  // table's row by its cells)
  if (!el) return;
  if (el.tagName === "TR") {
    for (const cell of el.cells) slice(cell, part);
    return;
  }
  const { from, to, height } = part;
  el.dataset.slice = "";
  el.style.position = "relative";
  el.style.top = REF(-from);
  el.style.clipPath = `inset(${REF(from)} 0 ${REF(Math.max(0, height - to))} 0)`;
}

function unslice(el) {
  delete el.dataset.slice;
  el.style.removeProperty("position");
  el.style.removeProperty("top");
  el.style.removeProperty("clip-path");
}

function prepareTables(flow) {
  // a data table too wide for the screen is shown a group of columns at a time, its row
  // numbers on every page; a cell holding a token longer than a line may break it
  for (const [k, table] of [...flow.querySelectorAll("table:not(.matrix)")].entries()) {
    table.dataset.columns = "";
    for (const row of table.rows) {
      for (const cell of row.cells) {
        if (cell.cellIndex > 0 && cell.colSpan === 1) cell.dataset.column = `t${k}c${cell.cellIndex}`;
        cell.classList.toggle("breakable", /\S{30,}/.test(cell.textContent));
        cell.classList.toggle("long", cell.textContent.length > 40);
      }
    }
  }
}

function chosen(pages, flow, wanted) {
  if (wanted > 0) return Math.min(wanted, pages.length);
  // no page turned since the step: the one holding the step's mark
  const mark = flow.querySelector(".hl");
  if (!mark) return 1;
  const marked = new Set([mark, ...mark.querySelectorAll("[data-pi]")].map((el) => el.dataset.pi));
  for (let a = mark.parentElement; a && a !== flow; a = a.parentElement) marked.add(a.dataset.pi);
  const index = pages.findIndex(({ shown }) => [...shown].some((pi) => marked.has(pi)));
  return index >= 0 ? index + 1 : 1;
}

function label(section, page, pages) {
  const head = section.querySelector(".exhibit-head, .panel > h1, .case-matrix > h1");
  let count = section.querySelector(".page-count");
  if (pages <= 1) {
    count?.remove();
    return;
  }
  if (!count && head) {
    count = document.createElement("span");
    count.className = "page-count";
    head.append(count);
  }
  if (count && count.textContent !== `${page}/${pages}`) count.textContent = `${page}/${pages}`;
}
