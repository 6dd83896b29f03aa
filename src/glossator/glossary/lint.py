"""`glossator glossary check`: every problem of a set of glossary files, CSV and TBX together,
each file checked as written and then against the others from the run's source language."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from glossator.errors import GlossaryError
from glossator.glossary import csv as glossary_csv
from glossator.glossary.csv import ERROR, WARNING, Problem
from glossator.glossary.files import glossary_files
from glossator.glossary.loader import (
    base_code,
    declared_language,
    has_language,
    is_tbx,
    merge_parts,
    reading_runs,
    reorient,
)
from glossator.glossary.model import Glossary


def lint(paths: Sequence[str | Path],
         source_lang: str | None = None) -> tuple[Glossary | None, list[Problem]]:
    """Check glossary files; return every finding, and the glossary where there is no error.

    Without `source_lang`, the first file's source language is the glossary's. A file written
    from another language is checked as written, then re-oriented and checked against the
    others; one with no column for the source language is checked on its own (a warning
    says so).
    """
    try:
        files = glossary_files(paths)
    except GlossaryError as error:
        return None, [Problem(error.path or "", error.line or 0, error.message)]
    declared = {file: declared_language(file) for file in files}
    source = base_code(source_lang) if source_lang else next(
        (code for code in declared.values() if code), None)
    direct = [file for file in files if not is_tbx(file) and declared[file] in (None, source)]
    findings: list[Problem] = []
    parts: list[Glossary] = []
    for run in reading_runs(files, direct):
        if run[0] in direct:
            glossary, found = glossary_csv.lint_glossaries(run, source)
            findings.extend(found)
            if glossary is not None:
                parts.append(glossary)
                source = source or base_code(glossary.source_lang)
            continue
        [file] = run
        if is_tbx(file):
            from glossator.glossary.tbx import read_tbx

            try:
                glossary = read_tbx(file)
            except GlossaryError as error:
                findings.append(Problem(error.path or str(file), error.line or 0,
                                        error.message))
                continue
        else:
            glossary, found = glossary_csv.lint_glossaries([file])
            findings.extend(found)
            if glossary is None:
                continue
        if source is None:
            continue
        if not has_language(glossary, source):
            findings.append(Problem(str(file), 0, f"no {source} column: checked on its own, "
                                                  f"not with the other files", WARNING))
            continue
        parts.append(reorient(glossary, source))
    merged, problems = merge_parts(parts, files, source or "en")
    findings.extend(Problem(concept.path, concept.line, message, ERROR)
                    for concept, message in problems)
    if any(finding.severity == ERROR for finding in findings):
        return None, findings
    return merged, findings
