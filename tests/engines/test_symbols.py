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
    # tokens next to numbers: the numbers come through whole (glued, "XQ01.2" gave "£,2",
    # and "a rise of ≥ 40%" lost its "40%")
    ("A UN panel said on Tuesday that North Korea earned more than £1.2 billion from cyber "
     "theft last year, a rise of ≥ 40% on 2022."): ("£1,2", "≥ 40%"),
}


def test_placeholders_go_and_come_back_exactly():
    text = "Turnout < 40% (£5 and #MeToo), see <tag> or desk@example.org."
    guarded, tokens = protect_symbols(text)
    assert [token.text for token in tokens] == ["<", "£", "#MeToo", "<tag>",
                                                "desk@example.org"]
    # kept apart from the number it is glued to: "XQ15" lost digits on the real engine
    assert guarded == "Turnout XQ0 40% (XQ1 5 and XQ2), see XQ3 or XQ4."
    assert restore_symbols(guarded, tokens) == text
    assert restore_symbols("ganhou XQ0 1,2 e a XQ1 b", protect_symbols("£1.2 a&b")[1]) == \
        "ganhou £1,2 e a&b"
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
    assert engine.translate(["5<6"], "en", "pt") == ["5<6"]  # "5 XQ0 6" went, spaces removed


def test_the_real_engine_keeps_every_token():
    engine = choose_engine("bergamot", "en", "pt")
    translations = engine.translate(list(SENTENCES), "en", "pt")
    for (sentence, tokens), translation in zip(SENTENCES.items(), translations):
        for token in (tokens,) if isinstance(tokens, str) else tokens:
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
