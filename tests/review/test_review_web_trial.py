"""The review workspace's instruments from the trial (issue 19), in a real browser: Playwright
driving Debian's chromium against the server the CLI starts, the PO checked on disk with polib.

axe-core checks every page for accessibility violations where its script is at hand
(`npm install axe-core` in the repository, or AXE_CORE_JS naming axe.min.js); skipped, saying
so, where it is not: nothing is downloaded by the tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from glossator.review.workspace import Workspace
from helpers import PO, REPO, project, review_server, translated

CHROMIUM = shutil.which("chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None,
                                 reason="chromium is not installed (apt-get install chromium)")]
__all__ = ["project", "translated"]
KEPT_PINS = "O ministro Serguei Shoigu chegou a Pyongyang no domingo."  # 3.1, nothing to flag
AXE_JS = Path(os.environ.get("AXE_CORE_JS") or REPO / "node_modules" / "axe-core" / "axe.min.js")


@pytest.fixture
def server(project: Path) -> Iterator[str]:
    with review_server(project, "--glossary", "terms.csv") as (url, _process):
        yield url


@pytest.fixture(params=["light"])
def page(server: str, request: pytest.FixtureRequest) -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900},
                                color_scheme=request.param)
        page.goto(server)
        yield page
        browser.close()


def open_article(page, query: str = "") -> None:
    page.click(f"a[href='/article?path={PO}']")
    if query:
        page.goto(page.url + query)
    page.wait_for_selector("body[data-ready='1']")


def entries(project: Path) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in polib.pofile(str(project / "out" / PO))}


def change_on_disk(project: Path, segment_id: str, text: str) -> None:
    """Another editor changes the segment after the page loaded it."""
    workspace = Workspace(project / "out", glossary_paths=[])
    loaded = next(s for s in workspace.article(PO)["segments"] if s["id"] == segment_id)
    workspace.save(PO, segment_id, loaded["version"], "edit", text, reviewer="Bia")


def edit(page, segment_id: str, text: str, key: str = "Control+s") -> None:
    row = f"#s{segment_id.replace('.', chr(92) + '.')}"
    page.click(f"{row} .src")
    page.keyboard.press("Enter")
    page.locator(f"{row} textarea.editor").fill(text)
    page.keyboard.press(key)


def flag(project: Path, segment_id: str, text: str) -> None:
    """Give a segment a QA finding before the page loads."""
    change_on_disk(project, segment_id, text)


# axe-core on every page ----------------------------------------------------------------------

def axe_violations(page) -> list[str]:
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # CDP evaluation: the page's CSP allows it
    found = page.evaluate("""async () => (await axe.run(document)).violations.flatMap(
        (v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}: ${n.failureSummary}`))""")
    return found


@pytest.mark.skipif(not AXE_JS.is_file(),
                    reason=f"axe-core is not installed ({AXE_JS} missing): `npm install "
                           "axe-core` in the repository, or AXE_CORE_JS=path/to/axe.min.js")
@pytest.mark.parametrize("page", ["light", "dark"], indirect=True)
def test_axe_finds_no_violation_on_any_page(page, project: Path):
    flag(project, "3.2", "Ele conheceu officials em Pyongyang.")  # QA label and marked word
    Workspace(project / "out", glossary_paths=[]).comment(PO, "4.1", "", "Confirmar a fonte.")
    seen: dict[str, list[str]] = {"home": axe_violations(page)}
    open_article(page)
    page.click("#s1\\.1 .src")  # the dateline, its pin highlighted, with its actions
    seen["article"] = axe_violations(page)
    page.keyboard.press("?")
    seen["help"] = axe_violations(page)
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.keyboard.press("Enter")  # an empty id: the form says what is needed
    seen["go to"] = axe_violations(page)
    page.keyboard.press("Escape")
    edit(page, "3.1", "Texto com 7 números.", "Control+Enter")
    page.wait_for_selector("#ask-dialog[open]")
    seen["approve with findings"] = axe_violations(page)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#s3\\.1.edited")
    page.keyboard.press("h")
    page.wait_for_selector("#s3\\.1 .history")
    page.keyboard.press("c")
    seen["history and comment"] = axe_violations(page)
    page.keyboard.press("Escape")
    page.click("#s4\\.2 .src")
    page.keyboard.press("Enter")
    page.locator("#s4\\.2 textarea").fill("O meu texto.")
    change_on_disk(project, "4.2", "Texto do disco.")  # seen while typing: a conflict
    page.wait_for_selector("#s4\\.2 .conflict")
    seen["conflict"] = axe_violations(page)
    page.keyboard.press("Escape")
    page.keyboard.press("t")
    seen["add term"] = axe_violations(page)
    assert {name: found for name, found in seen.items() if found} == {}


