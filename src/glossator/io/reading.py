"""Opening the files glossator reads: regular files only, and no bigger than a stated limit.

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

import os
import stat
from pathlib import Path
from typing import BinaryIO

from glossator.errors import GlossatorError

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
    if not isinstance(path, Path):
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
