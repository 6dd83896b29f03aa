"""`glossator review PATH --web` in a real browser: Playwright driving Debian's chromium.

The server runs as a user starts it (the CLI in a subprocess), the reviewer works with the
keyboard, and the PO on disk is checked with polib. Skipped where chromium or Playwright is
missing (`.ci/run` installs chromium).
"""

from __future__ import annotations

import http.client
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest

from glossator.review.workspace import Workspace
from helpers import PO, project, review_server, translated

CHROMIUM = shutil.which("chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None,
                                 reason="chromium is not installed (apt-get install chromium)")]
SCREENSHOT = Path("/tmp/review-shot.png")
__all__ = ["project", "translated"]  # fixtures shared with test_workspace


@pytest.fixture
def server(project: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    with review_server(project, "--glossary", "terms.csv") as running:
        yield running


@pytest.fixture
def page(server) -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def po_entries(project: Path) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in polib.pofile(str(project / "out" / PO))}


def open_article(page, url: str) -> None:
    page.goto(url)
    assert "?token=" not in page.url  # the token left the address bar for a cookie
    page.click(f"a[href='/article?path={PO}']")
    page.wait_for_selector("body[data-ready='1']")
    # These tests change the PO behind the page's back to make conflicts: the page must not
    # see those changes first by asking the server (tests/review/test_review_web_trial.py does).
    page.evaluate("state.pollPaused = true")


def test_review_by_keyboard_add_a_term_and_settle_a_conflict(server, page, project: Path):
    url, process = server
    # a second article of the pair, untouched, for "re-pin in other articles"
    shutil.copy(project / "out" / PO, project / "out" / "pt" / "copy.po")
    open_article(page, url)
    assert page.locator(".seg").count() == 6

    # Edit and approve two segments by keyboard: j selects, Enter edits, Ctrl+Enter approves
    # and moves on to the next unreviewed segment.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.locator("#s3\\.1 textarea").fill(
        "O ministro da Defesa Serguei Shoigu chegou a Pyongyang no domingo.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#s3\\.1.reviewed")
    assert page.locator(".seg.current").get_attribute("id") == "s3.2"
    page.keyboard.press("Enter")
    page.locator("#s3\\.2 textarea").fill("Ele reuniu-se com autoridades em Pyongyang.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#s3\\.2.reviewed")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    page.evaluate("state.pollPaused = true")  # as open_article leaves it
    assert page.locator(".seg.reviewed").count() == 2
    entries = po_entries(project)
    assert entries["3.1"].msgstr == ("O ministro da Defesa Serguei Shoigu chegou a Pyongyang "
                                     "no domingo.")
    assert entries["3.2"].msgstr == "Ele reuniu-se com autoridades em Pyongyang."
    assert not entries["3.1"].fuzzy and not entries["3.2"].fuzzy
    assert "reviewed: Ana, " in entries["3.1"].comment
    assert "2/6 reviewed" in page.locator("#progress-text").text_content()

    # Esc throws an edit away.
    page.click("#s4\\.2 .src")
    page.keyboard.press("Enter")
    page.locator("#s4\\.2 textarea").fill("descartado")
    page.keyboard.press("Escape")
    assert page.locator("#s4\\.2 textarea").count() == 0
    assert "descartado" not in page.locator("#s4\\.2 .tgt").text_content()

    # Add a term from the review and re-pin the unreviewed segments holding it.
    page.keyboard.press("t")
    page.fill("#term-form input[name=term]", "North Korea")
    page.fill("#term-form input[name=rendering]", "Coreia do Norte")
    page.click("#term-form button[type=submit]")
    page.wait_for_selector("#term-result .added")
    page.click("#term-result button.repin")
    page.wait_for_selector("#term-result >> text=re-pinned")
    elsewhere = page.locator("#term-result button.repin-elsewhere")
    assert "2 unreviewed segment(s) in 1 other article(s)" in elsewhere.text_content()
    elsewhere.click()
    page.wait_for_selector("#term-result >> text=re-pinned in other articles")
    copy = {e.msgctxt: e for e in polib.pofile(str(project / "out" / "pt" / "copy.po"))}
    assert all("pin: North Korea → Coreia do Norte" in copy[i].comment for i in ("4.1", "4.2"))
    page.click("#term-dialog button:has-text('Close')")
    assert "Coreia do Norte" in page.locator("#s4\\.1 .tgt mark.pin").all_text_contents()
    assert "pin: North Korea → Coreia do Norte" in po_entries(project)["4.1"].comment

    # A conflict: another tab changes 4.2 after this page loaded it.
    workspace = Workspace(project / "out")
    loaded = next(s for s in workspace.article(PO)["segments"] if s["id"] == "4.2")
    workspace.save(PO, "4.2", loaded["version"], "edit", "Texto da outra aba.")
    page.click("#s4\\.2 .src")
    page.keyboard.press("Enter")
    page.locator("#s4\\.2 textarea").fill("O ministro elogiou os laços com a Coreia do Norte.")
    page.keyboard.press("Control+Enter")
    conflict = page.wait_for_selector("#s4\\.2 .conflict")
    assert "Texto da outra aba." in conflict.text_content()
    page.click("#s4\\.2 .conflict button.keep-mine")
    page.wait_for_selector("#s4\\.2.reviewed")
    assert po_entries(project)["4.2"].msgstr == (
        "O ministro elogiou os laços com a Coreia do Norte.")

    page.click("#s1\\.1 .src")
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # Ctrl+C stops the server cleanly.
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 0


