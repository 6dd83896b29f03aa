"""`glossator serve` end to end: a real server on a free loopback port, driven by the PyPI
`libretranslatepy` client (form bodies) and by httpx (JSON, multipart), with the bergamot
en↔pt model and a tiny random Argos en→de model (for n-best alternatives)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from libretranslatepy import LibreTranslateAPI
from lxml import html

from glossator.server.limits import hash_key

# Bergamot renders Pyongyang as "Pyongyang"; the pin can only come from the glossary.
GLOSSARY = "en,pt,de\nPyongyang,Piongiangue,Pjöngjang\nSergei Shoigu,Serguei Choigu,\n"


class Server:
    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "glossator", "serve", "--port", "0", "-q", *args],
            cwd=cwd, env={**os.environ, **env}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()  # the URL, once it accepts connections
        if not line.startswith("http://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.process.stderr.read()}")
        self.url = line

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(30)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, tiny_en_de_archive: Path
          ) -> tuple[dict[str, str], Path]:
    from glossator.engines.argos_packages import install_package_file

    root = tmp_path_factory.mktemp("serve")
    install_package_file(tiny_en_de_archive, root / "argos")
    (root / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    (root / "keys").write_text(f"{hash_key('k1')} 3\n{hash_key('k2')} 0 60\n",
                               encoding="utf-8")
    return {"ARGOS_PACKAGES_DIR": str(root / "argos")}, root


@pytest.fixture(scope="module")
def server(setup: tuple[dict[str, str], Path]) -> Iterator[Server]:
    env, root = setup
    running = Server(["--glossary", str(root / "glossary.csv"), "--char-limit", "3000",
                      "--batch-limit", "4", "--body-limit", "20000"], env, root)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def keyed(setup: tuple[dict[str, str], Path]) -> Iterator[Server]:
    env, root = setup
    running = Server(["--engine", "bergamot", "--no-glossary", "--api-keys",
                      str(root / "keys")], env, root)
    yield running
    running.stop()


def test_libretranslatepy_gets_pinned_terms(server: Server) -> None:
    client = LibreTranslateAPI(server.url)
    out = client.translate("The delegation arrived in Pyongyang on Tuesday.", "en", "pt")
    assert "Piongiangue" in out and "Pyongyang" not in out
    assert {"code": "en", "name": "English", "targets": ["de", "pt"]} in client.languages()
    assert client.detect("O ministro chegou ontem à capital.")[0]["language"] == "pt"


def test_json_list_reports_pins_per_text(server: Server) -> None:
    reply = httpx.post(f"{server.url}/translate", json={
        "q": ["Sergei Shoigu flew to Pyongyang.", "It rained.\n\nThen it stopped."],
        "source": "en", "target": "pt"}, timeout=60)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    first, second = body["translatedText"]
    assert "Serguei Choigu" in first and "Piongiangue" in first
    assert second.count("\n\n") == 1
    assert body["glossary"] == [{"found": 2, "landed": 2, "missed": []},
                                {"found": 0, "landed": 0, "missed": []}]
    assert "detectedLanguage" not in body


def test_auto_source_reports_the_detected_language(server: Server) -> None:
    reply = httpx.post(f"{server.url}/translate", json={
        "q": "O presidente chegou a Piongiangue ontem.", "source": "auto", "target": "en"},
        timeout=60)
    body = reply.json()
    assert reply.status_code == 200, body
    assert body["detectedLanguage"]["language"] == "pt"
    assert 0 < body["detectedLanguage"]["confidence"] <= 100
    assert "Pyongyang" in body["translatedText"]


def test_html_round_trip_keeps_markup_and_runs_nothing(server: Server) -> None:
    source = ('<p class="lead" onmouseover="x()">The minister arrived in '
              '<a href="javascript:alert(1)">Pyongyang</a> today.</p>'
              '<script>alert(2)</script><p>He met the leader.</p>')
    reply = httpx.post(f"{server.url}/translate", data={
        "q": source, "source": "en", "target": "pt", "format": "html"}, timeout=60)
    assert reply.status_code == 200, reply.text
    out = reply.json()["translatedText"]
    tree = html.fragment_fromstring(out, create_parent="div")
    assert [p.get("class") for p in tree.findall("p")] == ["lead", None]
    assert tree.find("p/a").text == "Piongiangue" and tree.find("p/a").get("href") is None
    assert tree.xpath("//script") == [] and "onmouseover" not in out and "alert" not in out


def test_alternatives_come_from_the_argos_n_best(server: Server) -> None:
    reply = httpx.post(f"{server.url}/translate", json={
        "q": ["The delegation left.", "Pyongyang sent a delegation."], "source": "en",
        "target": "de", "alternatives": 3}, timeout=60)
    body = reply.json()
    assert reply.status_code == 200, body
    plain, pinned = body["alternatives"]
    assert 1 <= len(plain) <= 3 and body["translatedText"][0] not in plain
    # the random model cannot place the pin in its other hypotheses: those are left out
    assert "Pjöngjang" in body["translatedText"][1]
    assert all("Pjöngjang" in text for text in pinned)


def test_txt_and_po_files_translate_and_download(server: Server) -> None:
    reply = httpx.post(f"{server.url}/translate_file",
                       data={"source": "en", "target": "pt"},
                       files={"file": ("news.txt", b"Pyongyang woke up.\n\nIt was cold.\n")},
                       timeout=60)
    assert reply.status_code == 200, reply.text
    url = reply.json()["translatedFileUrl"]
    download = httpx.get(url)
    assert download.status_code == 200
    assert "Piongiangue" in download.text and download.text.count("\n\n") == 1
    assert 'filename="news.pt.txt"' in download.headers["content-disposition"]

    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Pyongyang woke up."\nmsgstr ""\n\n'
          'msgid "Reviewed."\nmsgstr "Revisto por uma pessoa."\n')
    reply = httpx.post(f"{server.url}/translate_file", data={"source": "en", "target": "pt"},
                       files={"file": ("site.po", po.encode())}, timeout=60)
    assert reply.status_code == 200, reply.text
    text = httpx.get(reply.json()["translatedFileUrl"]).text
    assert '#, fuzzy\nmsgid "Pyongyang woke up."\nmsgstr "Piongiangue' in text
    assert 'msgid "Reviewed."\nmsgstr "Revisto por uma pessoa."' in text


def test_service_routes(server: Server) -> None:
    assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}
    settings = httpx.get(f"{server.url}/frontend/settings").json()
    assert settings["charLimit"] == 3000 and settings["keyRequired"] is False
    spec = httpx.get(f"{server.url}/spec").json()
    assert "/translate" in spec["paths"] and "/translate_file" in spec["paths"]


@pytest.mark.parametrize(("request_args", "status", "message"), [
    ({"json": {"source": "en", "target": "pt"}}, 400, "missing q"),
    ({"json": {"q": "", "source": "en", "target": "pt"}}, 400, "missing q"),
    ({"data": {"q": "Hi", "source": "en"}}, 400, "missing target"),
    ({"json": {"q": "Hi", "source": "en", "target": "pt", "alternatives": 9}}, 400,
     "alternatives"),
    ({"json": {"q": "Hi", "source": "en", "target": "xx"}}, 400, "xx is not supported"),
    ({"json": {"q": "Hi", "source": "de", "target": "pt"}}, 400, "de is not supported"),
    ({"json": {"q": "Hi", "source": "en", "target": "pt", "format": "md"}}, 400, "format"),
    ({"json": {"q": "x" * 3001, "source": "en", "target": "pt"}}, 400, "character limit"),
    ({"json": {"q": ["a"] * 5, "source": "en", "target": "pt"}}, 400, "text limit"),
    ({"json": {"q": 5, "source": "en", "target": "pt"}}, 400, "q must be"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "JSON"),
    ({"json": {"q": "x" * 25000, "source": "en", "target": "pt"}}, 413, "too large"),
])
def test_errors_have_libretranslate_shape(server: Server, request_args: dict,
                                          status: int, message: str) -> None:
    reply = httpx.post(f"{server.url}/translate", timeout=60, **request_args)
    assert reply.status_code == status
    assert set(reply.json()) == {"error"} and message in reply.json()["error"]


def test_unknown_routes_and_files_are_404(server: Server) -> None:
    for path in ("/nothing", "/download_file/0123456789abcdef0123456789abcdef",
                 "/download_file/..%2f..%2fetc%2fpasswd"):
        reply = httpx.get(f"{server.url}{path}")
        assert reply.status_code == 404 and "error" in reply.json()
    reply = httpx.post(f"{server.url}/translate_file", data={"source": "en", "target": "pt"},
                       files={"file": ("x.docx", b"PK")})
    assert reply.status_code == 400 and "unsupported file type" in reply.json()["error"]


def test_keys_are_required_and_rate_limited(keyed: Server) -> None:
    def ask(key: str | None, text: str = "Hello.") -> httpx.Response:
        fields = {"q": text, "source": "en", "target": "pt"}
        return httpx.post(f"{keyed.url}/translate", data=
                          {**fields, "api_key": key} if key else fields, timeout=60)

    assert ask(None).status_code == 403 and ask("wrong").json() == {"error": "Invalid API key"}
    assert [ask("k1").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "requests per minute" in ask("k1").json()["error"]
    assert ask("k2", "x" * 50).status_code == 200
    limited = ask("k2", "x" * 20)
    assert limited.status_code == 429 and "characters per minute" in limited.json()["error"]
    out = LibreTranslateAPI(keyed.url, api_key="k2").languages()
    assert out[0]["code"] == "en"
    assert httpx.get(f"{keyed.url}/frontend/settings").json()["keyRequired"] is True


def test_sigterm_lets_the_request_in_flight_finish(setup: tuple[dict[str, str], Path]
                                                   ) -> None:
    env, root = setup
    running = Server(["--engine", "bergamot", "--no-glossary", "--char-limit", "0"], env, root)
    # Enough work (several seconds on two cores) that the signal lands mid-decode.
    text = " ".join(f"The {n}th delegation arrived in the capital on a cold morning."
                    for n in range(800))
    replies: list[httpx.Response] = []
    sender = threading.Thread(target=lambda: replies.append(httpx.post(
        f"{running.url}/translate", json={"q": text, "source": "en", "target": "pt"},
        timeout=120)))
    sender.start()
    threading.Event().wait(0.5)  # the request is being decoded
    assert running.process.poll() is None and not replies  # still decoding
    # uvicorn stops gracefully, then re-raises the signal: the exit reads "killed by SIGTERM"
    assert running.stop() in (0, -signal.SIGTERM)
    sender.join(120)
    assert replies and replies[0].status_code == 200
    assert json.loads(replies[0].text)["translatedText"].count("delegação") >= 750
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{running.url}/health")
