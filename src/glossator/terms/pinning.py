"""Pin glossary terms through machine translation and prove afterwards that each pin landed.

Every segment is first translated as it is, so the engine sees the real words and gets the
grammar around them right. Then each pin is placed in that translation, touching as little as
possible:

1. its pinned rendering (or an inflection the glossary lists) is already there: kept;
2. an admitted or deprecated spelling is there: normalised to the pinned one, in place;
3. the engine's own rendering of the term is there — the source spelling copied through, the
   engine's translation of the term on its own (all such terms of a run in one batched call,
   cached), or for engines that align (argos) the span the term's tokens attend to: that span
   is replaced by the pin, in place;
4. only the pins still not found are masked — each becomes a placeholder the engine carries
   through (measured on the bergamot en→pt model: `XZ0`-like tokens survive 15/15 times,
   `<t0>` 0/15) — while the segment's other terms stay real words; n-best hypotheses and a
   second placeholder shape are tried.

Then the determiner in front of every pin is made to agree with it (`glossary.grammar`): the
gender, number and article use come from the glossary where the editor wrote them, else from
the engine itself (each term translated in a few carrier sentences, cached per model). A pin
that cannot be placed is never silent: the segment stays fuzzy and gets a note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from glossator.engines.base import Engine
from glossator.glossary import grammar
from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import ADMITTED, DEPRECATED, INFLECTED, Form
from glossator.languages import base_language
from glossator.model import Pin, Segment
from glossator.terms.proof import form_pattern, in_preferred_form, verify
from glossator.text.dates import find_dates, render_date

PLACEHOLDER_SHAPES = ("XZ", "ZX")
NBEST = 4
_OPENING_PUNCTUATION = "\"'“‘«„¿¡([ "

# How a pin came to stand in the translation, best first.
AS_WRITTEN = "as-written"  # the engine wrote the preferred form itself
VARIANT = "variant"  # an admitted or deprecated spelling, normalised
COPIED = "copied"  # the source spelling carried over, replaced
RENDERED = "rendered"  # the engine's own translation of the term, replaced
ALIGNED = "aligned"  # the span the term's tokens attend to, replaced
UNMASKED = "unmasked"  # came back from a placeholder


@dataclass
class TermReport:
    """Per target language: term occurrences found, pins that landed, and the misses."""

    language: str
    found: int = 0
    pinned: int = 0  # an accepted form is there: the pinned one, an inflection, an admitted one
    preferred: int = 0  # the pinned form itself (or an inflection of it)
    misses: list[tuple[str, str]] = field(default_factory=list)  # (segment id, term)

    @property
    def missed(self) -> int:
        return len(self.misses)

    @property
    def accuracy(self) -> float:
        return self.pinned / self.found if self.found else 1.0

    def line(self) -> str:
        text = (f"terms {self.language}: {self.found} found, {self.pinned} pinned "
                f"({self.preferred} in the preferred form), {self.missed} missed")
        if self.misses:
            text += " (" + ", ".join(f"{term} in {sid}" for sid, term in self.misses) + ")"
        return text


def find_pins(text: str, matcher: TermMatcher | None, language: str,
              source: str = "en") -> list[Pin]:
    """The pins for one source segment: glossary terms with a rendering for `language`, and
    full dates as `source` writes them (read and rendered with CLDR's data, by babel).
    Overlaps resolve in favour of the glossary."""
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
        pins.append(Pin(match.start, match.end, match.text, pinned, admitted=others[ADMITTED],
                        concept=match.concept.name, note=match.concept.note,
                        possessive=match.possessive, inflected=others[INFLECTED],
                        deprecated=others[DEPRECATED], gender=preferred.gender,
                        number=preferred.number, article=preferred.article))
    for found in find_dates(text, source):
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


# Masking -------------------------------------------------------------------------------------


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


def placeholder_spans(translation: str, count: int, shape: str) -> list[tuple[int, int]] | None:
    """Where each of `count` placeholders came back (a trailing "'s" included); None unless
    every one came back exactly once and no stray one is left."""
    placeholder = re.compile(rf"\b{shape}(\d+)\b(?:['’]s\b)?")
    spans: dict[int, tuple[int, int]] = {}
    for match in placeholder.finditer(translation):
        index = int(match.group(1))
        if index >= count or index in spans:
            return None
        spans[index] = match.span()
    if len(spans) != count:
        return None
    return [spans[index] for index in range(count)]


def unmask(translation: str, pins: Sequence[Pin], shape: str, target: str) -> str | None:
    """Put each pin's rendering where its placeholder came back; None unless every placeholder
    came back exactly once and no stray one is left."""
    spans = placeholder_spans(translation, len(pins), shape)
    if spans is None:
        return None
    edits = [(start, end, _placeholder_rendering(translation, start, end, pin, target))
             for (start, end), pin in zip(spans, pins)]
    return _apply(translation, edits)[0]


def _placeholder_rendering(translation: str, start: int, end: int, pin: Pin,
                           target: str) -> str:
    """What replaces the placeholder at [start, end): the pin, with a capital where it opens
    the sentence and an English possessive kept."""
    rendering = pin.target_text
    if grammar.opens_sentence(translation, start):
        rendering = rendering[:1].upper() + rendering[1:]
    if translation[start:end].endswith(("'s", "’s")) and base_language(target) == "en":
        rendering += translation[end - 2:end]
    return rendering


# Placing pins in a translation ---------------------------------------------------------------


@dataclass
class Placement:
    """Where a pin stands in a translation, and how it got there."""

    start: int
    end: int
    how: str


def locate(text: str, pins: Sequence[Pin],
           taken: Sequence[tuple[int, int]] = ()) -> list[Placement | None]:
    """For each pin, the span of its rendering in `text` as the engine wrote it: the pinned
    form or an inflection (AS_WRITTEN), an admitted or deprecated spelling (VARIANT), or the source
    spelling copied through (COPIED); None where none is there. Longer strings claim their span
    first, so "Sergei Shoigu" is not taken apart by the pin of a later "Shoigu"; each span is
    given to one pin only."""
    candidates = []
    for index, pin in enumerate(pins):
        for how, forms in ((AS_WRITTEN, pin.preferred_forms),
                           (VARIANT, (*pin.admitted, *pin.deprecated)),
                           (COPIED, (pin.source_text,))):
            for form in forms:
                if form:
                    candidates.append((-len(form), (AS_WRITTEN, VARIANT, COPIED).index(how),
                                       index, form, how))
    placed: list[Placement | None] = [None] * len(pins)
    claimed = list(taken)
    for _length, _rank, index, form, how in sorted(candidates):
        if placed[index] is not None:
            continue
        span = _free_match(text, form_pattern(form), claimed, flags=0)
        if span:
            placed[index] = Placement(*span, how)
            claimed.append(span)
    return placed


def _free_match(text: str, pattern: str, claimed: Sequence[tuple[int, int]],
                flags: int) -> tuple[int, int] | None:
    for match in re.finditer(pattern, text, flags):
        if all(match.end() <= start or end <= match.start() for start, end in claimed):
            return match.span()
    return None


@dataclass
class _Draft:
    """One segment on its way: the translation and where each pin stands in it."""

    segment: Segment
    text: str  # the unmasked translation, as the engine wrote it
    placements: list[Placement | None]

    def missing(self) -> list[int]:
        return [index for index, placed in enumerate(self.placements) if placed is None]

    def claimed(self) -> list[tuple[int, int]]:
        return [(p.start, p.end) for p in self.placements if p is not None]


# Reading what the engine does with a term on its own, cached per model and term.
_RENDERING_CACHE: dict[tuple[str, str, str, str], str] = {}
_GRAMMAR_CACHE: dict[tuple[str, str, str, str], grammar.Grammar] = {}


def _engine_renderings(engine: Engine, terms: Sequence[str], source: str,
                       target: str) -> dict[str, str]:
    """Each term translated on its own (one batched call for those not cached), with the
    article an engine puts before a lone noun taken off."""
    model = engine.model_id(source, target)
    todo = [term for term in dict.fromkeys(terms)
            if (model, source, target, term) not in _RENDERING_CACHE]
    if todo:
        for term, rendering in zip(todo, engine.translate(todo, source, target)):
            _RENDERING_CACHE[(model, source, target, term)] = _bare(rendering, target)
    return {term: _RENDERING_CACHE[(model, source, target, term)] for term in terms}


def learnt_terms(model: str, source: str, target: str) -> dict[str, dict]:
    """What this process has learnt of how `model` writes terms from `source` into `target`
    (base languages): each term on its own ("renderings", term → text) and its grammar in the
    carrier sentences ("grammar", term → [gender, number, article]); plain values, for a cache
    on disk (`run.termcache`)."""
    pair = (model, source, target)
    return {"renderings": {key[3]: rendering for key, rendering in _RENDERING_CACHE.items()
                           if key[:3] == pair},
            "grammar": {key[3]: [found.gender, found.number, found.article]
                        for key, found in _GRAMMAR_CACHE.items() if key[:3] == pair}}


def learn_terms(model: str, source: str, target: str, learnt: dict[str, dict]) -> None:
    """Take what `learnt_terms` gave (in this process or an earlier one) as known: those terms
    are not sent to the engine again. What this process knows already is kept."""
    for term, rendering in learnt.get("renderings", {}).items():
        _RENDERING_CACHE.setdefault((model, source, target, term), rendering)
    for term, (gender, number, article) in learnt.get("grammar", {}).items():
        _GRAMMAR_CACHE.setdefault((model, source, target, term),
                                  grammar.Grammar(gender, number, article))


def _bare(rendering: str, target: str) -> str:
    """A lone term's translation without the final stop or the article engines put first."""
    rendering = rendering.strip().rstrip(".!;:")
    first, _, rest = rendering.partition(" ")
    if rest and first.lower() in grammar.readings(target):
        return rest
    return rendering


def probe_grammar(engine: Engine, pins: Sequence[Pin], source: str, target: str) -> None:
    """Fill in gender, number and article use where the glossary says nothing, from the
    engine's own use in carrier sentences (one batched call, cached per model and term)."""
    if grammar.language_rules(target) is None:
        return
    unknown = [pin for pin in pins if pin.concept != "date"
               and (pin.gender, pin.number, pin.article) == (None, None, None)]
    if not unknown:
        return
    model = engine.model_id(source, target)
    terms = {pin.concept or pin.source_text: pin.target_text for pin in unknown}
    todo = {term: rendering for term, rendering in terms.items()
            if (model, source, target, term) not in _GRAMMAR_CACHE}
    if todo:
        for term, found in grammar.probe(engine, todo, source, target).items():
            _GRAMMAR_CACHE[(model, source, target, term)] = found
    for pin in unknown:
        found = _GRAMMAR_CACHE[(model, source, target, pin.concept or pin.source_text)]
        pin.gender, pin.number, pin.article = found.gender, found.number, found.article


def translate_segments(engine: Engine, segments: Sequence[Segment], source: str,
                       target: str, *, always_mask: bool = False) -> None:
    """Translate every segment in batches with its (attached) pins enforced.

    `always_mask` masks every pin up front, as older versions did: the engine then never
    sees the terms, and guesses articles around the placeholders.
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
    plain = engine.translate([s.source for s in pending], engine_source, engine_target)
    _translate_tag_words(engine, pending, plain, engine_source, engine_target)
    drafts = []
    for segment, translation in zip(pending, plain):
        segment.target = translation
        if segment.pins:
            placements = ([None] * len(segment.pins) if always_mask
                          else locate(translation, segment.pins))
            drafts.append(_Draft(segment, translation, placements))
    if not drafts:
        _keep_machine_text(segments)
        return
    probe_grammar(engine, [pin for d in drafts for pin in d.segment.pins], engine_source,
                  engine_target)
    if not always_mask:
        _place_engine_renderings(engine, drafts, engine_source, engine_target)
        _place_by_alignment(engine, drafts, engine_source, engine_target)
    _place_by_masking(engine, [d for d in drafts if d.missing()], engine_source,
                      engine_target, target)
    for draft in drafts:
        draft.segment.target = _finish(draft, target)
    _keep_machine_text(segments)


def _translate_tag_words(engine: Engine, segments: Sequence[Segment],
                         translations: Sequence[str], source: str, target: str) -> None:
    """The words of a document's pair tags that the engine reworded in its `translations`
    (one a segment), translated alone in one call: where `terms.markup` puts those tags."""
    from glossator.terms.markup import words_to_translate

    wanted = {segment.id: words_to_translate(segment, translation)
              for segment, translation in zip(segments, translations) if segment.markup}
    distinct = sorted({words for found in wanted.values() for words in found})
    if not distinct:
        return
    alone = dict(zip(distinct, engine.translate(distinct, source, target)))
    for segment in segments:
        segment.tag_words = {words: alone[words] for words in wanted.get(segment.id, [])}


def _keep_machine_text(segments: Sequence[Segment]) -> None:
    """What the engine wrote, pins placed: kept so that a person's edit can be told from it."""
    for segment in segments:
        segment.machine = segment.target


def _place_engine_renderings(engine: Engine, drafts: list[_Draft], source: str,
                             target: str) -> None:
    """Find missing pins by the engine's translation of the term on its own."""
    wanted = [(draft, index) for draft in drafts for index in draft.missing()]
    if not wanted:
        return
    renderings = _engine_renderings(
        engine, [draft.segment.pins[index].source_text for draft, index in wanted],
        source, target)
    for draft, index in wanted:
        pin = draft.segment.pins[index]
        rendering = renderings[pin.source_text]
        span = None
        if len(rendering) >= 2:
            span = _free_match(draft.text, form_pattern(rendering), draft.claimed(),
                               flags=re.IGNORECASE)
        if span is None:
            span = _similar_span(draft.text, (pin.target_text, rendering), draft.claimed(),
                                 target)
        if span:
            draft.placements[index] = Placement(*span, RENDERED)


FUZZY_MIN_LENGTH = 8  # shorter renderings ("RPDC") are only ever matched exactly
FUZZY_THRESHOLD = 0.82


def _similar_span(text: str, renderings: Sequence[str], claimed: Sequence[tuple[int, int]],
                  language: str) -> tuple[int, int] | None:
    """The run of words most like one of `renderings` (the engine inflected or reworded a
    small part: "Comissão de Assuntos do Estado" for "Comissão de Assuntos de Estado"), where
    it is alike enough; it neither starts with an article nor overlaps a claimed span."""
    words = list(re.finditer(r"\w+(?:[-'’]\w+)*", text))
    determiners = grammar.readings(language)
    best: tuple[float, int, int] | None = None
    for rendering in renderings:
        size = len(rendering.split())
        if len(rendering) < FUZZY_MIN_LENGTH:
            continue
        wanted = rendering.casefold()
        for length in range(max(1, size - 1), size + 2):
            for first in range(len(words) - length + 1):
                start, end = words[first].start(), words[first + length - 1].end()
                if words[first].group().lower() in determiners and size > 1:
                    continue
                if any(start < other_end and other_start < end
                       for other_start, other_end in claimed):
                    continue
                ratio = SequenceMatcher(None, wanted, text[start:end].casefold()).ratio()
                if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[0]):
                    best = (ratio, start, end)
    return (best[1], best[2]) if best else None


