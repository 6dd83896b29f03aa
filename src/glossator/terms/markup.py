"""Put a document's inline markup (`model.Tag`) into the engine's translation of a segment.

The engine translates the plain source; each tag then goes where its words went, found in
this order:
1. a pair around the whole segment goes around the whole translation, a point at either end
   stays at that end;
2. a pair around a pinned term (the issue's bold glossary term) goes around the pin's form in
   the translation;
3. a pair or point whose words (a name, a number, a URL) are in the translation as they are,
   once, goes there;
4. a pair goes around its words as the engine translated them alone (`Segment.tag_words`),
   found once in the translation, or the one run of words that reads nearly the same
   ("disse o sindicato" for "said the union": the words move with the markup);
5. else the tag goes where its place in the source falls in proportion, at a word boundary,
   and a note asks the reviewer to check it.
Markup is never dropped: every tag of the source is in the machine text, for QA to compare
with what a reviewer leaves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from glossator.model import INFO_NOTE, Segment, Tag, tag_names, tagged

NEAR_MATCH = 0.8  # how alike words translated alone and a run of the whole must read
GUESSED_NOTE = INFO_NOTE + "markup {names} placed by position in the machine text: check it"


def place_markup(segments: Sequence[Segment]) -> None:
    """Write the markup into each machine target that does not hold it yet (this run's engine
    text); a person's text, and machine text kept from an earlier run, are left as they are."""
    for segment in segments:
        if (not segment.markup or not segment.target.strip() or segment.person_written
                or tag_names(segment.target)):
            continue
        placed, guessed = place_tags(segment)  # the target may gain a space
        segment.target = tagged(segment.target, placed)
        segment.machine = segment.target
        if guessed:
            segment.notes.append(GUESSED_NOTE.format(
                names=", ".join(f"<{name}>" for name in guessed)))


def place_tags(segment: Segment) -> tuple[list[Tag], list[str]]:
    """Where each of the segment's source tags goes in its target, and the names of those
    placed by position only. The target is the plain machine text, which a point between two
    spaces in the source ("the <c0/> agency") may give a space to, so it comes back too."""
    source, target = segment.source, segment.target
    placed: list[Tag] = []
    guessed: list[str] = []
    claimed: list[tuple[int, int]] = []
    for tag in sorted(segment.markup, key=lambda t: not t.point):  # points first: they may
        span = (_whole(tag, source, target) or _pinned(tag, segment, claimed)  # add a space
                or _same_words(tag, source, target) or _alone(tag, segment, target, claimed))
        if span is None:
            span = (_proportional(tag.start, source, target, "start" if not tag.point else ""),
                    _proportional(tag.end, source, target, "end"))
            guessed.append(tag.name)
        start, end = span
        if tag.point:
            spaced = source[tag.start - 1:tag.start].isspace() and \
                source[tag.start:tag.start + 1].isspace()
            after_space = target[start - 1:start].isspace()
            if spaced and after_space != target[start:start + 1].isspace():
                target = target[:start] + " " + target[start:]
                placed = [_shifted(other, start) for other in placed]
                start += not after_space  # between the two spaces
            end = start
        elif end <= start:  # a pair covers at least the word it starts at
            word = re.compile(r"\S+").search(target, start)
            end = word.end() if word else len(target)
        claimed.append((start, end))
        placed.append(Tag(tag.name, start, max(start, end), tag.point))
    segment.target = target
    order = {tag.name: index for index, tag in enumerate(segment.markup)}
    return sorted(placed, key=lambda tag: order[tag.name]), guessed


def _shifted(tag: Tag, at: int) -> Tag:
    """`tag` with a character inserted before offset `at` of its text."""
    return Tag(tag.name, tag.start + (tag.start >= at), tag.end + (tag.end >= at), tag.point)


def _bounds(text: str) -> tuple[int, int]:
    return len(text) - len(text.lstrip()), len(text.rstrip())


def _whole(tag: Tag, source: str, target: str) -> tuple[int, int] | None:
    first, last = _bounds(source)
    start, end = _bounds(target)
    if tag.point:
        if tag.start <= first:
            return start, start
        if tag.start >= last:
            return end, end
        return None
    inside = tag.start <= first and tag.end >= last
    # a run ending in the sentence's full stop or starting the segment, covering all words
    if inside or (tag.start <= first and not source[tag.end:last].strip(" .,;:!?\"'”’)")):
        return start, end
    return None


