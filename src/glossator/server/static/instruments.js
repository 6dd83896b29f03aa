// glossator review workspace: the reviewer's instruments beside the segments — memory
// matches (Ctrl+1..5 insert), the glossary panel (click a form to insert it), concordance and
// search and replace. Loaded after workspace.js, whose state, el(), post(), startEdit(),
// update() and flash() it uses. Text goes into the page with textContent only. Everything
// here stays inside one function, so no name of it meets one of workspace.js.
"use strict";

(() => {
const instruments = { shown: null, matches: [], timer: 0, batch: 0 };
const KEYS = [["Ctrl+1 … Ctrl+5", "put memory match 1 … 5 in the editor"],
              ["/", "concordance: a word or phrase in reviewed segments"],
              ["r", "find and replace in translations"]];

function currentId() {
  const row = document.querySelector("#segments .seg.current");
  return row ? row.id.slice(1) : null;
}

// The editor of segment `id`, opened where it is not.
function editorOf(id) {
  if (state.editing !== id) startEdit(id);
  return state.rows.get(id).node.querySelector("textarea");
}

function useMatch(number) {
  const id = instruments.shown;
  const match = instruments.matches[number - 1];
  if (!id || !match) { flash(`no match ${number} for this segment`, true); return; }
  const editor = editorOf(id);
  editor.value = match.target;
  editor.focus();
  editor.dispatchEvent(new Event("input", { bubbles: true }));
  flash(`${id}: match ${number} (${match.score}%) in the editor; Ctrl+S saves it, Ctrl+Enter approves it`);
}

function insertText(id, text) {
  const editor = editorOf(id);
  const start = editor.selectionStart ?? editor.value.length;
  const end = editor.selectionEnd ?? start;
  const before = editor.value.slice(0, start);
  const spaced = before && !/\s$/.test(before) && start === editor.value.length ? ` ${text}` : text;
  editor.setRangeText(spaced, start, end, "end");
  editor.focus();
  editor.dispatchEvent(new Event("input", { bubbles: true }));
}

function diffView(pieces) {
  const out = el("span", { class: "diff" });
  for (const [kind, text] of pieces) {
    if (kind === "same") out.append(text);
    else out.append(el(kind === "insert" ? "ins" : "del", { text }));
  }
  return out;
}

function spansView(text, spans) {
  const out = el("span");
  let position = 0;
  for (const [start, end] of spans) {
    out.append(text.slice(position, start), el("mark", { class: "found", text: text.slice(start, end) }));
    position = end;
  }
  out.append(text.slice(position));
  return out;
}

async function showSegment(id) {
  instruments.shown = id;
  const matches = document.getElementById("tm-matches");
  const concepts = document.getElementById("tm-concepts");
  matches.replaceChildren(el("li", { class: "quiet", text: "…" }));
  concepts.replaceChildren();
  document.getElementById("tm-segment").textContent = id ? `Segment ${id}` : "No segment chosen";
  if (!id) { matches.replaceChildren(); return; }
  const [found, glossary] = await Promise.all([
    post("/api/matches", { id }).catch((error) => ({ error: error.message })),
    post("/api/concepts", { id }).catch((error) => ({ error: error.message }))]);
  if (instruments.shown !== id) return;  // another segment was chosen meanwhile
  instruments.matches = found.matches || [];
  matches.replaceChildren();
  if (found.error) matches.append(el("li", { class: "bad", text: found.error }));
  else if (!instruments.matches.length) matches.append(el("li", { class: "quiet", text: "No match of 75% or more." }));
  instruments.matches.forEach((match, index) => {
    const number = index + 1;
    matches.append(el("li", { class: "match" },
      el("div", { class: "head" },
        el("span", { class: "score", text: `${match.score}%` }),
        el("span", { class: "origin", text: match.origin }),
        el("button", { type: "button", class: "use-match", text: `Use (Ctrl+${number})`,
                       onclick: () => useMatch(number) })),
      el("p", { class: "msrc", title: "Struck: only in this segment; marked: only in the match" }, diffView(match.diff)),
      el("p", { class: "mtgt", text: match.target })));
  });
  if (glossary.error) concepts.append(el("li", { class: "bad", text: glossary.error }));
  else if (!glossary.concepts.length) concepts.append(el("li", { class: "quiet", text: "No glossary term in this segment." }));
  for (const concept of glossary.concepts || []) {
    const forms = el("ul", { class: "forms" });
    for (const form of concept.forms) {
      const about = ` ${form.status === "deprecated" ? "deprecated: to avoid" : form.status}` +
                    (form.grammar ? ` · ${form.grammar}` : "");
      forms.append(el("li", {}, form.status === "deprecated"
        ? el("s", { class: "form deprecated", text: form.text })
        : el("button", { type: "button", class: `form ${form.status}`, text: form.text,
                         title: `Insert “${form.text}” at the cursor`,
                         onclick: () => insertText(id, form.text) }),
        about));
    }
    concepts.append(el("li", { class: "concept" },
      el("b", { text: concept.name }),
      concept.variants.length > 1 ? ` (${concept.variants.slice(1).join(", ")})` : null,
      concept.note ? el("p", { class: "note", text: concept.note }) : null,
      concept.forms.length ? forms : el("p", { class: "quiet", text: "No form in this language." })));
  }
}

function watchCurrent() {
  clearTimeout(instruments.timer);
  instruments.timer = setTimeout(() => {
    const id = currentId();
    if (id !== instruments.shown) showSegment(id);
  }, 60);
}

async function concordance(event) {
  event.preventDefault();
  const phrase = event.target.elements.phrase.value.trim();
  const out = document.getElementById("tm-hits");
  if (!phrase) { out.replaceChildren(el("li", { class: "quiet", text: "Type a word or a phrase." })); return; }
  try {
    const found = await post("/api/concordance", { phrase });
    out.replaceChildren();
    if (!found.hits.length) out.append(el("li", { class: "quiet", text: `“${phrase}” is in no reviewed segment.` }));
    for (const hit of found.hits)
      out.append(el("li", { class: "hit" },
        el("p", { class: "msrc" }, spansView(hit.source, hit.source_spans)),
        el("p", { class: "mtgt" }, spansView(hit.target, hit.target_spans)),
        el("p", { class: "origin", text: hit.origin })));
    if (found.more) out.append(el("li", { class: "quiet", text: `Only the first ${found.hits.length} are shown.` }));
  } catch (error) { out.replaceChildren(el("li", { class: "bad", text: error.message })); }
}

// Search and replace: a preview whose rows the reviewer may untick, then one batch, undoable.
function replaceRequest(form) {
  return { find: form.elements.find.value, replacement: form.elements.replacement.value,
           regex: form.elements.regex.checked, case: form.elements.case.checked,
           reviewed: form.elements.reviewed.checked, scope: form.elements.scope.value };
}

async function previewReplace(event) {
  event.preventDefault();
  const form = document.getElementById("replace-form");
  const out = document.getElementById("replace-preview");
  try {
    const preview = await post("/api/replace/preview", replaceRequest(form));
    out.replaceChildren();
    const table = el("table", { class: "changes" },
      el("thead", {}, el("tr", {}, el("th", { text: "Replace" }), el("th", { text: "Segment" }),
                                   el("th", { text: "Before" }), el("th", { text: "After" }))));
    const rows = el("tbody");
    for (const change of preview.changes) {
      const box = el("input", { type: "checkbox", "aria-label": `Replace in ${change.path} ${change.id}` });
      box.checked = true;
      box.change = change;
      rows.append(el("tr", {}, el("td", {}, box),
        el("td", { text: `${change.path} ${change.id}${change.state === "reviewed" ? " (reviewed)" : ""}` }),
        el("td", { class: "before", text: change.before }), el("td", { class: "after" }, diffView(change.diff))));
    }
    table.append(rows);
    const summary = `${preview.changes.length} segment(s) would change` +
      (preview.reviewed ? `; ${preview.reviewed} reviewed segment(s) hold it and are left alone` : "");
    out.append(el("p", { class: "summary", text: summary }));
    if (preview.changes.length) {
      out.append(table, el("button", { type: "button", id: "replace-apply", text: "Replace in the ticked segments",
        onclick: () => applyReplace(form, rows) }));
    }
  } catch (error) { out.replaceChildren(el("p", { class: "bad", text: error.message })); }
}

function showChanged(segments) {
  for (const { path, segment } of segments)
    if (path === state.article.path && state.rows.has(segment.id)) update(segment);
}

async function applyReplace(form, rows) {
  const out = document.getElementById("replace-preview");
  const changes = [...rows.querySelectorAll("input:checked")].map((box) => (
    { path: box.change.path, id: box.change.id, version: box.change.version }));
  try {
    const result = await post("/api/replace/apply", { ...replaceRequest(form), changes });
    showChanged(result.saved);
    out.replaceChildren(el("p", { class: "summary", text:
      `${result.saved.length} segment(s) changed` +
      (result.left.length ? `; left alone: ${result.left.map((item) => `${item.path} ${item.id} (${item.why})`).join(", ")}` : "") }));
    if (result.batch) {
      instruments.batch = result.batch;
      out.append(el("button", { type: "button", id: "replace-undo", text: "Undo this replacement",
                                onclick: () => undoReplace(result.batch) }));
    }
    flash(`${result.saved.length} segment(s) changed by the replacement`);
  } catch (error) { out.replaceChildren(el("p", { class: "bad", text: error.message })); }
}

async function undoReplace(batch) {
  const out = document.getElementById("replace-preview");
  try {
    const result = await post("/api/replace/undo", { batch });
    showChanged(result.restored);
    out.replaceChildren(el("p", { class: "summary", text:
      `${result.restored.length} segment(s) given their earlier text back` +
      (result.left.length ? `; left alone: ${result.left.map((item) => `${item.path} ${item.id} (${item.why})`).join(", ")}` : "") }));
    flash(`replacement undone in ${result.restored.length} segment(s)`);
  } catch (error) { out.replaceChildren(el("p", { class: "bad", text: error.message })); }
}

function openReplace() {
  document.getElementById("replace-preview").replaceChildren();
  document.getElementById("replace-dialog").showModal();
  document.getElementById("replace-form").elements.find.focus();
}

function instrumentKeys(event) {
  // Capture phase: Ctrl+1..5 work inside the editor too, whose own handler stops the rest.
  if ((event.ctrlKey || event.metaKey) && !event.altKey && /^[1-5]$/.test(event.key)) {
    if (event.target.closest("dialog")) return;
    event.preventDefault();
    event.stopPropagation();
    if (currentId() !== instruments.shown) showSegment(currentId());
    useMatch(Number(event.key));
    return;
  }
  if (event.target.closest("input, textarea, select, dialog") || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/") { event.preventDefault(); document.getElementById("tm-phrase").focus(); }
  else if (event.key === "r") { event.preventDefault(); openReplace(); }
}

function instrumentsPanel() {
  const check = (name, label) => el("label", {}, el("input", { type: "checkbox", name }), ` ${label}`);
  const scope = el("select", { name: "scope" },
    el("option", { value: "article", text: "this article" }),
    el("option", { value: "workspace", text: "every article of the workspace" }));
  document.body.classList.add("with-instruments");
  document.body.append(
    el("aside", { class: "instruments", "aria-label": "Translation memory and glossary" },
      el("h2", { id: "tm-segment", text: "No segment chosen" }),
      el("section", { "aria-labelledby": "tm-matches-title" },
        el("h3", { id: "tm-matches-title", text: "Memory matches" }),
        el("ol", { id: "tm-matches", class: "panel-list" })),
      el("section", { "aria-labelledby": "tm-concepts-title" },
        el("h3", { id: "tm-concepts-title", text: "Glossary" }),
        el("ul", { id: "tm-concepts", class: "panel-list" })),
      el("section", { "aria-labelledby": "tm-search-title" },
        el("h3", { id: "tm-search-title", text: "Concordance (/)" }),
        el("form", { id: "concordance-form", role: "search", onsubmit: concordance },
          el("input", { id: "tm-phrase", name: "phrase", type: "search",
                        "aria-label": "Word or phrase in reviewed segments" }),
          el("button", { type: "submit", text: "Search" })),
        el("ul", { id: "tm-hits", class: "panel-list" })),
      el("p", { class: "panel-keys", text: "Ctrl+1..5 use a match · click a form to insert it · / concordance · r find and replace" }),
      el("button", { type: "button", id: "open-replace", text: "Find and replace (r)", onclick: openReplace })),
    el("dialog", { id: "replace-dialog", "aria-labelledby": "replace-title" },
      el("form", { id: "replace-form", onsubmit: previewReplace },
        el("h2", { id: "replace-title", text: "Find and replace in translations" }),
        el("label", {}, "Find ", el("input", { name: "find", required: "" })),
        el("label", {}, "Replace with ", el("input", { name: "replacement" })),
        check("regex", "regular expression (\\1 in the replacement is the first group)"),
        check("case", "match case"),
        check("reviewed", "reviewed segments too (they become edits, to approve again)"),
        el("label", {}, "In ", scope),
        el("div", { class: "actions" },
          el("button", { type: "submit", text: "Preview" }),
          el("button", { type: "button", text: "Close",
                         onclick: () => document.getElementById("replace-dialog").close() })),
        el("div", { id: "replace-preview", role: "status" }))));
  document.getElementById("replace-form").elements.case.checked = true;
}

function startInstruments() {
  if (document.body.dataset.view !== "article" || document.querySelector("aside.instruments")) return;
  instrumentsPanel();
  new MutationObserver(watchCurrent).observe(document.getElementById("segments"),
    { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
  document.addEventListener("keydown", instrumentKeys, true);
  const help = document.querySelector("#help-dialog tbody");  // the page's list of keys, if any
  for (const [key, does] of help ? KEYS : [])
    help.append(el("tr", {}, el("th", { scope: "row" }, el("kbd", { text: key })), el("td", { text: does })));
  watchCurrent();
  document.body.dataset.instruments = "1";
}

if (document.body.dataset.ready === "1") startInstruments();
else new MutationObserver((_records, observer) => {
  if (document.body.dataset.ready === "1") { observer.disconnect(); startInstruments(); }
}).observe(document.body, { attributes: true, attributeFilter: ["data-ready"] });
})();