def _place_by_alignment(engine: Engine, drafts: list[_Draft], source: str,
                        target: str) -> None:
    """Find missing pins through the engine's alignment, where it has one (argos)."""
    wanting = [draft for draft in drafts if draft.missing()]
    aligner = getattr(engine, "aligned", None)
    if not wanting or aligner is None:
        return
    aligned = aligner([draft.segment.source for draft in wanting], source, target)
    if aligned is None:
        return
    for draft, alignment in zip(wanting, aligned):
        if alignment.translation != draft.text:
            continue
        for index in draft.missing():
            pin = draft.segment.pins[index]
            span = alignment.target_span(pin.start, pin.end)
            if span and all(span[1] <= start or end <= span[0]
                            for start, end in draft.claimed()):
                draft.placements[index] = Placement(*span, ALIGNED)


def _place_by_masking(engine: Engine, drafts: list[_Draft], source: str, target: str,
                      language: str) -> None:
    """Mask only the pins not found; take the first hypothesis where every placeholder comes
    back and every other pin of the segment is still found."""
    for attempt, shape in enumerate(PLACEHOLDER_SHAPES):
        if not drafts:
            return
        masked = [mask(d.segment.source, [d.segment.pins[i] for i in d.missing()], shape)
                  for d in drafts]
        hypotheses = engine.hypotheses(masked, source, target, NBEST if attempt == 0 else 1)
        still = []
        for draft, options in zip(drafts, hypotheses):
            if not any(_take_masked(draft, option, shape, language) for option in options):
                still.append(draft)
        drafts = still


