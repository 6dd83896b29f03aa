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
  state.writes = (state.writes || 0) + 1;  // a poll that overlaps a write is not applied
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Glossator-CSRF": CSRF },
    body: JSON.stringify({ path: state.article.path, ...body }),
  });
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok && response.status !== 409) throw new Error(data.error || response.status);
  return data;
}

function marked(text, marks, tags = []) {
  const out = el("span");
  let position = 0;
  for (const [start, end, kind, title] of marks) {
    if (start < position) continue;
    out.append(...tagged(text.slice(position, start), tags));
    out.append(el("mark", { class: `pin ${kind}`, title, text: text.slice(start, end) }));
    position = end;
  }
  out.append(...tagged(text.slice(position), tags));
  return out;
}

// A document's markup (`<b0>`, `</b0>`, `<c1/>`, the names the segment's source has) shown as
// tags, apart from the words; any other "<...>" is text.
function tagged(text, tags) {
  if (!tags.length) return [text];
  const names = new Map(tags.map(([name, kind]) => [name, kind]));
  const parts = [];
  let position = 0;
  for (const match of text.matchAll(/<(\/?)([a-z][0-9]{1,6})(\/?)>/g)) {
    if (!names.has(match[2])) continue;
    parts.push(text.slice(position, match.index));
    parts.push(el("span", { class: "tag", title: names.get(match[2]), text: match[0] }));
    position = match.index + match[0].length;
  }
  parts.push(text.slice(position));
  return parts;
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
    el("div", { class: "src", "data-side": "src" }, marked(segment.source, segment.source_marks, segment.tags)),
    el("div", { class: "tgt", "data-side": "tgt" },
      segment.target ? marked(segment.target, segment.target_marks, segment.tags)
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
  decorateRow(row, segment);
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
  showEmptyFilter();
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
  decorateEditor(editor, id);
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

async function save(id, action, text, extra = {}) {
  const segment = state.rows.get(id).segment;
  try {
    const result = await post("/api/save", { id, base: segment.version, action, text, ...extra });
    if (result.status === "conflict") { conflict(id, result, action); return false; }
    if (result.status === "ask") return askApproval(id, result, text);
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
  if (await save(id, "approve", text, { ask: true })) {
    if (!step(1, (other) => visible(other) && state.rows.get(other).segment.state !== "reviewed"))
      flash("no unreviewed segment after this one");
  }
}

async function saveEdit(id) { await save(id, "edit", editorText(id)); select(state.order.indexOf(id)); }
async function revert(id) { await save(id, "revert"); select(state.order.indexOf(id)); }

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
  decorateConflict(box, theirs.target, mine);
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
  else if (editorShortcut(event, id)) event.preventDefault();
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
  else if ((event.key === "Enter" || event.key === "e") && id && !event.ctrlKey && !event.metaKey) { event.preventDefault(); startEdit(id); }
  else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && id) { event.preventDefault(); approve(id); }
  else if (event.key === "Escape" && state.conflicts.has(id)) { event.preventDefault(); takeTheirs(id); }
  else if (event.key === "t") { event.preventDefault(); openTerm(); }
  else if (pageShortcut(event, id)) event.preventDefault();
}

// Adding a term: the selected words of a source and a target column fill the form.
function rememberSelection() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed) return;
  const side = selection.anchorNode && selection.anchorNode.parentElement?.closest("[data-side]");
  if (side) {
    state.selection[side.dataset.side] = selection.toString().trim();
    state.selection[`${side.dataset.side}Of`] = side.closest(".seg")?.id.slice(1);
  }
}

function openTerm() {
  const form = document.getElementById("term-form");
  const [term, rendering] = selectedForTerm();
  form.elements.term.value = term;
  form.elements.rendering.value = rendering;
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
      el("p", { class: "keys", text: "j/k or ↑/↓ move · Enter edit · Ctrl+Enter approve and go to the next unreviewed · Ctrl+S save without approving · Esc undo the edit (in a conflict: take the one on disk, yours kept below) · t add a term · ? every shortcut" })),
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
  instruments(article);
  document.addEventListener("keydown", pageKeys);
  document.addEventListener("selectionchange", rememberSelection);
  document.body.dataset.ready = "1";
}

// ---------------------------------------------------------------------------------------
// Instruments from the trial (issue 19): help, go to a segment, next flagged, keys caught
// everywhere, the editor's buttons and growth, the filter kept in the address, QA words
// marked, approval that asks first, comments, history and diffs, changes on disk shown
// without a reload, stale outputs rebuilt. Hooks called from the code above:
// decorateRow, decorateEditor, decorateConflict, askApproval, editorShortcut, pageShortcut,
// selectedForTerm, showEmptyFilter, instruments.

