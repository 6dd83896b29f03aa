"""Write a translated Word document (`text.docx` read it): the source's story parts (main
document, notes, headers, footers) parsed again, each translated paragraph's runs replaced by
runs of its translation, each with the properties (`w:rPr`) of the run its words came from
(`text.runs.lay_out`), a link's words in a copy of its `w:hyperlink`, every point (image,
field, footnote reference) the source's own element at its place; a paragraph's properties and
every untranslated paragraph as they were. A part with a paragraph rewritten is written as
python-docx writes a part; every other member of the package (styles, numbering, pictures,
settings) is the source's own bytes, under its name and date."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from glossator.formats.documents import placed
from glossator.model import Tag
from glossator.text.docx import Flat, read_paragraph, read_story, w
from glossator.text.layout import Layout
from glossator.text.runs import Marked, lay_out


def write_docx(layout: Layout, paragraphs: Sequence[tuple[str, list[Tag]] | None]) -> bytes:
    source = layout.source
    assert isinstance(source, bytes)
    story = read_story(source, Path(f"source.{layout.extension}"), check=False)
    # Collected first: rewriting a paragraph moves its elements.
    elements = [element for element, _ in story.paragraphs]
    changed: set[Any] = set()
    for element, text, tags in placed(layout, paragraphs, elements, "DOCX"):
        _rewrite(element, *read_paragraph(element), text, tags)
        changed.add(element.getroottree().getroot())
    return _repacked(source, {name: root for name, root in story.roots.items()
                              if root in changed}, story.blobs)


def _repacked(source: bytes, changed: dict[str, Any], blobs: dict[str, bytes]) -> bytes:
    """The package `source` with the members named in `changed` written from those root
    elements (as python-docx writes a part), every other member as the source has it (from
    `blobs` where they were read already), under the source's names and dates."""
    from docx.opc.oxml import serialize_part_xml

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as package, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
        for member in package.infolist():
            if package.getinfo(member.filename) is not member:
                continue  # a name the zip holds twice: the last one, as zipfile reads it
            root = changed.get(member.filename)
            data = (serialize_part_xml(root) if root is not None
                    else blobs.get(member.filename) or package.read(member))
            written.writestr(_copied(member, rewritten=root is not None), data)
    return out.getvalue()


def _copied(member: zipfile.ZipInfo, rewritten: bool) -> zipfile.ZipInfo:
    """Where `member` goes in the written package: its name, date and attributes; deflated,
    unless it is the source's own and deflating it gained next to nothing (a photo, already
    compressed: deflating a megabyte again costs ~30 ms for no gain), then stored."""
    info = zipfile.ZipInfo(member.filename, member.date_time)
    info.external_attr = member.external_attr
    stored = not rewritten and member.compress_size >= 0.95 * member.file_size
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def _rewrite(element: Any, flat: Flat, marked: Marked, text: str, tags: list[Tag]) -> None:
    from docx.oxml import OxmlElement

    for child in list(element):
        if child.tag != w("pPr"):
            element.remove(child)
    for marker in flat.openers:
        element.append(marker)
    for link, outs in groupby(lay_out(text, tags, marked), key=attrgetter("link")):
        container = element
        if link is not None:  # the words of one link go in a copy of its w:hyperlink
            container = OxmlElement("w:hyperlink")
            for name, value in flat.links[link].attrib.items():
                container.set(name, value)
            element.append(container)
        for out in outs:
            if out.point is not None:
                for in_run, properties, part in flat.points[out.point]:
                    container.append(_run(properties, part) if in_run else part)
                continue
            text_element = OxmlElement("w:t")
            text_element.text = out.text
            text_element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            container.append(_run(flat.properties.get(out.style), text_element))
    for marker in flat.closers:
        element.append(marker)


def _run(properties: Any, child: Any) -> Any:
    """A `w:r` with a copy of `properties` holding `child`."""
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    if properties is not None:
        run.append(copy.deepcopy(properties))
    run.append(child)
    return run
