"""The reviewer's instruments in a real browser (Playwright driving Debian's chromium): memory
matches with their differences and Ctrl+1..5, the glossary panel's click to insert,
concordance, and search and replace with its preview and undo, each checked on disk."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from glossator.formats.tmx import write_memory
from helpers import PO, project, review_server, translated, write_po

CHROMIUM = shutil.which("chromium")
REPO = Path(__file__).resolve().parents[2]
# axe-core, where at hand: `npm install axe-core` in the repository, or AXE_CORE_JS
AXE_JS = Path(os.environ.get("AXE_CORE_JS") or REPO / "node_modules" / "axe-core" / "axe.min.js")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None,
                                 reason="chromium is not installed (apt-get install chromium)")]
__all__ = ["project", "translated"]

# Like segment 3.1 ("Defence Minister Sergei Shoigu arrived in Pyongyang on Sunday."),
# Monday for Sunday.
MEMORY = ("Defence Minister Sergei Shoigu arrived in Pyongyang on Monday.",
          "O ministro da Defesa, Serguei Shoigu, chegou a Pyongyang na segunda-feira.")
REVIEWED = ("The minister praised the ties with Pyongyang.",
            "O ministro elogiou os laços com Pyongyang.")


@pytest.fixture
def server(project: Path) -> Iterator[str]:
    out = project / "out"
    (out / "pt" / "memory.tmx").write_text(write_memory([MEMORY], "en", "pt"), "utf-8")
    write_po(out / "pt" / "older.po", [(*REVIEWED, True)])
    with review_server(project, "--glossary", "terms.csv") as (url, _process):
        yield url


@pytest.fixture
def page(server: str) -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server)
        page.goto(server.split("?")[0] + f"article?path={PO}")
        page.wait_for_selector("body[data-instruments='1']")
        yield page
        assert errors == []
        browser.close()


def entries(project: Path, name: str = PO) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in polib.pofile(str(project / "out" / name))}


def choose(page, segment_id: str) -> None:
    """Move to the segment with the keyboard, as a reviewer does."""
    for _ in range(20):
        current = page.locator("#segments .seg.current")
        if current.count() and current.get_attribute("id") == f"s{segment_id}":
            break
        page.keyboard.press("j")
    expect(page.locator("#tm-segment")).to_have_text(f"Segment {segment_id}")


def test_a_memory_match_shows_its_differences_and_ctrl_1_puts_it_in_the_editor(page, project):
    choose(page, "3.1")
    match = page.locator("#tm-matches li.match").first
    match.wait_for()
    assert 75 <= int(match.locator(".score").inner_text().rstrip("%")) < 100
    assert match.locator(".origin").inner_text() == "memory"
    assert match.locator("del").all_inner_texts() == ["Sunday"]
    assert match.locator("ins").all_inner_texts() == ["Monday"]
    assert match.locator(".mtgt").inner_text() == MEMORY[1]
    page.keyboard.press("Control+1")
    editor = page.locator("#s3\\.1 textarea")
    assert editor.input_value() == MEMORY[1]
    editor.press("Control+s")
    expect(page.locator("#status")).to_contain_text("saved")
    assert entries(project)["3.1"].msgstr == MEMORY[1]
    assert "fuzzy" in entries(project)["3.1"].flags  # an edit, to approve
    page.keyboard.press("Control+2")  # no second match: said, nothing changed
    assert "no match 2" in page.locator("#status").inner_text()
    assert entries(project)["3.1"].msgstr == MEMORY[1]


def test_a_reviewed_segment_of_another_article_is_a_match(page):
    choose(page, "4.2")
    match = page.locator("#tm-matches li.match").first
    match.wait_for()
    assert match.locator(".origin").inner_text() == "pt/older.po#1.1"
    assert match.locator(".mtgt").inner_text() == REVIEWED[1]
    assert match.locator("del").all_inner_texts() == ["North Korea"]


def test_the_glossary_panel_shows_forms_with_grammar_and_a_click_inserts_at_the_cursor(
        page, project):
    choose(page, "3.1")
    concept = page.locator("#tm-concepts li.concept", has_text="Sergei Shoigu")
    concept.wait_for()
    assert "Russian defence minister" in concept.inner_text()
    assert "masculine, no article" in concept.inner_text()
    page.keyboard.press("Enter")
    editor = page.locator("#s3\\.1 textarea")
    editor.fill("O ministro  chegou.")
    editor.evaluate("node => node.setSelectionRange(11, 11)")
    concept.locator("button.form", has_text="Serguei Shoigu").click()
    assert editor.input_value() == "O ministro Serguei Shoigu chegou."
    assert editor.evaluate("node => document.activeElement === node")
    editor.press("Control+s")
    expect(page.locator("#status")).to_contain_text("saved")
    assert entries(project)["3.1"].msgstr == "O ministro Serguei Shoigu chegou."


def test_concordance_finds_a_phrase_in_reviewed_sources_and_targets(page):
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "tm-phrase"
    page.keyboard.type("segunda-feira")
    page.keyboard.press("Enter")
    hit = page.locator("#tm-hits li.hit").first
    hit.wait_for()
    assert hit.locator(".mtgt mark").all_inner_texts() == ["segunda-feira"]
    assert hit.locator(".msrc").inner_text() == MEMORY[0]
    page.fill("#tm-phrase", "ties with")
    page.keyboard.press("Enter")
    expect(page.locator("#tm-hits .origin")).to_have_text(["pt/older.po#1.1"])
    page.fill("#tm-phrase", "nowhere at all")
    page.keyboard.press("Enter")
    expect(page.locator("#tm-hits")).to_contain_text("is in no reviewed segment")


def test_search_and_replace_previews_applies_the_ticked_and_undoes(page, project):
    before = {key: (entry.msgstr, entry.fuzzy) for key, entry in entries(project).items()}
    # one segment approved first: a replacement leaves it alone unless asked
    choose(page, "3.2")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#s3\\.2")).to_have_class(re.compile(r"\breviewed\b"))
    page.keyboard.press("r")
    dialog = page.locator("#replace-dialog")
    dialog.locator("input[name=find]").fill("Pyongyang")
    dialog.locator("input[name=replacement]").fill("Pionguiangue")
    dialog.get_by_role("button", name="Preview").click()
    rows = dialog.locator("table.changes tbody tr")
    rows.first.wait_for()
    listed = [row.locator("td").nth(1).inner_text() for row in rows.all()]
    assert listed == ["pt/visit.po 1.1", "pt/visit.po 2.1", "pt/visit.po 3.1"]
    assert "1 reviewed segment(s) hold it and are left alone" in dialog.inner_text()
    assert rows.nth(1).locator("td.after ins").all_inner_texts() == ["Pionguiangue"]
    assert rows.nth(1).locator("td.after del").all_inner_texts() == ["Pyongyang"]
    assert entries(project)["2.1"].msgstr == before["2.1"][0]  # a preview writes nothing
    rows.nth(0).locator("input").uncheck()
    dialog.locator("#replace-apply").click()
    dialog.locator("#replace-undo").wait_for()
    after = entries(project)
    assert after["1.1"].msgstr == before["1.1"][0]  # unticked
    assert after["2.1"].msgstr == "Shoigu visita Pionguiangue"
    assert after["3.1"].msgstr == before["3.1"][0].replace("Pyongyang", "Pionguiangue")
    assert after["3.2"].msgstr == before["3.2"][0] and not after["3.2"].fuzzy  # reviewed
    assert "Pionguiangue" in page.locator("#s2\\.1 .tgt").inner_text()  # the row shows it
    dialog.locator("#replace-undo").click()
    expect(page.locator("#replace-preview")).to_contain_text("earlier text back")
    undone = entries(project)
    assert {key: undone[key].msgstr for key in before} == {key: text for key, (text, _fuzzy)
                                                           in before.items()}
    assert undone["2.1"].fuzzy and "Pionguiangue" not in page.locator("#s2\\.1 .tgt").inner_text()


def test_a_bad_regular_expression_is_said_and_nothing_changes(page, project):
    before = {key: entry.msgstr for key, entry in entries(project).items()}
    page.click("#open-replace")
    dialog = page.locator("#replace-dialog")
    dialog.locator("input[name=find]").fill("(Pyong")
    dialog.locator("input[name=regex]").check()
    dialog.get_by_role("button", name="Preview").click()
    dialog.locator("#replace-preview .bad").wait_for()
    assert "regular expression" in dialog.locator("#replace-preview").inner_text()
    assert {key: entry.msgstr for key, entry in entries(project).items()} == before


@pytest.mark.skipif(not AXE_JS.is_file(), reason=f"axe-core is not installed ({AXE_JS} missing)")
def test_axe_finds_no_violation_in_the_panel_and_the_replace_dialog(page):
    def violations() -> list[str]:
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))  # CDP evaluation: CSP allows it
        # the instruments' own elements: the rest of the page is test_review_web's
        return page.evaluate("""async () => (await axe.run({include: [["aside.instruments"],
            ["#replace-dialog"]]})).violations.flatMap(
            (v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))""")

    choose(page, "3.1")
    page.locator("#tm-matches li.match").first.wait_for()
    page.locator("#tm-concepts li.concept").first.wait_for()
    page.keyboard.press("/")
    page.keyboard.type("Pyongyang")
    page.keyboard.press("Enter")
    page.locator("#tm-hits li.hit").first.wait_for()
    assert violations() == []
    page.keyboard.press("Escape")
    page.click("#open-replace")
    page.fill("#replace-form input[name=find]", "Pyongyang")
    page.fill("#replace-form input[name=replacement]", "Pionguiangue")
    page.click("#replace-form button[type=submit]")
    page.locator("table.changes").wait_for()
    assert violations() == []
