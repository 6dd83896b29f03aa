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
    ("Follow us on Telegram", "subscribe prompt"),
    ("Follow us on Twitter, Facebook and WhatsApp", "subscribe prompt"),
    ("Related: Kim inspects missile launch", "related links"),
    ("READ MORE: Talks stall in Geneva", "related links"),
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


# Cruft judged line by line at the edges (issue 18) ---------------------------------------------

BODY = ("Minister visits Seoul\n\n"
        "The minister arrived in Seoul on Monday for talks with his counterpart.\n"
        "Share this article\n\n"
        "The talks were held in private, the ministry said in an\n"
        "email.\n")


def test_two_cruft_lines_in_one_paragraph_are_both_dropped_and_reported(tmp_path):
    text = ("Share this article\nFollow us on Telegram\n\n" + BODY
            + "\nRelated: Kim inspects missile launch\n\n"
              "Share this article\nFollow us on Telegram\n")
    article = read_article(write(tmp_path, text))
    assert [p.text for p in article.paragraphs] == [
        "Minister visits Seoul",
        "The minister arrived in Seoul on Monday for talks with his counterpart. "
        "Share this article",  # not at an edge: kept
        "The talks were held in private, the ministry said in an email."]
    assert article.dropped == [
        ("share buttons", "Share this article"), ("subscribe prompt", "Follow us on Telegram"),
        ("related links", "Related: Kim inspects missile launch"),
        ("share buttons", "Share this article"), ("subscribe prompt", "Follow us on Telegram")]
    assert article.dropped_summary() == ("dropped 5 lines of web-page cruft: share buttons ×2, "
                                         "subscribe prompt ×2, related links")


def test_a_cruft_line_at_an_edge_of_a_paragraph_with_text(tmp_path):
    text = ("Advertisement\nMinister visits Seoul\n\n"
            "The minister arrived on Monday.\nShare this article\n")
    article = read_article(write(tmp_path, text))
    assert [(p.text, p.line) for p in article.paragraphs] == [
        ("Minister visits Seoul", 2), ("The minister arrived on Monday.", 4)]
    assert [rule for rule, _line in article.dropped] == ["advertisement", "share buttons"]


def test_a_cruft_word_that_ends_a_wrapped_sentence_is_text(tmp_path):
    article = read_article(write(tmp_path, BODY))
    assert article.dropped == []
    assert article.paragraphs[-1].text.endswith("said in an email.")


def _articles() -> list[Path]:
    root = Path(__file__).parents[2]
    return sorted([*(root / "benchmarks" / "articles").glob("*.txt"),
                   *(root / "seeds").glob("*.txt")])


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_real_articles_keep_every_paragraph_with_cruft_around_them(tmp_path, path):
    """The benchmark articles and the seed, as they are and wrapped in cruft that shares their
    first and last paragraphs: the same paragraphs kept, only the cruft dropped."""
    text = path.read_text(encoding="utf-8")
    article = read_article(path)
    kept = [p.text for p in article.paragraphs]
    assert len(article.dropped) == (5 if path.parent.name == "seeds" else 0)
    blocks = text.strip().split("\n\n")
    wrapped = ("Share this article\nFollow us on Telegram\n" + blocks[0] + "\n\n"
               + "\n\n".join(blocks[1:]) + "\nRelated: Talks stall in Geneva\n"
               "Share this article\n")
    again = read_article(write(tmp_path, wrapped))
    assert [p.text for p in again.paragraphs] == kept
    assert [line for _rule, line in again.dropped][:2] == ["Share this article",
                                                           "Follow us on Telegram"]
    assert [line for _rule, line in again.dropped][-2:] == ["Related: Talks stall in Geneva",
                                                            "Share this article"]
