from __future__ import annotations

import gzip
import json
from pathlib import Path

from glossator.terms import wordlist
from glossator.terms.wordlist import WordList, load_word_list, shipped_list


def test_membership_is_the_sets():
    words = ["b", "a", "ação", "zebra", "a'b", "ää", "mão", "m", "z" * 40, "x y"]
    listed = WordList.of(words)
    assert len(listed) == len(words)
    for word in words:
        assert word in listed
    for other in ["", "c", "aa", "ab", "ação ", "zebr", "zebras", "\n", "a\nb", "mã", "ä",
                  "z" * 39, "Zebra", 3, None]:
        assert other not in listed
    assert not WordList.of([]) and "a" not in WordList.of([])


def test_the_compact_list_holds_exactly_pyspellcheckers_words():
    shipped = json.loads(gzip.decompress(shipped_list("ru").read_bytes()))
    listed = load_word_list("ru")
    assert len(listed) == len(shipped)
    assert all(word in listed for word in shipped)
    assert not any(word + "ъ" in listed or word[:-1] + "\x00" in listed for word in shipped)


def test_built_once_then_read_from_the_cache(cache_folder: Path, monkeypatch):
    for entry in cache_folder.iterdir():
        entry.unlink()  # the session's lists, linked in by conftest
    load_word_list("pt")
    entries = list(cache_folder.iterdir())
    assert len(entries) == 1

    def no_decoding(_shipped):
        raise AssertionError("the JSON list decoded again")

    monkeypatch.setattr(wordlist, "_decode", no_decoding)
    words = load_word_list("pt")
    assert "nuclear" in words and "matters" not in words
    assert list(cache_folder.iterdir()) == entries


def test_a_corrupt_cached_list_is_built_again(cache_folder: Path):
    load_word_list("ru")
    path = next(p for p in cache_folder.iterdir() if p.stat().st_size < 1_000_000)
    path.write_bytes(path.read_bytes()[:-100])
    assert "привет" in load_word_list("ru")
    assert "привет" in load_word_list("ru")  # the rewritten entry reads back


def test_no_list_for_languages_pyspellchecker_lacks(cache_folder: Path):
    before = sorted(cache_folder.iterdir())
    assert load_word_list("zh") is None and load_word_list("xx") is None
    assert sorted(cache_folder.iterdir()) == before