const POLL_MS = 1500;
const FILTER_EMPTY = { flagged: "No segment is flagged.", unreviewed: "Every segment is reviewed.",
                       all: "This article has no segments." };
const SHORTCUTS = [
  ["j / k, ↓ / ↑", "next / previous segment"],
  ["n / Shift+N", "next / previous flagged segment"],
  ["g", "go to a segment by its id"],
  ["Enter or e", "edit the segment"],
  ["Ctrl+Enter (⌘+Enter)", "approve and go to the next unreviewed segment"],
  ["Ctrl+S (⌘+S)", "save the edit without approving"],
  ["Esc", "undo the edit; in a conflict, take the version on disk (yours kept below)"],
  ["t (Alt+T in the editor)", "add a term; the words selected in this segment fill the form"],
  ["c", "comment on the segment"],
  ["h", "the segment's history"],
  ["?", "this list"],
];

function currentId() { return state.order[state.current]; }

// Rows ----------------------------------------------------------------------------------

function decorateRow(row, segment) {
  const marks = [...segment.target_marks, ...(segment.qa_marks || [])].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  if (segment.target && segment.qa_marks && segment.qa_marks.length)
    row.querySelector(".tgt").replaceChildren(marked(segment.target, marks));
  if (segment.comment) {
    let remarks = row.querySelector(".remarks");
    if (!remarks) { remarks = el("ul", { class: "remarks" }); row.querySelector(".actions").before(remarks); }
    remarks.append(el("li", { class: "comment" }, el("b", { text: "Comment" }), ` ${segment.comment}`));
  }
  const actions = row.querySelector(".actions");
  const reason = state.article.one_translation;
  for (const button of actions.querySelectorAll("button")) {
    if (reason && ["Alternatives", "Translate again"].includes(button.textContent)) {
      button.disabled = true;
      button.title = reason;
      button.setAttribute("aria-describedby", "engine-note");
    }
  }
  actions.append(
    el("button", { type: "button", class: "comment-button", text: "Comment (c)", onclick: () => openComment(segment.id) }),
    el("button", { type: "button", class: "history-button", text: "History (h)", onclick: () => showHistory(segment.id) }));
}

function showEmptyFilter() {
  let note = document.getElementById("empty-filter");
  if (!note) {
    const main = document.getElementById("segments");
    if (!main) return;
    note = el("p", { id: "empty-filter", role: "status" });
    main.before(note);
  }
  const any = [...state.rows.values()].some(({ node }) => !node.hidden);
  note.textContent = any ? "" : FILTER_EMPTY[state.filter];
  note.hidden = any;
}

// The editor ----------------------------------------------------------------------------

function decorateEditor(editor, id) {
  const grow = () => { editor.style.height = "auto"; editor.style.height = `${editor.scrollHeight + 4}px`; };
  editor.addEventListener("input", grow);
  requestAnimationFrame(grow);
  editor.after(el("div", { class: "editor-actions" },
    el("button", { type: "button", class: "save-edit", text: "Save (Ctrl+S)", onclick: () => saveEdit(id) }),
    el("button", { type: "button", class: "cancel-edit", text: "Cancel (Esc)", onclick: () => cancelEdit() })));
  const tags = state.rows.get(id).segment.tags || [];
  if (tags.length) editor.after(tagButtons(editor, tags));
}

// The source's tags, each a button that puts it in the translation: a pair around the
// selected words, a point at the cursor (as OmegaT inserts tags); QA flags a tag left out.
function tagButtons(editor, tags) {
  const bar = el("div", { class: "tag-buttons", role: "group", "aria-label": "Insert the source's markup" });
  for (const [name, kind, point] of tags) {
    const label = point ? `<${name}/>` : `<${name}>…</${name}>`;
    bar.append(el("button", { type: "button", class: "tag", title: `Insert ${kind} markup`, text: label,
      onclick: () => {
        const { selectionStart: start, selectionEnd: end, value } = editor;
        const inner = value.slice(start, end);
        const text = point ? `<${name}/>` : `<${name}>${inner}</${name}>`;
        editor.setRangeText(text, start, end, "end");
        editor.dispatchEvent(new Event("input"));
        editor.focus();
      } }));
  }
  return bar;
}

function editorShortcut(event, id) {
  if (event.altKey && event.code === "KeyT") { openTerm(); return true; }
  return false;
}

