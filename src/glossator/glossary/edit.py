"""Add one concept row to a glossary CSV file, keeping its columns, quoting and line endings.

The new file is linted (glossator.glossary.lint), with the files loaded together with
it, before it replaces the old one, so a row that would break the glossary is refused with the
linter's message and nothing is written. A term the loaded glossary already pins to another
rendering is a clash: reported, not written.

What is written is what the loader reads back, exactly: a term or rendering it would read
otherwise is refused, never changed. So a cell with white space at its start or end (the
loader reads cells without it) and a source term starting with `#` (the row would be a
comment) are refused; commas and quotes are quoted as CSV quotes them.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glossator.errors import GlossaryError
from glossator.glossary.csv import NOTE_COLUMN, SEPARATOR, match_key, term_problem
from glossator.glossary.model import Concept, Glossary
from glossator.io.files import write_all
from glossator.io.reading import MAX_GLOSSARY_BYTES, read_regular
from glossator.io.spreadsheet import neutralise
from glossator.languages import base_language


@dataclass(frozen=True)
class Clash:
    """The term is in the glossary already, pinned otherwise (or not for this language)."""

    concept: Concept
    pinned: str  # the rendering it has for the language, "" when it has none

    def message(self, language: str) -> str:
        where = f"{self.concept.path}:{self.concept.line}"
        if not self.pinned:
            return (f"{self.concept.name!r} is in the glossary ({where}) with no {language} "
                    "rendering; add it in that row")
        return f"{self.concept.name!r} is pinned to {self.pinned!r} already ({where})"


def find_clash(glossary: Glossary | None, term: str, language: str,
               rendering: str) -> Clash | None:
    """The concept that already holds `term` with another rendering for `language`."""
    if glossary is None:
        return None
    key = match_key(term).casefold()
    for concept in glossary.concepts:
        if any(match_key(variant).casefold() == key for variant in concept.variants):
            forms = concept.rendering(language) or ()
            if not forms or forms[0] != rendering:
                return Clash(concept, forms[0] if forms else "")
    return None


def append_concept(path: Path, term: str, language: str, rendering: str, *,
                   note: str = "", source_lang: str = "en",
                   together: Sequence[Path] = ()) -> int:
    """Append the row `term → rendering` (for `language`) to the CSV glossary `path`; return
    the line the row is on. `together` are the glossary files loaded with `path` (it among
    them, in their order), linted with the new file. GlossaryError where the file has no
    column for the language, the term or rendering is not one the loader would read back as
    given, or the new file would not lint clean."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise GlossaryError("terms can be added to a CSV glossary only", path=path)
    note = note.strip()  # the loader reads a note without the white space around it
    for text in (term, rendering):
        problem = _cell_problem(text)
        if problem:
            raise GlossaryError(problem, path=path)
    if term.startswith("#"):
        raise GlossaryError(f"term {term!r} starts with '#', which glossary CSV files read as "
                            "a comment; add the term with another spelling first", path=path)
    data = read_regular(path, GlossaryError, what="glossary", limit=MAX_GLOSSARY_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryError("not UTF-8: add the term with a spreadsheet or editor",
                            path=path) from None
    header = _header(text, path)
    columns = {base_language(cell.strip().lower()): index for index, cell in enumerate(header)
               if index and cell.strip()}
    target = columns.get(base_language(language))
    if target is None:
        raise GlossaryError(f"no {language} column in the header", path=path)
    cells = [""] * len(header)
    cells[0], cells[target] = neutralise(term), neutralise(rendering)
    if note and NOTE_COLUMN in columns:
        cells[columns[NOTE_COLUMN]] = neutralise(note)
    newline = "\r\n" if "\r\n" in text else "\n"
    row = io.StringIO()
    csv.writer(row, lineterminator=newline).writerow(cells)
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    if text and not text.endswith(("\n", "\r")):
        text += newline
    new_text = bom + text + row.getvalue()
    _lint(path, new_text, source_lang, together)
    write_all({path: new_text})
    return len(text.splitlines()) + 1


def _cell_problem(text: str) -> str | None:
    """Why `text` cannot be written as one term of a cell and read back as it is, or None."""
    if text != text.strip():
        return f"{text!r} has white space at its start or end, which a glossary cell drops"
    if SEPARATOR in text:
        return f"{text!r} holds {SEPARATOR!r}, which separates variants"
    return term_problem(text)


def _header(text: str, path: Path) -> list[str]:
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return next(csv.reader([line]))
    raise GlossaryError("no header row", path=path)


def _lint(path: Path, text: str, source_lang: str, together: Sequence[Path]) -> None:
    """GlossaryError where `text`, in place of `path` among the files `together`, would not
    load; its message names `path`, not the copy linted."""
    from glossator.glossary.lint import lint

    with tempfile.TemporaryDirectory(prefix="glossator-term-") as folder:
        candidate = Path(folder) / path.name
        candidate.write_text(text, encoding="utf-8", newline="")
        files = [candidate if Path(other).resolve() == path.resolve() else Path(other)
                 for other in together]
        _glossary, findings = lint(files if candidate in files else [*files, candidate],
                                   source_lang)
    errors = [finding for finding in findings if finding.severity == "error"]
    if errors:
        first = errors[0]  # in the new file, or in another one the new row collides with
        where = path if first.path == str(candidate) else first.path
        message = first.message.replace(str(candidate), str(path))
        raise GlossaryError(f"the new row would not load: {message}", path=where,
                            line=first.line or None)
