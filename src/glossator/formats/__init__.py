"""File formats behind one interface, looked up by name and imported only when used.

The registry is the one list of formats: the CLI's choices for `--formats` and for
`glossator import` come from it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from glossator.errors import FormatError

if TYPE_CHECKING:
    from glossator.formats.base import Format

FORMATS: dict[str, str] = {
    "po": "glossator.formats.po:POFormat",
    "txt": "glossator.formats.txt:TextFormat",
    "tmx": "glossator.formats.tmx:TMXFormat",
    "xliff": "glossator.formats.xliff:XLIFFFormat",
    "tsv": "glossator.formats.tsv:TSVFormat",
    "html": "glossator.formats.html:HTMLFormat",
}
# The formats whose class is `readable`: `glossator import`'s choices, known without importing.
READABLE = ("po", "xliff", "tmx", "tsv")

DEFAULT_FORMATS = ("po", "html", "txt")


def __getattr__(name: str) -> type:
    # `Format` is imported on first use, so that the CLI can read the registry's names for
    # its choices without loading the data model.
    if name == "Format":
        from glossator.formats.base import Format

        return Format
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get_format(name: str) -> Format:
    try:
        target = FORMATS[name]
    except KeyError:
        raise FormatError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})") from None
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)()


def parse_formats(spec: str) -> list[Format]:
    """"po,html" → the format objects, in order, each once."""
    names = [name.strip().lower() for name in spec.split(",") if name.strip()]
    if not names:
        raise FormatError("no output format given")
    return [get_format(name) for name in dict.fromkeys(names)]


def reader_for(path: Path, name: str | None = None) -> Format:
    """The format that reads `path`: `name` when given, else the one its extension names."""
    if name is not None:
        if name not in READABLE:
            raise FormatError(f"format {name!r} cannot be read (choose from "
                              f"{', '.join(READABLE)})", path=path)
        return get_format(name)
    extension = path.suffix.lower().lstrip(".")
    readers = [get_format(key) for key in READABLE]
    for reader in readers:
        if extension in (reader.extension, *reader.aliases):
            return reader
    choices = ", ".join(f".{ext}" for r in readers for ext in (r.extension, *r.aliases))
    raise FormatError(f"cannot tell the format from the extension (expected {choices}); "
                      "name it with --format", path=path)
