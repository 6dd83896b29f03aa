"""Proving each pin: is it *pinned* or *missed*? One answer for pinning, QA, terminal review
and the HTML page (the words are docs/architecture.md's).

Pure functions of text and pins. A pin is *pinned* where its preferred form, an inflection the
glossary lists, or an admitted spelling (what a reviewer may write) occurs as whole words in
the target; *in its preferred form* where the preferred form or an inflection does. A form
used by n pins of a segment must occur at least n times.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from glossator.model import INFO_NOTE, Pin, Segment


def is_wide(char: str) -> bool:
    """East Asian wide or full-width: written without spaces, and two terminal columns."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def form_pattern(form: str) -> str:
    """A regular expression for `form` as whole words; scripts written without spaces
    (Chinese, Japanese) have no word edges to check."""
    before = "" if is_wide(form[0]) else r"(?<!\w)"
    after = "" if is_wide(form[-1]) else r"(?!\w)"
    return before + re.escape(form) + after


def count_form(text: str, form: str) -> int:
    """Occurrences of `form` in `text` as whole words."""
    if not form or form not in text:
        return 0
    return len(form_regex(form).findall(text))


@functools.lru_cache(maxsize=8192)
def form_regex(form: str) -> re.Pattern[str]:
    """`form_pattern(form)` compiled."""
    return re.compile(form_pattern(form))


def _tally(pins: Sequence[Pin], text: str, forms_of) -> list[bool]:
    """For each pin, whether its forms occur often enough for every pin sharing them."""
    return list(_counted(tuple(forms_of(pin) for pin in pins), text))


# Archives repeat sentences and their pins: each (forms, text) is counted once.
@functools.lru_cache(maxsize=16_384)
def _counted(forms_per_pin: tuple[tuple[str, ...], ...], text: str) -> tuple[bool, ...]:
    wanted: dict[tuple[str, ...], int] = {}
    results = []
    for forms in forms_per_pin:
        wanted[forms] = wanted.get(forms, 0) + 1
        results.append(sum(count_form(text, form) for form in forms) >= wanted[forms])
    return tuple(results)


def in_preferred_form(pins: Sequence[Pin], text: str) -> list[bool]:
    """Per pin: its preferred form (or an inflection of it) is in `text`."""
    return _tally(pins, text, lambda pin: pin.preferred_forms)


def pinned_in(pins: Sequence[Pin], text: str) -> list[bool]:
    """Per pin: whether it is pinned in `text` (preferred, inflected or admitted form)."""
    return _tally(pins, text, lambda pin: (*pin.preferred_forms, *pin.admitted))


def verify(segment: Segment) -> list[Pin]:
    """Mark each pin of `segment` pinned or not (`Pin.pinned`); return the missed ones."""
    if not segment.pins:
        return []
    # A document's target holds its markup (model.tagged): a term's words are read without it.
    for pin, ok in zip(segment.pins, pinned_in(segment.pins, segment.target_plain()[0])):
        pin.pinned = ok
    return [pin for pin in segment.pins if not pin.pinned]


def missing_pins(segment: Segment) -> list[Pin]:
    """The pins of `segment` missed in its target; the pins are left as they are."""
    return [pin for pin, ok in zip(segment.pins,
                                   pinned_in(segment.pins, segment.target_plain()[0])) if not ok]


def deprecated_used(segment: Segment) -> list[tuple[Pin, str]]:
    """(pin, form) for each deprecated spelling of a pin that the target uses."""
    return [(pin, form) for pin in segment.pins for form in pin.deprecated
            if count_form(segment.target, form)]


def is_flagged(segment: Segment, missed: Sequence[Pin] | None = None) -> bool:
    """A segment needs a look: QA findings, notes (other than informational "info: " ones, such
    as the one on each piece of a sentence split before translation), or a missed pin."""
    if missed is None:
        missed = missing_pins(segment)
    notes = any(not note.startswith(INFO_NOTE) for note in segment.notes)
    return bool(segment.qa or notes or missed)
