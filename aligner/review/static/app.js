// aligner review: the page. No framework, no build step, no network beyond this server.
// Text always goes in with textContent, never as HTML.
"use strict";

const BASE = location.pathname.endsWith("/") ? location.pathname : location.pathname.replace(/[^/]*$/, "");
const ROW = 62; // px, the fixed row height that makes rendering only the visible rows possible
const OVERSCAN = 8;

const doc = { name: "", groups: [] };
let state = { beads: [], texts: [], can_undo: false, can_redo: false };
let overrides = new Map(); // "g|side|pos" -> corrected text
let sel = 0;
let cuts = { ru: 0, en: 0, bead: -1 };
let editing = false;
let busy = false;
let search = { query: "", side: "both", matches: [] };

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

// ---- data --------------------------------------------------------------------------
// A bead from the server: [group, ru0, ru1, en0, en1, score|null, flags(1 confirmed, 2 edited), dropped|null]
const B = {
  group: (b) => b[0], ru: (b) => [b[1], b[2]], en: (b) => [b[3], b[4]],
  score: (b) => b[5], confirmed: (b) => (b[6] & 1) !== 0, edited: (b) => (b[6] & 2) !== 0, dropped: (b) => b[7],
};

function sentences(i, side) {
  const b = state.beads[i];
  const g = B.group(b);
  const [lo, hi] = side === "ru" ? B.ru(b) : B.en(b);
  const out = [];
  for (let p = lo; p < hi; p++) {
    const key = g + "|" + side + "|" + p;
    out.push(overrides.has(key) ? overrides.get(key) : doc.groups[g][side][p]);
  }
  return out;
}

const textCache = new Map();
function text(i, side) {
  const key = i + side;
  if (!textCache.has(key)) textCache.set(key, sentences(i, side).join(" "));
  return textCache.get(key);
}

function setState(s) {
  state = s;
  overrides = new Map(s.texts.map(([g, side, p, t]) => [g + "|" + side + "|" + p, t]));
  textCache.clear();
  if (sel >= state.beads.length) sel = state.beads.length - 1;
  if (sel < 0) sel = 0;
  cuts.bead = -1;
  $("spacer").style.height = state.beads.length * ROW + "px";
  $("undo").disabled = !s.can_undo;
  $("redo").disabled = !s.can_redo;
  if (search.query) computeMatches();
  counters();
  render();
  detail();
}

function threshold() { return parseFloat($("threshold").value); }

function reviewed(b) { return B.confirmed(b) || B.edited(b); }

function doubtful(b) {
  if (reviewed(b)) return false;
  const s = B.score(b);
  return s === null || s < threshold();
}

function counters() {
  let rev = 0, dbt = 0, ed = 0;
  for (const b of state.beads) {
    if (reviewed(b)) rev++;
    if (B.edited(b)) ed++;
    if (doubtful(b)) dbt++;
  }
  $("counters").textContent = `${state.beads.length} beads · reviewed ${rev} · doubtful ${dbt} · edited ${ed}`;
}

// ---- rendering: only the rows in view ----------------------------------------------
// Red to amber under the threshold (the lower, the redder), green above it; edited beads are blue (CSS).
function colour(b) {
  const s = B.score(b);
  if (s === null) return "hsl(35, 85%, 86%)";
  const th = threshold();
  if (s < th) return `hsl(${Math.round(45 * (th > 0 ? s / th : 1))}, 85%, 86%)`;
  return `hsl(${Math.round(95 + 35 * (th < 1 ? (s - th) / (1 - th) : 1))}, 55%, 90%)`;
}

