"""Gettext PO: one entry per segment, msgctxt = segment id, so repeated sentences never collide.

Extracted comments (`#.`) carry what glossator knows about a segment, one fact per line, so the
file can be read back (glossator.formats.comments: kind, `pin:`, `note:`, `qa:`, `origin:`,
`machine:`, `reviewed:`), then the translation memory's fuzzy matches (`match: 87% SOURCE →
TARGET`), where Poedit and other editors show notes for the translator. They are not `# `
translator comments: those are the reviewer's own (`Segment.comment`). A PO re-wrapped by an
editor (polib, Poedit) reads back the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import polib

from glossator import __version__
from glossator.errors import FormatError
from glossator.formats.base import Format
from glossator.formats.comments import read_lines, settle_markup, to_lines
from glossator.io.names import quoted_name, text_name
from glossator.io.reading import read_regular
from glossator.languages import plural_forms
from glossator.model import SEGMENT_ID, Document, Segment, content_key, segment_fields

# The article a PO translates (glossator.run.placement): its path relative to the output
# folder, quoted (glossator.io.names.quote_path).
ARTICLE_FIELD = "X-Glossator-Article"
_ID = SEGMENT_ID  # ids of at most 9 digits a side: `_segment` turns them into ints
# polib reads `msgstr domingo` as "oming": lines holding strings are checked before parsing.
_STRING_LINE = re.compile(r'(?:#[~|] )?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?'
                          r'"(?:[^"\\]|\\.)*"\s*')
_NEWLINE = re.compile(r"\r\n|\r|\n")
_KEYWORD = re.compile(r"(?:#[~|] )?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\b|"
                      r'(?:#[~|] )?"')


class POFormat(Format):
    name = "po"
    extension = "po"

    def read(self, path: Path) -> Document:
        return read_po(path)

    def render(self, document: Document) -> str:
        # A PO file cannot hold a NUL (polib has no escape for it, msgfmt stops at it, and
        # load_pofile refuses it as binary): U+FFFD stands in for it, as xml_safe does in XML.
        return po_text(document).replace("\x00", "\ufffd")


def po_text(document: Document) -> str:
    """`str(build_pofile(document))`, each entry written once per distinct segment and
    occurrence line and context put in (`_entry_text`): archives repeat datelines,
    boilerplate and wire copy."""
    texts = [str(build_pofile(document, entries=False))]
    source_name = document.article or document.name
    occurrence = _occurrence_name(source_name)
    texts.extend(_entry_text(segment, source_name, occurrence, False)
                 for segment in document.segments)
    texts.extend(_entry_text(segment, source_name, occurrence, True)
                 for segment in document.obsolete)
    return "\n".join(texts)


def build_pofile(document: Document, *, entries: bool = True) -> polib.POFile:
    """The PO file of `document`: its header, and an entry per segment unless not `entries`."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    language = document.target_lang or ""
    pofile = polib.POFile(wrapwidth=0)
    name = text_name(document.name)
    header = [f"{name}: {document.source_lang} → {language}, made by glossator"]
    if document.signature:
        header.append(f"signature: {document.signature}")
    header.extend(document.header_notes)
    pofile.header = "\n".join(header)
    pofile.metadata = {
        "Project-Id-Version": name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "glossator (machine translation)",
        "Language-Team": "none",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language) if language else "nplurals=2; plural=(n != 1);",
        "X-Generator": f"glossator {__version__}",
        "X-Source-Language": document.source_lang,
    }
    if document.source_key:
        pofile.metadata[ARTICLE_FIELD] = document.source_key
    if not entries:
        return pofile
    source_name = document.article or document.name
    for segment in document.segments:
        pofile.append(segment_entry(segment, source_name))
    for segment in document.obsolete:
        entry = segment_entry(segment, source_name)
        entry.obsolete = True
        pofile.append(entry)
    return pofile


