"""Reading a .docx (issue 18): python-docx documents made here, their paragraphs, runs and
markup as the pipeline gets them; bad packages refused in one line before python-docx opens
them."""

from __future__ import annotations

import io
import zipfile

import pytest

from glossator.errors import InputError
from glossator.io.packages import MAX_PACKAGE_BYTES, MAX_PACKAGE_MEMBERS
from glossator.text.sources import parse_source
from officedocs import make_docx, tagged_segments


def test_paragraphs_headings_lists_tables_notes_headers_and_footers(tmp_path):
    assert tagged_segments(make_docx(tmp_path / "story.docx")) == [
        ("title", "Seoul and Washington hold drills"),
        # three bold runs (rsids, a proofErr, a language mark between) are one tag
        ("body", "The <b0>Korean Central News Agency</b0> said on Monday that joint drills "
                 "would start next week."),
        ("body", "Officials in <a1>Seoul</a1> declined to comment.<n2/>"),
        ("body", "North Korea called the drills a rehearsal for war."),
        ("body", "The drills are <i0>defensive</i0>, a spokesman said."),
        ("body", "Troops near the border in August."),  # the caption; the picture is no text
        ("body", "Country"), ("body", "Troops"), ("body", "South Korea"), ("body", "10,000"),
        ("body", "<n0/>According to state media."),  # the footnote, its number mark a point
        ("body", "Defence desk"),  # the header
        ("body", "Page<x0/>")]  # the footer: a PAGE field, its result untouched


def test_runs_of_one_formatting_are_one_tag_and_other_formatting_is_named(tmp_path):
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, bold, italic, underline in (("Plain ", False, False, False),
                                          ("bold", True, False, False),
                                          (" and ", False, False, False),
                                          ("both", True, True, False),
                                          (" then ", False, False, False),
                                          ("under", False, False, True),
                                          (" words.", False, False, False)):
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
    coloured = document.add_paragraph("A ").add_run("red")
    coloured.font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
    coloured._parent.add_run(" word.")
    document.save(tmp_path / "runs.docx")
    assert [text for _, text in tagged_segments(tmp_path / "runs.docx")] == [
        "Plain <b0>bold</b0> and <b1>both</b1> then <u2>under</u2> words.",
        "A <g0>red</g0> word."]


def test_a_paragraph_all_in_one_formatting_has_no_tag(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("All of it bold.").bold = True
    document.save(tmp_path / "bold.docx")
    assert tagged_segments(tmp_path / "bold.docx") == [("body", "All of it bold.")]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _bad_inputs(good: bytes) -> dict[str, tuple[bytes, str]]:
    with zipfile.ZipFile(io.BytesIO(good)) as package:
        members = {name: package.read(name) for name in package.namelist()}
    macro = dict(members)
    macro["[Content_Types].xml"] = macro["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    broken = dict(members)
    broken["word/document.xml"] = broken["word/document.xml"][:300]
    damaged = bytearray(good)
    damaged[60] ^= 0xFF  # inside the first member's compressed data
    return {
        "cut short": (good[: len(good) // 2], "damaged DOCX"),
        "encrypted": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096),
                      "encrypted (password-protected) or old binary Office file"),
        "not a zip": (b"Just some text.\n", "not a DOCX (not a zip package)"),
        "empty": (b"", "not a DOCX"),
        "macros only": (_zip({"[Content_Types].xml": b"<Types/>",
                              "word/vbaProject.bin": bytes(64)}), "has no word/document.xml"),
        "macro-enabled": (_zip(macro), "macro-enabled"),
        "bad XML": (_zip(broken), "not a readable DOCX"),
        "bad CRC": (bytes(damaged), "damaged DOCX"),
        "zip bomb": (_zip({"word/document.xml": b"<x/>",
                           "word/media/zeros.bin": bytes(MAX_PACKAGE_BYTES + 1)}),
                     "over the 64 MiB limit"),
        "member flood": (_zip({"word/document.xml": b"<x/>",
                              **{f"word/{n}.xml": b"" for n in range(MAX_PACKAGE_MEMBERS)}}),
                         "over the limit of 2,000"),
    }


def test_bad_packages_are_refused_in_one_line(tmp_path):
    good = make_docx(tmp_path / "story.docx").read_bytes()
    for case, (data, message) in _bad_inputs(good).items():
        with pytest.raises(InputError) as raised:
            parse_source(data, tmp_path / "bad.docx")
        text = str(raised.value)
        assert message in text and "bad.docx" in text and "\n" not in text, (case, text)


def test_a_zip_bomb_is_refused_before_python_docx_inflates_it(tmp_path, monkeypatch):
    import docx

    bomb = _zip({"word/document.xml": b"<x/>", "zeros.bin": bytes(MAX_PACKAGE_BYTES + 1)})
    monkeypatch.setattr(docx, "Document", lambda *a: pytest.fail("python-docx opened it"))
    with pytest.raises(InputError, match="uncompressed"):
        parse_source(bomb, tmp_path / "bomb.docx")


def test_a_document_with_no_text_is_refused(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("   ")
    document.save(tmp_path / "blank.docx")
    with pytest.raises(InputError, match="no text to translate"):
        parse_source((tmp_path / "blank.docx").read_bytes(), tmp_path / "blank.docx")


def test_bad_docx_through_the_cli_exit_3_and_nothing_written(cli, tmp_path):
    (tmp_path / "story.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    result = cli("translate", "story.docx", "--to", "pt", "--engine", "bergamot",
                 "--no-glossary", "--out", "out", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "story.docx" in result.stderr
    assert not (tmp_path / "out").exists()