function rowFor(i) {
  const b = state.beads[i];
  const r = el("div", "row");
  r.dataset.i = i;
  r.style.top = i * ROW + "px";
  r.style.background = colour(b);
  if (i === sel) r.classList.add("sel");
  if (B.confirmed(b)) r.classList.add("confirmed");
  if (B.edited(b)) r.classList.add("edited");
  if (i > 0 && B.group(state.beads[i - 1]) !== B.group(b)) r.classList.add("newgroup");
  const num = el("div", "num", String(i + 1));
  const [r0, r1] = B.ru(b), [e0, e1] = B.en(b);
  num.appendChild(el("span", "kind", `${r1 - r0}-${e1 - e0}`));
  r.appendChild(num);
  for (const side of ["ru", "en"]) {
    const t = text(i, side);
    const cell = el("div", "txt " + side);
    cell.lang = side;
    if (!t) { cell.classList.add("missing"); cell.textContent = "— unaligned —"; }
    else highlight(cell, t);
    r.appendChild(cell);
  }
  const sc = el("div", "score", B.score(b) === null ? "—" : B.score(b).toFixed(4));
  if (B.dropped(b)) sc.appendChild(el("div", "tag", "dropped: " + B.dropped(b)));
  r.appendChild(sc);
  return r;
}

function highlight(cell, t) {
  const q = search.query.toLowerCase();
  const k = q ? t.toLowerCase().indexOf(q) : -1;
  if (k < 0) { cell.textContent = t; return; }
  cell.appendChild(document.createTextNode(t.slice(0, k)));
  cell.appendChild(el("mark", null, t.slice(k, k + q.length)));
  cell.appendChild(document.createTextNode(t.slice(k + q.length)));
}

