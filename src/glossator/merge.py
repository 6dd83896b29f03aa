"""Carry a person's review across re-runs, the way msgmerge and CAT tools do.

Given the freshly segmented article and the PO file a previous run wrote (and a reviewer may
have edited), decide for every segment whether it keeps what it had or goes to the engine:

- reviewed (not fuzzy) with the same source → kept as is, never re-translated;
- machine output with the same source and the same pins → kept (nothing changed);
- same id but a changed source, previously reviewed → the old translation stays, fuzzy, with the
  old source as `#| msgid` for the reviewer to compare;
- a source a person translated before, here or in another article → taken from the memory;
- anything else → translated.

Entries whose segment left the article become obsolete (`#~`), reviewed text included. What the
engine wrote (`machine`) and who approved a translation (`reviewer`) travel with the target.
"""

from __future__ import annotations

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
    return [(pin.source_text, pin.target_text, *pin.accepted, "|", *pin.inflected, "|",
             *pin.deprecated) for pin in segment.pins]


def check_previous(previous: Document, document: Document, target: str, path: Path) -> None:
    """Refuse a previous file that belongs to another article or language."""
    if previous.target_lang and base_language(previous.target_lang) != base_language(target):
        raise FormatError(f"holds a {display_name(previous.target_lang)} translation, not "
                          f"{display_name(target)}; move it away or choose another --out",
                          path=path)
    if previous.article and document.article and previous.article != document.article:
        raise FormatError(f"belongs to article {previous.article!r}, not {document.article!r}; "
                          "move it away or choose another --out", path=path)


def merge(document: Document, previous: Document | None,
          memory: Mapping[str, str]) -> MergeResult:
    """Fill `document` from `previous` and `memory`; pins must already be found on `document`."""
    result = MergeResult()
    old_by_id = {s.id: s for s in previous.segments} if previous else {}
    old_by_source: dict[str, Segment] = {}
    for old in previous.segments if previous else ():
        # a reviewed translation beats a machine one for the same sentence
        if old.source not in old_by_source or not old.fuzzy:
            old_by_source[old.source] = old
    used: set[int] = set()

    for segment in document.segments:
        same_id = old_by_id.get(segment.id)
        old = same_id if same_id and same_id.source == segment.source \
            else old_by_source.get(segment.source)
        if old and old.target and (not old.fuzzy or _pin_key(old) == _pin_key(segment)):
            _take(segment, old)
            used.add(id(old))
            result.kept.append(segment)
        elif same_id and not same_id.fuzzy and same_id.target:
            _take(segment, same_id)
            segment.fuzzy = True
            segment.reviewer = ""  # approved for the old source, not for this one
            segment.previous_source = same_id.source
            used.add(id(same_id))
            result.kept.append(segment)
        elif segment.source in memory:
            segment.target = memory[segment.source]
            segment.fuzzy = False
            segment.origin = FROM_MEMORY
            result.kept.append(segment)
        else:
            result.to_translate.append(segment)

    if previous:
        left = [old for old in previous.segments if id(old) not in used]
        current = {(s.id, s.source) for s in document.segments}
        document.obsolete = [old for old in [*left, *previous.obsolete]
                             if (old.id, old.source) not in current and old.target]
    return result


def _take(segment: Segment, old: Segment) -> None:
    segment.target = old.target
    segment.fuzzy = old.fuzzy
    segment.comment = old.comment
    segment.previous_source = old.previous_source if old.fuzzy else None
    segment.origin = old.origin
    segment.machine = old.machine
    segment.reviewer = old.reviewer


def reviewed_pairs(documents: list[Document]) -> dict[str, str]:
    """Source → reviewed translation, for the translation memory."""
    return {s.source: s.target for d in documents for s in d.segments
            if not s.fuzzy and s.target}
