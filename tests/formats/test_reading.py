"""Formats that read as well as write: one contract for every readable format, the comment-line
codec (re-wrapped PO included), and files as OmegaT, Weblate and other tools write them."""

from __future__ import annotations

import copy
from pathlib import Path

import polib
import pytest
from translate.storage.xliff import xlifffile

from glossator.errors import FormatError
from glossator.formats import FORMATS, READABLE, get_format, reader_for
from glossator.formats.comments import fact_line, join_wrapped, parse_line, to_lines
from glossator.formats.po import read_po
from glossator.model import Document, Match, Pin, Segment
from glossator.run.merge import merge
from helpers import review_document

MACHINE = 'Kim agradeceu\na Putin "pela" visita.\r\n\\n fim'


def annotated_document() -> Document:
    """The review document, with what a review records: machine text (a line break in it),
    a reviewer, an origin."""
    document = review_document()
    document.segments[0].reviewer = "Ana Lima, 2026-11-28T15:30Z"
    document.segments[0].machine = "Líder norte-coreano recebe ministro russo"
    document.segments[6].machine = MACHINE
    document.segments[6].origin = "translation memory"
    document.segments[7].target = "Kim agradeceu Putin pela visita (editado)."
    document.segments[7].machine = "Kim agradeceu Putin pela visita."
    return document


def written(tmp_path: Path, name: str, document: Document) -> Path:
    fmt = get_format(name)
    path = tmp_path / f"doc.{fmt.extension}"
    path.write_text(fmt.render(document), encoding="utf-8")
    return path


def pin_lines(segment: Segment) -> list[str]:
    return [pin.line() for pin in segment.pins]


# The contract --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", READABLE)
def test_every_readable_format_reads_back_ids_texts_and_states(tmp_path: Path, name: str):
    document = annotated_document()
    back = get_format(name).read(written(tmp_path, name, document))
    assert [(s.id, s.source, s.target, s.fuzzy, s.paragraph) for s in back.segments] == [
        (s.id, s.source, s.target, s.fuzzy, s.paragraph) for s in document.segments]


@pytest.mark.parametrize("name", ["po", "xliff", "tmx"])
def test_bilingual_formats_read_back_every_fact(tmp_path: Path, name: str):
    document = annotated_document()
    back = get_format(name).read(written(tmp_path, name, document))
    for wrote, read in zip(document.segments, back.segments):
        assert read.kind == wrote.kind
        assert pin_lines(read) == pin_lines(wrote)
        assert (read.notes, read.qa) == (wrote.notes, wrote.qa)
        assert (read.machine, read.reviewer, read.origin) == (
            wrote.machine, wrote.reviewer, wrote.origin)
    assert back.segments[7].edited and not back.segments[6].edited
    assert back.target_lang == "pt" and back.source_lang == "en"


def test_xliff_reads_back_the_glossary_note_of_each_pin(tmp_path: Path):
    document = review_document()
    document.segments[4].pins[0].target_text = "Agência Central (ACNC)"
    document.segments[4].pins[0].note = "state agency (since 1946)"
    back = get_format("xliff").read(written(tmp_path, "xliff", document))
    assert [pin.note for pin in back.segments[3].pins] == ["Portuguese transliteration"]
    pin = back.segments[4].pins[0]
    assert (pin.target_text, pin.note) == ("Agência Central (ACNC)", "state agency (since 1946)")


@pytest.mark.parametrize("name", sorted(set(FORMATS) - set(READABLE)))
def test_formats_for_people_are_write_only(tmp_path: Path, name: str):
    fmt = get_format(name)
    assert fmt.readable is False
    with pytest.raises(FormatError, match="cannot be read back"):
        fmt.read(written(tmp_path, name, review_document()))


def test_the_registry_names_exactly_the_readable_formats():
    assert {name for name in FORMATS if get_format(name).readable} == set(READABLE)