let frame = 0;
const renderStats = { n: 0, ms: [] }; // read by scripts/bench_review.py
window.renderStats = renderStats;
function render() {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(() => {
    const t0 = performance.now();
    const list = $("list");
    const first = Math.max(0, Math.floor(list.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(state.beads.length, Math.ceil((list.scrollTop + list.clientHeight) / ROW) + OVERSCAN);
    const rows = $("rows");
    const frag = document.createDocumentFragment();
    for (let i = first; i < last; i++) frag.appendChild(rowFor(i));
    rows.replaceChildren(frag);
    renderStats.n++;
    renderStats.ms.push(performance.now() - t0);
  });
}

function scrollToSel() {
  const list = $("list");
  const top = sel * ROW;
  if (top < list.scrollTop) list.scrollTop = top;
  else if (top + ROW > list.scrollTop + list.clientHeight) list.scrollTop = top + ROW - list.clientHeight;
}

function select(i) {
  if (!state.beads.length) return;
  sel = Math.max(0, Math.min(state.beads.length - 1, i));
  editing = false;
  scrollToSel();
  render();
  detail();
}

// ---- the selected bead ------------------------------------------------------------
function defaultCuts() {
  const b = state.beads[sel];
  const nr = B.ru(b)[1] - B.ru(b)[0], ne = B.en(b)[1] - B.en(b)[0];
  cuts = { ru: Math.ceil(nr / 2), en: Math.floor(ne / 2), bead: sel };
}

function detail() {
  const head = $("detail-head");
  const sides = { ru: $("detail-ru"), en: $("detail-en") };
  $("edit-bar").hidden = !editing;
  if (!state.beads.length) { head.textContent = "no beads"; return; }
  if (cuts.bead !== sel) defaultCuts();
  const b = state.beads[sel];
  const s = B.score(b);
  const bits = [`bead ${sel + 1} of ${state.beads.length}`, `${B.ru(b)[1] - B.ru(b)[0]}-${B.en(b)[1] - B.en(b)[0]}`,
    s === null ? "score —" : `score ${s.toFixed(4)}`];
  if (B.confirmed(b)) bits.push("confirmed");
  if (B.edited(b)) bits.push("edited");
  if (B.dropped(b)) bits.push(`dropped by the filters: ${B.dropped(b)}`);
  head.textContent = bits.join(" · ");
  for (const side of ["ru", "en"]) {
    const box = sides[side];
    box.replaceChildren();
    box.lang = side;
    const sents = sentences(sel, side);
    if (!sents.length) { box.appendChild(el("p", "sent missing", "— unaligned —")); continue; }
    for (let k = 0; k <= sents.length; k++) {
      if (!editing) {
        const cut = el("div", "cut" + (cuts[side] === k ? " on" : ""));
        cut.title = `cut ${side} here`;
        cut.dataset.side = side;
        cut.dataset.k = k;
        cut.addEventListener("click", () => { cuts[side] = k; detail(); });
        box.appendChild(cut);
      }
      if (k === sents.length) break;
      const p = el("p", "sent");
      if (editing) {
        const ta = el("textarea");
        ta.value = sents[k];
        ta.dataset.side = side;
        ta.dataset.k = k;
        p.appendChild(ta);
      } else p.textContent = sents[k];
      box.appendChild(p);
    }
  }
}

function message(t, ok) {
  const m = $("message");
  m.textContent = t || "";
  m.className = ok ? "ok" : "";
}

// ---- talking to the server ----------------------------------------------------------
async function send(op) {
  if (busy) return false;
  busy = true;
  try {
    const res = await fetch(BASE + "api/edit", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(op),
    });
    const body = await res.json();
    if (!res.ok) { message(body.error || `error ${res.status}`); return false; }
    message(op.op === "undo" ? "undone" : op.op === "redo" ? "redone" : "saved", true);
    setState(body);
    return true;
  } catch (e) {
    message("the server does not answer; is 'aligner review' still running?");
    return false;
  } finally {
    busy = false;
  }
}

async function act(name) {
  if (!state.beads.length) return;
  const i = sel;
  const b = state.beads[i];
  switch (name) {
    case "confirm": return send({ op: "confirm", i });
    case "merge": return send({ op: "merge", i });
    case "split": return send({ op: "split", i, ru_cut: cuts.ru, en_cut: cuts.en });
    case "ru-down": return send({ op: "shift", i, side: "ru", direction: "down" });
    case "ru-up": return send({ op: "shift", i, side: "ru", direction: "up" });
    case "en-down": return send({ op: "shift", i, side: "en", direction: "down" });
    case "en-up": return send({ op: "shift", i, side: "en", direction: "up" });
    case "detach-ru": return send({ op: "detach", i, side: "ru", end: "last" });
    case "detach-en": return send({ op: "detach", i, side: "en", end: "last" });
    case "attach-up": if (await send({ op: "attach", i, direction: "up" })) select(i - 1); return;
    case "attach-down": return send({ op: "attach", i, direction: "down" });
    case "edit": editing = true; detail(); const ta = document.querySelector("#detail textarea"); if (ta) ta.focus(); return;
    case "undo": return send({ op: "undo" });
    case "redo": return send({ op: "redo" });
  }
  return b;
}

async function saveEdit() {
  const changes = [];
  for (const ta of document.querySelectorAll("#detail textarea")) {
    const side = ta.dataset.side, k = parseInt(ta.dataset.k, 10);
    const value = ta.value.replace(/\s*\n\s*/g, " ").trim();
    if (value !== sentences(sel, side)[k]) changes.push({ op: "edit_text", i: sel, side, k, text: value });
  }
  editing = false;
  for (const c of changes) if (!(await send(c))) break;
  detail();
  $("list").focus();
}

function nextDoubtful(step) {
  const n = state.beads.length;
  for (let d = 1; d <= n; d++) {
    const i = (sel + step * d + n * d) % n;
    if (doubtful(state.beads[i])) { select(i); return; }
  }
  message("no doubtful bead under this threshold", true);
}

// ---- search ----------------------------------------------------------------------
function computeMatches() {
  const q = search.query.toLowerCase();
  search.matches = [];
  if (q) {
    for (let i = 0; i < state.beads.length; i++) {
      if ((search.side !== "en" && text(i, "ru").toLowerCase().includes(q)) ||
          (search.side !== "ru" && text(i, "en").toLowerCase().includes(q))) search.matches.push(i);
    }
  }
  const k = search.matches.indexOf(sel);
  $("search-count").textContent = q ? (search.matches.length ? `${k >= 0 ? k + 1 : "–"} of ${search.matches.length}` : "no match") : "";
}

function searchNext(step) {
  computeMatches();
  const m = search.matches;
  if (!m.length) { render(); return; }
  let i = step > 0 ? m.find((x) => x > sel) : [...m].reverse().find((x) => x < sel);
  if (i === undefined) i = step > 0 ? m[0] : m[m.length - 1];
  select(i);
  computeMatches();
}

// ---- events ----------------------------------------------------------------------
const KEYS = {
  c: "confirm", m: "merge", s: "split", "[": "ru-down", "]": "ru-up", ";": "en-down", "'": "en-up",
  d: "detach-ru", D: "detach-en", a: "attach-up", A: "attach-down", e: "edit", u: "undo", U: "redo",
};

function onKey(ev) {
  const t = ev.target;
  const typing = t && (t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type !== "range") || t.tagName === "SELECT");
  if (editing && t && t.tagName === "TEXTAREA") {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); saveEdit(); }
    else if (ev.key === "Escape") { ev.preventDefault(); editing = false; detail(); $("list").focus(); }
    return;
  }
  if (typing) {
    if (t.id === "search" && ev.key === "Enter") { ev.preventDefault(); searchNext(ev.shiftKey ? -1 : 1); }
    if (ev.key === "Escape") t.blur();
    return;
  }
  if (ev.ctrlKey || ev.metaKey) {
    const k = ev.key.toLowerCase();
    if (k === "z") { ev.preventDefault(); act(ev.shiftKey ? "redo" : "undo"); }
    else if (k === "y") { ev.preventDefault(); act("redo"); }
    return;
  }
  if (ev.altKey) return;
  switch (ev.key) {
    case "j": case "ArrowDown": ev.preventDefault(); select(sel + 1); return;
    case "k": case "ArrowUp": ev.preventDefault(); select(sel - 1); return;
    case "PageDown": ev.preventDefault(); select(sel + Math.floor($("list").clientHeight / ROW)); return;
    case "PageUp": ev.preventDefault(); select(sel - Math.floor($("list").clientHeight / ROW)); return;
    case "Home": ev.preventDefault(); select(0); return;
    case "End": ev.preventDefault(); select(state.beads.length - 1); return;
    case "n": ev.preventDefault(); nextDoubtful(1); return;
    case "N": ev.preventDefault(); nextDoubtful(-1); return;
    case "/": ev.preventDefault(); $("search").focus(); return;
    case "?": ev.preventDefault(); $("help").showModal(); return;
  }
  if (KEYS[ev.key]) { ev.preventDefault(); act(KEYS[ev.key]); }
}

