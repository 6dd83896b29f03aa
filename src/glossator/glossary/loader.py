"""Where glossaries are found, and the one loader every verb uses.

The default rule, the same for `translate` and every `glossary` verb: the first that exists of
`./glossaries/`, `$GLOSSATOR_GLOSSARIES` (a folder or a file), and the user data folder
(`platformdirs.user_data_path("glossator") / "glossaries"`, no app author on Windows).
`--glossary PATH` replaces it.

A folder contributes its `*.csv` and `*.tbx` files; the reader is picked by extension. Every
file is multi-directional: a file written from English serves a Portuguese → English run, its
`pt` forms becoming the spellings to find and its `en` column the pinned rendering
(`reorient`). All the files together make one glossary, a spelling in only one concept.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from glossator.errors import GlossaryError, LanguageError
from glossator.glossary import csv as glossary_csv
from glossator.glossary.csv import ERROR, WARNING, Finding, TermIndex, match_key
from glossator.glossary.model import Concept, Form, Glossary, as_forms
from glossator.languages import base_language, display_name, parse_language

LOCAL_FOLDER = Path("glossaries")
ENVIRONMENT = "GLOSSATOR_GLOSSARIES"
SUFFIXES = (".csv", ".tbx")
_SKIPPED_PREFIXES = (".", "~$")  # hidden files, and the lock files editors write


def user_folder() -> Path:
    """The user data folder's `glossaries` (~/.local/share/glossator/glossaries on Linux)."""
    import platformdirs  # only verbs that read glossaries pay for it

    return platformdirs.user_data_path("glossator", appauthor=False) / "glossaries"


def default_folder() -> tuple[Path | None, str]:
    """The folder (or file) the default rule finds, and which rule found it; (None, where it
    looked) when there is none. `$GLOSSATOR_GLOSSARIES` naming nothing is an error."""
    if LOCAL_FOLDER.is_dir():
        return LOCAL_FOLDER, f"./{LOCAL_FOLDER}"
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.exists():
            raise GlossaryError(f"no such glossary file or folder (named by ${ENVIRONMENT})",
                                path=path)
        return path, f"${ENVIRONMENT}"
    user = user_folder()
    if user.is_dir():
        return user, str(user)
    return None, f"looked in ./{LOCAL_FOLDER}, ${ENVIRONMENT}, {user}"


def glossary_files(paths: Sequence[str | Path],
                   suffixes: Sequence[str] = SUFFIXES) -> list[Path]:
    """Files named, and the glossary files of folders named (sorted), each file once.

    A folder contributes its files ending in one of `suffixes` (any case), less those whose
    names start with `.` or `~$`; a folder with none is an error.
    """
    files: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found = sorted(
                child for child in given.iterdir()
                if child.suffix.lower() in suffixes and child.is_file()
                and not child.name.startswith(_SKIPPED_PREFIXES)
            )
            if not found:
                kinds = " or ".join(f"*{suffix}" for suffix in suffixes)
                raise GlossaryError(f"folder has no glossary files ({kinds})", path=given)
            files.extend(found)
        elif given.is_file():
            files.append(given)
        elif given.exists():  # a FIFO or a device: never opened, it could hang or never end
            raise GlossaryError("not a regular file or folder", path=given)
        else:
            raise GlossaryError("no such glossary file or folder", path=given)
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)  # a file named and also in a named folder
    return list(unique.values())


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
    source = _base(source_lang) if source_lang else None
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
    source = _base(source_lang)
    declared = {file: _declared(file) for file in files}
    direct = [file for file in files if not _is_tbx(file) and declared[file] in (None, source)]
    if len(direct) == len(files):  # the common case: read as one, exactly as ever
        return glossary_csv.load_glossaries(files, source)
    parts: list[Glossary] = []
    for run in _runs(files, direct):
        if run[0] in direct:  # read as one, so the CSV reader checks them against each other
            parts.append(glossary_csv.load_glossaries(run, source))
            continue
        [file] = run
        glossary = _read_own(file, declared[file])
        if not _has_language(glossary, source):
            raise GlossaryError(f"glossary has no {source} column (it is written from "
                                f"{glossary.source_lang})", path=file)
        parts.append(reorient(glossary, source))
    merged, problems = _merge(parts, files, source)
    if problems:
        concept, message = problems[0]
        raise GlossaryError(message, path=concept.path, line=concept.line or None)
    return merged


