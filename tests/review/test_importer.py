"""`glossator import`: units approved in another tool come back into the project PO, with the
rules of a re-run; and `build` says what is not reviewed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.storage.tmx import tmxfile
from translate.storage.xliff import xlifffile

from glossator.errors import FormatError
from glossator.formats import get_format
from glossator.formats.po import read_po
from glossator.model import Document, Segment
from glossator.review.build import build_article
from glossator.review.importer import import_units
from helpers import REPEATED, review_document, run_cli

NAME = "north-korea-shoigu-visit"
REVISED = ("O líder norte-coreano Kim Jong-un recebeu o ministro Serguei Choigu, no primeiro "
           "encontro com um dignitário estrangeiro desde a pandemia de covid-19 (revisto).")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """locale/pt/NAME.po as a run writes it: machine entries, reviewed ones, an empty one."""
    po_path = tmp_path / "locale" / "pt" / f"{NAME}.po"
    po_path.parent.mkdir(parents=True)
    document = review_document()
    document.segments[2].machine = document.segments[2].target
    po_path.write_text(get_format("po").render(document), encoding="utf-8")
    return po_path


def exported(po_path: Path, name: str = "xliff") -> Path:
    """The file `translate --formats NAME` writes next to the PO."""
    fmt = get_format(name)
    path = po_path.with_suffix(f".{fmt.extension}")
    path.write_text(fmt.render(read_po(po_path)), encoding="utf-8")
    return path


def edit_xliff(path: Path, edits: dict[str, tuple[str | None, bool]], out: Path) -> Path:
    """What a translator does in a CAT tool, through Translate Toolkit's own XLIFF class:
    id → (new text or None to keep it, approved)."""
    store = xlifffile.parsefile(str(path))
    for unit in store.units:
        if unit.isheader() or unit.getid().split("\x04")[-1] not in edits:
            continue
        text, approved = edits[unit.getid().split("\x04")[-1]]
        if text is not None:
            unit.target = text
        unit.markapproved(approved)
    out.write_bytes(bytes(store))
    return out


def entries(po_path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in polib.pofile(str(po_path))}


def msgfmt_accepts(po_path: Path) -> bool:
    return subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)]).returncode == 0


# The library function ------------------------------------------------------------------------


def test_approved_units_become_reviewed_and_the_rest_is_untouched(project: Path, tmp_path):
    before = entries(project)
    back = edit_xliff(exported(project), {"3.1": (REVISED, True), "3.2": (None, True),
                                          "4.1": ("Rascunho.", False)}, tmp_path / "back.xlf")
    [result] = import_units(back, out=tmp_path / "locale", reviewer="Ana Lima")
    assert result.po_path == project and result.written
    assert (result.approved, result.edited) == (["3.1", "3.2"], [])
    assert (result.unapproved, result.empty) == (["4.1", "5.1", "7.1"], ["7.2"])
    assert result.unchanged == ["1.1", "2.1", "6.1"]

    after = entries(project)
    assert after["3.1"].msgstr == REVISED and not after["3.1"].fuzzy
    assert not after["3.2"].fuzzy and after["3.2"].msgstr == before["3.2"].msgstr
    assert after["4.1"].fuzzy and after["4.1"].msgstr == before["4.1"].msgstr
    document = read_po(project)
    reviewed = {s.id: s for s in document.segments}["3.1"]
    assert reviewed.reviewer.startswith("Ana Lima, ")
    assert reviewed.machine == before["3.1"].msgstr  # the engine's text is kept to compare
    for key in set(before) - {"3.1", "3.2"}:
        assert str(after[key]) == str(before[key]), key
    assert msgfmt_accepts(project)


def test_pins_and_qa_are_checked_again_on_changed_entries(project: Path, tmp_path):
    back = edit_xliff(exported(project), {"3.1": ("Kim recebeu o ministro.", True)},
                      tmp_path / "back.xlf")
    import_units(back, out=tmp_path / "locale")
    segment = {s.id: s for s in read_po(project).segments}["3.1"]
    assert any(line.startswith("pin-missing:") and "Serguei Choigu" in line
               for line in segment.qa)
    assert any("Serguei Choigu" in note for note in segment.notes)


def test_unapproved_units_land_as_edits_only_when_asked(project: Path, tmp_path):
    back = edit_xliff(exported(project), {"3.1": (REVISED, False)}, tmp_path / "back.xlf")
    [skipped] = import_units(back, out=tmp_path / "locale")
    assert "3.1" in skipped.unapproved and not skipped.written
    [result] = import_units(back, out=tmp_path / "locale", include_unapproved=True)
    assert result.edited == ["3.1"]
    segment = {s.id: s for s in read_po(project).segments}["3.1"]
    assert segment.fuzzy and segment.target == REVISED and segment.edited
    html = get_format("html").render(read_po(project))
    assert html.count('class="badge ed"') == 1 and "edited, not approved" in html
    review = run_cli("review", str(project), "--color", "never")
    assert "3.1 ✎" in review.stdout and "1 edited, not approved" in review.stdout


def test_changed_source_conflict_and_unknown_units_are_reported_not_applied(project: Path,
                                                                           tmp_path):
    before = project.read_text(encoding="utf-8")
    xliff = exported(project).read_text(encoding="utf-8")
    xliff = xliff.replace("Pyongyang has denied it.", "Pyongyang denied it.")  # 7.2's source
    xliff = xliff.replace('id="5.1"', 'id="9.9"')
    path = tmp_path / "back.xlf"
    path.write_text(xliff, encoding="utf-8")
    back = edit_xliff(path, {"7.2": ("Pyongyang negou.", True),
                             "6.1": ("Kim agradeceu a Putin, outra vez.", True),
                             "9.9": ("Nada.", True)}, tmp_path / "back2.xlf")
    messages: list[str] = []
    [result] = import_units(back, out=tmp_path / "locale", report=messages.append)
    assert (result.source_changed, result.conflicts, result.unknown) == (["7.2"], ["6.1"],
                                                                        ["9.9"])
    assert not result.written and project.read_text(encoding="utf-8") == before
    assert "not applied, source text changed since the export: 1 (7.2)" in messages
    assert "not applied, a different reviewed translation is in the PO: 1 (6.1)" in messages


def test_a_reviewed_unit_exported_and_approved_again_is_no_change(project: Path, tmp_path):
    before = project.read_bytes()
    [result] = import_units(exported(project), out=tmp_path / "locale")
    assert set(result.unchanged) == {"1.1", "2.1", "6.1"} and not result.written
    assert project.read_bytes() == before


def test_tmx_units_count_as_approved(project: Path, tmp_path):
    store = tmxfile.parsefile(str(exported(project, "tmx")))
    store.units[2].target = REVISED
    path = tmp_path / "memory-from-tool.tmx"
    path.write_bytes(bytes(store))
    # Translate Toolkit keeps the x-status prop; a tool that approves drops it.
    text = path.read_text(encoding="utf-8").replace('<prop type="x-status">fuzzy</prop>', "", 1)
    path.write_text(text, encoding="utf-8")
    [result] = import_units(path, project)
    assert result.approved == ["3.1"] and result.unapproved == ["3.2", "4.1", "5.1", "7.1"]
    assert entries(project)["3.1"].msgstr == REVISED


def test_xliff_as_weblate_and_omegat_write_it(project: Path, tmp_path):
    """No glossator notes, units in a group, ids in resname, inline markup, states only."""
    meeting = review_document().segments[2].source
    visit = review_document().segments[3].source
    path = tmp_path / "weblate.xliff"
    path.write_text(f"""<?xml version='1.0' encoding='UTF-8'?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="{NAME}.txt" source-language="en" target-language="pt" datatype="plaintext">
    <body><group id="p3">
      <trans-unit id="a1" resname="3.1">
        <source>{meeting}</source>
        <target state="final"><g id="1">{REVISED}</g></target>
      </trans-unit>
      <trans-unit id="a2" resname="3.2">
        <source>{visit}</source>
        <target state="needs-review-translation">Rascunho.</target>
        <note from="translator">ask the desk about the date</note>
      </trans-unit>
    </group></body>
  </file>
