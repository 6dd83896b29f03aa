"""The word lists QA looks words up in (pyspellchecker's, shipped in its wheel), loaded in
milliseconds.

pyspellchecker ships each list as gzipped JSON (word → frequency); decoding Portuguese's 400,000
words and building a set of them takes half a second, paid by every run that checks a segment.
The first use builds a compact form instead, the words sorted, one a line, in one bytes object
kept in the cache folder (`io.cache`); later runs read it back (a few megabytes, no decoding)
and look words up by binary search in it.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

from glossator.io.cache import read_cached, write_cached

_KIND = "words"


class WordList:
    """A set of words held as their sorted UTF-8 lines: `word in words`, nothing else."""

    def __init__(self, lines: bytes) -> None:
        self._lines = lines  # b"word\n" for each word, in byte order

    @classmethod
    def of(cls, words: object) -> WordList:
        encoded = sorted({word.encode("utf-8") for word in words  # type: ignore[attr-defined]
                          if isinstance(word, str) and word and "\n" not in word})
        return cls(b"".join(word + b"\n" for word in encoded))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        key, lines = word.encode("utf-8", "surrogatepass"), self._lines
        low, high = 0, len(lines)  # `low` is always the start of a line
        while low < high:
            start = lines.rfind(b"\n", low, (low + high) // 2) + 1 or low
            end = lines.index(b"\n", start)
            line = lines[start:end]
            if line == key:
                return True
            if line < key:
                low = end + 1
            else:
                high = start
        return False

    def __bool__(self) -> bool:
        return bool(self._lines)

    def __len__(self) -> int:
        return self._lines.count(b"\n")


def shipped_list(code: str) -> Traversable:
    """pyspellchecker's list for language `code` (it may not have one)."""
    return resources.files("spellchecker") / "resources" / f"{code}.json.gz"


def load_word_list(code: str) -> WordList | None:
    """The word list of language `code`, from the cache when it holds it, else built from
    pyspellchecker's list and cached; None where pyspellchecker has none."""
    shipped = shipped_list(code)
    if not shipped.is_file():
        return None
    key = f"{code} pyspellchecker {_spellchecker_version()}"
    lines = read_cached(_KIND, key)
    if lines is not None and lines.endswith(b"\n"):
        return WordList(lines)
    words = _decode(shipped)
    write_cached(_KIND, key, words._lines)
    return words


def _decode(shipped: Traversable) -> WordList:
    import gzip
    import json

    return WordList.of(json.loads(gzip.decompress(shipped.read_bytes())))


def _spellchecker_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pyspellchecker")
    except PackageNotFoundError:
        return "unknown"
