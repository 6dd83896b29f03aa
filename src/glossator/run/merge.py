"""Carry a person's review across re-runs, the way msgmerge and CAT tools do.

Given the freshly segmented article and the PO file a previous run wrote (and a reviewer may
have edited), decide for every segment whether it keeps what it had or goes to the engine.
The rule that comes first: a text a person wrote (`Segment.person_written`: reviewed, or
edited and not yet approved) is never replaced by machine text.

- a person's text with the same source → kept as it is (reviewed stays reviewed, an edit
  stays an edit), whatever the glossary now pins: its pins are checked again and what no
  longer holds is flagged, not rewritten;
- machine output with the same source and the same pins → kept (nothing changed); with
  other pins, or with `retranslate` (`--force`), → translated again;
- a person's text whose source changed (a sentence reworded, perhaps moved by a paragraph
  inserted above) → kept, fuzzy (an approval is for the old source, so it lapses), with the
  old source as `#| msgid` for the reviewer, on the new segment whose source is closest to
  its own (at least `SIMILAR` alike), as msgmerge's fuzzy matching does; failing that, on
  the segment that has its id;
- a source a person translated before, here or in another article → taken from the memory;
- anything else → translated; a reviewer's comment on it stays.

Entries whose segment left the article become obsolete (`#~`), reviewed text included. What the
engine wrote (`machine`) and who approved a translation (`reviewer`) travel with the target.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from glossator.errors import FormatError
from glossator.languages import base_language, display_name
from glossator.model import Document, Segment

FROM_MEMORY = "translation memory (a reviewed translation of the same sentence)"


@dataclass
class MergeResult:
    to_translate: list[Segment] = field(default_factory=list)
    kept: list[Segment] = field(default_factory=list)  # keep their target; pins re-checked

    def summary(self) -> str:
        return f"{len(self.kept)} kept from the previous run, {len(self.to_translate)} to translate"


def _pin_key(segment: Segment) -> list[tuple[str, ...]]:
    """What a machine translation was pinned to; grammar read off the engine is left out."""
    return [(pin.source_text, pin.target_text, *pin.admitted, "|", *pin.inflected, "|",
             *pin.deprecated) for pin in segment.pins]


def check_previous(previous: Document, document: Document, target: str, path: Path) -> None:
    """Refuse a previous file that belongs to another article or language. A PO that records
    its article (`placement`) was matched to it when the run placed its outputs; one from an
    older glossator is matched by the article's file name."""
    if previous.target_lang and base_language(previous.target_lang) != base_language(target):
        raise FormatError(f"holds a {display_name(previous.target_lang)} translation, not "
                          f"{display_name(target)}; move it away or choose another --out",
                          path=path)
    if previous.source_key:
        return  # the article it records was matched when the run placed its outputs
    if previous.article and document.article and previous.article != document.article:
        raise FormatError(f"belongs to article {previous.article!r}, not {document.article!r}; "
                          "move it away or choose another --out", path=path)


def merge(document: Document, previous: Document | None, memory: Mapping[str, str], *,
          retranslate: bool = False) -> MergeResult:
    """Fill `document` from `previous` and `memory`; pins must already be found on `document`.
    `retranslate`: machine output goes to the engine again even where nothing changed."""
    result = MergeResult()
    olds = previous.segments if previous else []
    old_by_id = {s.id: s for s in olds}
    old_by_source: dict[str, Segment] = {}
    for old in olds:
        # a person's translation beats a machine one for the same sentence
        if old.source not in old_by_source or (old.person_written
                                               and not old_by_source[old.source].person_written):
            old_by_source[old.source] = old
    used: set[int] = set()

    for segment in document.segments:
        same_id = old_by_id.get(segment.id)
        old = same_id if same_id and same_id.source == segment.source \
            else old_by_source.get(segment.source)
        if old and old.target and (old.person_written or (
                not retranslate and _pin_key(old) == _pin_key(segment))):
            _take(segment, old)
            used.add(id(old))
            result.kept.append(segment)
        elif segment.source in memory:
            segment.target = memory[segment.source]
            segment.fuzzy = False
            segment.origin = FROM_MEMORY
            result.kept.append(segment)
        else:
            if old and old.comment:
                segment.comment = old.comment
            result.to_translate.append(segment)

    current = {(s.id, s.source) for s in document.segments}
    left = [old for old in olds if id(old) not in used and (old.id, old.source) not in current
            and old.person_written]
    pairs = _closest(left, result.to_translate)
    by_id = {segment.id: segment for segment in result.to_translate}
    paired = {id(old) for old, _segment in pairs} | {id(segment) for _old, segment in pairs}
    pairs += [(old, by_id[old.id]) for old in left  # reworded beyond recognition, same place
              if id(old) not in paired and old.id in by_id and id(by_id[old.id]) not in paired]
    for old, segment in pairs:
        _keep_for_new_source(segment, old)
        used.add(id(old))
        result.to_translate.remove(segment)
        result.kept.append(segment)
    if previous:
        left = [old for old in olds if id(old) not in used]
        document.obsolete = [old for old in [*left, *previous.obsolete]
                             if (old.id, old.source) not in current and old.target]
    return result


def _keep_for_new_source(segment: Segment, old: Segment) -> None:
    """`old`'s text, a person's, kept on `segment`, whose source differs: fuzzy, the old
    source shown beside it, an approval lapsed."""
    _take(segment, old)
    segment.fuzzy = True
    segment.reviewer = ""  # approved for the old source, not for this one
    segment.previous_source = old.source


SIMILAR = 0.6  # difflib ratio between an old and a new source for a person's text to move


def _closest(olds: list[Segment], candidates: list[Segment]) -> list[tuple[Segment, Segment]]:
    """Pairs (old, new segment) by closest source, best first, each side once; between two
    alike, the one with the old id."""
    if not olds or not candidates:
        return []
    scored = []
    for old in olds:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(old.source)
        for index, segment in enumerate(candidates):
            matcher.set_seq1(segment.source)
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    scored.append((-ratio, segment.id != old.id, index, id(old), old, segment))
    pairs, taken_old, taken_new = [], set(), set()
    for _score, _moved, index, key, old, segment in sorted(scored, key=lambda row: row[:4]):
        if key not in taken_old and index not in taken_new:
            taken_old.add(key)
            taken_new.add(index)
            pairs.append((old, segment))
    return pairs


def _take(segment: Segment, old: Segment) -> None:
    segment.target = old.target
    segment.fuzzy = old.fuzzy
    segment.comment = old.comment
    segment.previous_source = old.previous_source if old.fuzzy else None
    segment.origin = old.origin
    segment.machine = old.machine
    segment.reviewer = old.reviewer
