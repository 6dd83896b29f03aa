"""The LibreTranslate API of `glossator serve` through Starlette's TestClient, in this process:
routes, JSON, form and multipart bodies, files, errors, with the bergamot en↔pt model and a tiny
random Argos en→de model (for n-best alternatives). A real server and clients: test_serve_e2e.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html
from starlette.testclient import TestClient

from glossator.server.api import create_app
from glossator.server.limits import Limits
from glossator.server.service import ServiceOptions, TranslationService

# Bergamot renders Pyongyang as "Pyongyang"; the pin can only come from the glossary.
GLOSSARY = "en,pt,de\nPyongyang,Piongiangue,Pjöngjang\nSergei Shoigu,Serguei Choigu,\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, tiny_en_de_archive: Path
           ) -> Iterator[TestClient]:
    """The app `glossator serve --glossary glossary.csv --char-limit 3000 --batch-limit 4
    --body-limit 20000` serves, with the tiny Argos package installed."""
    from glossator.engines.argos_packages import install_package_file

    root = tmp_path_factory.mktemp("serve")
    install_package_file(tiny_en_de_archive, root / "argos")
    (root / "glossary.csv").write_text(GLOSSARY, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(root / "argos"))
        service = TranslationService(ServiceOptions(glossary_paths=(str(root / "glossary.csv"),)))
        service.load()
        app = create_app(service, limits=Limits(body_bytes=20000, characters=3000, texts=4))
        with TestClient(app) as running:  # the lifespan: the service is closed at the end
            yield running


def test_json_list_reports_pins_per_text(client: TestClient) -> None:
    reply = client.post("/translate", json={
        "q": ["Sergei Shoigu flew to Pyongyang.", "It rained.\n\nThen it stopped."],
        "source": "en", "target": "pt"})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    first, second = body["translatedText"]
    assert "Serguei Choigu" in first and "Piongiangue" in first
    assert second.count("\n\n") == 1
    assert body["glossary"] == [{"found": 2, "landed": 2, "missed": []},
                                {"found": 0, "landed": 0, "missed": []}]
    assert "detectedLanguage" not in body


def test_auto_source_reports_the_detected_language(client: TestClient) -> None:
    reply = client.post("/translate", json={
        "q": "O presidente chegou a Piongiangue ontem.", "source": "auto", "target": "en"})
    body = reply.json()
    assert reply.status_code == 200, body
    assert body["detectedLanguage"]["language"] == "pt"
    assert 0 < body["detectedLanguage"]["confidence"] <= 100
    assert "Pyongyang" in body["translatedText"]


def test_html_round_trip_keeps_markup_and_runs_nothing(client: TestClient) -> None:
    source = ('<p class="lead" onmouseover="x()">The minister arrived in '
              '<a href="javascript:alert(1)">Pyongyang</a> today.</p>'
              '<script>alert(2)</script><p>He met the leader.</p>')
    reply = client.post("/translate", data={
        "q": source, "source": "en", "target": "pt", "format": "html"})
    assert reply.status_code == 200, reply.text
    out = reply.json()["translatedText"]
    tree = html.fragment_fromstring(out, create_parent="div")
    assert [p.get("class") for p in tree.findall("p")] == ["lead", None]
    assert tree.find("p/a").text == "Piongiangue" and tree.find("p/a").get("href") is None
    assert tree.xpath("//script") == [] and "onmouseover" not in out and "alert" not in out


def test_alternatives_come_from_the_argos_n_best(client: TestClient) -> None:
    reply = client.post("/translate", json={
        "q": ["The delegation left.", "Pyongyang sent a delegation."], "source": "en",
        "target": "de", "alternatives": 3})
    body = reply.json()
    assert reply.status_code == 200, body
    plain, pinned = body["alternatives"]
    assert 1 <= len(plain) <= 3 and body["translatedText"][0] not in plain
    # the random model cannot place the pin in its other hypotheses: those are left out
    assert "Pjöngjang" in body["translatedText"][1]
    assert all("Pjöngjang" in text for text in pinned)


def test_txt_and_po_files_translate_and_download(client: TestClient) -> None:
    reply = client.post("/translate_file",
                       data={"source": "en", "target": "pt"},
                       files={"file": ("news.txt", b"Pyongyang woke up.\n\nIt was cold.\n")})
    assert reply.status_code == 200, reply.text
    url = reply.json()["translatedFileUrl"]
    download = client.get(url)
    assert download.status_code == 200
    assert "Piongiangue" in download.text and download.text.count("\n\n") == 1
    assert 'filename="news.pt.txt"' in download.headers["content-disposition"]

    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Pyongyang woke up."\nmsgstr ""\n\n'
          'msgid "Reviewed."\nmsgstr "Revisto por uma pessoa."\n')
    reply = client.post("/translate_file", data={"source": "en", "target": "pt"},
                       files={"file": ("site.po", po.encode())})
    assert reply.status_code == 200, reply.text
    text = client.get(reply.json()["translatedFileUrl"]).text
    assert '#, fuzzy\nmsgid "Pyongyang woke up."\nmsgstr "Piongiangue' in text
    assert 'msgid "Reviewed."\nmsgstr "Revisto por uma pessoa."' in text


def test_service_routes(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    settings = client.get("/frontend/settings").json()
    assert settings["charLimit"] == 3000 and settings["keyRequired"] is False
    spec = client.get("/spec").json()
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
def test_errors_have_libretranslate_shape(client: TestClient, request_args: dict,
                                          status: int, message: str) -> None:
    reply = client.post("/translate", **request_args)
    assert reply.status_code == status
    assert set(reply.json()) == {"error"} and message in reply.json()["error"]


def test_unknown_routes_and_files_are_404(client: TestClient) -> None:
    for path in ("/nothing", "/download_file/0123456789abcdef0123456789abcdef",
                 "/download_file/..%2f..%2fetc%2fpasswd"):
        reply = client.get(path)
        assert reply.status_code == 404 and "error" in reply.json()
    reply = client.post("/translate_file", data={"source": "en", "target": "pt"},
                       files={"file": ("x.pdf", b"%PDF")})
    assert reply.status_code == 400 and "unsupported file type" in reply.json()["error"]




def test_documents_translate_and_download_in_their_own_format(client: TestClient) -> None:
    """/translate_file reads and writes every format the CLI does (issue 18), through the
    same reader and writer: a fragment with its markup, a page as its article, Markdown."""
    from html_pages import FRAGMENT, NEWS_PAGE

    def translated(name: str, data: bytes, source: str = "en") -> tuple[str, dict]:
        reply = client.post("/translate_file", data={"source": source, "target": "pt"},
                            files={"file": (name, data)})
        assert reply.status_code == 200, reply.text
        download = client.get(reply.json()["translatedFileUrl"])
        assert download.status_code == 200
        return download.text, {**download.headers, **reply.json()}

    body = FRAGMENT.replace("Seoul and Washington", "Pyongyang and Washington")
    text, headers = translated("body.html", body.encode())
    assert headers["content-type"].startswith("text/html")
    assert 'filename="body.pt.html"' in headers["content-disposition"]
    before = html.fragment_fromstring(body, create_parent="div")
    after = html.fragment_fromstring(text, create_parent="div")
    assert [(e.tag, e.attrib) for e in after.iter()] == [(e.tag, e.attrib) for e in before.iter()]
    assert "Piongiangue" in after.findtext(".//h2")
    assert after.find(".//a").get("href") == "https://example.org/seoul?a=1&b=2"

    text, headers = translated("story.htm", NEWS_PAGE.encode(), source="auto")
    page = html.document_fromstring(text)
    assert page.get("lang") == "pt" and headers["detectedLanguage"]["language"] == "en"
    assert page.find(".//nav") is None and "Related stories" not in text
    assert page.find(".//a").get("href") == "https://example.org/seoul"

    text, headers = translated("notes.md", b"# Pyongyang\n\nThe **drills** start.\n")
    assert text.startswith("# Piongiangue\n\n") and "**" in text
    assert headers["content-type"].startswith("text/markdown")

    reply = client.post("/translate_file", data={"source": "en", "target": "pt"},
                        files={"file": ("empty.html", b"<html><body><nav>Home</nav></body>"
                                                      b"</html>")})
    assert reply.status_code == 400
    assert reply.json()["error"].startswith("empty.html: web page with no article in it")


def test_word_and_opendocument_files_come_back_in_their_format(tmp_path: Path) -> None:
    """A .docx and an .odt through /translate_file (bergamot, the repository's glossary): the
    same package format back, the text in Portuguese, the bold run still bold (issue 18)."""
    import io

    import docx
    from odf import opendocument, teletype
    from odf.text import P

    from officedocs import make_docx, make_odt

    glossaries = Path(__file__).resolve().parents[2] / "glossaries"
    service = TranslationService(ServiceOptions(engine_name="bergamot",
                                                glossary_paths=(str(glossaries),)))
    service.load()
    with TestClient(create_app(service)) as client:
        for maker, name in ((make_docx, "story.docx"), (make_odt, "story.odt")):
            reply = client.post("/translate_file", data={"source": "en", "target": "pt"},
                                files={"file": (name, maker(tmp_path / name).read_bytes())})
            assert reply.status_code == 200, reply.text
            download = client.get(reply.json()["translatedFileUrl"])
            assert download.status_code == 200
            assert f'filename="story.pt.{name.rsplit(".", 1)[1]}"' in (
                download.headers["content-disposition"])
            if name.endswith(".docx"):
                paragraphs = docx.Document(io.BytesIO(download.content)).paragraphs
                text = "\n".join(paragraph.text for paragraph in paragraphs)
                bold = " ".join(run.text for paragraph in paragraphs for run in paragraph.runs
                                if run.bold)
            else:
                document = opendocument.load(io.BytesIO(download.content))
                text = bold = "\n".join(teletype.extractText(p)
                                        for p in document.getElementsByType(P))
            assert "disse" in text and "said on Monday" not in text, text
            assert "Agência Central de Notícias da Coreia" in bold, bold