</xliff>""", encoding="utf-8")
    [result] = import_units(path, out=tmp_path / "locale", include_unapproved=True)
    assert (result.approved, result.edited) == (["3.1"], ["3.2"])
    after = entries(project)
    assert after["3.1"].msgstr == REVISED and not after["3.1"].fuzzy
    assert after["3.2"].msgstr == "Rascunho." and after["3.2"].fuzzy
    assert msgfmt_accepts(project)


def test_units_without_glossator_ids_match_by_source(project: Path, tmp_path):
    path = tmp_path / "omegat.tmx"
    path.write_text(f"""<?xml version="1.0"?>
<tmx version="1.4"><header srclang="EN-US" creationtool="OmegaT" segtype="sentence"
 o-tmf="x" adminlang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="EN-US"><seg>{REPEATED}</seg></tuv>
<tuv xml:lang="PT-BR"><seg>Kim agradeceu a Putin pela visita.</seg></tuv></tu>
<tu tuid="17"><tuv xml:lang="EN-US"><seg>Unknown sentence.</seg></tuv>
<tuv xml:lang="PT-BR"><seg>Frase desconhecida.</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    [result] = import_units(path, project, reviewer="OmegaT")
    assert (result.unchanged, result.approved) == (["6.1"], ["7.1"])
    assert result.unknown == ["17"]
    assert not entries(project)["7.1"].fuzzy


