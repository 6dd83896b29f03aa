"""Output formats behind one interface, looked up by name and imported only when used."""

from __future__ import annotations

import importlib

from glossator.errors import FormatError
from glossator.formats.base import Format

FORMATS: dict[str, str] = {
    "po": "glossator.formats.po:POFormat",
    "txt": "glossator.formats.txt:TextFormat",
    "tmx": "glossator.formats.tmx:TMXFormat",
    "xliff": "glossator.formats.xliff:XLIFFFormat",
    "tsv": "glossator.formats.tsv:TSVFormat",
    "html": "glossator.formats.html:HTMLFormat",
}

DEFAULT_FORMATS = ("po", "html", "txt")


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