# Fixes from the trial ------------------------------------------------------------------------

def test_bergamot_alternatives_are_off_with_the_reason(page):
    open_article(page)
    page.click("#s3\\.1 .src")
    for label in ("Alternatives", "Translate again"):
        button = page.locator(f"#s3\\.1 .actions button:has-text('{label}')")
        assert button.is_disabled()
        assert "bergamot gives one translation per sentence" in button.get_attribute("title")
    assert "Alternatives and Translate again are off" in page.locator("#engine-note").inner_text()


def test_question_mark_lists_every_shortcut(page):
    open_article(page)
    page.keyboard.press("?")
    dialog = page.locator("#help-dialog")
    assert dialog.is_visible()
    keys = dialog.locator("tbody th").all_inner_texts()
    for key in ("j / k", "n / Shift+N", "g", "Enter or e", "Ctrl+Enter", "Ctrl+S", "Esc",
                "t (Alt+T in the editor)", "c", "h", "?"):
        assert any(shown.startswith(key) for shown in keys), (key, keys)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert "t add a term" in page.locator(".keys").inner_text()


def test_go_to_a_segment_and_to_the_next_flagged(page, project: Path):
    flag(project, "2.1", "Shoigu visita Pyongyang 9 vezes")
    flag(project, "4.1", "A Coreia do Norte disse que as 3 negociações foram úteis.")
    open_article(page)
    page.keyboard.press("g")
    page.keyboard.type("9.9")
    page.keyboard.press("Enter")
    assert "No segment 9.9" in page.locator("#goto-result").inner_text()
    page.fill("#goto-form input[name=segment]", "3.2")
    page.keyboard.press("Enter")
    assert page.locator(".seg.current").get_attribute("id") == "s3.2"
    page.keyboard.press("n")
    assert page.locator(".seg.current").get_attribute("id") == "s4.1"
    page.keyboard.press("n")
    assert "no flagged segment after this one" in page.locator("#status").inner_text()
    page.keyboard.press("Shift+N")
    assert page.locator(".seg.current").get_attribute("id") == "s2.1"


def test_ctrl_s_and_cmd_enter_are_caught_outside_the_editor(page, project: Path):
    open_article(page)
    page.click("#s3\\.1 .src")
    page.keyboard.press("Enter")
    page.locator("#s3\\.1 textarea").fill(KEPT_PINS)
    page.click("#s3\\.1 .src")  # the focus leaves the editor; the edit stays open
    page.keyboard.press("Control+s")
    page.wait_for_selector("#s3\\.1.edited")
    assert entries(project)["3.1"].msgstr == KEPT_PINS
    page.keyboard.press("Control+s")  # nothing being edited: said, not the browser's Save
    assert "nothing to save" in page.locator("#status").inner_text()
    page.locator("#s3\\.1 button:has-text('History')").focus()
    page.keyboard.press("Meta+Enter")  # on a button, ⌘+Enter still approves
    page.wait_for_selector("#s3\\.1.reviewed")
    assert not entries(project)["3.1"].fuzzy


def test_focus_returns_after_back_to_machine_text(page, project: Path):
    open_article(page)
    machine = entries(project)["3.2"].msgstr
    edit(page, "3.2", "Outra tradução.")
    page.wait_for_selector("#s3\\.2.edited")
    page.click("#s3\\.2 button:has-text('Back to machine text')")
    page.wait_for_selector("#s3\\.2.machine")
    assert page.evaluate("document.activeElement.id") == "s3.2"
    assert entries(project)["3.2"].msgstr == machine
    page.keyboard.press("j")  # the keys go on from the segment
    assert page.locator(".seg.current").get_attribute("id") == "s4.1"


def select_words(page, selector: str, words: str) -> None:
    page.evaluate("""([selector, words]) => {
        const node = document.querySelector(selector);
        const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            const at = text.data.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(text, at); range.setEnd(text, at + words.length);
            getSelection().removeAllRanges(); getSelection().addRange(range);
            return;
        }
        throw new Error(`no ${words}`);
    }""", [selector, words])
    page.wait_for_timeout(50)  # selectionchange is dispatched as a task


