"""TBX export and import, CSV export, and Translate Toolkit reading what we write."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tbx import tbxfile

from glossator.errors import GlossaryError
from glossator.glossary.csv import lint_glossaries, load_glossaries
from glossator.glossary.model import Concept, Glossary
from glossator.glossary.tbx import read_tbx, write_csv, write_tbx
from helpers import REPO

SEED_GLOSSARY = REPO / "glossaries" / "north-korea.csv"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Everything the CSV format can say: variants, alternatives, a regional code, keep, nocase,
# a note over several lines, and characters that XML must escape.
RICH_CSV = (
    "en,pt-BR,ru,de,note,flags\n"
    "Shoigu | Shoygu,Shoigu,Шойгу,Schoigu,\"Russian defence minister\n2012–2024\",\n"
    "Vladimir Putin,Vladimir Putin,Владимир Путин | Владимира Путина,,,\n"
    "AT&T,,,,\"brand <keep> & \"\"quote\"\"\",keep\n"
    "Covid-19 | COVID-19,covid-19,COVID-19,Covid-19,,nocase\n"
    "Politburo,Politburo,Политбюро,Politbüro,,\"keep nocase\"\n"
)


def concept_facts(concept: Concept) -> tuple:
    """What a concept says, without where it was read from."""
    forms = {language: tuple(form.written() for form in concept.forms(language))
             for language in concept.renderings}
    return (concept.variants, forms, concept.note, concept.keep, concept.ignore_case)


def tbx_round_trip(glossary: Glossary, folder: Path) -> Glossary:
    path = folder / "glossary.tbx"
    path.write_text(write_tbx(glossary), encoding="utf-8")
    return read_tbx(path)


@pytest.fixture
def rich(tmp_path: Path) -> Glossary:
    path = tmp_path / "rich.csv"
    path.write_text(RICH_CSV, encoding="utf-8")
    return load_glossaries([path])


# --- round trips ----------------------------------------------------------------------------

def test_rich_glossary_survives_csv_tbx_csv(rich: Glossary, tmp_path: Path) -> None:
    back = tbx_round_trip(rich, tmp_path)

    assert [concept_facts(c) for c in back.concepts] == [concept_facts(c) for c in rich.concepts]
    assert back.source_lang == "en"
    assert back.languages == {"pt_BR", "ru", "de"}
    assert write_csv(back) == write_csv(rich)


def test_seed_glossary_survives_csv_tbx_csv(tmp_path: Path) -> None:
    seed = load_glossaries([SEED_GLOSSARY])

    back = tbx_round_trip(seed, tmp_path)

    assert [concept_facts(c) for c in back.concepts] == [concept_facts(c) for c in seed.concepts]
    assert write_csv(back) == write_csv(seed)


def test_write_csv_reads_back_clean_with_sorted_columns(rich: Glossary, tmp_path: Path) -> None:
    path = tmp_path / "again.csv"
    path.write_text(write_csv(rich), encoding="utf-8")

    again, findings = lint_glossaries([path], source_lang="en")

    header = write_csv(rich).splitlines()[0]
    assert header == "en,de,pt-BR,ru,note,flags"
    assert [str(finding) for finding in findings if finding.severity == "error"] == []
    assert again is not None
    assert [concept_facts(c) for c in again.concepts] == [concept_facts(c) for c in
                                                          rich.concepts]
    assert "Covid-19 | COVID-19,Covid-19,covid-19,COVID-19,,nocase" in write_csv(rich)
    assert write_csv(rich).rstrip().endswith(",keep nocase")


def test_write_csv_refuses_what_the_format_cannot_hold() -> None:
    piped = Glossary("en", [Concept(("A|B",), {}, path="x.tbx", line=4)])
    hashed = Glossary("en", [Concept(("#MeToo",), {}, path="x.tbx", line=9)])

    with pytest.raises(GlossaryError, match=r"x\.tbx:4: term 'A\|B' contains '\|'"):
        write_csv(piped)
    with pytest.raises(GlossaryError, match=r"x\.tbx:9: term '#MeToo' starts with '#'"):
        write_csv(hashed)


# --- the TBX we write -----------------------------------------------------------------------

def test_tbx_has_the_martif_shape(rich: Glossary) -> None:
    root = etree.fromstring(write_tbx(rich).encode("utf-8"))

    assert (root.tag, root.get("type"), root.get(XML_LANG)) == ("martif", "TBX", "en")
    assert root.findtext("martifHeader/fileDesc/sourceDesc/p") == "glossator"
    entries = root.findall("text/body/termEntry")
    assert len(entries) == len(rich.concepts)
    assert len({entry.get("id") for entry in entries}) == len(entries)
    shoigu = entries[0]
    assert shoigu.findtext("descrip[@type='definition']") == "Russian defence minister\n2012–2024"
    assert [lang_set.get(XML_LANG) for lang_set in shoigu.findall("langSet")] == [
        "en", "de", "pt-BR", "ru"]
    assert [term.text for term in shoigu.findall("langSet[1]/tig/term")] == ["Shoigu", "Shoygu"]
    putin_ru = entries[1].find("langSet[@{http://www.w3.org/XML/1998/namespace}lang='ru']")
    assert [tig.findtext("termNote[@type='administrativeStatus']")
            for tig in putin_ru.findall("tig")] == ["preferredTerm-admn-sts",
                                                    "admittedTerm-admn-sts"]
    assert entries[2].findtext("descrip[@type='Translation needed']") == "No"
    assert entries[2].findtext("langSet/tig/term") == "AT&T"
    assert entries[3].findtext("admin[@type='x-glossator-flags']") == "nocase"


def test_translate_toolkit_reads_our_tbx(rich: Glossary) -> None:
    store = tbxfile.parsestring(write_tbx(rich), sourcelanguage="en", targetlanguage="ru")

    units = store.units
    assert [unit.source for unit in units] == ["Shoigu", "Vladimir Putin", "AT&T", "Covid-19",
                                               "Politburo"]
    assert [unit.target for unit in units] == ["Шойгу", "Владимир Путин", None, "COVID-19",
                                               "Политбюро"]
    assert [term.text for term in units[0].get_source_terms()] == ["Shoigu", "Shoygu"]
    assert [term.text for term in units[1].get_target_terms("ru")] == ["Владимир Путин",
                                                                       "Владимира Путина"]
    assert [term.text for term in units[0].get_target_terms("pt-BR")] == ["Shoigu"]
    assert units[0].getnotes("definition") == "Russian defence minister\n2012–2024"
    assert units[2].getnotes("definition") == 'brand <keep> & "quote"'
    assert [unit.istranslatable() for unit in units] == [True, True, False, True, False]
    assert units[1].get_target_terms("ru")[1].administrative_status == "admittedTerm-admn-sts"


def test_translate_toolkit_reads_the_seed_glossary() -> None:
    seed = load_glossaries([SEED_GLOSSARY])

    store = tbxfile.parsestring(write_tbx(seed), sourcelanguage="en", targetlanguage="fr")

    targets = {unit.source: unit.target for unit in store.units}
    assert len(store.units) == len(seed.concepts)
    assert targets["Shoigu"] == "Choïgou"
    assert targets["Vladimir Putin"] == "Vladimir Poutine"


# --- reading TBX from other tools -----------------------------------------------------------

def test_reads_tbx_written_by_translate_toolkit(tmp_path: Path) -> None:
    store = tbxfile(sourcelanguage="en", targetlanguage="de")
    unit = store.addsourceunit("Shoigu")
    unit.settarget("Schoigu")
    unit.set_target_terms(["Schoigu", "Schoigus"])
    unit.set_common_note("Russian minister", source=True)
    path = tmp_path / "tt.tbx"
    path.write_bytes(bytes(store))

    glossary = read_tbx(path)

    (concept,) = glossary.concepts
    assert concept_facts(concept) == (("Shoigu",), {"de": ("Schoigu", "Schoigus")},
                                      "Russian minister", False, False)
    assert concept.path == str(path) and concept.line > 1


TBX_V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" xml:lang="en-US">
  <text><body>
    <conceptEntry id="c1">
      <descrip type="definition">Russian president</descrip>
      <langSec xml:lang="en-US"><termSec><term>Putin</term></termSec></langSec>
      <langSec xml:lang="fr">
        <termSec><term>Putine</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>Vladimir Poutine</term></termSec>
        <termSec><term>Poutine</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
      <langSec xml:lang="it"><termSec><term/></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_reads_tbx_v3_with_statuses(tmp_path: Path) -> None:
    path = tmp_path / "v3.tbx"
    path.write_text(TBX_V3, encoding="utf-8")

    glossary = read_tbx(path)

    assert glossary.source_lang == "en_US"
    assert [concept_facts(c) for c in glossary.concepts] == [
        (("Putin",), {"fr": ("Poutine", "Putine {deprecated}", "Vladimir Poutine")},
         "Russian president", False, False)]
    assert glossary.languages == {"fr"}


def test_source_language_can_be_given(tmp_path: Path) -> None:
    path = tmp_path / "de.tbx"
    path.write_text(write_tbx(load_glossaries([SEED_GLOSSARY])), encoding="utf-8")

    glossary = read_tbx(path, source_lang="de")

    assert glossary.source_lang == "de"
    assert "Schoigu" in {v for concept in glossary.concepts for v in concept.variants}


# --- malformed TBX: file and line -----------------------------------------------------------

def entry(body: str) -> str:
    return ('<?xml version="1.0"?>\n<martif type="TBX" xml:lang="en">\n<text><body>\n'
            f"{body}\n</body></text>\n</martif>\n")


BAD_TBX = [
    ("malformed XML", entry("<termEntry>\n<langSet xml:lang='en'><tig><term>A</term></tig>\n"
                            "</termEntry>"),
     6, "malformed XML: Opening and ending tag mismatch: langSet line 5 and termEntry"),
    ("not TBX", '<?xml version="1.0"?>\n<html/>\n',
     2, "not a TBX file: the root element is <html>"),
    ("entry without source term",
     entry("<termEntry>\n<langSet xml:lang='de'><tig><term>Putin</term></tig></langSet>\n"
           "</termEntry>"),
     4, "term entry has no en term"),
    ("unknown language", entry("<termEntry><langSet xml:lang='qqq'/></termEntry>"),
     4, "unknown language code 'qqq'"),
    ("duplicate term",
     entry("<termEntry><langSet xml:lang='en'><tig><term>Putin</term></tig></langSet>"
           "</termEntry>\n<termEntry><langSet xml:lang='en'><tig><term>Putin</term></tig>"
           "</langSet></termEntry>"),
     5, "term 'Putin' is also in {path}:4"),
    ("separator in a term",
     entry("<termEntry>\n<langSet xml:lang='en'><tig><term>A | B</term></tig></langSet>"
           "</termEntry>"),
     5, "term 'A | B' contains '|', which glossaries use between spellings"),
    ("over-long term",
     entry(f"<termEntry><langSet xml:lang='en'><tig><term>{'x' * 300}</term></tig></langSet>"
           "</termEntry>"),
     4, "term is 300 characters long (limit 200)"),
]


@pytest.mark.parametrize(("text", "line", "message"), [case[1:] for case in BAD_TBX],
                         ids=[case[0] for case in BAD_TBX])
def test_bad_tbx_is_an_error_at_its_line(tmp_path: Path, text: str, line: int,
                                         message: str) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(GlossaryError) as raised:
        read_tbx(path)

    assert str(raised.value).startswith(f"{path}:{line}: {message.format(path=path)}")
    assert raised.value.line == line


def test_missing_tbx_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match=r"missing\.tbx: cannot read"):
        read_tbx(tmp_path / "missing.tbx")


def test_grammar_and_statuses_survive_csv_tbx_csv(tmp_path: Path) -> None:
    path = tmp_path / "grammar.csv"
    path.write_text('en,pt,ru\nNorth Korea,"Coreia do Norte {f, article} | Coréia do Norte '
                    '{deprecated} | Korea do Norte","Северная Корея {f} | Северной Кореи '
                    '{inflected}"\nUnited States,"Estados Unidos {m, pl, article}",\n'
                    'Pyongyang,Pyongyang {no article},\n', encoding="utf-8")
    glossary = load_glossaries([path])
    text = write_tbx(glossary)
    assert '<termNote type="grammaticalGender">feminine</termNote>' in text
    assert '<termNote type="grammaticalNumber">plural</termNote>' in text
    assert '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>' in text
    assert '<termNote type="x-glossator-form">inflected</termNote>' in text
    assert '<termNote type="x-glossator-article">no</termNote>' in text
    back = tbx_round_trip(glossary, tmp_path)
    assert [concept_facts(c) for c in back.concepts] == [concept_facts(c)
                                                         for c in glossary.concepts]
    assert write_csv(back) == write_csv(glossary)
    assert "Coreia do Norte {f, article} | Coréia do Norte {deprecated} | Korea do Norte" in \
        write_csv(back)


def doctype_tbx(doctype: str, term: str) -> str:
    return ('<?xml version="1.0"?>\n' + doctype + '\n<martif type="TBX" xml:lang="en">\n'
            "<text><body><termEntry><langSet xml:lang='en'><tig><term>Shoigu</term></tig>"
            f"</langSet><langSet xml:lang='pt'><tig><term>{term}</term></tig></langSet>"
            "</termEntry></body></text>\n</martif>\n")


def test_tbx_naming_its_dtd_is_read_without_loading_it(tmp_path: Path) -> None:
    """As Translate Toolkit and Weblate write TBX; the DTD is named, never fetched."""
    path = tmp_path / "weblate.tbx"
    path.write_text(doctype_tbx('<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">', "Choigu"),
                    encoding="utf-8")
    (concept,) = read_tbx(path).concepts
    assert concept.variants == ("Shoigu",) and "pt" in concept.renderings


@pytest.mark.parametrize(("doctype", "message"), [
    ('<!DOCTYPE martif [\n<!ENTITY e "Choigu">\n]>', "declares an entity (e)"),
    ('<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">', "uses the entity &e;"),
])
def test_tbx_with_an_entity_is_refused(tmp_path: Path, doctype: str, message: str) -> None:
    path = tmp_path / "entity.tbx"
    path.write_text(doctype_tbx(doctype, "&e;"), encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        read_tbx(path)
    assert message in str(raised.value) and str(raised.value).startswith(f"{path}:")
