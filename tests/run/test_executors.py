"""Work done beside the engine: what a chunk's worker checks, the driver does not check again."""

from __future__ import annotations

from pathlib import Path

from glossator.formats.po import read_po
from glossator.run.pipeline import translate_articles
from glossator.terms import qa
from helpers import SEED, SEED_GLOSSARY

MARKDOWN = """# **KCNA** reports a visit

Defence Minister **Sergei Shoigu** arrived in *Pyongyang* on Sunday, the Korean Central News
Agency said. He met [Kim Jong Un](https://example.org/kim) for talks that lasted 3 hours.
"""


def _run(tmp_path: Path, out: str) -> dict[str, list[list[str]]]:
    articles = tmp_path / "articles"
    articles.mkdir(exist_ok=True)
    (articles / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (articles / "visit.md").write_text(MARKDOWN, encoding="utf-8")
    translate_articles([articles], ["pt"], engine_name="bergamot", out=tmp_path / out,
                       glossary_paths=[SEED_GLOSSARY], report=lambda _line: None)
    return {name: [segment.qa for segment in read_po(tmp_path / out / "pt" / name).segments]
            for name in ("seed.po", "visit.po")}


def test_qa_is_done_beside_the_engine_and_the_driver_finds_it(tmp_path, monkeypatch):
    """Each segment the engine translated is checked in the chunk's worker (a Ray actor's
    work too), after its pins are proved and its markup placed as the driver does; the
    driver's QA then checks none of them again, and finds what it would have found."""
    beside: list[str] = []
    in_driver: list[str] = []
    checking, besides = qa.segment_checks, qa.check_beside
    where = in_driver

    def counting(segment, source_lang, target_lang):
        where.append(segment.source)
        return checking(segment, source_lang, target_lang)

    def checked_beside(segments, source_lang, target_lang):
        nonlocal where
        where = beside
        try:
            return besides(segments, source_lang, target_lang)
        finally:
            where = in_driver

    monkeypatch.setattr(qa, "segment_checks", counting)
    monkeypatch.setattr(qa, "check_beside", checked_beside)
    found = _run(tmp_path, "beside")
    assert len(beside) > 10 and in_driver == []
    assert any(lines for lines in found["visit.po"] + found["seed.po"])  # QA found something

    monkeypatch.setattr(qa, "check_beside", lambda *_args: [])  # all of it in the driver
    in_driver.clear()
    assert _run(tmp_path, "driver") == found
    assert sorted(in_driver) == sorted(beside)
