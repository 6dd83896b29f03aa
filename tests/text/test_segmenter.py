import importlib.metadata
import importlib.util
import itertools
import re
from pathlib import Path

import pytest

from glossator.text.segmenter import sentence_spans, split_sentences

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "north-korea-shoigu-visit.txt"


def _load_golden_rules_module():
    spec = importlib.util.spec_from_file_location(
        "glossator_bench_golden_rules", ROOT / "benchmarks" / "golden_rules.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden_rules = _load_golden_rules_module()


def _pysbd_installed() -> bool:
    try:
        importlib.metadata.distribution("pysbd")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


needs_pysbd = pytest.mark.skipif(
    not _pysbd_installed(),
    reason="pysbd (test extra) is not installed; it ships the English Golden Rules",
)


def _paragraph(prefix: str) -> str:
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    (found,) = [p for p in paragraphs if p.startswith(prefix)]
    return found


def _span_of(text: str, term: str) -> tuple[int, int]:
    start = text.index(term)
    return start, start + len(term)


# --- English Golden Rules ------------------------------------------------------------


@needs_pysbd
def test_golden_rules_are_read_from_the_pysbd_wheel():
    rules = golden_rules.load_golden_rules()
    assert len(rules) == 48
    assert rules[0] == ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."])


@needs_pysbd
def test_golden_rules_score():
    result = golden_rules.score(split_sentences)
    assert result.total == 48
    assert result.passed >= 47, [f.number for f in result.failures]


def test_score_reports_failures():
    rules = [("It rained. We left.", ["It rained.", "We left."]), ("It rained. We left.", [])]
    result = golden_rules.score(split_sentences, rules)
    assert (result.passed, result.total) == (1, 2)
    assert [(f.number, f.got) for f in result.failures] == [(2, ["It rained.", "We left."])]


# --- abbreviations and other English rules --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Army said at 9 a.m. on Monday that Mr. Kim left.",
            ["The U.S. Army said at 9 a.m. on Monday that Mr. Kim left."],
        ),
        (
            "Shoigu met Lt. Gen. Kim at 10 p.m. Tuesday. He left.",
            ["Shoigu met Lt. Gen. Kim at 10 p.m. Tuesday.", "He left."],
        ),
        (
            "Dr. Who came to the U.S. Embassy at 6 p.m. ET. It was closed.",
            ["Dr. Who came to the U.S. Embassy at 6 p.m. ET.", "It was closed."],
        ),
        (
            "The strike began at 3 a.m. (0100 GMT) on Monday.",
            ["The strike began at 3 a.m. (0100 GMT) on Monday."],
        ),
        ("At 8 p.m. Seoul time the talks ended.", ["At 8 p.m. Seoul time the talks ended."]),
        (
            "He arrived at 10 p.m. He left at 11 p.m. The talks ended.",
            ["He arrived at 10 p.m.", "He left at 11 p.m.", "The talks ended."],
        ),
        (
            "Gen. Kim visited Washington, D.C. on Friday. He met Sen. Warren.",
            ["Gen. Kim visited Washington, D.C. on Friday.", "He met Sen. Warren."],
        ),
        ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
        (
            "He lives at No. 10 Downing St. in London.",
            ["He lives at No. 10 Downing St. in London."],
        ),
        ("He lives on Main St. He left.", ["He lives on Main St.", "He left."]),
        (
            "The vote was 5 to 4. No. 10 was silent.",
            ["The vote was 5 to 4.", "No. 10 was silent."],
        ),
        ("He bought approx. 5 tonnes.", ["He bought approx. 5 tonnes."]),
        ("Mr. Smith left. Mrs. Smith stayed.", ["Mr. Smith left.", "Mrs. Smith stayed."]),
        ("She asked, “Why?” he said.", ["She asked, “Why?” he said."]),
        ("He bought an iPhone. iPhone sales rose.", ["He bought an iPhone.", "iPhone sales rose."]),
        ("It cost $1.5 billion. It rose 3.5%.", ["It cost $1.5 billion.", "It rose 3.5%."]),
        ("1. The first item.", ["1. The first item."]),
        (
            "a. The first item b. The second item",
            ["a. The first item", "b. The second item"],
        ),
        (
            "1. The first item. 2. The second item.",
            ["1. The first item.", "2. The second item."],
        ),
        ("⁃9. The first item ⁃10. The second", ["⁃9. The first item", "⁃10. The second"]),
        (
            "It was weakened. . . . The practice ended.",
            ["It was weakened.", ". . . The practice ended."],
        ),
        (
            "It ended with a period . . . . Next one.",
            ["It ended with a period . . . .", "Next one."],
        ),
        ("I never meant that.... She left.", ["I never meant that....", "She left."]),
    ],
)
def test_english(text, expected):
    assert split_sentences(text) == expected


