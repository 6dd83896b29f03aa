"""The terminal review screen: widths, wrapping, colour, filtering, stacked layout."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from glossator.model import Document, Pin, Segment
from glossator.review.terminal import render_review, wrap_spans

ANSI = re.compile(r"\x1b\[[0-9;]*m")
GAP = " │ "


def columns(line: str) -> int:
    """Terminal width, measured independently of the module under test."""
    plain = ANSI.sub("", line)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in plain)


def portuguese() -> Document:
    return Document(name="nk", source_lang="en", target_lang="pt",
                    path=Path("north-korea.pt.po"), segments=[
        Segment("1.1", "Sunday, June 23, 2024", 1, kind="dateline",
                target="domingo, 23 de junho de 2024", fuzzy=False,
                pins=[Pin(-1, -1, "Sunday, June 23, 2024", "domingo, 23 de junho de 2024")]),
        Segment("2.1", "North Korean leader Kim Jong Un met with visiting Russian Defence "
                "Minister Sergei Shoigu in his first known meeting with a foreign dignitary "
                "since the Covid-19 pandemic.", 2,
                target="O líder norte-coreano Kim Jong-un reuniu-se com o ministro da Defesa "
                "russo, Serguei Choigu, no seu primeiro encontro conhecido com um dignitário "
                "estrangeiro desde a pandemia de covid-19.",
                pins=[Pin(-1, -1, "Kim Jong Un", "Kim Jong-un"),
                      Pin(-1, -1, "Sergei Shoigu", "Serguei Choigu"),
                      Pin(-1, -1, "Covid-19", "covid-19")]),
        Segment("2.2", "Shoigu’s visit comes as North Korea is marking the 70th anniversary of "
                "the armistice that ended fighting in the 1950-53 Korean War.", 2,
                target="A visita de Shoigu ocorre quando a Coreia do Norte assinala o 71.º "
                "aniversário do armistício que pôs fim aos combates na Guerra da Coreia de "
                "1950-53.",
                pins=[Pin(-1, -1, "Shoigu", "Choigu")],
                qa=['number-mismatch: "70" in the source but not the target; "71" in the '
                    'target but not the source']),
        Segment("3.1", "Kim thanked Putin for sending a delegation.", 3,
                target="Kim agradeceu a Putin por ter enviado uma delegação.",
                notes=["check the register"]),
    ])


def chinese() -> Document:
    return Document(name="nk", source_lang="en", target_lang="zh", segments=[
        Segment("1.1", "North Korean leader Kim Jong Un met with visiting Russian Defence "
                "Minister Sergei Shoigu in his first known meeting with a foreign dignitary "
                "since the Covid-19 pandemic.", 1,
                target="朝鲜领导人金正恩会见了到访的俄罗斯国防部长谢尔盖·绍伊古，这是他自新冠疫情"
                "以来首次已知的会见外国政要。",
                pins=[Pin(-1, -1, "Kim Jong Un", "金正恩"),
                      Pin(-1, -1, "Sergei Shoigu", "谢尔盖·绍伊古")]),
        Segment("1.2", "Kim and Shoigu discussed matters of mutual concern.", 1,
                target="金正恩和绍伊古讨论了共同关心的问题。", fuzzy=False),
    ])


def target_rows(output: str, segment_id: str) -> list[str]:
    """The target's lines of one row, without colour, in either layout."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{segment_id} "))
    if GAP not in lines[start]:  # stacked: the target starts at the arrow
        start = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("→"))
        rows = [lines[start].split("→ ", 1)[1]]
        for line in lines[start + 1:]:
            if not line.startswith(" ") or line.lstrip().startswith(("qa: ", "note: ")):
                break
            rows.append(line.strip())
        return rows
    rows = []
    for line in lines[start:]:
        if GAP.rstrip() not in line or (rows and line[:1].strip()):
            break
        rows.append(line.split(GAP.rstrip(), 1)[1].strip())
    return rows


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("make", [portuguese, chinese])
def test_lines_fit_the_width(make, width, color):
    output = render_review(make(), width=width, color=color)
    assert max(columns(line) for line in output.splitlines()) <= width


@pytest.mark.parametrize("width", [40, 80, 120, 200])
@pytest.mark.parametrize("make", [portuguese, chinese])
def test_every_word_is_shown(make, width):
    document = make()
    output = render_review(document, width=width, color=False)
    shown = output.split()
    joiner = "" if document.target_lang == "zh" else " "
    for segment in document.segments:
        for word in segment.source.split():
            assert word in shown, word
        assert joiner.join(target_rows(output, segment.id)) == segment.target


def test_target_column_reads_back_as_the_target():
    document = portuguese()
    output = render_review(document, width=100, color=False)
    assert " ".join(target_rows(output, "2.1")) == document.segments[1].target


def test_cjk_target_wraps_by_display_width():
    document = chinese()
    output = render_review(document, width=70, color=False)
    rows = target_rows(output, "1.1")
    assert len(rows) > 1
    assert "".join(rows) == document.segments[0].target
    assert max(columns(row) for row in rows) <= (70 - 6 - 3) // 2


