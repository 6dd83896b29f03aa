"""Pin glossary terms through machine translation and prove afterwards that each pin landed.

Every segment is first translated as it is; where each pin's rendering already appears in that
output it is kept (the model saw the real words, so articles and agreement around them are
right). The other segments with pins are masked: each matched term becomes a placeholder the
engine carries through (measured on the bergamot en→pt model: `XZ0`-like tokens survive 15/15
times, `<t0>` 0/15), and every placeholder must come back exactly once to be replaced by the
pinned rendering. Where that fails the chain goes on:

1. another hypothesis from the engine's n-best list (argos);
2. another placeholder shape (`ZX0`);
3. the unmasked translation, with the engine's own rendering of the term — the source
   spelling carried over verbatim — replaced by the pin.

A term still missing after that is never silent: the segment stays fuzzy and gets a note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from glossator.dates import find_dates, render_date
from glossator.engines.base import Engine
from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import ADMITTED, DEPRECATED, INFLECTED, Form
from glossator.landing import count_form, verify
from glossator.languages import base_language
from glossator.model import Pin, Segment

PLACEHOLDER_SHAPES = ("XZ", "ZX")
NBEST = 4
_OPENING_PUNCTUATION = "\"'“‘«„¿¡([ "


@dataclass
class TermReport:
    """Per target language: term occurrences found, pins that landed, and the misses."""

    language: str
    found: int = 0
    pinned: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (segment id, term)

    @property
    def missed(self) -> int:
        return len(self.misses)

    @property
    def accuracy(self) -> float:
        return self.pinned / self.found if self.found else 1.0

    def line(self) -> str:
        text = (f"terms {self.language}: {self.found} found, {self.pinned} pinned, "
                f"{self.missed} missed")
        if self.misses:
            text += " (" + ", ".join(f"{term} in {sid}" for sid, term in self.misses) + ")"
        return text


def find_pins(text: str, matcher: TermMatcher | None, language: str) -> list[Pin]:
    """The pins for one source segment: glossary terms with a rendering for `language`, and
    full dates (rendered by babel). Overlaps resolve in favour of the glossary."""
    pins: list[Pin] = []
    for match in matcher.find(text) if matcher else ():
        forms = match.concept.forms(language)
        if not forms:
            continue
        if match.concept.keep and not match.concept.renderings.get(language):
            forms = (Form(match.text),)
        opens = not text[:match.start].strip(_OPENING_PUNCTUATION)
        preferred = forms[0]
        pinned = _carry_case(match.text, preferred.text, match.concept.ignore_case, opens)
        others = {status: tuple(dict.fromkeys(form.text for form in forms[1:]
                                              if form.status == status and form.text != pinned))
                  for status in (ADMITTED, INFLECTED, DEPRECATED)}
        pins.append(Pin(match.start, match.end, match.text, pinned, accepted=others[ADMITTED],
                        concept=match.concept.name, note=match.concept.note,
                        possessive=match.possessive, inflected=others[INFLECTED],
                        deprecated=others[DEPRECATED], gender=preferred.gender,
                        number=preferred.number, article=preferred.article))
    for found in find_dates(text):
        if any(pin.start < found.end and found.start < pin.end for pin in pins):
            continue
        pins.append(Pin(found.start, found.end, found.text,
                        render_date(found.value, language, with_weekday=found.with_weekday),
                        concept="date", note="date rendered by babel (CLDR)"))
    return sorted(pins, key=lambda pin: pin.start)


def _carry_case(matched: str, rendering: str, ignore_case: bool, sentence_initial: bool) -> str:
    """Case carried over as Amazon Translate documents it, for case-insensitive terms: an
    all-caps match gives an all-caps pin, a capital that opens the sentence a capital."""
    if not ignore_case:
        return rendering
    if len(matched) > 1 and matched.isupper():
        return rendering.upper()
    if sentence_initial and matched[:1].isupper():
        return rendering[:1].upper() + rendering[1:]
    return rendering


def mask(text: str, pins: Sequence[Pin], shape: str) -> str:
    """Replace each pinned span with a placeholder `{shape}{index}`."""
    pieces, cursor = [], 0
    for index, pin in enumerate(pins):
        pieces.append(text[cursor:pin.start])
        pieces.append(f"{shape}{index}")
        cursor = pin.end
        if pin.possessive:
            # "Shoigu’s" → "XZ0's": the engine reads the straight apostrophe as a possessive
            pieces.append("'s")
            cursor += 2
    pieces.append(text[cursor:])
    return "".join(pieces)


def unmask(translation: str, pins: Sequence[Pin], shape: str, target: str) -> str | None:
    """Put each pin's rendering where its placeholder came back; None unless every placeholder
    came back exactly once and no stray one is left."""
    placeholder = re.compile(rf"\b{shape}(\d+)\b(?:['’]s\b)?")
    found = [int(m.group(1)) for m in placeholder.finditer(translation)]
    if sorted(found) != list(range(len(pins))):
        return None

    def restore(match: re.Match[str]) -> str:
        pin = pins[int(match.group(1))]
        rendering = pin.target_text
        if match.group().endswith(("'s", "’s")) and base_language(target) == "en":
            rendering += match.group()[-2:]
        if not translation[:match.start()].strip(_OPENING_PUNCTUATION):
            rendering = rendering[:1].upper() + rendering[1:]
        return rendering

    return placeholder.sub(restore, translation)


def replace_engine_renderings(translation: str, pins: Sequence[Pin]) -> str:
    """For an unmasked translation: where the engine copied a term's source spelling but the
    pin says otherwise, put the pin in its place."""
    for pin in pins:
        if pin.source_text != pin.target_text and not count_form(translation, pin.target_text):
            translation = re.sub(rf"(?<!\w){re.escape(pin.source_text)}(?!\w)",
                                 pin.target_text, translation, count=1)
    return translation


def drop_possessives(translation: str, pins: Sequence[Pin], target: str) -> str:
    """Remove the English "'s" an unmasked translation copied after a possessive term."""
    if base_language(target) == "en":
        return translation
    for pin in pins:
        if pin.possessive:
            translation = re.sub(rf"(?<!\w)({re.escape(pin.target_text)})['’]s\b", r"\1",
                                 translation)
    return translation


def attach_pins(segments: Sequence[Segment], matcher: TermMatcher | None, target: str) -> None:
    """Find each segment's pins for the target language."""
    for segment in segments:
        segment.pins = find_pins(segment.source, matcher, target)


