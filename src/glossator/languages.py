"""Language codes checked against babel's CLDR data, and the names people read."""

from __future__ import annotations

import difflib
from functools import cache

from babel import Locale, UnknownLocaleError, localedata
from babel.messages.plurals import get_plural

from glossator.errors import LanguageError


def parse_language(code: str) -> str:
    """Normalise a code such as "pt", "pt-BR" or "PT_br" to babel's form ("pt", "pt_BR").

    >>> parse_language("pt-BR")
    'pt_BR'
    """
    cleaned = code.strip()
    if not cleaned:
        raise LanguageError("empty language code")
    try:
        locale = Locale.parse(cleaned.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        suggestions = close_matches(cleaned)
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        raise LanguageError(f"unknown language code {code!r}{hint}") from None
    return str(locale)


def base_language(code: str) -> str:
    """The language part of a code, which is what translation models are keyed on: pt_BR → pt."""
    return code.replace("-", "_").split("_")[0].lower()


def tag_language(code: str) -> str:
    """babel's "pt_BR" as the BCP 47 tag XML formats expect: "pt-BR"."""
    return code.replace("_", "-")


@cache
def display_name(code: str) -> str:
    """English name with the native one in brackets: "Portuguese (português)"."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    english = locale.get_display_name("en") or code
    native = locale.get_display_name(locale) or ""
    return english if native in ("", english) else f"{english} ({native})"


@cache
def plural_forms(code: str) -> str:
    """The gettext Plural-Forms header for a language, from CLDR (asked for every PO file)."""
    return str(get_plural(Locale.parse(code)))


@cache
def _known_codes() -> dict[str, str]:
    """Lower-cased code or English name → code, for suggestions."""
    known: dict[str, str] = {}
    for identifier in localedata.locale_identifiers():
        locale = Locale.parse(identifier)
        if locale.territory or locale.script or locale.variant:
            continue
        known[identifier.lower()] = identifier
        name = locale.get_display_name("en")
        if name:
            known[name.lower()] = identifier
    return known


def close_matches(code: str, limit: int = 3) -> list[str]:
    """Language codes near `code` (by code or English name), each shown with its name."""
    known = _known_codes()
    hits = difflib.get_close_matches(code.lower(), known, n=limit * 2, cutoff=0.6)
    codes = list(dict.fromkeys(known[hit] for hit in hits))[:limit]
    return [f"{c} ({Locale.parse(c).get_display_name('en')})" for c in codes]
