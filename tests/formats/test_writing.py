"""Output formats: the contract every format keeps, then TMX, XLIFF, TSV and HTML one by one.

The XML formats are checked with Translate Toolkit's own parsers (what Weblate and the
converters use) and with lxml XPath for structure: no TMX 1.4b DTD or XLIFF 1.2 schema is
installed anywhere here, and neither can be downloaded.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
from pathlib import Path

import lxml.html
import polib
import pytest
from lxml import etree
from translate.storage.tmx import tmxfile
from translate.storage.xliff import xlifffile

from glossator import __version__
from glossator.errors import FormatError
from glossator.formats import FORMATS, get_format, parse_formats
from glossator.formats.base import Format
from glossator.formats.tmx import read_memory, read_tmx, write_memory
from glossator.formats.tsv import escape, parse_tsv, read_tsv, unescape
from glossator.model import Document, Segment
from helpers import HOSTILE_SOURCE, HOSTILE_TARGET, REPEATED, review_document, select, shown

XLIFF_NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# The contract --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_keeps_the_contract(name: str):
    fmt = get_format(name)
    document = review_document()
    before = copy.deepcopy(document)
    text = fmt.render(document)
    assert isinstance(fmt, Format)
    assert fmt.name == name
    assert fmt.filename(document) == f"north-korea-shoigu-visit.{fmt.extension}"
    assert isinstance(text, str) and text.endswith("\n")
    assert document == before, "render must not change the document"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_an_empty_document_and_one_without_target(name: str):
    fmt = get_format(name)
    assert isinstance(fmt.render(Document(name="empty", source_lang="en", target_lang="pt")),
                       str)
    document = review_document()
    document.target_lang = None
    assert isinstance(fmt.render(document), str)


@pytest.mark.parametrize("name", ["tmx", "xliff", "tsv", "html"])
def test_bilingual_formats_carry_every_segment_id(name: str):
    text = get_format(name).render(review_document())
    for segment in review_document().segments:
        assert segment.id in text


@pytest.mark.parametrize("name", ["tmx", "xliff"])
def test_xml_formats_survive_characters_xml_forbids(name: str):
    document = Document(name="x", source_lang="en", target_lang="pt", segments=[
        Segment("1.1", "vertical\x0btab and bell\x07", 1, target="ok\x00")])
    root = etree.fromstring(get_format(name).render(document).encode("utf-8"))
    assert "vertical\ufffdtab and bell\ufffd" in "".join(root.itertext())


def test_new_formats_are_registered_with_their_extensions():
    formats = parse_formats("tmx, xliff,tsv,HTML,tmx")
    assert [(f.name, f.extension) for f in formats] == [
        ("tmx", "tmx"), ("xliff", "xlf"), ("tsv", "tsv"), ("html", "html")]


# TMX -----------------------------------------------------------------------------------------


def test_tmx_reads_in_translate_toolkit():
    document = review_document()
    store = tmxfile.parsestring(get_format("tmx").render(document).encode("utf-8"))
    assert len(store.units) == len(document.segments)
    for unit, segment in zip(store.units, document.segments):
        assert unit.getid() == segment.id
        assert unit.source == segment.source
        assert unit.target == segment.target
    assert "qa: untranslated term: Shoigu" in store.units[3].getnotes()
    assert "note: pinned term missed" in store.units[3].getnotes()


def test_tmx_structure_follows_tmx_14b():
    document = review_document()
    root = etree.fromstring(get_format("tmx").render(document).encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header")
    assert {key: header.get(key) for key in ("creationtool", "creationtoolversion", "srclang",
                                             "adminlang", "segtype", "datatype", "o-tmf")} == {
        "creationtool": "glossator", "creationtoolversion": __version__, "srclang": "en",
        "adminlang": "en", "segtype": "sentence", "datatype": "plaintext",
        "o-tmf": "glossator"}
    assert set(child.tag for child in header) <= {"note", "prop", "ude"}
    units = root.findall("body/tu")
    assert [tu.get("tuid") for tu in units] == [s.id for s in document.segments]
    for tu, segment in zip(units, document.segments):
        tags = [child.tag for child in tu]
        # DTD: (note|prop)*, tuv+ ; and tuv: (note|prop)*, seg
        first_tuv = tags.index("tuv")
        assert set(tags[:first_tuv]) <= {"note", "prop"} and set(tags[first_tuv:]) == {"tuv"}
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["en", "pt"]
        assert all(tuv.find("seg") is not None for tuv in tu.findall("tuv"))
        status = tu.xpath("string(prop[@type='x-status'])")
        assert status == ("fuzzy" if segment.fuzzy else "reviewed")
        assert len(tu.findall("prop[@type='x-pin']")) == len(segment.pins)


def test_read_tmx_returns_units_with_texts_props_and_notes(tmp_path: Path):
    document = review_document()
    units = read_tmx(write(tmp_path, "a.tmx", get_format("tmx").render(document)))
    assert [(u.tuid, u.source, u.target) for u in units] == [
        (s.id, s.source, s.target) for s in document.segments]
    assert [u.fuzzy for u in units] == [s.fuzzy for s in document.segments]
    assert units[2].props["x-pin"][0] == "Kim Jong Un → Kim Jong-un"
    assert units[4].props["x-pin"][1] == "KCNA → KCNA | ACNC"
    assert units[0].props["x-kind"] == ["title"]
    assert units[5].notes == ["qa: markup in the text: <script> & </textarea>"]


def test_tmx_writes_bcp47_language_tags():
    document = review_document()
    document.target_lang = "pt_BR"
    root = etree.fromstring(get_format("tmx").render(document).encode("utf-8"))
    assert set(root.xpath("//tuv/@xml:lang")) == {"en", "pt-BR"}


def test_memory_round_trip_keeps_hostile_text_and_drops_empty_pairs(tmp_path: Path):
    entries = [("Kim met Shoigu.", "Kim recebeu Choigu."),
               (HOSTILE_SOURCE, HOSTILE_TARGET),
               ("Kim met Shoigu.", "Kim recebeu Choigu."),  # repeated: written once
               ("Untranslated.", ""),
               ("", "Sem origem."),
               ("Two renderings.", "Primeira."),
               ("Two renderings.", "Segunda.")]
    text = write_memory(entries, "en", "pt_BR")
    path = write(tmp_path, "memory.tmx", text)
    assert read_memory(path, "en", "pt_BR") == {
        "Kim met Shoigu.": "Kim recebeu Choigu.",
        HOSTILE_SOURCE: HOSTILE_TARGET,
        "Two renderings.": "Segunda."}
    assert read_memory(path, "en", "pt") == read_memory(path, "en", "pt_BR")
    assert read_memory(path, "en", "de") == {}
    store = tmxfile.parsestring(text.encode("utf-8"))
    assert len(store.units) == 4
    root = etree.fromstring(text.encode("utf-8"))
    assert root.find("header").get("srclang") == "en"


def test_memory_from_a_document_tmx_keeps_only_reviewed_segments(tmp_path: Path):
    path = write(tmp_path, "doc.tmx", get_format("tmx").render(review_document()))
    memory = read_memory(path, "en", "pt")
    assert memory == {
        "North Korea’s leader meets Russian defense minister, first since Covid":
            "Líder da Coreia do Norte recebe ministro da Defesa russo, o primeiro desde a covid",
        "Sunday, June 23, 2024": "domingo, 23 de junho de 2024",
        REPEATED: "Kim agradeceu a Putin pela visita."}


def test_memory_reads_another_tools_tmx(tmp_path: Path):
    path = write(tmp_path, "other.tmx", """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT"
          adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
  <body>
    <tu><tuv xml:lang="EN-US"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>world</seg></tuv>
        <tuv xml:lang="PT-BR"><seg>Olá mundo</seg></tuv></tu>
  </body>