def lint(paths: Sequence[str | Path],
         source_lang: str | None = None) -> tuple[Glossary | None, list[Finding]]:
    """Check glossary files; return every finding, and the glossary where there is no error.

    Without `source_lang`, the first file's source language is the glossary's. A file written
    from another language is checked as written, then re-oriented and checked against the
    others; one with no column for the source language is checked on its own (a warning
    says so).
    """
    try:
        files = glossary_files(paths)
    except GlossaryError as error:
        return None, [Finding(error.path or "", error.line or 0, error.message)]
    declared = {file: _declared(file) for file in files}
    source = _base(source_lang) if source_lang else next(
        (code for code in declared.values() if code), None)
    direct = [file for file in files if not _is_tbx(file) and declared[file] in (None, source)]
    findings: list[Finding] = []
    parts: list[Glossary] = []
    for run in _runs(files, direct):
        if run[0] in direct:
            glossary, found = glossary_csv.lint_glossaries(run, source)
            findings.extend(found)
            if glossary is not None:
                parts.append(glossary)
                source = source or _base(glossary.source_lang)
            continue
        [file] = run
        if _is_tbx(file):
            from glossator.glossary.tbx import read_tbx

            try:
                glossary = read_tbx(file)
            except GlossaryError as error:
                findings.append(Finding(error.path or str(file), error.line or 0,
                                        error.message))
                continue
        else:
            glossary, found = glossary_csv.lint_glossaries([file])
            findings.extend(found)
            if glossary is None:
                continue
        if source is None:
            continue
        if not _has_language(glossary, source):
            findings.append(Finding(str(file), 0, f"no {source} column: checked on its own, "
                                                  f"not with the other files", WARNING))
            continue
        parts.append(reorient(glossary, source))
    merged, problems = _merge(parts, files, source or "en")
    findings.extend(Finding(concept.path, concept.line, message, ERROR)
                    for concept, message in problems)
    if any(finding.severity == ERROR for finding in findings):
        return None, findings
    return merged, findings


def reorient(glossary: Glossary, source_lang: str) -> Glossary:
    """The glossary seen from `source_lang`: its forms in that language become the spellings
    to find, and the old source spellings a target rendering (the first one pinned, the others
    admitted). Other languages stay targets; notes and flags carry over.

    A concept with no form in `source_lang` is dropped, unless it is do-not-translate (`keep`:
    its spelling is the same in every language). A spelling that an earlier concept already
    has in `source_lang` finds that one (a concept left with none is dropped).
    """
    source = _base(source_lang)
    old = _base(glossary.source_lang)
    if old == source:
        return glossary
    taken = _Taken()
    concepts: list[Concept] = []
    for concept in glossary.concepts:
        columns = sorted((code for code in concept.renderings if _base(code) == source),
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
    languages = {code for code in glossary.languages if _base(code) != source} | {old}
    return Glossary(source_lang=source, concepts=concepts, languages=languages,
                    sources=list(glossary.sources), digest=glossary.digest)


def _runs(files: list[Path], direct: list[Path]) -> list[list[Path]]:
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


def _merge(parts: list[Glossary], files: list[Path],
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
                    sources=sources, digest=_digest(files)), problems


def _digest(files: list[Path]) -> str:
    """The same value as the CSV reader's: sha256 over each file's sha256."""
    outer = hashlib.sha256()
    for file in files:
        inner = hashlib.sha256()
        with file.open("rb") as handle:
            for chunk in iter(lambda handle=handle: handle.read(1 << 20), b""):
                inner.update(chunk)
        outer.update(inner.digest())
    return outer.hexdigest()


def _read_own(path: Path, declared: str | None) -> Glossary:
    """A file read from its own source language."""
    if _is_tbx(path):
        from glossator.glossary.tbx import read_tbx

        return read_tbx(path)
    return glossary_csv.load_glossaries([path], declared)


def _has_language(glossary: Glossary, source: str) -> bool:
    return (_base(glossary.source_lang) == source
            or any(_base(code) == source for code in glossary.languages))


def _serves(path: Path, source: str) -> bool | None:
    """Whether a file has a column for `source`; None when that cannot be told without
    reading it all (the reader then reports why)."""
    languages = _tbx_languages(path) if _is_tbx(path) else _csv_languages(path)
    return None if languages is None else source in languages


def _declared(path: Path) -> str | None:
    """The source language a file declares: a CSV header's first column, a TBX document's
    xml:lang (else its first language section's); None where that cannot be read."""
    languages = _tbx_languages(path) if _is_tbx(path) else _csv_languages(path)
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
            languages.append(_base(name))
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
                    languages.setdefault(_base(code))
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


def _is_tbx(path: Path) -> bool:
    return path.suffix.lower() == ".tbx"


def _base(code: str) -> str:
    return base_language(parse_language(code))
