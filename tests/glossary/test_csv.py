"""Glossary CSV files: parsing, every lint error and warning with its file:line, and size."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from glossator.errors import GlossaryError
from glossator.glossary.csv import Problem, lint_glossaries, load_glossaries
from glossator.glossary.files import default_folder, glossary_files
from glossator.glossary.model import (
    ADMITTED,
    DEPRECATED,
    INFLECTED,
    PREFERRED,
    Form,
    digest_of,
    glossary_digest,
)
from helpers import REPO

SEED_GLOSSARY = REPO / "glossaries" / "north-korea.csv"
FORMAT_DOC = REPO / "docs" / "glossary-format.md"
SEED_LANGUAGES = {"pt", "de", "fr", "es", "ru", "ko", "zh"}


def texts(concept) -> dict[str, tuple[str, ...]]:
    """A concept's renderings as plain texts, per language."""
    return {language: concept.rendering(language) for language in concept.renderings}


def write(folder: Path, content: str | bytes, name: str = "g.csv") -> Path:
    """Write exact bytes: no newline translation, so line numbers are the test's own."""
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def errors(findings: list[Problem]) -> list[str]:
    return [str(finding) for finding in findings if finding.severity == "error"]


def warnings(findings: list[Problem]) -> list[str]:
    return [str(finding) for finding in findings if finding.severity == "warning"]


# --- every kind of bad input: exactly one error, at the right line --------------------------

LONG = "x" * 300
BAD_INPUTS = [
    ("unclosed quote", 'en,pt\nPutin,Путин\n"Shoigu,Шойгу\nKim,Ким\n',
     3, "quoted cell opened on this line is never closed"),
    ("unclosed quote in the last line", 'en,pt\nPutin,Путин\nShoigu,"Шойгу',
     3, "quoted cell opened on this line is never closed"),
    ("text after a closing quote", 'en,pt\nPutin,Путин\n"Shoigu" x,Шойгу\n',
     3, "malformed CSV: ',' expected after '\"'"),
    ("not UTF-8", b"en,pt\nPutin,Put\xeen\n",
     2, "not UTF-8: byte 0xee at offset 15; save the file as UTF-8"),
    ("not UTF-8 after a BOM", b"\xef\xbb\xbfen,pt\nPutin,Putin\nX,\xff\n",
     3, "not UTF-8: byte 0xff at offset 23; save the file as UTF-8"),
    ("NUL byte", b"en,pt\nPu\x00tin,x\n", 2, "NUL byte at offset 8: not a text file"),
    ("UTF-16", "en,pt\nPutin,Путин\n".encode("utf-16"), 1, "file is UTF-16; save it as UTF-8"),
    ("control character", "en,pt\nPutin,Пу\x07тин\n",
     2, "control character U+0007 at character 9 of the line"),
    ("source language not first", "pt,en\nPutin,Putin\n",
     1, "header has no en column first (found 'pt'); the first column holds the source terms"),
    ("duplicate language column", "en,pt,PT\nPutin,Putin,Putin\n",
     1, "duplicate column 'PT' (same as 'pt')"),
    ("duplicate source column", "en,pt,en-GB\nPutin,Putin,Putin\n",
     1, "duplicate column 'en-GB' (same as 'en')"),
    ("duplicate note column", "en,pt,note,NOTE\nPutin,Putin,,\n",
     1, "duplicate column 'NOTE' (same as 'note')"),
    ("empty header cell", "en,,pt\nPutin,,Putin\n",
     1, "column 2 has no header (a language code, note or flags)"),
    ("empty source cell", "en,pt\nPutin,Putin\n,Poutine\n", 3, "no en term in the first column"),
    ("empty variant", "en,pt\nShoigu | ,Shoigu\n", 2, "en cell: empty term (a stray '|'?)"),
    ("empty alternative", "en,ru\nPutin,Путин || Путина\n",
     2, "ru cell: empty term (a stray '|'?)"),
    ("300-character term", f"en,pt\nPutin,Putin\n{LONG},x\n",
     3, "en cell: term is 300 characters long (limit 200)"),
    ("201-character rendering", f"en,pt\nPutin,{'y' * 201}\n",
     2, "pt cell: term is 201 characters long (limit 200)"),
    ("line break in a term", 'en,pt\n"Vladimir\nPutin",Putin\n',
     2, "en cell: term 'Vladimir\\nPutin' contains a line break"),
    ("same variant in two rows", "en,pt\nShoigu,Shoigu\nSergei Shoigu | Shoigu,Serguei Shoigu\n",
     3, "term 'Shoigu' is also in {path}:2"),
    ("variant pinned two ways", "en,fr\nPutin,Putin\nPutin,Poutine\n",
     3, "term 'Putin' is also in {path}:2"),
    ("same variant but for apostrophes", "en,pt\nPeople's Army,x\nPeople’s Army,y\n",
     3, "term 'People’s Army' is also in {path}:2"),
    ("same variant but for spacing", "en,pt\nKim Jong Un,x\nKim  Jong Un,y\n",
     3, "term 'Kim  Jong Un' is also in {path}:2"),
    ("nocase row after a case-sensitive one", "en,pt,flags\nCovid,x,\ncovid,y,nocase\n",
     3, "term 'covid' is also in {path}:2 (as 'Covid'; nocase ignores case)"),
    ("case-sensitive row after a nocase one", "en,pt,flags\ncovid,y,nocase\nCOVID,x,\n",
     3, "term 'COVID' is also in {path}:2 (as 'covid'; nocase ignores case)"),
    ("more cells than the header", "en,pt\nPutin,Putin\nShoigu,Shoigu,Choïgou\n",
     3, "row has 3 cells but the header has 2 (an unquoted comma?)"),
    ("unknown flag", "en,pt,flags\nPutin,Putin,kep\n",
     2, "unknown flag 'kep' (did you mean keep? known: keep, nocase)"),
    ("unknown flag among known ones", "en,pt,flags\nPutin,Putin,\"nocase, bold\"\n",
     2, "unknown flag 'bold' (known: keep, nocase)"),
    ("empty file", "", 1, "no header row (language codes, source language first)"),
    ("only comments", "# nothing here\n\n",
     1, "no header row (language codes, source language first)"),
]


