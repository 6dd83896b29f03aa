"""The word lists QA looks words up in (pyspellchecker's, shipped in its wheel; wordfreq's
frequencies), loaded in milliseconds.

pyspellchecker ships each list as gzipped JSON (word → frequency); decoding Portuguese's 400,000
words and building a set of them takes half a second, paid by every run that checks a segment.
The first use builds a compact form instead, the words sorted, one a line, in one bytes object
kept in the cache folder (`io.cache`); later runs read it back (a few megabytes, no decoding)
and look words up by binary search in it. wordfreq's frequencies go the same way: importing
wordfreq and decoding its lists for two languages took 0.5 s of a 1.6 s seed run.
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


_FREQUENCY_KIND = "zipf"


class FrequencyList:
    """wordfreq's frequencies of one language on the Zipf scale, held as sorted UTF-8 lines
    "word<TAB>zipf×100": `zipf(word)` by binary search, 0.0 for a word it lacks."""

    def __init__(self, lines: bytes) -> None:
        self._lines = lines

    def zipf(self, word: str) -> float:
        key, lines = word.encode("utf-8", "surrogatepass"), self._lines
        low, high = 0, len(lines)
        while low < high:
            start = lines.rfind(b"\n", low, (low + high) // 2) + 1 or low
            end = lines.index(b"\n", start)
            found, _, value = lines[start:end].partition(b"\t")
            if found == key:
                return int(value) / 100
            if found < key:
                low = end + 1
            else:
                high = start
        return 0.0

    def __bool__(self) -> bool:
        return bool(self._lines)


def load_frequency_list(code: str) -> FrequencyList | None:
    """wordfreq's "large" list of language `code` in compact form, from the cache when it holds
    it, else built (importing wordfreq and decoding its list take half a second) and cached;
    None where wordfreq has no list for the language (remembered in the cache too)."""
    key = f"{code} wordfreq-large {_version('wordfreq')}"
    lines = read_cached(_FREQUENCY_KIND, key)
    if lines is None:
        lines = _frequency_lines(code)
        write_cached(_FREQUENCY_KIND, key, lines)
    return FrequencyList(lines) if lines else None


def _frequency_lines(code: str) -> bytes:
    import math

    try:
        from wordfreq import available_languages, get_frequency_dict
    except ImportError:
        return b""
    if code not in available_languages(wordlist="large"):
        return b""
    lines = []
    for word, frequency in get_frequency_dict(code, wordlist="large").items():
        if frequency > 0 and word and "\n" not in word and "\t" not in word:
            # as wordfreq.zipf_frequency rounds it: log10 of the frequency per billion, 2 places
            zipf = round(math.log(frequency, 10) + 9, 2)
            lines.append(word.encode("utf-8") + b"\t" + str(round(zipf * 100)).encode() + b"\n")
    return b"".join(sorted(lines, key=lambda line: line.split(b"\t", 1)[0]))


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