def _take_masked(draft: _Draft, translation: str, shape: str, language: str) -> bool:
    """Adopt a masked translation if every placeholder came back and the unmasked pins are
    all found in it; the placeholders become the pinned renderings."""
    missing = draft.missing()
    spans = placeholder_spans(translation, len(missing), shape)
    if spans is None:
        return False
    pins = draft.segment.pins
    edits = [(start, end, _placeholder_rendering(translation, start, end, pins[index], language))
             for (start, end), index in zip(spans, missing)]
    text, moved = _apply(translation, edits)
    others = [index for index in range(len(pins)) if index not in missing]
    found = locate(text, [pins[index] for index in others], moved)
    if any(placed is None for placed in found):
        return False
    placements: list[Placement | None] = [None] * len(pins)
    for index, (start, end) in zip(missing, moved):
        placements[index] = Placement(start, end, UNMASKED)
    for index, placed in zip(others, found):
        placements[index] = placed
    text, placements = _restore_prepositions(text, placements, draft.text, language)
    draft.text, draft.placements = text, placements
    return True


def _restore_prepositions(text: str, placements: list[Placement | None], plain: str,
                          language: str) -> tuple[str, list[Placement | None]]:
    """Where the engine dropped the preposition before a placeholder ("sob resoluções XZ0")
    but wrote one after the same word in the unmasked translation ("resoluções do
    Conselho"), put that preposition back."""
    table = grammar.readings(language)
    if not table:
        return text, placements
    for placed in sorted((p for p in placements if p and p.how == UNMASKED),
                         key=lambda p: -p.start):
        before = re.search(r"(\w+)\s+$", text[:placed.start])
        if not before or before.group(1).lower() in table:
            continue
        word = before.group(1)
        after_word = re.findall(rf"(?<!\w){re.escape(word)}\s+(\w+)\s", plain)
        if len(after_word) != 1:
            continue
        reading = table.get(after_word[0].lower())
        if reading is None or not reading.preposition:
            continue
        insert = reading.preposition + " "
        text = text[:placed.start] + insert + text[placed.start:]
        for other in placements:
            if other is not None and other.start >= placed.start:
                other.start += len(insert)
                other.end += len(insert)
    return text, placements


