"""A run's memory matches (run.store): the memory's fuzzy matches on every segment to
approve, as PO `match:` lines msgfmt accepts and XLIFF 1.2 `<alt-trans>` Translate Toolkit
reads; importing the XLIFF back takes no alternative for a translation."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from translate.storage.xliff import xlifffile

from glossator.formats import get_format
from glossator.formats.po import read_po
from glossator.formats.tmx import write_memory
from glossator.review.importer import import_units
from glossator.run.pipeline import translate_articles
from helpers import ARTICLE, GLOSSARY

# Like "Defence Minister Sergei Shoigu arrived in Pyongyang on Sunday.", Monday for Sunday.
MEMORY = ("Defence Minister Sergei Shoigu arrived in Pyongyang on Monday.",
          "O ministro da Defesa, Serguei Shoigu, chegou a Pyongyang na segunda-feira.")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder translated (bergamot, en → pt, PO and XLIFF) with a memory."""
    root = tmp_path_factory.mktemp("memory-matches")
    (root / "visit.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    (root / "out" / "pt").mkdir(parents=True)
    (root / "out" / "pt" / "memory.tmx").write_text(write_memory([MEMORY], "en", "pt"), "utf-8")
    translate_articles([root / "visit.txt"], ["pt"], engine_name="bergamot", out=root / "out",
                       glossary_paths=[root / "terms.csv"],
                       formats=[get_format("po"), get_format("xliff")])
    return root / "out" / "pt"


def test_a_segment_like_a_memory_unit_carries_the_match_in_its_po_entry(run):
    entries = {entry.msgctxt: entry for entry in polib.pofile(str(run / "visit.po"))}
    lines = [line for line in entries["3.1"].comment.split("\n") if line.startswith("match: ")]
    [line] = lines
    score = int(line.split("%")[0].removeprefix("match: "))
    assert 75 <= score < 100
    assert line == f"match: {score}% {MEMORY[0]} → {MEMORY[1]}"
    assert entries["3.1"].tcomment == ""  # the translator's comment stays the reviewer's
    assert all("match: " not in entry.comment for key, entry in entries.items() if key != "3.1")
    assert subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(run / "visit.po")]
                          ).returncode == 0


def test_the_po_reads_back_with_its_matches_and_renders_the_same(run):
    document = read_po(run / "visit.po")
    [match] = next(s for s in document.segments if s.id == "3.1").matches
    assert (match.source, match.target) == MEMORY
    rendered = get_format("po").render(document).split("\n")
    on_disk = (run / "visit.po").read_text(encoding="utf-8").split("\n")
    assert [line for line in rendered if line.startswith("#. match")] == [
        line for line in on_disk if line.startswith("#. match")]


def test_the_xliff_unit_has_an_alt_trans_translate_toolkit_reads(run):
    store = xlifffile.parsestring((run / "visit.xlf").read_bytes())
    units = {unit.getid(): unit for unit in store.units if not unit.isheader()}
    unit = next(unit for key, unit in units.items() if key.endswith("3.1"))
    [alternative] = unit.getalttrans()
    assert (alternative.source, alternative.target) == MEMORY
    assert 75 <= int(alternative.xmlelement.get("match-quality")) < 100
    assert alternative.xmlelement.get("origin") == "memory"
    assert unit.target != MEMORY[1] and unit.isfuzzy()
    assert all(not other.getalttrans() for key, other in units.items() if key != unit.getid())


def test_importing_the_xliff_back_ignores_the_alternative(run, tmp_path):
    po = tmp_path / "visit.po"
    po.write_bytes((run / "visit.po").read_bytes())
    document = get_format("xliff").read(run / "visit.xlf")
    segment = next(s for s in document.segments if s.id == "3.1")
    assert segment.target != MEMORY[1] and segment.source != MEMORY[0]
    xliff = (run / "visit.xlf").read_text(encoding="utf-8")
    approved = xliff.replace('<trans-unit id="3.1"', '<trans-unit id="3.1" approved="yes"', 1)
    (tmp_path / "visit.xlf").write_text(approved, encoding="utf-8")
    [result] = import_units(tmp_path / "visit.xlf", po, reviewer="Rui")
    entry = next(e for e in polib.pofile(str(po)) if e.msgctxt == "3.1")
    assert entry.msgstr == segment.target and not entry.fuzzy
    assert len(result.approved) == 1