@pytest.mark.parametrize(("content", "line", "message"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_gives_one_error_at_its_line(tmp_path: Path, content: str | bytes, line: int,
                                               message: str) -> None:
    path = write(tmp_path, content)
    expected = message.format(path=path)

    glossary, findings = lint_glossaries([path], source_lang="en")

    assert glossary is None
    assert errors(findings) == [f"{path}:{line}: error: {expected}"]
    with pytest.raises(GlossaryError) as raised:
        load_glossaries([path])
    assert str(raised.value) == f"{path}:{line}: {expected}"
    assert (raised.value.path, raised.value.line) == (str(path), line)


def test_unknown_language_column_suggests_codes(tmp_path: Path) -> None:
    path = write(tmp_path, "en,portugese\nPutin,Putin\n")

    _, findings = lint_glossaries([path])

    assert len(errors(findings)) == 1
    assert errors(findings)[0].startswith(
        f"{path}:1: error: column 'portugese': unknown language code 'portugese' "
        f"(did you mean pt (Portuguese)")


def test_first_column_that_is_no_language_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "term,pt\nPutin,Putin\n")

    with pytest.raises(GlossaryError) as raised:
        load_glossaries([path])

    assert str(raised.value).startswith(
        f"{path}:1: first column 'term' must be the source language: unknown language code")


def test_lint_reports_every_error_and_load_the_first(tmp_path: Path) -> None:
    path = write(tmp_path, "en,pt,flags\nPutin,Putin,bold\n,x,\nPutin,Putin,\n")

    _, findings = lint_glossaries([path])
    with pytest.raises(GlossaryError) as raised:
        load_glossaries([path])

    assert [finding.line for finding in findings if finding.severity == "error"] == [2, 3, 4]
    assert raised.value.line == 2


def test_finding_reads_as_path_line_severity_message() -> None:
    assert str(Problem("g.csv", 7, "bad", "warning")) == "g.csv:7: warning: bad"
    assert str(Problem("g.csv", 0, "cannot read")) == "g.csv: error: cannot read"


# --- warnings: reported, but the glossary loads ---------------------------------------------

def test_gaps_are_one_warning_per_column_with_the_count(tmp_path: Path) -> None:
    rows = "".join(f"Term {n},t{n},,\n" for n in range(7))  # lines 3-9, no de
    path = write(tmp_path, "# comment first\nen,pt,de,flags\n" + rows
                 + "Kept,,,keep\nLast,,d,\n")

    glossary, findings = lint_glossaries([path])

    assert glossary is not None and len(glossary) == 9
    assert warnings(findings) == [
        f"{path}:2: warning: column pt: 1 of 9 rows have no rendering (line 11)",
        f"{path}:2: warning: column de: 7 of 9 rows have no rendering (lines 3, 4, 5, 6, 7, ...)",
    ]


def test_short_row_is_a_warning_and_reads_as_empty_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "en,pt,note,flags\nPutin,Putin\n")

    glossary, findings = lint_glossaries([path])

    assert warnings(findings) == [
        f"{path}:2: warning: row has 2 cells but the header has 4; "
        f"the missing cells count as empty"]
    assert glossary is not None
    assert glossary.concepts[0].note == "" and not glossary.concepts[0].keep


