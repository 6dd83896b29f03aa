"""The review workspace: the library (save, conflicts, revert, terms) and its web app through
Starlette's TestClient (token, Host, CSRF, paths). The browser itself: test_review_web.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from starlette.testclient import TestClient

from glossator.errors import GlossaryError, UsageError
from glossator.formats.po import read_po
from glossator.glossary.edit import append_concept
from glossator.review.workspace import Workspace, segment_version
from glossator.server.review import create_app
from helpers import GLOSSARY, PO, project, translated

TOKEN = "test-token"
CSRF = "test-csrf"
HOST = "127.0.0.1:8123"
__all__ = ["project", "translated"]  # fixtures shared with test_review_web


@pytest.fixture
def workspace(project: Path) -> Workspace:
    return Workspace(project / "out", engine_name="bergamot", reviewer="Ana",
                     glossary_paths=[project / "terms.csv"])


def segment(workspace: Workspace, segment_id: str) -> dict:
    return next(s for s in workspace.article(PO)["segments"] if s["id"] == segment_id)


def entry(project: Path, segment_id: str) -> polib.POEntry:
    po = polib.pofile(str(project / "out" / PO))
    return next(e for e in po if e.msgctxt == segment_id)


# The library ---------------------------------------------------------------------------------


def test_lists_the_articles_with_their_progress(workspace: Workspace):
    [article] = workspace.articles()
    assert (article.path, article.language, article.reviewed) == (PO, "pt", 0)
    assert article.total == len(workspace.article(PO)["segments"]) == 6


def test_edit_then_approve_writes_the_po_and_keeps_the_machine_text(workspace, project):
    before = segment(workspace, "3.1")
    edited = workspace.save(PO, "3.1", before["version"], "edit",
                            "O ministro Serguei Shoigu chegou a Pyongyang no domingo.")
    assert edited.status == "saved" and edited.segment["state"] == "edited"
    approved = workspace.save(PO, "3.1", edited.segment["version"], "approve")
    assert approved.status == "saved"
    on_disk = entry(project, "3.1")
    assert on_disk.msgstr == "O ministro Serguei Shoigu chegou a Pyongyang no domingo."
    assert "fuzzy" not in on_disk.flags
    assert f"machine: {before['target']}" in on_disk.comment
    assert "reviewed: Ana, " in on_disk.comment
    # the other entries are untouched: still fuzzy, same text
    assert entry(project, "3.2").msgstr == segment(workspace, "3.2")["target"]
    assert "fuzzy" in entry(project, "3.2").flags


def test_saved_text_is_checked_again_at_once(workspace):
    before = segment(workspace, "3.1")
    result = workspace.save(PO, "3.1", before["version"], "edit", "O ministro chegou no domingo.")
    assert result.segment["flagged"]
    assert any("Serguei Shoigu" in note for note in result.segment["notes"])
    assert not any(mark[2] == "landed" and mark[3].startswith("Sergei")
                   for mark in result.segment["target_marks"])


def test_back_to_machine_text_restores_what_the_engine_wrote(workspace, project):
    before = segment(workspace, "4.1")
    edited = workspace.save(PO, "4.1", before["version"], "approve", "Texto meu.")
    reverted = workspace.save(PO, "4.1", edited.segment["version"], "revert")
    assert reverted.segment["target"] == before["target"]
    assert reverted.segment["state"] == "machine"
    assert "fuzzy" in entry(project, "4.1").flags


def test_a_segment_changed_on_both_sides_is_a_conflict_and_nothing_is_written(workspace,
                                                                              project):
    loaded = segment(workspace, "3.2")
    workspace.save(PO, "3.2", loaded["version"], "edit", "Mudado noutra aba.")
    result = workspace.save(PO, "3.2", loaded["version"], "approve", "Mudado aqui.")
    assert result.status == "conflict"
    assert result.mine == "Mudado aqui."
    assert result.segment["target"] == "Mudado noutra aba."
    assert entry(project, "3.2").msgstr == "Mudado noutra aba."


def test_a_change_to_another_segment_is_no_conflict(workspace, project):
    first, second = segment(workspace, "3.1"), segment(workspace, "3.2")
    workspace.save(PO, "3.1", first["version"], "edit", "Outra mão.")
    result = workspace.save(PO, "3.2", second["version"], "edit", "A minha mão.")
    assert result.status == "saved"
    assert [entry(project, sid).msgstr for sid in ("3.1", "3.2")] == ["Outra mão.",
                                                                    "A minha mão."]


def test_paths_outside_the_workspace_are_refused(workspace, project):
    (project / "out" / "link.po").symlink_to(project / "visit.txt")
    for bad in ("../visit.txt", "/etc/passwd", "pt/../../terms.csv", "link.po", "pt",
                "pt/visit.html", ".glossator.lock"):
        with pytest.raises(UsageError):
            workspace.resolve(bad)


def test_adding_a_term_appends_a_linted_row_and_a_clash_is_not_written(workspace, project):
    glossary = project / "terms.csv"
    before = glossary.read_text(encoding="utf-8")
    clash = workspace.add_term(PO, "Pyongyang", "Pionguiangue", "terms.csv")
    assert clash.status == "clash" and "Pyongyang" in clash.message
    assert glossary.read_text(encoding="utf-8") == before
    added = workspace.add_term(PO, "North Korea", "Coreia do Norte", "terms.csv",
                               note="the country")
    assert added.status == "added"
    assert glossary.read_text(encoding="utf-8") == (
        before + "North Korea,Coreia do Norte,the country,\n")
    assert added.candidates == ["4.1", "4.2"]


def test_a_new_term_is_offered_for_re_pinning_in_the_other_articles_of_the_pair(
        workspace, project):
    out = project / "out"
    (out / "pt" / "2024").mkdir()
    shutil.copy(out / PO, out / "pt" / "2024" / "again.po")
    french = polib.pofile(str(out / PO))
    french.metadata["Language"] = "fr"
    french.save(str(out / "pt" / "french.po"))
    workspace.save("pt/2024/again.po", "4.1",
                   segment_version_of(workspace, "pt/2024/again.po", "4.1"), "approve", None)
    added = workspace.add_term(PO, "North Korea", "Coreia do Norte", "terms.csv")
    assert added.candidates == ["4.1", "4.2"]
    assert added.elsewhere == {"pt/2024/again.po": ["4.2"]}  # 4.1 reviewed there; fr left out
    [saved] = workspace.repin("pt/2024/again.po", added.elsewhere["pt/2024/again.po"])
    assert "Coreia do Norte" in saved["target"]
    again = {e.msgctxt: e for e in polib.pofile(str(out / "pt" / "2024" / "again.po"))}
    assert "pin: North Korea → Coreia do Norte" in again["4.2"].comment
    assert "pin: North Korea" not in again["4.1"].comment


def segment_version_of(workspace: Workspace, path: str, segment_id: str) -> str:
    return next(s for s in workspace.article(path)["segments"]
                if s["id"] == segment_id)["version"]


def test_append_concept_refuses_what_would_not_lint(tmp_path: Path):
    glossary = tmp_path / "g.csv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    with pytest.raises(GlossaryError, match="no de column"):
        append_concept(glossary, "Moscow", "de", "Moskau")
    with pytest.raises(GlossaryError, match="separates variants"):
        append_concept(glossary, "A | B", "pt", "C")
    with pytest.raises(GlossaryError, match="would not load"):
        append_concept(glossary, "Sergei Shoigu", "pt", "Outro")  # a duplicate term
    assert glossary.read_text(encoding="utf-8") == GLOSSARY
    assert append_concept(glossary, "=cmd", "pt", "=cmd") == 4
    assert glossary.read_text(encoding="utf-8").endswith("'=cmd,'=cmd,,\n")


def test_repin_translates_machine_segments_again_and_leaves_edited_ones(workspace, project):
    workspace.add_term(PO, "North Korea", "Coreia do Norte", "terms.csv")
    edited = workspace.save(PO, "4.2", segment(workspace, "4.2")["version"], "edit",
                            "O ministro elogiou os laços.")
    saved = workspace.repin(PO, ["4.1", "4.2"])
    assert [s["id"] for s in saved] == ["4.1"]
    assert "Coreia do Norte" in entry(project, "4.1").msgstr
    assert "pin: North Korea → Coreia do Norte" in entry(project, "4.1").comment
    assert entry(project, "4.2").msgstr == edited.segment["target"]


def test_translate_again_and_alternatives_use_the_engine_and_write_nothing(workspace, project):
    text = (project / "out" / PO).read_text(encoding="utf-8")
    again = workspace.translate_again(PO, "3.1")
    assert "Serguei Shoigu" in again["text"] and again["missing"] == []
    assert workspace.alternatives(PO, "3.1")
    assert (project / "out" / PO).read_text(encoding="utf-8") == text


# The web app ---------------------------------------------------------------------------------


@pytest.fixture
def client(workspace: Workspace) -> TestClient:
    app = create_app(workspace, token=TOKEN, csrf=CSRF, hosts={HOST})
    return TestClient(app, base_url=f"http://{HOST}", follow_redirects=False)


def login(client: TestClient) -> None:
    response = client.get(f"/?token={TOKEN}")
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=strict" in response.headers["set-cookie"].lower()


def test_every_request_needs_the_token(client: TestClient):
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get(f"/api/article?path={PO}").status_code == 403
    login(client)
    home = client.get("/")
    assert home.status_code == 200 and PO in home.text
    assert home.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src 'self'" in home.headers["content-security-policy"]


def test_a_foreign_host_header_is_refused(client: TestClient):
    login(client)
    response = client.get("/", headers={"host": "evil.example:8123"})
    assert response.status_code == 403


def test_writes_need_the_csrf_header_and_a_matching_origin(client, workspace):
    login(client)
    version = segment(workspace, "3.1")["version"]
    body = {"path": PO, "id": "3.1", "base": version, "action": "approve"}
    assert client.post("/api/save", json=body).status_code == 403
    assert client.post("/api/save", json=body, headers={"x-glossator-csrf": CSRF,
                                                        "origin": "http://evil.example"}
                       ).status_code == 403
    ok = client.post("/api/save", json=body, headers={"x-glossator-csrf": CSRF,
                                                      "origin": f"http://{HOST}"})
    assert ok.status_code == 200 and ok.json()["segment"]["state"] == "reviewed"
    again = client.post("/api/save", json={**body, "action": "edit", "text": "x"},
                        headers={"x-glossator-csrf": CSRF})
    assert again.status_code == 409 and again.json()["status"] == "conflict"


def test_the_api_refuses_paths_outside_and_bad_bodies(client: TestClient):
    login(client)
    assert client.get("/api/article?path=../visit.txt").status_code == 404
    assert client.get("/article?path=/etc/passwd").status_code == 404
    headers = {"x-glossator-csrf": CSRF}
    assert client.post("/api/save", content=b"[]", headers={
        **headers, "content-type": "application/json"}).status_code == 400
    assert client.post("/api/save", json={"path": PO}, headers=headers).status_code == 400


def test_article_text_is_data_and_pages_escape_it(client, project):
    po = project / "out" / PO
    document = read_po(po)
    document.segments[1].target = '<img src=x onerror="alert(1)">'
    from glossator.formats.po import POFormat

    po.write_text(POFormat().render(document), encoding="utf-8")
    (project / "out" / "pt" / "<b>odd<i>.po").write_text(POFormat().render(document),
                                                           encoding="utf-8")
    login(client)
    data = client.get(f"/api/article?path={PO}").json()
    assert data["segments"][1]["target"] == '<img src=x onerror="alert(1)">'
    home = client.get("/").text
    assert "<b>odd" not in home and "&lt;b&gt;odd&lt;i&gt;.po" in home


def test_segment_version_follows_target_and_fuzzy(workspace):
    document = workspace.load(PO)
    first = document.segments[0]
    version = segment_version(first)
    first.fuzzy = not first.fuzzy
    assert segment_version(first) != version


def test_alternatives_are_the_n_best_of_the_engine_the_po_names(tmp_path: Path, argos_dir):
    from glossator.formats.po import POFormat
    from glossator.model import Document, Segment

    document = Document(name="a", source_lang="en", target_lang="de",
                        signature="glossator 0 | engine argos:translate-en_de | glossary none")
    document.segments = [Segment(id="1.1", source="The minister arrived on Sunday.",
                                 paragraph=1, target="Der Minister kam.")]
    (tmp_path / "out" / "de").mkdir(parents=True)
    (tmp_path / "out" / "de" / "a.po").write_text(POFormat().render(document), encoding="utf-8")
    workspace = Workspace(tmp_path / "out", engine_name="bergamot", glossary_paths=[])
    found = workspace.alternatives("de/a.po", "1.1")
    assert 1 < len(found) <= 4 and len(set(found)) == len(found)
    assert list(workspace._engines) == ["argos en de"]  # the signature's engine, not --engine


KILLED_SAVER = """
import sys
from glossator.review.workspace import Workspace

