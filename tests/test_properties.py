"""Properties checked with hypothesis on generated inputs, arbitrary Unicode included.

(a) the article reader and the segmenter lose and duplicate no text; (b) the glossary CSV loader
either loads a file or names its line in a GlossaryError; (c) the PO reader either reads a
mutated glossator PO or raises FormatError; (d) what each writer (PO, TMX, XLIFF, TSV) writes
reads back the same.

Each property runs GLOSSATOR_HYPOTHESIS_EXAMPLES examples (default 200; raise it for a longer
hunt, e.g. GLOSSATOR_HYPOTHESIS_EXAMPLES=5000).
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from glossator.errors import FormatError, GlossaryError, InputError
from glossator.formats.po import POFormat, read_po
from glossator.formats.tmx import TMXFormat, read_tmx, xml_safe
from glossator.formats.tsv import TSVFormat, parse_tsv
from glossator.formats.xliff import XLIFFFormat
from glossator.glossary.csv import lint_glossaries, load_glossaries
from glossator.model import Document, Pin, Segment
from glossator.text.article import read_article
from glossator.text.document import build_document
from glossator.text.segmenter import sentence_spans

EXAMPLES = int(os.environ.get("GLOSSATOR_HYPOTHESIS_EXAMPLES", "200"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])

# The characters str.splitlines() ends a line at besides LF and CR, which once locked users
# out of their PO files, and other whitespace and controls that text from the web carries.
LINE_BREAKERS = "\u2028\u2029\u0085\u001c\u001d\u001e"
AWKWARD = LINE_BREAKERS + "\n\r\t\x0b\x0c\x1f\xa0\u200b\u3000\ufeff\ufffe\uffff\x7f\x01"

# Any character that can be written in UTF-8 (no lone surrogates), with the awkward ones and
# the characters the formats treat specially drawn often.
any_char = st.characters(codec="utf-8")
special_char = st.sampled_from(AWKWARD + ' "\\\'<>&|{},.;:!?…“”’#~')
text = st.lists(st.one_of(any_char, special_char), max_size=40).map("".join)
line_text = text.map(lambda s: s.replace("\n", " ").replace("\r", " "))


def non_space(value: str) -> str:
    """The text less its whitespace (str.isspace, as the reader and segmenter use it)."""
    return "".join(char for char in value if not char.isspace())


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


# (a) The article reader and the segmenter --------------------------------------------------

WORDS = ["Kim", "met", "Shoigu", "Mr.", "U.S.", "Dr.", "p.m.", "1.", "2.", "a)", "No. 5",
         "Subscribe", "More Articles", "...", ". . . .", "“Yes.”", "(KCNA)", "e.g.", "3.5"]
article_chunk = st.one_of(text, st.sampled_from(WORDS), special_char,
                          st.sampled_from(["\n", "\n\n", "\r\n", "\r", " ", ". ", "? "]))
article_text = st.lists(article_chunk, max_size=30).map("".join)


@SETTINGS
@given(article_text)
def test_reader_and_segmenter_lose_and_duplicate_nothing(folder: Path, source: str):
    """Every non-space character of the file is in a paragraph or a dropped line, once and in
    order; each paragraph's segments are disjoint, in order, with only whitespace between."""
    assume("\x00" not in source)  # refused as binary, tested in test_article
    path = folder / "article.txt"
    path.write_bytes(source.encode("utf-8"))
    expected = non_space(source.removeprefix("\ufeff"))  # a BOM is dropped, by design
    try:
        article = read_article(path)
    except InputError as error:
        event(f"refused: {error.message}")
        assert error.message in ("article is empty or whitespace only",
                                 "article is only web-page cruft"), error
        if error.message.startswith("article is empty"):
            assert expected == ""
        return

    paragraphs = non_space("".join(p.text for p in article.paragraphs))
    dropped = [non_space(line) for _rule, line in article.dropped]
    assert any("".join(dropped[:k]) + paragraphs + "".join(dropped[k:]) == expected
               for k in range(len(dropped) + 1))

    document = build_document(article, "en")
    event(f"segments: {len(document.segments) if len(document.segments) < 5 else '5 or more'}")
    groups = document.paragraphs()
    assert len(groups) == len(article.paragraphs)
    for paragraph, segments in zip(article.paragraphs, groups):
        assert paragraph.text == paragraph.text.strip() and paragraph.text
        if paragraph.kind != "body":
            assert [s.source for s in segments] == [paragraph.text]
            continue
        spans = sentence_spans(paragraph.text, "en")
        assert [s.source for s in segments] == [paragraph.text[a:b] for a, b in spans]
        position = 0
        for start, end in spans:
            assert position <= start < end
            assert paragraph.text[position:start].strip() == ""
            sentence = paragraph.text[start:end]
            assert sentence == sentence.strip()
            position = end
        assert paragraph.text[position:].strip() == ""


