"""Dates in English news text, rendered by babel in the target locale instead of by the model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(
    rf"\b(?:(?P<weekday>{_WEEKDAYS}),?\s+)?"
    rf"(?:(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTHS}),?\s+(?P<year2>\d{{4}}))\b"
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: date
    with_weekday: bool


def find_dates(text: str) -> list[DateMatch]:
    """Full dates such as "Sunday, June 23, 2024" or "23 June 2024" in English text."""
    found = []
    for match in _DATE.finditer(text):
        month = match["month"] or match["month2"]
        day = match["day"] or match["day2"]
        year = match["year"] or match["year2"]
        try:
            value = datetime.strptime(f"{month} {day} {year}", "%B %d %Y").date()
        except ValueError:
            continue  # "February 30, 2024" is not a date: leave it to the model
        if match["weekday"] and value.strftime("%A") != match["weekday"]:
            continue  # a weekday that contradicts the date: better not to "fix" it silently
        found.append(DateMatch(match.start(), match.end(), match.group(), value,
                               bool(match["weekday"])))
    return found


def render_date(value: date, language: str, *, with_weekday: bool) -> str:
    """The date as the target locale writes it: "domingo, 23 de junho de 2024"."""
    return format_date(value, format="full" if with_weekday else "long", locale=language)
