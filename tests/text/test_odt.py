"""Reading an .odt (issue 18): odfpy documents made here, their paragraphs, spans and markup
as the pipeline gets them; bad packages refused in one line."""

from __future__ import annotations

import io
import zipfile

import pytest

from glossator.errors import InputError
from glossator.io.packages import MAX_PACKAGE_BYTES
from glossator.text.sources import parse_source
from officedocs import make_odt, tagged_segments

MIMETYPE = b"application/vnd.oasis.opendocument.text"


def test_headings_spans_links_notes_lists_tables_frames_fields_and_headers(tmp_path):
    assert tagged_segments(make_odt(tmp_path / "story.odt")) == [
        ("title", "Seoul and Washington hold drills"),
        # two spans of one style side by side are one tag
        ("body", "The <b0>Korean Central News Agency</b0> said on Monday that joint drills "
                 "would start next week."),
        ("body", "Officials in <a1>Seoul</a1> declined to comment.<n2/>"),
        ("body", "According to state media."),  # the note's own paragraph, after its citer
        ("body", "North Korea called the drills a rehearsal for war."),
        ("body", "The drills are <i0>defensive</i0>, a spokesman said."),
        ("body", "<m0/>Troops near the border in August."),  # the picture's frame a point
        ("body", "Country"), ("body", "Troops"), ("body", "South Korea"), ("body", "10,000"),
        # text:s c=2 is two spaces; the page-number field is a point
        ("body", "Seoul  <b0>insists</b0> the page <x1/> is final."),
        ("body", "Defence desk")]  # the master page's header


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("case, message", [
    ("cut short", "damaged ODT"), ("encrypted", "password-protected ODT"),
    ("spreadsheet", "not an ODF text document (mimetype application/vnd.oasis.opendocument"
                    ".spreadsheet)"),
    ("no content", "has no content.xml"), ("zip bomb", "over the 64 MiB limit"),
    ("bad XML", "not a readable ODT"), ("OLE", "encrypted (password-protected) or old")])
def test_bad_packages_are_refused_in_one_line(tmp_path, case, message):
    good = make_odt(tmp_path / "story.odt").read_bytes()
    manifest = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                b'manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" '
                b'manifest:media-type="text/xml"/></manifest:manifest>')
    data = {
        "cut short": good[: len(good) // 2],
        "encrypted": _zip({"mimetype": MIMETYPE, "content.xml": bytes(range(256)),
                           "META-INF/manifest.xml": manifest.replace(
                               b"/></manifest:manifest>",
                               b"><manifest:encryption-data/></manifest:file-entry>"
                               b"</manifest:manifest>")}),
        "spreadsheet": _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                             "content.xml": b"<x/>", "META-INF/manifest.xml": manifest}),
        "no content": _zip({"mimetype": MIMETYPE, "META-INF/manifest.xml": manifest}),
        "zip bomb": _zip({"mimetype": MIMETYPE, "content.xml": b"<x/>",
                          "Pictures/zeros.png": bytes(MAX_PACKAGE_BYTES + 1)}),
        "bad XML": _zip({"mimetype": MIMETYPE, "content.xml": b"<office:document-content",
                         "META-INF/manifest.xml": manifest}),
        "OLE": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048),
    }[case]
    with pytest.raises(InputError) as raised:
        parse_source(data, tmp_path / "bad.odt")
    text = str(raised.value)
    assert message in text and "bad.odt" in text and "\n" not in text


def test_an_odt_with_no_text_is_refused(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="  "))
    document.save(str(tmp_path / "blank.odt"))
    with pytest.raises(InputError, match="no text to translate"):
        parse_source((tmp_path / "blank.odt").read_bytes(), tmp_path / "blank.odt")