def translate_segments(engine: Engine, segments: Sequence[Segment], source: str,
                       target: str, *, always_mask: bool = False) -> None:
    """Translate every segment in batches with its (attached) pins enforced.

    By default each segment is first translated as it is, and that translation is kept where
    every pin already landed: masking hides a word's gender and number from the model, which
    then guesses articles around the placeholder ("o Coreia do Norte"). Only segments with a
    missed pin go through masking. `always_mask` masks every segment with pins up front.
    """
    pending = []
    for segment in segments:
        segment.fuzzy = True
        whole = segment.pins[0] if len(segment.pins) == 1 else None
        if whole and whole.start == 0 and whole.end == len(segment.source):
            segment.target = whole.target_text  # a dateline or a lone name: nothing to translate
        else:
            pending.append(segment)
    engine_source, engine_target = base_language(source), base_language(target)

    plain: dict[int, str] = {}
    as_written = [s for s in pending if not s.pins or not always_mask]
    for segment, translation in zip(as_written, engine.translate(
            [s.source for s in as_written], engine_source, engine_target)):
        plain[id(segment)] = translation
        segment.target = drop_possessives(translation, segment.pins, target)
    # verify() marks pins here; flag_misses() verifies again once every target is final
    pending = [s for s in pending if s.pins and (always_mask or verify(s))]

    for attempt, shape in enumerate(PLACEHOLDER_SHAPES):
        if not pending:
            return
        masked = [mask(s.source, s.pins, shape) for s in pending]
        hypotheses = engine.hypotheses(masked, engine_source, engine_target,
                                       NBEST if attempt == 0 else 1)
        still = []
        for segment, options in zip(pending, hypotheses):
            restored = next((r for r in (unmask(o, segment.pins, shape, target)
                                         for o in options) if r is not None), None)
            if restored is None:
                still.append(segment)
            else:
                segment.target = restored
        pending = still

    missing_plain = [s for s in pending if id(s) not in plain]
    for segment, translation in zip(missing_plain, engine.translate(
            [s.source for s in missing_plain], engine_source, engine_target)):
        plain[id(segment)] = translation
    for segment in pending:
        segment.target = drop_possessives(
            replace_engine_renderings(plain[id(segment)], segment.pins), segment.pins, target)


def flag_misses(segments: Sequence[Segment], target: str) -> TermReport:
    """Verify every pin against the target text; a miss gets a note. Return the term report."""
    for segment in segments:
        for pin in verify(segment):
            segment.notes.append(f"glossary: {pin.source_text!r} should be rendered "
                                 f"{pin.target_text!r} but is missing from the translation")
    return term_report(target, segments)


def translate_pinned(engine: Engine, segments: Sequence[Segment], source: str, target: str,
                     matcher: TermMatcher | None, *, always_mask: bool = False) -> TermReport:
    """Find pins, translate with them enforced, verify: the whole layer for one batch."""
    attach_pins(segments, matcher, target)
    translate_segments(engine, segments, source, target, always_mask=always_mask)
    return flag_misses(segments, target)


def term_report(language: str, segments: Sequence[Segment]) -> TermReport:
    """Count verified pins of `segments` (after `verify`)."""
    report = TermReport(language=language)
    for segment in segments:
        report.found += len(segment.pins)
        for pin in segment.pins:
            if pin.landed:
                report.pinned += 1
            else:
                report.misses.append((segment.id, pin.source_text))
    return report
