"""Finding the articles of a run (`discover`: files, folders, glob patterns, a list file) and
opening the files glossator reads: regular files only, and no bigger than a stated limit.

Anything that is not a regular file is refused before a byte is read: opening a FIFO would
wait for a writer forever, `/dev/zero` never ends, and a directory, socket or device is never
an article, a glossary or a PO file. A file larger than its limit is refused with its size,
so that no input can make a run hang or exhaust memory. The file is opened without blocking
(a FIFO is seen for what it is, not waited on) and checked on the open descriptor, so what is
checked is what is read.

Limits (1 MiB = 2**20 bytes):

- `MAX_ARTICLE_BYTES`, 16 MiB, for an article: a long news article is under 100 KB, and the
  whole article is held in memory and segmented at once.
- `MAX_GLOSSARY_BYTES`, 256 MiB, for a glossary file, CSV or TBX: five times a 50 MB
  glossary of 500,000 concepts, which loads in about 600 MB of memory.
- `MAX_IMPORT_BYTES`, 64 MiB, for a file `glossator import` reads back from a CAT tool
  (XLIFF, TMX, PO, TSV): such a file is about nine times its article's text (source, target,
  the engine's text and notes, in markup), so a long news article's XLIFF is about 1 MB and
  the limit leaves room for sixty of them in one multi-file XLIFF; an XLIFF this size is read
  in about 700 MB of memory (the tree and the segments built from it take ten times the file).

The project's PO files and translation memories are glossator's own outputs and have no
limit, but the same regular-file rule and the same one-line errors.
"""

from __future__ import annotations

import fnmatch
import glob as globmod
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO, TextIO

from glossator.errors import GlossatorError, InputError, UsageError

MIB = 1 << 20
MAX_ARTICLE_BYTES = 16 * MIB
MAX_GLOSSARY_BYTES = 256 * MIB
MAX_IMPORT_BYTES = 64 * MIB

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def too_big(size: int, limit: int, what: str) -> str:
    """The message for a file over its limit: "file is 17,825,792 bytes (17.0 MiB), over the
    16 MiB limit for an article file"."""
    return (f"file is {size:,} bytes ({size / MIB:.1f} MiB), over the {limit // MIB} MiB "
            f"limit for {_article(what)} {what}")


def open_regular(path: str | Path, error: type[GlossatorError], *, what: str = "file",
                 limit: int | None = None) -> BinaryIO:
    """Open `path` to read bytes; `error` (naming the file) when it cannot be opened, is not a
    regular file, or is larger than `limit` bytes. `what` names the file in messages
    ("article", "glossary file")."""
    path = Path(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as problem:
        raise error(f"cannot read: {problem.strerror or problem}", path=path) from None
    try:
        info = os.fstat(fd)
        for test, kind in _KINDS:
            if test(info.st_mode):
                raise error(f"is {kind}, expected {_article(what)} {what}", path=path)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"is not a regular file, expected {_article(what)} {what}", path=path)
        if limit is not None and info.st_size > limit:
            raise error(too_big(info.st_size, limit, what), path=path)
        if _OPEN_FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, error: type[GlossatorError], *, what: str = "file",
                 limit: int | None = None) -> bytes:
    """The bytes of a regular file no larger than `limit`; `error` naming the file otherwise
    (a file that grows past the limit while it is read included)."""
    with open_regular(path, error, what=what, limit=limit) as handle:
        try:
            data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as problem:
            raise error(f"cannot read: {problem.strerror or problem}", path=path) from None
    if limit is not None and len(data) > limit:
        raise error(f"file grew past the {limit // MIB} MiB limit for {_article(what)} {what} "
                    f"while it was read", path=path)
    return data


def _article(what: str) -> str:
    return "an" if what[:1] in "aeiou" else "a"


# Finding the articles of a run ---------------------------------------------------------------

DEFAULT_GLOB = "*.txt"
_MAGIC = re.compile(r"[*?[]")


@dataclass(frozen=True)
class Source:
    """An article to translate and where its outputs go: `relative` is its path below the
    mirrored root, so `<out>/<lang>/<relative parent>/<stem>.po`."""

    path: Path
    relative: PurePath

    @property
    def stem(self) -> PurePath:
        """The output path of this article without extension, relative to `<out>/<lang>/`."""
        return self.relative.with_suffix("") if self.relative.suffix else self.relative


def discover(arguments: Sequence[str | Path], *, glob: str = DEFAULT_GLOB,
             files_from: str | Path | None = None, exclude: Sequence[Path] = (),
             stdin: TextIO | None = None) -> list[Source]:
    """The articles named by `arguments` and the list `files_from` (one path a line, "-" for
    `stdin`), in order, each file once.

    A folder stands for every file below it whose name matches `glob`, hidden folders and files
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
                raise InputError(f"no file matching {glob!r} in this folder", path=path)
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
            if not name.startswith(".") and fnmatch.fnmatchcase(name, glob):
                yield Path(directory, name)


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
