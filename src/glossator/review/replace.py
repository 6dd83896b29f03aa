"""Search and replace in the targets of one article or of the whole workspace.

A preview lists every segment the replacement would change, its text before and after, and
its version; applying it changes only the segments the reviewer kept in the preview, each
through `Workspace.save` as an edit (so it is recorded as any edit, and a segment changed on
disk since the preview is a conflict, left alone and reported). Reviewed segments are left
out unless asked for; one that is changed becomes an edit again, to be approved anew. A
replacement that would leave a segment empty is refused, so no text is lost.

Each application is a batch that `undo` takes back: a segment still as the batch left it
gets its earlier text again (approved again where it was approved); one changed since is
left alone and reported. The batches last as long as the server.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from glossator.errors import FormatError, UsageError
from glossator.model import REVIEWED
from glossator.text.fuzzy import word_diff

if TYPE_CHECKING:
    from glossator.review.workspace import Workspace

MAX_PATTERN = 1_000  # characters of a search text or pattern
MAX_BATCHES = 50  # undoable batches kept


@dataclass(frozen=True)
class Search:
    """What to find and what to write instead: plain text or a regular expression
    (Python's syntax; `\\1` in the replacement is its first group)."""

    find: str
    replacement: str
    regex: bool = False
    case: bool = True  # case-sensitive
    reviewed: bool = False  # reviewed segments too

    def pattern(self) -> re.Pattern[str]:
        if not self.find:
            raise UsageError("nothing to search for")
        if len(self.find) > MAX_PATTERN or len(self.replacement) > MAX_PATTERN:
            raise UsageError(f"search or replacement too long (limit {MAX_PATTERN} characters)")
        flags = 0 if self.case else re.IGNORECASE
        try:
            return re.compile(self.find if self.regex else re.escape(self.find), flags)
        except re.error as error:
            raise UsageError(f"not a valid regular expression: {error}") from None

    def apply(self, pattern: re.Pattern[str], text: str) -> str:
        if not self.regex:
            return pattern.sub(lambda _found: self.replacement, text)
        try:
            return pattern.sub(self.replacement, text)
        except (re.error, IndexError) as error:
            raise UsageError(f"the replacement cannot be used: {error}") from None


@dataclass(frozen=True)
class _Done:
    path: str
    segment_id: str
    before: str
    was_reviewed: bool
    version: str  # the segment's version after the replacement


class Replacer:
    """Search and replace over `workspace`, with the batches applied kept for undo."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._batches: dict[int, list[_Done]] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def preview(self, search: Search, paths: Sequence[str] | None = None) -> dict[str, Any]:
        """The changes `search` would make in the articles `paths` (None: every article):
        {"changes": [{path, id, state, before, after, diff, version}], "reviewed": N}, N the
        reviewed segments that hold the text and are left out; `diff` is `after` against
        `before` word by word (glossator.text.fuzzy.word_diff)."""
        from glossator.review.workspace import segment_version

        pattern = search.pattern()
        changes, reviewed_left = [], 0
        for relative in self._articles(paths):
            for segment in self.workspace.load(relative).segments:
                if not pattern.search(segment.target):
                    continue
                if segment.state == REVIEWED and not search.reviewed:
                    reviewed_left += 1
                    continue
                after = search.apply(pattern, segment.target)
                if after != segment.target:
                    changes.append({"path": relative, "id": segment.id, "state": segment.state,
                                    "before": segment.target, "after": after,
                                    "diff": [list(piece) for piece in
                                             word_diff(segment.target, after)],
                                    "version": segment_version(segment)})
        return {"changes": changes, "reviewed": reviewed_left}

    def apply(self, search: Search, chosen: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
        """Replace in the segments `chosen` ((path, id, version) from the preview); the
        batch's number (for `undo`), the segments saved, and those left alone and why."""
        pattern = search.pattern()
        done: list[_Done] = []
        saved, left = [], []
        documents: dict[str, Any] = {}  # each read once: a save changes only its own segment
        for relative, segment_id, version in chosen:
            if relative not in documents:
                documents[relative] = self.workspace.load(relative)
            document = documents[relative]
            segment = next((s for s in document.segments if s.id == segment_id), None)
            if segment is None:
                raise FormatError(f"no segment {segment_id!r}", path=document.path)
            if segment.state == REVIEWED and not search.reviewed:
                left.append(_left(relative, segment_id, "reviewed"))
                continue
            after = search.apply(pattern, segment.target)
            if not after.strip():
                left.append(_left(relative, segment_id, "the replacement would leave it empty"))
                continue
            result = self.workspace.save(relative, segment_id, version, "edit", after)
            if result.status == "conflict":
                left.append(_left(relative, segment_id, "changed since the preview",
                                  result.segment))
            elif result.status == "saved":
                done.append(_Done(relative, segment_id, segment.target,
                                  segment.state == REVIEWED, result.segment["version"]))
                saved.append({"path": relative, "segment": result.segment})
        batch = 0
        if done:
            with self._lock:
                batch = next(self._numbers)
                self._batches[batch] = done
                for old in sorted(self._batches)[:-MAX_BATCHES]:
                    del self._batches[old]
        return {"batch": batch, "saved": saved, "left": left}

    def undo(self, batch: int) -> dict[str, Any]:
        """Take back the batch `batch`: each segment still as it left it gets its earlier text
        (approved again where it was); the segments restored, and those left alone."""
        with self._lock:
            done = self._batches.pop(batch, None)
        if done is None:
            raise UsageError(f"no replacement {batch} to undo")
        restored, left = [], []
        for item in reversed(done):
            action = "approve" if item.was_reviewed else "edit"
            result = self.workspace.save(item.path, item.segment_id, item.version, action,
                                         item.before)
            if result.status == "conflict":
                left.append(_left(item.path, item.segment_id, "changed since the replacement",
                                  result.segment))
            else:
                restored.append({"path": item.path, "segment": result.segment})
        return {"restored": restored, "left": left}

    def _articles(self, paths: Sequence[str] | None) -> list[str]:
        if paths is None:
            found = []
            for path in self.workspace.po_files():
                relative = self.workspace.relative(path)
                try:
                    self.workspace.load(relative)
                except (FormatError, UsageError):
                    continue  # not one of glossator's POs
                found.append(relative)
            return found
        for relative in paths:
            self.workspace.resolve(relative)
        return list(paths)


def _left(path: str, segment_id: str, why: str,
          segment: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"path": path, "id": segment_id, "why": why, "segment": segment}
