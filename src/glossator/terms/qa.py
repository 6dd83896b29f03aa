"""Quality checks on a translated document: what a reviewer should look at first.

Every check reads one segment (source, target, pins) and needs no engine, so a PO file edited
by hand can be checked again. Findings go into `Segment.qa` as "CHECK: MESSAGE" lines.

Two checks lean on libraries, imported only when a document is checked: `quotes` runs
Translate Toolkit's `doublequoting` (the check `pofilter` reports), and `untranslated-word`
reads pyspellchecker's word lists, shipped in its wheel, and wordfreq's frequencies (a word
the spelling list lacks but the target language's text uses, a loanword), shipped in its
wheel too (nothing is downloaded).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache, lru_cache
from operator import and_, eq
from typing import TYPE_CHECKING

from glossator.glossary import grammar
from glossator.languages import base_language, display_name
from glossator.model import INFO_NOTE, Document, Pin, Segment, content_key, tag_names
from glossator.terms.proof import deprecated_used, form_regex, missing_pins
from glossator.terms.wordlist import (
    FrequencyList,
    WordList,
    load_frequency_list,
    load_word_list,
    shipped_list,
)

if TYPE_CHECKING:
    from translate.filters.checks import StandardChecker

CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
MIN_RATIO_LENGTH = 20  # shorter sources (titles, names) vary too much to judge by length
RATIO_BAND = (0.5, 2.0)  # target/source characters, alphabetic → alphabetic
RATIO_BAND_TO_CJK = (0.15, 1.2)  # a Chinese/Japanese/Korean target needs far fewer characters
MIN_REPEATS = 3
MAX_REPEATED_TOKENS = 6  # longest word sequence looked for ("a Coreia do Sul" is 4)
QUOTE_LENGTH = 60
# Zipf units (log10 of a frequency): a word ten times as frequent in source-language text as in
# target-language text was left untranslated; a smaller gap is a word both languages use.
LOANWORD_GAP = 1.0
# Omissions: a target is measured against the length (characters, words) an engine usually
# gives a source of that language pair. Learnt from the article's own segments where it has
# MIN_LEARNED of them, else this prior: bergamot en→pt over the 16 benchmark articles, 220
# segments, median 1.11× the characters (lowest 0.85×) and 1.12× the words (lowest 0.75×).
USUAL_LENGTH = {("en", "pt"): (1.11, 1.12)}
MIN_LEARNED = 8
SHORT_SHARE = 0.75  # under 3/4 of the usual characters: content lost
NAME_LIKENESS = 0.6  # a target word this close to a source name is its rendering
COMMON_WORD_ZIPF = 4.0  # once in 10,000 words of text: a common word ("Defence"), not a name

# Lower-case words that still belong to a name: "Republic of Korea", "Casa de Moeda", and the
# "’s" left when a pinned "Shoigu" is taken out of "Shoigu’s".
_NAME_PARTICLES = frozenset({
    "of", "the", "and", "de", "da", "do", "dos", "das", "del", "la", "le", "les", "von", "van",
    "der", "den", "des", "al", "el", "bin", "ibn", "y", "e", "und", "di", "s",
})
# Han and kana are written without spaces: each character is a token of its own.
_HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # "People’s" is one word
_ALNUM_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")  # "70th" too
# Digits grouped by spaces/apostrophes ("1 000", "1'000") or by dots/commas ("1,000.5").
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+(?!\d)|\d+(?:[.,]\d+)*")
_YEAR_RANGE = re.compile(r"\d{4}\s*[-–—]\s*\d{2}")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:XZ|ZX)\d+|<t\d+>|\{\d+\}|%s|__\w+__")
# Every style of double quotation mark, written '"' before Translate Toolkit counts them, so
# that “…” becoming «…», „…“ or 「…」 is no finding.
_DOUBLE_QUOTE_MARKS = str.maketrans(dict.fromkeys("“”„‟«»「」＂〝〞", '"'))
# Single quotation marks around words (‘…’, ‚…‘, ‹…›, '…'), told from apostrophes (Kim’s,
# countries’) by a mark that opens before a word and one that closes after it; they count as
# double ones, so a translation may swap ‘…’ for “…”.
_SINGLE_QUOTED = re.compile(r"(?<!\w)[‘‚‹'](?=\w)(.+?)(?<=[\w.,!?])[’‘›'](?!\w)")
_QUOTED = re.compile(r'"([^"]+)"')
_STOPS = (".", "!", "?", ":", ";", '"', "“", "”")  # what may open a sentence or a quotation
_DIGIT = re.compile(r"\d")
# A character of any of the quotation marks `_plain_quotes` reads: a text without one has none.
_QUOTE_MARK = re.compile("[\"“”„‟«»「」＂〝〞‘‚‹']")
_PAST_LATIN = re.compile("[\u0250-\U0010ffff]")  # past Latin Extended-B
_CACHED = 1 << 16  # words, forms or texts a lookup cache keeps


@dataclass(frozen=True)
class Finding:
    segment_id: str
    check: str  # "pin-missing", "number-mismatch", "untranslated", "repeated-words", ...
    message: str  # one line for humans

    def line(self) -> str:
        """The form stored in `Segment.qa` and in the PO file's `qa:` comments."""
        return f"{self.check}: {self.message}"


