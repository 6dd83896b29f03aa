"""Pins that read as a journalist wrote them, with the real bergamot en→pt model: the issue's
broken examples as news sentences of our own, and the benchmark's figures guarded."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace

import pytest

from glossator.engines.bergamot import BergamotEngine
from glossator.glossary.csv import load_glossaries
from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import Concept, Form
from glossator.model import Segment
from glossator.terms.pinning import locate, translate_pinned
from glossator.terms.qa import check_segment
from helpers import REPO


@pytest.fixture(scope="module")
def engine() -> BergamotEngine:
    return BergamotEngine()


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    seed = load_glossaries([REPO / "glossaries"], "en").concepts
    extra = [
        Concept(("Kim Il Sung Square",), {"pt": (Form("Praça Kim Il-sung", gender="f",
                                                       article=True),)}),
        Concept(("Sergei Lavrov",), {"pt": ("Serguei Lavrov",)}),  # no grammar: read off the engine
    ]
    return TermMatcher([*seed, *extra])


def translated(engine, matcher, text: str, always_mask: bool = False) -> Segment:
    segment = Segment("1.1", text, 1)
    translate_pinned(engine, [segment], "en", "pt", matcher, always_mask=always_mask)
    assert all(pin.pinned for pin in segment.pins), segment.target
    return segment


# Each sentence puts a term where the issue saw the layer break the grammar around it; the
# forms must be right both in the default mode and when every term is masked up front (the
# engine then guesses articles around placeholders, and agreement must repair them).
CASES = [
    ("The Russian delegation arrived in Pyongyang late on Tuesday.",
     ["a Pyongyang"], ["ao Pyongyang", "no Pyongyang"]),
    ("The news was first reported by the Korean Central News Agency on Wednesday.",
     ["pela Agência Central de Notícias da Coreia"], ["pelo Agência", "o Agência"]),
    ("Veterans placed flowers at Kim Il Sung Square in the morning.",
     ["na Praça Kim Il-sung"], ["no Praça"]),
    ("The DPRK is banned from launching ballistic missiles.",
     ["A RPDC é proibida"], ["O RPDC", "proibido"]),
    ("Sergei Shoigu was not present at the ceremony, officials said.",
     ["Serguei Shoigu não esteve"], ["O Serguei"]),
    ("Kim will meet with Sergei Lavrov in the coming weeks.",
     ["com Serguei Lavrov"], ["com o Serguei"]),
    ("Kim thanked Putin for sending a delegation led by Shoigu.",
     ["por Shoigu"], ["à Putin", "pela Shoigu", "pelo Shoigu"]),
    ("North Korea's missile tests are banned under UN Security Council resolutions.",
     ["do Conselho de Segurança da ONU"], ["resoluções Conselho"]),
    ("The talks were productive, the KCNA said.", ["disse a KCNA"], ["o KCNA"]),
]


@pytest.mark.parametrize("always_mask", [False, True], ids=["default", "mask-all"])
@pytest.mark.parametrize(("source", "wanted", "unwanted"), CASES,
                         ids=[case[0][:30] for case in CASES])
def test_issue_examples_come_out_right(engine, matcher, source, wanted, unwanted, always_mask):
    target = translated(engine, matcher, source, always_mask).target
    for phrase in wanted:
        assert phrase in target, target
    for phrase in unwanted:
        assert phrase not in target, target


@pytest.fixture(scope="module")
def plain_matcher() -> TermMatcher:
    """The seed glossary with every grammar annotation taken out, as most newsroom
    glossaries are: gender and article use must then come from the engine itself."""
    seed = load_glossaries([REPO / "glossaries"], "en").concepts
    return TermMatcher([replace(concept, renderings={
        language: tuple(form.text for form in concept.forms(language))
        for language in concept.renderings}) for concept in seed])


@pytest.mark.parametrize(("source", "wanted", "unwanted"), [
    case for case in CASES if "Square" not in case[0] and "Lavrov" not in case[0]],
    ids=[case[0][:30] for case in CASES if "Square" not in case[0] and "Lavrov" not in case[0]])
def test_issue_examples_right_without_grammar_in_the_glossary(engine, plain_matcher, source,
                                                                wanted, unwanted):
    target = translated(engine, plain_matcher, source, always_mask=True).target
    for phrase in wanted:
        assert phrase in target, target
    for phrase in unwanted:
        assert phrase not in target, target


def test_landed_pins_are_never_masked(engine, matcher):
    """One missing pin must not mask the others: the engine keeps seeing their real words."""
    source = ("Delegates laid flowers at Kim Il Sung Square before the Korean Central News "
              "Agency reported on Shoigu's talks in Pyongyang.")
    segment = translated(engine, matcher, source)
    placements = locate(segment.target, segment.pins)
    assert all(placed is not None for placed in placements)
    assert "na Praça Kim Il-sung" in segment.target
    assert "XZ" not in segment.target and "ZX" not in segment.target


def test_only_the_missing_pin_is_masked(engine):
    """A pin that cannot be found in the plain translation is masked alone; the others stay."""
    concepts = [Concept(("State Affairs Commission",), {"pt": ("Zona Quadrada",)}),
                Concept(("Pyongyang",), {"pt": (Form("Pyongyang", article=False),)})]
    segment = Segment("1.1", "Officials of the State Affairs Commission met in Pyongyang.", 1)
    seen: list[str] = []

    class Recording:
        """The real engine, except that the term alone comes back unusable, so the pin
        cannot be found by the engine's own rendering and masking must do it."""

        def __getattr__(self, name):
            return getattr(engine, name)

        def translate(self, texts, source, target):
            return [text if text == "State Affairs Commission" else translation
                    for text, translation in zip(texts, engine.translate(texts, source, target))]

        def hypotheses(self, texts, source, target, count):
            seen.extend(texts)
            return engine.hypotheses(texts, source, target, count)

    translate_pinned(Recording(), [segment], "en", "pt", TermMatcher(concepts))
    assert seen and all("Pyongyang" in text and ("XZ0" in text or "ZX0" in text)
                        and "XZ1" not in text for text in seen)
    assert "Zona Quadrada" in segment.target and "Pyongyang" in segment.target


