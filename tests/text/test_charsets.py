"""HTML in the encoding it declares (issue 18): saved pages of older sites in windows-1252,
ISO-8859-1, Shift_JIS, KOI8-R, UTF-16 with a byte-order mark; undeclared bytes detected
where the detection is clear; everything else refused in one line naming the charset."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossator.errors import InputError
from glossator.text.charsets import declared_charset, decode_html, standard_codec
from glossator.text.sources import parse_source

PAGE = """<!DOCTYPE html>
<html lang="en"><head>{meta}
<title>Drills</title></head>
<body><article><h1>Seoul and Washington hold drills</h1>
<p>{words}</p></article></body></html>
"""


def page(meta: str, words: str, encoding: str) -> bytes:
    return PAGE.format(meta=meta, words=words).encode(encoding)


@pytest.mark.parametrize(("meta", "words", "encoding"), [
    ('<meta charset="windows-1252">', "“Café Müller” — naïve", "cp1252"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
     "São Paulo, Zürich – “quoted”", "cp1252"),
    ('<meta charset="Shift_JIS">', "東京の会議 (Tokyo)", "cp932"),
    ("<meta http-equiv='content-type' content='text/html;charset=koi8-r'>",
     "Сергей Шойгу arrived", "koi8_r"),
    ('<meta charset="utf-8">', "Café 東京 Шойгу", "utf-8"),
])
def test_a_page_is_read_in_the_charset_it_declares(meta, words, encoding):
    text = decode_html(page(meta, words, encoding), Path("old.html"))
    assert words in text
    assert declared_charset(page(meta, words, encoding)).lower().replace("_", "-") in (
        "windows-1252", "iso-8859-1", "shift-jis", "koi8-r", "utf-8")
    assert declared_charset(text.encode("utf-8")) == "utf-8"  # what it is written in


@pytest.mark.parametrize(("bom", "encoding"), [("\ufeff", "utf-16-le"), ("\ufeff", "utf-16-be"),
                                               ("\ufeff", "utf-8")])
def test_a_byte_order_mark_says_the_encoding(bom, encoding):
    data = (bom + PAGE.format(meta='<meta charset="utf-16">', words="東京 Café")).encode(encoding)
    text = decode_html(data, Path("bom.html"))
    assert "東京 Café" in text and not text.startswith("\ufeff")
    assert '<meta charset="utf-8">' in text  # the page is written in UTF-8, and says so


def test_undeclared_bytes_are_detected_where_that_is_clear():
    words = ("Le ministère de la Défense a déclaré lundi que les exercices conjoints "
             "commenceraient la semaine prochaine près de la frontière, selon des "
             "responsables à Séoul, où l'état-major s'est réuni.")
    assert words in decode_html(page("", words, "cp1252"), Path("fr.html"))
    russian = "Министерство обороны заявило в понедельник, что совместные учения начнутся."
    assert russian in decode_html(page("", russian, "koi8_r"), Path("ru.html"))


@pytest.mark.parametrize(("data", "message"), [
    (b"<p>caf\xe9</p>", "not UTF-8 (byte 0xe9 at offset 6) and no charset declared"),
    (page('<meta charset="utf-8">', "caf\xe9", "cp1252"),
     "bytes that are not UTF-8 (as its <meta> charset 'utf-8' says): byte 0xe9"),
    (page('<meta charset="Shift_JIS">', "ok", "ascii").replace(b"ok", b"\x82\xff"),
     "bytes that are not Shift_JIS (as its <meta> charset 'Shift_JIS' says): byte 0x82"),
    (b"<p>a\x00b</p>", "NUL byte at offset 4"),
    ("\ufeff<p>a\x00b</p>".encode("utf-16-le"), "NUL character"),
])
def test_bytes_not_in_the_encoding_are_refused_in_one_line(data, message):
    with pytest.raises(InputError) as raised:
        parse_source(data, Path("old.html"))
    text = str(raised.value)
    assert message in text and text.startswith("old.html") and "\n" not in text, text


def test_labels_are_read_as_browsers_read_them():
    assert standard_codec("ISO-8859-1") == standard_codec("us-ascii") == "cp1252"
    assert standard_codec("Shift_JIS") == standard_codec("x-sjis") == "cp932"
    assert standard_codec("gb2312") == "gb18030"
    assert standard_codec("KOI8-R") == "koi8-r"
    assert standard_codec("utf-16") == "utf-8"  # declared in ASCII bytes: not UTF-16
    assert standard_codec("base64") is None and standard_codec("no-such") is None
    assert standard_codec("utf-7") is None


def test_a_fragment_in_windows_1252_is_read_and_says_utf_8():
    data = '<meta charset="windows-1252"><p>“Café” in Zürich.</p>'.encode("cp1252")
    article = parse_source(data, Path("body.html"))
    assert [p.text for p in article.paragraphs] == ["“Café” in Zürich."]
    assert article.layout.source.startswith('<meta charset="utf-8">')


def test_an_xhtml_page_with_an_xml_declaration_is_read():
    data = ('<?xml version="1.0" encoding="koi8-r"?>\n' + PAGE.format(
        meta='<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"/>',
        words="Сергей Шойгу arrived in Pyongyang on Tuesday for talks with officials.")
        ).encode("koi8_r")
    text = decode_html(data, Path("x.html"))
    assert not text.lstrip().startswith("<?xml") and "charset=utf-8" in text
    assert "Сергей Шойгу" in text
