"""`/translate_file` and `/download_file`: a .txt or .po file, or a document of any format the
command line reads (`text.layout.DOCUMENT_FORMATS`: Markdown, HTML ...), translated into the
server's own temporary folder (the only place it writes), then handed out by a random id, in
the format it came in.

A document goes through the command line's reader and writer (`text.sources.parse_source`,
`formats.documents.render_document`): its segments are translated by the glossary layer, its
inline markup put into each translation (`terms.markup`), and it is written in its format.

A PO file goes through the rules `translate` uses when it merges a previous run: an entry with
a translation (reviewed, or machine output not re-asked for) is kept as it is; only empty
entries are translated, marked fuzzy, with a `#.` note for each pin that did not land. The
header and every other entry stay as they were.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from glossator.errors import InputError
from glossator.server.textjob import Translate
from glossator.text.article import Article
from glossator.text.layout import DOCUMENT_FORMATS

SUFFIXES = (".txt", ".po", *DOCUMENT_FORMATS)
KEPT_FILES = 200  # translated files kept for download, the oldest removed first
_ID = re.compile(r"^[0-9a-f]{32}$")
_SAFE_NAME = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class StoredFile:
    path: Path
    name: str  # the name to download it as


class FileStore:
    """The server's temporary folder: one subfolder per translated file."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="glossator-serve-"))
        self.files: OrderedDict[str, StoredFile] = OrderedDict()

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def folder(self) -> tuple[str, Path]:
        """A new id and its (created) folder."""
        file_id = secrets.token_hex(16)
        folder = self.root / file_id
        folder.mkdir()
        return file_id, folder

    def discard(self, file_id: str) -> None:
        """Remove a folder whose file was not made (a failed upload)."""
        self.files.pop(file_id, None)
        shutil.rmtree(self.root / file_id, ignore_errors=True)

    def add(self, file_id: str, path: Path, name: str) -> None:
        self.files[file_id] = StoredFile(path, name)
        while len(self.files) > KEPT_FILES:
            old_id, _old = self.files.popitem(last=False)
            shutil.rmtree(self.root / old_id, ignore_errors=True)

    def get(self, file_id: str) -> StoredFile | None:
        return self.files.get(file_id) if _ID.match(file_id) else None


def safe_name(filename: str, target: str) -> tuple[str, str]:
    """(download name "stem.TARGET.suffix", suffix) of an uploaded file name; InputError for a
    suffix not in `SUFFIXES`."""
    base = Path(filename.replace("\\", "/")).name
    suffix = Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'!r}: send "
                         f"{', '.join(SUFFIXES[:-1])} or {SUFFIXES[-1]}")
    stem = _SAFE_NAME.sub("_", Path(base).stem).strip("._") or "file"
    return f"{stem[:80]}.{_SAFE_NAME.sub('_', target)}{suffix}", suffix


async def translate_txt(data: bytes, translate: Translate) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"the file is not UTF-8 text (byte offset {error.start})") from None
    [result] = await translate([text])
    return result.text


def read_document(data: bytes, name: str) -> Article:
    """The article an uploaded document holds, read as the command line reads it."""
    from glossator.text.sources import parse_source

    return parse_source(data, Path(name))


async def translate_document(article: Article, source: str, target: str,
                             translate: Translate) -> str | bytes:
    """`article` in `target`, in its own format: each segment through `translate`, its markup
    placed in the translation (around a pinned term's form where it covered the term)."""
    from glossator.formats.documents import render_document
    from glossator.model import Pin
    from glossator.terms.markup import place_markup
    from glossator.text.document import build_document

    document = build_document(article, source)
    document.target_lang = target
    results = await translate([segment.source for segment in document.segments])
    for segment, result in zip(document.segments, results):
        segment.target = segment.machine = result.text
        segment.fuzzy = True  # the engine's text, which place_markup writes the tags into
        segment.pins = [Pin(start, start + len(term), term, form)
                        for term, form in result.renderings
                        if (start := segment.source.find(term)) >= 0]
    place_markup(document.segments)
    return render_document(document)


async def translate_po(path: Path, translate: Translate) -> str:
    """The PO text with its empty entries translated; FormatError for a broken file."""
    from glossator.formats.po import load_pofile

    pofile = load_pofile(path)
    todo = [entry for entry in pofile
            if not entry.obsolete and entry.msgid and not entry.translated()
            and not entry.msgstr and not any(entry.msgstr_plural.values())]
    texts = [text for entry in todo
             for text in ([entry.msgid, entry.msgid_plural] if entry.msgid_plural
                          else [entry.msgid])]
    results = iter(await translate(texts))
    for entry in todo:
        single = next(results)
        notes = single.terms.missed[:]
        if entry.msgid_plural:
            plural = next(results)
            notes += plural.terms.missed
            forms = sorted(entry.msgstr_plural) or [0, 1]
            entry.msgstr_plural = {index: single.text if index == 0 else plural.text
                                   for index in forms}
        else:
            entry.msgstr = single.text
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        lines = [entry.comment] if entry.comment else []
        lines += [f"glossary: {term!r} is not rendered as pinned" for term in notes]
        entry.comment = "\n".join(lines)
    pofile.wrapwidth = 0
    return str(pofile)