// The words selected for a new term, from the current segment only: a selection left in
// another segment is not this segment's term. In the editor, its own selection.
function selectedForTerm() {
  const id = currentId();
  const term = state.selection.srcOf === id ? state.selection.src : "";
  let rendering = state.selection.tgtOf === id ? state.selection.tgt : "";
  const editor = state.editing === id && state.rows.get(id).node.querySelector(".tgt textarea");
  if (editor) rendering = editor.value.slice(editor.selectionStart, editor.selectionEnd).trim();
  return [term, rendering];
}

// Keys ----------------------------------------------------------------------------------

function pageShortcut(event, id) {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  if (event.key === "?") { document.getElementById("help-dialog").showModal(); return true; }
  if (event.key === "g") { openGoTo(); return true; }
  if (event.key === "n" || event.key === "N") {
    const direction = event.key === "n" ? 1 : -1;
    if (!step(direction, (other) => visible(other) && state.rows.get(other).segment.flagged))
      flash(direction > 0 ? "no flagged segment after this one" : "no flagged segment before this one");
    return true;
  }
  if (event.key === "c" && id) { openComment(id); return true; }
  if (event.key === "h" && id) { showHistory(id); return true; }
  return false;
}

// Ctrl+S (⌘+S) and Ctrl+Enter (⌘+Enter) wherever the focus is, the browser's own Save
// never: the editor's own keys handle them there.
function globalKeys(event) {
  if (!(event.ctrlKey || event.metaKey)) return;
  if (event.target.closest("textarea.editor, textarea.comment-editor, dialog")) return;
  const id = state.editing || currentId();
  if (event.key === "s") {
    event.preventDefault(); event.stopPropagation();
    if (state.editing) saveEdit(state.editing);
    else flash("nothing to save: Ctrl+S saves the segment being edited");
  } else if (event.key === "Enter" && id) {
    event.preventDefault(); event.stopPropagation();
    approve(id);
  }
}

// Dialogs: help and go to -----------------------------------------------------------------

function helpDialog() {
  const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Key" }),
                                                    el("th", { scope: "col", text: "Does" }))));
  const body = el("tbody");
  for (const [key, does] of SHORTCUTS) body.append(el("tr", {}, el("th", { scope: "row" }, el("kbd", { text: key })), el("td", { text: does })));
  table.append(body);
  return el("dialog", { id: "help-dialog", "aria-labelledby": "help-title" },
    el("h2", { id: "help-title", text: "Keyboard shortcuts" }), table,
    el("div", { class: "actions" }, el("button", { type: "button", text: "Close",
      onclick: () => document.getElementById("help-dialog").close() })));
}

function goToDialog() {
  const out = el("p", { id: "goto-result", role: "alert" });
  const form = el("form", { id: "goto-form", onsubmit: (event) => {
    event.preventDefault();
    const wanted = form.elements.segment.value.trim().replace(/^s/i, "");
    const index = state.order.indexOf(wanted);
    if (index < 0) { out.textContent = `No segment ${wanted} in this article (ids look like 3.2)`; return; }
    document.getElementById("goto-dialog").close();
    if (!visible(wanted)) setFilter("all");
    select(index);
  } },
    el("h2", { id: "goto-title", text: "Go to a segment" }),
    el("label", {}, "Segment id ", el("input", { name: "segment", required: "", autocomplete: "off", placeholder: "3.2" })),
    out,
    el("div", { class: "actions" }, el("button", { type: "submit", text: "Go" }),
      el("button", { type: "button", text: "Close", onclick: () => document.getElementById("goto-dialog").close() })));
  return el("dialog", { id: "goto-dialog", "aria-labelledby": "goto-title" }, form);
}

function openGoTo() {
  const form = document.getElementById("goto-form");
  form.reset();
  document.getElementById("goto-result").textContent = "";
  document.getElementById("goto-dialog").showModal();
  form.elements.segment.focus();
}

// The filter, kept in the address so that a reload keeps it ----------------------------

function setFilter(value) {
  state.filter = value;
  const input = document.getElementById(`filter-${value}`);
  if (input) input.checked = true;
  const url = new URL(location.href);
  if (value === "all") url.searchParams.delete("filter"); else url.searchParams.set("filter", value);
  history.replaceState(null, "", url);
  applyFilter();
}

// Approving with open findings asks first ------------------------------------------------

function askDialog() {
  return el("dialog", { id: "ask-dialog", "aria-labelledby": "ask-title" },
    el("h2", { id: "ask-title", text: "Approve with open findings?" }),
    el("ul", { id: "ask-findings", class: "remarks" }),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "approve-anyway", text: "Approve anyway",
                     onclick: () => document.getElementById("ask-dialog").close("approve") }),
      el("button", { type: "button", class: "ask-cancel", text: "Cancel (Esc)",
                     onclick: () => document.getElementById("ask-dialog").close("cancel") })));
}