async function start() {
  $("list").addEventListener("scroll", render, { passive: true });
  window.addEventListener("resize", render);
  document.addEventListener("keydown", onKey);
  $("rows").addEventListener("click", (ev) => {
    const r = ev.target.closest(".row");
    if (r) { select(parseInt(r.dataset.i, 10)); $("list").focus(); }
  });
  for (const b of document.querySelectorAll("#toolbar button")) b.addEventListener("click", () => act(b.dataset.action));
  $("undo").addEventListener("click", () => act("undo"));
  $("redo").addEventListener("click", () => act("redo"));
  $("next-doubtful").addEventListener("click", () => nextDoubtful(1));
  $("threshold").addEventListener("input", () => {
    $("threshold-value").textContent = threshold().toFixed(2);
    counters();
    render();
  });
  $("search").addEventListener("input", () => { search.query = $("search").value; computeMatches(); render(); });
  $("search-side").addEventListener("change", () => { search.side = $("search-side").value; computeMatches(); render(); });
  $("help-button").addEventListener("click", () => $("help").showModal());
  $("edit-save").addEventListener("click", saveEdit);
  $("edit-cancel").addEventListener("click", () => { editing = false; detail(); });
  try {
    const res = await fetch(BASE + "api/doc");
    if (!res.ok) throw new Error(`error ${res.status}`);
    const body = await res.json();
    doc.name = body.name;
    doc.groups = body.groups;
    $("name").textContent = body.name;
    document.title = body.name + " — aligner review";
    setState(body.state);
    document.body.dataset.ready = "1";
    $("list").focus();
  } catch (e) {
    message("cannot load the alignment: " + e.message);
  }
}

start();