def change_on_disk(project: Path, segment_id: str, text: str) -> str:
    """Another tab edits the segment after the page loaded it; the text the page shows."""
    workspace = Workspace(project / "out")
    loaded = next(s for s in workspace.article(PO)["segments"] if s["id"] == segment_id)
    workspace.save(PO, segment_id, loaded["version"], "edit", text)
    return loaded["target"]


def test_keep_mine_approves_the_text_the_reviewer_saw(server, page, project: Path):
    url, _process = server
    open_article(page, url)
    seen = change_on_disk(project, "3.1", "Texto do disco.")
    page.click("#s3\\.1 .src")
    page.keyboard.press("Control+Enter")  # approve as shown, without editing
    conflict = page.wait_for_selector("#s3\\.1 .conflict")
    assert conflict.text_content().count("Texto do disco.") == 1  # on disk only, not "Yours"
    assert seen in conflict.text_content()
    page.click("#s3\\.1 .conflict button.keep-mine")
    page.wait_for_selector("#s3\\.1.reviewed")
    assert po_entries(project)["3.1"].msgstr == seen
    assert not po_entries(project)["3.1"].fuzzy


def test_esc_in_a_conflict_shows_the_disk_version_and_keeps_mine_at_hand(server, page,
                                                                          project: Path):
    url, _process = server
    open_article(page, url)
    change_on_disk(project, "3.2", "Texto do disco.")
    page.click("#s3\\.2 .src")
    page.keyboard.press("Enter")
    page.locator("#s3\\.2 textarea").fill("O meu texto.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#s3\\.2 .conflict")
    page.keyboard.press("Escape")
    assert page.locator("#s3\\.2 textarea").count() == 0
    assert page.locator("#s3\\.2 .tgt").inner_text() == "Texto do disco."
    assert "O meu texto." in page.locator("#s3\\.2 .offers").inner_text()
    page.keyboard.press("Control+Enter")  # the next action is made on the disk version
    page.click("#ask-dialog button.approve-anyway")  # which lost the pin: asked first
    page.wait_for_selector("#s3\\.2.reviewed")
    assert page.locator("#s3\\.2 .conflict").count() == 0
    assert po_entries(project)["3.2"].msgstr == "Texto do disco."
    assert not po_entries(project)["3.2"].fuzzy


def test_a_line_break_typed_in_the_editor_is_saved_and_shown(server, page, project: Path):
    url, _process = server
    open_article(page, url)
    page.click("#s3\\.1 .src")
    page.keyboard.press("Enter")
    page.locator("#s3\\.1 textarea").fill("Linha um.\nLinha dois.")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#s3\\.1.edited")
    assert po_entries(project)["3.1"].msgstr == "Linha um.\nLinha dois."
    assert page.locator("#s3\\.1 .tgt").inner_text() == "Linha um.\nLinha dois."
    page.keyboard.press("Enter")
    page.locator("#s3\\.1 textarea").fill("Linha um.\n")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#s3\\.1 textarea", state="detached")
    assert po_entries(project)["3.1"].msgstr == "Linha um."
    assert "start or end" in page.locator("#status").inner_text()


def test_a_wrong_token_and_a_foreign_host_are_refused(server, page):
    url, _process = server
    parts = urlsplit(url)
    response = page.request.get(f"{parts.scheme}://{parts.netloc}/?token=wrong")
    assert response.status == 403
    response = page.request.get(f"{parts.scheme}://{parts.netloc}/api/article?path={PO}")
    assert response.status == 403
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", f"/?{parts.query}", headers={"Host": f"evil.example:{parts.port}"})
    assert connection.getresponse().status == 403
    connection.close()