def check_document(document: Document, checked: CheckedSegments | None = None) -> list[Finding]:
    """Run every check on every segment; each segment's `qa` lines are replaced by its findings.
    With `checked` (one for a whole run), a segment identical to one checked before is not
    checked again."""
    findings = []
    source_lang, target_lang = document.source_lang, document.target_lang or ""
    usual = usual_length(document.segments, source_lang, target_lang)
    for segment in document.segments:
        found = (checked.findings(segment, source_lang, target_lang, usual=usual)
                 if checked is not None
                 else check_segment(segment, source_lang, target_lang, usual=usual))
        segment.qa = [finding.line() for finding in found]
        findings.extend(found)
    return findings


# What the checks read of a segment (its id only names the findings).
_SEGMENT_CHECKED = ("source", "target", "kind", "pins", "markup")


class CheckedSegments:
    """What the checks found on the segments a run has checked, by everything a check reads:
    desks repeat datelines, boilerplate and wire copy, and each distinct segment is checked
    once. Only the omission check's test of length, against the usual lengths of each
    article (`usual_length`), is made again for each article."""

    def __init__(self, limit: int = 2_048) -> None:
        self.limit = limit  # segments remembered, at most; the oldest are forgotten
        self._checked: dict[tuple, SegmentChecks] = {}

    def findings(self, segment: Segment, source_lang: str, target_lang: str, *,
                 usual: tuple[float, float] | None = None) -> list[Finding]:
        """`check_segment`'s findings."""
        key = (source_lang, target_lang, content_key(segment, _SEGMENT_CHECKED))
        checks = self._checked.get(key)
        if checks is None:
            checks = segment_checks(segment, source_lang, target_lang)
            self._keep(key, checks)
        return checks.findings(segment.id, usual)

    def learn(self, checked: Sequence[tuple[tuple, SegmentChecks]]) -> None:
        """Take what `check_beside` found where the segments were translated."""
        for key, checks in checked:
            if key not in self._checked:
                self._keep(key, checks)

    def _keep(self, key: tuple, checks: SegmentChecks) -> None:
        if len(self._checked) >= self.limit:
            del self._checked[next(iter(self._checked))]
        self._checked[key] = checks


def check_beside(segments: Sequence[Segment], source_lang: str, target_lang: str
                 ) -> list[tuple[tuple, SegmentChecks]]:
    """QA of segments fresh from the engine, made where they were translated (beside the
    engine, on a Ray actor too) so that the driver does not: each segment checked as the
    driver will check it, its pins proved and its markup placed (on a copy: the driver does
    both on the segment itself), keyed as `CheckedSegments` keys it, for its `learn`."""
    from glossator.terms.markup import place_markup
    from glossator.terms.proof import verify

    checked = []
    for segment in segments:
        final = replace(segment, pins=[pin.copied() for pin in segment.pins],
                        notes=list(segment.notes))
        verify(final)
        place_markup([final])
        key = (source_lang, target_lang, content_key(final, _SEGMENT_CHECKED))
        checked.append((key, segment_checks(final, source_lang, target_lang)))
    return checked