def test_repeated_alternative_is_a_warning_and_kept_once(tmp_path: Path) -> None:
    path = write(tmp_path, "en,ru\nPutin,Путин | Путина {inflected} | Путин\n")

    glossary, findings = lint_glossaries([path])

    assert warnings(findings) == [f"{path}:2: warning: ru cell lists 'Путин' twice"]
    assert glossary is not None
    assert texts(glossary.concepts[0]) == {"ru": ("Путин", "Путина")}


def test_trailing_empty_cells_beyond_the_header_are_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "en,pt\nPutin,Putin,,\n")

    glossary, findings = lint_glossaries([path])

    assert findings == []
    assert glossary is not None and texts(glossary.concepts[0]) == {"pt": ("Putin",)}


# --- what a row becomes ---------------------------------------------------------------------

def test_row_parts_become_a_concept(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "\ufeffEN,pt-br,ZH,Note,FLAGS\r\n"
        "  Shoigu |Shoygu  , Shoigu | Choigu ,绍伊古, defence minister ,\r\n"
        "Covid-19,covid-19,,,\"keep, NOCASE\"\r\n"
    ))

    glossary = load_glossaries([path])

    shoigu, covid = glossary.concepts
    assert shoigu.variants == ("Shoigu", "Shoygu")
    assert texts(shoigu) == {"pt_BR": ("Shoigu", "Choigu"), "zh": ("绍伊古",)}
    assert shoigu.note == "defence minister"
    assert (shoigu.keep, shoigu.ignore_case, shoigu.path, shoigu.line) == (False, False,
                                                                            str(path), 2)
    assert (covid.keep, covid.ignore_case, covid.line) == (True, True, 3)
    assert covid.rendering("zh") == ("Covid-19",)  # kept: the source spelling
    assert covid.rendering("pt_BR") == ("covid-19",)  # a filled cell wins over keep
    assert glossary.source_lang == "en"
    assert glossary.languages == {"pt_BR", "zh"}


def test_multiline_note_keeps_later_line_numbers_right(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "en,pt,note\n"            # 1
        "# who is who\n"          # 2
        "Putin,Putin,\"Russian\n"  # 3
        "president,\n"            # 4
        "\n"                      # 5
        "since 2012\"\n"          # 6
        "\n"                      # 7
        "Shoigu,Shoigu,\"say \"\"Shoygu\"\"\"\n"  # 8
        "Kim,Kim,\"a\r\nb\"\n"    # 9-10
        "Li,Li,\n"                # 11
        "Putin,Putin,\n"          # 12
    ))

    _, findings = lint_glossaries([path])

    assert errors(findings) == [f"{path}:12: error: term 'Putin' is also in {path}:3"]

    write(tmp_path, path.read_text(encoding="utf-8").replace("Putin,Putin,\n", ""), "ok.csv")
    concepts = load_glossaries([tmp_path / "ok.csv"]).concepts
    assert [concept.line for concept in concepts] == [3, 8, 9, 11]
    assert concepts[0].note == "Russian\npresident,\n\nsince 2012"
    assert concepts[1].note == 'say "Shoygu"'


def test_one_concept_may_list_straight_and_curly_apostrophes(tmp_path: Path) -> None:
    path = write(tmp_path, "en,pt\nPeople's Army | People’s Army,Exército Popular\n")

    glossary, findings = lint_glossaries([path])

    assert findings == []
    assert glossary is not None
    assert glossary.concepts[0].variants == ("People's Army", "People’s Army")


def test_case_sensitive_terms_may_differ_in_case(tmp_path: Path) -> None:
    path = write(tmp_path, "en,pt\nUS,EUA\nus,nós\n")

    glossary, findings = lint_glossaries([path])

    assert findings == []
    assert glossary is not None and len(glossary) == 2


# --- several files --------------------------------------------------------------------------

