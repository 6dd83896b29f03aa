"""The workspace's translation memory: fuzzy matches and concordance for a reviewer.

Its units are the pairs of every `memory.tmx` in the workspace (and the nearest one above its
root: `OUT/LANG/memory.tmx` when the workspace is one language's folder or one PO) and the
reviewed segments of every article in it, fresher than the memory, which a run rebuilds. Each
file is indexed once (glossator.text.fuzzy) and again only when it changed on disk, so a save
costs the next lookup one file's reading, not the whole workspace's.

Matches leave out the segment's own unit (an approved segment would match itself at 100 %);
the same pair from two files is shown once, the memory's first.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossator.errors import FormatError, GlossatorError
from glossator.model import REVIEWED, Document, Match
from glossator.text.fuzzy import FuzzyIndex, Hit, Unit

if TYPE_CHECKING:
    from glossator.review.workspace import Workspace

MEMORY_FILE = "memory.tmx"  # OUT/LANG/memory.tmx, as a run (glossator.run.store) writes it
MEMORY = "memory"  # the origin of a memory file's units
MATCHES = 5  # shown per segment: Ctrl+1..5 insert them
SEARCH_LIMIT = 100


@dataclass(frozen=True)
class _Cached:
    stamp: tuple[int, int, int]  # inode, size, mtime_ns: the file as it was read
    index: FuzzyIndex


def unit_origin(relative: str, segment_id: str) -> str:
    """How a reviewed segment's unit names where it is: "pt/a.po#2.1"."""
    return f"{relative}#{segment_id}"


class WorkspaceMemory:
    """The memory files and reviewed segments of `workspace`, indexed per file."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._cache: dict[tuple[Path, str, str], _Cached] = {}
        self._lock = threading.Lock()
        self._building = threading.Lock()  # one file read and indexed at a time, once
        self._documents: dict[Path, tuple[tuple[int, int, int], Document]] = {}

    def warm(self) -> None:
        """Index every file now (a server's background thread), so that the first lookup in
        a large memory does not wait for it: 100,000 units take seconds to read and index."""
        pairs = set()
        for path in self.workspace.po_files():
            try:
                document = self.workspace.load(self.workspace.relative(path))
            except GlossatorError:
                continue
            pairs.add((document.source_lang, document.target_lang or ""))
        for source, target in sorted(pairs):
            stub = Document(name="", source_lang=source, target_lang=target)
            self.indexes(stub)

    def document(self, relative: str) -> Document:
        """`workspace.load(relative)`, kept while the file is unchanged: parsing a 500-segment
        PO is most of a lookup's time, and the panel asks at every move. Not for changing."""
        path = self.workspace.resolve(relative)
        stamp = _stamp(path)
        with self._lock:
            cached = self._documents.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        document = self.workspace.load(relative)
        with self._lock:
            self._documents[path] = (stamp, document)
        return document

    def matches(self, relative: str, segment_id: str, *,
                limit: int = MATCHES) -> list[dict[str, Any]]:
        """The fuzzy matches (≥ 75 %) of one segment's source, best first, as plain data."""
        document = self.document(relative)
        segment = next((s for s in document.segments if s.id == segment_id), None)
        if segment is None:
            raise FormatError(f"no segment {segment_id!r}", path=document.path)
        if segment.kind == "dateline":
            return []  # written from the date (glossator.text.dates): another day's is no help
        own = unit_origin(relative, segment_id)
        found: list[Match] = []
        for index in self.indexes(document):
            found += index.lookup(segment.source, limit=limit, exclude={own})
        return [match_view(match) for match in best(found, limit)]

    def search(self, relative: str, phrase: str, *,
               limit: int = SEARCH_LIMIT) -> dict[str, Any]:
        """Concordance: the reviewed pairs of the article's language pair that hold `phrase`
        in the source or the target."""
        document = self.document(relative)
        hits: list[Hit] = []
        more = False
        seen: set[tuple[str, str]] = set()
        for index in self.indexes(document):
            found, truncated = index.search(phrase, limit=limit + 1)
            more = more or truncated
            for hit in found:
                if (hit.unit.source, hit.unit.target) not in seen:
                    seen.add((hit.unit.source, hit.unit.target))
                    hits.append(hit)
        more = more or len(hits) > limit
        return {"phrase": phrase, "more": more,
                "hits": [{"source": hit.unit.source, "target": hit.unit.target,
                          "origin": hit.unit.origin, "source_spans": hit.source_spans,
                          "target_spans": hit.target_spans} for hit in hits[:limit]]}

    def indexes(self, document: Document) -> list[FuzzyIndex]:
        """One index per memory file and per article of `document`'s language pair."""
        source, target = document.source_lang, document.target_lang or ""
        found = [self._index(path, source, target, self._read_memory)
                 for path in self.memory_files()]
        found += [self._index(path, source, target, self._read_reviewed)
                  for path in self.workspace.po_files()]
        return [index for index in found if index is not None and len(index)]

    def memory_files(self) -> list[Path]:
        """Every memory.tmx under the root, and the nearest one above it."""
        root = self.workspace.root
        found = []
        if root.is_dir():
            for folder, subfolders, files in os.walk(root):
                subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
                if MEMORY_FILE in files:
                    found.append(Path(folder) / MEMORY_FILE)
        for folder in list(root.parents)[:3]:  # a file's folder first
            if (folder / MEMORY_FILE).is_file():
                found.append(folder / MEMORY_FILE)
                break
        return found

    def _index(self, path: Path, source: str, target: str, read: Any) -> FuzzyIndex | None:
        try:
            stamp = _stamp(path)
        except OSError:
            return None
        key = (path, source, target)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached.stamp == stamp:
                return cached.index
        with self._building:
            with self._lock:  # built by another thread while this one waited?
                cached = self._cache.get(key)
                if cached is not None and cached.stamp == stamp:
                    return cached.index
            try:
                index = FuzzyIndex(read(path, source, target))
            except GlossatorError:
                index = FuzzyIndex()  # not readable (another pair, a broken file): no units
            with self._lock:
                self._cache[key] = _Cached(stamp, index)
        return index

    @staticmethod
    def _read_memory(path: Path, source: str, target: str) -> Iterable[Unit]:
        from glossator.formats.tmx import read_memory

        return [Unit(text, translation, MEMORY)
                for text, translation in read_memory(path, source, target).items()]

    def _read_reviewed(self, path: Path, source: str, target: str) -> Iterable[Unit]:
        from glossator.formats.po import load_pofile, po_document

        document = po_document(load_pofile(path), path)
        if (document.source_lang, document.target_lang or "") != (source, target):
            return []
        relative = self.workspace.relative(path)
        return [Unit(segment.source, segment.target, unit_origin(relative, segment.id))
                for segment in document.segments if segment.state == REVIEWED]


def _stamp(path: Path) -> tuple[int, int, int]:
    """What tells a file changed: a write replaces it (a new inode), an editor may not."""
    stat = path.stat()
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def best(matches: Iterable[Match], limit: int) -> list[Match]:
    """The best `limit` of matches from several indexes, a pair held twice shown once."""
    kept: dict[tuple[str, str], Match] = {}
    for match in sorted(matches, key=lambda match: (-match.score, match.origin != MEMORY)):
        kept.setdefault((match.source, match.target), match)
    return list(kept.values())[:limit]


def match_view(match: Match) -> dict[str, Any]:
    view = asdict(match)
    view["diff"] = [list(piece) for piece in match.diff]
    return view