@pytest.mark.parametrize(("file_name", "expected"), [
    ("a.po", "po"), ("a.xlf", "xliff"), ("A.XLIFF", "xliff"), ("a.tmx", "tmx"), ("a.tsv", "tsv")])
def test_reader_is_chosen_by_extension(file_name: str, expected: str):
    assert reader_for(Path(file_name)).name == expected


def test_unknown_extension_or_unreadable_format_is_refused():
    with pytest.raises(FormatError, match=r"expected \.po, \.xlf, \.xliff, \.tmx, \.tsv"):
        reader_for(Path("story.docx"))
    with pytest.raises(FormatError, match="cannot be read"):
        reader_for(Path("story.html"), "html")


# The comment-line codec ----------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    "plain", 'a "quoted" word', '"starts with a quote', "two\nlines", "cr\r\nlf", "back\\n",
    '"', "", "  spaces  ", "\u2028 line separator"])
def test_codec_lines_read_back_and_stay_one_line(value: str):
    line = fact_line("machine", value)
    assert "\n" not in line and "\r" not in line
    assert parse_line(line) == ("machine", value)


def test_codec_reads_a_hand_written_quote_as_written():
    assert parse_line('qa: "Yes," he said') == ("qa", '"Yes," he said')


def test_codec_writes_facts_in_a_fixed_order():
    segment = Segment("1.1", "Kim met Shoigu.", 1, kind="dateline", target="x",
                      pins=[Pin(-1, -1, "Shoigu", "Choigu", ("Shoygu",))], notes=["n"],
                      qa=["q: r"], origin="memory", machine="m", reviewer="Ana, 2026")
    assert to_lines(segment) == ["dateline", "pin: Shoigu → Choigu | Shoygu", "note: n",
                                 "qa: q: r", "origin: memory", "machine: m",
                                 "reviewed: Ana, 2026"]


def test_wrapped_lines_join_with_the_space_the_wrap_took():
    lines = ["pin: Korean Central News Agency → Agência Central de Notícias da Coreia {f,",
             "article}", "qa: the norte-", "coreano word and a dash -", "53 stays in the",
             "title"]
    assert list(join_wrapped(["dateline", *lines])) == [
        "dateline",
        "pin: Korean Central News Agency → Agência Central de Notícias da Coreia {f, article}",
        "qa: the norte-coreano word and a dash - 53 stays in the title"]


@pytest.mark.parametrize("width", [78, 30])
def test_a_po_rewrapped_by_polib_reads_back_the_same(tmp_path: Path, width: int):
    """The cause of re-translated segments after an editor re-wrapped the PO: polib wraps
    `#.` lines, which split pin lines with grammar, so the pins read back differed."""
    document = annotated_document()
    document.segments[4].pins[0].gender = "f"
    document.segments[4].pins[0].article = True
    document.segments[5].qa.append("quotes: the source quotes “important occasion in further "
                                   "developing the strategic and tactical co-operation”")
    document.segments[5].matches = [
        Match("Kim Jong Un said the visit was an important occasion for the two countries.",
              "Kim Jong Un disse que a visita foi uma ocasião importante para os dois países.", 81),
        Match("The visit was important.", "A visita foi importante.", 76)]
    path = written(tmp_path, "po", document)
    before = read_po(path)
    pofile = polib.pofile(str(path), wrapwidth=width)
    pofile.save()
    assert "#. article}" in path.read_text(encoding="utf-8") or width != 78
    after = read_po(path)
    for old, new in zip(before.segments, after.segments):
        assert (new.source, new.target, new.fuzzy) == (old.source, old.target, old.fuzzy)
        assert pin_lines(new) == pin_lines(old), new.id
        assert (new.qa, new.notes, new.machine, new.reviewer) == (
            old.qa, old.notes, old.machine, old.reviewer)
        assert new.matches == old.matches
    assert [(m.score, m.target) for m in after.segments[5].matches] == [
        (81, "Kim Jong Un disse que a visita foi uma ocasião importante para os dois países."),
        (76, "A visita foi importante.")]