def recheck(segments: Sequence[Segment], source_lang: str, target_lang: str) -> None:
    """Pins verified and QA run again on segments whose text a person changed, as a run
    would: the notes of missed pins and the QA lines are replaced, informational notes kept."""
    from glossator.terms.pinning import flag_misses

    for segment in segments:
        segment.notes = [note for note in segment.notes if note.startswith(INFO_NOTE)]
    flag_misses(list(segments), target_lang)
    for segment in segments:
        segment.qa = [finding.line()
                      for finding in check_segment(segment, source_lang, target_lang)]


def check_segment(segment: Segment, source_lang: str, target_lang: str, *,
                  usual: tuple[float, float] | None = None) -> list[Finding]:
    """The findings for one segment, in a fixed order; the segment is left unchanged.
    `usual`: the target/source length ratios (characters, words) of its article, from
    `usual_length`; the language pair's prior where None."""
    return segment_checks(segment, source_lang, target_lang).findings(segment.id, usual)


@dataclass(frozen=True)
class SegmentChecks:
    """What the checks found on one segment, but the omission check's test of its length,
    which reads the article's usual lengths: what that test needs is kept instead."""

    found: tuple[tuple[str, str], ...] = ()  # (check, message), in order
    lengths: tuple[int, int, int, int] | None = None  # `_lengths`; None: no omission check
    names_missing: tuple[str, ...] = ()  # the omission check's other half
    prior: tuple[float, float] | None = None  # the language pair's usual lengths

    def findings(self, segment_id: str,
                 usual: tuple[float, float] | None = None) -> list[Finding]:
        """The segment's findings, the omission test made against `usual` (else the prior)."""
        found = [Finding(segment_id, check, message) for check, message in self.found]
        if self.lengths is not None:
            message = _omission_message(self.lengths, usual or self.prior, self.names_missing)
            if message:
                found.append(Finding(segment_id, "omission", message))
        return found


def segment_checks(segment: Segment, source_lang: str, target_lang: str) -> SegmentChecks:
    """Every check on one segment that does not depend on its article (`check_segment`)."""
    if not segment.source.strip():
        return SegmentChecks()
    if not segment.target.strip():
        return SegmentChecks((("empty-target", "no translation: the target is empty"),))
    markup = markup_findings(segment)
    if segment.markup:  # every other check reads the target without its markup
        segment = replace(segment, target=segment.target_plain()[0])
    # The source without its pinned terms, which three checks leave to the pin checks.
    unpinned = _without(segment.source, [pin.source_text for pin in segment.pins])
    found: list[tuple[str, str]] = [("pin-missing", missing_pin_message(pin))
                                    for pin in missing_pins(segment)]
    found += [("markup", message) for message in markup]
    found += [("pin-deprecated", f"{_quote(form)} is a deprecated spelling of "
                                 f"{_quote(pin.target_text)}")
              for pin, form in deprecated_used(segment)]
    found += [("pin-agreement", message) for message in agreement_findings(segment, target_lang)]
    untranslated = _untranslated(segment, unpinned)
    found += [("untranslated", message) for message in untranslated]
    if not untranslated:
        found += [("untranslated-word", message) for message in _untranslated_words(
            segment, source_lang, target_lang, unpinned)]
    found += [("placeholder-left", message) for message in _placeholders_left(segment)]
    found += [("number-mismatch", message) for message in _number_mismatch(segment)]
    found += [("quotes", message) for message in _quotes(segment)]
    found += [("repeated-words", message) for message in _repeated_words(segment.target)]
    length = _length_ratio(segment, source_lang, target_lang)
    found += [("length-ratio", message) for message in length]
    if length or len(segment.source.strip()) < MIN_RATIO_LENGTH:
        return SegmentChecks(tuple(found))
    return SegmentChecks(
        tuple(found), _lengths(segment), tuple(_names_missing(segment, source_lang, unpinned)),
        USUAL_LENGTH.get((_code(source_lang), _code(target_lang))))