def test_duplicate_across_files_names_both_places(tmp_path: Path) -> None:
    first = write(tmp_path, "en,pt\nPutin,Putin\nShoigu,Shoigu\n", "a.csv")
    second = write(tmp_path, "en,de\n# Russia\nSchoigu,Schoigu\nShoygu | Shoigu,Schoigu\n",
                   "b.csv")

    glossary, findings = lint_glossaries([tmp_path])

    assert glossary is None
    assert errors(findings) == [f"{second}:4: error: term 'Shoigu' is also in {first}:3"]


def test_files_merge_into_one_glossary(tmp_path: Path) -> None:
    first = write(tmp_path, "en,pt\nPutin,Putin\n", "a.csv")
    second = write(tmp_path, "\ufeffen,de,note\nShoigu,Schoigu,minister\n", "b.csv")

    glossary = load_glossaries([tmp_path])

    assert [concept.name for concept in glossary.concepts] == ["Putin", "Shoigu"]
    assert glossary.languages == {"pt", "de"}
    assert glossary.sources == [str(first), str(second)]
    assert glossary.digest == digest_of([first.read_bytes(), second.read_bytes()])
    assert glossary.signature() == f"2 concepts sha256:{glossary.digest[:12]}"


def test_the_glossary_digest_keeps_its_value() -> None:
    # Resume fingerprints of existing outputs carry this value: it must never change.
    files = [b"en,pt\nPutin,Putin\n", b""]
    expected = "5c16ae27fd201efed9a7695fabbd025711777ccd69b0135212a8ff28d30d7bb6"
    assert digest_of(files) == expected
    assert glossary_digest(hashlib.sha256(data).digest() for data in files) == expected


def test_every_file_must_start_with_the_same_source_language(tmp_path: Path) -> None:
    write(tmp_path, "en,pt\nPutin,Putin\n", "a.csv")
    second = write(tmp_path, "de,en\nSchoigu,Shoigu\n", "b.csv")

    _, findings = lint_glossaries([tmp_path])
    with pytest.raises(GlossaryError) as raised:
        load_glossaries([tmp_path / "a.csv"], source_lang="de")

    assert errors(findings) == [
        f"{second}:1: error: header has no en column first (found 'de'); "
        f"the first column holds the source terms"]
    assert "header has no de column first (found 'en')" in str(raised.value)


def test_regional_source_column_counts_as_its_language(tmp_path: Path) -> None:
    path = write(tmp_path, "en-GB,pt\nDefence Minister,ministro da Defesa\n")

    glossary = load_glossaries([path], source_lang="en")

    assert glossary.source_lang == "en" and len(glossary) == 1


def test_glossary_files_expands_folders_sorted_and_once(tmp_path: Path) -> None:
    for name in ("b.csv", "a.CSV", "c.tbx", "notes.txt", ".hidden.csv", "~$lock.csv",
                 "~$lock.tbx"):
        write(tmp_path, "en,pt\n", name)
    (tmp_path / "sub.csv").mkdir()

    files = glossary_files([tmp_path, tmp_path / "b.csv"])

    assert [file.name for file in files] == ["a.CSV", "b.csv", "c.tbx"]
    assert [file.name for file in glossary_files([tmp_path], suffixes=(".csv",))] == [
        "a.CSV", "b.csv"]


def test_folder_without_csv_is_an_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path, "not a glossary", "readme.txt")

    with pytest.raises(GlossaryError) as raised:
        glossary_files([tmp_path])
    _, findings = lint_glossaries([tmp_path])

    assert str(raised.value) == f"{tmp_path}: folder has no glossary files (*.csv or *.tbx)"
    assert [str(finding) for finding in findings] == [
        f"{tmp_path}: error: folder has no glossary files (*.csv)"]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no such glossary file or folder"):
        load_glossaries([tmp_path / "missing.csv"])


def test_default_paths_are_the_glossaries_folder_when_there_is_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GLOSSATOR_GLOSSARIES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_folder()[0] is None
    (tmp_path / "glossaries").mkdir()
    assert default_folder() == (Path("glossaries"), "./glossaries")


def test_no_paths_is_an_empty_glossary() -> None:
    glossary = load_glossaries([], source_lang="en")
    assert len(glossary) == 0 and glossary.signature() == "none"


# --- the seed glossary and the documentation ------------------------------------------------

