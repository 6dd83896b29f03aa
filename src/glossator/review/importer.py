"""`glossator import`: bring translations approved in another tool back into the project's PO.

A file exported from glossator (XLIFF, TMX, PO or TSV) goes to a translator's tool — OmegaT,
Weblate, Poedit, Okapi — and comes back with units edited and approved. Each unit is matched
to the project PO's entry by segment id (XLIFF `id`/`resname`, TMX `tuid`, PO `msgctxt`, TSV
`id`) and must have the same source text (whitespace runs aside: tools re-flow them); a unit
without such an id (a TMX from another tool, a tool that renumbered the units) matches every
entry with its source text. Then, with
the same rules as a re-run:

- an approved unit (`approved="yes"`, state `signed-off`/`final`, a PO entry not fuzzy, a TMX
  unit not marked fuzzy) replaces the entry's text and makes it reviewed: fuzzy cleared,
  `reviewed: NAME, DATE` recorded, the engine's text kept as `machine:`;
- a unit whose source changed since the export, or whose approved text differs from a
  reviewed translation already in the PO, is not applied and is reported: a reviewed
  translation is never overwritten;
- an unapproved unit is skipped (and counted), or with `include_unapproved` lands as an edit
  that is still fuzzy ("edited, not yet approved").

Changed entries get their pins verified and QA run again, so the PO's comments stay right;
the rest of the file, header included, is left as it was. The PO is written atomically under
the output folder's lock, and only when something changed.

The file is untrusted: it is refused over `MAX_IMPORT_BYTES` before it is parsed, the
article name and target language it gives must be one file name and a language code, and
the PO they lead to must really lie inside OUT (no link out of it). An XLIFF may hold
several articles (`<file>`s): each goes into its own PO, every PO found and checked before
any is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from glossator.errors import FormatError, GlossatorError, display_path
from glossator.formats import reader_for
from glossator.formats.po import load_pofile, po_document, update_pofile
from glossator.io.files import project_lock, write_all
from glossator.io.reading import MAX_IMPORT_BYTES, open_regular
from glossator.languages import base_language, display_name, tag_language
from glossator.model import SEGMENT_ID, Document, Segment, approval_stamp
from glossator.terms.qa import recheck

Report = Callable[[str], None]
# The file's target language and article name become folder and file names under OUT.
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*(?:@[A-Za-z0-9]{1,8})?")
_NOT_IN_A_NAME = re.compile(r"[/\\\x00]")


def _silent(_message: str) -> None:
    pass


@dataclass
class ImportResult:
    """What an import did, unit by unit (segment ids, in file order)."""

    po_path: Path
    approved: list[str] = field(default_factory=list)  # now reviewed with the unit's text
    edited: list[str] = field(default_factory=list)  # unapproved edits applied, still fuzzy
    unchanged: list[str] = field(default_factory=list)  # the PO had this already
    unapproved: list[str] = field(default_factory=list)  # skipped: not approved
    empty: list[str] = field(default_factory=list)  # skipped: no translation in the unit
    source_changed: list[str] = field(default_factory=list)  # not applied
    conflicts: list[str] = field(default_factory=list)  # not applied: PO reviewed differently
    unknown: list[str] = field(default_factory=list)  # no such segment in the PO
    written: bool = False

    @property
    def not_applied(self) -> list[str]:
        return [*self.source_changed, *self.conflicts, *self.unknown]

    def lines(self) -> list[str]:
        """The report: one summary line, then one line per kind of unit not applied."""
        lines = [f"{self.po_path}: {len(self.approved)} approved, {len(self.edited)} edited "
                 f"(not approved), {len(self.unchanged)} unchanged, {len(self.unapproved)} "
                 f"unapproved skipped, {len(self.empty)} empty skipped"
                 + ("" if self.written else "; nothing to write")]
        for ids, why in ((self.source_changed, "source text changed since the export"),
                         (self.conflicts, "a different reviewed translation is in the PO"),
                         (self.unknown, "no such segment in the PO")):
            if ids:
                lines.append(f"not applied, {why}: {len(ids)} ({_listed(ids)})")
        return lines


def import_units(path: Path, po_path: Path | None = None, *, reviewer: str = "",
                 include_unapproved: bool = False, format_name: str | None = None,
                 out: Path = Path("locale"), report: Report = _silent) -> list[ImportResult]:
    """Merge the units of `path` into the project PO of each article it holds (`po_path`, else
    OUT/LANG/NAME.po from the article's name and target language) and write them: one result
    per PO, in file order; see the module docstring. Every PO is found and checked before any
    is written."""
    path = Path(path)
    reader = reader_for(path, format_name)
    _check_size(path)
    targets = _targets(reader.read_documents(path), path, po_path, out)
    for target, imported in targets.items():
        _project(target, imported, path)
    stamp = approval_stamp(reviewer or f"import of {path.name}")
    results: list[ImportResult] = []
    for target, imported in targets.items():
        try:
            results.append(_import_into(target, imported, path, stamp, include_unapproved))
        except GlossatorError as error:  # a run took the folder, or the PO changed meanwhile
            done = [display_path(result.po_path) for result in results if result.written]
            if done:
                error.message += f" (already imported into {', '.join(done)})"
            raise
    for result in results:
        for line in result.lines():
            report(line)
    return results


def _check_size(path: Path) -> None:
    """Refuse what is not a regular file, or is over the limit, before a byte is parsed. (The
    reader opens the file again: one that grows in between was changed by whoever can already
    write anything into it.)"""
    if not path.exists():
        raise FormatError("no such file", path=path)
    with open_regular(path, FormatError, what="file to import", limit=MAX_IMPORT_BYTES):
        pass


def _import_into(po_path: Path, imported: list[Document], path: Path, stamp: str,
                 include_unapproved: bool) -> ImportResult:
    """Apply the units of the documents that belong to one PO, under its lock."""
    with project_lock(po_path):
        pofile, project = _project(po_path, imported, path)
        result = ImportResult(po_path)
        changed = _apply(imported, project, result, stamp, include_unapproved)
        if changed:
            recheck(changed, project.source_lang, project.target_lang or "")
            write_all({po_path: update_pofile(pofile, changed)})
            result.written = True
    return result


def _project(po_path: Path, imported: list[Document], path: Path
             ) -> tuple[polib.POFile, Document]:
    """The project PO, parsed, once it is known to be another file in the same languages."""
    if po_path.exists() and os.path.realpath(po_path) == os.path.realpath(path):
        raise FormatError("this is the project PO itself; import a copy edited elsewhere",
                          path=path)
    pofile = load_pofile(po_path)
    project = po_document(pofile, po_path)
    for document in imported:
        _check_languages(document, project, path)
    return pofile, project


def _apply(imported: list[Document], project: Document, result: ImportResult, stamp: str,
           include_unapproved: bool) -> list[Segment]:
    by_id = {segment.id: segment for segment in project.segments}
    by_source: dict[str, list[Segment]] = {}
    for segment in project.segments:
        by_source.setdefault(_squashed(segment.source), []).append(segment)
    changed: dict[str, Segment] = {}
    for unit in (unit for document in imported for unit in document.segments):
        label = unit.id or unit.source[:30]
        if SEGMENT_ID.fullmatch(unit.id):
            entry = by_id.get(unit.id)
            if entry is None:
                result.unknown.append(label)
                continue
            if _squashed(entry.source) != _squashed(unit.source):
                result.source_changed.append(label)
                continue
            entries = [entry]
        else:
            entries = by_source.get(_squashed(unit.source), [])
            if not entries:
                result.unknown.append(label)
                continue
        for entry in entries:
            outcome = _merge_unit(unit, entry, stamp, include_unapproved)
            getattr(result, outcome).append(entry.id)
            if outcome in ("approved", "edited"):
                changed[entry.id] = entry
    return list(changed.values())


def _merge_unit(unit: Segment, entry: Segment, stamp: str, include_unapproved: bool) -> str:
    """Apply one unit to one PO entry; the name of the ImportResult list it belongs in."""
    if not unit.target.strip():
        return "empty"
    if unit.fuzzy and not include_unapproved:
        return "unapproved"
    if not entry.fuzzy:  # a reviewed translation is never overwritten
        return "unchanged" if entry.target == unit.target else "conflicts"
    if unit.fuzzy and entry.target == unit.target:
        return "unchanged"
    if not entry.machine and entry.target and not entry.reviewer:
        entry.machine = entry.target  # what the engine wrote, kept to compare
    entry.target = unit.target
    entry.fuzzy = unit.fuzzy
    if unit.fuzzy:
        return "edited"
    entry.previous_source = None
    entry.reviewer = stamp
    return "approved"


def _targets(documents: list[Document], path: Path, po_path: Path | None,
             out: Path) -> dict[Path, list[Document]]:
    """Each project PO and the documents of the file that go into it, in file order."""
    if po_path is not None:
        if len(documents) > 1:
            raise FormatError(f"holds {len(documents)} articles (<file> elements); leave out "
                              "--po so that each goes to its own project PO", path=path)
        return {Path(po_path): documents}
    targets: dict[Path, list[Document]] = {}
    missing: list[str] = []
    for document in documents:
        found, looked_for = _find_po(document, path, out)
        if found is None:
            missing.append(f"no project PO for {document.name!r}: {looked_for}")
        else:
            targets.setdefault(found, []).append(document)
    if missing:
        raise FormatError("; ".join(missing) + ("; give it with --po, or the output folder "
                                                "with --out" if len(documents) == 1 else
                                                "; give the output folder with --out"),
                          path=path)
    return targets


def _find_po(imported: Document, path: Path, out: Path) -> tuple[Path | None, str]:
    """OUT/LANG/NAME.po for the file's article and target language, LANG as `--to` wrote it
    ("pt_BR", "pt-BR") or the bare language; else None and where it was looked for."""
    language = _checked_names(imported, path)
    codes = dict.fromkeys([language, language.replace("-", "_"), tag_language(language),
                           base_language(language)])
    candidates = [out / code / f"{imported.name}.po" for code in codes]
    for candidate in candidates:
        if candidate.is_file():
            return _inside(candidate, out, path), ""
    # Articles read from subfolders have their outputs in the same subfolders.
    wanted = f"{imported.name}.po"
    nested = [found for code in codes for found in (out / code).rglob("*.po")
              if found.name == wanted]
    if len(nested) == 1:
        return _inside(nested[0], out, path), ""
    others = len(candidates) - 1
    return None, (f"looked for {display_path(candidates[0])}"
                  + (f" and {others} other spelling(s) of the language" if others else ""))


def _checked_names(imported: Document, path: Path) -> str:
    """The target language, once it and the article name, both read from the file and both
    to become parts of a path under OUT, are known to be a language code and one file name."""
    if not imported.target_lang:
        raise FormatError("the file names no target language; give the project PO with --po",
                          path=path)
    if not _LANGUAGE_CODE.fullmatch(imported.target_lang):
        raise FormatError(f"its target language {imported.target_lang!r} is not a language "
                          "code", path=path)
    name = imported.name
    if not name or name in (".", "..") or _NOT_IN_A_NAME.search(name):
        raise FormatError(f"its article name {name!r} is not a file name; give the project PO "
                          "with --po", path=path)
    return imported.target_lang


def _inside(found: Path, out: Path, path: Path) -> Path:
    """`found` when it really lies inside OUT: no link leads the import out of it."""
    real, root = os.path.realpath(found), os.path.realpath(out)
    if os.path.commonpath([real, root]) != root:
        raise FormatError(f"the project PO for it, {display_path(found)}, is outside the output "
                          f"folder {display_path(out)} (it leads to {display_path(real)})",
                          path=path)
    return found


def _check_languages(imported: Document, project: Document, path: Path) -> None:
    if (imported.target_lang and project.target_lang
            and base_language(imported.target_lang) != base_language(project.target_lang)):
        raise FormatError(f"holds a {display_name(imported.target_lang)} translation, but "
                          f"{project.path} is {display_name(project.target_lang)}", path=path)
    if (imported.source_lang and project.source_lang
            and base_language(imported.source_lang) != base_language(project.source_lang)):
        raise FormatError(f"its source language is {display_name(imported.source_lang)}, "
                          f"not {display_name(project.source_lang)}", path=path)


def _squashed(text: str) -> str:
    return " ".join(text.split())


def _listed(ids: list[str], limit: int = 20) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f", … {len(ids) - limit} more" if len(ids) > limit else "")