def _pinned(tag: Tag, segment: Segment, claimed: list[tuple[int, int]]) -> tuple[int, int] | None:
    if tag.point:
        return None
    words = segment.source[tag.start:tag.end].strip(" .,;:")
    for pin in segment.pins:
        if pin.source_text.strip() != words and segment.source[pin.start:pin.end] != words:
            continue
        for form in (*pin.preferred_forms, *pin.admitted):
            for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", segment.target,
                                     re.IGNORECASE):
                if not any(a < match.end() and match.start() < b for a, b in claimed):
                    return match.span()
    return None


def _same_words(tag: Tag, source: str, target: str) -> tuple[int, int] | None:
    if tag.point:
        before = source[:tag.start].rstrip().rsplit(None, 1)
        if before:
            word = before[-1]
            found = [m.end() for m in re.finditer(rf"(?<!\w){re.escape(word)}", target)]
            if len(found) == 1:
                return found[0], found[0]
        return None
    words = source[tag.start:tag.end].strip()
    if not words:
        return None
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(words)}(?!\w)", target)]
    return found[0] if len(found) == 1 else None


def words_to_translate(segment: Segment, translation: str) -> list[str]:
    """The words of the segment's pair tags that steps 1-3 of placing will not find in the
    engine's `translation`: what to have the engine translate alone (`Segment.tag_words`).
    A pair around the whole segment, around a pinned term, or around words the translation
    holds as they are, once, needs no engine."""
    source = segment.source
    pinned = {pin.source_text.strip() for pin in segment.pins}
    wanted = []
    for tag in segment.markup:
        words = source[tag.start:tag.end].strip(" .,;:")
        if (tag.point or not any(char.isalpha() for char in words) or words in pinned
                or _whole(tag, source, source) is not None
                or _same_words(tag, source, translation) is not None):
            continue
        wanted.append(words)
    return wanted


def _alone(tag: Tag, segment: Segment, target: str, claimed: list[tuple[int, int]]
           ) -> tuple[int, int] | None:
    if tag.point:
        return None
    words = segment.source[tag.start:tag.end].strip(" .,;:")
    rendering = segment.tag_words.get(words, "").strip(" .,;:")
    span = find_once(rendering, target) if rendering else None
    if span is None or any(a < span[1] and span[0] < b for a, b in claimed):
        return None
    return span


def find_once(part: str, whole: str) -> tuple[int, int] | None:
    """Where `part` is in `whole`: its one exact occurrence, else the one run of words that
    reads nearly the same (a part translated alone often differs from the same words in the
    sentence by an article or a preposition: "o relatório KCNA" / "o relatório da KCNA")."""
    if not part.strip():
        return None
    exact = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", whole)]
    if exact:
        return (exact[0], exact[0] + len(part)) if len(exact) == 1 else None
    words = [m.span() for m in re.finditer(r"\S+", whole)]
    size = len(part.split())
    scored = []
    for count in range(max(1, size - 2), size + 3):
        for first in range(len(words) - count + 1):
            start, end = words[first][0], words[first + count - 1][1]
            while end > start and not whole[end - 1].isalnum() and part[-1].isalnum():
                end -= 1  # "KCNA," holds "KCNA"
            ratio = SequenceMatcher(None, part.casefold(), whole[start:end].casefold()).ratio()
            scored.append((ratio, start, end))
    scored.sort(reverse=True)
    if not scored or scored[0][0] < NEAR_MATCH:
        return None
    best = scored[0]
    if len(scored) > 1 and scored[1][0] >= NEAR_MATCH:
        second = scored[1]
        if not (best[1] < second[2] and second[1] < best[2]):
            return None  # two places read alike: which one is meant is not known
    return best[1], best[2]


def _proportional(offset: int, source: str, target: str, side: str) -> int:
    """The word boundary of `target` nearest to where `offset` falls in `source`, in
    proportion: a word's start for a pair's `side` "start", a word's end for "end", either
    for a point."""
    if not source:
        return 0
    ideal = round(offset / len(source) * len(target))
    starts = [m.start() for m in re.finditer(r"\w+", target)] or [0]
    ends = [m.end() for m in re.finditer(r"\w+", target)] or [len(target)]
    boundaries = starts if side == "start" else ends if side == "end" else starts + ends
    return min(boundaries, key=lambda b: (abs(b - ideal), b))
