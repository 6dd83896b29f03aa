"""The Python API (`import glossator`): every name it lists resolves, importing it loads nothing
heavy, and a newsroom's pipeline can translate articles and texts, load a glossary and read and
write a PO through it alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import glossator
from glossator.errors import LanguageError, UsageError

STORY = "Talks in Seoul\n\nThe minister arrived in Seoul on Monday. He met the envoy.\n"


def test_every_public_name_resolves():
    for name in glossator.__all__:
        assert getattr(glossator, name) is not None, name
    assert sorted(dir(glossator)) == sorted(glossator.__all__)
    with pytest.raises(AttributeError):
        glossator.no_such_name  # noqa: B018


@pytest.mark.slow
def test_importing_glossator_loads_nothing_heavy():
    code = ("import sys, glossator; heavy = [m for m in ('ctranslate2', 'polib', 'lxml', "
            "'babel', 'glossator.run', 'glossator.engines') if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_a_request_is_checked_when_it_is_made(tmp_path):
    with pytest.raises(UsageError, match="beam size"):
        glossator.TranslateRequest([tmp_path], ["pt"], beam_size=0)
    with pytest.raises(UsageError, match="no target language"):
        glossator.TranslateRequest([tmp_path], [])
    with pytest.raises(LanguageError, match="is the source language"):
        glossator.TranslateRequest([tmp_path], ["en-GB"])
    request = glossator.TranslateRequest([tmp_path], ["pt", "de", "pt"],
                                         formats=["po", "xliff"])
    assert request.target_codes == ("pt", "de")
    assert [fmt.name for fmt in request.formats] == ["po", "xliff"]


def test_a_pipeline_translates_reads_edits_and_writes_through_the_api(argos_dir, tmp_path):
    article = tmp_path / "seoul.txt"
    article.write_text(STORY, encoding="utf-8")
    terms = tmp_path / "terms.csv"
    terms.write_text("en,de\nSeoul,Söul\n", encoding="utf-8")
    request = glossator.TranslateRequest([article], ["de"], engine_name="argos",
                                         out=tmp_path / "locale", glossary_paths=[terms],
                                         formats=["po"])
    result = glossator.run_translate(request, report=lambda _line: None)
    assert result.paths == [tmp_path / "locale" / "de" / "seoul.po"]

    document = glossator.read_po(result.paths[0])
    assert [s.source for s in document.segments][:2] == ["Talks in Seoul",
                                                         "The minister arrived in Seoul on "
                                                         "Monday."]
    document.segments[0].target, document.segments[0].fuzzy = "Gespräche in Söul", False
    glossator.write_po(document, result.paths[0])
    assert glossator.read_po(result.paths[0]).segments[0].target == "Gespräche in Söul"

    glossary = glossator.load_glossary([terms], "en")
    engine = glossator.choose_engine("argos", "en", "de")
    [text] = glossator.translate_texts(engine, ["Seoul is far."], "en", "de",
                                       glossator.TermMatcher(glossary.concepts))
    assert "Söul" in text.text


def test_docs_show_the_api_that_exists():
    page = (Path(__file__).resolve().parents[1] / "docs" / "python-api.md").read_text("utf-8")
    for name in glossator.__all__:
        if not name.startswith("_"):
            assert f"`{name}" in page, name
