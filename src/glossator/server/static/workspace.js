// glossator review workspace: the article view. Every piece of text goes into the page with
// textContent or as an attribute value, never as markup.
"use strict";

const CSRF = document.querySelector('meta[name="glossator-csrf"]').content;
const state = { article: null, rows: new Map(), order: [], current: -1, filter: "all",
                editing: null, selection: { src: "", tgt: "" },
                conflicts: new Map() };  // segment id → { theirs, mine, action } to settle

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Glossator-CSRF": CSRF },
    body: JSON.stringify({ path: state.article.path, ...body }),
  });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok && response.status !== 409) throw new Error(data.error || response.status);
  return data;
}

function marked(text, marks) {
  const out = el("span");
  let position = 0;
  for (const [start, end, kind, title] of marks) {
    if (start < position) continue;
    out.append(text.slice(position, start));
    out.append(el("mark", { class: `pin ${kind}`, title, text: text.slice(start, end) }));
    position = end;
  }
  out.append(text.slice(position));
  return out;
}

const BADGES = { machine: ["mt", "MT", "Machine translation, not reviewed"],
                 edited: ["ed", "✎", "Edited, not approved yet"],
                 reviewed: ["ok", "✓", "Reviewed by a person"] };

function renderRow(segment) {
  const [badgeClass, badgeText, badgeTitle] = BADGES[segment.state];
  const classes = ["seg", segment.kind, segment.state];
  if (segment.flagged) classes.push("flagged");
  const row = el("div", { class: classes.join(" "), id: `s${segment.id}`, tabindex: "-1" },
    el("div", { class: "gutter" },
      el("a", { class: "sid", href: `#s${segment.id}`, text: segment.id }),
      el("span", { class: `badge ${badgeClass}`, title: badgeTitle, text: badgeText })),
    el("div", { class: "src", "data-side": "src" }, marked(segment.source, segment.source_marks)),
    el("div", { class: "tgt", "data-side": "tgt" },
      segment.target ? marked(segment.target, segment.target_marks)
                     : el("span", { class: "empty", text: "no translation" })));
  const remarks = el("ul", { class: "remarks" });
  for (const note of segment.notes) remarks.append(el("li", { class: "missed" }, el("b", { text: "Note" }), ` ${note}`));
  for (const finding of segment.qa) remarks.append(el("li", { class: "qa" }, el("b", { text: "QA" }), ` ${finding}`));
  if (segment.reviewer) remarks.append(el("li", { class: "who" }, el("b", { text: "Approved" }), ` ${segment.reviewer}`));
  if (remarks.childNodes.length) row.append(remarks);
  row.append(el("div", { class: "actions" },
    el("button", { type: "button", onclick: () => startEdit(segment.id), text: "Edit (Enter)" }),
    el("button", { type: "button", class: "approve", onclick: () => approve(segment.id), text: "Approve (Ctrl+Enter)" }),
    segment.machine && segment.machine !== segment.target
      ? el("button", { type: "button", onclick: () => revert(segment.id), text: "Back to machine text" }) : null,
    el("button", { type: "button", onclick: () => alternatives(segment.id), text: "Alternatives" }),
    el("button", { type: "button", onclick: () => translateAgain(segment.id), text: "Translate again" })));
  row.addEventListener("click", (event) => {
    if (!event.target.closest("button, textarea, a")) select(state.order.indexOf(segment.id), false);
  });
  return row;
}

// The page's data for a segment, its row left as it is.
function remember(segment) {
  const index = state.article.segments.findIndex((s) => s.id === segment.id);
  state.article.segments[index] = segment;
  state.rows.get(segment.id).segment = segment;
}

function update(segment, { keepEditor = false } = {}) {
  const old = state.rows.get(segment.id);
  remember(segment);
  if (keepEditor && state.editing === segment.id) return;
  state.conflicts.delete(segment.id);  // the new row shows the segment as it now is
  const row = renderRow(segment);
  if (old) old.node.replaceWith(row);
  state.rows.set(segment.id, { node: row, segment });
  if (state.order[state.current] === segment.id) row.classList.add("current");
  if (state.editing === segment.id) state.editing = null;
  applyFilter();
  progress();
}

