"""Read and lint glossary CSV files; docs/glossary-format.md describes the format.

A file is read as a stream of rows, so a large glossary costs memory for its concepts only.
Only a regular file of at most `MAX_GLOSSARY_BYTES` (256 MiB) is read (see glossator.io.reading).
Linting collects every problem with its file and line; loading stops at the first error.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from glossator.errors import GlossaryError, LanguageError
from glossator.glossary.files import glossary_files
from glossator.glossary.matcher import APOSTROPHES
from glossator.glossary.model import (
    ADMITTED,
    AnnotationError,
    Concept,
    Form,
    Glossary,
    glossary_digest,
    parse_form,
)
from glossator.io.reading import MAX_GLOSSARY_BYTES, MIB, open_regular
from glossator.io.spreadsheet import restore
from glossator.languages import base_language, parse_language

ERROR = "error"
WARNING = "warning"

MAX_TERM_LENGTH = 200
SEPARATOR = "|"
NOTE_COLUMN = "note"
FLAGS_COLUMN = "flags"
KNOWN_FLAGS = ("keep", "nocase")
_NO_FLAGS: frozenset[str] = frozenset()

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Cc, less tab, LF and CR
_FLAG_SEPARATORS = re.compile(r"[\s,]+")
_GAP_LINES_SHOWN = 5


@dataclass
class Problem:
    """One lint result: where, what, and whether it stops the glossary from loading."""

    path: str
    line: int  # 0 when the problem is the file itself, not a line in it
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


def _csv_files(paths: Sequence[str | Path]) -> list[Path]:
    """Files named, and the *.csv files of folders named: the loader's one folder rule."""
    return glossary_files(paths, suffixes=(".csv",))


def lint_glossaries(paths: Sequence[str | Path],
                    source_lang: str | None = None) -> tuple[Glossary | None, list[Problem]]:
    """Check glossary files; return every finding, and the glossary where there is no error.

    Without `source_lang`, the first file's first column sets the source language.
    """
    checker = _Checker(source_lang, stop_at_error=False)
    try:
        files = _csv_files(paths)
    except GlossaryError as error:
        return None, [Problem(error.path or "", error.line or 0, error.message)]
    for path in files:
        checker.check_file(path)
    checker.finish()
    findings = checker.findings
    if any(finding.severity == ERROR for finding in findings):
        return None, findings
    return checker.glossary(), findings


def load_glossaries(paths: Sequence[str | Path], source_lang: str = "en") -> Glossary:
    """Read glossary files into one glossary; raise GlossaryError at the first error."""
    checker = _Checker(source_lang, stop_at_error=True)
    for path in _csv_files(paths):
        checker.check_file(path)
    checker.finish()
    return checker.glossary()


def split_terms(cell: str) -> list[str]:
    """The `|`-separated terms of a cell, trimmed (empty ones kept, for the caller to report)."""
    if SEPARATOR not in cell:
        return [cell.strip()]
    return [part.strip() for part in cell.split(SEPARATOR)]


def term_problem(term: str) -> str | None:
    """Why `term` cannot be a glossary term, or None."""
    if not term:
        return "empty term (a stray '|'?)"
    if len(term) > MAX_TERM_LENGTH:
        return f"term is {len(term)} characters long (limit {MAX_TERM_LENGTH})"
    if "\n" in term or "\r" in term:
        return f"term {_shorten(term)!r} contains a line break"
    return None


def match_key(term: str) -> str:
    """What two spellings share when the matcher finds them at the same places in text.

    The matcher treats curly and straight apostrophes alike and any run of spaces as one.
    The common case returns `term` itself, so an index of keys costs no extra strings.
    """
    key = term if term.isascii() else term.translate(APOSTROPHES)
    if "  " in key or not key.isprintable():
        key = " ".join(key.split())
    return term if key == term else key