function askApproval(id, result, text) {
  const dialog = document.getElementById("ask-dialog");
  const list = document.getElementById("ask-findings");
  list.replaceChildren();
  for (const note of result.segment.notes) list.append(el("li", { class: "missed" }, el("b", { text: "Note" }), ` ${note}`));
  for (const finding of result.segment.qa) list.append(el("li", { class: "qa" }, el("b", { text: "QA" }), ` ${finding}`));
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", async () => {
      const row = state.rows.get(id).node;
      if (dialog.returnValue === "approve") resolve(await save(id, "approve", text));
      else { flash(`${id}: not approved`); (state.editing === id ? row.querySelector(".tgt textarea") : row).focus(); resolve(false); }
    }, { once: true });
    dialog.showModal();
    dialog.querySelector(".ask-cancel").focus();
  });
}

// Differences, word by word --------------------------------------------------------------

function diffWords(before, after) {
  const tokens = (text) => text.match(/\s+|[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu) || [];
  const a = tokens(before), b = tokens(after);
  const lcs = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = el("span", { class: "diff" });
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { out.append(a[i]); i++; j++; }
    else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) out.append(el("del", { text: a[i++] }));
    else out.append(el("ins", { text: b[j++] }));
  }
  return out;
}

function decorateConflict(box, theirs, mine) {
  if (!mine || mine === theirs) return;
  box.querySelector(".mine").after(el("p", { class: "changes" },
    el("b", { text: "From the disk's to yours: " }), diffWords(theirs, mine)));
}

// Comments --------------------------------------------------------------------------------

function openComment(id) {
  const { node, segment } = state.rows.get(id);
  select(state.order.indexOf(id), false);
  let form = node.querySelector("form.comment-form");
  if (form) { form.elements.comment.focus(); return; }
  const editor = el("textarea", { name: "comment", class: "comment-editor", rows: "2",
                                  "aria-label": `Comment on ${id}` });
  editor.value = segment.comment;
  const base = segment.comment;
  const close = () => { form.remove(); select(state.order.indexOf(id)); };
  const submit = async () => {
    try {
      const result = await post("/api/comment", { id, base: state.rows.get(id).segment.comment, text: editor.value });
      if (result.status === "conflict") {
        update(result.segment, { keepEditor: true });
        flash(`${id}: the comment was changed on disk to “${result.segment.comment}”; yours is kept in the form: save again to replace it`, true);
        return;
      }
      form.remove();
      update(result.segment, { keepEditor: true });
      flash(`${id}: comment ${result.status}`);
      select(state.order.indexOf(id));
    } catch (error) { flash(`${id}: ${error.message}`, true); }
  };
  editor.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === "s") && (event.ctrlKey || event.metaKey)) { event.preventDefault(); submit(); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
    event.stopPropagation();
  });
  form = el("form", { class: "comment-form", onsubmit: (event) => { event.preventDefault(); submit(); } },
    editor,
    el("div", { class: "editor-actions" },
      el("button", { type: "submit", text: "Save comment (Ctrl+S)" }),
      el("button", { type: "button", text: "Cancel (Esc)", onclick: close })));
  form.dataset.base = base;
  node.append(form);
  editor.focus();
}

// History ---------------------------------------------------------------------------------

async function showHistory(id) {
  const { node } = state.rows.get(id);
  select(state.order.indexOf(id), false);
  node.querySelector(".history")?.remove();
  let records;
  try {
    const response = await fetch(`/api/history?path=${encodeURIComponent(state.article.path)}&id=${encodeURIComponent(id)}`,
                                 { credentials: "same-origin" });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.status);
    records = data.history;
  } catch (error) { flash(`${id}: ${error.message}`, true); return; }
  const segment = state.rows.get(id).segment;
  const machine = segment.machine || (records.length ? "" : segment.target);
  const list = el("ul", { class: "history", "aria-label": `History of ${id}` },
    el("li", {}, el("b", { text: "History" }),
       el("button", { type: "button", class: "close-history", text: "Close", onclick: () => { list.remove(); select(state.order.indexOf(id)); } })));
  if (machine) list.append(el("li", { class: "machine-text" }, el("span", { class: "when", text: "machine text" }), ` ${machine}`));
  if (!records.length) list.append(el("li", { text: "No save recorded yet." }));
  for (const record of [...records].reverse()) {
    const label = `${record.when.replace("T", " ").replace("+00:00", " UTC")} · ${record.who} · ${record.action}`;
    const item = el("li", { class: `record ${record.action}` }, el("span", { class: "when", text: label }), " ");
    if (record.action === "comment") item.append(el("i", { text: record.comment ? `comment: ${record.comment}` : "comment removed" }));
    else {
      item.append(machine ? diffWords(machine, record.text) : record.text);
      if (record.text !== state.rows.get(id).segment.target)
        item.append(" ", el("button", { type: "button", class: "restore", text: "Restore",
          onclick: async () => {
            if (await save(id, "edit", record.text)) { flash(`${id}: text of ${label} restored (not approved)`); }
            select(state.order.indexOf(id));
          } }));
    }
    list.append(item);
  }
  node.append(list);
  list.querySelector("button").focus();
}

