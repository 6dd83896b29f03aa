"""Add one concept row to a glossary CSV file, keeping its columns, quoting and line endings.

The new file is linted (glossator.glossary.loader.lint) before it replaces the old one, so a
row that would break the glossary is refused with the linter's message and nothing is written.
A term the loaded glossary already pins to another rendering is a clash: reported, not written.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from glossator.errors import GlossaryError
from glossator.fsutil import write_all
from glossator.glossary.csv import NOTE_COLUMN, SEPARATOR, match_key, term_problem
from glossator.glossary.model import Concept, Glossary
from glossator.inputs import MAX_GLOSSARY_BYTES, read_regular
from glossator.languages import base_language
from glossator.spreadsheet import neutralise


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
                   note: str = "", source_lang: str = "en") -> int:
    """Append the row `term → rendering` (for `language`) to the CSV glossary `path`; return
    the line the row is on. GlossaryError where the file has no column for the language, the
    term or rendering is not a valid cell, or the new file would not lint clean."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise GlossaryError("terms can be added to a CSV glossary only", path=path)
    term, rendering, note = (" ".join(text.split()) for text in (term, rendering, note))
    for text in (term, rendering):
        problem = term_problem(text) or (f"{text!r} holds {SEPARATOR!r}, which separates "
                                         "variants" if SEPARATOR in text else None)
        if problem:
            raise GlossaryError(problem, path=path)
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
    _lint(path, new_text, source_lang)
    write_all({path: new_text})
    return len(text.splitlines()) + 1


def _header(text: str, path: Path) -> list[str]:
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return next(csv.reader([line]))
    raise GlossaryError("no header row", path=path)


def _lint(path: Path, text: str, source_lang: str) -> None:
    from glossator.glossary.loader import lint

    with tempfile.TemporaryDirectory(prefix="glossator-term-") as folder:
        candidate = Path(folder) / path.name
        candidate.write_text(text, encoding="utf-8", newline="")
        _glossary, findings = lint([candidate], source_lang)
    errors = [finding for finding in findings if finding.severity == "error"]
    if errors:
        raise GlossaryError(f"the new row would not load: {errors[0].message}", path=path,
                            line=errors[0].line or None)