def test_no_escape_codes_without_color():
    assert "\x1b" not in render_review(portuguese(), width=120, color=False)
    assert "\x1b" not in render_review(chinese(), width=40, color=False, only_flagged=True)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_color_only_adds_escape_codes(width):
    plain = render_review(portuguese(), width=width, color=False)
    colored = render_review(portuguese(), width=width, color=True)
    assert "\x1b[" in colored
    assert ANSI.sub("", colored) == plain


def test_pins_are_highlighted_in_both_columns():
    output = render_review(portuguese(), width=200, color=True)
    assert "\x1b[1;36mSergei Shoigu\x1b[0m" in output
    assert "\x1b[1;32mSerguei Choigu\x1b[0m" in output
    assert "\x1b[1;31mShoigu\x1b[0m’s" in output  # the pin that did not land


def test_pins_in_unspaced_chinese_are_highlighted():
    document = chinese()
    document.segments[1].pins = [Pin(-1, -1, "Kim", "金正恩")]
    output = render_review(document, width=120, color=True)
    assert "\x1b[1;36mKim\x1b[0m and" in output
    assert "\x1b[1;32m金正恩\x1b[0m和" in output


def test_a_pin_wrapped_across_lines_is_highlighted_per_line():
    document = portuguese()
    output = render_review(document, width=66, color=True)
    plain = render_review(document, width=66, color=False)
    assert ANSI.sub("", output) == plain
    assert "Sergei Shoigu" not in plain  # the pin is split by the wrap at this width
    assert "\x1b[1;36mSergei\x1b[0m" in output and "\x1b[1;36mShoigu\x1b[0m" in output


def test_status_marks_and_remarks():
    output = render_review(portuguese(), width=120, color=False)
    lines = output.splitlines()
    assert any(line.startswith("1.1 ✓ ") for line in lines)
    assert any(line.startswith("2.1 ~ ") for line in lines)
    assert any(line.startswith("2.2 ! ") for line in lines)
    assert any(line.startswith("3.1 ! ") for line in lines)
    assert "      qa: number-mismatch: \"70\" in the source" in output
    assert '      qa: pin-missing: "Shoigu" should be rendered "Choigu"' in output
    assert "      note: check the register" in output


def test_header_names_file_languages_and_counts():
    header = render_review(portuguese(), width=200, color=False).splitlines()[0]
    assert header == ("north-korea.pt.po: en → pt, 4 segments, 1 reviewed, 3 machine, "
                      "2 flagged, 4/5 pins landed")


def test_paragraphs_are_separated_by_a_blank_line():
    lines = render_review(portuguese(), width=200, color=False).splitlines()
    first_of = {line.split()[0]: index for index, line in enumerate(lines)
                if re.match(r"\d+\.\d+ ", line)}
    assert lines[first_of["2.1"] - 1] == ""
    assert lines[first_of["2.2"] - 1] != ""
    assert lines[first_of["3.1"] - 1] == ""


def test_only_flagged_shows_rows_needing_a_look():
    output = render_review(portuguese(), width=120, color=False, only_flagged=True)
    ids = re.findall(r"^(\d+\.\d+) ", output, flags=re.MULTILINE)
    assert ids == ["2.2", "3.1"]


def test_only_flagged_with_nothing_flagged():
    document = portuguese()
    document.segments = document.segments[:2]
    output = render_review(document, width=120, color=False, only_flagged=True)
    assert output.rstrip().endswith("no flagged segments")


def test_stacked_layout_below_sixty_columns():
    document = portuguese()
    output = render_review(document, width=40, color=False)
    assert GAP.strip() not in output
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("2.1 "))
    arrow = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("→ "))
    source = " ".join(line[6:] for line in lines[start:arrow])
    assert source == document.segments[1].source
    assert lines[arrow].startswith("    → O líder")


def test_wrap_spans_counts_wide_characters_twice():
    text = "金正恩会见了绍伊古"
    spans = wrap_spans(text, 6)
    assert [text[start:end] for start, end in spans] == ["金正恩", "会见了", "绍伊古"]


def test_cjk_closing_punctuation_never_starts_a_line():
    text = "金正恩和绍伊古讨论了共同关心的问题。"
    lines = [text[start:end] for start, end in wrap_spans(text, 34)]
    assert lines == ["金正恩和绍伊古讨论了共同关心的问", "题。"]


def test_wrap_spans_breaks_at_spaces_and_cuts_long_words():
    text = "a verylongwordindeed b"
    assert [text[s:e] for s, e in wrap_spans(text, 8)] == ["a", "verylong", "wordinde", "ed b"]


def test_a_documents_tags_show_in_both_columns_apart_from_the_words():
    from glossator.model import Tag
    from glossator.review.terminal import STYLE_TAG

    segment = Segment(id="1.1", source="The Ministry of Defence said.", paragraph=1,
                      markup=[Tag("b0", 4, 23)],
                      target="O <b0>Ministério da Defesa</b0> disse.")
    document = Document(name="story", segments=[segment], source_lang="en", target_lang="pt")
    plain = render_review(document, width=120, color=False)
    assert "The <b0>Ministry of Defence</b0> said." in plain
    assert "O <b0>Ministério da Defesa</b0> disse." in plain
    coloured = render_review(document, width=120, color=True)
    assert coloured.count(f"{STYLE_TAG}<b0>") == 2 and coloured.count(f"{STYLE_TAG}</b0>") == 2