</tmx>
""")
    assert read_memory(path, "en_US", "pt_BR") == {"Hello <b>world": "Olá mundo"}


@pytest.mark.parametrize(("text", "line", "message"), [
    ('<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en"/>\n<body>\n'
     "<tu><tuv xml:lang='en'><seg>a & b</seg></tuv></tu>\n</body></tmx>\n", 5, "not a valid TMX"),
    ('<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="en"/>\n<body>\n'
     "<tu>\n</body></tmx>\n", 6, "not a valid TMX"),
    ("", 1, "not a valid TMX"),
    ('<?xml version="1.0"?>\n\n<xliff version="1.2"/>\n', 3, "not a TMX file"),
])
def test_malformed_memory_names_file_and_line(tmp_path: Path, text: str, line: int,
                                               message: str):
    path = write(tmp_path, "bad.tmx", text)
    with pytest.raises(FormatError) as caught:
        read_memory(path, "en", "pt")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: {message}")


def test_memory_refuses_missing_file_and_other_source_language(tmp_path: Path):
    with pytest.raises(FormatError, match="no such file"):
        read_memory(tmp_path / "none.tmx", "en", "pt")
    path = write(tmp_path, "de.tmx", write_memory([("Hallo", "Olá")], "de", "pt"))
    with pytest.raises(FormatError, match="source language is de"):
        read_memory(path, "en", "pt")


def test_memory_with_external_entities_is_refused(tmp_path: Path):
    secret = write(tmp_path, "secret.txt", "TOP SECRET")
    path = write(tmp_path, "xxe.tmx", f"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY leak SYSTEM "file://{secret}">]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="pt"><seg>b&leak;</seg></tuv></tu>
</body></tmx>
""")
    with pytest.raises(FormatError, match=r"declares an entity \(leak\)") as caught:
        read_memory(path, "en", "pt")
    assert "TOP SECRET" not in str(caught.value)