def segment_entry(segment: Segment, source_name: str) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=segment.id,
        msgid=segment.tagged_source,
        msgstr=segment.target,
        occurrences=[(_occurrence_name(source_name), str(segment.paragraph))],
        comment=_facts_comment(segment),
        tcomment=segment.comment,
        flags=["fuzzy"] if segment.fuzzy else [],
        previous_msgid=segment.previous_source,
    )


# An entry's text as polib writes it, by everything of the segment but where it is, cut where
# its occurrence ("#: ") and its context (msgctxt) lines go: before the lines of the first part
# and of the second. Archives repeat datelines, boilerplate and wire copy: each is made once.
_ENTRIES: dict[tuple, tuple[str, str, str]] = {}
ENTRIES_REMEMBERED = 1_024  # small, as formats.html.ROWS_REMEMBERED, for a run's peak memory
_SEGMENT_RECORDED = segment_fields("id", "paragraph")


def _entry_text(segment: Segment, source_name: str, occurrence: str, obsolete: bool) -> str:
    """The text of `segment`'s entry, as `str()` of its `segment_entry` (made obsolete);
    `occurrence` is `source_name` as the "#: " line writes it."""
    global _ENTRIES
    if not _ID.fullmatch(segment.id):  # another tool's id: polib writes the entry whole
        entry = segment_entry(segment, source_name)
        entry.obsolete = obsolete
        return entry.__unicode__(0)
    key = (content_key(segment, _SEGMENT_RECORDED), obsolete)
    parts = _ENTRIES.get(key)
    if parts is None:
        entry = polib.POEntry(msgid=segment.tagged_source, msgstr=segment.target,
                              comment=_facts_comment(segment), tcomment=segment.comment,
                              flags=["fuzzy"] if segment.fuzzy else [],
                              previous_msgid=segment.previous_source, obsolete=obsolete)
        lines = entry.__unicode__(0).split("\n")
        comments = next(index for index, line in enumerate(lines)
                        if not line.startswith(("# ", "#. ")))
        msgid = next(index for index in range(comments, len(lines))
                     if lines[index].startswith(("msgid ", "#~ msgid ")))
        parts = ("".join(line + "\n" for line in lines[:comments]),
                 "".join(line + "\n" for line in lines[comments:msgid]),
                 "\n".join(lines[msgid:]))
        if len(_ENTRIES) >= ENTRIES_REMEMBERED:
            _ENTRIES = {}  # a new one, not cleared: safe where threads write at once
        _ENTRIES[key] = parts
    before, middle, after = parts
    where = "" if obsolete else f"#: {occurrence}:{segment.paragraph}\n"
    context = f'{"#~ " if obsolete else ""}msgctxt "{segment.id}"\n'
    return before + where + middle + context + after


def _facts_comment(segment: Segment) -> str:
    """A segment's facts as its `#.` comment (`comments.to_lines`)."""
    return "\n".join(to_lines(segment))


def _occurrence_name(name: str) -> str:
    """A file name for a `#:` line: one with white space between U+2068 and U+2069, as GNU
    gettext writes it, so editors show one name (glossator itself reads the article from the
    header, `ARTICLE_FIELD`)."""
    name = text_name(name)
    return f"\u2068{name}\u2069" if any(char.isspace() for char in name) else name