def _apply(text: str, edits: Sequence[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each (start, end, replacement) made, and where each replacement now is."""
    order = sorted(range(len(edits)), key=lambda i: edits[i][0])
    pieces, cursor, shift = [], 0, 0
    spans: list[tuple[int, int]] = [(0, 0)] * len(edits)
    for i in order:
        start, end, replacement = edits[i]
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        spans[i] = (start + shift, start + shift + len(replacement))
        shift += len(replacement) - (end - start)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), spans


def _finish(draft: _Draft, language: str) -> str:
    """The draft's translation with each placed pin written in and its determiner agreeing."""
    pins = draft.segment.pins
    edits, placed_pins = [], []
    for pin, placed in zip(pins, draft.placements):
        if placed is None:
            continue
        current = draft.text[placed.start:placed.end]
        replacement = current if placed.how == AS_WRITTEN else pin.target_text
        if placed.how != AS_WRITTEN and grammar.opens_sentence(draft.text, placed.start):
            replacement = replacement[:1].upper() + replacement[1:]
        edits.append((placed.start, placed.end, replacement))
        placed_pins.append(pin)
    text, spans = _apply(draft.text, edits)
    headline = draft.segment.kind != "body"
    for pin, (start, end) in sorted(zip(placed_pins, spans), key=lambda item: -item[1][0]):
        text = grammar.agree_predicate(text, start, end, language, gender=pin.gender,
                                       number=pin.number)
        text = grammar.agree(text, start, end, language, gender=pin.gender, number=pin.number,
                             article=pin.article, headline=headline)
    return drop_possessives(text, pins, language)


def drop_possessives(translation: str, pins: Sequence[Pin], target: str) -> str:
    """Remove the English "'s" an unmasked translation copied after a possessive term."""
    if base_language(target) == "en":
        return translation
    for pin in pins:
        if pin.possessive:
            translation = re.sub(rf"(?<!\w)({re.escape(pin.target_text)})['’]s\b", r"\1",
                                 translation)
    return translation


def attach_pins(segments: Sequence[Segment], matcher: TermMatcher | None, target: str,
                source: str = "en", *, found: dict[str, tuple[Pin, ...]] | None = None
                ) -> None:
    """Find each segment's pins for the target language (dates as `source` writes them).
    `found` (one for a run's language and matcher) keeps the pins of each source text: a
    repeated one gets copies of them."""
    for segment in segments:
        if found is None:
            segment.pins = find_pins(segment.source, matcher, target, source)
            continue
        pins = found.get(segment.source)
        if pins is None:
            pins = found[segment.source] = tuple(find_pins(segment.source, matcher, target,
                                                           source))
        segment.pins = [pin.copied() for pin in pins]


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
    attach_pins(segments, matcher, target, source)
    probe_grammar(engine, [pin for segment in segments for pin in segment.pins],
                  base_language(source), base_language(target))
    translate_segments(engine, segments, source, target, always_mask=always_mask)
    return flag_misses(segments, target)


def term_report(language: str, segments: Sequence[Segment]) -> TermReport:
    """Count verified pins of `segments` (after `verify`)."""
    report = TermReport(language=language)
    for segment in segments:
        if not segment.pins:
            continue
        report.found += len(segment.pins)
        report.preferred += sum(in_preferred_form(segment.pins, segment.target))
        for pin in segment.pins:
            if pin.pinned:
                report.pinned += 1
            else:
                report.misses.append((segment.id, pin.source_text))
    return report