# (b) The glossary CSV loader -----------------------------------------------------------------

# Mostly cells a person might write, so that many files load; then anything at all.
plain = st.text(st.characters(categories=["L", "Nd", "Zs"], include_characters="-'’.|"),
                max_size=20)
cell = st.one_of(plain, plain, plain, text,
                 st.sampled_from(["", "Kim", "Kim | Kim Jong Un", "a {f, article}", "b {x}",
                                  "keep", "nocase", "keep nocase", "#c", "|", "en", "pt",
                                  "note", "flags", "zz", '"']))
header = st.one_of(st.just(["en", "pt", "de", "note", "flags"]), st.just(["en", "pt"]),
                   st.lists(st.one_of(st.sampled_from(["en", "pt", "de", "pt-BR", "note",
                                                       "flags", ""]), cell),
                            min_size=1, max_size=6))
rows = st.lists(st.lists(cell, max_size=7), max_size=8)


@SETTINGS
@given(header, rows, st.booleans())
def test_glossary_csv_loads_or_names_the_line(folder: Path, head: list[str],
                                              body: list[list[str]], quoted: bool):
    """Arbitrary cells (written with CSV quoting, or joined raw with commas) either load or
    give a GlossaryError naming a line of the file; never another exception."""
    if quoted:
        output = io.StringIO()
        csv.writer(output, lineterminator="\n").writerows([head, *body])
        data = output.getvalue()
    else:
        data = "".join(",".join(row) + "\n" for row in [head, *body])
    path = folder / "glossary.csv"
    path.write_bytes(data.encode("utf-8"))
    lines = data.count("\n") + 1
    try:
        glossary = load_glossaries([path], "en")
    except GlossaryError as error:
        event(f"GlossaryError: {error.message[:25]}")
        assert error.path == str(path)
        assert error.line is not None and 1 <= error.line <= lines, error
        assert "\n" not in str(error)
    else:
        event("loaded, no concept" if not len(glossary) else "loaded")
        assert all(concept.variants for concept in glossary.concepts)
    _glossary, findings = lint_glossaries([path])
    assert all(0 <= finding.line <= lines and "\n" not in str(finding) for finding in findings)


# (c) The PO reader on mutated files ------------------------------------------------------------


def sample_document() -> Document:
    """A document with everything a glossator PO holds: title, dateline, pins with grammar,
    notes, QA findings, a reviewed entry, a translator comment, a previous msgid, an obsolete
    entry, and the line-break characters of the lock-out."""
    pin = Pin(0, 3, "Kim", "Kim", admitted=("Kim Jong-un",), concept="Kim", gender="m",
              article=False)
    segments = [
        Segment("1.1", "Sunday, June 23, 2024", 1, kind="dateline",
                target="domingo, 23 de junho de 2024", fuzzy=False),
        Segment("2.1", "Kim meets Shoigu", 2, kind="title", target="Kim recebe Shoigu",
                pins=[pin]),
        Segment("3.1", f"The talks{LINE_BREAKERS} ended \"today\"\\.", 3,
                target="As conversas\u2028terminaram.", notes=["pinned term missed: X"],
                qa=["untranslated term: Shoigu"], comment="checked by Ana",
                previous_source="The talks ended."),
        Segment("3.2", "Shoigu flew back.", 3, target="", origin="memory.tmx"),
    ]
    return Document(name="sample", source_lang="en", target_lang="pt", segments=segments,
                    article="sample.txt", header_notes=["made for a test"],
                    obsolete=[Segment("4.1", "Gone.", 4, target="Foi.")])


SAMPLE_PO = POFormat().render(sample_document()).encode("utf-8")
PO_LINES = SAMPLE_PO.split(b"\n")