def test_a_po_from_poedit_rewrapped_and_unfuzzied(project: Path, tmp_path):
    copy = tmp_path / "from-poedit.po"
    shutil.copy(project, copy)
    pofile = polib.pofile(str(copy), wrapwidth=78)
    for entry in pofile:
        if entry.msgctxt == "3.2":
            entry.flags.remove("fuzzy")
        if entry.msgctxt == "3.1":
            entry.msgstr = REVISED
            entry.flags.remove("fuzzy")
    pofile.save()
    [result] = import_units(copy, project, reviewer="Poedit")
    assert result.approved == ["3.1", "3.2"]
    assert entries(project)["3.1"].msgstr == REVISED
    assert msgfmt_accepts(project)


def test_the_project_po_is_found_or_named(project: Path, tmp_path):
    back = exported(project)
    with pytest.raises(FormatError, match=f"no project PO for {NAME!r}: looked for"):
        import_units(back, out=tmp_path / "elsewhere")
    with pytest.raises(FormatError, match="the project PO itself"):
        import_units(project, project)
    german = tmp_path / "de.xlf"
    german.write_text(back.read_text(encoding="utf-8").replace('target-language="pt"',
                                                               'target-language="de"'),
                      encoding="utf-8")
    with pytest.raises(FormatError, match="holds a German"):
        import_units(german, project)


def test_import_is_refused_while_a_run_holds_the_folder(project: Path, tmp_path):
    from glossator.io.files import output_lock

    back = edit_xliff(exported(project), {"3.1": (REVISED, True)}, tmp_path / "back.xlf")
    before = project.read_bytes()
    with (output_lock(tmp_path / "locale", ["pt"]),  # a translate run holding the folder
          pytest.raises(FormatError, match="another glossator run")):
        import_units(back, out=tmp_path / "locale")
    assert project.read_bytes() == before
    assert import_units(back, out=tmp_path / "locale")[0].written


# The command ---------------------------------------------------------------------------------


