"""Full dates in news text, read with babel's CLDR data for the source language and rendered by
babel in the target locale, instead of by the model ("quinta-feira, 12 de setembro de 2024" →
"Thursday, September 12, 2024", never the engine's "Thursday, September 12 of 2024").

A language's dates are read in the shapes CLDR writes them: the "full" and "long" date patterns
of every region of the language (English: "EEEE, MMMM d, y" and en-GB's "EEEE, d MMMM y" ...),
with CLDR's month and weekday names (format and stand-alone, so Russian "сентября" and
"сентябрь"), matched without regard to case; commas and spaces between the parts are loose.
Patterns that need an era or another calendar (Thai "G y") are left out. A weekday that
contradicts the date, or a day the month does not have, is no date: the model keeps it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.localedata import locale_identifiers

from glossator.io.cache import read_cached, write_cached

# The languages an article's dateline is looked for in when its language is not known (the
# sources Argos Translate and Bergamot models translate from).
DATELINE_LANGUAGES = (
    "en", "pt", "es", "fr", "de", "it", "nl", "ru", "uk", "pl", "cs", "sk", "sl", "ro", "hu",
    "bg", "el", "tr", "ar", "fa", "he", "hi", "bn", "ur", "id", "ms", "tl", "sv", "da", "nb",
    "fi", "et", "lv", "lt", "ga", "sq", "az", "ca", "gl", "eu", "eo", "zh", "ja", "ko", "ky")
_LONGEST_DATELINE = 80
_DAY_AND_YEAR = re.compile(r"(?<!\d)\d{1,2}(?!\d).*?(?<!\d)\d{4}(?!\d)|"
                           r"(?<!\d)\d{4}(?!\d).*?(?<!\d)\d{1,2}(?!\d)", re.DOTALL)
_TOKEN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: date
    with_weekday: bool


@dataclass(frozen=True)
class _Reader:
    patterns: tuple[re.Pattern[str], ...]
    months: dict[str, int]  # a month's name, casefolded → its number
    weekdays: dict[str, int]  # a weekday's name, casefolded → date.weekday()


def find_dates(text: str, language: str = "en") -> list[DateMatch]:
    """Full dates in `text` as `language` writes them ("Sunday, June 23, 2024", "23 June
    2024", "domingo, 23 de junho de 2024"), the longest where two overlap."""
    reader = _reader(language.replace("-", "_").split("_")[0].lower())
    if reader is None:
        return []
    found: list[DateMatch] = []
    contradicted: list[tuple[int, int]] = []  # a weekday the date is not: no part of it is read
    for pattern in reader.patterns:
        for match in pattern.finditer(text):
            value = _value(match, reader)
            if value is not None:
                found.append(DateMatch(match.start(), match.end(), match.group(), value,
                                       match["weekday"] is not None))
            elif match["weekday"] is not None:
                contradicted.append(match.span())
    chosen: list[DateMatch] = []
    for candidate in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if any(start <= candidate.start and candidate.end <= end for start, end in contradicted):
            continue
        if not chosen or candidate.start >= chosen[-1].end:
            chosen.append(candidate)
    return chosen


@lru_cache(maxsize=4096)  # an archive's articles of one day share their dateline
def find_dateline(text: str) -> date | None:
    """The date `text` is, whole, in any of `DATELINE_LANGUAGES`; None where it is no date."""
    if len(text) > _LONGEST_DATELINE or not _DAY_AND_YEAR.search(text):
        return None  # not worth reading the CLDR data of every language for
    for stripped in dict.fromkeys((text.strip(), text.strip().rstrip("."))):
        for language in DATELINE_LANGUAGES:
            found = find_dates(stripped, language)
            if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
                return found[0].value
    return None


def render_date(value: date, language: str, *, with_weekday: bool) -> str:
    """The date as the target locale writes it: "domingo, 23 de junho de 2024"."""
    return format_date(value, format="full" if with_weekday else "long", locale=language)


def _value(match: re.Match[str], reader: _Reader) -> date | None:
    month = match["month"]
    number = reader.months.get(month.casefold()) if month else int(match["month_number"])
    if number is None:
        return None
    try:
        value = date(int(match["year"]), number, int(match["day"]))
    except ValueError:
        return None  # "February 30, 2024" is not a date: leave it to the model
    weekday = match["weekday"]
    if weekday is not None and reader.weekdays.get(weekday.casefold()) != value.weekday():
        return None  # a weekday that contradicts the date: better not to "fix" it silently
    return value


@cache
def _reader(language: str) -> _Reader | None:
    names = cldr_date_names(language)
    if names is None:
        return None
    months, weekdays, shapes = names
    month_names = _alternatives(months)
    weekday_names = _alternatives(weekdays)
    patterns = []
    for shape in shapes:
        regex = _compile(shape, month_names, weekday_names)
        if regex is not None:
            patterns.append(regex)
    # the longer shapes first: a full date is found whole before its long part
    patterns.sort(key=lambda p: -len(p.pattern))
    return _Reader(tuple(patterns), months, weekdays)


def cldr_date_names(language: str) -> tuple[dict[str, int], dict[str, int], list[str]] | None:
    """The month and weekday names (casefolded → number) and the full and long date shapes of
    `language` in every region's CLDR data; None for a language babel does not know. Read
    from the disk cache: CLDR's data for English's hundred regions takes half a second to
    load, once per babel version."""
    import babel

    key = f"{babel.__version__} {language}"
    cached = read_cached(_NAMES_KIND, key)
    if cached is not None:
        try:
            months, weekdays, shapes = json.loads(cached)
            return months, weekdays, shapes
        except ValueError:
            pass  # a cache written by another layout: made again
    try:
        locales = [Locale.parse(language)]
    except (UnknownLocaleError, ValueError):
        return None
    locales += [Locale.parse(code) for code in locale_identifiers()
                if code.startswith(language + "_")]
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    shapes: dict[str, None] = {}
    for locale in locales:
        for context in ("format", "stand-alone"):
            for number, name in locale.months.get(context, {}).get("wide", {}).items():
                months.setdefault(name.casefold(), number)
            for number, name in locale.days.get(context, {}).get("wide", {}).items():
                weekdays.setdefault(name.casefold(), number)
        for length in ("full", "long"):
            shapes.setdefault(locale.date_formats[length].pattern)
    write_cached(_NAMES_KIND, key, json.dumps([months, weekdays, list(shapes)],
                                              ensure_ascii=False).encode("utf-8"))
    return months, weekdays, list(shapes)


_NAMES_KIND = "cldr-dates"


def _alternatives(names: dict[str, int]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _compile(shape: str, months: str, weekdays: str) -> re.Pattern[str] | None:
    """A regular expression for a CLDR date pattern; None for one that needs what is not read
    (an era, a week number, a quarter)."""
    parts = []
    seen = set()
    for token in _TOKEN.finditer(shape):
        piece = token.group()
        letter = token.group(1)
        if piece.startswith("'"):
            literal = piece[1:-1].replace("''", "'") or "'"
            parts.append(_literal(literal))
            continue
        if letter is None:
            parts.append(_literal(piece))
            continue
        if letter in "Ec" and len(piece) >= 4:
            group, regex = "weekday", f"(?P<weekday>{weekdays})"
        elif letter in "ML" and len(piece) >= 4:
            group, regex = "month", f"(?P<month>{months})"
        elif letter in "ML" and len(piece) <= 2:
            group, regex = "month_number", r"(?P<month_number>\d{1,2})"
        elif letter == "d":
            group, regex = "day", r"(?P<day>\d{1,2})"
        elif letter == "y" and len(piece) != 2:
            group, regex = "year", r"(?P<year>\d{4})"
        else:
            return None
        if group in seen:
            return None
        seen.add(group)
        parts.append(regex)
    if not {"day", "year"} <= seen or not seen & {"month", "month_number"}:
        return None
    if "month" not in seen and not re.search(r"[^\W\d_]", "".join(
            t.group() for t in _TOKEN.finditer(shape) if t.group().startswith("'")
            or t.group(1) is None)):
        return None  # digits only: "2024年9月12日" is read by its characters
    for absent in {"weekday", "month", "month_number"} - seen:
        parts.append(f"(?P<{absent}>(?!))?")  # every group exists for `_value`
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.IGNORECASE)


def _literal(text: str) -> str:
    """A pattern's literal text, its commas and spaces loose: "Sunday 23 June" matches
    "EEEE, d MMMM" as well."""
    if not text.strip(" ,\u00a0\u202f"):
        return r"(?:\s*,\s*|\s+)"
    core = r"\s+".join(re.escape(part) for part in text.split())
    return (r"\s*" if text[0].isspace() else "") + core + (r"\s*" if text[-1].isspace() else "")