def test_newlines_inside_a_paragraph_read_as_spaces():
    text = "The U.S.\nArmy said at 9 a.m.\non Monday that Mr.\nKim left.\nHe stayed."
    assert split_sentences(text) == [
        "The U.S.\nArmy said at 9 a.m.\non Monday that Mr.\nKim left.",
        "He stayed.",
    ]


# --- other languages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "O Sr. Silva chegou às 9h. Ele saiu cedo.",
            ["O Sr. Silva chegou às 9h.", "Ele saiu cedo."],
        ),
        (
            "A Dra. Costa leu a pág. 12 do relatório. Depois saiu.",
            ["A Dra. Costa leu a pág. 12 do relatório.", "Depois saiu."],
        ),
        ("Foi no n.º 5 da Av. Paulista.", ["Foi no n.º 5 da Av. Paulista."]),
        (
            "O Prof. Souza, da Univ. de Lisboa, disse que o art. 5 da Const. é claro.",
            ["O Prof. Souza, da Univ. de Lisboa, disse que o art. 5 da Const. é claro."],
        ),
    ],
)
def test_portuguese_abbreviations(text, expected):
    assert split_sentences(text, "pt") == expected


def test_portuguese_paragraph():
    text = (
        "O líder norte-coreano Kim Jong Un reuniu-se com o ministro da Defesa russo, "
        "Sergei Shoigu, em visita ao país. Foi o seu primeiro encontro conhecido com um "
        "dignitário estrangeiro desde a pandemia de Covid-19. A visita do Sr. Shoigu coincide "
        "com o aniversário do armistício que pôs fim à Guerra da Coreia, em 1950-53."
    )
    sentences = split_sentences(text, "pt")
    assert len(sentences) == 3
    assert sentences[0].endswith("em visita ao país.")
    assert sentences[2].startswith("A visita do Sr. Shoigu coincide")


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("pt-BR", "O Sr. Silva chegou. Ele saiu.", ["O Sr. Silva chegou.", "Ele saiu."]),
        (
            "de",
            "Er kam am 3. Oktober. Dr. Müller ging.",
            ["Er kam am 3. Oktober.", "Dr. Müller ging."],
        ),
        ("de", "Das ist z. B. gut. Nr. 5 ist da.", ["Das ist z. B. gut.", "Nr. 5 ist da."]),
        ("fr", "M. Dupont est arrivé. Voir p. 5.", ["M. Dupont est arrivé.", "Voir p. 5."]),
        ("es", "El Sr. García llegó. Ver pág. 5.", ["El Sr. García llegó.", "Ver pág. 5."]),
        (
            "ru",
            "В 1990 г. он родился. Это т. е. хорошо.",
            ["В 1990 г. он родился.", "Это т. е. хорошо."],
        ),
        (
            "ko",
            "김정은 위원장이 쇼이구 장관을 만났다. 그는 무기를 보여주었다.",
            ["김정은 위원장이 쇼이구 장관을 만났다.", "그는 무기를 보여주었다."],
        ),
        (
            "zh",
            "金正恩会见了绍伊古。他展示了武器！真的吗？",
            ["金正恩会见了绍伊古。", "他展示了武器！", "真的吗？"],
        ),
    ],
)
def test_other_languages(lang, text, expected):
    assert split_sentences(text, lang) == expected


@pytest.mark.parametrize("lang", ["xx", "", "zz-Latn"])
def test_unknown_language_falls_back_to_english(lang):
    text = "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith left."
    assert split_sentences(text, lang) == split_sentences(text, "en")
    assert len(split_sentences(text, lang)) == 3


# --- protected spans ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("I like Panic! At The Disco. They play tonight.", "Panic! At The Disco"),
        ("He founded Acme Corp. The Company Store in Ohio.", "Acme Corp. The Company Store"),
        ("She watched E! News last night.", "E! News"),
    ],
)
def test_protected_span_prevents_a_split(text, term):
    span = _span_of(text, term)
    unprotected = split_sentences(text)
    assert any(term not in s for s in unprotected)  # the term really gets split
    assert not any(term in s for s in unprotected)
    protected = split_sentences(text, protected=[span])
    assert any(term in s for s in protected)
    assert len(protected) == len(unprotected) - 1