def markup_findings(segment: Segment) -> list[str]:
    """A document's markup in the target against the source's: tags missing, tags the source
    does not have (or a pair with one end), and tags out of the source's order."""
    plain, tags = segment.target_plain()
    expected = list(dict.fromkeys(tag.name for tag in segment.markup))
    found = list(dict.fromkeys(tag.name for tag in tags))
    messages = []
    missing = [name for name in expected if name not in found]
    if missing:
        messages.append("markup missing in the target: "
                        + ", ".join(f"<{name}>" for name in missing))
    extra = list(dict.fromkeys(tag_names(plain))) if "<" in plain else []
    if extra:
        messages.append("markup the source does not have, or a pair with one end, in the "
                        "target: " + ", ".join(f"<{name}>" for name in extra))
    kept = [name for name in expected if name in found]
    if not missing and found != kept:
        messages.append("markup out of the source's order: " + " ".join(
            f"<{name}>" for name in found) + f" (the source: {' '.join(f'<{n}>' for n in kept)})")
    return messages


def agreement_findings(segment: Segment, target_lang: str) -> list[str]:
    """An article, contraction or participle next to a pinned term that disagrees with the
    term's gender, number or article use (from the glossary, or read off the engine when the
    translation was made): "o KCNA", "ao Pyongyang", "O RPDC é proibido"."""
    messages = []
    for pin in segment.pins:
        if (pin.gender, pin.number, pin.article) == (None, None, None):
            continue
        spans = [match.span() for form in pin.preferred_forms if form and form in segment.target
                 for match in form_regex(form).finditer(segment.target)]
        messages += grammar.disagreements(segment.target, spans, target_lang,
                                          gender=pin.gender, number=pin.number,
                                          article=pin.article, headline=segment.kind != "body")
    return list(dict.fromkeys(messages))


def missing_pin_message(pin: Pin) -> str:
    """The pin-missing finding's message: the term and the renderings that were expected."""
    forms = " or ".join(_quote(form) for form in (pin.target_text, *pin.admitted))
    return f"{_quote(pin.source_text)} should be rendered {forms}, not found in the target"


def _untranslated(segment: Segment, unpinned: str) -> list[str]:
    """`unpinned`: the source without its pinned terms."""
    if _squashed(segment.source) != _squashed(segment.target):
        return []
    if len(_TOKEN.findall(segment.source)) <= 2:
        return []
    words = _WORD.findall(unpinned)
    if all(word[0].isupper() or word in _NAME_PARTICLES for word in words):
        return []  # only names (or pinned terms): left as they are on purpose
    return [f"target is the source text unchanged: {_quote(segment.target)}"]


def _untranslated_words(segment: Segment, source_lang: str, target_lang: str,
                        unpinned: str) -> list[str]:
    """Lower-case source words found again in the target that the target language does not
    have: English left in a Portuguese sentence ("discutiram matters de interesse mútuo").

    Left out: capitalised words (names, acronyms), numbers, pinned terms on both sides, and
    words of the target language's word list ("social", "nuclear", "hotel" are Portuguese
    too). Where the source language has a list, only its words count, which leaves out
    codes and web addresses. Languages without a list in pyspellchecker (Chinese, Japanese,
    Korean and most others; see `word_list`) get no such check. `unpinned`: the source
    without its pinned terms.
    """
    if _code(source_lang) == _code(target_lang) or not has_word_list(target_lang):
        return []
    pinned_target = [form for pin in segment.pins
                     for form in (*pin.preferred_forms, *pin.admitted, *pin.deprecated)]
    in_target = {word.replace("’", "'").casefold()  # `_word_key`, written out: a hot loop
                 for word in _plain_words(_without(segment.target, pinned_target))}
    candidates = [word for word in dict.fromkeys(_plain_words(unpinned))
                  if word[0].islower() and word.replace("’", "'").casefold() in in_target]
    if not candidates:
        return []  # the word lists are only read when there is something to look up
    target_code, source_code = _code(target_lang), _code(source_lang)
    left = [word for word in candidates if not _listed(_word_key(word), target_code)]
    if left and _word_list(source_code) is not None:
        left = [word for word in left if _listed(_word_key(word), source_code)]
    left = [word for word in left if not loanword(word, source_lang, target_lang)]
    if not left:
        return []
    language = display_name(base_language(target_lang)).split(" (")[0]
    words = ", ".join(_quote(word) for word in left)
    return [f"{words} left untranslated (not {language})"]


