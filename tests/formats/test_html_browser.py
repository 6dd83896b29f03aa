"""The HTML review page in a real headless Chromium: the DOM it builds and a screenshot.

Skipped where no `chromium` is on PATH (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import lxml.html
import pytest

from glossator.formats import get_format
from helpers import review_document, select, shown

CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (apt-get install chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.fixture
def page(tmp_path: Path) -> Path:
    document = review_document()
    path = tmp_path / "pt" / "north-korea-shoigu-visit.html"
    path.parent.mkdir()
    path.write_text(get_format("html").render(document), encoding="utf-8")
    return path


def test_chromium_builds_the_expected_dom(tmp_path: Path, page: Path):
    document = review_document()
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    tree = lxml.html.document_fromstring(dom)

    assert tree.findtext(".//title") == (
        "north-korea-shoigu-visit — English → Portuguese (português) · review")
    rows = select(tree, "div.seg")
    assert len(rows) == len(document.segments)
    assert [row.get("id") for row in rows] == [f"s{s.id}" for s in document.segments]

    # the injected markup is text in the DOM, and nothing from the article became an element
    hostile = tree.get_element_by_id("s5.1")
    assert select(hostile, ".src")[0].text_content() == shown(document.segments[5].source)
    assert "<script>alert(1)</script>" in select(hostile, ".tgt")[0].text_content()
    assert "</textarea>" in select(hostile, ".tgt")[0].text_content()
    assert tree.xpath("//script | //textarea") == []
    assert [cell.xpath(".//b") for cell in select(tree, ".src") + select(tree, ".tgt")] == [
        [] for _ in range(2 * len(rows))]

    meeting = tree.get_element_by_id("s3.1")
    assert [m.text for m in select(meeting, ".src mark.pin")] == [
        "Kim Jong Un", "Sergei Shoigu", "Covid-19"]
    assert [m.text for m in select(meeting, ".tgt mark.pin")] == [
        "Kim Jong-un", "Serguei Choigu", "covid-19"]
    assert "family name" in select(meeting, ".tgt mark.pin")[0].get("title")

    flagged = [row.get("id") for row in select(tree, "div.seg.flagged")]
    assert flagged == ["s3.2", "s4.1", "s5.1"]
    assert select(tree.get_element_by_id("s3.2"), ".remarks li.missed")
    assert len(select(tree, "div.seg.machine")) == 6


def test_chromium_screenshot_is_a_png(tmp_path: Path, page: Path):
    shot = tmp_path / "review.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000",
             "--hide-scrollbars", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 20_000, "a page this full should not compress to almost nothing"