# XLIFF ---------------------------------------------------------------------------------------


def test_xliff_reads_in_translate_toolkit_with_states():
    document = review_document()
    store = xlifffile.parsestring(get_format("xliff").render(document).encode("utf-8"))
    assert store.getsourcelanguage() == "en" and store.gettargetlanguage() == "pt"
    units = [unit for unit in store.units if not unit.isheader()]
    assert len(units) == len(document.segments)
    for unit, segment in zip(units, document.segments):
        assert unit.getid().endswith(segment.id)
        assert unit.source == segment.source
        assert (unit.target or "") == segment.target
        if segment.target:
            assert unit.isfuzzy() is segment.fuzzy
            assert unit.isreview() is segment.fuzzy
        assert unit.isapproved() is (not segment.fuzzy)
    notes = units[3].getnotes()
    assert "qa: untranslated term: Shoigu" in notes
    assert "note: pinned term missed: Shoigu → Choigu" in notes
    assert "pin: Shoigu → Choigu (Portuguese transliteration)" in notes


def test_xliff_structure_follows_xliff_12():
    document = review_document()
    root = etree.fromstring(get_format("xliff").render(document).encode("utf-8"))
    assert root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff"
    assert root.get("version") == "1.2"
    file = root.find("x:file", XLIFF_NS)
    assert {key: file.get(key) for key in ("original", "source-language", "target-language",
                                           "datatype")} == {
        "original": "north-korea-shoigu-visit.txt", "source-language": "en",
        "target-language": "pt", "datatype": "plaintext"}
    assert [child.tag.split("}")[1] for child in file] == ["header", "body"]
    assert file.xpath("x:header/x:tool/@tool-version", namespaces=XLIFF_NS) == [__version__]
    units = file.xpath("x:body/x:trans-unit", namespaces=XLIFF_NS)
    assert [unit.get("id") for unit in units] == [s.id for s in document.segments]
    for unit, segment in zip(units, document.segments):
        tags = [child.tag.split("}")[1] for child in unit]
        assert tags[0] == "source"
        assert set(tags[1:]) <= {"target", "note"}
        assert "target" not in tags[2:], "target must follow source directly"
        states = unit.xpath("x:target/@state", namespaces=XLIFF_NS)
        if segment.fuzzy:
            assert unit.get("approved") is None
            assert states == (["needs-review-translation"] if segment.target else [])
        else:
            assert unit.get("approved") == "yes" and states == ["signed-off"]
        assert set(unit.xpath("x:note/@priority", namespaces=XLIFF_NS)) <= {"1"}
    assert units[0].get("restype") == "x-title"


def test_xliff_writes_bcp47_language_tags():
    document = review_document()
    document.target_lang = "pt_BR"
    store = xlifffile.parsestring(get_format("xliff").render(document).encode("utf-8"))
    assert store.gettargetlanguage() == "pt-BR"


# TSV -----------------------------------------------------------------------------------------