mutation = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, len(SAMPLE_PO) - 1),
              st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("insert"), st.integers(0, len(SAMPLE_PO)),
              st.one_of(st.binary(min_size=1, max_size=8),
                        special_char.map(lambda c: c.encode("utf-8")),
                        st.sampled_from([b'"', b"\\", b"\n", b"\r", b"msgid ", b"msgstr ",
                                         b"msgctxt ", b"#~ ", b"#| ", b"#, fuzzy\n", b"#. ",
                                         b'msgstr[0] ""\n', b"\xff", b"\x00"]))),
    st.tuples(st.just("delete"), st.integers(0, len(SAMPLE_PO) - 1), st.integers(1, 40)),
    st.tuples(st.just("line"), st.integers(0, len(PO_LINES) - 1),
              st.sampled_from(["drop", "double", "swap"])),
)


def mutate(data: bytes, edits: list[tuple]) -> bytes:
    for kind, where, what in edits:
        where = min(where, len(data))
        if kind == "replace":
            data = data[:where] + what + data[where + len(what):]
        elif kind == "insert":
            data = data[:where] + what + data[where:]
        elif kind == "delete":
            data = data[:where] + data[where + what:]
        else:
            lines = data.split(b"\n")
            where = min(where, len(lines) - 1)
            if what == "drop":
                del lines[where]
            elif what == "double":
                lines.insert(where, lines[where])
            elif where + 1 < len(lines):
                lines[where], lines[where + 1] = lines[where + 1], lines[where]
            data = b"\n".join(lines)
    return data


def test_sample_po_reads_back(folder: Path):
    path = folder / "sample.po"
    path.write_bytes(SAMPLE_PO)
    assert [s.source for s in read_po(path).segments] == [
        s.source for s in sample_document().segments]


@SETTINGS
@given(st.lists(mutation, min_size=1, max_size=4))
def test_po_reader_reads_or_raises_format_error(folder: Path, edits: list[tuple]):
    path = folder / "mutated.po"
    path.write_bytes(mutate(SAMPLE_PO, edits))
    try:
        document = read_po(path)
    except FormatError as error:
        event(f"FormatError: {error.message.split(':')[0][:30]}")
        assert error.path == str(path)
        assert "\n" not in str(error)
    else:
        event("read")
        assert document.segments


# (d) Round trips through every writer ----------------------------------------------------------

