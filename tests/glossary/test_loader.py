"""Where glossaries are found (one rule for every verb), TBX and CSV read by one loader, and
multi-directional glossaries: an en-first file serves a pt→en run."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from glossator.errors import GlossaryError
from glossator.glossary.csv import load_glossaries
from glossator.glossary.files import default_folder
from glossator.glossary.lint import lint
from glossator.glossary.loader import load_glossary, reorient, select_glossaries
from glossator.glossary.model import (
    ADMITTED,
    DEPRECATED,
    INFLECTED,
    PREFERRED,
    Concept,
    Form,
    Glossary,
    digest_of,
)
from helpers import REPO, run_cli

# One term the bergamot en→pt model writes its own way: "Sergei Shoigu" stays as it is.
ENGLISH = "Visit\n\nSergei Shoigu arrived in Pyongyang on Monday for talks.\n"
GLOSSARY = "en,pt,note\nSergei Shoigu,Serguei Shoigu,Russian defence minister\n"
PINNED = "Serguei Shoigu"

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="c1">
      <langSet xml:lang="en"><tig><term>Sergei Shoigu</term></tig></langSet>
      <langSet xml:lang="pt"><tig><term>Serguei Shoigu</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""


def isolated_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No $GLOSSATOR_GLOSSARIES, and a user data folder inside tmp_path, never the real one."""
    return {"GLOSSATOR_GLOSSARIES": "", "HOME": str(tmp_path / "home"),
            "XDG_DATA_HOME": str(tmp_path / "data"), **extra}


def translate(tmp_path: Path, *args: str, env: dict[str, str] | None = None,
              cwd: Path | None = None, article: str = ENGLISH, name: str = "visit.txt"):
    path = tmp_path / name
    path.write_text(article, encoding="utf-8")
    return run_cli("translate", str(path), "--engine", "bergamot", "--out",
                   str(tmp_path / "out"), *args, cwd=cwd or tmp_path,
                   env=env if env is not None else isolated_env(tmp_path))


def po_entry(tmp_path: Path, language: str, name: str = "visit") -> polib.POEntry:
    entries = polib.pofile(str(tmp_path / "out" / language / f"{name}.po"))
    return next(entry for entry in entries if entry.msgctxt == "2.1")


def glossary_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("glossary")]


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the default rule, run from another folder ------------------------------------------------

def test_glossator_glossaries_folder_is_used_from_another_folder(tmp_path):
    folder = tmp_path / "shared-glossaries"
    write(folder, "names.csv", GLOSSARY)

    result = translate(tmp_path, "--to", "pt",
                       env=isolated_env(tmp_path, GLOSSATOR_GLOSSARIES=str(folder)))

    assert result.returncode == 0, result.stderr
    assert glossary_lines(result.stderr) == [f"glossary: 1 concepts from {folder / 'names.csv'}"]
    entry = po_entry(tmp_path, "pt")
    assert f"pin: Sergei Shoigu → {PINNED}" in entry.comment
    assert PINNED in entry.msgstr


def test_glossator_glossaries_may_name_one_file(tmp_path):
    path = write(tmp_path / "elsewhere", "names.csv", GLOSSARY)

    result = translate(tmp_path, "--to", "pt",
                       env=isolated_env(tmp_path, GLOSSATOR_GLOSSARIES=str(path)))

    assert result.returncode == 0, result.stderr
    assert PINNED in po_entry(tmp_path, "pt").msgstr


def test_user_data_folder_is_used_when_nothing_else_is(tmp_path):
    folder = tmp_path / "data" / "glossator" / "glossaries"
    write(folder, "names.csv", GLOSSARY)

    result = translate(tmp_path, "--to", "pt")

    assert result.returncode == 0, result.stderr
    assert glossary_lines(result.stderr) == [f"glossary: 1 concepts from {folder / 'names.csv'}"]
    assert PINNED in po_entry(tmp_path, "pt").msgstr


def test_local_glossaries_folder_comes_first(tmp_path):
    write(tmp_path / "glossaries", "local.csv", GLOSSARY)
    other = write(tmp_path / "shared", "other.csv", "en,pt\nSergei Shoigu,Sergei Choïgou\n")
    write(tmp_path / "data" / "glossator" / "glossaries", "user.csv",
          "en,pt\nSergei Shoigu,Sergei Xoigu\n")

    result = translate(tmp_path, "--to", "pt",
                       env=isolated_env(tmp_path, GLOSSATOR_GLOSSARIES=str(other.parent)))

    assert result.returncode == 0, result.stderr
    assert glossary_lines(result.stderr) == ["glossary: 1 concepts from glossaries/local.csv"]
    assert PINNED in po_entry(tmp_path, "pt").msgstr