def loanword(word: str, source_lang: str, target_lang: str) -> bool:
    """Whether text in the target language uses `word` about as often as text in the source
    language does: "drone", "hackers", "podcast" are Portuguese news words that spelling lists
    lack; "matters" and "stopgap" are not. wordfreq's frequencies (Zipf scale, from news,
    subtitles, the web); a word LOANWORD_GAP or more less frequent in the target language is
    no loanword, and neither is any word where wordfreq lacks either language."""
    source_code, target_code = _code(source_lang), _code(target_lang)
    if not (_in_wordfreq(source_code) and _in_wordfreq(target_code)):
        return False
    key = _word_key(word)
    return _zipf(key, source_code) - _zipf(key, target_code) < LOANWORD_GAP


@cache
def _in_wordfreq(code: str) -> bool:
    return _frequencies(code) is not None


@cache
def _frequencies(code: str) -> FrequencyList | None:
    return load_frequency_list(code)


@lru_cache(maxsize=_CACHED)
def _zipf(word: str, code: str) -> float:
    """wordfreq's `zipf_frequency(word, code, wordlist="large")`: a word of letters only is
    looked up in the compact list (`terms.wordlist`), as wordfreq would (case folded); any other
    (digits, hyphens, several tokens) by wordfreq itself, whose rules for them are its own."""
    frequencies = _frequencies(code)
    if frequencies is None:
        return 0.0
    if word.isalpha():
        return frequencies.zipf(unicodedata.normalize("NFC", word.casefold()))
    from wordfreq import zipf_frequency

    return zipf_frequency(word, code, wordlist="large")


@lru_cache(maxsize=256)
def _code(language: str) -> str:
    """`base_language`, asked for the same few codes by every check of every segment."""
    return base_language(language)


def has_word_list(language: str) -> bool:
    return _has_word_list(_code(language))


@cache
def _has_word_list(code: str) -> bool:  # asked once per segment: importlib.resources is slow
    return shipped_list(code).is_file()


def word_list(language: str) -> WordList | None:
    """The words of pyspellchecker's list for `language`, lower case, or None where it has
    none: it ships ar, de, en, es, eu, fa, fr, it, lv, nl, pt and ru."""
    return _word_list(_code(language))


@cache
def _word_list(code: str) -> WordList | None:
    """A set of words is all QA needs: read from its compact form in the cache (`wordlist`)."""
    return load_word_list(code)


@lru_cache(maxsize=_CACHED)
def _listed(key: str, code: str) -> bool:
    """`key` (`_word_key`) is in the word list of language `code`, which has one: each look-up
    is a binary search, and segments ask about the same words again and again."""
    words = _word_list(code)
    return words is not None and key in words


def _plain_words(text: str) -> list[str]:
    """Words without digits: "70th" and "G7" are not words left in English."""
    return [word for word in _ALNUM_WORD.findall(text)
            if word.isalpha() or not any(char.isdigit() for char in word)]


def _word_key(word: str) -> str:
    return word.replace("’", "'").casefold()


def _placeholders_left(segment: Segment) -> list[str]:
    left = dict.fromkeys(match.group() for match in _PLACEHOLDER.finditer(segment.target))
    return [f"placeholder {_quote(token)} left in the target"
            for token in left if token not in segment.source]


def _number_mismatch(segment: Segment) -> list[str]:
    """Digits that differ, whatever the locale's separators; numbers inside pins (babel's dates,
    "covid-19") are left out on both sides, since the pin check covers them."""
    if not (_DIGIT.search(segment.source) or _DIGIT.search(segment.target)):
        return []
    pinned: set[str] = set()
    for pin in segment.pins:
        for text in (pin.source_text, pin.target_text, *pin.admitted):
            pinned.update(_pinned_numbers(text))
    source, target = numbers(segment.source), numbers(segment.target)
    for number in pinned:
        del source[number], target[number]
    missing, extra = source - target, target - source
    parts = []
    if missing:
        parts.append(f"{_quote_numbers(missing, segment.source)} in the source but not the target")
    if extra:
        parts.append(f"{_quote_numbers(extra, segment.target)} in the target but not the source")
    return ["; ".join(parts)] if parts else []


