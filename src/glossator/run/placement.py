"""Where an article's outputs live, found from the article alone.

Every PO file glossator writes records in its header the article it translates:

    "X-Glossator-Article: ../archive/2024/a.txt\\n"

the article's real path relative to the output folder, percent-encoded where a file name
holds what a header line cannot (`%`, `"`, `\\`, white space, control characters, bytes that
are not UTF-8), so any name Linux allows survives. A path relative to the output folder
stays right when the project (articles and output folder together) is moved or cloned.

A run places each article by that record: an article that already has a PO under
`OUT/LANG/` keeps it, wherever a previous run put it, so a run over any subset of an archive
updates the same files. An article without one gets the mirrored path (`inputs.Source.stem`).
Where that path holds the PO of another article, the other article is looked for: gone (the
article was moved or renamed), its PO is taken over; still there, the run is refused before
anything is written, since one of the two translations would be lost.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePath

from glossator.formats.po import ARTICLE_FIELD
from glossator.io.names import quote_path, unquote_path

_FIELD_LINE = re.compile(rb'^"' + ARTICLE_FIELD.encode() + rb': ([^"\\]*)\\n"\r?$', re.MULTILINE)
_HEADER_BYTES = 64 * 1024  # the field is in the header entry, at the top


def article_key(article: Path, out: Path, real_folders: dict[str, str] | None = None) -> str:
    """What a PO's header records of `article`: its real path relative to the real `out`.
    `real_folders` (a folder → its real path, kept by the caller for a run) spares resolving
    each folder of an archive again for every article in it."""
    if real_folders is None:
        return quote_path(os.path.relpath(os.path.realpath(article), os.path.realpath(out)))
    return quote_path(os.path.relpath(_real_path(str(article), real_folders),
                                      _real_folder(str(out), real_folders)))


def _real_path(path: str, real_folders: dict[str, str]) -> str:
    folder, name = os.path.split(path)  # not normalised: ".." after a linked folder is its
    if name in ("", ".", "..") or os.path.islink(path):  # target's parent, as realpath has it
        return os.path.realpath(path)
    return os.path.join(_real_folder(folder, real_folders), name)


def _real_folder(folder: str, real_folders: dict[str, str]) -> str:
    real = real_folders.get(folder)
    if real is None:
        real = real_folders[folder] = os.path.realpath(folder)
    return real


def key_path(key: str, out: Path) -> Path:
    """The article a recorded key names, as a path (relative keys from `out`)."""
    return Path(os.path.realpath(out), unquote_path(key))


def recorded_key(po_path: Path) -> str | None:
    """The article key in the header of the PO at `po_path`; None when it records none (a
    PO from an older glossator, or not glossator's) or cannot be read."""
    try:
        with open(po_path, "rb") as handle:
            head = handle.read(_HEADER_BYTES)
    except OSError:
        return None
    found = _FIELD_LINE.search(head)
    return found[1].decode("utf-8", "replace") if found else None


class OutputIndex:
    """The PO files under one language folder `OUT/LANG`, by the article each records."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.by_key: dict[str, list[PurePath]] = {}  # key → stems (PO path without .po)
        for path in _po_files(folder):
            key = recorded_key(path)
            if key is not None:
                stem = path.relative_to(folder).with_suffix("")
                self.by_key.setdefault(key, []).append(stem)

    def stem_of(self, key: str, preferred: PurePath) -> PurePath | None:
        """Where the article `key` has its PO, `preferred` first if it has one there."""
        stems = self.by_key.get(key, [])
        if preferred in stems:
            return preferred
        return stems[0] if stems else None


def _po_files(folder: Path) -> Iterator[Path]:
    for directory, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".po") and not name.startswith("."):
                yield Path(directory, name)
