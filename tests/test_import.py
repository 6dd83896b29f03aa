"""`glossator import`: units approved in another tool come back into the project PO, with the
rules of a re-run; and `build` says what is not reviewed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from translate.storage.tmx import tmxfile
from translate.storage.xliff import xlifffile

from conftest import run_cli
from glossator.errors import FormatError
from glossator.formats import get_format
from glossator.formats.po import read_po
from glossator.importer import import_units
from test_formats import REPEATED, review_document

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
    result = import_units(back, out=tmp_path / "locale", reviewer="Ana Lima")
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
    skipped = import_units(back, out=tmp_path / "locale")
    assert "3.1" in skipped.unapproved and not skipped.written
    result = import_units(back, out=tmp_path / "locale", include_unapproved=True)
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
    result = import_units(back, out=tmp_path / "locale", report=messages.append)
    assert (result.source_changed, result.conflicts, result.unknown) == (["7.2"], ["6.1"],
                                                                        ["9.9"])
    assert not result.written and project.read_text(encoding="utf-8") == before
    assert "not applied, source text changed since the export: 1 (7.2)" in messages
    assert "not applied, a different reviewed translation is in the PO: 1 (6.1)" in messages


def test_a_reviewed_unit_exported_and_approved_again_is_no_change(project: Path, tmp_path):
    before = project.read_bytes()
    result = import_units(exported(project), out=tmp_path / "locale")
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
    result = import_units(path, project)
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
    result = import_units(path, out=tmp_path / "locale", include_unapproved=True)
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
    result = import_units(path, project, reviewer="OmegaT")
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
    result = import_units(copy, project, reviewer="Poedit")
    assert result.approved == ["3.1", "3.2"]
    assert entries(project)["3.1"].msgstr == REVISED
    assert msgfmt_accepts(project)


def test_the_project_po_is_found_or_named(project: Path, tmp_path):
    back = exported(project)
    with pytest.raises(FormatError, match="no project PO for it: looked for"):
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
    from glossator.fsutil import output_lock

    back = edit_xliff(exported(project), {"3.1": (REVISED, True)}, tmp_path / "back.xlf")
    before = project.read_bytes()
    with (output_lock(tmp_path / "locale", ["pt"]),  # a translate run holding the folder
          pytest.raises(FormatError, match="another glossator run")):
        import_units(back, out=tmp_path / "locale")
    assert project.read_bytes() == before
    assert import_units(back, out=tmp_path / "locale").written


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
