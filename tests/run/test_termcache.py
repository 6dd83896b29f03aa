from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossator.engines.base import Engine
from glossator.io.cache import entry_path
from glossator.model import Pin
from glossator.run import termcache
from glossator.run.context import RunContext
from glossator.terms import pinning

_FRAMES = {"{term} said on Monday.": "{det}{term} disse na segunda.",
           "According to {term}, the talks failed.": "Segundo {det}{term}, falharam.",
           "The statement from {term} was brief.": "A nota de {det}{term} foi breve.",
           "Officials spoke about {term} on Monday.": "Falaram sobre {det}{term} na segunda.",
           "The plan was approved by {term}.": "O plano foi aprovado por {det}{term}."}


class Carriers(Engine):
    """Writes the carrier sentences with "a" (feminine, singular) before every term but the
    filler name; anything else comes back as it is. Counts what it is asked."""

    name = "carriers"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "pt")}

    def model_id(self, source: str, target: str) -> str:
        return "carriers-1"

    def _hypotheses(self, texts, source, target, count):
        self.asked += texts
        return [[self._carrier(text)] for text in texts]

    @staticmethod
    def _carrier(text: str) -> str:
        for frame, written in _FRAMES.items():
            head, tail = frame.split("{term}")
            if text.startswith(head) and text.endswith(tail):
                term = text[len(head):len(text) - len(tail)]
                det = "" if term == "Okonkwo" else ("A " if not head else "a ")
                return written.format(det=det, term=term).replace("A A ", "A ")
        return text


@pytest.fixture
def fresh_process(monkeypatch):
    """What a new process knows: nothing in memory."""
    monkeypatch.setattr(pinning, "_GRAMMAR_CACHE", {})
    monkeypatch.setattr(pinning, "_RENDERING_CACHE", {})
    monkeypatch.setattr(termcache, "_synced", {})


def _pins() -> list[Pin]:
    return [Pin(0, 4, "KCNA", "KCNA", concept="KCNA"), Pin(0, 5, "Assembly", "Assembleia",
                                                           concept="Assembly")]


def _run(engine: Engine, context: RunContext) -> list[Pin]:
    pins = _pins()
    termcache.recall_terms(engine, context, "en", "pt")
    pinning.probe_grammar(engine, pins, "en", "pt")
    pinning._engine_renderings(engine, ["KCNA"], "en", "pt")
    termcache.keep_terms(engine, context, "en", "pt")
    return pins


def _grammar(pins: list[Pin]) -> list[tuple]:
    return [(pin.gender, pin.number, pin.article) for pin in pins]


def test_a_second_run_asks_the_engine_nothing(fresh_process, monkeypatch):
    context = RunContext("en", ("pt",), glossary_signature="2 concepts sha256:abc")
    first = Carriers()
    learnt = _grammar(_run(first, context))
    assert learnt == [("f", "sg", True)] * 2
    assert len(first.asked) == 5 * 3 + 1  # the filler's carriers, each term's, one alone
    monkeypatch.setattr(pinning, "_GRAMMAR_CACHE", {})
    monkeypatch.setattr(pinning, "_RENDERING_CACHE", {})
    monkeypatch.setattr(termcache, "_synced", {})
    second = Carriers()
    assert _grammar(_run(second, context)) == learnt
    assert second.asked == []
    assert pinning._engine_renderings(second, ["KCNA"], "en", "pt") == \
        pinning._engine_renderings(first, ["KCNA"], "en", "pt")


def test_another_glossary_or_model_starts_afresh(fresh_process, monkeypatch):
    _run(Carriers(), RunContext("en", ("pt",), glossary_signature="1 concepts sha256:abc"))
    monkeypatch.setattr(pinning, "_GRAMMAR_CACHE", {})
    monkeypatch.setattr(pinning, "_RENDERING_CACHE", {})
    other = Carriers()
    _run(other, RunContext("en", ("pt",), glossary_signature="1 concepts sha256:def"))
    assert len(other.asked) == 16


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"grammar": {"KCNA": ["f"]}}',
                                    b'{"grammar": {"KCNA": ["f", "sg", "yes"]}}', b"[1, 2]",
                                    b'{"renderings": {"KCNA": 3}}'])
def test_a_damaged_entry_is_asked_again_and_rewritten(fresh_process, monkeypatch, damage):
    context = RunContext("en", ("pt",), glossary_signature="x")
    learnt = _grammar(_run(Carriers(), context))
    key = termcache.entry_key(Carriers(), context, "en", "pt")
    path = entry_path("terms", key)
    if damage.startswith(b"{"):  # well-made file, wrong contents
        from glossator.io.cache import write_cached
        write_cached("terms", key, damage)
    else:
        path.write_bytes(path.read_bytes()[:30] + damage)
    monkeypatch.setattr(pinning, "_GRAMMAR_CACHE", {})
    monkeypatch.setattr(pinning, "_RENDERING_CACHE", {})
    monkeypatch.setattr(termcache, "_synced", {})
    again = Carriers()
    assert _grammar(_run(again, context)) == learnt
    assert len(again.asked) == 16
    assert set(json.loads(path.read_bytes().split(b"\n", 1)[1])["grammar"]) == {"KCNA",
                                                                                 "Assembly"}


def test_runs_at_once_keep_each_others_terms(fresh_process, monkeypatch, cache_folder: Path):
    context = RunContext("en", ("pt",), glossary_signature="x")
    engine = Carriers()
    termcache.recall_terms(engine, context, "en", "pt")  # both runs start on an empty cache
    pinning.probe_grammar(engine, _pins()[:1], "en", "pt")
    monkeypatch.setattr(pinning, "_GRAMMAR_CACHE", {})  # the other run, another process
    monkeypatch.setattr(termcache, "_synced", {})
    termcache.recall_terms(engine, context, "en", "pt")
    pinning.probe_grammar(engine, _pins()[1:], "en", "pt")
    termcache.keep_terms(engine, context, "en", "pt")
    monkeypatch.setattr(pinning, "_GRAMMAR_CACHE", {})
    monkeypatch.setattr(termcache, "_synced", {})
    termcache.recall_terms(engine, context, "en", "pt")
    pinning.probe_grammar(engine, _pins()[:1], "en", "pt")
    termcache.keep_terms(engine, context, "en", "pt")
    stored = json.loads(entry_path("terms", termcache.entry_key(engine, context, "en", "pt"))
                        .read_bytes().split(b"\n", 1)[1])
    assert set(stored["grammar"]) == {"KCNA", "Assembly"}
