"""Finding the articles of a run (`discover`): files, folders, glob patterns and a list file,
each article once, with the path below the mirrored root its outputs take (`Source`).
Reading them is `glossator.io.reading`'s."""

from __future__ import annotations

import fnmatch
import functools
import glob as globmod
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TextIO

from glossator.errors import InputError, UsageError
from glossator.io.reading import MAX_ARTICLE_BYTES, read_regular
from glossator.text.layout import DOCUMENT_FORMATS

# What a folder stands for, unless told: text articles and every document format's files;
# "|" separates a glob's alternatives.
DEFAULT_GLOB = "|".join(["*.txt", *(f"*{extension}" for extension in DOCUMENT_FORMATS)])
_MAGIC = re.compile(r"[*?[]")


@dataclass(frozen=True)
class Source:
    """An article to translate and where its outputs go: `relative` is its path below the
    mirrored root, so `<out>/<lang>/<relative parent>/<stem>.po`."""

    path: Path
    relative: PurePath

    @functools.cached_property
    def stem(self) -> PurePath:
        """The output path of this article without extension, relative to `<out>/<lang>/`."""
        return self.relative.with_suffix("") if self.relative.suffix else self.relative


def discover(arguments: Sequence[str | Path], *, glob: str = DEFAULT_GLOB,
             files_from: str | Path | None = None, exclude: Sequence[Path] = (),
             stdin: TextIO | None = None) -> list[Source]:
    """The articles named by `arguments` and the list `files_from` (one path a line, "-" for
    `stdin`), in order, each file once.

    A folder stands for every file below it whose name matches `glob` (alternatives apart by
    "|"; by default text articles and the document formats' extensions), hidden folders and files
    and the folders in `exclude` (the output folder) left out; an argument that does not exist
    but holds `*`, `?` or `[` is a glob pattern (`**` crosses folders); anything else is a file,
    checked when it is read. The tree is mirrored from the deepest folder that holds every
    root: a folder or a pattern's fixed part is a root, and a file's own folder is one, so one
    file's outputs go straight under `<out>/<lang>/` and a folder's layout is kept as it grows.
    """
    named: list[str | Path] = list(arguments)
    if files_from is not None:
        named.extend(_read_list(files_from, stdin))
    if not named:
        raise UsageError("no article given")
    # Real paths: an output folder reached through a link into the inputs is still left out.
    skip = {os.path.realpath(folder) for folder in exclude}
    found: list[tuple[Path, str]] = []  # (path as found, root folder)
    for argument in named:
        text = os.fspath(argument)
        path = Path(text)
        if path.is_dir():
            files = list(_walk(path, glob, skip))
            if not files:
                raise InputError(f"no file matching {_alternatives(glob)} in this folder",
                                 path=path)
            found.extend((file, os.path.abspath(path)) for file in files)
        elif not os.path.lexists(path) and _MAGIC.search(text):
            root = _fixed_part(text)
            files = sorted(Path(match) for match in globmod.glob(text, recursive=True)
                           if os.path.isfile(match) and not _inside(match, skip))
            if not files:
                raise InputError(f"pattern {text!r} matches no file")
            found.extend((file, root) for file in files)
        else:
            found.append((path, os.path.dirname(os.path.abspath(path))))
    seen: set[str] = set()
    unique = []
    for path, root in found:
        real = os.path.realpath(path)
        if real not in seen:  # "a.txt ./a.txt", or a file under two folders given
            seen.add(real)
            unique.append((path, root))
    base = os.path.commonpath([root for _path, root in unique])
    return [Source(path, PurePath(os.path.relpath(os.path.abspath(path), base)))
            for path, _root in unique]


def _read_list(files_from: str | Path, stdin: TextIO | None) -> list[str]:
    # A path is bytes on Linux: bytes that are not UTF-8 are kept as os.fsdecode keeps them.
    if os.fspath(files_from) == "-":
        reader = stdin or sys.stdin
        raw = getattr(reader, "buffer", None)
        text = os.fsdecode(raw.read()) if raw is not None else reader.read()
        where: str | Path = "<stdin>"
    else:
        where = files_from
        data = read_regular(files_from, InputError, what="list file", limit=MAX_ARTICLE_BYTES)
        text = os.fsdecode(data)
    names = [line.rstrip("\r") for line in text.split("\n")]
    for number, name in enumerate(names, start=1):
        if "\x00" in name:
            raise InputError("a path holds a NUL character", path=where, line=number)
    return [name for name in names if name.strip()]


def _walk(folder: Path, glob: str, skip: set[str]) -> Iterator[Path]:
    for directory, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith(".")
                            and os.path.realpath(os.path.join(directory, name)) not in skip)
        for name in sorted(files):
            if not name.startswith(".") and any(fnmatch.fnmatchcase(name, pattern)
                                                for pattern in glob.split("|")):
                yield Path(directory, name)


def _alternatives(glob: str) -> str:
    """"'*.txt', '*.md' or '*.docx'" for the glob "*.txt|*.md|*.docx"."""
    shown = [repr(pattern) for pattern in glob.split("|")]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _fixed_part(pattern: str) -> str:
    """The folder a pattern's matches all lie under: its components before the first magic one."""
    fixed = []
    for part in Path(pattern).parts[:-1]:
        if _MAGIC.search(part):
            break
        fixed.append(part)
    return os.path.abspath(os.path.join(*fixed) if fixed else ".")


def _inside(path: str, folders: set[str]) -> bool:
    absolute = os.path.realpath(path)
    return any(absolute == folder or absolute.startswith(folder + os.sep) for folder in folders)
