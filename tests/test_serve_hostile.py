"""`glossator serve` against hostile and cross-origin clients (issue 17): no input gives a 5xx,
every error is one JSON line, browsers on another origin may call it, files and the spec hold
up. The app runs in-process on the bergamot en↔pt model; tests that need real sockets start a
server on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from glossator.server.api import create_app
from glossator.server.limits import Limits
from glossator.server.service import ServiceOptions, TranslationService


@pytest.fixture(scope="module")
def service() -> TranslationService:
    loaded = TranslationService(ServiceOptions(engine_name="bergamot", glossary_paths=()))
    loaded.load()
    return loaded


@pytest.fixture(scope="module")
def client(service: TranslationService) -> Iterator[TestClient]:
    app = create_app(service, limits=Limits(characters=2000, texts=8))
    with TestClient(app, raise_server_exceptions=False) as running:
        yield running


def _error(response: object, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"] and "\n" not in response.text
    return body["error"]


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("body", [
    '{"q": "\\ud800", "source": "en", "target": "pt"}',
    '{"q": ["ok", "a \\udfff b"], "source": "en", "target": "pt"}',
    '{"q": "Hi \\ud800 there", "source": "en", "target": "pt", "format": "html"}',
    '{"q": "Hi", "source": "\\ud800", "target": "pt"}',
    '{"q": "Hi", "source": "en", "target": "pt", "format": "\\ud800"}',
    '{"q": "Hi", "source": "en", "target": "pt", "alternatives": 1e400}',
    '{"q": "Hi", "source": "en", "target": "pt", "alternatives": Infinity}',
    '{"q": "Hi", "source": "en", "target": "pt", "alternatives": NaN}',
    '{"q": "Hi", "source": "en", "target": "pt", "alternatives": 1.5}',
    '{"q": "Hi", "source": "en", "target": "pt", "alternatives": true}',
    '{"q": "Hi", "source": "en", "target": "pt", "alternatives": [1]}',
    '{"q": "Hi", "source": "en", "target": "pt", "api_key": "\\ud800"}',
    "[" * 100_000 + "]" * 100_000,
])
def test_bad_input_is_a_json_400_never_a_500(client: TestClient, body: str) -> None:
    _error(client.post("/translate", content=body, headers=JSON), 400)


def test_a_lone_surrogate_to_detect_is_a_400(client: TestClient) -> None:
    _error(client.post("/detect", content='{"q": "\\ud800"}', headers=JSON), 400)


def test_post_languages_is_405_as_libretranslate(client: TestClient) -> None:
    assert client.get("/languages").status_code == 200
    _error(client.post("/languages"), 405)


@pytest.mark.parametrize("field", ["source", "target"])
def test_errors_name_the_code_the_client_sent(client: TestClient, field: str) -> None:
    request = {"q": "Hi", "source": "en", "target": "pt", field: "pt_BR"}
    assert _error(client.post("/translate", json=request), 400) == "pt_BR is not supported"


PREFLIGHT = {"Origin": "https://news.example", "Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type"}


def test_browsers_on_any_origin_may_call_it(client: TestClient) -> None:
    preflight = client.options("/translate", headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    origin = {"Origin": "https://news.example"}
    answer = client.post("/translate", json={"q": "Hi", "source": "en", "target": "pt"},
                         headers=origin)
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "*"
    refused = client.post("/translate", json={"q": "Hi", "source": "en", "target": "xx"},
                          headers=origin)
    assert refused.headers["access-control-allow-origin"] == "*"
    too_big = client.post("/translate", content=b"x" * 3_000_000, headers=origin)
    assert too_big.status_code == 413 and too_big.headers["access-control-allow-origin"] == "*"


def test_allowed_origins_can_be_narrowed(service: TranslationService) -> None:
    # Not entered: its lifespan would close the module's service on leaving.
    narrowed = TestClient(create_app(service, origins=("https://news.example",)))
    allowed = narrowed.options("/translate", headers=PREFLIGHT)
    assert allowed.headers["access-control-allow-origin"] == "https://news.example"
    other = narrowed.options("/translate", headers={**PREFLIGHT, "Origin": "https://x.test"})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    answer = narrowed.get("/languages", headers={"Origin": "https://x.test"})
    assert "access-control-allow-origin" not in answer.headers
