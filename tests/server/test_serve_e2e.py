"""`glossator serve` end to end: a real server on a free loopback port, driven by the PyPI
`libretranslatepy` client (form bodies) and by httpx, with the bergamot en↔pt model and a tiny
random Argos en→de model; and stopped by SIGTERM. The routes themselves: test_api.py."""

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

from glossator.server.limits import hash_key

pytestmark = pytest.mark.slow
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
    # A grace long enough for the decode on a loaded machine: the test is that it finishes.
    running = Server(["--engine", "bergamot", "--no-glossary", "--char-limit", "0",
                      "--grace", "300"], env, root)
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
