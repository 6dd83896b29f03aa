"""The workspace's memory (review.memory): matches from memory.tmx and from the reviewed
segments of every article, refreshed when a file changes; concordance; the glossary panel."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossator.formats.tmx import write_memory
from glossator.review.concepts import ConceptPanel
from glossator.review.memory import WorkspaceMemory
from glossator.review.workspace import Workspace, segment_version
from helpers import PO, project, translated, write_po

__all__ = ["project", "translated"]

MISSILE = ("North Korea fired a missile into the sea on Monday, officials said.",
           "A Coreia do Norte disparou um míssil no mar na segunda-feira, disseram autoridades.")
TALKS = ("The talks on trade went well, the minister said on Tuesday.",
         "As conversas sobre comércio correram bem, disse o ministro na terça-feira.")


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_po(out / "pt" / "old.po", [(TALKS[0], TALKS[1], True),
                                      ("A machine line nobody approved.", "Uma linha.", False)])
    write_po(out / "pt" / "new.po", [
        ("North Korea fired two missiles into the sea on Monday, officials said.",
         "A Coreia do Norte disparou dois mísseis.", False),
        ("The talks on trade went badly, the minister said on Tuesday.",
         "As conversas correram mal.", False),
        ("The talks on trade went well, the minister said on Tuesday.", TALKS[1], True)])
    (out / "pt" / "memory.tmx").write_text(write_memory([MISSILE], "en", "pt"), "utf-8")
    return out


def test_a_segment_gets_matches_from_the_memory_file_and_from_reviewed_segments(out):
    memory = WorkspaceMemory(Workspace(out, glossary_paths=[]))
    [match] = memory.matches("pt/new.po", "1.1")
    assert (match["source"], match["target"], match["origin"]) == (*MISSILE, "memory")
    assert 75 <= match["score"] < 100
    assert ["delete", "two"] in match["diff"] and ["insert", "a"] in match["diff"]
    [first, *_] = memory.matches("pt/new.po", "2.1")
    assert first["target"] == TALKS[1] and first["origin"] in ("pt/old.po#1.1",
                                                               "pt/new.po#3.1")
    # the same pair twice (two articles) is one match; an unreviewed segment is none
    assert len(memory.matches("pt/new.po", "2.1")) == 1


def test_a_reviewed_segment_does_not_match_itself_and_machine_text_is_no_memory(out):
    memory = WorkspaceMemory(Workspace(out, glossary_paths=[]))
    [match] = memory.matches("pt/new.po", "3.1")
    assert match["origin"] == "pt/old.po#1.1" and match["score"] == 100
    assert memory.matches("pt/old.po", "2.1") == []
    assert memory.search("pt/old.po", "Uma linha")["hits"] == []


def test_an_approval_is_a_match_at_the_next_lookup(out):
    workspace = Workspace(out, glossary_paths=[], reviewer="Rui")
    memory = WorkspaceMemory(workspace)
    assert all(m["target"] != "As conversas correram mal." for m in
               memory.matches("pt/old.po", "1.1"))
    version = next(s for s in workspace.article("pt/new.po")["segments"]
                   if s["id"] == "2.1")["version"]
    assert workspace.save("pt/new.po", "2.1", version, "approve",
                          "As conversas correram mal.").status == "saved"
    assert any(m["target"] == "As conversas correram mal." and m["origin"] == "pt/new.po#2.1"
               for m in memory.matches("pt/old.po", "1.1"))


def test_concordance_searches_source_and_target_of_reviewed_pairs(out):
    memory = WorkspaceMemory(Workspace(out, glossary_paths=[]))
    found = memory.search("pt/new.po", "míssil")
    assert [hit["source"] for hit in found["hits"]] == [MISSILE[0]] and not found["more"]
    [span] = found["hits"][0]["target_spans"]
    assert MISSILE[1][span[0]:span[1]] == "míssil"
    found = memory.search("pt/new.po", "the minister said")
    assert [hit["target"] for hit in found["hits"]] == [TALKS[1]]  # two articles, one pair


def test_a_workspace_of_one_language_folder_finds_its_memory(out):
    memory = WorkspaceMemory(Workspace(out / "pt", glossary_paths=[]))
    assert memory.memory_files() == [out / "pt" / "memory.tmx"]
    single = WorkspaceMemory(Workspace(out / "pt" / "new.po", glossary_paths=[]))
    assert single.memory_files() == [out / "pt" / "memory.tmx"]
    assert single.matches("new.po", "1.1")[0]["origin"] == "memory"


def test_a_broken_memory_file_gives_no_units_and_no_error(out):
    (out / "pt" / "memory.tmx").write_text("<tmx><header", encoding="utf-8")
    memory = WorkspaceMemory(Workspace(out, glossary_paths=[]))
    assert memory.matches("pt/new.po", "1.1") == []
    assert memory.matches("pt/new.po", "2.1")  # the reviewed segments still count


def test_the_glossary_panel_lists_each_concept_with_every_form_and_its_grammar(project):
    workspace = Workspace(project / "out", engine_name="bergamot",
                          glossary_paths=[project / "terms.csv"])
    panel = ConceptPanel(workspace)
    source = next(s for s in workspace.article(PO)["segments"] if "Sergei Shoigu" in s["source"]
                  and "Pyongyang" in s["source"])
    concepts = panel.concepts(PO, source["id"])["concepts"]
    assert [c["name"] for c in concepts] == ["Sergei Shoigu", "Pyongyang"]
    shoigu = concepts[0]
    assert shoigu["note"] == "Russian defence minister" and shoigu["found"] == ["Sergei Shoigu"]
    assert shoigu["forms"] == [{"text": "Serguei Shoigu", "status": "preferred",
                                "grammar": "masculine, no article"}]
    assert concepts[1]["forms"][0]["grammar"] == "feminine, no article"
    title = next(s for s in workspace.article(PO)["segments"] if s["kind"] == "title")
    assert [c["name"] for c in panel.concepts(PO, title["id"])["concepts"]] == ["Pyongyang"]
    plain = next(s for s in workspace.article(PO)["segments"] if "talks" in s["source"])
    assert panel.concepts(PO, plain["id"]) == {"concepts": []}


def test_a_dateline_gets_no_match_from_another_day(out):
    from glossator.formats.po import POFormat
    from glossator.model import Document, Segment

    document = Document(name="dated", source_lang="en", target_lang="pt", article="dated.txt")
    document.segments = [
        Segment("1.1", "Monday, January 8, 2024", 1, kind="dateline",
                target="segunda-feira, 8 de janeiro de 2024", machine="x"),
        Segment("2.1", "Monday, January 15, 2024", 2, kind="body",
                target="segunda-feira, 15 de janeiro de 2024", fuzzy=False)]
    (out / "pt" / "dated.po").write_text(POFormat().render(document), encoding="utf-8")
    memory = WorkspaceMemory(Workspace(out, glossary_paths=[]))
    assert memory.matches("pt/dated.po", "1.1") == []


def test_warming_indexes_every_file_before_the_first_lookup(out, monkeypatch):
    memory = WorkspaceMemory(Workspace(out, glossary_paths=[]))
    memory.warm()

    def read_again(*_args):
        raise AssertionError("read again: warm() did not index it")

    monkeypatch.setattr(memory, "_read_memory", read_again)
    monkeypatch.setattr(memory, "_read_reviewed", read_again)
    assert memory.matches("pt/new.po", "1.1")[0]["origin"] == "memory"


def test_the_glossary_panel_gives_every_form_with_its_status(out, tmp_path):
    terms = tmp_path / "terms.csv"
    terms.write_text("en,pt,note\nSeoul,\"Seul {f, no article} | Seoul | Seúl {deprecated}\","
                     "capital of South Korea\n", encoding="utf-8")
    write_po(out / "pt" / "seoul.po", [("The minister arrived in Seoul.", "O ministro.", False)])
    panel = ConceptPanel(Workspace(out, glossary_paths=[terms]))
    [concept] = panel.concepts("pt/seoul.po", "1.1")["concepts"]
    assert concept["forms"] == [
        {"text": "Seul", "status": "preferred", "grammar": "feminine, no article"},
        {"text": "Seoul", "status": "admitted", "grammar": ""},
        {"text": "Seúl", "status": "deprecated", "grammar": ""}]
    terms.write_text("en,pt\nSeoul,\"Seul {x}\"\n", encoding="utf-8")
    broken = ConceptPanel(Workspace(out, glossary_paths=[terms]))
    assert broken.concepts("pt/seoul.po", "1.1")["concepts"] == []
    assert "terms.csv" in broken.concepts("pt/seoul.po", "1.1")["error"]


def test_a_parsed_po_is_kept_while_unchanged_and_read_again_after_a_save(out):
    workspace = Workspace(out, glossary_paths=[])
    memory = WorkspaceMemory(workspace)
    first = memory.document("pt/new.po")
    assert memory.document("pt/new.po") is first
    segment = first.segments[0]
    workspace.save("pt/new.po", segment.id, segment_version(segment), "edit", "Outro texto.")
    again = memory.document("pt/new.po")
    assert again is not first and again.segments[0].target == "Outro texto."
