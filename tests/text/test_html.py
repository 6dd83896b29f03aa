"""Reading HTML (issue 18): a fragment's paragraphs with inline markup as tags, a saved web
page as its article with what was around it reported, and the text nodes of the API's
`format=html`, all from `text.html`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from glossator.errors import InputError
from glossator.text.document import build_document
from glossator.text.html import is_page, read_text_nodes
from glossator.text.sources import parse_source
from html_pages import CMS_PAGE, FRAGMENT, NEWS_PAGE, NEWS_PAGE_CRUFT


def read(text: str, name: str = "body.html"):
    return parse_source(text.encode(), Path(name))


def test_a_fragment_reads_as_paragraphs_with_tags():
    document = build_document(read(FRAGMENT), "en")
    assert [(s.kind, s.tagged_source) for s in document.segments] == [
        ("title", "Seoul and Washington hold drills"),
        ("body", "The <b0>Ministry of Defence</b0> said on Monday that joint drills would "
                 "start next week."),
        ("body", "Officials in <a1>Seoul</a1> declined to comment."),
        ("body", "Troops at a <i0>drill</i0> last year."),
        ("body", "North Korea called the drills a rehearsal for war."),
        # inline code is a point: its words are not the engine's; a line break parts words
        ("body", "The <c0/> agency published a statement.<x1/>"),
        ("body", "It was short."),
        ("body", "Country"), ("body", "Troops"), ("body", "South Korea"), ("body", "10,000")]
    # the script, the translate="no" paragraph and the comment are no paragraph
    layout = document.layout
    assert layout.format == "html" and layout.source == FRAGMENT
    inline = layout.blocks[1].inlines
    assert [(i.letter, i.opening, i.closing) for i in inline] == [
        ("b", "<b>", "</b>"),
        ("a", '<a href="https://example.org/seoul?a=1&amp;b=2" title="Seoul">', "</a>")]


def test_text_and_tails_between_blocks_are_paragraphs_of_their_own():
    article = read("<div>Intro text.<p>A <i>first</i> paragraph.</p>Closing words.</div>")
    assert [(p.text, [t.name for t in p.tags]) for p in article.paragraphs] == [
        ("Intro text.", []), ("A first paragraph.", ["i0"]), ("Closing words.", [])]


@pytest.mark.parametrize(("markup", "page"), [
    (NEWS_PAGE, True), ("<html><body><p>x</p></body></html>", True),
    ("<!-- saved -->\n<!doctype html><p>x</p>", True), ("<p>x</p>", False),
    ("<div class='body'>Text</div>", False)])
def test_a_page_is_told_from_a_fragment(markup, page):
    assert is_page(markup) is page


def test_a_web_page_reads_as_its_article():
    article = read(NEWS_PAGE, "story.html")
    assert [(p.kind, p.text) for p in article.paragraphs][:3] == [
        ("title", "Seoul and Washington hold joint drills"),
        ("dateline", "Thursday, September 12, 2024"),
        ("body", "By Jane Doe")]
    texts = [p.text for p in article.paragraphs]
    assert "A show of force" in texts  # a subhead
    assert any(t.startswith("The drills are purely defensive") for t in texts)  # a quote
    assert "Soldiers take part in a drill near the border last year." in texts  # a caption
    assert article.dateline == date(2024, 9, 12)
    assert article.layout.format == "webpage"
    lines = NEWS_PAGE.split("\n")  # the PO points into the saved page, not the clean one
    assert all(p.text.split()[0] in lines[p.line - 1] for p in article.paragraphs)
    body = article.paragraphs[3]
    assert [t.name for t in body.tags] == ["b0", "a1"]
    assert body.text[body.tags[1].start:body.tags[1].end] == "Seoul"
    # the source's tracking script never reaches the clean page
    assert "<script" not in article.layout.source and "tracking" not in article.layout.source


def test_what_was_around_the_article_is_dropped_and_named():
    article = read(NEWS_PAGE, "story.html")
    assert article.dropped == NEWS_PAGE_CRUFT
    kept = " ".join(p.text for p in article.paragraphs)
    assert not any(line in kept for _rule, line in NEWS_PAGE_CRUFT)
    assert article.dropped_summary().startswith("dropped 15 lines of web-page cruft: "
                                                 "cookie notice ×2, page header, navigation ×2")


def test_cruft_inside_the_article_is_dropped_and_named_too():
    article = read(CMS_PAGE, "story.html")
    assert [(p.kind, p.text[:30]) for p in article.paragraphs] == [
        ("title", "Kim visits tractor factory"), ("dateline", "June 23, 2024"),
        ("body", "By John Smith"), ("body", "North Korean leader Kim Jong U"),
        ("body", "Kim praised the factory's engi")]
    assert article.dropped == [
        ("page chrome", "Breaking: markets fall Log in"),
        ("share buttons", "Share this article Tweet"),
        ("related links", "Related: North Korea reports record wheat crop"),
        ("subscribe prompt", "Follow us on Telegram"),
        ("advertisement", "Advertisement"),
        ("related links", "You may also like: Ten tips for better sleep")]


@pytest.mark.parametrize(("markup", "name", "message"), [
    ("<html><body><nav><a href='/'>Home</a></nav><footer>© 2024</footer></body></html>",
     "story.html", "web page with no article in it"),
    ("<div><script>x()</script><p translate='no'>Kept.</p></div>", "body.htm",
     "HTML with no text to translate"),
])
def test_html_with_nothing_to_translate_is_refused(markup, name, message):
    with pytest.raises(InputError, match=message) as error:
        read(markup, name)
    assert str(error.value.path) == name


def test_the_apis_text_nodes_are_read_neutralised():
    nodes = read_text_nodes('<p onclick="x()">Seoul <b>and</b> <a href="javascript:x">'
                            'Washington</a><script>bad()</script></p>')
    assert nodes.texts == ["Seoul", "and", "Washington"]
    assert [len(run.children) for run in nodes.runs] == [2]
    assert nodes.root.find(".//script") is None and nodes.root[0].get("onclick") is None
    assert nodes.root.find(".//a").get("href") is None