@lru_cache(maxsize=_CACHED)
def _pinned_numbers(text: str) -> frozenset[str]:
    return frozenset(numbers(text))


def numbers(text: str) -> Counter[str]:
    """The numbers written in digits, canonical: "1,000", "1.000" and "1 000" give "1000",
    "3,5" gives "3.5", "70th" gives "70", and the range "1950-53" gives 1950 and 1953."""
    return Counter(value for value, _ in _numbers_with_text(text))


def _numbers_with_text(text: str) -> list[tuple[str, str]]:
    """(canonical value, text it was read from) for each number in `text`."""
    found: list[tuple[str, str]] = []
    matches = list(_NUMBER.finditer(text))
    for index, match in enumerate(matches):
        previous = matches[index - 1] if index else None
        if previous and _YEAR_RANGE.fullmatch(text[previous.start():match.end()]):
            # "1950-53": the end of a range of years written short; read it as 1953
            whole = previous.group()[:2] + match.group()
            if int(whole) > int(previous.group()):
                found.append((_ascii_digits(whole), text[previous.start():match.end()]))
                continue
        found.extend((value, match.group()) for value in _canonical(match.group()))
    return found


def _canonical(token: str) -> list[str]:
    groups = [_ascii_digits(group) for group in re.split(r"\D+", token)]
    head, *rest = groups
    if not rest:
        return [str(int(head))]
    if len(head) <= 3 and all(len(group) == 3 for group in rest):
        return [str(int("".join(groups)))]  # thousands separators only
    if len(groups) == 2 or (len(head) <= 3 and all(len(group) == 3 for group in rest[:-1])):
        whole = str(int("".join(groups[:-1])))
        decimals = groups[-1].rstrip("0")
        return [f"{whole}.{decimals}" if decimals else whole]
    return [str(int(group)) for group in groups]  # "23.06.2024", "1.2.3": separate numbers


def _ascii_digits(digits: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in digits)


def _quote_numbers(values: Counter[str], text: str) -> str:
    surface = {}
    for value, written in _numbers_with_text(text):
        surface.setdefault(value, written)
    return ", ".join(_quote(surface[value]) for value in values)


def _quotes(segment: Segment) -> list[str]:
    """Quotation marks dropped, unbalanced or added: Translate Toolkit's `doublequoting`
    compares the counts, once every style of quotation mark is written '"' on both sides."""
    from translate.filters.checks import FilterFailure

    if not (_QUOTE_MARK.search(segment.source) or _QUOTE_MARK.search(segment.target)):
        return []  # no quotation mark on either side
    source, target = _plain_quotes(segment.source), _plain_quotes(segment.target)
    if '"' not in source and '"' not in target:
        return []  # apostrophes only
    try:
        _quote_checker().doublequoting(source, target)
        return []
    except FilterFailure:
        pass
    in_source, in_target = source.count('"'), target.count('"')
    what = ("unbalanced" if in_source % 2 != in_target % 2
            else "dropped" if in_target < in_source else "added")
    message = f"quotation marks {what}: {in_target} in the target, {in_source} in the source"
    quoted = _QUOTED.findall(source) if in_target < in_source else _QUOTED.findall(target)
    if quoted:
        side = "source" if in_target < in_source else "target"
        message += f" (the {side} quotes {', '.join(_quote(text) for text in quoted)})"
    return [message]


def _plain_quotes(text: str) -> str:
    return _SINGLE_QUOTED.sub(r'"\1"', text).translate(_DOUBLE_QUOTE_MARKS)