def test_cli_import_prints_the_po_and_counts(project: Path, tmp_path):
    back = edit_xliff(exported(project), {"3.1": (REVISED, True)}, tmp_path / "back.xlf")
    result = run_cli("import", str(back), "--out", str(tmp_path / "locale"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(project)]
    assert "1 approved" in result.stderr
    again = run_cli("import", str(back), "--out", str(tmp_path / "locale"), "-q", "--strict")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff version='1.2'><file>", encoding="utf-8")
    failed = run_cli("import", str(bad), "--po", str(project))
    assert failed.returncode == 6 and failed.stderr.startswith(f"glossator: {bad}:1: ")
    assert len(failed.stderr.splitlines()) == 1


def test_cli_import_strict_exits_1_when_a_unit_is_left_out(project: Path, tmp_path):
    xliff = exported(project).read_text(encoding="utf-8").replace('id="5.1"', 'id="9.9"')
    path = tmp_path / "back.xlf"
    path.write_text(xliff, encoding="utf-8")
    result = run_cli("import", str(path), "--po", str(project), "--strict", "--quiet")
    assert result.returncode == 1  # and what was left out is said even when quiet:
    assert result.stderr == (f"glossator: {path}: not applied, no such segment in the PO: "
                             "1 (9.9)\n")


def test_build_warns_about_unreviewed_segments_and_can_require_them(project: Path, tmp_path):
    result = run_cli("build", str(project))
    assert result.returncode == 0
    assert "warning: 6 of 9 segments not reviewed: 3.1, 3.2, 4.1, 5.1, 7.1, 7.2" in result.stderr
    output = tmp_path / "final.txt"
    strict = run_cli("build", str(project), "--require-reviewed", "-o", str(output))
    assert strict.returncode == 1 and not output.exists() and strict.stdout == ""
    assert "6 of 9 segments not reviewed: 3.1, 3.2, 4.1, 5.1, 7.1, 7.2" in strict.stderr

    pofile = polib.pofile(str(project))
    for entry in pofile:
        entry.msgstr = entry.msgstr or "Pyongyang negou."
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    pofile.save()
    done = run_cli("build", str(project), "--require-reviewed", "-o", str(output))
    assert done.returncode == 0 and output.is_file() and "not reviewed" not in done.stderr


def test_build_article_keeps_targets_fills_gaps_with_the_source_and_names_both():
    segments = [Segment("1.1", "Title", 1, target="Título", fuzzy=False),
                Segment("2.1", "One.", 2, target="Um."),
                Segment("2.2", "Two.", 2, target=" ", fuzzy=False),
                *(Segment(f"3.{n}", "Three.", 3, target="Três.") for n in range(1, 22))]
    document = Document("a", "en", segments)
    built = build_article(document)
    assert built.text.startswith("Título\n\nUm. Two.\n\nTrês. Três.") and built.text[-1] == "\n"
    assert built.untranslated == ["2.2"] and segments[2].target == " "  # the document is kept
    assert built.unreviewed[:3] == ["2.1", "2.2", "3.1"] and len(built.unreviewed) == 23
    assert built.unreviewed_count() == "23 of 24 segments not reviewed"
    assert built.unreviewed_shown() == ", ".join(built.unreviewed[:20]) + " …"
    assert built.untranslated_line() == ("1 segment(s) without a translation kept in the source "
                                         "language: 2.2")


# The whole round trip, with a real engine ----------------------------------------------------


def test_translate_export_approve_import_round_trip(tmp_path: Path, seed_article: Path):
    article = tmp_path / "seed.txt"
    article.write_text(seed_article.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "locale"
    translated = run_cli("translate", str(article), "--to", "pt", "--out", str(out),
                         "--engine", "bergamot", "--formats", "po,xliff", "-q")
    assert translated.returncode == 0, translated.stderr
    po_path = out / "pt" / "seed.po"
    assert all(not s.edited and s.machine == s.target for s in read_po(po_path).segments)
    back = edit_xliff(out / "pt" / "seed.xlf", {"3.1": (REVISED, True), "3.2": (None, True)},
                      tmp_path / "seed.xlf")
    result = run_cli("import", str(back), "--out", str(out), "--reviewer", "Ana")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(po_path)]
    after = entries(po_path)
    assert after["3.1"].msgstr == REVISED and not after["3.1"].fuzzy
    assert not after["3.2"].fuzzy and "reviewed: Ana, " in after["3.2"].comment
    assert msgfmt_accepts(po_path)

    rerun = run_cli("translate", str(article), "--to", "pt", "--out", str(out),
                    "--engine", "bergamot")
    assert rerun.returncode == 0, rerun.stderr
    assert "translating" not in rerun.stderr
    assert entries(po_path)["3.1"].msgstr == REVISED

    pofile = polib.pofile(str(po_path))  # edited in a PO editor, fuzzy left on
    pofile.find("4.1", by="msgctxt").msgstr = "Kim e Shoigu discutiram questões de defesa."
    pofile.save()
    edited = {s.id: s for s in read_po(po_path).segments}["4.1"]
    assert edited.edited and edited.machine != edited.target


# Files that must not be trusted --------------------------------------------------------------


def approved_tmx(po_path: Path, path: Path, header: dict[str, str]) -> Path:
    """The PO's TMX with 3.1 revised and approved, and header props (type → value) replaced."""
    text = exported(po_path, "tmx").read_text(encoding="utf-8")
    text = text.replace(read_po(po_path).segments[2].target, REVISED)
    text = text.replace('<prop type="x-status">fuzzy</prop>', "", 1)  # 3.1's: approved
    for kind, value in header.items():
        text = re.sub(rf'<prop type="{kind}">[^<]*</prop>',
                      lambda _, kind=kind, value=value: f'<prop type="{kind}">{value}</prop>',
                      text, count=1)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def victim(project: Path, tmp_path: Path) -> Path:
    """Another project's PO, outside the output folder, at victim/locale/pt/a.po."""
    path = tmp_path / "victim" / "locale" / "pt" / "a.po"
    path.parent.mkdir(parents=True)
    shutil.copy(project, path)
    return path


def without_language(po_path: Path) -> None:
    """The PO with no Language header, as a PO written by hand may be: no language to check."""
    text = po_path.read_text(encoding="utf-8")
    po_path.write_text(text.replace('"Language: pt\\n"\n', "", 1), encoding="utf-8")
    assert "Language: pt" not in po_path.read_text(encoding="utf-8")


def assert_refused(result: subprocess.CompletedProcess[str], path: Path, message: str) -> None:
    assert result.returncode == 6, result.stderr
    assert result.stderr.startswith(f"glossator: {path}"), result.stderr
    assert message in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("header", "message"), [
    ({"x-document": "../../victim/locale/pt/a"}, "'../../victim/locale/pt/a' is not a file name"),
    ({"x-document": "{victim}"}, "is not a file name"),
    ({"x-document": "..\\..\\victim"}, "is not a file name"),
    ({"x-document": "a", "x-targetlang": "../victim/locale/pt"},
     "target language '../victim/locale/pt' is not a language code"),
], ids=["relative", "absolute", "backslashes", "language"])
def test_tmx_names_from_the_file_cannot_reach_a_po_outside_out(project: Path, victim: Path,
                                                                tmp_path: Path, header, message):
    header = {kind: value.format(victim=victim.with_suffix("")) for kind, value in header.items()}
    without_language(victim)
    before = victim.read_bytes(), project.read_bytes()
    path = approved_tmx(project, tmp_path / "back.tmx", header)
    result = run_cli("import", str(path), "--out", str(tmp_path / "locale"))
    assert_refused(result, path, message)
    assert (victim.read_bytes(), project.read_bytes()) == before