def test_t_ignores_a_selection_left_in_another_segment_and_works_in_the_editor(page):
    open_article(page)
    page.click("#s3\\.1 .src")
    select_words(page, "#s3\\.1 .src", "Defence Minister")
    page.keyboard.press("t")
    assert page.input_value("#term-form input[name=term]") == "Defence Minister"
    page.keyboard.press("Escape")
    page.keyboard.press("j")  # 3.2: the words selected in 3.1 are not its term
    page.keyboard.press("t")
    assert page.input_value("#term-form input[name=term]") == ""
    page.keyboard.press("Escape")
    select_words(page, "#s3\\.2 .src", "officials")
    page.keyboard.press("Enter")
    editor = page.locator("#s3\\.2 textarea")
    editor.fill("Ele conheceu funcionários em Pyongyang.")
    editor.evaluate("(node) => node.setSelectionRange(13, 25)")
    page.keyboard.press("Alt+t")
    assert page.locator("#term-dialog").is_visible()
    assert page.input_value("#term-form input[name=term]") == "officials"
    assert page.input_value("#term-form input[name=rendering]") == "funcionários"
    page.keyboard.press("Escape")
    assert page.locator("#s3\\.2 textarea").input_value() == (
        "Ele conheceu funcionários em Pyongyang.")  # the edit is still there


def test_the_editor_grows_and_has_save_and_cancel_buttons(page, project: Path):
    open_article(page)
    page.click("#s3\\.1 .src")
    page.click("#s3\\.1 .actions button:has-text('Edit')")
    editor = page.locator("#s3\\.1 textarea")
    before = editor.evaluate("(node) => node.clientHeight")
    editor.fill("\n".join(f"Linha {n} de um texto longo." for n in range(12)))
    after = editor.evaluate("(node) => node.clientHeight")
    assert after > 2 * before
    assert editor.evaluate("(node) => node.scrollHeight <= node.clientHeight + 4")  # all shown
    page.click("#s3\\.1 button.save-edit")
    page.wait_for_selector("#s3\\.1.edited")
    assert entries(project)["3.1"].msgstr.startswith("Linha 0 de um texto longo.\nLinha 1")
    page.click("#s3\\.2 .src")
    page.click("#s3\\.2 .actions button:has-text('Edit')")
    page.locator("#s3\\.2 textarea").fill("descartado")
    page.click("#s3\\.2 button.cancel-edit")
    assert page.locator("#s3\\.2 textarea").count() == 0
    assert "descartado" not in page.locator("#s3\\.2 .tgt").inner_text()


def test_the_filter_survives_a_reload_and_an_empty_one_says_so(page):
    open_article(page)
    assert page.locator("#empty-filter").is_hidden()
    page.check("#filter-flagged")
    assert page.locator("#empty-filter").inner_text() == "No segment is flagged."
    assert "filter=flagged" in page.url
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.is_checked("#filter-flagged")
    assert page.locator(".seg:visible").count() == 0
    assert page.locator("#empty-filter").inner_text() == "No segment is flagged."
    page.check("#filter-all")
    assert page.locator(".seg:visible").count() == 6 and page.locator("#empty-filter").is_hidden()


def test_changes_on_disk_show_without_a_reload_and_never_replace_what_is_typed(page,
                                                                                project: Path):
    open_article(page)
    change_on_disk(project, "3.1", "Mudado por outro editor.")
    sync_api.expect(page.locator("#s3\\.1 .tgt")).to_have_text("Mudado por outro editor.")
    assert "3.1" in page.locator("#status").inner_text()
    page.click("#s3\\.2 .src")
    page.keyboard.press("Enter")
    page.locator("#s3\\.2 textarea").fill("O que estou a escrever.")
    change_on_disk(project, "3.2", "Texto do disco.")
    conflict = page.wait_for_selector("#s3\\.2 .conflict")
    assert "Texto do disco." in conflict.text_content()
    assert page.locator("#s3\\.2 textarea").input_value() == "O que estou a escrever."
    changes = page.locator("#s3\\.2 .conflict .changes")
    words = {tag: "".join(changes.locator(tag).all_inner_texts()).split()
             for tag in ("del", "ins")}
    assert "".join(words["del"]) == "Textododisco"  # the "." both have is no change
    assert "".join(words["ins"]) == "Oqueestouaescrever"
    page.click("#s3\\.2 .conflict button.keep-mine")
    page.wait_for_selector("#s3\\.2 .conflict", state="detached")
    assert entries(project)["3.2"].msgstr == "O que estou a escrever."