function render() {
  const main = document.getElementById("segments");
  main.replaceChildren();
  let section = null, paragraph = null;
  for (const segment of state.article.segments) {
    if (segment.paragraph !== paragraph) {
      paragraph = segment.paragraph;
      section = el("section", { class: "para", "aria-label": `Paragraph ${paragraph}` });
      main.append(section);
    }
    const row = renderRow(segment);
    section.append(row);
    state.rows.set(segment.id, { node: row, segment });
  }
  state.order = state.article.segments.map((s) => s.id);
  applyFilter();
  progress();
}

function progress() {
  const segments = state.article.segments;
  const reviewed = segments.filter((s) => s.state === "reviewed").length;
  const flagged = segments.filter((s) => s.flagged).length;
  document.getElementById("progress").value = segments.length ? reviewed / segments.length : 1;
  document.getElementById("progress-text").textContent =
    `${reviewed}/${segments.length} reviewed · ${flagged} flagged`;
}

function visible(id) {
  const segment = state.rows.get(id).segment;
  if (state.filter === "flagged") return segment.flagged;
  if (state.filter === "unreviewed") return segment.state !== "reviewed";
  return true;
}

function applyFilter() {
  for (const [id, { node }] of state.rows) node.hidden = !visible(id);
  for (const section of document.querySelectorAll("#segments .para"))
    section.hidden = ![...section.children].some((row) => !row.hidden);
}

function select(index, scroll = true) {
  if (index < 0 || index >= state.order.length) return;
  const previous = state.rows.get(state.order[state.current]);
  if (previous) previous.node.classList.remove("current");
  state.current = index;
  const row = state.rows.get(state.order[index]).node;
  row.classList.add("current");
  if (scroll) { row.scrollIntoView({ block: "center" }); row.focus({ preventScroll: true }); }
}

function step(direction, predicate = visible) {
  for (let i = state.current + direction; i >= 0 && i < state.order.length; i += direction)
    if (predicate(state.order[i])) { select(i); return true; }
  return false;
}

function startEdit(id) {
  if (state.editing && state.editing !== id) cancelEdit();
  select(state.order.indexOf(id), false);
  const { node, segment } = state.rows.get(id);
  if (state.editing === id) { node.querySelector("textarea").focus(); return; }
  state.editing = id;
  const lines = segment.target.split("\n").length;
  const editor = el("textarea", { class: "editor", rows: String(Math.max(3, lines + 1)),
                                  "aria-label": `Translation of ${id}` });
  editor.value = segment.target;
  editor.addEventListener("keydown", editorKeys);
  node.querySelector(".tgt").replaceChildren(editor);
  editor.focus();
}

function editorText(id) {
  const entry = state.rows.get(id);
  const editor = entry && entry.node.querySelector("textarea");
  return editor ? editor.value : null;
}

function cancelEdit() {
  const id = state.editing;
  if (!id) return;
  if (state.conflicts.has(id)) takeTheirs(id);  // the text loaded with the page is gone from disk
  else { state.editing = null; update(state.rows.get(id).segment); }
  select(state.order.indexOf(id));
}

async function save(id, action, text) {
  const segment = state.rows.get(id).segment;
  try {
    const result = await post("/api/save", { id, base: segment.version, action, text });
    if (result.status === "conflict") { conflict(id, result, action); return false; }
    update(result.segment);
    // A notice says the text was changed (white space trimmed at its ends): never silently.
    flash(result.notice ? `${id}: ${result.status}, but ${result.notice}` : `${id}: ${result.status}`,
          Boolean(result.notice));
    return true;
  } catch (error) { flash(`${id}: ${error.message}`, true); return false; }
}

async function approve(id) {
  // The text approved is the one on screen, sent along: should the file hold another by now,
  // that is a conflict, never an approval of a text the reviewer has not seen.
  const text = state.editing === id ? editorText(id) : state.rows.get(id).segment.target;
  if (await save(id, "approve", text)) {
    if (!step(1, (other) => visible(other) && state.rows.get(other).segment.state !== "reviewed"))
      flash("no unreviewed segment after this one");
  }
}

async function saveEdit(id) { await save(id, "edit", editorText(id)); select(state.order.indexOf(id)); }
async function revert(id) { await save(id, "revert"); }

