"""Reviewed work is sacred: a person's text survives glossary changes, changed sources, --force,
runs over any subset of an archive, deep folders and any legal file name (issue 15)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest

from glossator.errors import FormatError
from glossator.formats import get_format
from glossator.formats.po import read_po
from glossator.io.files import LOCK_NAME, output_lock
from glossator.review.importer import import_units
from glossator.review.workspace import Workspace, segment_version
from glossator.run.pipeline import translate_articles
from helpers import run_cli

STORY = ("Talks in Seoul\n\n"
         "The minister arrived in Seoul on Monday. He met the envoy from Pyongyang.\n\n"
         "The talks ended on Tuesday. Officials called them useful.\n")
EDIT = "Der Minister kam am Montag in Seoul an (von Hand)."
GLOSSARY = "en,de\nenvoy,Gesandter\n"


def translate(articles: list[Path], out: Path, glossary: Path | None = None,
              **options) -> list[Path]:
    result = translate_articles(articles, ["de"], engine_name="argos", out=out,
                           glossary_paths=[glossary] if glossary else [],
                           formats=[get_format("po")], **options)
    return result.paths


def targets(po_path: Path) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in polib.pofile(str(po_path)) if not entry.obsolete}


def edit_in_po_editor(po_path: Path, segment_id: str, text: str) -> None:
    """A PO editor changing a translation and leaving it fuzzy (not approved)."""
    pofile = polib.pofile(str(po_path), wrapwidth=0)
    for entry in pofile:
        if entry.msgctxt == segment_id:
            entry.msgstr = text
    pofile.save()


@pytest.fixture
def story(tmp_path: Path, argos_dir: Path) -> Path:
    path = tmp_path / "news" / "seoul.txt"
    path.parent.mkdir()
    path.write_text(STORY, encoding="utf-8")
    return path


def edit_in_workspace(out: Path, relative: str, segment_id: str, text: str) -> None:
    workspace = Workspace(out, engine_name="argos", reviewer="Ana", glossary_paths=[])
    segment = next(s for s in workspace.load(relative).segments if s.id == segment_id)
    result = workspace.save(relative, segment_id, segment_version(segment), "edit", text)
    assert result.status == "saved"


def edit_by_import(out: Path, po_path: Path, segment_id: str, text: str, tmp_path: Path) -> None:
    """A CAT tool's XLIFF coming back with an edit not yet approved."""
    document = read_po(po_path)
    for segment in document.segments:
        if segment.id == segment_id:
            segment.target = text
    exported = tmp_path / "back.xlf"
    exported.write_text(get_format("xliff").render(document), encoding="utf-8")
    [result] = import_units(exported, po_path, include_unapproved=True, out=out)
    assert result.edited == [segment_id]


@pytest.mark.parametrize("how", ["po-editor", "workspace", "import"])
def test_an_unapproved_edit_survives_a_glossary_change(story, tmp_path, how):
    out = tmp_path / "locale"
    translate([story], out)
    po_path = out / "de" / "seoul.po"
    if how == "po-editor":
        edit_in_po_editor(po_path, "2.1", EDIT)
    elif how == "workspace":
        edit_in_workspace(out, "de/seoul.po", "2.1", EDIT)
    else:
        edit_by_import(out, po_path, "2.1", EDIT, tmp_path)
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,de\nminister,Ministerin\n", encoding="utf-8")

    translate([story], out, glossary)
    entry = targets(po_path)["2.1"]
    assert entry.msgstr == EDIT and entry.fuzzy  # kept, still waiting for approval
    assert "should be rendered 'Ministerin'" in entry.comment  # the new pin flagged, not forced
    assert f"machine: {EDIT}" not in entry.comment


def test_an_unapproved_edit_survives_force(story, tmp_path):
    out = tmp_path / "locale"
    translate([story], out)
    po_path = out / "de" / "seoul.po"
    edit_in_po_editor(po_path, "2.1", EDIT)
    machine_before = targets(po_path)["3.1"].msgstr
    translate([story], out, force=True)
    assert targets(po_path)["2.1"].msgstr == EDIT
    assert targets(po_path)["3.1"].msgstr == machine_before  # machine text, translated again


