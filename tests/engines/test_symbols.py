"""Tokens engines lose (`<`, `≥`, `×`, `£`, `&`, hashtags, handles, e-mail addresses) reach the
translation: the real bergamot model drops them, the engine layer puts them back (issue 17)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from glossator.engines import choose_engine
from glossator.engines.base import Engine, protect_symbols, restore_symbols
from glossator.server.api import create_app
from glossator.server.limits import Limits
from glossator.server.service import ServiceOptions, TranslationService

SENTENCES = {
    "The score was 5 < 10 on Monday.": "<",
    "Inflation was ≥ 5% for a year.": "≥",
    "The score ended 3 × 2 in Seoul.": "×",
    "The deal is worth £5 million.": "£5",
    "Supporters posted under #MeToo on Monday.": "#MeToo",
    "Follow @kcna_watch for updates.": "@kcna_watch",
    "Email me at desk@example.org now.": "desk@example.org",
    "Shares of AT&T rose on Monday.": "AT&T",
}


def test_placeholders_go_and_come_back_exactly():
    text = "Turnout < 40% (£5 and #MeToo), see <tag> or desk@example.org."
    guarded, symbols = protect_symbols(text)
    assert symbols == ["<", "£", "#MeToo", "<tag>", "desk@example.org"]
    assert guarded == "Turnout XQ0 40% (XQ15 and XQ2), see XQ3 or XQ4."
    assert restore_symbols(guarded, symbols) == text
    assert protect_symbols("5 – 10 “quoted”") == ("5 – 10 “quoted”", [])  # translated, kept
    assert protect_symbols("already XQ1 here <") == ("already XQ1 here <", [])


class _Dropper(Engine):
    """Drops `<`, as bergamot does, and counts what it is sent."""

    name = "dropper"

    def __init__(self) -> None:
        self.sent: list[list[str]] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "pt")}

    def _hypotheses(self, texts: list[str], source: str, target: str,
                    count: int) -> list[list[str]]:
        self.sent.append(list(texts))
        return [[text.replace("<", "").upper()] for text in texts]


def test_only_texts_that_lost_a_token_go_again_with_placeholders():
    engine = _Dropper()
    found = engine.translate(["a < b", "a > b", "plain"], "en", "pt")
    assert found == ["A < B", "A > B", "PLAIN"]
    assert engine.sent == [["a < b", "a > b", "plain"], ["a XQ0 b"]]


def test_the_real_engine_keeps_every_token():
    engine = choose_engine("bergamot", "en", "pt")
    translations = engine.translate(list(SENTENCES), "en", "pt")
    for (sentence, token), translation in zip(SENTENCES.items(), translations):
        assert token in translation, (sentence, translation)


@pytest.fixture(scope="module")
def bergamot_client():
    service = TranslationService(ServiceOptions(engine_name="bergamot", glossary_paths=()))
    service.load()
    app = create_app(service, limits=Limits(body_bytes=20000, characters=3000, texts=8))
    with TestClient(app) as running:
        yield running


def test_the_api_in_text_mode_keeps_a_less_than_sign(bergamot_client):
    answer = bergamot_client.post("/translate", json={"q": "The score was 5 < 10 on Monday.",
                                                      "source": "en", "target": "pt"})
    assert answer.status_code == 200
    assert "5 < 10" in answer.json()["translatedText"]
