"""Tab-separated values: `id  source  target  status  comment`, one row per segment, for
spreadsheets (a file without the comment column, as glossator wrote before, reads too).

TSV has no escapes of its own, so a tab, newline or carriage return inside a text is written as
`\\t`, `\\n` or `\\r` and a backslash as `\\\\`; `read_tsv` undoes exactly that. Status is
`fuzzy` (machine output) or `reviewed` (a person approved it).

Two more rules make the file safe to open elsewhere, and `read_tsv` undoes them too:

- a cell that would start with `=`, `+`, `-` or `@` (a formula to a spreadsheet) gets a `'`
  in front, as OWASP recommends for CSV injection, and so does one starting with `'` and one
  of those or another `'` (glossator.io.spreadsheet): `=HYPERLINK(…)` is written `'=HYPERLINK(…)`;
- a cell that starts with `"` is quoted as CSV quotes (`"` around it, each `"` in it doubled),
  since spreadsheets and CSV readers in TSV mode (Python's `csv`, pandas) read a leading `"`
  as an opening quote: `"Yes," he said.` is written `"` + `""Yes,"" he said.` + `"`, which they
  read back as it was.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from glossator.errors import FormatError
from glossator.formats.base import Format
from glossator.io.reading import read_regular
from glossator.io.spreadsheet import neutralise, restore
from glossator.model import Document, Segment, paragraph_number

HEADER = ("id", "source", "target", "status", "comment")
HEADERS = (HEADER, HEADER[:4])  # read: with the translator's comment, or without
STATUSES = ("fuzzy", "reviewed")

_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {escaped[1]: raw for raw, escaped in _ESCAPES.items()}
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


class TSVRow(NamedTuple):
    id: str
    source: str
    target: str
    status: str
    comment: str = ""

    @property
    def fuzzy(self) -> bool:
        return self.status == "fuzzy"


def escape(text: str) -> str:
    """A field's text made safe for one TSV cell: "a\\tb" → "a\\\\tb"."""
    return _SPECIAL.sub(lambda match: _ESCAPES[match.group()], text)


def unescape(field: str) -> str:
    """The inverse of `escape`; an unknown escape such as `\\x` is kept as written."""
    return _ESCAPE.sub(lambda match: _UNESCAPES.get(match.group(1), match.group()), field)


def to_cell(text: str) -> str:
    """A text as one TSV cell: escaped, guarded against formulas, quoted if it starts with `"`."""
    cell = neutralise(escape(text))
    if cell.startswith('"'):
        cell = '"' + cell.replace('"', '""') + '"'
    return cell


def from_cell(cell: str) -> str:
    """The text of a TSV cell: the inverse of `to_cell`. A cell that starts with `"` but is not
    a well-formed quoted cell (as an older glossator or a person wrote it) is read as written."""
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        inner = cell[1:-1]
        if inner.replace('""', "").count('"') == 0:
            cell = inner.replace('""', '"')
    return unescape(restore(cell))


class TSVFormat(Format):
    name = "tsv"
    extension = "tsv"

    def render(self, document: Document) -> str:
        lines = ["\t".join(HEADER)]
        for segment in document.segments:
            status = "fuzzy" if segment.fuzzy else "reviewed"
            lines.append("\t".join((to_cell(segment.id), to_cell(segment.source),
                                    to_cell(segment.target), status,
                                    to_cell(segment.comment))))
        return "\n".join(lines) + "\n"

    def read(self, path: Path) -> Document:
        """A TSV holds ids, texts, states and comments only: pins and notes are not in it."""
        path = Path(path)
        segments = [Segment(id=row.id, source=row.source, target=row.target,
                            fuzzy=row.fuzzy, paragraph=paragraph_number(row.id),
                            comment=row.comment)
                    for row in read_tsv(path)]
        return Document(name=path.stem, path=path, source_lang="", segments=segments)


def parse_tsv(text: str, path: str | Path | None = None) -> list[TSVRow]:
    """Rows of a glossator TSV text; FormatError (with line) for a wrong header or row."""
    # Split on "\n" only: str.splitlines would also split on form feeds, U+2028 and the like,
    # which escape() leaves in the text.
    lines = text.removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.removesuffix("\r") for line in lines]  # a file saved with CRLF endings
    header = tuple(lines[0].split("\t")) if lines else ()
    if header not in HEADERS:
        raise FormatError(f"not a glossator TSV file: the first line must be "
                          f"{' '.join(HEADER)!r} separated by tabs", path=path, line=1)
    rows: list[TSVRow] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise FormatError(f"expected {len(header)} tab-separated fields, found "
                              f"{len(fields)}", path=path, line=number)
        if fields[3] not in STATUSES:
            raise FormatError(f"status must be {' or '.join(STATUSES)}, not {fields[3]!r}",
                              path=path, line=number)
        rows.append(TSVRow(*(from_cell(field) for field in fields[:3]), fields[3],
                           *(from_cell(field) for field in fields[4:])))
    return rows


def read_tsv(path: str | Path) -> list[TSVRow]:
    """Read a TSV file written by glossator (and perhaps edited in a spreadsheet)."""
    path = Path(path)
    if not path.exists():
        raise FormatError("no such file", path=path)
    data = read_regular(path, FormatError, what="TSV file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError(f"not valid UTF-8 at byte offset {error.start}", path=path,
                          line=data.count(b"\n", 0, error.start) + 1) from None
    return parse_tsv(text, path)
