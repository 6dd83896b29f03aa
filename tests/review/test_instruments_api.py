"""The instruments' routes of the workspace app (server.review) through Starlette's TestClient:
answers as the library gives them, bad requests refused with a reason, writes guarded."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from glossator.formats.tmx import write_memory
from glossator.review.workspace import Workspace
from glossator.server.review import create_app
from helpers import write_po

TOKEN, CSRF, HOST = "test-token", "test-csrf", "127.0.0.1:8123"
MEMORY = ("The minister arrived in Seoul on Monday.", "O ministro chegou a Seul na segunda-feira.")


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    out = tmp_path / "out"
    write_po(out / "pt" / "a.po", [("The minister arrived in Seoul on Sunday.",
                                     "O ministro chegou a Seul no domingo.", False),
                                    ("He left.", "Ele partiu.", True)])
    (out / "pt" / "memory.tmx").write_text(write_memory([MEMORY], "en", "pt"), "utf-8")
    app = create_app(Workspace(out, glossary_paths=[]), token=TOKEN, csrf=CSRF, hosts={HOST})
    client = TestClient(app, base_url=f"http://{HOST}", follow_redirects=False)
    assert client.get(f"/?token={TOKEN}").status_code == 303
    return client


def post(client: TestClient, url: str, body: dict, csrf: str = CSRF):
    return client.post(url, json={"path": "pt/a.po", **body},
                       headers={"x-glossator-csrf": csrf})


def test_matches_and_concordance_answer_as_the_library(client):
    [match] = post(client, "/api/matches", {"id": "1.1"}).json()["matches"]
    assert (match["source"], match["target"], match["origin"]) == (*MEMORY, "memory")
    assert ["delete", "Sunday"] in match["diff"] and ["insert", "Monday"] in match["diff"]
    found = post(client, "/api/concordance", {"phrase": "segunda"}).json()
    assert [hit["target"] for hit in found["hits"]] == [MEMORY[1]]
    assert post(client, "/api/concepts", {"id": "1.1"}).json() == {"concepts": []}


def test_replace_preview_apply_undo_round_trip(client):
    request = {"find": "Seul", "replacement": "Seoul", "scope": "workspace"}
    preview = post(client, "/api/replace/preview", request).json()
    [change] = preview["changes"]
    applied = post(client, "/api/replace/apply", {**request, "changes": [
        {key: change[key] for key in ("path", "id", "version")}]}).json()
    assert applied["saved"][0]["segment"]["target"] == "O ministro chegou a Seoul no domingo."
    undone = post(client, "/api/replace/undo", {"batch": applied["batch"]}).json()
    assert undone["restored"][0]["segment"]["target"] == "O ministro chegou a Seul no domingo."
    again = post(client, "/api/replace/undo", {"batch": applied["batch"]})
    assert again.status_code == 400 and "no replacement" in again.json()["error"]


@pytest.mark.parametrize(("url", "body", "reason"), [
    ("/api/replace/preview", {"find": "a", "replacement": "b", "scope": "all"}, "scope"),
    ("/api/replace/preview", {"find": "a", "replacement": "b", "regex": "yes"}, "true or false"),
    ("/api/replace/preview", {"find": "(", "replacement": "b", "regex": True},
     "regular expression"),
    ("/api/replace/apply", {"find": "a", "replacement": "b", "changes": [{"id": "1.1"}]},
     "changes"),
    ("/api/replace/undo", {"batch": "1"}, "batch"),
    ("/api/matches", {"id": "9.9"}, "no segment"),
    ("/api/concordance", {"phrase": 3}, "phrase"),
])
def test_a_bad_request_is_refused_with_its_reason(client, url, body, reason):
    response = post(client, url, body)
    assert response.status_code == 400 and reason in response.json()["error"]


def test_every_instrument_needs_the_csrf_header_and_a_workspace_path(client):
    assert post(client, "/api/replace/preview", {"find": "Seul", "replacement": "x"},
                csrf="wrong").status_code == 403
    response = client.post("/api/matches", json={"path": "../a.po", "id": "1.1"},
                           headers={"x-glossator-csrf": CSRF})
    assert response.status_code == 404