@cache
def _quote_checker() -> StandardChecker:
    """pofilter's standard checker, with no target language: given one, it would first write
    the source's quotation marks in that language's style (French « »), and the common form
    `_plain_quotes` makes of both sides would no longer compare."""
    from translate.filters.checks import StandardChecker

    return StandardChecker()


def _repeated_words(target: str) -> list[str]:
    """A word or short word sequence repeated MIN_REPEATS times in a row: the "word salad" an
    engine produces when decoding loops."""
    words = [token.casefold() for token in _TOKEN.findall(target)]
    if not words or max(Counter(words).values()) < MIN_REPEATS:
        return []  # a sequence repeated repeats its first word
    for size in range(1, MAX_REPEATED_TOKENS + 1):
        # three in a row: word i equals word i + size, and word i + size word i + 2 × size
        same = list(map(eq, words, words[size:]))
        if any(map(and_, same, same[size:])):
            break
    else:
        return []
    tokens = list(_TOKEN.finditer(target))
    found, index = [], 0
    while index < len(words):
        for size in range(1, min(MAX_REPEATED_TOKENS, len(words) - index) + 1):
            unit = words[index:index + size]
            repeats = 1
            while words[index + repeats * size:index + (repeats + 1) * size] == unit:
                repeats += 1
            if repeats >= MIN_REPEATS:
                text = target[tokens[index].start():tokens[index + size - 1].end()]
                found.append(f"{_quote(text)} repeated {repeats} times in a row")
                index += repeats * size - 1
                break
        index += 1
    return found


def _length_ratio(segment: Segment, source_lang: str, target_lang: str) -> list[str]:
    source, target = segment.source.strip(), segment.target.strip()
    if len(source) < MIN_RATIO_LENGTH:
        return []
    low, high = ratio_band(source_lang, target_lang)
    ratio = len(target) / len(source)
    if low <= ratio <= high:
        return []
    return [f"target is {ratio:.2f}× the source length ({len(target)} vs {len(source)} "
            f"characters; expected {low:g}–{high:g})"]


def usual_length(segments: Sequence[Segment], source_lang: str,
                 target_lang: str) -> tuple[float, float] | None:
    """The median target/source ratio of characters and of words over an article's body
    segments long enough to judge, where it has MIN_LEARNED of them; else the language pair's
    prior (None where there is none)."""
    ratios = [_lengths(segment) for segment in segments
              if segment.kind == "body" and segment.target.strip()
              and len(segment.source.strip()) >= MIN_RATIO_LENGTH]
    if len(ratios) < MIN_LEARNED:
        return USUAL_LENGTH.get((_code(source_lang), _code(target_lang)))
    return (statistics.median(c_t / c_s for c_s, c_t, _, _ in ratios),
            statistics.median(w_t / w_s for _, _, w_s, w_t in ratios))


def _omission_message(lengths: tuple[int, int, int, int], usual: tuple[float, float] | None,
                      missing: Sequence[str]) -> str | None:
    """The omission finding: a target that lost part of its source, far shorter than the engine
    usually writes (`lengths` from `_lengths` against `usual`: characters, and words for the
    message), or without names of the source (`missing`, `_names_missing`); None where there
    is none."""
    parts = []
    if usual is not None:
        chars_s, chars_t, words_s, words_t = lengths
        share_chars = chars_t / chars_s / usual[0]
        share_words = words_t / words_s / usual[1]
        if share_chars < SHORT_SHARE:
            parts.append(f"{chars_t} characters and {words_t} words for {chars_s} and "
                         f"{words_s} in the source, {share_chars:.0%} and {share_words:.0%} "
                         f"of the usual length")
    if missing:
        parts.append(f"{', '.join(_quote(name) for name in missing)} of the source not found")
    if not parts:
        return None
    return "part of the source may be missing: " + "; ".join(parts)


def _lengths(segment: Segment) -> tuple[int, int, int, int]:
    """Characters and words of the source and of the target."""
    return _text_lengths(segment.source, segment.target)


@lru_cache(maxsize=1024)  # an article's, read by `usual_length` and again by its checks
def _text_lengths(source: str, target: str) -> tuple[int, int, int, int]:
    source, target = " ".join(source.split()), " ".join(target.split())
    return (max(len(source), 1), len(target),
            max(len(_TOKEN.findall(source)), 1), len(_TOKEN.findall(target)))