pin_text = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A document of arbitrary segments: any text as source and target (line breaks of every
    kind included), any one-line notes and QA findings, pins of plain words."""
    segments = []
    count = draw(st.integers(1, 5))
    for index in range(count):
        paragraph = index // 2 + 1
        pins = [Pin(-1, -1, source, target) for source, target
                in draw(st.lists(st.tuples(pin_text, pin_text), max_size=2))]
        segments.append(Segment(
            id=f"{paragraph}.{index % 2 + 1}",
            source=draw(text.filter(lambda s: s.strip() != "")),
            paragraph=paragraph,
            kind=draw(st.sampled_from(["body", "title", "dateline"])),
            target=draw(text),
            fuzzy=draw(st.booleans()),
            pins=pins,
            notes=draw(st.lists(line_text.map(str.strip).filter(bool), max_size=2)),
            qa=draw(st.lists(line_text.map(str.strip).filter(bool), max_size=2)),
        ))
    return Document(name="doc", source_lang="en", target_lang="pt", segments=segments,
                    article="doc.txt")


def pin_pairs(pins: list[Pin]) -> list[tuple[str, str]]:
    return [(pin.source_text, pin.target_text) for pin in pins]


def po_safe(value: str) -> str:
    """What a PO file can carry: a NUL is written as U+FFFD (POFormat.render, documented)."""
    return value.replace("\x00", "\ufffd")


# Found by this property: a NUL written raw made a PO the reader refuses.
NUL_DOCUMENT = Document(name="doc", source_lang="en", target_lang="pt", segments=[
    Segment("1.1", f"0{LINE_BREAKERS}\x00", 1, target="\x00", fuzzy=False, qa=["\x00"])])


@SETTINGS
@given(documents())
@example(NUL_DOCUMENT)
def test_po_round_trip(folder: Path, document: Document):
    path = folder / "doc.po"
    path.write_text(POFormat().render(document), encoding="utf-8")
    back = read_po(path)
    assert len(back.segments) == len(document.segments)
    for wrote, read in zip(document.segments, back.segments):
        assert (read.id, read.paragraph, read.kind) == (wrote.id, wrote.paragraph, wrote.kind)
        assert read.source == po_safe(wrote.source)
        assert read.target == po_safe(wrote.target)
        assert read.fuzzy == wrote.fuzzy
        assert read.notes == [po_safe(n) for n in wrote.notes]
        assert read.qa == [po_safe(q) for q in wrote.qa]
        assert pin_pairs(read.pins) == pin_pairs(wrote.pins)


@SETTINGS
@given(documents(), st.lists(st.tuples(st.sampled_from(["1.1", "x-17", "2.1\n3", '4"5']), text,
                                       st.one_of(st.none(), text)), max_size=3),
       st.sampled_from(["doc.txt", "my story.txt", "wire\tcopy.md"]))
def test_po_text_is_what_polib_writes_of_the_whole_file(document: Document, extra: list,
                                                         article: str):
    """The PO writer writes each distinct segment's entry once and puts in its occurrence and
    context lines: the file is still byte for byte what polib writes of the whole file,
    reviewer comments, previous sources, obsolete entries, another tool's ids and file names
    with white space included; a segment repeated elsewhere in the file gets its own lines."""
    from glossator.formats.po import build_pofile, po_text

    for number, (segment_id, comment, previous) in enumerate(extra):
        document.segments.append(Segment(segment_id, "Repeated.", number + 7, target="Repetido.",
                                         comment=comment, previous_source=previous))
        document.obsolete.append(Segment(f"{number + 9}.1", f"Old {comment}", number + 9,
                                         target=comment, comment=comment, fuzzy=False))
    document.segments.extend(replace(segment, id=f"{segment.paragraph + 20}.1",
                                     paragraph=segment.paragraph + 20)
                             for segment in list(document.segments))
    document.article = article
    dated = re.compile(r'"(POT-Creation|PO-Revision)-Date: [^"]*"')  # made twice: a minute apart
    assert (dated.sub("", po_text(document))
            == dated.sub("", str(build_pofile(document))))


@SETTINGS
@given(documents())
def test_tmx_round_trip(folder: Path, document: Document):
    """XML 1.0 cannot carry some control characters at all: the writer replaces those with
    U+FFFD (xml_safe, documented), and everything else reads back as written."""
    path = folder / "doc.tmx"
    path.write_text(TMXFormat().render(document), encoding="utf-8")
    units = read_tmx(path, "pt")
    assert len(units) == len(document.segments)
    for wrote, unit in zip(document.segments, units):
        assert unit.tuid == wrote.id
        assert unit.source == xml_safe(wrote.source)
        assert unit.target == xml_safe(wrote.target)
        assert unit.fuzzy == wrote.fuzzy
        assert unit.props["x-kind"] == [wrote.kind]
        assert unit.props["x-paragraph"] == [str(wrote.paragraph)]
        assert unit.notes == [xml_safe(f"note: {n}") for n in wrote.notes] + [
            xml_safe(f"qa: {q}") for q in wrote.qa]


XLIFF = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


@SETTINGS
@given(documents())
def test_xliff_round_trip(document: Document):
    root = etree.fromstring(XLIFFFormat().render(document).encode("utf-8"))
    units = root.xpath("//x:trans-unit", namespaces=XLIFF)
    assert len(units) == len(document.segments)
    for wrote, unit in zip(document.segments, units):
        assert unit.get("id") == wrote.id
        assert (unit.get("approved") == "yes") == (not wrote.fuzzy)
        source = unit.find("x:source", XLIFF)
        assert (source.text or "") == xml_safe(wrote.source)
        target = unit.find("x:target", XLIFF)
        if wrote.target or not wrote.fuzzy:
            assert (target.text or "") == xml_safe(wrote.target)
        else:
            assert target is None


@SETTINGS
@given(documents())
def test_tsv_round_trip(document: Document):
    rows = parse_tsv(TSVFormat().render(document))
    assert [(r.id, r.source, r.target, r.fuzzy) for r in rows] == [
        (s.id, s.source, s.target, s.fuzzy) for s in document.segments]