def test_tsv_has_one_row_of_five_fields_per_segment():
    document = review_document()
    text = get_format("tsv").render(document)
    lines = text.split("\n")
    assert lines[0] == "id\tsource\ttarget\tstatus\tcomment"
    assert lines[-1] == ""
    assert len(lines) == len(document.segments) + 2
    assert all(line.count("\t") == 4 for line in lines[:-1])
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert [row[0] for row in rows[1:]] == [s.id for s in document.segments]
    assert [row[3] for row in rows[1:]] == ["fuzzy" if s.fuzzy else "reviewed"
                                            for s in document.segments]


def test_tsv_round_trips_hostile_text():
    document = review_document()
    rows = parse_tsv(get_format("tsv").render(document))
    assert rows == [(s.id, s.source, s.target, "fuzzy" if s.fuzzy else "reviewed", s.comment)
                    for s in document.segments]
    assert rows[5].source == HOSTILE_SOURCE and rows[5].fuzzy


def test_a_tsv_without_the_comment_column_reads_as_before():
    rows = parse_tsv("id\tsource\ttarget\tstatus\n1.1\tHello.\tOlá.\treviewed\n")
    assert rows == [("1.1", "Hello.", "Olá.", "reviewed", "")]
    with pytest.raises(FormatError, match="expected 4 tab-separated fields, found 5") as caught:
        parse_tsv("id\tsource\ttarget\tstatus\n1.1\tHello.\tOlá.\treviewed\tnote\n")
    assert caught.value.line == 2