class TermIndex:
    """Source spellings seen so far, to catch one spelling in two concepts.

    Only `nocase` concepts get a casefolded index; that a `nocase` spelling differs only in
    case from an earlier case-sensitive one is found by `case_clashes` in one pass at the end,
    rather than by keeping a casefolded copy of every spelling.
    """

    def __init__(self) -> None:
        self._exact: dict[str, Concept] = {}
        self._nocase: dict[str, Concept] = {}  # casefolded key of a nocase concept's spelling

    def add(self, concept: Concept) -> list[str]:
        """Record the concept's variants; return a message for each one already taken."""
        problems = []
        for variant in concept.variants:
            key = match_key(variant)
            other = self._exact.get(key)
            if other is not None and other is not concept:  # one concept may list both ' and ’
                problems.append(f"term {variant!r} is also in {other.path}:{other.line}")
                continue
            other = self._nocase.get(key.casefold()) if self._nocase else None
            if other is not None and other is not concept:
                problems.append(_case_clash(variant, other))
                continue
            self._exact.setdefault(key, concept)
            if concept.ignore_case:
                self._nocase.setdefault(key.casefold(), concept)
        return problems

    def case_clashes(self) -> list[tuple[Concept, str]]:
        """(nocase concept, message) for each spelling an earlier case-sensitive concept has."""
        if not self._nocase:
            return []
        clashes = []
        for key, earlier in self._exact.items():
            if earlier.ignore_case:
                continue
            later = self._nocase.get(key.casefold())
            if later is not None:
                variant = _spelling_like(later, key)
                clashes.append((later, _case_clash(variant, earlier, key)))
        return clashes


def _spelling_like(concept: Concept, key: str) -> str:
    """The concept's spelling that differs from `key` in case only."""
    folded = key.casefold()
    return next(v for v in concept.variants if match_key(v).casefold() == folded)


def _case_clash(variant: str, other: Concept, other_spelling: str | None = None) -> str:
    spelling = other_spelling or _spelling_like(other, match_key(variant))
    return (f"term {variant!r} is also in {other.path}:{other.line} "
            f"(as {spelling!r}; nocase ignores case)")


@dataclass
class _Columns:
    """What each column of a file holds, from its header."""

    names: list[str]  # header cells as written, for messages
    line: int  # of the header
    targets: list[tuple[int, str]] = field(default_factory=list)  # (column, language code)
    note: int | None = None
    flags: int | None = None
    rows: int = 0
    gaps: dict[int, int] = field(default_factory=dict)  # column → rows with no rendering
    gap_lines: dict[int, list[int]] = field(default_factory=dict)  # the first few of those


class _StopFile(Exception):
    """The rest of this file cannot be read."""


