"""Resuming a run: which articles need nothing done because their outputs are up to date.

Every PO file glossator writes carries, in its header comment, one line

    # resume: FINGERPRINT BODY

FINGERPRINT is a hash of everything a translation depends on: the article's bytes, source and
target language, the engine's model id, the glossary signature, the segmenter, glossator's
version and the options that change output. BODY is a hash of the PO file's own text with BODY
itself zeroed, so a file a person edited since (a reviewed entry, a fixed typo) no longer
matches and its article is taken through the run again: its review reaches the other formats
and the translation memory. A run skips an article whose PO file matches on both counts and
whose other outputs all exist, reading those PO files as bytes, never parsing them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from glossator.errors import GlossatorError
from glossator.io.reading import read_regular

NOTE = "resume: "
_HASH_CHARS = 32
_ZERO = "0" * _HASH_CHARS
_LINE = re.compile(rb"^# resume: ([0-9a-f]{32}) ([0-9a-f]{32})$", re.MULTILINE)
_HEADER_BYTES = 64 * 1024  # the resume line is in the header comment, at the top


def source_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(*parts: str) -> str:
    """One hash of the parts, in order."""
    hasher = hashlib.blake2b(digest_size=_HASH_CHARS // 2)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogateescape"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def header_note(print_: str) -> str:
    """The header note a PO file is rendered with; `seal` fills in its BODY hash."""
    return f"{NOTE}{print_} {_ZERO}"


def seal(text: str, print_: str) -> str:
    """`text`, a PO file rendered with `header_note(print_)`, with its BODY hash filled in."""
    placeholder = f"# {header_note(print_)}"
    if placeholder not in text:
        raise ValueError("the PO text has no resume note to seal")
    body = _body_hash(text.encode("utf-8"))
    return text.replace(placeholder, f"# {NOTE}{print_} {body}", 1)


def up_to_date(po_path: Path, print_: str, others: Iterable[Path] = ()) -> bool:
    """Whether the PO file at `po_path` was written for `print_` and is unchanged since, and
    each of `others` exists. Any problem reading it answers False (the run then reads it the
    ordinary way and reports what is wrong)."""
    try:
        data = read_regular(po_path, GlossatorError)
    except GlossatorError:
        return False
    match = _LINE.search(data, 0, _HEADER_BYTES)
    if not match or match[1].decode() != print_:
        return False
    zeroed = data[:match.start(2)] + _ZERO.encode() + data[match.end(2):]
    if _body_hash(zeroed) != match[2].decode():
        return False
    return all(path.exists() for path in others)


def _body_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=_HASH_CHARS // 2).hexdigest()
