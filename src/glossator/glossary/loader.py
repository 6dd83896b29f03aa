"""The one loader every verb uses, and which of the glossary files it uses
(`select_glossaries`; where they are looked for is `glossator.glossary.files`).

A folder contributes its `*.csv` and `*.tbx` files; the reader is picked by extension. Every
file is multi-directional: a file written from English serves a Portuguese → English run, its
`pt` forms becoming the spellings to find and its `en` column the pinned rendering
(`reorient`). All the files together make one glossary, a spelling in only one concept.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from glossator.errors import GlossaryError, LanguageError
from glossator.glossary import csv as glossary_csv
from glossator.glossary.csv import TermIndex, match_key
from glossator.glossary.files import ENVIRONMENT, default_folder, glossary_files
from glossator.glossary.model import Concept, Form, Glossary, as_forms, glossary_digest
from glossator.languages import base_language, display_name, parse_language


@dataclass
class Selection:
    """The glossary paths a run uses, and what the default rule left out."""

    paths: list[Path]
    source_lang: str | None = None
    left_out: list[Path] = field(default_factory=list)  # no column for the source language
    none_reason: str = ""  # why no glossary is used, when `paths` is empty

    def left_out_lines(self) -> list[str]:
        language = display_name(self.source_lang or "")
        return [f"glossary: {path} left out: it has no {language} column"
                for path in self.left_out]


def select_glossaries(paths: Sequence[str | Path] | None,
                      source_lang: str | None = None) -> Selection:
    """The paths to load: those given, else what the default rule finds.

    None means the default rule; an empty list means no glossary (`--no-glossary`). With a
    source language, the default rule leaves out the files that have no column for it.
    """
    source = base_code(source_lang) if source_lang else None
    if paths is not None:
        given = [Path(path) for path in paths]
        return Selection(given, source, none_reason="" if given else "--no-glossary")
    folder, where = default_folder()
    if folder is None:
        return Selection([], source, none_reason=where)
    if folder.is_dir() and not _has_glossary_files(folder):
        if where == f"${ENVIRONMENT}":  # named by the user: as if passed with --glossary
            glossary_files([folder])  # raises, naming the folder
        return Selection([], source, none_reason=f"{folder} has no *.csv or *.tbx files")
    files = glossary_files([folder])
    if source is None:
        return Selection([folder], source)
    chosen = [file for file in files if _serves(file, source) is not False]
    left_out = [file for file in files if file not in chosen]
    reason = "" if chosen else f"no file in {folder} has a {source} column"
    return Selection(chosen, source, left_out, reason)


def load_glossary(paths: Sequence[str | Path], source_lang: str = "en") -> Glossary:
    """Read glossary files (CSV or TBX, by extension) into one glossary for `source_lang`;
    raise GlossaryError at the first error. A file written from another language is
    re-oriented; one with no column for `source_lang` is an error."""
    files = glossary_files(paths)
    source = base_code(source_lang)
    declared = {file: declared_language(file) for file in files}
    direct = [file for file in files if not is_tbx(file) and declared[file] in (None, source)]
    if len(direct) == len(files):  # the common case: read as one, exactly as ever
        return glossary_csv.load_glossaries(files, source)
    parts: list[Glossary] = []
    for run in reading_runs(files, direct):
        if run[0] in direct:  # read as one, so the CSV reader checks them against each other
            parts.append(glossary_csv.load_glossaries(run, source))
            continue
        [file] = run
        glossary = _read_own(file, declared[file])
        if not has_language(glossary, source):
            raise GlossaryError(f"glossary has no {source} column (it is written from "
                                f"{glossary.source_lang})", path=file)
        parts.append(reorient(glossary, source))
    merged, problems = merge_parts(parts, files, source)
    if problems:
        concept, message = problems[0]
        raise GlossaryError(message, path=concept.path, line=concept.line or None)
    return merged


def reorient(glossary: Glossary, source_lang: str) -> Glossary:
    """The glossary seen from `source_lang`: its forms in that language become the spellings
    to find, and the old source spellings a target rendering (the first one pinned, the others
    admitted). Other languages stay targets; notes and flags carry over.

    A concept with no form in `source_lang` is dropped, unless it is do-not-translate (`keep`:
    its spelling is the same in every language). A spelling that an earlier concept already
    has in `source_lang` finds that one (a concept left with none is dropped).
    """
    source = base_code(source_lang)
    old = base_code(glossary.source_lang)
    if old == source:
        return glossary
    taken = _Taken()
    concepts: list[Concept] = []
    for concept in glossary.concepts:
        columns = sorted((code for code in concept.renderings if base_code(code) == source),
                         key=lambda code: (code != source, code))
        if columns:
            spellings = [form.text for code in columns
                         for form in as_forms(concept.renderings[code])]
        elif concept.keep:
            spellings = list(concept.variants)
        else:
            continue
        variants = taken.claim(list(dict.fromkeys(spellings)), concept.ignore_case)
        if not variants:
            continue
        renderings: dict[str, tuple[str | Form, ...]] = {
            code: forms for code, forms in concept.renderings.items() if code not in columns}
        if columns:
            renderings[old] = tuple(concept.variants)  # pinned first, the others admitted
        concepts.append(replace(concept, variants=tuple(variants), renderings=renderings))
    languages = {code for code in glossary.languages if base_code(code) != source} | {old}
    return Glossary(source_lang=source, concepts=concepts, languages=languages,
                    sources=list(glossary.sources), digest=glossary.digest)


def reading_runs(files: list[Path], direct: list[Path]) -> list[list[Path]]:
    """The files in order, consecutive ones in `direct` together, each other file alone."""
    runs: list[list[Path]] = []
    for file in files:
        if file in direct and runs and runs[-1][0] in direct:
            runs[-1].append(file)
        else:
            runs.append([file])
    return runs


class _Taken:
    """Spellings earlier concepts have, compared as the matcher compares them."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        self.folded: set[str] = set()  # every spelling, casefolded
        self.nocase: set[str] = set()  # casefolded spellings of nocase concepts

    def claim(self, spellings: list[str], ignore_case: bool) -> list[str]:
        keys = [match_key(spelling) for spelling in spellings]
        free = [spelling for spelling, key in zip(spellings, keys)
                if key not in self.exact and key.casefold() not in self.nocase
                and not (ignore_case and key.casefold() in self.folded)]
        for key in keys:
            self.exact.add(key)
            self.folded.add(key.casefold())
            if ignore_case:
                self.nocase.add(key.casefold())
        return free


