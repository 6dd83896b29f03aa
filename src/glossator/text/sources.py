"""Any article file as an `Article`: a text article (`text.article`), or a document of a format
`text.layout.DOCUMENT_FORMATS` names by its extension (`text.markdown`, `text.docx`,
`text.odt`, `text.html`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from glossator.errors import InputError
from glossator.io.reading import MAX_ARTICLE_BYTES, read_regular
from glossator.text.article import Article, decode_article, parse_article
from glossator.text.layout import DOCUMENT_FORMATS


def document_format(path: Path) -> str | None:
    """The document format an article's extension names ("markdown", "docx"); None for text."""
    return DOCUMENT_FORMATS.get(path.suffix.lower())


def parse_source(data: bytes, path: Path) -> Article:
    """The article a file's bytes hold, read as its extension says; InputError (one line, the
    file named) for anything unusable."""
    kind = document_format(path)
    if kind in ("docx", "odt"):
        return _package_parser(kind)(data, path)
    if kind == "markdown":
        from glossator.text.markdown import parse_markdown

        return parse_markdown(decode_article(data, path), path)
    if kind == "html":
        from glossator.text.charsets import decode_html
        from glossator.text.html import parse_html_document

        return parse_html_document(decode_html(data, path), path)
    return parse_article(decode_article(data, path), path)


def _package_parser(kind: str) -> Callable[[bytes, Path], Article]:
    """The reader of a zip-packaged document format (`text.docx`, `text.odt`): bytes in."""
    if kind == "docx":
        from glossator.text.docx import parse_docx

        return parse_docx
    from glossator.text.odt import parse_odt

    return parse_odt


def read_source(path: str | Path) -> Article:
    """Read any article file (within `MAX_ARTICLE_BYTES`) as its extension says."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path=path)
    data = read_regular(path, InputError, what="article file", limit=MAX_ARTICLE_BYTES)
    return parse_source(data, path)