def load_pofile(path: Path) -> polib.POFile:
    """Parse a PO file, with FormatError naming file and line for anything malformed.

    The file must be a regular file (see glossator.io.reading) in UTF-8, with no NUL byte.
    """
    path = Path(path)
    if not path.exists():
        raise FormatError("no such file", path=path)
    data = read_regular(path, FormatError, what="PO file")
    if data[:200].lstrip().startswith(b"<"):
        raise FormatError("this is an XML file (TMX or XLIFF?), expected a PO file", path=path)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise FormatError(f"binary content (NUL byte at offset {offset}), expected a PO file",
                          path=path, line=data.count(b"\n", 0, offset) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError(f"not valid UTF-8 at byte offset {error.start}", path=path,
                          line=data.count(b"\n", 0, error.start) + 1) from None
    _check_strings(text, path)
    try:
        # UTF-8 whatever the header says: that is what was checked above.
        return polib.pofile(str(path), wrapwidth=0, encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        found = re.search(r"\(line (\d+)\)", str(error))
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(line \d+\)", "", str(error)).strip()
        raise FormatError(f"not a valid PO file: {message}", path=path, line=line) from error


def po_lines(text: str) -> list[str]:
    """The lines of a PO text as polib reads them: it opens the file with universal newlines,
    so LF, CRLF and a lone CR end a line and nothing else does. (`str.splitlines` would also
    end one at U+2028, U+2029, U+0085 or U+001C-U+001E, which polib writes raw inside
    strings.)"""
    return _NEWLINE.split(text)


def _check_strings(text: str, path: Path) -> None:
    for number, line in enumerate(po_lines(text), start=1):
        if _KEYWORD.match(line) and not _STRING_LINE.fullmatch(line):
            raise FormatError(f"not a valid PO file: badly quoted string: {line[:60]!r}",
                              path=path, line=number)


def write_po(document: Document, path: Path) -> Path:
    """Write `document` as a PO file at `path`, atomically; the path written."""
    from glossator.io.files import write_all

    [written] = write_all({Path(path): POFormat().render(document)})
    return written


def read_po(path: Path) -> Document:
    """Read a PO file written by glossator back into a Document (reviewed state included)."""
    return po_document(load_pofile(path), Path(path))


def po_document(pofile: polib.POFile, path: Path) -> Document:
    """The document a parsed glossator PO file holds; FormatError for an entry with no id."""
    document = Document(name=path.stem, path=path,
                        source_lang=pofile.metadata.get("X-Source-Language", "en"),
                        target_lang=pofile.metadata.get("Language") or None)
    document.source_key = pofile.metadata.get(ARTICLE_FIELD, "")
    if document.source_key:
        document.article = quoted_name(document.source_key)
    for entry in pofile:
        if entry.obsolete:
            if entry.msgctxt and _ID.fullmatch(entry.msgctxt):
                document.obsolete.append(_segment(entry))
            continue
        if not entry.msgctxt or not _ID.fullmatch(entry.msgctxt):
            raise FormatError(f"entry {entry.msgid[:40]!r} has no segment id (msgctxt "
                              "\"PARAGRAPH.SENTENCE\"): not a glossator file?",
                              path=path, line=entry.linenum)
        document.segments.append(_segment(entry))
        if entry.occurrences and not document.article:
            document.article = entry.occurrences[0][0].strip("\u2068\u2069")
    if not document.segments:
        raise FormatError("no segments (an empty PO file, or not one glossator wrote)",
                          path=path)
    return document


def _segment(entry: polib.POEntry) -> Segment:
    paragraph = int(entry.msgctxt.split(".")[0])
    segment = Segment(id=entry.msgctxt, source=entry.msgid, paragraph=paragraph,
                      target=entry.msgstr, fuzzy=entry.fuzzy,
                      previous_source=entry.previous_msgid, comment=entry.tcomment)

    read_lines(segment, entry.comment.split("\n"))  # a fact may hold U+2028: split on LF only
    settle_markup(segment)
    return segment


def update_pofile(pofile: polib.POFile, segments: Iterable[Segment]) -> str:
    """The text of `pofile` with the entries of `segments` (matched by id) rewritten from them
    (target, fuzzy flag, comments, previous source) and everything else, the
    header included, as it was. The revision date becomes now."""
    by_id = {segment.id: segment for segment in segments}
    for entry in pofile:
        segment = None if entry.obsolete else by_id.get(entry.msgctxt or "")
        if segment is None:
            continue
        entry.msgstr = segment.target
        entry.tcomment = segment.comment
        entry.comment = "\n".join(to_lines(segment))
        entry.previous_msgid = segment.previous_source
        if segment.fuzzy and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        elif not segment.fuzzy and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    pofile.metadata["PO-Revision-Date"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    pofile.wrapwidth = 0
    return str(pofile).replace("\x00", "\ufffd")
