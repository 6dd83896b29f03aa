"""Decode an HTML file (a saved web page, a fragment) in the encoding it is in, as a browser
would: a byte-order mark (UTF-8, UTF-16) first, then the charset its `<meta charset>` or
`<meta http-equiv="Content-Type" content="...; charset=...">` declares (found by lxml's HTML
parser in the page's head; a label read as the WHATWG Encoding Standard reads it, so
"ISO-8859-1" is windows-1252 and "Shift_JIS" is Windows-31J), then UTF-8 where the bytes are
UTF-8, then the encoding charset_normalizer finds where it finds one clearly. Bytes the
encoding cannot decode are refused in one line naming the file and the charset.

Everything glossator writes is UTF-8: a declaration of another charset in the decoded text is
rewritten to say utf-8, so a page never declares an encoding its bytes are not in.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from glossator.errors import InputError

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# Python's codec for a label → the codec of the encoding the Encoding Standard gives that label
# (where they differ): browsers read latin-1 as windows-1252, Shift_JIS as Windows-31J, and so
# on; a page in ASCII bytes that declares UTF-16 is UTF-8.
_STANDARD = {"latin_1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252",
             "iso8859-9": "cp1254", "tis-620": "cp874", "iso8859-11": "cp874",
             "shift_jis": "cp932", "euc_kr": "cp949", "gb2312": "gb18030", "gbk": "gb18030",
             "big5": "big5hkscs", "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
             "utf-8-sig": "utf-8"}
# Labels of the Encoding Standard Python does not know.
_LABELS = {"x-sjis": "cp932", "windows-31j": "cp932", "x-gbk": "gb18030",
           "x-euc-jp": "euc_jp", "x-cp1252": "cp1252", "x-mac-roman": "mac_roman",
           "x-mac-cyrillic": "mac_cyrillic", "dos-874": "cp874", "windows-874": "cp874"}
_UNSUPPORTED = {"utf_7", "utf-7"}  # labels the Encoding Standard does not honour
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s"';>]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(r"""(<meta\b[^>]*?\bcharset\s*=\s*["']?\s*)([^\s"';>/]+)""",
                           re.IGNORECASE)
_HEAD_END = re.compile(rb"</head\s*>|<body[\s>]", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*>")
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*>")
_HEAD_LIMIT = 64 * 1024  # bytes of a page read for its declaration, at most


def decode_html(data: bytes, path: Path) -> str:
    """The text of an HTML file, CRLF and CR newlines made LF, a leading XML declaration
    dropped, a `<meta>` declaring a charset other than UTF-8 rewritten to say utf-8.
    InputError (one line) for bytes that are not
    in the file's encoding, NUL bytes, or bytes in an encoding neither declared nor clear."""
    encoding, how = _encoding(data, path)
    body = data
    for bom, name in _BOMS:
        if encoding == name and data.startswith(bom):
            body = data[len(bom):]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        offset = error.start + len(data) - len(body)
        line = data[:offset].count(b"\n") + 1
        raise InputError(f"bytes that are not {_shown(encoding)} ({how}): byte 0x"
                         f"{data[offset]:02x} at offset {offset}", path=path,
                         line=line) from None
    if "\x00" in text:
        raise InputError(f"binary content (NUL character at offset {text.index(chr(0))}), "
                         "expected HTML text", path=path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # An XHTML page's XML declaration: a browser reading HTML ignores it, lxml refuses a
    # string that has one.
    text = _XML_DECLARATION_TEXT.sub("", text, count=1)
    return _META_CHARSET.sub(_utf8, text)


def _utf8(declaration: re.Match[str]) -> str:
    if declaration[2].lower() in ("utf-8", "utf8"):
        return declaration[0]
    return declaration[1] + "utf-8"


def _encoding(data: bytes, path: Path) -> tuple[str, str]:
    """The Python codec `data` is in, and how that was found (for an error)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, "its byte-order mark says so"
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(f"binary content (NUL byte at offset {offset}), expected HTML text",
                         path=path)
    label = declared_charset(data)
    codec = standard_codec(label) if label else None
    if codec:
        return codec, f"as its <meta> charset {label!r} says"
    try:
        data.decode("utf-8")
        return "utf-8", "no charset declared"
    except UnicodeDecodeError as error:
        first = error.start
    from charset_normalizer import from_bytes

    found = from_bytes(data)
    best = found.best()
    # A short text with a few accented letters fits a dozen single-byte encodings equally:
    # taken only where one fits, or the best one reads as a language.
    if best is not None and (len(found) == 1 or best.coherence > 0):
        codec = standard_codec(best.encoding)
        if codec:
            return codec, f"no charset declared, {_shown(codec)} detected"
    line = data[:first].count(b"\n") + 1
    raise InputError(f"not UTF-8 (byte 0x{data[first]:02x} at offset {first}) and no charset "
                     "declared or clearly detected: declare it (<meta charset=\"...\">) or save "
                     "the page as UTF-8", path=path, line=line)


def declared_charset(data: bytes) -> str | None:
    """The charset label the page's first `<meta charset>` or `<meta http-equiv=
    "Content-Type">` in its head gives, as written; None where it declares none."""
    from lxml import etree
    from lxml import html as lxml_html

    end = _HEAD_END.search(data, 0, _HEAD_LIMIT)
    head = data[:end.start() if end else _HEAD_LIMIT]
    if b"<meta" not in head.lower():
        return None
    # Read as latin-1, every byte a character: the labels are ASCII, and lxml is not to
    # switch encodings itself on what it finds.
    head = _XML_DECLARATION.sub(b"", head)
    try:
        root = lxml_html.document_fromstring(head.decode("latin-1") + "</head><body></body>")
    except (etree.LxmlError, ValueError):
        return None
    for meta in root.iter("meta"):
        charset = (meta.get("charset") or "").strip()
        if charset:
            return charset
        if (meta.get("http-equiv") or "").strip().lower() == "content-type":
            found = _CHARSET.search(meta.get("content") or "")
            if found:
                return found[1]
    return None


def standard_codec(label: str) -> str | None:
    """Python's codec for the encoding the Encoding Standard gives `label`; None for a label
    it does not know (a page declaring one is read as if it declared none)."""
    label = label.strip().lower()
    if label in _LABELS:
        return _LABELS[label]
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNSUPPORTED:
        return None
    return _STANDARD.get(info.name, info.name)


def _shown(codec: str) -> str:
    """A codec as people name the encoding ("windows-1252", "Shift_JIS")."""
    return {"cp1252": "windows-1252", "cp1254": "windows-1254", "cp932": "Shift_JIS",
            "cp949": "EUC-KR", "gb18030": "GB18030", "big5hkscs": "Big5", "cp874": "windows-874",
            "utf-8": "UTF-8", "utf-16-le": "UTF-16LE", "utf-16-be": "UTF-16BE",
            "koi8-r": "KOI8-R", "koi8_r": "KOI8-R", "cp1251": "windows-1251",
            "cp1250": "windows-1250"}.get(codec, codec)
