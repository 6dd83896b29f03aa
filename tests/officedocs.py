"""Real word-processor documents for the tests, made with the libraries that read them
(python-docx, odfpy): a heading, a bold glossary term Word cut into runs, a link, a list, a
table, a footnote, a picture with a caption, a header and a footer with a page-number field;
and LibreOffice, where it is installed, to open what glossator writes."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
URL = "https://example.org/seoul"
HEADING = "Seoul and Washington hold drills"
LEAD = ("The Korean Central News Agency said on Monday that joint drills would start next "
        "week. Officials in Seoul declined to comment.")
GLOSSARY = Path(__file__).resolve().parent.parent / "glossaries" / "north-korea.csv"


def tiny_png() -> bytes:
    """A 2×2 grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_docx(path: Path) -> Path:
    import io

    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    document.add_heading(HEADING, level=1)
    lead = document.add_paragraph("The ")
    # The term as Word leaves it after spell-check: three bold runs with rsids, a proofErr
    # between them, a language mark on one.
    for number, words in enumerate(("Korean ", "Central ", "News Agency")):
        run = lead.add_run(words)
        run.bold = True
        run._r.set(qn("w:rsidR"), f"00A1B2C{number}")
        if number == 1:
            lead._p.append(OxmlElement("w:proofErr"))
            language = OxmlElement("w:lang")
            language.set(qn("w:val"), "en-GB")
            run._r.get_or_add_rPr().append(language)
    lead.add_run(" said on Monday that joint drills would start next week. Officials in ")
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), lead.part.relate_to(URL, RT.HYPERLINK, is_external=True))
    link_run = OxmlElement("w:r")
    link_properties = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    link_properties.append(underline)
    link_run.append(link_properties)
    link_text = OxmlElement("w:t")
    link_text.text = "Seoul"
    link_run.append(link_text)
    link.append(link_run)
    lead._p.append(link)
    lead.add_run(" declined to comment.")
    lead._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:rPr><w:vertAlign w:val="superscript"/>'
                             '</w:rPr><w:footnoteReference w:id="1"/></w:r>'))
    document.add_paragraph("North Korea called the drills a rehearsal for war.",
                           style="List Bullet")
    quote = document.add_paragraph("The drills are ")
    quote.add_run("defensive").italic = True
    quote.add_run(", a spokesman said.")
    document.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()), width=Pt(40))
    document.add_paragraph("Troops near the border in August.", style="Caption")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate((("Country", "Troops"), ("South Korea", "10,000"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    section = document.sections[0]
    section.header.paragraphs[0].text = "Defence desk"
    footer = section.footer.paragraphs[0]
    footer.text = "Page "
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = OxmlElement("w:r")
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run.append(mark)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.text = text
            run.append(element)
        footer._p.append(run)
    notes = parse_xml(
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        '<w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> According to state media.'
        '</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes,
                   document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(path)
    return path


def make_odt(path: Path) -> Path:
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import Header, MasterPage, PageLayout, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, List, ListItem, Note, NoteBody, NoteCitation, P, PageNumber, S, Span

    document = OpenDocumentText()
    bold = Style(name="T1", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    italic = Style(name="T2", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    other_bold = Style(name="T3", family="text")  # the same formatting, another name
    other_bold.addElement(TextProperties(fontweight="bold"))
    for style in (bold, italic, other_bold):
        document.automaticstyles.addElement(style)
    layout = PageLayout(name="pm1")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = Header()
    header.addElement(P(text="Defence desk"))
    master.addElement(header)
    document.masterstyles.addElement(master)

    document.text.addElement(H(outlinelevel=1, text=HEADING))
    lead = P(text="The ")
    lead.addElement(Span(stylename=bold, text="Korean Central "))
    lead.addElement(Span(stylename=bold, text="News Agency"))
    lead.addText(" said on Monday that joint drills would start next week. Officials in ")
    lead.addElement(A(href=URL, type="simple", text="Seoul"))
    lead.addText(" declined to comment.")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="According to state media."))
    note.addElement(body)
    lead.addElement(note)
    document.text.addElement(lead)
    bullets = List()
    item = ListItem()
    item.addElement(P(text="North Korea called the drills a rehearsal for war."))
    bullets.addElement(item)
    document.text.addElement(bullets)
    quote = P(text="The drills are ")
    quote.addElement(Span(stylename=italic, text="defensive"))
    quote.addText(", a spokesman said.")
    document.text.addElement(quote)
    picture = document.addPicture("Pictures/border.png", "image/png", tiny_png())
    frame = Frame(width="1cm", height="1cm", anchortype="as-char")
    frame.addElement(Image(href=picture))
    caption = P()
    caption.addElement(frame)
    caption.addText(" Troops near the border in August.")
    document.text.addElement(caption)
    table = Table(name="Troops")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for cells in (("Country", "Troops"), ("South Korea", "10,000")):
        row = TableRow()
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    spaced = P(text="Seoul")
    spaced.addElement(S(c=2))
    spaced.addElement(Span(stylename=other_bold, text="insists"))
    spaced.addText(" the page ")
    spaced.addElement(PageNumber(selectpage="current", text="1"))
    spaced.addText(" is final.")
    document.text.addElement(spaced)
    document.save(str(path))
    return path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(paths: list[Path], kind: str, out: Path) -> list[Path]:
    """`paths` converted by LibreOffice headless ("pdf", "txt:Text") into `out`, with a
    profile of its own (a shared one is locked by any other LibreOffice running)."""
    profile = out / "profile"
    command = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", kind, "--outdir", str(out), *map(str, paths)]
    subprocess.run(command, check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(out)})
    extension = kind.split(":")[0]
    return [out / f"{path.stem}.{extension}" for path in paths]


def members(path: Path) -> dict[str, bytes]:
    """Every member of a zip package, by name."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def tagged_segments(path: Path) -> list[tuple[str, str]]:
    """Each segment of a document as glossator reads it: its kind and its tagged source."""
    from glossator.text.document import build_document
    from glossator.text.sources import parse_source

    document = build_document(parse_source(path.read_bytes(), path), "en")
    return [(s.kind, s.tagged_source) for s in document.segments]


def translated_by_hand(source: Path, targets: dict[str, str], out: Path) -> Path:
    """`source` with a translation typed in (no engine): `targets` by segment id, every other
    segment empty (kept as the source), written by the document's writer to `out`."""
    from glossator.formats.documents import render_document
    from glossator.text.document import build_document
    from glossator.text.sources import parse_source

    document = build_document(parse_source(source.read_bytes(), source), "en")
    for segment in document.segments:
        segment.target = targets.get(segment.id, "")
    out.write_bytes(render_document(document))
    return out