REQUIRED_SEED_TERMS = [
    "KCNA", "Korean Central News Agency", "DPRK", "Democratic People's Republic of Korea",
    "Democratic People’s Republic of Korea", "Kim Jong Un", "Kim Jong-un", "Kim Jong-Un",
    "Sergei Shoigu", "Sergey Shoigu", "Sergei Shoygu", "Shoigu", "Shoygu", "Vladimir Putin",
    "Putin", "Kang Sun Nam", "Li Hongzhong", "Pyongyang", "United Nations Security Council",
    "UN Security Council", "U.N. Security Council", "Korean War", "Joe Biden",
]


def test_seed_glossary_lints_clean() -> None:
    glossary, findings = lint_glossaries([SEED_GLOSSARY])

    assert [str(finding) for finding in findings] == []
    assert glossary is not None


def test_seed_glossary_has_every_required_term_in_all_languages() -> None:
    glossary = load_glossaries([SEED_GLOSSARY.parent])

    by_variant = {variant: concept for concept in glossary.concepts
                  for variant in concept.variants}
    assert glossary.languages == SEED_LANGUAGES
    assert set(REQUIRED_SEED_TERMS) <= set(by_variant)
    for concept in glossary.concepts:
        assert set(concept.renderings) == SEED_LANGUAGES, concept.name
        assert concept.note, concept.name
    shoigu = by_variant["Shoygu"]
    assert {language: shoigu.rendering(language)[0] for language in shoigu.renderings} == {
        "pt": "Shoigu", "de": "Schoigu", "fr": "Choïgou", "es": "Shoigú", "ru": "Шойгу",
        "ko": "쇼이구", "zh": "绍伊古"}
    assert by_variant["Kim Jong-un"].rendering("ko") == ("김정은",)
    assert by_variant["Putin"].rendering("fr") == ("Poutine",)
    assert by_variant["DPRK"].rendering("ru") == ("КНДР",)
    assert by_variant["Pyongyang"].rendering("zh") == ("平壤",)
    assert by_variant["UN Security Council"].rendering("ko") == ("유엔 안보리",
                                                                "유엔 안전보장이사회")


def test_seed_glossary_gives_grammar_for_pt_es_fr_de() -> None:
    glossary = load_glossaries([SEED_GLOSSARY.parent])
    for concept in glossary.concepts:
        for language in ("pt", "es", "fr", "de"):
            form = concept.forms(language)[0]
            assert form.article is not None or concept.name == "Covid-19", (concept.name,
                                                                              language)
    by_name = {concept.name: concept for concept in glossary.concepts}
    assert by_name["KCNA"].grammar("pt") == Form("KCNA", gender="f", article=True)
    assert by_name["Pyongyang"].grammar("pt").article is False
    assert by_name["Shoigu"].grammar("fr").gender == "m"
    north_korea_de = by_name["North Korea"].forms("de")
    assert [(form.text, form.status) for form in north_korea_de] == [
        ("Nordkorea", PREFERRED), ("Nordkoreas", INFLECTED)]
    assert all(form.status == INFLECTED for form in by_name["Moscow"].forms("ru")[1:])