def test_stale_outputs_are_shown_and_rebuilt_in_one_action(page, project: Path):
    folder = project / "out" / "pt"
    an_hour_ago = time.time() - 3600
    for name in ("visit.html", "visit.txt", "visit.po"):  # the run was a while ago
        os.utime(folder / name, (an_hour_ago, an_hour_ago))
    open_article(page)
    assert page.locator("#outputs").is_hidden()
    edit(page, "3.1", "O ministro chegou ontem.")
    page.wait_for_selector("#outputs:not([hidden])")
    assert "visit.html, visit.txt are older" in page.locator("#outputs").inner_text()
    assert "chegou ontem" not in (folder / "visit.txt").read_text(encoding="utf-8")
    page.click("#outputs button.rebuild")
    page.wait_for_selector("#outputs", state="hidden")
    assert "O ministro chegou ontem." in (folder / "visit.txt").read_text(encoding="utf-8")
    assert "O ministro chegou ontem." in (folder / "visit.html").read_text(encoding="utf-8")


# Approving with open findings; QA's words in the text ----------------------------------------

def test_approving_with_open_findings_asks_first_and_marks_the_words(page, project: Path):
    open_article(page)
    edit(page, "3.2", "Ele conheceu officials em Pyongyang.", "Control+Enter")
    page.wait_for_selector("#ask-dialog[open]")
    assert "officials" in page.locator("#ask-findings").inner_text()
    assert entries(project)["3.2"].fuzzy and entries(project)["3.2"].msgstr != (
        "Ele conheceu officials em Pyongyang.")  # nothing written while it asks
    page.keyboard.press("Escape")
    # the dialog's close event comes as a task of its own, after the key press returns
    page.wait_for_function(
        "document.getElementById('status').textContent.includes('not approved')")
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    page.keyboard.press("Control+s")
    page.wait_for_selector("#s3\\.2.edited")
    mark = page.locator("#s3\\.2 .tgt mark.qa")
    assert mark.inner_text() == "officials"
    assert "left untranslated" in mark.get_attribute("title")
    page.keyboard.press("Control+Enter")
    page.click("#ask-dialog button.approve-anyway")
    page.wait_for_selector("#s3\\.2.reviewed")
    assert not entries(project)["3.2"].fuzzy
    assert page.locator(".seg.current").get_attribute("id") == "s4.1"  # then on, as always
    page.keyboard.press("Control+Enter")  # no findings: no question
    page.wait_for_selector("#s4\\.1.reviewed")
    assert page.locator("#ask-dialog[open]").count() == 0


# Comments and history -------------------------------------------------------------------------

def test_a_comment_is_written_to_the_po_and_shown_again(page, project: Path):
    open_article(page)
    page.click("#s4\\.1 .src")
    page.keyboard.press("c")
    page.locator("#s4\\.1 textarea.comment-editor").fill("Confirmar com a agência.")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#s4\\.1 .remarks li.comment")
    assert entries(project)["4.1"].tcomment == "Confirmar com a agência."
    assert entries(project)["4.1"].fuzzy  # a comment approves nothing
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(project / "out" / PO)], check=True)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert "Confirmar com a agência." in page.locator("#s4\\.1 li.comment").inner_text()


def test_every_save_is_in_the_history_and_can_be_restored(page, project: Path):
    machine = entries(project)["3.1"].msgstr
    open_article(page)
    edit(page, "3.1", "Primeira versão do ministro.")
    page.wait_for_selector("#s3\\.1.edited")
    edit(page, "3.1", KEPT_PINS, "Control+Enter")
    page.wait_for_selector("#s3\\.1.reviewed")
    page.click("#s3\\.1 .src")
    page.keyboard.press("h")
    history = page.wait_for_selector("#s3\\.1 .history")
    records = page.locator("#s3\\.1 .history li.record")
    assert records.count() == 2
    assert "Ana · approve" in records.nth(0).inner_text()  # newest first
    assert "Ana · edit" in records.nth(1).inner_text()
    assert "Primeira" in records.nth(1).locator("ins").all_inner_texts()
    assert machine in history.text_content()
    records.nth(1).locator("button.restore").click()
    page.wait_for_selector("#s3\\.1.edited")
    assert entries(project)["3.1"].msgstr == "Primeira versão do ministro."
    sidecar = json.loads((project / "out" / "pt" / "visit.po.history.json").read_text("utf-8"))
    assert [(r["who"], r["action"], r["text"]) for r in sidecar["segments"]["3.1"]] == [
        ("Ana", "edit", "Primeira versão do ministro."),
        ("Ana", "approve", KEPT_PINS),
        ("Ana", "edit", "Primeira versão do ministro.")]
