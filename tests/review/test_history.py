"""A PO's history sidecar (glossator.review.history): what the workspace records on each save,
and that a history it cannot read or write never stops a save nor gets replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossator.errors import FormatError
from glossator.model import Segment
from glossator.review.history import FORMAT, read_history, record
from glossator.review.workspace import Workspace, history_path
from helpers import PO, project, translated

__all__ = ["project", "translated"]


def test_records_accumulate_oldest_first_and_read_back(tmp_path: Path):
    path = tmp_path / "visit.po.history.json"
    assert read_history(path) == {}
    segment = Segment("3.1", "He came.", 3, target="Ele veio.")
    assert record(path, [segment], "edit", "Ana") == ""
    segment.target, segment.fuzzy = "Ele chegou.", False
    assert record(path, [segment], "approve", "Bia") == ""
    history = read_history(path)
    assert [(r["who"], r["action"], r["text"], r["state"]) for r in history["3.1"]] == [
        ("Ana", "edit", "Ele veio.", "machine"), ("Bia", "approve", "Ele chegou.", "reviewed")]
    assert history["3.1"][0]["when"].endswith("+00:00")
    assert json.loads(path.read_text("utf-8"))["format"] == FORMAT


@pytest.mark.parametrize("text", ["{not json", '{"format": "other", "segments": {}}', "[]"])
def test_a_history_that_is_not_one_is_reported_and_left_as_it_is(tmp_path: Path, text: str):
    path = tmp_path / "visit.po.history.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match="not a glossator history") as caught:
        read_history(path)
    assert caught.value.path == str(path)
    said = record(path, [Segment("1.1", "A.", 1, target="B.")], "edit", "Ana")
    assert said.startswith("history not recorded (") and "visit.po.history.json" in said
    assert path.read_text("utf-8") == text


def test_a_save_goes_through_when_the_history_is_broken_and_says_so(project: Path):
    workspace = Workspace(project / "out", reviewer="Ana", glossary_paths=[])
    sidecar = history_path(project / "out" / PO)
    sidecar.write_text("{broken", encoding="utf-8")
    loaded = next(s for s in workspace.article(PO)["segments"] if s["id"] == "3.2")
    result = workspace.save(PO, "3.2", loaded["version"], "edit", "Ele viu funcionários.")
    assert result.status == "saved" and "history not recorded" in result.notice
    assert workspace.load(PO).segments[3].target == "Ele viu funcionários."
    assert sidecar.read_text("utf-8") == "{broken"


def test_the_history_sits_beside_the_real_po_and_a_folder_in_its_way_only_stops_it(
        project: Path):
    workspace = Workspace(project / "out", reviewer="Ana", glossary_paths=[])
    history_path(project / "out" / PO).mkdir()
    loaded = next(s for s in workspace.article(PO)["segments"] if s["id"] == "3.1")
    result = workspace.save(PO, "3.1", loaded["version"], "approve", loaded["target"])
    assert result.status == "saved" and "history not recorded" in result.notice
    assert workspace.load(PO).segments[2].state == "reviewed"
