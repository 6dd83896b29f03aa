"""A cache on disk for work that can always be done again: what a run learns that does not
depend on the articles (an engine's grammar for each glossary term, compact word lists).

Entries live in one folder: `$GLOSSATOR_CACHE` where set, else the user cache folder
(`platformdirs.user_cache_path("glossator")`). Each is one file, written atomically
(`files.write_all`), holding a checksum of its contents: two runs writing at once leave one
whole entry, and a file cut short or changed reads as a miss, to be made and written again.
Nothing in it is ever needed: an entry that cannot be read or written is only a miss.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from glossator.errors import GlossatorError
from glossator.io.files import write_all

ENVIRONMENT = "GLOSSATOR_CACHE"
_MAGIC = b"glossator-cache 1 "
_DIGEST_HEX = 32  # blake2b-128 of the contents, in hex, after the magic


def cache_folder() -> Path:
    """`$GLOSSATOR_CACHE` (read now), else the user cache folder."""
    configured = os.environ.get(ENVIRONMENT)
    if configured:
        return Path(configured).expanduser()
    import platformdirs  # only runs that cache something pay for it

    return platformdirs.user_cache_path("glossator", appauthor=False)


def entry_path(kind: str, key: str) -> Path:
    """The file of the entry `key` (any text: a model id, a digest) of `kind` (a short name
    that says what it holds, used in the file name)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return cache_folder() / f"{kind}-{digest}"


def read_cached(kind: str, key: str) -> bytes | None:
    """The contents of an entry, or None when it is missing, unreadable or corrupt."""
    try:
        data = entry_path(kind, key).read_bytes()
    except OSError:
        return None
    head, body = data[:len(_MAGIC) + _DIGEST_HEX + 1], data[len(_MAGIC) + _DIGEST_HEX + 1:]
    if head != _MAGIC + _checksum(body) + b"\n":
        return None
    return body


def write_cached(kind: str, key: str, contents: bytes) -> None:
    """Store an entry, replacing any; a folder that cannot be written leaves it unstored."""
    path = entry_path(kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_all({path: _MAGIC + _checksum(contents) + b"\n" + contents})
    except (GlossatorError, OSError):
        pass


def _checksum(contents: bytes) -> bytes:
    return hashlib.blake2b(contents, digest_size=_DIGEST_HEX // 2).hexdigest().encode("ascii")