// "Yours" is the text the page sent (what the reviewer saw or typed), as the server
// returns it in `mine`; the row keeps showing it until the conflict is settled.
function conflict(id, result, action) {
  const { node } = state.rows.get(id);
  const theirs = result.segment;
  const mine = result.mine;
  state.conflicts.set(id, { theirs, mine, action });
  const box = el("div", { class: "conflict", role: "alert" },
    el("p", { text: "This segment was changed on disk since the page loaded." }),
    el("p", { class: "theirs" }, el("b", { text: "On disk: " }), theirs.target),
    mine ? el("p", { class: "mine" }, el("b", { text: "Yours: " }), mine) : null,
    mine ? el("button", { type: "button", class: "keep-mine", text: "Keep mine",
                          onclick: () => keepMine(id) }) : null,
    el("button", { type: "button", class: "take-theirs", text: "Take the one on disk (Esc)",
                   onclick: () => takeTheirs(id) }));
  node.querySelector(".conflict")?.remove();
  node.append(box);
}

async function keepMine(id) {
  const { theirs, mine, action } = state.conflicts.get(id);
  remember(theirs);  // the reviewer has seen the version on disk: it is the one replaced
  await save(id, action, mine);
}

// The row shows the version on disk (its version the base of the next action); the
// reviewer's text, not saved, stays offered below the row to use again.
function takeTheirs(id) {
  const pending = state.conflicts.get(id);
  if (!pending) return;
  update(pending.theirs);
  if (pending.mine && pending.mine !== pending.theirs.target) {
    offer(id, "Your text, not saved", [pending.mine]);
    flash(`${id}: the version on disk is shown; yours was not saved and is kept below the segment`);
  } else flash(`${id}: the version on disk is shown`);
}

async function alternatives(id) {
  flash(`${id}: asking the engine…`);
  try {
    const { alternatives: found } = await post("/api/alternatives", { id });
    offer(id, "Alternatives", found);
  } catch (error) { flash(`${id}: ${error.message}`, true); }
}

async function translateAgain(id) {
  flash(`${id}: translating again…`);
  try {
    const result = await post("/api/translate-again", { id });
    offer(id, "Translated again", [result.text]);
  } catch (error) { flash(`${id}: ${error.message}`, true); }
}

function offer(id, label, texts) {
  const { node } = state.rows.get(id);
  node.querySelector(".offers")?.remove();
  const list = el("ul", { class: "offers", "aria-label": label }, el("li", {}, el("b", { text: label })));
  for (const text of texts)
    list.append(el("li", {}, el("button", { type: "button", text: "Use", onclick: () => {
      startEdit(id);
      node.querySelector("textarea").value = text;
      list.remove();
    } }), ` ${text}`));
  node.append(list);
  flash(`${id}: ${texts.length} suggestion(s)`);
}

function flash(message, bad = false) {
  const status = document.getElementById("status");
  status.textContent = message;
  status.classList.toggle("bad", bad);
}

function editorKeys(event) {
  const id = state.editing;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); approve(id); }
  else if (event.key === "s" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveEdit(id); }
  else if (event.key === "Escape") { event.preventDefault(); cancelEdit(); }
  event.stopPropagation();
}

function pageKeys(event) {
  if (event.target.closest("input:not([type=radio]), textarea, select, dialog")) return;
  if (event.key === "Enter" && event.target.closest("button, a")) return;  // the button's own
  const id = state.order[state.current];
  if (event.key === "j" || event.key === "ArrowDown") { event.preventDefault(); step(1); }
  else if (event.key === "k" || event.key === "ArrowUp") { event.preventDefault(); step(-1); }
  else if ((event.key === "Enter" || event.key === "e") && id && !event.ctrlKey) { event.preventDefault(); startEdit(id); }
  else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && id) { event.preventDefault(); approve(id); }
  else if (event.key === "Escape" && state.conflicts.has(id)) { event.preventDefault(); takeTheirs(id); }
  else if (event.key === "t") { event.preventDefault(); openTerm(); }
}

// Adding a term: the selected words of a source and a target column fill the form.
function rememberSelection() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed) return;
  const side = selection.anchorNode && selection.anchorNode.parentElement?.closest("[data-side]");
  if (side) state.selection[side.dataset.side] = selection.toString().trim();
}

function openTerm() {
  const form = document.getElementById("term-form");
  form.elements.term.value = state.selection.src;
  form.elements.rendering.value = state.selection.tgt;
  document.getElementById("term-result").replaceChildren();
  document.getElementById("term-dialog").showModal();
  form.elements.term.focus();
}