@pytest.mark.parametrize("approved", [False, True])
def test_a_persons_text_stays_when_its_source_changes(story, tmp_path, approved):
    out = tmp_path / "locale"
    translate([story], out)
    po_path = out / "de" / "seoul.po"
    edit_in_po_editor(po_path, "2.1", EDIT)
    if approved:
        from test_roundtrip import review

        review(po_path, {"2.1": EDIT})
    story.write_text(STORY.replace("on Monday", "late on Monday"), encoding="utf-8")

    translate([story], out)
    entry = targets(po_path)["2.1"]
    assert entry.msgstr == EDIT and entry.fuzzy
    assert entry.previous_msgid == "The minister arrived in Seoul on Monday."
    assert not [e for e in polib.pofile(str(po_path)) if e.obsolete and e.msgstr == EDIT]


def test_a_persons_text_follows_its_sentence_when_ids_shift(story, tmp_path):
    out = tmp_path / "locale"
    translate([story], out)
    po_path = out / "de" / "seoul.po"
    edit_in_po_editor(po_path, "2.1", EDIT)
    # a paragraph inserted above and the sentence reworded: id and source both change
    story.write_text(STORY.replace("Talks in Seoul\n\n", "Talks in Seoul\n\nA new lead.\n\n")
                     .replace("on Monday", "late on Monday"), encoding="utf-8")
    translate([story], out)
    entry = targets(po_path)["3.1"]
    assert entry.msgstr == EDIT and entry.fuzzy
    assert entry.previous_msgid == "The minister arrived in Seoul on Monday."


def test_a_comment_on_machine_text_survives_its_retranslation(story, tmp_path):
    out = tmp_path / "locale"
    translate([story], out)
    po_path = out / "de" / "seoul.po"
    pofile = polib.pofile(str(po_path), wrapwidth=0)
    next(e for e in pofile if e.msgctxt == "3.1").tcomment = "ask the desk about Tuesday"
    pofile.save()
    translate([story], out, force=True)
    assert targets(po_path)["3.1"].tcomment == "ask the desk about Tuesday"


# -- the lock, at any depth ------------------------------------------------------------------

def deep_po(tmp_path: Path) -> tuple[Path, Path, str]:
    archive = tmp_path / "archive" / "2024" / "06" / "23" / "am"
    archive.mkdir(parents=True)
    (archive / "seoul.txt").write_text(STORY, encoding="utf-8")
    # a second article one level up makes the mirrored tree five folders deep
    (tmp_path / "archive" / "top.txt").write_text("Top\n\nA short story.\n", encoding="utf-8")
    out = tmp_path / "locale"
    translate([tmp_path / "archive"], out)
    relative = "de/2024/06/23/am/seoul.po"
    assert (out / relative).is_file()
    return out, out / relative, relative


def test_the_workspace_and_import_wait_for_a_run_at_any_depth(argos_dir, tmp_path):
    out, po_path, relative = deep_po(tmp_path)
    (po_path.parent / LOCK_NAME).write_text("")  # a stray lock in between must not stand in
    before = po_path.read_bytes()
    workspace = Workspace(out, engine_name="argos", reviewer="Ana", glossary_paths=[])
    segment = next(s for s in workspace.load(relative).segments if s.id == "2.1")
    exported = tmp_path / "back.po"
    exported.write_bytes(before.replace(b'#, fuzzy\nmsgctxt "2.1"', b'msgctxt "2.1"'))
    with output_lock(out, ["de"]):  # a translate run holding the output folder
        with pytest.raises(FormatError, match="another glossator run"):
            workspace.save(relative, "2.1", segment_version(segment), "approve")
        with pytest.raises(FormatError, match="another glossator run"):
            import_units(exported, po_path, out=out)
    assert po_path.read_bytes() == before
    assert workspace.save(relative, "2.1", segment_version(segment), "approve").status == "saved"


# -- an article's PO is found from the article alone ------------------------------------------