// Changes on disk: a cheap version asked every POLL_MS, the article read when it changed ----

async function poll() {
  if (state.pollPaused || state.polling || document.hidden) return;
  state.polling = true;
  const writes = state.writes || 0;
  try {
    const query = `path=${encodeURIComponent(state.article.path)}`;
    const { file_version: version } = await (await fetch(`/api/version?${query}`, { credentials: "same-origin" })).json();
    if (version === state.fileVersion) return;
    const response = await fetch(`/api/article?${query}`, { credentials: "same-origin" });
    const article = await response.json();
    if (!response.ok || (state.writes || 0) !== writes) return;  // a save overlapped: ask again
    state.fileVersion = article.file_version;
    applyDiskChanges(article);
    refreshOutputs();
  } catch (error) { /* the server stopped: the next save says so */ } finally { state.polling = false; }
}

function applyDiskChanges(article) {
  const ids = article.segments.map((s) => s.id);
  if (ids.join(" ") !== state.order.join(" ")) {
    const note = document.getElementById("reload-note");
    note.hidden = false;
    return;
  }
  const changed = [];
  for (const segment of article.segments) {
    const local = state.rows.get(segment.id).segment;
    if (JSON.stringify(local) === JSON.stringify(segment)) continue;
    const pending = state.conflicts.get(segment.id);
    if (pending) { pending.theirs = segment; conflict(segment.id, { segment, mine: pending.mine }, pending.action); }
    else if (state.editing === segment.id && local.version !== segment.version)
      conflict(segment.id, { segment, mine: editorText(segment.id) }, "edit");
    else if (state.editing === segment.id) update(segment, { keepEditor: true });
    else update(segment);
    changed.push(segment.id);
  }
  if (changed.length) flash(`changed on disk, shown now: ${changed.join(", ")}`);
}

// Outputs beside the PO: stale after a save, rebuilt in one action ------------------------

async function refreshOutputs() {
  const bar = document.getElementById("outputs");
  try {
    const response = await fetch(`/api/outputs?path=${encodeURIComponent(state.article.path)}`, { credentials: "same-origin" });
    const { outputs } = await response.json();
    const stale = outputs.filter((output) => output.stale).map((output) => output.name);
    bar.hidden = !stale.length;
    bar.querySelector(".stale-names").textContent =
      `${stale.join(", ")} ${stale.length === 1 ? "is" : "are"} older than the saved translation. `;
  } catch (error) { bar.hidden = true; }
}

async function rebuildOutputs(event) {
  event.target.disabled = true;
  try {
    const { written } = await post("/api/rebuild", {});
    flash(`rebuilt: ${written.join(", ")}`);
    await refreshOutputs();
  } catch (error) { flash(`rebuild: ${error.message}`, true); } finally { event.target.disabled = false; }
}

// Setting it all up -----------------------------------------------------------------------

function instruments(article) {
  const top = document.querySelector("header.top");
  if (article.one_translation)
    top.querySelector(".keys").before(el("p", { id: "engine-note", class: "note",
      text: `Alternatives and Translate again are off: ${article.one_translation}.` }));
  top.append(
    el("p", { id: "outputs", class: "note", hidden: "" }, el("span", { class: "stale-names" }),
       el("button", { type: "button", class: "rebuild", text: "Rebuild outputs", onclick: rebuildOutputs })),
    el("p", { id: "reload-note", class: "note", role: "alert", hidden: "" },
       "Segments were added or removed on disk. ",
       el("button", { type: "button", text: "Reload the article", onclick: () => location.reload() })));
  document.body.append(helpDialog(), goToDialog(), askDialog());
  document.querySelector("fieldset.filter").addEventListener("change", (event) => setFilter(event.target.value));
  const wanted = new URL(location.href).searchParams.get("filter");
  if (wanted && FILTER_EMPTY[wanted]) setFilter(wanted);
  document.addEventListener("keydown", globalKeys, true);
  state.fileVersion = article.file_version;
  setInterval(poll, POLL_MS);
  refreshOutputs();
}

start();