def test_xliff_target_language_cannot_reach_a_po_outside_out(project: Path, victim: Path,
                                                              tmp_path: Path):
    without_language(victim)
    before = victim.read_bytes()
    back = edit_xliff(exported(project), {"3.1": (REVISED, True)}, tmp_path / "back.xlf")
    text = re.sub('original="[^"]*"', 'original="a.txt"', back.read_text(encoding="utf-8"))
    back.write_text(text.replace('target-language="pt"',
                                 'target-language="../victim/locale/pt"'), encoding="utf-8")
    result = run_cli("import", str(back), "--out", str(tmp_path / "locale"))
    assert_refused(result, back, "target language '../victim/locale/pt' is not a language")
    assert victim.read_bytes() == before


@pytest.mark.parametrize("original", ["..", "sub/..", "x/\\", "a\\."])
def test_xliff_original_gives_one_file_name_or_is_refused(project: Path, tmp_path: Path,
                                                          original: str):
    back = exported(project)
    text = back.read_text(encoding="utf-8")
    back.write_text(re.sub('original="[^"]*"', lambda _: f'original="{original}"', text),
                    encoding="utf-8")
    with pytest.raises(FormatError, match="not a file name"):
        import_units(back, out=tmp_path / "locale")


def test_xliff_original_as_a_path_names_the_article_by_its_file_name(project: Path,
                                                                     tmp_path: Path):
    """Tools write `original` as a path (Okapi, a Windows machine): only its last part is
    the article's name, looked for inside --out."""
    back = edit_xliff(exported(project), {"3.1": (REVISED, True)}, tmp_path / "back.xlf")
    text = back.read_text(encoding="utf-8")
    original = f"C:\\news\\..\\{NAME}.txt"
    back.write_text(re.sub('original="[^"]*"', lambda _: f'original="{original}"', text),
                    encoding="utf-8")
    [result] = import_units(back, out=tmp_path / "locale")
    assert result.po_path == project and result.approved == ["3.1"]


