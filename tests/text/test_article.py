from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from glossator.errors import InputError
from glossator.text.article import cruft_rule, parse_dateline, read_article


def write(tmp_path: Path, content: bytes | str, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_seed_article_parts(seed_article):
    article = read_article(seed_article)
    kinds = [p.kind for p in article.paragraphs]
    assert kinds[:2] == ["dateline", "title"]
    assert set(kinds[2:]) == {"body"}
    assert article.dateline == date(2024, 6, 23)
    assert article.paragraphs[1].text.startswith("North Korea’s leader meets")
    assert article.paragraphs[-1].text.startswith("Moscow and Beijing")


def test_seed_cruft_is_dropped_and_reported(seed_article):
    article = read_article(seed_article)
    dropped = [line for _rule, line in article.dropped]
    assert dropped == ["› Subscribe", "Please enter your comment!", "Please enter your name here",
                       "The reCAPTCHA verification period has expired. Please reload the page.",
                       "More Articles"]
    assert not any("Subscribe" in p.text or "reCAPTCHA" in p.text for p in article.paragraphs)
    summary = article.dropped_summary()
    assert summary.startswith("dropped 5 lines of web-page cruft:")
    assert "comment form ×2" in summary


@pytest.mark.parametrize(("line", "rule"), [
    ("Please enter your comment!", "comment form"),
    ("Please enter your name here", "comment form"),
    ("Leave a Reply", "comment form"),
    ("› Subscribe", "subscribe prompt"),
    ("Sign up to our newsletter", "subscribe prompt"),
    ("The reCAPTCHA verification period has expired. Please reload the page.",
     "reCAPTCHA notice"),
    ("More Articles", "related links"),
    ("Related Stories", "related links"),
    ("Share this article", "share buttons"),
    ("Advertisement", "advertisement"),
    ("12 Comments", "comment counter"),
])
def test_cruft_rules(line, rule):
    assert cruft_rule(line) == rule


@pytest.mark.parametrize("line", [
    "Subscribers to the agency said the meeting went well.",
    "Kim thanked Putin for sending a delegation.",
    "More articles of the treaty were signed on Monday.",
    "Please enter the building through the north gate, the notice said.",
])
def test_article_text_is_not_cruft(line):
    assert cruft_rule(line) is None


def test_cruft_in_the_middle_is_kept(tmp_path):
    text = "Title\n\nFirst paragraph.\n\nSubscribe\n\nLast paragraph.\n\nMore Articles\n"
    article = read_article(write(tmp_path, text))
    assert [p.text for p in article.paragraphs] == ["Title", "First paragraph.", "Subscribe",
                                                   "Last paragraph."]
    assert article.dropped == [("related links", "More Articles")]


def test_bom_and_crlf_tolerated(tmp_path):
    text = "\ufeffMy title\r\n\r\nLine one\r\ncontinues here.\r\n\r\nSecond.\r\n"
    article = read_article(write(tmp_path, text))
    assert [p.text for p in article.paragraphs] == ["My title", "Line one continues here.",
                                                   "Second."]
    assert [p.line for p in article.paragraphs] == [1, 3, 6]


def test_title_without_dateline(tmp_path):
    article = read_article(write(tmp_path, "A headline\n\nBody text here.\n"))
    assert [p.kind for p in article.paragraphs] == ["title", "body"]
    assert article.dateline is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Sunday, June 23, 2024", date(2024, 6, 23)),
    ("June 23, 2024", date(2024, 6, 23)),
    ("23 June 2024", date(2024, 6, 23)),
    ("Monday, June 23, 2024", None),  # wrong weekday
    ("June 23, 2024, was a Sunday", None),
    ("North Korea's leader meets Russian defense minister", None),
])
def test_parse_dateline(text, expected):
    assert parse_dateline(text) == expected


@pytest.mark.parametrize(("content", "message"), [
    (b"", "article is empty or whitespace only"),
    (b"  \n\n\t \r\n", "article is empty or whitespace only"),
    (b"Subscribe\n\nMore Articles\n", "article is only web-page cruft"),
    (b"Title\n\nText\x00with NUL", "binary content (NUL byte at offset 11)"),
    (b"Title\n\nCaf\xe9 au lait.\n", "invalid UTF-8 at byte offset 10 (byte 0xe9)"),
])
def test_bad_content(tmp_path, content, message):
    path = write(tmp_path, content)
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_invalid_utf8_names_the_line(tmp_path):
    path = write(tmp_path, b"Title\n\nCaf\xe9 au lait.\n")
    with pytest.raises(InputError) as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}:3: ")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)
