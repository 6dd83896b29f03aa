"""File names inside outputs: as text a reader sees, and as a key that keeps every byte.

A Linux file name is bytes: spaces, newlines and bytes that are not UTF-8 are all legal.
`text_name` is the name shown inside an output (an HTML title, a PO comment, an XLIFF
attribute): undecodable bytes as U+FFFD, control characters as visible symbols, so the text
always encodes and stays on one line. `quote_path` is the exact path as one line of printable
text, percent-encoded where needed (`%`, `"`, `\\`, white space, control characters,
undecodable bytes), and `unquote_path` gives it back.
"""

from __future__ import annotations

import os
import re
from pathlib import PurePath
from urllib.parse import unquote_to_bytes

from glossator.io.printable import REPLACEMENT, printable

_SURROGATES = re.compile("[\udc80-\udcff]")  # bytes os.fsdecode could not decode


def text_name(name: str) -> str:
    """A file name as it can be written inside an output, on one line, always UTF-8."""
    return printable(_SURROGATES.sub(REPLACEMENT, name), keep="")


def quote_path(path: str) -> str:
    """`path` (as os.fsdecode gives it) as printable text without `"` or `\\`."""
    if path.isprintable() and not any(char in path for char in ' %"\\'):
        return path  # nothing to quote (`isprintable` is False for the rest of white space)
    return "".join(_quoted(char) for char in path)


def _quoted(char: str) -> str:
    if _SURROGATES.fullmatch(char):
        return f"%{ord(char) - 0xDC00:02X}"
    if char in '%"\\' or char.isspace() or not char.isprintable():
        return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return char


def unquote_path(quoted: str) -> str:
    """The path `quote_path` wrote, exactly."""
    return os.fsdecode(unquote_to_bytes(quoted))


def quoted_name(quoted: str) -> str:
    """The last component of a quoted path, as `text_name` shows it."""
    return text_name(PurePath(unquote_path(quoted)).name)