def test_a_rewrapped_po_is_no_change_for_the_next_run(tmp_path: Path):
    document = annotated_document()
    for segment in document.segments:
        for pin in segment.pins:
            pin.gender, pin.article = "f", True  # long pin lines: the ones that were split
    path = written(tmp_path, "po", document)
    polib.pofile(str(path), wrapwidth=78).save()
    fresh = copy.deepcopy(document)
    for segment in fresh.segments:
        segment.target, segment.fuzzy = "", True
    result = merge(fresh, read_po(path), {})
    assert [s.id for s in result.to_translate] == ["7.2"]  # the one without a translation


# Files as other tools write them -------------------------------------------------------------

OMEGAT_LIKE = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="north-korea.txt" source-language="en-US" target-language="pt-BR"
        datatype="plaintext">
    <header><tool tool-id="omegat" tool-name="OmegaT"/></header>
    <body>
      <group id="p3">
        <trans-unit id="u1" resname="3.1" approved="yes">
          <source>Kim <g id="1">met</g> Shoigu.</source>
          <target state="final">Kim <g id="1">recebeu</g> Shoigu.</target>
          <note from="translator">checked against the KCNA text</note>
        </trans-unit>
        <trans-unit id="3.2">
          <source>Second.</source>
          <target state="translated">Segundo.</target>
        </trans-unit>
        <trans-unit id="3.3">
          <source>Third.</source>
          <target state="signed-off">Terceiro.</target>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"""


def test_xliff_as_omegat_writes_it(tmp_path: Path):
    path = tmp_path / "north-korea.xlf"
    path.write_text(OMEGAT_LIKE, encoding="utf-8")
    document = get_format("xliff").read(path)
    assert (document.name, document.source_lang, document.target_lang) == (
        "north-korea", "en-US", "pt-BR")
    assert [(s.id, s.source, s.target, s.fuzzy) for s in document.segments] == [
        ("3.1", "Kim met Shoigu.", "Kim recebeu Shoigu.", False),
        ("3.2", "Second.", "Segundo.", True),
        ("3.3", "Third.", "Terceiro.", False)]
    assert document.segments[0].comment == "checked against the KCNA text"


def test_xliff_edited_in_translate_toolkit_reads_its_approval(tmp_path: Path):
    store = xlifffile.parsestring(get_format("xliff").render(review_document()).encode())
    units = [unit for unit in store.units if not unit.isheader()]
    units[2].target = "Revisto."
    units[2].markapproved(True)
    units[3].markapproved(False)
    path = tmp_path / "back.xlf"
    path.write_bytes(bytes(store))
    segments = get_format("xliff").read(path).segments
    assert (segments[2].target, segments[2].fuzzy) == ("Revisto.", False)
    assert segments[3].fuzzy and not segments[0].fuzzy


def test_tmx_from_another_tool_has_no_ids(tmp_path: Path):
    path = tmp_path / "other.tmx"
    path.write_text("""<?xml version="1.0"?>
<tmx version="1.4"><header srclang="EN-US" creationtool="OmegaT" segtype="sentence"
 o-tmf="x" adminlang="en" datatype="plaintext"/><body>
<tu><note>from the 2023 archive</note><tuv xml:lang="EN-US"><seg>Kim met Shoigu.</seg></tuv>
<tuv xml:lang="PT-BR">
<seg>Kim recebeu <bpt i="1">&lt;b&gt;</bpt>Shoigu<ept i="1">&lt;/b&gt;</ept>.</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    document = get_format("tmx").read(path)
    segment = document.segments[0]
    assert (segment.id, segment.source, segment.fuzzy) == ("", "Kim met Shoigu.", False)
    assert segment.target == "Kim recebeu <b>Shoigu</b>."
    assert segment.comment == "from the 2023 archive"
    assert document.target_lang == "PT-BR"