class _Checker:
    """Reads files one after another into concepts, recording findings as it goes."""

    def __init__(self, source_lang: str | None, stop_at_error: bool) -> None:
        self.source_lang = parse_language(source_lang) if source_lang else None
        self.stop_at_error = stop_at_error
        self.findings: list[Problem] = []
        self.concepts: list[Concept] = []
        self.languages: set[str] = set()
        self.sources: list[str] = []
        self.file_digests: list[bytes] = []  # sha256 of each file's bytes, hashed as read
        self.terms = TermIndex()
        self.path = ""

    def glossary(self) -> Glossary:
        return Glossary(source_lang=self.source_lang or "en", concepts=self.concepts,
                        languages=self.languages, sources=self.sources,
                        digest=glossary_digest(self.file_digests))

    def error(self, line: int, message: str, path: str | None = None) -> None:
        path = self.path if path is None else path
        if self.stop_at_error:
            raise GlossaryError(message, path=path, line=line or None)
        self.findings.append(Problem(path, line, message, ERROR))

    def finish(self) -> None:
        for concept, message in self.terms.case_clashes():
            self.error(concept.line, message, path=concept.path)

    def warn(self, line: int, message: str) -> None:
        self.findings.append(Problem(self.path, line, message, WARNING))

    def check_file(self, path: Path) -> None:
        self.path = str(path)
        self.sources.append(self.path)
        hasher = hashlib.sha256()
        try:
            handle = open_regular(path, GlossaryError, what="glossary file",
                                  limit=MAX_GLOSSARY_BYTES)
        except GlossaryError as error:  # not a regular file, too big, or unreadable
            self.file_digests.append(hasher.digest())
            self.error(0, error.message)
            return
        try:
            with handle:
                self._read_rows(handle, hasher)
        except OSError as error:
            self.error(0, f"cannot read: {error.strerror or error}")
        except _StopFile:
            pass
        self.file_digests.append(hasher.digest())

    def _read_rows(self, handle: BinaryIO, hasher: hashlib._Hash) -> None:
        reader = csv.reader(self._decoded_lines(handle, hasher), strict=True)
        columns: _Columns | None = None
        row_start = 1
        try:
            for row in reader:
                line, row_start = row_start, reader.line_num + 1
                if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                    continue
                if columns is None:
                    columns = self._read_header(row, line)
                else:
                    self._read_row(row, line, columns)
        except csv.Error as error:
            if "end of data" in str(error) or "field limit" in str(error):
                message = "quoted cell opened on this line is never closed"
                self.error(row_start, message)
            else:
                self.error(reader.line_num, f"malformed CSV: {error}")
            raise _StopFile from None
        if columns is None:
            self.error(1, "no header row (language codes, source language first)")
            return
        self._report_gaps(columns)

    def _decoded_lines(self, handle: BinaryIO, hasher: hashlib._Hash) -> Iterator[str]:
        """The file's lines as text, with byte-level problems reported where they are.

        UTF-8 never uses the byte of '\\n' inside a character, so splitting before decoding
        is safe, and it tells the line and offset of a bad byte.
        """
        offset = 0
        for number, raw in enumerate(handle, start=1):
            hasher.update(raw)
            if number == 1:
                if raw.startswith(_UTF16_BOMS):
                    self.error(1, "file is UTF-16; save it as UTF-8")
                    raise _StopFile
                if raw.startswith(_BOM):
                    raw, offset = raw[len(_BOM):], len(_BOM)
            if b"\0" in raw:
                where = offset + raw.index(b"\0")
                self.error(number, f"NUL byte at offset {where}: not a text file")
                raise _StopFile
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as problem:
                byte = raw[problem.start]
                self.error(number, f"not UTF-8: byte 0x{byte:02x} at offset "
                                   f"{offset + problem.start}; save the file as UTF-8")
                raise _StopFile from None
            control = _CONTROL.search(text)
            if control:
                self.error(number, f"control character U+{ord(control.group()):04X} at "
                                   f"character {control.start() + 1} of the line")
            offset += len(raw)
            if offset > MAX_GLOSSARY_BYTES:  # checked when opened: the file grew since
                self.error(number, f"file grew past the {MAX_GLOSSARY_BYTES // MIB} MiB limit "
                                   f"for a glossary file while it was read")
                raise _StopFile
            yield text

    def _read_header(self, row: list[str], line: int) -> _Columns:
        names = [cell.strip() for cell in row]
        columns = _Columns(names, line)
        self._check_source_column(names[0], line)
        seen: dict[str, str] = {}  # language code or reserved name → header as written
        for index, name in enumerate(names):
            if index == 0:
                key = self.source_lang or ""
            elif not name:
                self.error(line, f"column {index + 1} has no header "
                                 f"(a language code, {NOTE_COLUMN} or {FLAGS_COLUMN})")
                continue
            elif name.lower() in (NOTE_COLUMN, FLAGS_COLUMN):
                key = name.lower()
            else:
                try:
                    key = parse_language(name)
                except LanguageError as problem:
                    self.error(line, f"column {name!r}: {problem.message}")
                    continue
                if base_language(key) == base_language(self.source_lang or ""):
                    key = self.source_lang or ""  # a regional variant of the source is the source
            if key in seen:
                self.error(line, f"duplicate column {name!r} (same as {seen[key]!r})")
                continue
            seen[key] = name
            if key == NOTE_COLUMN:
                columns.note = index
            elif key == FLAGS_COLUMN:
                columns.flags = index
            elif index > 0:
                columns.targets.append((index, key))
                columns.gaps[index] = 0
                columns.gap_lines[index] = []
                self.languages.add(key)
        return columns

    def _check_source_column(self, name: str, line: int) -> None:
        expected = self.source_lang
        try:
            code = parse_language(name)
        except LanguageError as problem:
            self.error(line, f"first column {name!r} must be the source language: "
                             f"{problem.message}")
            raise _StopFile from None
        if expected is None:
            self.source_lang = code
        elif base_language(code) != base_language(expected):
            self.error(line, f"header has no {expected} column first (found {name!r}); "
                             f"the first column holds the source terms")
            raise _StopFile

    def _read_row(self, row: list[str], line: int, columns: _Columns) -> None:
        columns.rows += 1
        width = len(columns.names)
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                self.error(line, f"row has {len(row)} cells but the header has {width} "
                                 f"(an unquoted comma?)")
                return
            row = row[:width]
        elif len(row) < width:
            self.warn(line, f"row has {len(row)} cells but the header has {width}; "
                            f"the missing cells count as empty")
            row = row + [""] * (width - len(row))
        cells = [restore(cell.strip()) for cell in row]  # "'=x" is "=x": see spreadsheet
        if not cells[0]:
            self.error(line, f"no {columns.names[0]} term in the first column")
            return
        variants = self._terms(cells[0], line, columns.names[0])
        if variants is None:
            return
        flags = self._flags(cells[columns.flags] if columns.flags is not None else "", line)
        keep, ignore_case = "keep" in flags, "nocase" in flags
        renderings: dict[str, tuple[str | Form, ...]] = {}
        for index, code in columns.targets:
            if not cells[index]:
                if not keep:
                    columns.gaps[index] += 1
                    if len(columns.gap_lines[index]) < _GAP_LINES_SHOWN:
                        columns.gap_lines[index].append(line)
                continue
            forms = self._forms(cells[index], line, columns.names[index])
            if forms:
                renderings[code] = forms
                self._check_inflections(forms, code, line, columns.names[index])
        concept = Concept(
            variants=variants,
            renderings=renderings,
            note=cells[columns.note] if columns.note is not None else "",
            keep=keep,
            ignore_case=ignore_case,
            path=self.path,
            line=line,
        )
        for problem in self.terms.add(concept):
            self.error(line, problem)
        self.concepts.append(concept)

    def _terms(self, cell: str, line: int, column: str) -> tuple[str, ...] | None:
        if SEPARATOR not in cell:  # the common case, kept cheap for large glossaries
            problem = term_problem(cell)
            if problem:
                self.error(line, f"{column} cell: {problem}")
                return None
            return (cell,)
        terms = split_terms(cell)
        for term in terms:
            problem = term_problem(term)
            if problem:
                self.error(line, f"{column} cell: {problem}")
                return None
        unique = tuple(dict.fromkeys(terms))
        if len(unique) < len(terms):
            repeated = next(term for term in unique if terms.count(term) > 1)
            self.warn(line, f"{column} cell lists {repeated!r} twice")
        return unique

    def _forms(self, cell: str, line: int, column: str) -> tuple[str | Form, ...] | None:
        """A target cell's forms, each with its `{...}` annotation read; a form without one
        stays a plain string."""
        entries = self._terms(cell, line, column)
        if entries is None or "{" not in cell:
            return entries
        forms: list[str | Form] = []
        for position, entry in enumerate(entries):
            try:
                form = parse_form(entry, position)
            except AnnotationError as problem:
                self.error(line, f"{column} cell: {problem}")
                return None
            if not form.text:
                self.error(line, f"{column} cell: {entry!r} has an annotation but no term")
                return None
            forms.append(form)
        return tuple(forms)

    def _check_inflections(self, forms: tuple[str | Form, ...], language: str, line: int,
                           column: str) -> None:
        """In a language with cases, a form that looks like a case form of the pinned one
        but is not marked {inflected} would be normalised to it: say so."""
        if base_language(language) not in CASE_LANGUAGES or len(forms) < 2:
            return
        texts = [form if isinstance(form, str) else form.text for form in forms]
        for form, text in zip(forms[1:], texts[1:]):
            status = ADMITTED if isinstance(form, str) else form.status
            if status == ADMITTED and looks_inflected(text, texts[0]):
                self.warn(line, f"{column} cell: {text!r} looks like a case form of "
                                f"{texts[0]!r}; mark it {{inflected}} to keep it where the "
                                f"engine writes it (unmarked, it is normalised to {texts[0]!r})")

    def _flags(self, cell: str, line: int) -> frozenset[str]:
        if not cell:
            return _NO_FLAGS
        flags = set()
        for word in _FLAG_SEPARATORS.split(cell.lower()):
            if not word:
                continue
            if word in KNOWN_FLAGS:
                flags.add(word)
                continue
            close = difflib.get_close_matches(word, KNOWN_FLAGS, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            self.error(line, f"unknown flag {word!r} ({hint}known: {', '.join(KNOWN_FLAGS)})")
        return frozenset(flags)

    def _report_gaps(self, columns: _Columns) -> None:
        if columns.rows == 0:
            self.warn(columns.line, "glossary has a header but no concepts")
            return
        for index, count in columns.gaps.items():  # reported at the header, which names the column
            if not count:
                continue
            lines = columns.gap_lines[index]
            shown = ", ".join(map(str, lines)) + (", ..." if count > len(lines) else "")
            self.warn(columns.line, f"column {columns.names[index]}: {count} of {columns.rows} "
                                    f"rows have no rendering (line{'s' * (count > 1)} {shown})")


# Languages whose nouns take case endings: further forms there are usually inflections.
CASE_LANGUAGES = frozenset("ru uk be pl cs sk sl hr sr bs bg lt lv et fi hu de el tr ka hy "
                           "la is ro".split())


def looks_inflected(form: str, preferred: str) -> bool:
    """Same words as `preferred`, each with at most a changed ending ("Пхеньяна" of
    "Пхеньян", "Nordkoreas" of "Nordkorea")."""
    words, base = form.split(), preferred.split()
    if len(words) != len(base) or form == preferred:
        return False
    for word, stem in zip(words, base):
        common = 0
        while common < min(len(word), len(stem)) and word[common] == stem[common]:
            common += 1
        if common < max(2, len(stem) - 2):
            return False
    return True


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
