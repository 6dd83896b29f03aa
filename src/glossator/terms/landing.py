"""Whether a pin landed: one answer for pinning, QA, terminal review and the HTML page.

Pure functions of text and pins. A pin has *landed* where its pinned rendering, or one of the
inflected forms the glossary lists, occurs as whole words in the target; it is *accepted* where
an admitted spelling occurs instead (what a reviewer may write). A rendering used by n pins of
a segment must occur at least n times.
"""

from __future__ import annotations

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
    if not form:
        return 0
    return len(re.findall(form_pattern(form), text))


def _tally(pins: Sequence[Pin], text: str, forms_of) -> list[bool]:
    """For each pin, whether its forms occur often enough for every pin sharing them."""
    wanted: dict[tuple[str, ...], int] = {}
    results = []
    for pin in pins:
        forms = forms_of(pin)
        wanted[forms] = wanted.get(forms, 0) + 1
        results.append(sum(count_form(text, form) for form in forms) >= wanted[forms])
    return results


def landed(pins: Sequence[Pin], text: str) -> list[bool]:
    """Per pin: its pinned rendering (or an inflection of it) is in `text`."""
    return _tally(pins, text, lambda pin: pin.landing_forms)


def accepted(pins: Sequence[Pin], text: str) -> list[bool]:
    """Per pin: the pinned rendering, an inflection or an admitted spelling is in `text`."""
    return _tally(pins, text, lambda pin: (*pin.landing_forms, *pin.accepted))


def verify(segment: Segment) -> list[Pin]:
    """Mark each pin of `segment` landed (accepted forms count) or not; return the misses."""
    for pin, ok in zip(segment.pins, accepted(segment.pins, segment.target)):
        pin.landed = ok
    return [pin for pin in segment.pins if not pin.landed]


def missing_pins(segment: Segment) -> list[Pin]:
    """The pins of `segment` with no accepted form in its target; the pins are left as they are."""
    return [pin for pin, ok in zip(segment.pins, accepted(segment.pins, segment.target))
            if not ok]


def deprecated_used(segment: Segment) -> list[tuple[Pin, str]]:
    """(pin, form) for each deprecated spelling of a pin that the target uses."""
    return [(pin, form) for pin in segment.pins for form in pin.deprecated
            if count_form(segment.target, form)]


def is_flagged(segment: Segment, missed: Sequence[Pin] | None = None) -> bool:
    """A segment needs a look: QA findings, notes (other than informational "info: " ones, such
    as the one on each piece of a sentence split before translation), or a pin that did not
    land."""
    if missed is None:
        missed = missing_pins(segment)
    notes = any(not note.startswith(INFO_NOTE) for note in segment.notes)
    return bool(segment.qa or notes or missed)