def test_tsv_escaping_is_exactly_reversible():
    alphabet = ["\\", "t", "n", "r", "\t", "\n", "\r", "x"]
    for size in range(5):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            escaped = escape(text)
            assert not set(escaped) & {"\t", "\n", "\r"}
            assert unescape(escaped) == text
    assert escape("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"


def test_tsv_keeps_other_line_breaks_and_reads_crlf_and_bom(tmp_path: Path):
    document = Document(name="x", source_lang="en", target_lang="pt", segments=[
        Segment("1.1", "form\x0cfeed\u2028line\x85sep", 1, target="ok\u2029", fuzzy=False)])
    text = get_format("tsv").render(document)
    assert parse_tsv(text)[0].source == "form\x0cfeed\u2028line\x85sep"
    path = tmp_path / "crlf.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_tsv(path) == parse_tsv(text)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("id,source,target,status\n", 1, "first line"),
    ("", 1, "first line"),
    ("id\tsource\ttarget\tstatus\n1.1\ta\tb\tfuzzy\n1.2\ta\tb\n", 3, "expected 4"),
    ("id\tsource\ttarget\tstatus\n1.1\ta\tb\tdone\n", 2, "status must be"),
])
def test_tsv_reader_errors_name_file_and_line(tmp_path: Path, text: str, line: int,
                                               message: str):
    path = write(tmp_path, "bad.tsv", text)
    with pytest.raises(FormatError, match=message) as caught:
        read_tsv(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")


# HTML ----------------------------------------------------------------------------------------


def html_tree(document: Document) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(get_format("html").render(document))


def test_html_has_one_row_per_segment_grouped_by_paragraph():
    document = review_document()
    tree = html_tree(document)
    rows = select(tree, ".seg")
    assert [row.get("id") for row in rows] == [f"s{s.id}" for s in document.segments]
    assert [select(row, ".sid")[0].text for row in rows] == [s.id for s in document.segments]
    paragraphs = select(tree, "section.para")
    assert [len(select(p, ".seg")) for p in paragraphs] == [1, 1, 2, 1, 1, 1, 2]
    for row, segment in zip(rows, document.segments):
        assert select(row, ".src")[0].text_content() == shown(segment.source)
        if segment.target:
            assert select(row, ".tgt")[0].text_content() == shown(segment.target)


def test_html_escapes_article_text_and_loads_nothing():
    tree = html_tree(review_document())
    assert tree.xpath("//script") == []
    assert tree.xpath("//textarea") == []
    assert not [cell for cell in select(tree, ".src") + select(tree, ".tgt") if cell.xpath(".//b")]
    hostile = tree.get_element_by_id("s5.1")
    assert "<script>alert(1)</script>" in select(hostile, ".src")[0].text_content()
    assert "</textarea>" in select(hostile, ".tgt")[0].text_content()
    assert tree.xpath("//link | //img | //iframe | //object | //embed") == []
    assert not [url for url in tree.xpath("//@src | //@href") if not url.startswith("#")]
    style = "".join(tree.xpath("//style/text()"))
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp


def test_html_highlights_pins_in_both_columns_with_their_notes():
    tree = html_tree(review_document())
    meeting = tree.get_element_by_id("s3.1")
    source_marks = select(meeting, ".src mark.pin")
    target_marks = select(meeting, ".tgt mark.pin")
    assert [m.text for m in source_marks] == ["Kim Jong Un", "Sergei Shoigu", "Covid-19"]
    assert [m.text for m in target_marks] == ["Kim Jong-un", "Serguei Choigu", "covid-19"]
    assert 'North Korean leader; "Kim" is the family name & stays first' in \
        source_marks[0].get("title")
    assert source_marks[0].get("title") == target_marks[0].get("title")
    missed = tree.get_element_by_id("s3.2")
    assert [m.text for m in select(missed, ".src mark.pin.missed")] == ["Shoigu"]
    assert select(missed, ".tgt mark") == []
    kcna = tree.get_element_by_id("s4.1")
    assert [m.text for m in select(kcna, ".tgt mark")] == [
        "Agência Central de Notícias da Coreia", "KCNA"]
    # a pin read back from a file has no offsets: found by searching
    assert [m.text for m in select(tree.get_element_by_id("s7.2"), ".src mark")] == [
        "Pyongyang"]


def test_html_marks_machine_reviewed_and_flagged_segments():
    tree = html_tree(review_document())
    classes = {row.get("id"): row.get("class").split() for row in select(tree, ".seg")}
    assert "reviewed" in classes["s1.1"] and "machine" not in classes["s1.1"]
    assert "machine" in classes["s3.1"] and "flagged" not in classes["s3.1"]
    assert {"flagged", "has-missed", "has-qa"} <= set(classes["s3.2"])
    assert {"flagged", "has-qa"} <= set(classes["s4.1"])
    remarks = select(tree.get_element_by_id("s3.2"), ".remarks li")
    assert [li.get("class") for li in remarks] == ["missed", "qa"]
    assert "Shoigu → Choigu" in remarks[0].text_content()
    assert select(tree.get_element_by_id("s7.2"), ".tgt .empty")


def test_html_summary_languages_and_footer():
    tree = html_tree(review_document())
    assert tree.findtext(".//title") == (
        "north-korea-shoigu-visit — English → Portuguese (português) · review")
    stats = {li.text_content().split(" ", 1)[1]: int(li.findtext("b"))
             for li in select(tree, ".stats li") if li.find("b") is not None}
    assert stats == {"segments": 9, "reviewed": 3, "machine": 6, "pins found": 8,
                     "landed": 6, "missed": 1, "not checked": 1, "QA findings": 3}
    assert select(tree, ".filter .count")[0].text == "(3)"
    footer = select(tree, "footer")[0].text_content()
    assert "engine=bergamot" in footer and "glossaries/news.tsv" in footer
    assert 'Share this <article> & "more"' in footer
    assert [row.findtext("th") for row in select(tree, ".terms tbody tr")] == [
        "Sunday, June 23, 2024", "Kim Jong Un", "Sergei Shoigu", "Covid-19", "Shoigu",
        "Korean Central News Agency", "KCNA", "Pyongyang"]


def test_html_sets_direction_for_right_to_left_targets():
    document = review_document()
    document.target_lang = "ar"
    tree = html_tree(document)
    target = select(tree, ".tgt")[0]
    assert (target.get("lang"), target.get("dir")) == ("ar", "rtl")
    assert select(tree, ".src")[0].get("dir") == "ltr"


# A person's comment on a segment -------------------------------------------------------------

COMMENT = 'Confirmar o cargo com a redação.\nDepois: "ministro" ou "chefe"? <b>&</b>'


@pytest.mark.parametrize("name", ["po", "xliff", "tmx", "tsv"])
def test_a_translator_comment_is_kept_in_every_format_that_reads_back(name: str,
                                                                     tmp_path: Path):
    document = review_document()
    document.segments[1].comment = COMMENT
    fmt = get_format(name)
    path = tmp_path / fmt.filename(document)
    path.write_text(fmt.render(document), encoding="utf-8")
    back = {segment.id: segment for segment in fmt.read(path).segments}
    assert back[document.segments[1].id].comment == COMMENT
    assert back[document.segments[1].id].qa == (document.segments[1].qa if name != "tsv" else [])
    assert all(back[segment.id].comment == "" for segment in document.segments[2:])


def test_cat_tools_see_the_comment_as_a_note(tmp_path: Path):
    document = review_document()
    document.segments[1].comment = COMMENT
    for name, reader in (("xliff", xlifffile), ("tmx", tmxfile)):
        text = get_format(name).render(document).encode("utf-8")
        units = [unit for unit in reader.parsestring(text).units if unit.source]
        assert COMMENT in units[1].getnotes(), name


def test_the_review_page_shows_the_comment():
    document = review_document()
    document.segments[1].comment = COMMENT
    page = lxml.html.fromstring(get_format("html").render(document))
    [comment] = select(page, "li.comment")
    assert comment.text_content() == f"Comment {COMMENT}"


@pytest.mark.parametrize(("name", "module", "made"), [
    ("html", "glossator.formats.html", "_render_row_parts"),
    ("po", "glossator.formats.comments", "facts"),
])
def test_a_repeated_segment_is_rendered_once_and_reads_as_itself(name, module, made,
                                                                  monkeypatch):
    import importlib

    from glossator.model import Pin

    def repeated(document_id: str) -> Document:
        pins = [Pin(0, 6, "Shoigu", "Choigu", pinned=True)]
        return Document(name=f"doc-{document_id}", source_lang="en", target_lang="pt",
                        segments=[Segment(f"{paragraph}.1", "Shoigu met Kim.", paragraph,
                                          target="Choigu reuniu-se com Kim.",
                                          pins=[Pin(**vars(pins[0]))], qa=[f"qa: {name}"])
                                  for paragraph in (1, 2, 3)]
                        + [Segment("4.1", "Shoigu met Kim.", 4, target="Choigu viu Kim.",
                                   pins=[Pin(**vars(pins[0]))])])

    target = importlib.import_module(module)
    from glossator.formats import html, po

    monkeypatch.setattr(html, "_ROWS", {})  # what earlier tests rendered
    monkeypatch.setattr(po, "_ENTRIES", {})
    calls = []
    real = getattr(target, made)
    monkeypatch.setattr(target, made, lambda segment, *rest: calls.append(segment.id)
                        or real(segment, *rest))
    fmt = get_format(name)
    rendered = fmt.render(repeated("a"))
    assert sorted(calls) == ["1.1", "4.1"]  # once per distinct segment, whatever its id
    for sid in ("1.1", "2.1", "3.1", "4.1"):
        assert sid in rendered
    assert rendered.count("reuniu-se") == 3 and rendered.count("viu Kim") == 1
    if name == "po":
        entries = polib.pofile(rendered)
        assert [entry.msgctxt for entry in entries] == ["1.1", "2.1", "3.1", "4.1"]
        assert [entry.occurrences[0][1] for entry in entries] == ["1", "2", "3", "4"]
    else:
        page = lxml.html.fromstring(rendered)
        assert [row.get("id") for row in page.find_class("seg")] == ["s1.1", "s2.1", "s3.1",
                                                                    "s4.1"]
        assert len(page.find_class("has-qa")) == 3


@pytest.mark.parametrize("name", ["html", "po"])
def test_what_a_render_remembers_stays_bounded(name, monkeypatch):
    """The memo of rows or entries keeps at most its limit, and the limit is a few MiB of long
    segments: a run over a large archive must not keep every segment's rendering."""
    from glossator.formats import html, po

    module, memo_name, limit = ((html, "_ROWS", html.ROWS_REMEMBERED) if name == "html"
                                else (po, "_ENTRIES", po.ENTRIES_REMEMBERED))
    monkeypatch.setattr(module, memo_name, {})
    long = "Kim met Shoigu in Pyongyang on Tuesday. " * 50  # 2,000 characters
    segments = [Segment(f"{n}.1", f"{n} {long}", n, target=f"{n} {long}")
                for n in range(1, limit + 101)]
    rendered = get_format(name).render(Document(name="long", source_lang="en",
                                                target_lang="pt", segments=segments))
    assert rendered.count(long) == 2 * len(segments)
    kept = getattr(module, memo_name)
    assert 0 < len(kept) <= limit
    held = sum(len(part) for parts in kept.values() for part in parts)
    assert held < 8 * 2**20