# Malformed and hostile XML -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "line", "message"), [
    ('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n', 4,
     "not a valid XLIFF file: Opening and ending tag mismatch"),
    ('<?xml version="1.0"?>\n<tmx version="1.4"/>\n', 2, "not an XLIFF file: the root"),
    ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"/>', 1,
     "XLIFF 2.0 is not read"),
    ('<xliff version="1.2"></xliff>', 1, "no <file>"),
])
def test_bad_xliff_is_one_error_naming_file_and_line(tmp_path: Path, text: str, line: int,
                                                      message: str):
    path = tmp_path / "bad.xlf"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=message) as caught:
        get_format("xliff").read(path)
    assert caught.value.line == line and "\n" not in str(caught.value)


def test_xml_readers_refuse_entities_and_resolve_none(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "evil.xlf"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<xliff version="1.2"><file original="x.txt" source-language="en" target-language="pt">
<body><trans-unit id="1.1" approved="yes"><source>A &leak; &c;</source>
<target>B &leak; &c;</target></trans-unit></body></file></xliff>""", encoding="utf-8")
    with pytest.raises(FormatError, match=r"declares an entity \(leak, a, b, c\)") as caught:
        get_format("xliff").read(path)
    assert caught.value.line == 2 and "TOP SECRET" not in str(caught.value)


def test_a_reference_to_an_undeclared_entity_is_refused(tmp_path: Path):
    """Naming an external DTD (not loaded) lets libxml2 leave `&e;` in the text unexpanded."""
    path = tmp_path / "back.tmx"
    path.write_text("""<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="en" creationtool="x" segtype="sentence" o-tmf="x"
 adminlang="en" datatype="plaintext"/><body>
<tu tuid="1.1"><tuv xml:lang="en"><seg>Kim met Shoigu.</seg></tuv>
<tuv xml:lang="pt"><seg>&e;</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    with pytest.raises(FormatError, match="uses the entity &e;") as caught:
        get_format("tmx").read(path)
    assert caught.value.line == 6


TWO_FILES = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="news/first.txt" source-language="en" target-language="pt"><body>
    <trans-unit id="1.1" approved="yes"><source>One.</source><target>Um.</target></trans-unit>
  </body></file>
  <file original="C:\\news\\second.txt" source-language="en" target-language="pt-BR"><body>
    <trans-unit id="1.1"><source>Two.</source><target>Dois.</target></trans-unit>
    <trans-unit id="1.2"><source>Three.</source><target>Tres.</target></trans-unit>
  </body></file>
</xliff>
"""


def test_each_file_of_an_xliff_is_a_document_with_its_own_units(tmp_path: Path):
    path = tmp_path / "both.xlf"
    path.write_text(TWO_FILES, encoding="utf-8")
    documents = get_format("xliff").read_documents(path)
    assert [(d.name, d.article, d.target_lang, [s.source for s in d.segments])
            for d in documents] == [("first", "first.txt", "pt", ["One."]),
                                    ("second", "second.txt", "pt-BR", ["Two.", "Three."])]
    with pytest.raises(FormatError, match="holds 2 articles"):
        get_format("xliff").read(path)
    assert [len(d.segments) for d in get_format("tmx").read_documents(
        written(tmp_path, "tmx", review_document()))] == [9]


@pytest.mark.parametrize("name", ["xliff", "tmx", "tsv"])
def test_a_segment_id_of_thousands_of_digits_reads_as_no_paragraph(tmp_path: Path, name: str):
    path = written(tmp_path, name, review_document())
    huge = "9" * 5000
    text = path.read_text(encoding="utf-8")
    for old, new in (("3.1", f"{huge}.1"), (">3<", f">{huge}<"), ("4.1", "⁴.1"), (">4<", ">⁴<")):
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    segments = get_format(name).read(path).segments
    assert (segments[2].id, segments[2].paragraph) == (f"{huge}.1", 0)
    assert (segments[4].id, segments[4].paragraph) == ("⁴.1", 0)