def test_a_run_over_a_subset_updates_the_same_po(story, tmp_path):
    other = tmp_path / "wire" / "tokyo.txt"
    other.parent.mkdir()
    other.write_text("Tokyo\n\nLeaders met in Tokyo.\n", encoding="utf-8")
    out = tmp_path / "locale"
    translate([story, other], out)
    po_path = out / "de" / "news" / "seoul.po"
    edit_in_po_editor(po_path, "2.1", EDIT)

    written = translate([story], out)  # the article alone: its mirrored path would be seoul.po
    assert written == [po_path]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.po")) == [
        "de/news/seoul.po", "de/wire/tokyo.po"]
    assert targets(po_path)["2.1"].msgstr == EDIT
    workspace = Workspace(out, engine_name="argos", glossary_paths=[])
    assert [a.path for a in workspace.articles()] == ["de/news/seoul.po", "de/wire/tokyo.po"]


def test_another_article_of_the_same_name_never_takes_over_a_po(story, tmp_path):
    out = tmp_path / "locale"
    translate([story], out)
    po_path = out / "de" / "seoul.po"
    edit_in_po_editor(po_path, "2.1", EDIT)
    before = po_path.read_bytes()
    impostor = tmp_path / "wire" / "seoul.txt"
    impostor.parent.mkdir()
    impostor.write_text("Other\n\nA different story from Seoul.\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"holds the translation of .*news/seoul\.txt"):
        translate([impostor], out)
    assert po_path.read_bytes() == before
    # moved away (renamed): the PO goes with the article
    moved = tmp_path / "news" / "seoul-talks.txt"
    story.rename(moved)
    translate([moved, tmp_path / "news"], out)
    assert targets(out / "de" / "seoul.po")["2.1"].msgstr == EDIT


# -- any legal file name -----------------------------------------------------------------------

def test_a_name_with_a_space_survives_review_and_force(argos_dir, tmp_path):
    article = tmp_path / "my article.txt"
    article.write_text(STORY, encoding="utf-8")
    out = tmp_path / "locale"
    translate([article], out)
    po_path = out / "de" / "my article.po"
    from test_roundtrip import review

    review(po_path, {"2.1": EDIT})
    translate([article], out)
    translate([article], out, force=True)
    entry = targets(po_path)["2.1"]
    assert entry.msgstr == EDIT and not entry.fuzzy
    assert read_po(po_path).article == "my article.txt"


def test_a_newline_in_a_name_writes_a_po_msgfmt_and_glossator_read(argos_dir, tmp_path):
    article = tmp_path / "two\nlines.txt"
    article.write_text(STORY, encoding="utf-8")
    out = tmp_path / "locale"
    translate([article], out)
    po_path = out / "de" / "two\nlines.po"
    assert read_po(po_path).article == "two\u240alines.txt"
    check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    translate([article], out, force=True)  # and it is found again


def test_names_that_are_not_utf8_are_translated_not_fatal(argos_dir, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    odd = os.fsdecode(b"caf\xe9.txt")
    (folder / odd).write_text(STORY, encoding="utf-8")
    (folder / "plain.txt").write_text("Plain\n\nA plain story.\n", encoding="utf-8")
    out = tmp_path / "locale"
    for given in ([folder], [folder / odd]):  # a folder walk, then argv
        translate(given, out, force=True)
        assert read_po(out / "de" / os.fsdecode(b"caf\xe9.po")).article == "caf\ufffd.txt"
    listing = tmp_path / "list.txt"
    listing.write_bytes(os.fsencode(folder / odd) + b"\n")
    result = run_cli("translate", "--files-from", str(listing), "--to", "de", "--out", str(out),
                     "--engine", "argos", "--force", "--formats", "po,tmx,xliff,html,tsv,txt",
                     "--no-glossary", env={"ARGOS_PACKAGES_DIR": str(argos_dir)})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_folder_named_through_a_link_into_the_inputs_is_left_out(story, tmp_path):
    real_out = story.parent / "locale"  # inside the folder translated
    real_out.mkdir()
    link = tmp_path / "out"
    link.symlink_to(real_out)
    for _run in range(3):
        translate([story.parent], link, glob="*")
    found = sorted(p.relative_to(real_out).as_posix() for p in real_out.rglob("*.po"))
    assert found == ["de/seoul.po"]