def test_no_glossary_found_is_said_in_one_line(tmp_path):
    result = translate(tmp_path, "--to", "pt")

    assert result.returncode == 0, result.stderr
    user = tmp_path / "data" / "glossator" / "glossaries"
    assert glossary_lines(result.stderr) == [
        f"glossary: none used (looked in ./glossaries, $GLOSSATOR_GLOSSARIES, {user})"]
    assert "pin:" not in po_entry(tmp_path, "pt").comment


def test_no_glossary_flag_is_said_and_quiet_silences_it(tmp_path):
    write(tmp_path / "glossaries", "local.csv", GLOSSARY)

    said = translate(tmp_path, "--to", "pt", "--no-glossary")
    quiet = translate(tmp_path, "--to", "pt", "--no-glossary", "--quiet")

    assert said.returncode == 0, said.stderr
    assert glossary_lines(said.stderr) == ["glossary: none used (--no-glossary)"]
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_missing_glossator_glossaries_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "no-such-folder"
    env = isolated_env(tmp_path, GLOSSATOR_GLOSSARIES=str(missing))

    result = translate(tmp_path, "--to", "pt", env=env)
    check = run_cli("glossary", "check", cwd=tmp_path, env=env)

    assert result.returncode == 4
    assert result.stderr == (f"glossator: {missing}: no such glossary file or folder "
                             f"(named by $GLOSSATOR_GLOSSARIES)\n")
    assert not (tmp_path / "out" / "pt").exists()
    assert check.returncode == 4 and str(missing) in check.stderr


def test_every_glossary_verb_uses_the_same_rule(tmp_path):
    folder = tmp_path / "shared"
    write(folder, "names.csv", GLOSSARY)
    article = write(tmp_path, "visit.txt", ENGLISH)
    found = isolated_env(tmp_path, GLOSSATOR_GLOSSARIES=str(folder))
    nothing = isolated_env(tmp_path)

    check = run_cli("glossary", "check", cwd=tmp_path, env=found)
    show = run_cli("glossary", "show", str(article), "--to", "pt", cwd=tmp_path, env=found)
    suggest = run_cli("glossary", "suggest", str(article), cwd=tmp_path, env=found)
    export = run_cli("glossary", "export", "--tbx", str(tmp_path / "all.tbx"),
                     cwd=tmp_path, env=found)
    show_none = run_cli("glossary", "show", str(article), "--to", "pt", cwd=tmp_path,
                        env=nothing)
    check_none = run_cli("glossary", "check", cwd=tmp_path, env=nothing)

    assert check.returncode == 0 and "1 concepts, 0 error(s)" in check.stderr
    assert show.returncode == 0 and f"Sergei Shoigu  →  {PINNED}" in show.stdout
    assert suggest.returncode == 0 and "Sergei Shoigu" not in suggest.stdout
    assert export.returncode == 0 and PINNED in (tmp_path / "all.tbx").read_text("utf-8")
    for result in (show_none, check_none):
        assert result.returncode == 2
        assert "no glossary (looked in ./glossaries, $GLOSSATOR_GLOSSARIES," in result.stderr


# --- TBX read for translation ------------------------------------------------------------------

def test_tbx_file_pins_terms_in_translate(tmp_path):
    tbx = write(tmp_path / "terms", "terms.tbx", TBX)

    result = translate(tmp_path, "--to", "pt", "--glossary", str(tbx))

    assert result.returncode == 0, result.stderr
    assert glossary_lines(result.stderr) == [f"glossary: 1 concepts from {tbx}"]
    entry = po_entry(tmp_path, "pt")
    assert f"pin: Sergei Shoigu → {PINNED}" in entry.comment and PINNED in entry.msgstr


def test_tbx_in_a_glossary_folder_is_read_with_the_csv_files(tmp_path):
    folder = tmp_path / "glossaries"
    write(folder, "a.csv", "en,pt\nPyongyang,Pyongyang\n")
    write(folder, "b.tbx", TBX)

    glossary = load_glossary([folder], "en")

    assert [concept.name for concept in glossary.concepts] == ["Pyongyang", "Sergei Shoigu"]
    assert glossary.sources == [str(folder / "a.csv"), str(folder / "b.tbx")]
    assert glossary.digest == digest_of([(folder / name).read_bytes()
                                         for name in ("a.csv", "b.tbx")])