def test_engine_own_agreement_error_is_fixed_and_qa_sees_raw_ones(engine, matcher):
    """The seed's "disse o KCNA": the glossary knows the agency is feminine."""
    source = "Shoigu also gave Kim a letter from Putin, the KCNA said."
    raw = Segment("1.1", source, 1, target=engine.translate([source], "en", "pt")[0])
    layered = translated(engine, matcher, source)
    raw.pins = layered.pins
    assert "disse o KCNA" in raw.target  # the engine's own error, still there in the model
    assert "disse a KCNA" in layered.target
    assert any(f.check == "pin-agreement" and "'o KCNA' should read 'a KCNA'" in f.message
               for f in check_segment(raw, "en", "pt"))
    assert not [f for f in check_segment(layered, "en", "pt") if f.check == "pin-agreement"]


def test_admitted_spelling_is_normalised_in_machine_output(engine):
    concepts = [Concept(("Moscow",), {"pt": ("Moscovo", "Moscou")}),
                Concept(("Kim Jong Un",), {"pt": ("Kim Jong-un", "Kim Jong Un")})]
    segment = Segment("1.1", "Kim Jong Un said Moscow would help.", 1)
    report = translate_pinned(engine, [segment], "en", "pt", TermMatcher(concepts))
    assert "Moscovo" in segment.target and "Moscou" not in segment.target
    assert "Kim Jong-un" in segment.target and "Kim Jong Un" not in segment.target
    assert report.preferred == report.found == 2


def test_unmasked_pin_gets_its_preposition_back(engine):
    """Masked, the engine may drop "do" before the placeholder; the plain translation had it."""
    concepts = [Concept(("UN Security Council",), {"pt": (Form("Conselho de Segurança da ONU",
                                                                gender="m", article=True),)})]
    segment = Segment("1.1", "North Korea's tests are banned under UN Security Council "
                             "resolutions.", 1)
    translate_pinned(engine, [segment], "en", "pt", TermMatcher(concepts), always_mask=True)
    assert "resoluções do Conselho de Segurança da ONU" in segment.target


def load_benchmark():
    path = REPO / "benchmarks" / "pin_grammar.py"
    spec = importlib.util.spec_from_file_location("pin_grammar_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_benchmark_targets_hold(engine):
    """preferred-form accuracy >= 99 %, no more grammar errors next to pins than the raw
    engine (by QA and by the hand labels), no silent miss, few segments changed elsewhere."""
    benchmark = load_benchmark()
    benchmark.MODES = ("raw", "layer")
    matcher = TermMatcher(load_glossaries([REPO / "glossaries"], "en").concepts)
    totals = benchmark.measure(engine, benchmark.ARTICLES, matcher)
    raw, layer = totals["raw"], totals["layer"]
    assert len(benchmark.ARTICLES) >= 10 and layer.pins > 250 and layer.judged > 250
    assert layer.preferred / layer.pins >= 0.99
    assert layer.silent == 0
    assert layer.qa <= raw.qa and layer.labelled <= raw.labelled
    assert raw.labelled > 0  # the labels can see an error: the raw engine makes some
    assert layer.changed <= 0.05 * layer.segments
