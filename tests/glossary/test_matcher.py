from __future__ import annotations

import pytest

from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import Concept

CONCEPTS = [
    Concept(("Shoigu", "Shoygu"), {}),
    Concept(("Sergei Shoigu",), {}),
    Concept(("Kim Jong Un", "Kim Jong-un"), {}),
    Concept(("Kim Il Sung",), {}),
    Concept(("Kim Il Sung Square",), {}),
    Concept(("U.N. Security Council", "UN Security Council"), {}),
    Concept(("KCNA",), {}),
    Concept(("covid-19",), {}, ignore_case=True),
    Concept(("Democratic People's Republic of Korea",), {}),
]


def found(text: str) -> list[tuple[str, str, bool]]:
    return [(m.text, m.concept.name, m.possessive) for m in TermMatcher(CONCEPTS).find(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sergei Shoigu arrived.", [("Sergei Shoigu", "Sergei Shoigu", False)]),
    ("Shoigu arrived.", [("Shoigu", "Shoigu", False)]),
    ("They met at Kim Il Sung Square.", [("Kim Il Sung Square", "Kim Il Sung Square", False)]),
    ("Kim Il Sung founded it.", [("Kim Il Sung", "Kim Il Sung", False)]),
    ("Kim Jong-un and Kim Jong Un", [("Kim Jong-un", "Kim Jong Un", False),
                                     ("Kim Jong Un", "Kim Jong Un", False)]),
    ("Shoigu’s visit", [("Shoigu", "Shoigu", True)]),
    ("Shoygu's visit", [("Shoygu", "Shoigu", True)]),
    ("The U.N. Security Council met.", [("U.N. Security Council", "U.N. Security Council",
                                         False)]),
    ("KCNA said; KCNAs did not; kcna neither.", [("KCNA", "KCNA", False)]),
    ("COVID-19 and Covid-19 and covid-19", [("COVID-19", "covid-19", False),
                                            ("Covid-19", "covid-19", False),
                                            ("covid-19", "covid-19", False)]),
    ("the Democratic People’s Republic of Korea",
     [("Democratic People’s Republic of Korea", "Democratic People's Republic of Korea",
       False)]),
    ("Shoiguism is not a name, nor is XShoigu.", []),
    ("Kim Jong", []),
])
def test_matching(text, expected):
    assert found(text) == expected


def test_same_term_twice_in_one_sentence():
    text = "Shoigu said Shoigu would return."
    matches = TermMatcher(CONCEPTS).find(text)
    assert [(m.start, m.end) for m in matches] == [(0, 6), (12, 18)]


def test_spans_are_the_offsets_of_the_matches():
    text = "Shoigu’s aide met Kim Jong Un; no term here."
    matcher = TermMatcher(CONCEPTS)
    assert matcher.spans(text) == [(m.start, m.end) for m in matcher.find(text)]
    assert [text[start:end] for start, end in matcher.spans(text)] == ["Shoigu", "Kim Jong Un"]
    assert TermMatcher([]).spans(text) == []


def test_offsets_index_the_text():
    text = "  Then Sergei Shoigu met Kim Jong Un at noon."
    for match in TermMatcher(CONCEPTS).find(text):
        assert text[match.start:match.end] == match.text


def test_empty_matcher_finds_nothing():
    matcher = TermMatcher([])
    assert not matcher
    assert matcher.find("Shoigu") == []


def test_a_text_met_again_is_not_scanned_again(monkeypatch):
    from glossator.glossary import matcher as module

    matcher = TermMatcher(CONCEPTS)
    scanned = []
    scan = matcher._scan
    monkeypatch.setattr(matcher, "_scan", lambda text: scanned.append(text) or scan(text))
    first = matcher.find("Shoigu met Kim Jong Un.")
    first.clear()  # a caller's list is its own
    assert [m.text for m in matcher.find("Shoigu met Kim Jong Un.")] == ["Shoigu", "Kim Jong Un"]
    assert scanned == ["Shoigu met Kim Jong Un."]
    monkeypatch.setattr(module, "FOUND_TEXTS", 2)
    for text in ("KCNA said.", "Shoygu said.", "KCNA said.", "Shoigu met Kim Jong Un."):
        matcher.find(text)
    # Full at two texts: everything is forgotten, then remembered again.
    assert scanned == ["Shoigu met Kim Jong Un.", "KCNA said.", "Shoygu said.", "KCNA said.",
                       "Shoigu met Kim Jong Un."]