def test_a_term_in_a_csv_and_a_tbx_file_is_an_error(tmp_path):
    csv_path = write(tmp_path, "a.csv", "en,pt\nSergei Shoigu,Sergei Shoigu\n")
    tbx = write(tmp_path, "b.tbx", TBX)

    with pytest.raises(GlossaryError) as raised:
        load_glossary([csv_path, tbx], "en")
    _, findings = lint([csv_path, tbx])

    assert str(raised.value) == f"{tbx}:5: term 'Sergei Shoigu' is also in {csv_path}:2"
    assert [str(f) for f in findings] == [
        f"{tbx}:5: error: term 'Sergei Shoigu' is also in {csv_path}:2"]


# --- multi-directional glossaries --------------------------------------------------------------

def test_portuguese_to_english_pins_the_english_column_of_the_seed(tmp_path):
    article = ("Visita\n\nO ministro chegou a Pequim para conversas com a RPDC e com "
               "Serguei Shoigu.\n")

    result = translate(tmp_path, "--from", "pt", "--to", "en", cwd=REPO, article=article,
                       name="noticia.txt")

    assert result.returncode == 0, result.stderr
    assert "glossary: 23 concepts from glossaries/north-korea.csv" in result.stderr
    entry = po_entry(tmp_path, "en", "noticia")
    assert "pin: Pequim → Beijing" in entry.comment
    assert "pin: RPDC → DPRK" in entry.comment
    assert "Beijing" in entry.msgstr and "DPRK" in entry.msgstr
    assert "Sergei Shoigu" in entry.msgstr  # the model alone writes "Serguei Shoigu"