def test_protected_span_crossing_a_real_boundary_merges_the_sentences():
    text = "Kim met Shoigu. Putin sent a letter. Kim thanked him."
    span = (text.index("Shoigu"), text.index("Putin") + len("Putin"))
    assert split_sentences(text, protected=[span]) == [
        "Kim met Shoigu. Putin sent a letter.",
        "Kim thanked him.",
    ]


def test_protected_span_overrides_a_list_boundary():
    text = "1. The first item 2. The second item"
    assert len(split_sentences(text)) == 2
    assert split_sentences(text, protected=[_span_of(text, "item 2.")]) == [text]


@pytest.mark.parametrize(
    ("protected", "expected"),
    [
        ([], ["Kim met Shoigu.", "Putin sent a letter."]),
        ([(0, 36)], ["Kim met Shoigu. Putin sent a letter."]),  # the whole text
        ([(0, 3)], ["Kim met Shoigu.", "Putin sent a letter."]),  # at the start
        ([(31, 36)], ["Kim met Shoigu.", "Putin sent a letter."]),  # at the end
        ([(8, 15)], ["Kim met Shoigu.", "Putin sent a letter."]),  # ends at the boundary
        ([(15, 21)], ["Kim met Shoigu.", "Putin sent a letter."]),  # starts at the boundary
        ([(16, 21)], ["Kim met Shoigu.", "Putin sent a letter."]),  # starts the next sentence
        ([(14, 16)], ["Kim met Shoigu. Putin sent a letter."]),  # straddles it
        ([(31, 36), (8, 20)], ["Kim met Shoigu. Putin sent a letter."]),  # unsorted
        ([(8, 12), (10, 17)], ["Kim met Shoigu. Putin sent a letter."]),  # overlapping
    ],
)
def test_protected_spans_at_edges(protected, expected):
    text = "Kim met Shoigu. Putin sent a letter."
    assert split_sentences(text, protected=protected) == expected


# --- offsets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Hello there.\nHow are\nyou?  ", [(2, 14), (15, 27)]),
        ("\n\tMr. Smith left.\u00a0\u00a0He stayed.\n", [(2, 17), (19, 29)]),
        ("One.", [(0, 4)]),
        ("no final stop", [(0, 13)]),
    ],
)
def test_sentence_spans_offsets(text, expected):
    assert sentence_spans(text) == expected
    assert split_sentences(text) == [text[s:e] for s, e in expected]


def _corpus() -> list[str]:
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    return [
        *paragraphs,
        SEED.read_text(encoding="utf-8"),
        "  \n Leading whitespace.\n\nAnd  a second\tone?!  \n",
        "1.) The first item 2.) The second item",
        "compounds. . . . The practice was not abandoned. . . .",
        "金正恩会见了绍伊古。 他展示了武器！",
    ]


@pytest.mark.parametrize("text", _corpus())
def test_spans_cover_every_non_space_character(text):
    spans = sentence_spans(text)
    assert spans == sorted(spans)
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    for start, end in spans:
        assert start < end
        assert text[start:end] == text[start:end].strip()
    joined = "".join(text[s:e] for s, e in spans)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)


@pytest.mark.parametrize("text", ["", " ", "\n\t \n", "\u00a0"])
def test_blank_input(text):
    assert sentence_spans(text) == []
    assert split_sentences(text) == []


# --- the seed article ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "count"),
    [
        ("Kim led Shoigu on a tour", 1),
        ("Shoigu also gave Kim a letter", 2),
        ("North Korean leader Kim Jong Un met", 2),
        ("The meeting between the two men", 1),
        ("Pyongyang has backed Russia", 2),
        ("The reCAPTCHA verification period", 2),
    ],
)
def test_seed_paragraphs(prefix, count):
    assert len(split_sentences(_paragraph(prefix))) == count


def test_seed_letter_paragraph_sentences():
    assert split_sentences(_paragraph("Shoigu also gave Kim a letter")) == [
        "Shoigu also gave Kim a letter from Russian President Vladimir Putin, the KCNA said.",
        "Kim thanked Putin for sending a delegation led by Shoigu, who also held talks with "
        "North Korean Defence Minister Kang Sun Nam.",
    ]


def test_a_megabyte_segments_whole():
    article = SEED.read_text(encoding="utf-8")
    text = "\n\n".join([article] * (1_000_000 // len(article) + 1))
    spans = sentence_spans(text)
    assert len(spans) > 5_000
    assert all(start < end for start, end in spans)
