"""HTML through the API: a glossary term that inline markup cuts in two is still pinned, and the
markup goes around the term's whole form (issue 17: 8), with the real bergamot model."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from glossator.server.api import create_app
from glossator.server.htmltext import parse_html
from glossator.server.limits import Limits
from glossator.server.service import ServiceOptions, TranslationService

GLOSSARIES = Path(__file__).resolve().parents[2] / "glossaries"


@pytest.fixture(scope="module")
def client():
    service = TranslationService(ServiceOptions(engine_name="bergamot",
                                                glossary_paths=(str(GLOSSARIES),)))
    service.load()
    app = create_app(service, limits=Limits(body_bytes=20000, characters=3000, texts=8))
    with TestClient(app) as running:
        yield running


def translate_html(client: TestClient, markup: str) -> dict:
    answer = client.post("/translate", json={"q": markup, "source": "en", "target": "pt",
                                             "format": "html"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_term_cut_by_inline_markup_is_pinned_and_the_markup_covers_its_form(client):
    found = translate_html(client, "<p>The <b>Korean Central</b> News Agency said the test "
                                   "succeeded.</p>")
    assert "<b>Agência Central de Notícias da Coreia</b>" in found["translatedText"]
    assert found["glossary"] == {"found": 1, "landed": 1, "missed": []}


def test_markup_inside_a_term_that_reads_alone_stays_on_its_words(client):
    found = translate_html(client, "<p><i>Sergei</i> Shoigu arrived in <b>Pyongyang</b>.</p>")
    assert "<i>Serguei</i> Shoigu" in found["translatedText"]
    assert "<b>Pyongyang</b>" in found["translatedText"]


def test_placing_uses_the_renderings_only_for_part_of_a_term():
    job = parse_html("<p>The <b>Korean Central</b> News Agency met.</p>")
    whole = "A Agência Central de Notícias da Coreia reuniu-se."
    terms = [("Korean Central News Agency", "Agência Central de Notícias da Coreia")]
    used, second = job.place([whole, "centro coreano"], [terms, []])
    assert (used, second) == ([0], [])
    assert job.finish([]) == ("<p>A <b>Agência Central de Notícias da Coreia</b> "
                              "reuniu-se.</p>")
    without = parse_html("<p>The <b>Korean Central</b> News Agency met.</p>")
    assert without.place([whole, "centro coreano"])[1] != []  # node by node, as before


def test_a_term_cut_across_two_elements_shares_its_form_among_them(client):
    found = translate_html(client, "<p>The <b>Korean Central</b> <i>News Agency</i> said the "
                                   "test succeeded.</p>")
    text = found["translatedText"]
    assert found["glossary"] == {"found": 1, "landed": 1, "missed": []}
    # Both elements kept, in order, their words together the form, nothing else in them.
    bold, italic = text.split("<b>")[1].split("</b>")[0], text.split("<i>")[1].split("</i>")[0]
    assert text.index("</b>") < text.index("<i>")
    assert f"{bold} {italic}" == "Agência Central de Notícias da Coreia", text
    assert bold and italic


def test_sharing_a_form_follows_the_pieces_translated_alone():
    whole = "A Agência Central de Notícias da Coreia reuniu-se."
    terms = [("Korean Central News Agency", "Agência Central de Notícias da Coreia")]
    job = parse_html("<p>The <b>Korean Central</b> <i>News Agency</i> met.</p>")
    assert job.place([whole, "Coreano Central", "Agência de Notícias"], [terms, [], []]) == (
        [0], [])
    assert job.finish([]) == ("<p>A <b>Agência Central</b> <i>de Notícias da Coreia</i> "
                              "reuniu-se.</p>")
    three = parse_html("<p>The <b>Korean</b> <i>Central News</i> <u>Agency</u> met.</p>")
    three.place([whole, "Coreano", "Notícias Centrais", "Agência"], [terms, [], [], []])
    out = three.finish([])
    assert all(f"<{tag}>" in out for tag in "biu") and "<b></b>" not in out
    pieces = [out.split(f"<{tag}>")[1].split(f"</{tag}>")[0] for tag in "biu"]
    assert " ".join(pieces) == "Agência Central de Notícias da Coreia"