def test_a_po_found_through_a_link_out_of_out_is_refused(project: Path, victim: Path,
                                                         tmp_path: Path):
    before = victim.read_bytes()
    back = edit_xliff(exported(project), {"3.1": (REVISED, True)}, tmp_path / "back.xlf")
    project.unlink()
    project.symlink_to(victim)
    with pytest.raises(FormatError, match="outside the output folder"):
        import_units(back, out=tmp_path / "locale")
    project.unlink()
    nested = tmp_path / "locale" / "pt" / "world" / f"{NAME}.po"  # found in a subfolder
    nested.parent.mkdir()
    nested.symlink_to(victim)
    with pytest.raises(FormatError, match="outside the output folder"):
        import_units(back, out=tmp_path / "locale")
    assert victim.read_bytes() == before


ENTITIES = {
    "internal": '<!DOCTYPE xliff [\n<!ENTITY e "Texto aprovado.">\n]>',
    "system": '<!DOCTYPE xliff [\n<!ENTITY e SYSTEM "file:///etc/hostname">\n]>',
    "undeclared, external DTD": '<!DOCTYPE xliff SYSTEM "xliff-core-1.2.dtd">',
}


@pytest.mark.parametrize("doctype", ENTITIES.values(), ids=ENTITIES.keys())
def test_a_file_with_entities_is_refused(project: Path, tmp_path: Path, doctype: str):
    before = project.read_bytes()
    back = edit_xliff(exported(project), {"3.1": ("&e;", True)}, tmp_path / "back.xlf")
    text = back.read_text(encoding="utf-8").replace("&amp;e;", "&e;")
    back.write_text(text.replace("<xliff ", f"{doctype}\n<xliff ", 1), encoding="utf-8")
    result = run_cli("import", str(back), "--out", str(tmp_path / "locale"))
    assert_refused(result, back, "entit")
    assert project.read_bytes() == before


def test_a_tmx_with_entities_is_refused(project: Path, tmp_path: Path):
    before = project.read_bytes()
    path = approved_tmx(project, tmp_path / "back.tmx", {})
    text = path.read_text(encoding="utf-8").replace(REVISED, "&e;")
    path.write_text(text.replace("<tmx ", '<!DOCTYPE tmx [<!ENTITY e "Aprovado.">]>\n<tmx ', 1),
                    encoding="utf-8")
    result = run_cli("import", str(path), "--out", str(tmp_path / "locale"))
    assert_refused(result, path, "declares an entity")
    assert project.read_bytes() == before


def test_a_file_over_the_import_limit_is_refused_before_it_is_read(project: Path,
                                                                   tmp_path: Path):
    from glossator.io.reading import MAX_IMPORT_BYTES

    before = project.read_bytes()
    path = exported(project)
    with path.open("r+b") as handle:  # sparse: the size is what is checked, not the bytes
        handle.truncate(MAX_IMPORT_BYTES + 1)
    result = run_cli("import", str(path), "--out", str(tmp_path / "locale"))
    assert_refused(result, path, f"file is {MAX_IMPORT_BYTES + 1:,} bytes")
    assert "limit for a file to import" in result.stderr
    assert project.read_bytes() == before


HUGE = "1" * 5000


def test_a_po_with_a_huge_paragraph_number_is_one_error(project: Path, tmp_path: Path):
    copy = tmp_path / "from-poedit.po"
    text = project.read_text(encoding="utf-8")
    copy.write_text(text.replace('msgctxt "3.1"', f'msgctxt "{HUGE}.1"'), encoding="utf-8")
    lines = copy.read_text(encoding="utf-8").split("\n")
    previous, huge = lines.index('msgctxt "2.1"') + 1, lines.index(f'msgctxt "{HUGE}.1"') + 1
    result = run_cli("import", str(copy), "--po", str(project))
    assert_refused(result, copy, "no segment id")
    line = int(result.stderr.removeprefix(f"glossator: {copy}:").split(":")[0])
    assert previous < line <= huge  # a line of that entry