def _names_missing(segment: Segment, source_lang: str, unpinned: str) -> list[str]:
    """The names of the source (`unpinned`: without its pinned terms, left to the pin checks)
    that the target lacks. Names are capitalised words inside a sentence that the source
    language's word list lacks ("Hongzhong"; "Telegram" is not one, and acronyms, often
    translated, "UN" → "ONU", are left out) and no word of the target resembles."""
    if word_list(source_lang) is None:
        return []
    names = []
    for match in _WORD.finditer(unpinned):
        name = match.group()
        if not name[0].isupper():
            continue
        name = _without_possessive(name)
        start = match.start()
        if (not name.isupper() and len(name) > 2 and not grammar.opens_sentence(unpinned, start)
                and not unpinned[:start].rstrip().endswith(_STOPS)
                and not _known_word(name, source_lang)):
            names.append(name)
    if not names or not _latin(segment.target):
        return []  # a name in another script ("Shoigu", "绍伊古") cannot be compared
    target_words = list(dict.fromkeys(word.replace("’", "'").casefold()  # `_word_key`
                                      for word in _WORD.findall(segment.target)))
    missing = []
    for name in dict.fromkeys(names):
        key = _word_key(name)
        matcher = SequenceMatcher(None, "", key)
        if not any(_resembles(word, key, matcher) for word in target_words):
            missing.append(name)
    return missing


def _without_possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


@lru_cache(maxsize=_CACHED)
def _known_word(word: str, language: str) -> bool:
    """A word of the language's word list, or common in its text: no name."""
    return _listed(_word_key(word), _code(language)) or _common_word(word, language)


def _resembles(word: str, key: str, matcher: SequenceMatcher[str]) -> bool:
    """The target word `word` is the rendering of the name `key` (both `_word_key`): the same
    first four letters, or NAME_LIKENESS alike (`matcher` holds `key` as its second sequence)."""
    if word[:4] == key[:4]:
        return True
    # difflib's ratio is 2 × matches / both lengths, and matches ≤ the shorter length: a bound
    # that decides most pairs without matching, computed as difflib computes the ratio.
    if 2.0 * min(len(word), len(key)) / (len(word) + len(key)) < NAME_LIKENESS:
        return False
    matcher.set_seq1(word)
    return matcher.quick_ratio() >= NAME_LIKENESS and matcher.ratio() >= NAME_LIKENESS


def _common_word(word: str, language: str) -> bool:
    """A word wordfreq finds at least once in 10,000 words of the language's text: a word the
    spelling list lacks in another spelling ("Defence", "Labour"), not a name."""
    code = _code(language)
    if not _in_wordfreq(code):
        return False
    return _zipf(word, code) >= COMMON_WORD_ZIPF


def _latin(text: str) -> bool:
    """Most of the letters of `text` are Latin ones."""
    if not _PAST_LATIN.search(text):
        return True
    letters = [char for char in text if char.isalpha()]
    latin = sum(char < "\u0250" for char in letters)  # Basic Latin to Latin Extended-B
    return latin * 2 >= len(letters)


def ratio_band(source_lang: str, target_lang: str) -> tuple[float, float]:
    """Expected target/source length ratio in characters for a language pair."""
    source_cjk = _code(source_lang) in CJK_LANGUAGES
    target_cjk = _code(target_lang) in CJK_LANGUAGES
    if target_cjk and not source_cjk:
        return RATIO_BAND_TO_CJK
    if source_cjk and not target_cjk:
        low, high = RATIO_BAND_TO_CJK
        return (round(1 / high, 2), round(1 / low, 2))
    return RATIO_BAND


def _squashed(text: str) -> str:
    return " ".join(text.casefold().split())


def _without(text: str, pieces: list[str]) -> str:
    for piece in sorted(filter(None, pieces), key=len, reverse=True):
        text = text.replace(piece, " ")
    return text


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_LENGTH:
        text = text[:QUOTE_LENGTH - 1].rstrip() + "…"
    return f'"{text}"'
