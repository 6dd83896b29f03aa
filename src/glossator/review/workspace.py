"""The review workspace as a library: the project's PO files under one folder, read and changed
one segment at a time. No HTTP here; glossator.server.review puts it on a local web page.

Every change re-reads the PO under the lock a `translate` run takes (glossator.io.files's
`project_lock`), rewrites only the segment's own entry and writes the file atomically, so a
killed server leaves the old file or the new one. Each segment has a *version*, a hash of its
target and fuzzy flag as the page loaded it; a change whose version no longer matches the file
(a run, another editor or another tab changed that segment) is not written but returned as a
conflict for the reviewer to settle. Changes to other segments of the file are no conflict.

A PO that is a symbolic link to another PO under the root is read and written through the
link: the file it points to is replaced (atomically, as any), and the link stays a link.

Every save is also recorded in the PO's history, a sidecar file beside it
(glossator.review.history), written after the PO: a history that cannot be written never
undoes or stops a save.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from glossator.errors import FormatError, GlossaryError, UsageError, display_path
from glossator.formats.po import load_pofile, po_document, update_pofile
from glossator.io.files import project_lock, write_all
from glossator.model import MACHINE, REVIEWED, TAG_LETTERS, Document, Pin, Segment, approval_stamp
from glossator.terms.proof import form_pattern, is_flagged, missing_pins, verify
from glossator.terms.qa import recheck

ACTIONS = ("edit", "approve", "revert")
MAX_TEXT = 20_000  # characters of one edited segment
NBEST = 4
_CARRIAGE_RETURN = re.compile(r"\r\n?")
TRIMMED = "white space or line breaks at the start or end were removed"
_ENGINE_IN_SIGNATURE = re.compile(r"\|\s*engine\s+([a-z0-9_]+):")


def segment_version(segment: Segment) -> str:
    """What a change must match to be written: the target and fuzzy flag it was made on."""
    digest = hashlib.sha256(f"{int(segment.fuzzy)}\x00{segment.target}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ArticleSummary:
    path: str  # relative to the workspace root, with "/"
    name: str
    language: str
    total: int
    reviewed: int
    flagged: int
    modified: float  # the PO's mtime


@dataclass
class SaveResult:
    status: str  # "saved", "unchanged" (the file had this already) or "conflict"
    segment: dict[str, Any]  # the segment as the file now holds it
    # For a conflict: the text the reviewer sent (for "revert", the machine text), which was
    # not written; "" where the request carried none. Never the file's text passed off as theirs.
    mine: str = ""
    notice: str = ""  # what the reviewer must be told was changed in their text, if anything


@dataclass
class TermResult:
    status: str  # "added" or "clash"
    message: str
    candidates: list[str] = field(default_factory=list)  # unreviewed segment ids holding it
    # the same, in the workspace's other articles of the language pair: path → ids
    elsewhere: dict[str, list[str]] = field(default_factory=dict)


class Workspace:
    """The PO files under `root` (a folder searched recursively, or one PO file)."""

    def __init__(self, root: Path, *, engine_name: str = "auto", reviewer: str = "",
                 glossary_paths: Sequence[str | Path] | None = None) -> None:
        root = Path(root)
        if not root.exists():
            raise UsageError(f"no such file or folder: {display_path(root)}")
        if root.is_file() and root.suffix != ".po":
            raise UsageError(f"not a PO file or a folder: {display_path(root)}")
        self.root = root.resolve()
        self.engine_name = engine_name
        self.reviewer = reviewer or os.environ.get("USER", "") or "reviewer"
        from glossator.glossary.files import glossary_files
        from glossator.glossary.loader import select_glossaries

        # Found once, from the folder the server starts in, as `translate` finds them.
        self._glossary_files = [path.resolve() for path in glossary_files(
            select_glossaries(glossary_paths).paths)]
        self._engines: dict[str, Any] = {}
        self._glossaries: dict[str, Any] = {}
        self._lock = threading.Lock()  # engines and glossaries load once, whatever the threads
        # One writer at a time in this process: the file lock (flock) is per open file, so two
        # threads of this server would refuse each other instead of waiting.
        self._write_lock = threading.Lock()
        self._parsed: dict[Path, tuple[bytes, polib.POFile]] = {}  # by sha256 of the bytes

    # Finding and reading files ---------------------------------------------------------

    def po_files(self) -> list[Path]:
        if self.root.is_file():
            return [self.root]
        found = []
        for folder, subfolders, files in os.walk(self.root):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            found += [Path(folder) / name for name in sorted(files)
                      if name.endswith(".po") and not name.startswith(".")]
        return _each_file_once([path for path in found if self._inside(path)])

    def relative(self, path: Path) -> str:
        """The name `path` has under the root: a link's own name, not its target's."""
        if self.root.is_file():
            return self.root.name
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.resolve().relative_to(self.root).as_posix()

    def resolve(self, relative: str) -> Path:
        """The real PO file `relative` names under the root, a link followed, so that writing
        it keeps the link; UsageError for anything else (an absolute path, `..`, a link leading
        outside or to a file that is not a PO, a file that is not a PO)."""
        if not relative or "\x00" in relative or relative.startswith(("/", "\\")):
            raise UsageError(f"not a PO file of this workspace: {relative!r}")
        if self.root.is_file():
            if relative != self.root.name:
                raise UsageError(f"not a PO file of this workspace: {relative!r}")
            return self.root
        parts = relative.split("/")
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise UsageError(f"not a PO file of this workspace: {relative!r}")
        path = self.root.joinpath(*parts)
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
            raise UsageError(f"not a PO file of this workspace: {relative!r}") from None
        if (path.suffix != ".po" or real.suffix != ".po" or not real.is_relative_to(self.root)
                or not real.is_file()):
            raise UsageError(f"not a PO file of this workspace: {relative!r}")
        return real

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError, RuntimeError):  # outside, or a loop of links
            return False
        return True

    def articles(self) -> list[ArticleSummary]:
        summaries = []
        for path in self.po_files():
            try:
                document = po_document(load_pofile(path), path)
            except FormatError:
                continue  # not one of glossator's: the home page lists what it can open
            segments = document.segments
            summaries.append(ArticleSummary(
                self.relative(path), document.name, document.target_lang or "?",
                len(segments), sum(s.state == REVIEWED for s in segments),
                sum(is_flagged(s) for s in segments), path.stat().st_mtime))
        return summaries

    def load(self, relative: str) -> Document:
        path = self.resolve(relative)
        pofile = load_pofile(path)
        document = po_document(pofile, path)
        for line in (pofile.header or "").splitlines():
            if line.startswith("signature: ") and not document.signature:
                document.signature = line[len("signature: "):]
        return document

    def article(self, relative: str) -> dict[str, Any]:
        """Everything the article view shows, as plain data."""
        document = self.load(relative)
        self._add_pin_notes(document)
        return {"path": relative, "name": document.name,
                "source_lang": document.source_lang, "target_lang": document.target_lang or "",
                "segments": [segment_view(segment) for segment in document.segments],
                "glossaries": [path.name for path in self.glossary_files()],
                "file_version": self.file_version(relative),
                "one_translation": self._one_translation(document)}

    # Changing a segment ----------------------------------------------------------------

    def save(self, relative: str, segment_id: str, base: str, action: str,
             text: str | None = None, *, reviewer: str = "", ask: bool = False) -> SaveResult:
        """Edit, approve (with an edit or as it is) or revert one segment to the machine text,
        if the file still holds the version `base` of it; else a conflict.

        `text` is kept as typed, line breaks inside it too, but for white space at its start
        or end: that is removed (msgfmt -c refuses a translation that begins or ends with a
        line break where its source does not, and glossator's sources never do), and the
        result's `notice` says so, for the page to tell the reviewer. Approving the text the
        page shows means sending it, so that a change made on disk meanwhile is a conflict,
        not approved unseen. With `ask`, an approval of a text QA still finds fault with (or
        with a pin missed) is not written but answered "ask", for the page to ask first.
        """
        if action not in ACTIONS:
            raise UsageError(f"unknown action {action!r} (choose from {', '.join(ACTIONS)})")
        notice = ""
        if text is not None:
            if len(text) > MAX_TEXT:
                raise UsageError(f"text too long ({len(text)} characters, limit {MAX_TEXT})")
            text, notice = _as_kept(text)
        if action == "edit" and text is None:
            raise UsageError("an edit needs the text")
        path = self.resolve(relative)
        with self._writing(path) as pofile:
            document = _one_segment(pofile, path, segment_id)
            segment = _find(document, segment_id, path)
            wanted = copy.deepcopy(segment)
            _apply(wanted, action, text, reviewer or self.reviewer)
            if segment_version(segment) != base:
                # An approval without its text approves what the reviewer saw, which the file
                # no longer holds: never "unchanged", even where the file's text is approved.
                blind = action == "approve" and text is None
                if not blind and (segment.target, segment.fuzzy) == (wanted.target,
                                                                      wanted.fuzzy):
                    return SaveResult("unchanged", segment_view(segment), notice=notice)
                mine = segment.machine if action == "revert" else text or ""
                return SaveResult("conflict", segment_view(segment), mine=mine, notice=notice)
            if (segment.target, segment.fuzzy, segment.machine) == (
                    wanted.target, wanted.fuzzy, wanted.machine):
                return SaveResult("unchanged", segment_view(segment), notice=notice)
            recheck([wanted], document.source_lang, document.target_lang or "")
            if ask and action == "approve" and is_flagged(wanted):
                return SaveResult("ask", segment_view(wanted), mine=wanted.target,
                                  notice=notice)
            self._write(path, pofile, [wanted])
            unrecorded = self._record(path, [wanted], action, reviewer or self.reviewer)
        return SaveResult("saved", segment_view(wanted),
                          notice="; ".join(filter(None, [notice, unrecorded])))

    @contextmanager
    def _writing(self, path: Path) -> Iterator[polib.POFile]:
        """Hold the thread lock and the lock a run takes; the PO as it is on disk now.

        Parsing is most of a save's time, so the file last written or read here is kept
        parsed, keyed by the hash of its bytes: a file anyone changed since is parsed again."""
        with self._write_lock, project_lock(path):
            digest = _digest(path)
            cached = self._parsed.pop(path, None)  # taken out: a failed write keeps nothing
            if cached is not None and cached[0] == digest:
                pofile = cached[1]
            else:
                pofile = load_pofile(path)
                if _digest(path) != digest:  # changed while it was parsed: keep nothing
                    digest = b""
            yield pofile
            if path not in self._parsed and digest:  # read, not written: keep it parsed
                self._parsed[path] = (digest, pofile)

    def _write(self, path: Path, pofile: polib.POFile, segments: list[Segment]) -> None:
        """Write `pofile` with `segments` changed (under `_writing`) and keep it parsed."""
        text = update_pofile(pofile, segments)
        write_all({path: text})
        self._parsed[path] = (hashlib.sha256(text.encode("utf-8")).digest(), pofile)

    # The engine: alternatives and translating again ------------------------------------

    def alternatives(self, relative: str, segment_id: str, count: int = NBEST) -> list[str]:
        """The engine's n-best translations of the segment's source (one where the engine
        gives one), pins not enforced: material for the reviewer."""
        document = self.load(relative)
        segment = _find(document, segment_id, document.path)
        engine, source, target = self._engine_for(document)
        [found] = engine.hypotheses([segment.source], source, target, count)
        return list(dict.fromkeys(text for text in found if text.strip()))

    def translate_again(self, relative: str, segment_id: str) -> dict[str, Any]:
        """A fresh machine translation of one segment, pins enforced; nothing is written."""
        from glossator.terms.pinning import translate_segments

        document = self.load(relative)
        segment = copy.deepcopy(_find(document, segment_id, document.path))
        engine, _source, _target = self._engine_for(document)
        self._attach_pins([segment], document)
        translate_segments(engine, [segment], document.source_lang, document.target_lang or "")
        recheck([segment], document.source_lang, document.target_lang or "")
        return {"text": segment.target, "missing": [pin.target_text
                                                    for pin in missing_pins(segment)]}

    def _engine_for(self, document: Document) -> tuple[Any, str, str]:
        from glossator.engines import choose_engine
        from glossator.languages import base_language

        source = base_language(document.source_lang)
        target = base_language(document.target_lang or "")
        name = _signature_engine(document) or self.engine_name
        with self._lock:
            key = f"{name} {source} {target}"
            if key not in self._engines:
                self._engines[key] = choose_engine(name, source, target)
            return self._engines[key], source, target

    # Glossary: adding a term and re-pinning --------------------------------------------

    def glossary_files(self) -> list[Path]:
        return list(self._glossary_files)

    def glossary(self, source_lang: str) -> Any:
        """The glossary of `source_lang` as loaded (None where the workspace has none);
        GlossaryError for a broken one."""
        return self._glossary(source_lang)

    def _glossary(self, source_lang: str) -> Any:
        from glossator.glossary.loader import load_glossary

        with self._lock:
            if source_lang not in self._glossaries:
                paths = self.glossary_files()
                self._glossaries[source_lang] = (load_glossary(paths, source_lang)
                                                 if paths else None)
            return self._glossaries[source_lang]

    def _add_pin_notes(self, document: Document) -> None:
        """Pins read from a PO carry no glossary note: take it from the glossary."""
        from glossator.glossary.csv import match_key

        try:
            glossary = self._glossary(document.source_lang)
        except GlossaryError:
            return  # a broken glossary shows no notes; adding a term will say what is wrong
        if glossary is None:
            return
        notes = {match_key(variant).casefold(): concept for concept in glossary.concepts
                 for variant in concept.variants}
        for segment in document.segments:
            for pin in segment.pins:
                concept = notes.get(match_key(pin.source_text).casefold())
                if concept is not None:
                    pin.note, pin.concept = concept.note, concept.name

    def _attach_pins(self, segments: list[Segment], document: Document) -> None:
        from glossator.glossary.matcher import TermMatcher
        from glossator.terms.pinning import attach_pins

        glossary = self._glossary(document.source_lang)
        matcher = TermMatcher(glossary.concepts) if glossary else None
        attach_pins(segments, matcher, document.target_lang or "", document.source_lang)

    def add_term(self, relative: str, term: str, rendering: str, glossary_name: str,
                 note: str = "") -> TermResult:
        """Add `term → rendering` to the named glossary file (linted first); a clash with the
        glossary as loaded is reported and nothing is written. The result lists the article's
        unreviewed segments that hold the term, here and in the other articles of the same
        language pair, for `repin`."""
        from glossator.glossary.edit import append_concept, find_clash

        document = self.load(relative)
        language = document.target_lang or ""
        files = {path.name: path for path in self.glossary_files()}
        if glossary_name not in files:
            raise GlossaryError(f"no glossary file {glossary_name!r} in this workspace")
        clash = find_clash(self._glossary(document.source_lang), term, language, rendering)
        if clash is not None:
            return TermResult("clash", clash.message(language))
        line = append_concept(files[glossary_name], term, language, rendering, note=note,
                              source_lang=document.source_lang,
                              together=self.glossary_files())
        with self._lock:
            self._glossaries.clear()
        candidates = self._repin_candidates(document, term)
        elsewhere = {}
        here = self.resolve(relative).resolve()
        for path in self.po_files():
            if path.resolve() == here:
                continue
            try:
                other = self.load(self.relative(path))
            except (FormatError, UsageError):  # not glossator's, or gone since it was listed
                continue
            same_pair = (other.source_lang, other.target_lang) == (document.source_lang, language)
            if same_pair and (found := self._repin_candidates(other, term)):
                elsewhere[self.relative(path)] = found
        return TermResult("added", f"{term} → {rendering} added to {glossary_name}:{line}",
                          candidates, elsewhere)

    def _repin_candidates(self, document: Document, term: str) -> list[str]:
        """Ids of machine-text segments (not reviewed, not edited) whose source holds `term`."""
        segments = [copy.deepcopy(s) for s in document.segments if s.state == MACHINE]
        self._attach_pins(segments, document)
        wanted = " ".join(term.split()).casefold()
        return [segment.id for segment in segments
                if any(" ".join(pin.source_text.split()).casefold() == wanted
                       or pin.concept.casefold() == wanted for pin in segment.pins)]

    def repin(self, relative: str, segment_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Translate the given machine-text segments again with the glossary as it is now and
        save them; a segment a person touched meanwhile is left alone. The segments saved."""
        from glossator.terms.pinning import translate_segments

        document = self.load(relative)
        chosen = [copy.deepcopy(s) for s in document.segments
                  if s.id in set(segment_ids) and s.state == MACHINE]
        if not chosen:
            return []
        versions = {segment.id: segment_version(segment) for segment in chosen}
        engine, _source, _target = self._engine_for(document)
        self._attach_pins(chosen, document)
        translate_segments(engine, chosen, document.source_lang, document.target_lang or "")
        path = self.resolve(relative)
        with self._writing(path) as pofile:
            on_disk = {s.id: s for s in po_document(pofile, path).segments}
            saved = []
            for segment in chosen:
                current = on_disk.get(segment.id)
                if current is None or segment_version(current) != versions[segment.id]:
                    continue
                recheck([segment], document.source_lang, document.target_lang or "")
                saved.append(segment)
            if saved:
                self._write(path, pofile, saved)
                self._record(path, saved, "repin", "glossator")
        return [segment_view(segment) for segment in saved]

    # Comments, history, the file's version and the outputs beside the PO -------------------

    def comment(self, relative: str, segment_id: str, base: str, text: str) -> SaveResult:
        """Set the segment's translator comment (`# ` lines in the PO), if the file still holds
        the comment `base` the page showed; else a conflict, the comment on disk returned."""
        if len(text) > MAX_TEXT:
            raise UsageError(f"comment too long ({len(text)} characters, limit {MAX_TEXT})")
        text = _CARRIAGE_RETURN.sub("\n", text).strip()
        path = self.resolve(relative)
        with self._writing(path) as pofile:
            document = _one_segment(pofile, path, segment_id)
            segment = _find(document, segment_id, path)
            if segment.comment == text:
                return SaveResult("unchanged", segment_view(segment))
            if segment.comment != base:
                return SaveResult("conflict", segment_view(segment), mine=text)
            segment.comment = text
            self._write(path, pofile, [segment])
            unrecorded = self._record(path, [segment], "comment", self.reviewer)
        return SaveResult("saved", segment_view(segment), notice=unrecorded)

    def history(self, relative: str, segment_id: str) -> list[dict[str, Any]]:
        """Every change recorded for the segment, oldest first (see glossator.review.history)."""
        from glossator.review.history import read_history

        return read_history(history_path(self.resolve(relative))).get(segment_id, [])

    def _record(self, path: Path, segments: list[Segment], action: str, who: str) -> str:
        """Add the saved `segments` to the PO's history; "" or why they could not be. The PO
        is written already: a history that cannot be read or written never stops a save."""
        from glossator.review.history import record

        return record(history_path(path), segments, action, who)

    def file_version(self, relative: str) -> str:
        """Changes whenever the PO file does: cheap enough for a page to ask every second."""
        status = self.resolve(relative).stat()
        return f"{status.st_mtime_ns:x}-{status.st_size:x}-{status.st_ino:x}"

    def _one_translation(self, document: Document) -> str:
        """Why the article's engine can give no other translation of a sentence, or ""."""
        from glossator.engines import ENGINES, engine_class

        name = _signature_engine(document) or self.engine_name
        return engine_class(name).one_translation if name in ENGINES else ""

    def outputs(self, relative: str) -> list[dict[str, Any]]:
        """The article's review page and text beside the PO ("visit.html", "visit.txt"),
        each with whether it is older than the PO (a save since the run)."""
        path = self.resolve(relative)
        written = path.stat().st_mtime
        return [{"name": output.name, "stale": output.stat().st_mtime < written - STALE_SLACK}
                for output in _outputs(path)]

    def rebuild(self, relative: str) -> list[str]:
        """Write the article's review page and text again from the PO as it is (the text as
        `glossator build` makes it), and add its reviewed segments to the translation memory
        a run keeps beside it (`OUT/LANG/memory.tmx`, the nearest above the PO), as the next
        run would; the names of the files written."""
        from glossator.formats.html import HTMLFormat
        from glossator.formats.tmx import read_memory, reviewed_pairs, write_memory
        from glossator.review.build import build_article

        path = self.resolve(relative)
        with self._writing(path) as pofile:
            document = po_document(pofile, path)
            for line in (pofile.header or "").splitlines():
                if line.startswith("signature: ") and not document.signature:
                    document.signature = line[len("signature: "):]
            for segment in document.segments:
                verify(segment)  # a pin read from a PO is not checked yet
            self._add_pin_notes(document)
            files: dict[Path, str | bytes] = {}
            for output in _outputs(path):
                if output.suffix == ".html":
                    files[output] = HTMLFormat().render(document)
                elif document.layout is None:
                    files[output] = build_article(document).text
            memory = _memory_beside(path, self.root)
            if memory is not None:
                source, target = document.source_lang, document.target_lang or ""
                pairs = read_memory(memory, source, target)
                reviewed = reviewed_pairs([document])
                if any(pairs.get(text) != translation for text, translation in reviewed.items()):
                    files[memory] = write_memory(sorted({**pairs, **reviewed}.items()), source,
                                                 target)
            write_all(files)
        return [output.name for output in files]


STALE_SLACK = 2.0  # seconds: a run writes the PO and its outputs one after the other
MEMORY_FILE = "memory.tmx"  # OUT/LANG/memory.tmx, as a run writes it


def _memory_beside(po_path: Path, root: Path) -> Path | None:
    """The memory a run keeps for the PO's language: the nearest `memory.tmx` in a folder
    above the PO, up to the workspace's root and the folder above it (a workspace opened on one
    language's folder or one PO); None where there is none yet (the next run writes it)."""
    top = root if root.is_dir() else root.parent
    for folder in po_path.resolve().parents:
        if (folder / MEMORY_FILE).is_file():
            return folder / MEMORY_FILE
        if folder == top.parent:
            break
    return None


def history_path(po_path: Path) -> Path:
    """The sidecar file that records a PO's changes: "visit.po" → "visit.po.history.json"."""
    return po_path.with_name(po_path.name + ".history.json")


def _outputs(po_path: Path) -> list[Path]:
    """The review page and plain text a run wrote beside `po_path`, where they are files."""
    return [output for output in (po_path.with_suffix(".html"), po_path.with_suffix(".txt"))
            if output.is_file() and not output.is_symlink()]


def qa_marks(segment: Segment) -> list[tuple[int, int, str, str]]:
    """(start, end, "qa", finding) for each word a QA finding quotes that the target holds:
    the page marks them inside the text. A quote cut short ("…") is not looked for."""
    found = []
    for finding in segment.qa:
        if finding.startswith("pin-missing"):
            continue
        for quoted in re.findall(r'"([^"]+)"', finding):
            if quoted.endswith("…"):
                continue
            found += [(m.start(), m.end(), "qa", finding)
                      for m in re.finditer(re.escape(quoted), segment.target)]
    chosen: list[tuple[int, int, str, str]] = []
    for mark in sorted(found, key=lambda mark: (mark[0] - mark[1], mark[0])):
        if all(mark[1] <= other[0] or other[1] <= mark[0] for other in chosen):
            chosen.append(mark)
    return sorted(chosen)


def _each_file_once(paths: list[Path]) -> list[Path]:
    """`paths` less the second name of any file: a file's own name wins over a link to it."""
    real = {path: path.resolve() for path in paths}
    first: dict[Path, Path] = {}
    for path in sorted(paths, key=lambda path: path.is_symlink()):  # stable: own names first
        first.setdefault(real[path], path)
    kept = set(first.values())
    return [path for path in paths if path in kept]


def _as_kept(text: str) -> tuple[str, str]:
    """The reviewer's text as the PO keeps it, and the notice to show when that differs from
    what was typed. A textarea's "\\r\\n" (or "\\r") is the same line break as "\\n"."""
    text = _CARRIAGE_RETURN.sub("\n", text)
    kept = text.strip()
    return kept, TRIMMED if kept != text else ""


def _digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def _one_segment(pofile: polib.POFile, path: Path, segment_id: str) -> Document:
    """The document with only the segment `segment_id` (reading all 500 costs a save 30 ms)."""
    single = polib.POFile(wrapwidth=0)
    single.metadata = pofile.metadata
    single.extend(entry for entry in pofile
                  if entry.msgctxt == segment_id and not entry.obsolete)
    if not single:
        raise FormatError(f"no segment {segment_id!r}", path=path)
    return po_document(single, path)


def _find(document: Document, segment_id: str, path: Path | None) -> Segment:
    for segment in document.segments:
        if segment.id == segment_id:
            return segment
    raise FormatError(f"no segment {segment_id!r}", path=path)


def _signature_engine(document: Document) -> str:
    from glossator.engines import ENGINES

    found = _ENGINE_IN_SIGNATURE.search(document.signature or "")
    return found.group(1) if found and found.group(1) in ENGINES else ""


def _apply(segment: Segment, action: str, text: str | None, reviewer: str) -> None:
    if action == "revert":
        if segment.machine:
            segment.target = segment.machine
        segment.fuzzy, segment.reviewer = True, ""
        return
    if text is not None and text != segment.target:
        if not segment.machine and segment.fuzzy and not segment.reviewer:
            segment.machine = segment.target  # what the engine wrote, for "back to machine"
        segment.target = text
        segment.fuzzy, segment.reviewer = True, ""
    if action == "approve":
        if not segment.target.strip():
            raise UsageError(f"segment {segment.id}: an empty translation cannot be approved")
        segment.fuzzy = False
        segment.previous_source = None
        segment.reviewer = approval_stamp(reviewer)


def segment_view(segment: Segment) -> dict[str, Any]:
    """A segment as the page shows it: texts, state, remarks and where each pin stands."""
    missed = missing_pins(segment)
    source = segment.tagged_source  # a document's markup shown where it is, as in the target
    return {
        "id": segment.id, "kind": segment.kind, "paragraph": segment.paragraph,
        "source": source, "target": segment.target, "machine": segment.machine,
        "tags": [[tag.name, TAG_LETTERS.get(tag.name[0], "markup"), tag.point]
                 for tag in segment.markup],
        "state": segment.state, "reviewer": segment.reviewer,
        "flagged": is_flagged(segment, missed), "qa": segment.qa,
        "notes": segment.notes, "version": segment_version(segment),
        "comment": segment.comment, "qa_marks": qa_marks(segment),
        "source_marks": _marks(source, segment.pins, missed, source=True),
        "target_marks": _marks(segment.target, segment.pins, missed, source=False),
    }


def _marks(text: str, pins: list[Pin], missed: list[Pin],
           *, source: bool) -> list[tuple[int, int, str, str]]:
    """(start, end, state, title) for every pin occurrence in `text`, longest first where
    two overlap. The page wraps each in a <mark> with the title as its tooltip."""
    missed_ids = {id(pin) for pin in missed}
    found = []
    for pin in pins:
        state = "missed" if id(pin) in missed_ids else "landed"
        if not source and state == "missed":
            continue
        forms = (pin.source_text,) if source else (*pin.preferred_forms, *pin.admitted)
        title = f"{pin.concept or pin.source_text} → {pin.target_text}"
        if pin.note:
            title += f"\n{pin.note}"
        for form in forms:
            if form:
                found += [(m.start(), m.end(), state, title)
                          for m in re.finditer(form_pattern(form), text)]
    chosen: list[tuple[int, int, str, str]] = []
    for mark in sorted(found, key=lambda mark: (mark[0] - mark[1], mark[0])):
        if all(mark[1] <= other[0] or other[1] <= mark[0] for other in chosen):
            chosen.append(mark)
    return sorted(chosen)