def merge_parts(parts: list[Glossary], files: list[Path],
           source: str) -> tuple[Glossary, list[tuple[Concept, str]]]:
    """One glossary from several, and each spelling found in two concepts."""
    if len(parts) == 1:  # one file, or files the CSV reader has checked against each other
        return parts[0], []
    terms = TermIndex()
    concepts: list[Concept] = []
    problems: list[tuple[Concept, str]] = []
    for part in parts:
        for concept in part.concepts:
            problems.extend((concept, message) for message in terms.add(concept))
            concepts.append(concept)
    problems.extend(terms.case_clashes())
    read = {source for part in parts for source in part.sources}
    sources = [str(file) for file in files if str(file) in read]
    languages = {code for part in parts for code in part.languages}
    return Glossary(source_lang=source, concepts=concepts, languages=languages,
                    sources=sources, digest=glossary_digest(map(_file_sha256, files))), problems


def _file_sha256(file: Path) -> bytes:
    """The sha256 digest of a file's bytes, read a MiB at a time."""
    hasher = hashlib.sha256()
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(chunk)
    return hasher.digest()


def _read_own(path: Path, declared: str | None) -> Glossary:
    """A file read from its own source language."""
    if is_tbx(path):
        from glossator.glossary.tbx import read_tbx

        return read_tbx(path)
    return glossary_csv.load_glossaries([path], declared)


def has_language(glossary: Glossary, source: str) -> bool:
    """Whether `glossary` has forms in the base language `source`."""
    return (base_code(glossary.source_lang) == source
            or any(base_code(code) == source for code in glossary.languages))


def _serves(path: Path, source: str) -> bool | None:
    """Whether a file has a column for `source`; None when that cannot be told without
    reading it all (the reader then reports why)."""
    languages = _tbx_languages(path) if is_tbx(path) else _csv_languages(path)
    return None if languages is None else source in languages


def declared_language(path: Path) -> str | None:
    """The source language a file declares: a CSV header's first column, a TBX document's
    xml:lang (else its first language section's); None where that cannot be read."""
    languages = _tbx_languages(path) if is_tbx(path) else _csv_languages(path)
    return languages[0] if languages else None


def _csv_languages(path: Path) -> list[str] | None:
    """The base languages of a CSV file's header, the source first; None where the header
    cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                if any(cell.strip() for cell in row) and not row[0].lstrip().startswith("#"):
                    break
            else:
                return None
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    languages = []
    for position, cell in enumerate(row):
        name = cell.strip()
        if position and name.lower() in (glossary_csv.NOTE_COLUMN, glossary_csv.FLAGS_COLUMN):
            continue
        try:
            languages.append(base_code(name))
        except LanguageError:
            if position == 0:
                return None
    return languages


def _tbx_languages(path: Path) -> list[str] | None:
    """The base languages of a TBX file's language sections; None where it is not XML."""
    from lxml import etree

    languages: dict[str, None] = {}
    attribute = "{http://www.w3.org/XML/1998/namespace}lang"
    try:
        for _event, element in etree.iterparse(str(path), events=("start",),
                                               resolve_entities=False, no_network=True,
                                               load_dtd=False):
            code = element.get(attribute) if isinstance(element.tag, str) else None
            if code:
                try:
                    languages.setdefault(base_code(code))
                except LanguageError:
                    return None
    except (OSError, etree.XMLSyntaxError):
        return None
    return list(languages)


def _has_glossary_files(folder: Path) -> bool:
    try:
        return bool(glossary_files([folder]))
    except GlossaryError:
        return False


def is_tbx(path: Path) -> bool:
    """Whether `path` is read as TBX (by its extension)."""
    return path.suffix.lower() == ".tbx"


def base_code(code: str) -> str:
    """The base language of a code as given ("pt-BR" → "pt"); LanguageError for a bad one."""
    return base_language(parse_language(code))
