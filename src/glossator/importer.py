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
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from glossator.errors import FormatError
from glossator.formats import reader_for
from glossator.formats.po import load_pofile, po_document, update_pofile
from glossator.fsutil import project_lock, write_all
from glossator.languages import base_language, display_name, tag_language
from glossator.model import Document, Segment, approval_stamp
from glossator.qa import recheck

Report = Callable[[str], None]
_SEGMENT_ID = re.compile(r"\d+\.\d+")  # glossator's ids; a tool's own ids match by source


def _silent(_message: str) -> None:
    pass


@dataclass
class ImportResult:
    """What an import did, unit by unit (segment ids, in file order)."""

    po_path: Path
    approved: list[str] = field(default_factory=list)  # now reviewed with the unit's text
    edited: list[str] = field(default_factory=list)  # unapproved edits landed, still fuzzy
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
                 out: Path = Path("locale"), report: Report = _silent) -> ImportResult:
    """Merge the units of `path` into the project PO (`po_path`, else OUT/LANG/NAME.po from the
    file's article name and target language) and write it; see the module docstring."""
    path = Path(path)
    imported = reader_for(path, format_name).read(path)
    po_path = Path(po_path) if po_path else _find_po(imported, path, out)
    if po_path.exists() and os.path.realpath(po_path) == os.path.realpath(path):
        raise FormatError("this is the project PO itself; import a copy edited elsewhere",
                          path=path)
    stamp = approval_stamp(reviewer or f"import of {path.name}")
    with project_lock(po_path):
        pofile = load_pofile(po_path)
        project = po_document(pofile, po_path)
        _check_languages(imported, project, path)
        result = ImportResult(po_path)
        changed = _apply(imported, project, result, stamp, include_unapproved)
        if changed:
            recheck(changed, project.source_lang, project.target_lang or "")
            write_all({po_path: update_pofile(pofile, changed)})
            result.written = True
    for line in result.lines():
        report(line)
    return result


def _apply(imported: Document, project: Document, result: ImportResult, stamp: str,
           include_unapproved: bool) -> list[Segment]:
    by_id = {segment.id: segment for segment in project.segments}
    by_source: dict[str, list[Segment]] = {}
    for segment in project.segments:
        by_source.setdefault(_squashed(segment.source), []).append(segment)
    changed: dict[str, Segment] = {}
    for unit in imported.segments:
        label = unit.id or unit.source[:30]
        if _SEGMENT_ID.fullmatch(unit.id):
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


def _find_po(imported: Document, path: Path, out: Path) -> Path:
    """OUT/LANG/NAME.po for the file's article and target language, LANG as `--to` wrote it
    ("pt_BR", "pt-BR") or the bare language."""
    if not imported.target_lang:
        raise FormatError("the file names no target language; give the project PO with --po",
                          path=path)
    language = imported.target_lang
    codes = dict.fromkeys([language, language.replace("-", "_"), tag_language(language),
                           base_language(language)])
    candidates = [out / code / f"{imported.name}.po" for code in codes]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    # Articles read from subfolders have their outputs in the same subfolders.
    wanted = f"{imported.name}.po"
    nested = [found for code in codes for found in (out / code).rglob("*.po")
              if found.name == wanted]
    if len(nested) == 1:
        return nested[0]
    raise FormatError(f"no project PO for it: looked for {candidates[0]}"
                      + (f" and {len(candidates) - 1} other spelling(s) of the language"
                         if len(candidates) > 1 else "")
                      + "; give it with --po, or the output folder with --out", path=path)


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