async function addTerm(event) {
  event.preventDefault();
  const form = event.target;
  const out = document.getElementById("term-result");
  try {
    const result = await post("/api/term", { term: form.elements.term.value,
      rendering: form.elements.rendering.value, glossary: form.elements.glossary.value,
      note: form.elements.note.value });
    out.replaceChildren(el("p", { class: result.status, text: result.message }));
    if (result.status === "added" && result.candidates.length) {
      out.append(el("button", { type: "button", class: "repin",
        text: `Re-pin ${result.candidates.length} unreviewed segment(s): ${result.candidates.join(", ")}`,
        onclick: async () => {
          const { segments } = await post("/api/repin", { ids: result.candidates });
          for (const segment of segments) update(segment);
          out.append(el("p", { text: `${segments.length} segment(s) re-pinned` }));
        } }));
    }
    const others = Object.entries(result.elsewhere || {});
    if (result.status === "added" && others.length) {
      const count = others.reduce((sum, [, ids]) => sum + ids.length, 0);
      out.append(el("button", { type: "button", class: "repin-elsewhere",
        text: `Re-pin ${count} unreviewed segment(s) in ${others.length} other article(s)`,
        title: others.map(([path, ids]) => `${path}: ${ids.join(", ")}`).join("\n"),
        onclick: async (event) => {
          event.target.disabled = true;
          let saved = 0;
          for (const [path, ids] of others) {
            const { segments } = await post("/api/repin", { path, ids });
            saved += segments.length;
          }
          out.append(el("p", { text: `${saved} segment(s) re-pinned in other articles` }));
        } }));
    }
  } catch (error) { out.replaceChildren(el("p", { class: "clash", text: error.message })); }
}

function chrome(article) {
  const filters = el("fieldset", { class: "filter" }, el("legend", { text: "Show" }));
  for (const value of ["all", "flagged", "unreviewed"]) {
    const input = el("input", { type: "radio", name: "filter", value, id: `filter-${value}` });
    input.checked = value === "all";
    input.addEventListener("change", () => { state.filter = value; applyFilter(); });
    filters.append(el("label", { for: `filter-${value}` }, input, ` ${value}`));
  }
  const select = el("select", { name: "glossary" });
  for (const name of article.glossaries) select.append(el("option", { value: name, text: name }));
  document.body.append(
    el("header", { class: "top" },
      el("div", { class: "bar" },
        el("div", { class: "heading" },
          el("h1", { text: article.name }),
          el("p", { class: "pair" }, el("a", { href: "/", text: "workspace" }),
             ` · ${article.path} · ${article.source_lang} → ${article.target_lang}`)),
        el("div", { class: "progress" },
          el("progress", { id: "progress", max: "1", value: "0" }),
          el("span", { id: "progress-text" })),
        filters,
        el("button", { type: "button", id: "add-term", text: "Add term (t)", onclick: openTerm })),
      el("p", { id: "status", role: "status" }),
      el("p", { class: "keys", text: "j/k or ↑/↓ move · Enter edit · Ctrl+Enter approve and go to the next unreviewed · Ctrl+S save without approving · Esc undo the edit (in a conflict: take the one on disk, yours kept below)" })),
    el("main", { class: "review", id: "segments" }),
    el("dialog", { id: "term-dialog" },
      el("form", { id: "term-form", onsubmit: addTerm },
        el("h2", { text: "Add a term to the glossary" }),
        el("label", {}, "Source term ", el("input", { name: "term", required: "" })),
        el("label", {}, `Rendering (${article.target_lang}) `, el("input", { name: "rendering", required: "" })),
        el("label", {}, "Note ", el("input", { name: "note" })),
        el("label", {}, "Glossary ", select),
        el("div", { class: "actions" },
          el("button", { type: "submit", text: "Add" }),
          el("button", { type: "button", text: "Close",
                         onclick: () => document.getElementById("term-dialog").close() })),
        el("div", { id: "term-result", role: "status" }))));
}

async function start() {
  if (document.body.dataset.view !== "article") return;
  const path = document.body.dataset.path;
  const response = await fetch(`/api/article?path=${encodeURIComponent(path)}`, { credentials: "same-origin" });
  const article = await response.json();
  if (!response.ok) { document.body.append(el("p", { class: "bad", text: article.error })); return; }
  state.article = article;
  document.title = `${article.name} (${article.target_lang}) · glossator review`;
  chrome(article);
  render();
  document.addEventListener("keydown", pageKeys);
  document.addEventListener("selectionchange", rememberSelection);
  document.body.dataset.ready = "1";
}

start();