workspace = Workspace(sys.argv[1], glossary_paths=[])
round = 0
while True:
    round += 1
    for segment in workspace.article("pt/visit.po")["segments"]:
        workspace.save("pt/visit.po", segment["id"], segment["version"], "edit",
                       f"round {round} " + "texto " * 50)
        print(round, flush=True)
"""


@pytest.mark.slow
def test_a_server_killed_mid_save_leaves_a_whole_po(project: Path):
    import subprocess
    import sys

    from glossator.io.files import remove_stale_temporaries

    saver = subprocess.Popen([sys.executable, "-c", KILLED_SAVER, str(project / "out")],
                             stdout=subprocess.PIPE, text=True)
    for _ in range(8):  # let it write a few times, then kill it without warning
        saver.stdout.readline()
    saver.kill()
    saver.wait()
    document = read_po(project / "out" / PO)  # parses: the old file or the new one
    assert len(document.segments) == 6
    rounds = {segment.target.split()[1] for segment in document.segments
              if segment.target.startswith("round ")}
    assert rounds and all(segment.target.endswith("texto") or not segment.target.startswith(
        "round ") for segment in document.segments)
    remove_stale_temporaries(project / "out" / "pt")
    assert sorted(p.name for p in (project / "out" / "pt").iterdir()) == [
        "visit.html", "visit.po", "visit.po.history.json", "visit.txt"]


def test_one_po_file_is_a_workspace_of_its_own(project: Path):
    workspace = Workspace(project / "out" / PO, glossary_paths=[])
    [article] = workspace.articles()
    assert article.path == "visit.po"
    assert workspace.resolve("visit.po") == (project / "out" / PO).resolve()
    with pytest.raises(UsageError):
        workspace.resolve("other.po")
    with pytest.raises(UsageError, match="not a PO file or a folder"):
        Workspace(project / "visit.txt")


def test_the_token_redirect_never_leaves_the_server(client: TestClient):
    response = client.get(f"http://{HOST}//evil.example/?token={TOKEN}")
    assert response.status_code == 303
    assert response.headers["location"] == "/evil.example/"


# Reviewed work is sacred (issue 15) ------------------------------------------------------------


def msgfmt_accepts(po_path: Path) -> bool:
    import os
    import subprocess

    return subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)]).returncode == 0


def test_a_line_break_typed_by_the_reviewer_is_kept(workspace, project):
    before = segment(workspace, "3.1")
    typed = "O ministro chegou.\nReuniu-se com autoridades."
    result = workspace.save(PO, "3.1", before["version"], "edit", typed)
    assert result.segment["target"] == entry(project, "3.1").msgstr == typed
    assert segment(workspace, "3.1")["target"] == typed
    assert (result.status, result.notice) == ("saved", "")
    assert msgfmt_accepts(project / "out" / PO)


def test_line_breaks_at_the_ends_are_trimmed_and_the_reviewer_is_told(workspace, project):
    before = segment(workspace, "3.2")
    result = workspace.save(PO, "3.2", before["version"], "approve",
                            "\n  Ele reuniu-se.\r\nEm Pyongyang. \n")
    assert result.status == "saved"
    assert entry(project, "3.2").msgstr == "Ele reuniu-se.\nEm Pyongyang."
    assert "start or end" in result.notice
    assert msgfmt_accepts(project / "out" / PO)


def test_an_approval_that_conflicts_never_offers_the_disk_text_as_the_reviewers(workspace,
                                                                               project):
    seen = segment(workspace, "4.1")
    workspace.save(PO, "4.1", seen["version"], "edit", "Texto de outra pessoa.")
    without_text = workspace.save(PO, "4.1", seen["version"], "approve")
    assert without_text.status == "conflict"
    assert without_text.mine == ""  # not known here: never the text on disk
    with_text = workspace.save(PO, "4.1", seen["version"], "approve", seen["target"])
    assert (with_text.status, with_text.mine) == ("conflict", seen["target"])
    assert entry(project, "4.1").msgstr == "Texto de outra pessoa."
    # approved on disk by someone else meanwhile: still not "unchanged" for a blind approval
    approved = workspace.save(PO, "4.1", segment(workspace, "4.1")["version"], "approve")
    assert approved.segment["state"] == "reviewed"
    assert workspace.save(PO, "4.1", seen["version"], "approve").status == "conflict"


def test_a_linked_po_is_written_through_its_link_and_listed_once(workspace, project):
    link = project / "out" / "pt" / "alias.po"
    link.symlink_to("visit.po")
    assert [article.path for article in workspace.articles()] == [PO]
    version = next(s for s in workspace.article("pt/alias.po")["segments"]
                   if s["id"] == "3.1")["version"]
    result = workspace.save("pt/alias.po", "3.1", version, "edit", "Pela ligação.")
    assert result.status == "saved"
    assert link.is_symlink() and link.resolve() == (project / "out" / PO).resolve()
    assert entry(project, "3.1").msgstr == "Pela ligação."


def test_a_link_to_a_po_outside_the_workspace_stays_refused(workspace, project):
    shutil.copy(project / "out" / PO, project / "elsewhere.po")
    (project / "out" / "pt" / "outside.po").symlink_to(project / "elsewhere.po")
    (project / "out" / "pt" / "page.po").symlink_to("visit.html")  # inside, but not a PO
    (project / "out" / "pt" / "loop.po").symlink_to("loop.po")
    for bad in ("pt/outside.po", "pt/page.po", "pt/loop.po"):
        with pytest.raises(UsageError):
            workspace.resolve(bad)
    assert [article.path for article in workspace.articles()] == [PO]


def test_an_added_term_is_one_the_loader_reads_back(tmp_path: Path):
    from glossator.glossary.loader import load_glossary

    glossary = tmp_path / "g.csv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    kept = [("Smith, John", 'John "JJ" Smith'), ('The "Guardian"', "O Guardian"),
            ("'t Hooft", "#'t Hooft"), ("'=x", "-y"), ("US  Senate", "Senado, EUA")]
    for term, rendering in kept:
        append_concept(glossary, term, "pt", rendering)
    loaded = {concept.name: concept.rendering("pt")[0]
              for concept in load_glossary([glossary], "en").concepts}
    assert all(loaded[term] == rendering for term, rendering in kept)
    written = glossary.read_text(encoding="utf-8")
    for term in ("#MeToo", " #MeToo", "North Korea ", " North Korea", "\tNorth Korea"):
        with pytest.raises(GlossaryError):
            append_concept(glossary, term, "pt", "Coreia do Norte")
    with pytest.raises(GlossaryError, match="start or end"):
        append_concept(glossary, "North Korea", "pt", "Coreia do Norte ")
    assert glossary.read_text(encoding="utf-8") == written


def test_a_term_in_another_glossary_file_is_refused_not_added(workspace, project):
    glossaries = project / "glossaries"
    glossaries.mkdir()
    (glossaries / "a.csv").write_text(GLOSSARY, encoding="utf-8")
    (glossaries / "b.csv").write_text("en,pt\n", encoding="utf-8")
    workspace = Workspace(project / "out", engine_name="bergamot", glossary_paths=[glossaries])
    with pytest.raises(GlossaryError, match="would not load"):
        workspace.add_term(PO, "Sergei Shoigu", "Serguei Shoigu", "b.csv")
    assert (glossaries / "b.csv").read_text(encoding="utf-8") == "en,pt\n"


def test_deeply_nested_json_is_a_one_line_400(client: TestClient):
    login(client)
    response = client.post("/api/save", content=b"[" * 100_000, headers={
        "x-glossator-csrf": CSRF, "content-type": "application/json"})
    assert response.status_code == 400
    assert "\n" not in response.json()["error"]


# Comments, history, stale outputs, asking before approving (issue 19) -----------------------


def test_a_comment_is_a_po_translator_comment_and_a_change_on_disk_is_a_conflict(workspace,
                                                                                project):
    result = workspace.comment(PO, "4.1", "", "Confirmar\r\ncom a agência.  ")
    assert result.status == "saved" and result.segment["comment"] == "Confirmar\ncom a agência."
    assert entry(project, "4.1").tcomment == "Confirmar\ncom a agência."
    assert entry(project, "4.1").fuzzy  # a comment approves nothing
    stale = workspace.comment(PO, "4.1", "", "Outro comentário.")
    assert stale.status == "conflict" and stale.mine == "Outro comentário."
    assert entry(project, "4.1").tcomment == "Confirmar\ncom a agência."
    loaded = segment(workspace, "4.1")
    workspace.save(PO, "4.1", loaded["version"], "approve", loaded["target"])
    assert entry(project, "4.1").tcomment == "Confirmar\ncom a agência."  # kept by a save
    assert [r["action"] for r in workspace.history(PO, "4.1")] == ["comment", "approve"]


def test_approving_with_findings_asks_when_asked_to_and_writes_nothing(workspace, project):
    loaded = segment(workspace, "3.2")
    text = "Ele conheceu officials em Pyongyang."
    asked = workspace.save(PO, "3.2", loaded["version"], "approve", text, ask=True)
    assert asked.status == "ask" and asked.mine == text
    assert any("officials" in finding for finding in asked.segment["qa"])
    assert [tuple(mark) for mark in asked.segment["qa_marks"]] == [
        (13, 22, "qa", asked.segment["qa"][0])]  # "officials", in the text
    assert entry(project, "3.2").fuzzy and entry(project, "3.2").msgstr == loaded["target"]
    assert workspace.history(PO, "3.2") == []
    clean = workspace.save(PO, "3.2", loaded["version"], "approve", loaded["target"], ask=True)
    assert clean.status == "saved" and not entry(project, "3.2").fuzzy


def test_outputs_are_stale_after_a_save_and_rebuilt_as_build_and_the_run_make_them(
        workspace, project):
    import os
    import time

    folder = project / "out" / "pt"
    run_html = (folder / "visit.html").read_text("utf-8")
    run_text = (folder / "visit.txt").read_text("utf-8")
    workspace.rebuild(PO)  # nothing changed: the run's outputs but for its counts of the run
    assert (folder / "visit.txt").read_text("utf-8") == run_text
    assert (folder / "visit.html").read_text("utf-8") == "".join(
        line for line in run_html.splitlines(keepends=True)
        if not line.startswith('<ul class="notes"><li>terms pt:'))
    an_hour_ago = time.time() - 3600
    for name in ("visit.html", "visit.txt", "visit.po"):
        os.utime(folder / name, (an_hour_ago, an_hour_ago))
    assert workspace.outputs(PO) == [{"name": "visit.html", "stale": False},
                                     {"name": "visit.txt", "stale": False}]
    version = workspace.file_version(PO)
    loaded = segment(workspace, "3.1")
    workspace.save(PO, "3.1", loaded["version"], "edit", "O ministro chegou.")
    assert workspace.file_version(PO) != version
    assert all(output["stale"] for output in workspace.outputs(PO))
    assert workspace.rebuild(PO) == ["visit.html", "visit.txt"]
    assert not any(output["stale"] for output in workspace.outputs(PO))
    text = (folder / "visit.txt").read_text("utf-8")
    assert "O ministro chegou." in text and text.startswith("Pyongyang, 23 de junho (AP)\n")
    html = (folder / "visit.html").read_text("utf-8")
    assert "O ministro chegou." in html and "O ministro chegou." not in run_html
    assert html.count('class="pin missed"') == 2  # the edit dropped 3.1's two pins


def test_rebuilding_adds_the_articles_reviewed_text_to_the_runs_memory(workspace, project):
    from glossator.formats.tmx import read_memory, write_memory

    memory = project / "out" / "pt" / "memory.tmx"
    memory.write_text(write_memory([("Old sentence.", "Frase antiga.")], "en", "pt"), "utf-8")
    loaded = segment(workspace, "3.2")
    workspace.save(PO, "3.2", loaded["version"], "approve", "Ele reuniu-se com autoridades.")
    assert workspace.rebuild(PO) == ["visit.html", "visit.txt", "memory.tmx"]
    pairs = read_memory(memory, "en", "pt")
    assert pairs["Old sentence."] == "Frase antiga."  # what was there stays
    assert pairs[loaded["source"]] == "Ele reuniu-se com autoridades."
    before = memory.read_bytes()
    assert workspace.rebuild(PO) == ["visit.html", "visit.txt"]  # nothing new: not rewritten
    assert memory.read_bytes() == before


def test_the_engine_says_why_it_has_no_alternatives(workspace):
    assert "bergamot gives one translation" in workspace.article(PO)["one_translation"]


def test_the_routes_for_comments_history_version_and_outputs(client, workspace, project):
    assert client.get(f"/api/version?path={PO}").status_code == 403  # the token first
    login(client)
    headers = {"x-glossator-csrf": CSRF}
    version = client.get(f"/api/version?path={PO}").json()["file_version"]
    body = {"path": PO, "id": "4.1", "base": "", "text": "Ver a fonte."}
    assert client.post("/api/comment", json=body).status_code == 403  # no CSRF header
    saved = client.post("/api/comment", json=body, headers=headers)
    assert saved.status_code == 200 and saved.json()["segment"]["comment"] == "Ver a fonte."
    assert client.post("/api/comment", json=body, headers=headers).json()["status"] == (
        "unchanged")
    clash = client.post("/api/comment", json={**body, "text": "Outro."}, headers=headers)
    assert clash.status_code == 409 and clash.json()["segment"]["comment"] == "Ver a fonte."
    assert client.get(f"/api/version?path={PO}").json()["file_version"] != version
    [record] = client.get(f"/api/history?path={PO}&id=4.1").json()["history"]
    assert (record["who"], record["action"], record["comment"]) == ("Ana", "comment",
                                                                    "Ver a fonte.")
    assert client.get(f"/api/outputs?path={PO}").json()["outputs"][0]["name"] == "visit.html"
    rebuilt = client.post("/api/rebuild", json={"path": PO}, headers=headers)
    assert rebuilt.json() == {"written": ["visit.html", "visit.txt"]}
    loaded = segment(workspace, "3.2")
    asked = client.post("/api/save", headers=headers, json={
        "path": PO, "id": "3.2", "base": loaded["version"], "action": "approve",
        "text": "Ele conheceu officials em Pyongyang.", "ask": True})
    assert asked.status_code == 200 and asked.json()["status"] == "ask"
    for url in ("/api/history?path=../visit.txt&id=1.1", "/api/version?path=/etc/passwd",
                "/api/outputs?path=pt/../../terms.csv"):
        assert client.get(url).status_code == 404, url
    assert client.post("/api/rebuild", json={"path": "../x.po"}, headers=headers
                       ).status_code == 404