@pytest.mark.parametrize(("name", "old", "new"), [
    ("xliff", 'id="3.1"', f'id="{HUGE}.1"'),
    ("tmx", 'tuid="3.1"', f'tuid="{HUGE}.1"'),
    ("tmx", '<prop type="x-paragraph">3</prop>', f'<prop type="x-paragraph">{HUGE}</prop>'),
    ("tmx", '<prop type="x-paragraph">3</prop>', '<prop type="x-paragraph">³</prop>'),
    ("tsv", "3.1\t", f"{HUGE}.1\t"),
    ("tsv", "3.1\t", "³.1\t"),
])
def test_a_huge_or_odd_segment_id_is_not_glossators(project: Path, tmp_path: Path, name: str,
                                                    old: str, new: str):
    path = exported(project, name)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("import", str(path), "--po", str(project))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def two_article_xliff(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """One XLIFF holding two articles, 3.1 approved in each with its own text: the project's
    and "second.po"; its path and the second PO's."""
    second = project.with_name("second.po")  # the PO of another article, "second"
    second.write_text(project.read_text(encoding="utf-8").replace(f"#: {NAME}", "#: second"),
                      encoding="utf-8")
    first_file = etree.fromstring(exported(project).read_bytes())
    second_file = etree.fromstring(exported(second).read_bytes())
    first_file.append(second_file[0])
    for file, text in zip(first_file, (REVISED, "Texto do segundo artigo.")):
        unit = file.find(".//{*}trans-unit[@id='3.1']")
        unit.set("approved", "yes")
        unit.find("{*}target").text = text
        unit.find("{*}target").set("state", "signed-off")
    path = tmp_path / "both.xlf"
    path.write_bytes(etree.tostring(first_file, xml_declaration=True, encoding="UTF-8"))
    return path, second


def test_every_file_of_a_multi_file_xliff_goes_to_its_own_po(project: Path, tmp_path: Path):
    path, second = two_article_xliff(project, tmp_path)
    root = etree.fromstring(path.read_bytes())
    root[1].find(".//{*}trans-unit[@id='5.1']").set("id", "9.9")  # in the second article only
    path.write_bytes(etree.tostring(root))
    result = run_cli("import", str(path), "--out", str(tmp_path / "locale"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(project), str(second)]
    assert result.stderr == (f"glossator: {path}: {second}: not applied, no such segment in "
                             "the PO: 1 (9.9)\n")
    result = run_cli("import", str(path), "--out", str(tmp_path / "locale"))
    assert f"{project}: 0 approved" in result.stderr and f"{second}: 0 approved" in result.stderr
    assert entries(project)["3.1"].msgstr == REVISED and not entries(project)["3.1"].fuzzy
    assert entries(second)["3.1"].msgstr == "Texto do segundo artigo."
    assert not entries(second)["3.1"].fuzzy


def test_a_multi_file_xliff_with_a_po_missing_writes_nothing(project: Path, tmp_path: Path):
    path, second = two_article_xliff(project, tmp_path)
    second.unlink()
    before = project.read_bytes()
    result = run_cli("import", str(path), "--out", str(tmp_path / "locale"))
    assert_refused(result, path, "no project PO for 'second'")
    assert project.read_bytes() == before
    named = run_cli("import", str(path), "--po", str(project))
    assert_refused(named, path, "holds 2 articles")
    assert project.read_bytes() == before


def test_a_multi_file_import_stopped_by_a_run_says_what_it_wrote(project: Path,
                                                                 tmp_path: Path):
    from glossator.io.files import output_lock

    path, second = two_article_xliff(project, tmp_path)
    german = tmp_path / "locale" / "de" / second.name
    german.parent.mkdir()
    german.write_text(second.read_text(encoding="utf-8").replace("Language: pt", "Language: de"),
                      encoding="utf-8")
    second.unlink()
    root = etree.fromstring(path.read_bytes())
    root[1].set("target-language", "de")
    path.write_bytes(etree.tostring(root))
    with (output_lock(german.parent),
          pytest.raises(FormatError, match="another glossator run") as caught):
        import_units(path, out=tmp_path / "locale")
    assert str(caught.value).endswith(f"(already imported into {project})")
    assert entries(project)["3.1"].msgstr == REVISED