def test_format_doc_example_lints_clean(tmp_path: Path) -> None:
    example = re.search(r"```csv\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), re.S)
    assert example is not None
    path = write(tmp_path, example.group(1))

    glossary, findings = lint_glossaries([path])

    assert findings == []
    assert glossary is not None and [c.name for c in glossary.concepts] == [
        "Sergei Shoigu", "Pyongyang", "North Korea", "Covid-19"]


# --- a 50 MB glossary -----------------------------------------------------------------------

LARGE_ROWS = 500_000
# Peak RSS of a process that loads the 500,000-concept file. Measured on CPython 3.11: 536 MB,
# about 1 KB per concept held in the result (the Concept, its renderings dict and tuples, its
# strings, its entry in the duplicate index); the file's text is never held whole. The same
# load while also holding the file's lines measured 615 MB, so 600 MB catches a reader that
# stops streaming, and leaves 64 MB for other Python versions and allocators.
LARGE_PEAK_RSS_MB = 600


def write_large_glossary(folder: Path, bad_line: int | None = None) -> Path:
    """About 50 MB: a header and LARGE_ROWS concepts in three languages, with notes."""
    rows = [
        f"Term {n:06d} alpha | Term {n:06d} beta,Termo {n:06d},Begriff {n:06d},"
        f"Terme {n:06d},generated row {n},\n"
        for n in range(LARGE_ROWS)
    ]
    if bad_line is not None:
        rows[bad_line - 2] = "Term 000007 beta,duplicate,,,,\n"
    path = folder / ("bad.csv" if bad_line else "large.csv")
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("en,pt,de,fr,note,flags\n")
        handle.writelines(rows)
    return path


@pytest.fixture(scope="module")
def large_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("large")


@pytest.mark.slow
def test_50_mb_glossary_loads_in_bounded_memory(large_folder: Path) -> None:
    path = write_large_glossary(large_folder)
    assert 45e6 < path.stat().st_size < 55e6
    # A fresh process, so that the peak is this load's and not the test session's. Linux
    # carries ru_maxrss over fork and exec (a child started by a 600 MB test session reports
    # 600 MB before it has done anything), so the process's own high-water mark is read from
    # /proc where there is one.
    script = (
        "import resource, sys, time\n"
        "from glossator.glossary.csv import load_glossaries\n"
        "start = time.perf_counter()\n"
        "glossary = load_glossaries([sys.argv[1]])\n"
        "try:\n"
        "    with open('/proc/self/status') as status:\n"
        "        peak_mb = next(int(line.split()[1]) for line in status\n"
        "                       if line.startswith('VmHWM:')) / 2**10\n"
        "except OSError:\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    peak_mb = peak / 2**20 if sys.platform == 'darwin' else peak / 2**10\n"
        "print(len(glossary), round(peak_mb), round(time.perf_counter() - start, 1))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    pytest.importorskip("resource")

    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, env=env, timeout=120, check=True)

    concepts, peak_mb, seconds = result.stdout.split()
    assert int(concepts) == LARGE_ROWS
    assert int(peak_mb) < LARGE_PEAK_RSS_MB, f"peak {peak_mb} MB, {seconds} s"


@pytest.mark.slow
def test_50_mb_glossary_reports_a_bad_row_near_the_end(large_folder: Path) -> None:
    bad_line = LARGE_ROWS - 5
    path = write_large_glossary(large_folder, bad_line)

    glossary, findings = lint_glossaries([path])

    assert glossary is None
    assert errors(findings) == [f"{path}:{bad_line}: error: term 'Term 000007 beta' is also in "
                                f"{path}:9"]


# --- forms: status and grammar in braces ------------------------------------------------------

def test_braces_give_status_and_grammar(tmp_path: Path) -> None:
    path = write(tmp_path, 'en,pt,ru\nNorth Korea,"Coreia do Norte {f, article} | Coréia do '
                           'Norte {deprecated}",Северная Корея | Северной Кореи {inflected}\n'
                           'Pyongyang,Pyongyang {no article} | Pionguiangue,Пхеньян\n')
    glossary, findings = lint_glossaries([path])
    assert findings == [] and glossary is not None
    north_korea, pyongyang = glossary.concepts
    assert north_korea.forms("pt") == (
        Form("Coreia do Norte", PREFERRED, gender="f", article=True),
        Form("Coréia do Norte", DEPRECATED))
    assert north_korea.forms("ru")[1] == Form("Северной Кореи", INFLECTED)
    assert north_korea.rendering("pt") == ("Coreia do Norte", "Coréia do Norte")
    assert pyongyang.forms("pt") == (Form("Pyongyang", article=False),
                                     Form("Pionguiangue", ADMITTED))


@pytest.mark.parametrize(("cell", "message"), [
    ("Coreia do Norte {fem}", "unknown word 'fem' in {fem}"),
    ("Coreia do Norte {deprecated}", "the first form is the pinned one; it cannot be deprecated"),
    ("{f}", "has an annotation but no term"),
])
def test_bad_braces_are_errors_with_the_line(tmp_path: Path, cell: str, message: str) -> None:
    path = write(tmp_path, f'en,pt\nPutin,Putin\nNorth Korea,"{cell}"\n')
    _glossary, findings = lint_glossaries([path])
    assert [str(f) for f in findings] == [f"{path}:3: error: pt cell: {message}"] or \
        (len(findings) == 1 and findings[0].line == 3 and message in findings[0].message)


def test_unmarked_case_forms_are_a_warning_in_languages_with_cases(tmp_path: Path) -> None:
    path = write(tmp_path, "en,ru,de,pt\n"
                           "Pyongyang,Пхеньян | Пхеньяна,Pjöngjang | Pjöngjangs {inflected},"
                           "Pyongyang\nMoscow,Москва,Moskau,Moscou | Moscovo\n")
    _glossary, findings = lint_glossaries([path])
    assert [(f.line, f.severity, f.message.split(":")[0]) for f in findings] == [
        (2, "warning", "ru cell")]
    assert "'Пхеньяна' looks like a case form of 'Пхеньян'" in findings[0].message