def test_default_folder_leaves_out_a_file_without_the_source_column(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GLOSSATOR_GLOSSARIES", raising=False)
    write(tmp_path / "glossaries", "a.csv", "en,pt\nBeijing,Pequim\n")
    write(tmp_path / "glossaries", "b.csv", "en,de\nBeijing,Peking\n")

    chosen = select_glossaries(None, "pt")
    glossary = load_glossary(chosen.paths, "pt")

    assert chosen.paths == [Path("glossaries/a.csv")]
    assert chosen.left_out_lines() == [
        "glossary: glossaries/b.csv left out: it has no Portuguese (português) column"]
    assert glossary.concepts[0].variants == ("Pequim",)
    with pytest.raises(GlossaryError, match=r"b\.csv: glossary has no pt column"):
        load_glossary([tmp_path / "glossaries"], "pt")


def test_files_written_from_two_languages_make_one_glossary(tmp_path):
    english = write(tmp_path, "en.csv", "en,pt\nBeijing,Pequim\n")
    portuguese = write(tmp_path, "pt.csv", "pt,en,de\nMoscovo | Moscou,Moscow,Moskau\n")

    for_pt = load_glossary([english, portuguese], "pt")
    for_en = load_glossary([english, portuguese], "en")
    checked, findings = lint([english, portuguese])

    assert [c.variants for c in for_pt.concepts] == [("Pequim",), ("Moscovo", "Moscou")]
    assert [c.rendering("en") for c in for_pt.concepts] == [("Beijing",), ("Moscow",)]
    assert [c.variants for c in for_en.concepts] == [("Beijing",), ("Moscow",)]
    assert for_en.concepts[1].rendering("pt") == ("Moscovo", "Moscou")
    assert for_en.concepts[1].rendering("de") == ("Moskau",)
    assert for_en.languages == {"pt", "de"}
    assert findings == [] and checked is not None and len(checked) == 2


def test_a_clash_after_reorienting_names_both_files(tmp_path):
    english = write(tmp_path, "en.csv", "en,pt\nBeijing,Pequim\n")
    portuguese = write(tmp_path, "pt.csv", "pt,en\nPequim,Peking\n")

    with pytest.raises(GlossaryError) as raised:
        load_glossary([english, portuguese], "pt")

    assert str(raised.value) == f"{portuguese}:2: term 'Pequim' is also in {english}:2"


def test_csv_only_glossary_reads_as_before(tmp_path):
    glossary = load_glossary([REPO / "glossaries"], "en")
    before = load_glossaries([REPO / "glossaries"], "en")

    assert glossary.digest == before.digest and len(glossary) == len(before) == 23


# --- reorient ----------------------------------------------------------------------------------

def english_glossary(*concepts: Concept) -> Glossary:
    languages = {code for concept in concepts for code in concept.renderings}
    return Glossary(source_lang="en", concepts=list(concepts), languages=languages,
                    sources=["g.csv"], digest="d" * 64)


def test_reorient_swaps_variants_and_renderings():
    kim = Concept(variants=("Kim Jong Un", "Kim Jong-un"),
                  renderings={"pt": (Form("Kim Jong-un", gender="m", article=False),
                                     "Kim Jong Un"),
                              "de": ("Kim Jong Un",)},
                  note="North Korean leader", ignore_case=True, path="g.csv", line=3)

    glossary = reorient(english_glossary(kim), "pt")

    [concept] = glossary.concepts
    assert glossary.source_lang == "pt" and glossary.languages == {"en", "de"}
    assert concept.variants == ("Kim Jong-un", "Kim Jong Un")
    assert concept.rendering("en") == ("Kim Jong Un", "Kim Jong-un")
    assert [form.status for form in concept.forms("en")] == [PREFERRED, ADMITTED]
    assert concept.rendering("de") == ("Kim Jong Un",)
    assert concept.rendering("pt") is None
    assert (concept.note, concept.ignore_case, concept.path, concept.line) == (
        "North Korean leader", True, "g.csv", 3)
    assert glossary.sources == ["g.csv"] and glossary.digest == "d" * 64


def test_reorient_finds_every_form_of_the_new_source_language():
    moscow = Concept(variants=("Moscow",), renderings={
        "pt": ("Moscou", Form("Moscovo", ADMITTED), Form("Moskva", DEPRECATED)),
        "pt_BR": ("Moscou",),
        "ru": ("Москва", Form("Москвы", INFLECTED)),
    })

    [concept] = reorient(english_glossary(moscow), "pt").concepts
    [russian] = reorient(english_glossary(moscow), "ru").concepts

    assert concept.variants == ("Moscou", "Moscovo", "Moskva")
    assert concept.rendering("en") == ("Moscow",)
    assert russian.variants == ("Москва", "Москвы")
    assert set(russian.renderings) == {"pt", "pt_BR", "en"}


def test_reorient_drops_rows_without_the_new_source_language():
    beijing = Concept(variants=("Beijing",), renderings={"pt": ("Pequim",), "de": ("Peking",)})
    german_only = Concept(variants=("Bundestag",), renderings={"de": ("Bundestag",)})
    kept = Concept(variants=("KCNA",), renderings={"de": ("KCNA",)}, keep=True)

    glossary = reorient(english_glossary(beijing, german_only, kept), "pt")

    assert [c.variants for c in glossary.concepts] == [("Pequim",), ("KCNA",)]
    assert glossary.concepts[1].keep and glossary.concepts[1].rendering("en") == ("KCNA",)


def test_reorient_gives_a_shared_spelling_to_the_first_row():
    full = Concept(variants=("United Nations Security Council",),
                   renderings={"zh": ("联合国安全理事会", "联合国安理会")})
    short = Concept(variants=("UN Security Council",), renderings={"zh": ("联合国安理会",)})

    glossary = reorient(english_glossary(full, short), "zh")

    assert [c.variants for c in glossary.concepts] == [("联合国安全理事会", "联合国安理会")]


def test_reorient_to_the_same_language_changes_nothing():
    glossary = english_glossary(Concept(variants=("Beijing",), renderings={"pt": ("Pequim",)}))

    assert reorient(glossary, "en") is glossary
    assert reorient(glossary, "en-GB") is glossary


def test_default_folder_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("GLOSSATOR_GLOSSARIES", raising=False)
    user = tmp_path / "data" / "glossator" / "glossaries"

    assert default_folder() == (None, f"looked in ./glossaries, $GLOSSATOR_GLOSSARIES, {user}")
    user.mkdir(parents=True)
    assert default_folder() == (user, str(user))
    monkeypatch.setenv("GLOSSATOR_GLOSSARIES", str(tmp_path / "shared"))
    with pytest.raises(GlossaryError, match="named by \\$GLOSSATOR_GLOSSARIES"):
        default_folder()
    (tmp_path / "shared").mkdir()
    assert default_folder() == (tmp_path / "shared", "$GLOSSATOR_GLOSSARIES")
    (tmp_path / "glossaries").mkdir()
    assert default_folder() == (Path("glossaries"), "./glossaries")


def test_empty_default_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("GLOSSATOR_GLOSSARIES", str(tmp_path / "shared"))
    (tmp_path / "shared").mkdir()

    with pytest.raises(GlossaryError, match="folder has no glossary files"):
        select_glossaries(None, "en")  # named by the user: as if passed with --glossary
    (tmp_path / "glossaries").mkdir()
    chosen = select_glossaries(None, "en")
    assert chosen.paths == [] and chosen.none_reason == "glossaries has no *.csv or *.tbx files"
