"""Search and replace (review.replace): a preview, only what it showed replaced, reviewed
segments left alone unless asked, conflicts reported, and every batch undone exactly."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from glossator.errors import UsageError
from glossator.review.replace import Replacer, Search
from glossator.review.workspace import Workspace
from helpers import write_po


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    out = tmp_path / "out"
    write_po(out / "pt" / "a.po", [("The minister spoke.", "O ministro falou.", False),
                                    ("The minister left.", "O ministro saiu.", True),
                                    ("He came back.", "Ele voltou.", False)])
    write_po(out / "pt" / "b.po", [("The minister ate.", "O ministro comeu.", False)])
    return Workspace(out, glossary_paths=[], reviewer="Rui")


def targets(workspace: Workspace, relative: str) -> dict[str, tuple[str, str]]:
    return {s["id"]: (s["target"], s["state"]) for s in workspace.article(relative)["segments"]}


def chosen(preview: dict) -> list[tuple[str, str, str]]:
    return [(c["path"], c["id"], c["version"]) for c in preview["changes"]]


def test_the_preview_lists_unreviewed_segments_of_every_article_and_counts_the_reviewed(
        workspace):
    replacer = Replacer(workspace)
    preview = replacer.preview(Search("ministro", "chefe"))
    assert [(c["path"], c["id"], c["after"]) for c in preview["changes"]] == [
        ("pt/a.po", "1.1", "O chefe falou."), ("pt/b.po", "1.1", "O chefe comeu.")]
    assert preview["reviewed"] == 1
    assert preview["changes"][0]["diff"] == [["same", "O "], ["delete", "ministro"],
                                             ["insert", "chefe"], ["same", " falou."]]
    assert targets(workspace, "pt/a.po")["1.1"] == ("O ministro falou.", "machine")  # unwritten
    one = replacer.preview(Search("ministro", "chefe"), ["pt/b.po"])
    assert [c["path"] for c in one["changes"]] == ["pt/b.po"]


def test_applying_writes_edits_and_undo_gives_every_text_back(workspace):
    replacer = Replacer(workspace)
    search = Search("ministro", "chefe", reviewed=True)
    result = replacer.apply(search, chosen(replacer.preview(search)))
    assert len(result["saved"]) == 3 and result["left"] == []
    a = targets(workspace, "pt/a.po")
    assert a["1.1"] == ("O chefe falou.", "edited")
    assert a["2.1"] == ("O chefe saiu.", "edited")  # was reviewed: to approve again
    assert a["3.1"] == ("Ele voltou.", "machine")
    undone = replacer.undo(result["batch"])
    assert len(undone["restored"]) == 3 and undone["left"] == []
    a = targets(workspace, "pt/a.po")
    assert a["1.1"] == ("O ministro falou.", "machine")
    assert a["2.1"] == ("O ministro saiu.", "reviewed")
    assert targets(workspace, "pt/b.po")["1.1"] == ("O ministro comeu.", "machine")
    with pytest.raises(UsageError, match="no replacement"):
        replacer.undo(result["batch"])


def test_a_regex_with_groups_and_case_ignored(workspace):
    replacer = Replacer(workspace)
    search = Search(r"o (ministro) (\w+)", r"o \1 já \2", regex=True, case=False)
    preview = replacer.preview(search, ["pt/a.po"])
    assert [c["after"] for c in preview["changes"]] == ["o ministro já falou."]
    with pytest.raises(UsageError, match="regular expression"):
        replacer.preview(Search("(", "x", regex=True))
    with pytest.raises(UsageError, match="replacement"):
        replacer.preview(Search("(o)", r"\2", regex=True))


def test_plain_text_is_not_a_pattern(workspace):
    write_po(workspace.root / "pt" / "c.po", [("Price.", "Preço: 5.00 (cinco).", False)])
    replacer = Replacer(workspace)
    preview = replacer.preview(Search("5.00 (cinco)", r"\1 5,00"), ["pt/c.po"])
    assert [c["after"] for c in preview["changes"]] == [r"Preço: \1 5,00."]


def test_a_reviewed_segment_is_left_alone_unless_asked_even_if_sent(workspace):
    replacer = Replacer(workspace)
    version = next(s["version"] for s in workspace.article("pt/a.po")["segments"]
                   if s["id"] == "2.1")
    result = replacer.apply(Search("ministro", "chefe"), [("pt/a.po", "2.1", version)])
    assert result["saved"] == [] and result["left"][0]["why"] == "reviewed"
    assert result["batch"] == 0
    assert targets(workspace, "pt/a.po")["2.1"] == ("O ministro saiu.", "reviewed")


def test_a_segment_changed_since_the_preview_is_a_conflict_not_overwritten(workspace):
    replacer = Replacer(workspace)
    search = Search("ministro", "chefe")
    preview = replacer.preview(search, ["pt/a.po"])
    [change] = preview["changes"]
    workspace.save("pt/a.po", "1.1", change["version"], "edit", "O ministro falou ontem.")
    result = replacer.apply(search, chosen(preview))
    assert result["saved"] == [] and result["left"][0]["why"] == "changed since the preview"
    assert targets(workspace, "pt/a.po")["1.1"][0] == "O ministro falou ontem."


def test_undo_leaves_a_segment_edited_since_the_replacement(workspace):
    replacer = Replacer(workspace)
    search = Search("ministro", "chefe")
    result = replacer.apply(search, chosen(replacer.preview(search, ["pt/b.po"])))
    segment = result["saved"][0]["segment"]
    workspace.save("pt/b.po", "1.1", segment["version"], "edit", "O chefe comeu bem.")
    undone = replacer.undo(result["batch"])
    assert undone["restored"] == [] and undone["left"][0]["why"] == "changed since the replacement"
    assert targets(workspace, "pt/b.po")["1.1"][0] == "O chefe comeu bem."


def test_a_replacement_that_empties_a_segment_is_refused(workspace, tmp_path):
    replacer = Replacer(workspace)
    search = Search(r".+", "", regex=True)
    result = replacer.apply(search, chosen(replacer.preview(search, ["pt/b.po"])))
    assert result["saved"] == [] and "empty" in result["left"][0]["why"]
    entry = polib.pofile(str(workspace.root / "pt" / "b.po"))[0]
    assert entry.msgstr == "O ministro comeu."
