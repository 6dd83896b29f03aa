"""The words right before a pinned term: articles and the prepositions they merge with.

A pinned rendering can land where the engine wrote something else ("a agência" became "o
KCNA"), or come back from a placeholder whose gender the engine had to guess. This module
knows, per language, the definite and indefinite articles and their contractions with
prepositions (pt "do", "na", "à", "pelo"; es "del", "al"; fr "du", "au", "l'"; it "dello",
"nell'"), reads the determiner in front of a term, and writes the one that agrees with the
term's gender, number and article use ("em Pyongyang", "da Coreia do Norte", "a Kim").

Languages: pt, es, fr, it. Others get no determiner fixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import product
from typing import ClassVar, Protocol

from glossator.languages import base_language

DEFINITE = "definite"
INDEFINITE = "indefinite"
NONE = ""  # a bare preposition: no article


@dataclass(frozen=True)
class Determiner:
    """What the word (or two) before a noun phrase is made of."""

    preposition: str  # "" for an article alone
    article: str  # DEFINITE, INDEFINITE or NONE
    gender: str | None = None  # "m", "f"
    number: str | None = None  # "sg", "pl"


@dataclass(frozen=True)
class Found:
    """A determiner found before a term: its span in the text and what it is."""

    start: int
    end: int  # where the term begins, or the space before it
    text: str
    determiner: Determiner
    ambiguous: bool = False  # pt "a": the article or the bare preposition


_VOWEL_START = re.compile(r"^[aeiouàâäéèêëíìîïóòôöúùûüyh]", re.IGNORECASE)
_IMPURE_S = re.compile(r"^(?:s[^aeiouàèéìòù]|z|gn|ps|pn|x|y)", re.IGNORECASE)
GENDER_NUMBER = list(product(("m", "f"), ("sg", "pl")))
Table = dict[tuple[str, str], str]  # (gender, number) → article


class Language:
    """One language's articles and contractions."""

    code = ""
    prepositions: tuple[str, ...] = ()
    ambiguous: frozenset[str] = frozenset()  # forms that can also be a bare preposition
    elides = False  # the article is glued to a following vowel with an apostrophe
    # Where a term that takes an article stands with none: after these words the article is
    # certain and is written in (a reporting verb before its subject or object, "disse KCNA";
    # "segundo KCNA"); after the "likely" ones it is most likely missing, but a style may
    # leave it out ("com KCNA", "e RPDC"), so it is only flagged.
    article_certain_after: frozenset[str] = frozenset()
    article_likely_after: frozenset[str] = frozenset()

    def article(self, kind: str, gender: str, number: str, following: str) -> str:
        raise NotImplementedError

    def join(self, preposition: str, article: str) -> str:
        """Preposition and article as written together ("de" + "o" → "do")."""
        return f"{preposition} {article}" if preposition and article else preposition or article

    def determiner(self, preposition: str, kind: str, gender: str | None, number: str | None,
                   following: str) -> str:
        """The surface form for a determiner before `following` (the term's text)."""
        if kind == NONE:
            return preposition
        return self.join(preposition,
                         self.article(kind, gender or "m", number or "sg", following))

    def readings(self) -> dict[str, Determiner]:
        """Every determiner surface (lower case) → what it is; two-word ones included."""
        table: dict[str, Determiner] = {}
        for following in ("consoante", "avião", "stato"):
            for preposition in ("", *self.prepositions):
                for kind in (DEFINITE, INDEFINITE):
                    for gender, number in GENDER_NUMBER:
                        try:
                            surface = self.determiner(preposition, kind, gender, number,
                                                      following)
                        except KeyError:
                            continue
                        table.setdefault(surface.lower(), Determiner(preposition, kind,
                                                                     gender, number))
        for preposition in self.prepositions:
            table.setdefault(preposition, Determiner(preposition, NONE))
        return table


class Portuguese(Language):
    code = "pt"
    prepositions = ("de", "em", "a", "por")
    ambiguous = frozenset({"a"})
    article_certain_after = frozenset({
        "disse", "disseram", "diz", "dizem", "dizia", "afirmou", "afirmaram", "afirma",
        "informou", "informaram", "informa", "relatou", "relataram", "noticiou", "noticiaram",
        "acrescentou", "acrescentaram", "declarou", "declararam", "anunciou", "anunciaram",
        "escreveu", "escreveram", "reportou", "divulgou", "divulgaram", "publicou",
        "publicaram", "explicou", "observou", "destacou", "indicou", "garantiu", "sublinhou",
        "salientou", "frisou", "comunicou", "confirmou", "revelou", "alertou", "advertiu",
        "citou", "citaram", "segundo", "conforme"})
    article_likely_after = frozenset({
        "com", "para", "entre", "sobre", "contra", "sem", "após", "ante", "perante", "até",
        "durante", "desde", "e", "ou", "nem", "como", "que", "mas"})
    _DEFINITE: ClassVar[Table] = {("m", "sg"): "o", ("f", "sg"): "a", ("m", "pl"): "os",
                                  ("f", "pl"): "as"}
    _INDEFINITE: ClassVar[Table] = {("m", "sg"): "um", ("f", "sg"): "uma", ("m", "pl"): "uns",
                                    ("f", "pl"): "umas"}
    _MERGED: ClassVar[dict[str, str]] = {"de": "d", "em": "n", "a": "", "por": "pel"}

    def article(self, kind: str, gender: str, number: str, following: str) -> str:
        table = self._DEFINITE if kind == DEFINITE else self._INDEFINITE
        return table[(gender, number)]

    def join(self, preposition: str, article: str) -> str:
        if not preposition or not article:
            return preposition or article
        if preposition == "a":
            if article in ("a", "as"):
                return "à" + article[1:]
            if article in ("o", "os"):
                return "a" + article
            return f"a {article}"
        if article.startswith("u"):  # "de um", "em uma": news style writes them apart
            return f"{preposition} {article}"
        return self._MERGED[preposition] + article


class Spanish(Language):
    code = "es"
    prepositions = ("de", "a", "en", "por", "con")
    article_certain_after = frozenset({
        "dijo", "dijeron", "dice", "dicen", "afirmó", "afirmaron", "informó", "informaron",
        "señaló", "señalaron", "añadió", "agregó", "declaró", "anunció", "indicó", "explicó",
        "aseguró", "reportó", "publicó", "escribió", "confirmó", "citó", "según"})
    article_likely_after = frozenset({
        "para", "entre", "sobre", "contra", "sin", "tras", "ante", "hasta", "durante", "desde",
        "y", "e", "o", "u", "ni", "como", "que", "pero"})
    _DEFINITE: ClassVar[Table] = {("m", "sg"): "el", ("f", "sg"): "la", ("m", "pl"): "los",
                                  ("f", "pl"): "las"}
    _INDEFINITE: ClassVar[Table] = {("m", "sg"): "un", ("f", "sg"): "una", ("m", "pl"): "unos",
                                    ("f", "pl"): "unas"}

    def article(self, kind: str, gender: str, number: str, following: str) -> str:
        table = self._DEFINITE if kind == DEFINITE else self._INDEFINITE
        return table[(gender, number)]

    def join(self, preposition: str, article: str) -> str:
        if preposition in ("de", "a") and article == "el":
            return preposition[0] + "el" if preposition == "de" else "al"
        return super().join(preposition, article)


class French(Language):
    code = "fr"
    prepositions = ("de", "à", "en", "par", "pour", "avec")
    elides = True
    _INDEFINITE: ClassVar[Table] = {("m", "sg"): "un", ("f", "sg"): "une"}

    def article(self, kind: str, gender: str, number: str, following: str) -> str:
        if kind == INDEFINITE:
            return self._INDEFINITE[(gender, number)]
        if number == "pl":
            return "les"
        if _VOWEL_START.match(following):
            return "l'"
        return "le" if gender == "m" else "la"

    def join(self, preposition: str, article: str) -> str:
        if preposition in ("de", "à") and article in ("le", "les"):
            return {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au",
                    ("à", "les"): "aux"}[(preposition, article)]
        if preposition == "en" and article:  # "en" takes no article: "au"/"dans le" instead
            raise KeyError(preposition)
        return super().join(preposition, article)

    def determiner(self, preposition: str, kind: str, gender: str | None, number: str | None,
                   following: str) -> str:
        if kind == NONE and preposition == "de" and _VOWEL_START.match(following):
            return "d'"
        return super().determiner(preposition, kind, gender, number, following)


class Italian(Language):
    code = "it"
    prepositions = ("di", "a", "da", "in", "su", "per", "con")
    elides = True
    _MERGED: ClassVar[dict[str, str]] = {"di": "de", "a": "a", "da": "da", "in": "ne", "su": "su"}

    def article(self, kind: str, gender: str, number: str, following: str) -> str:
        vowel, impure = bool(_VOWEL_START.match(following)), bool(_IMPURE_S.match(following))
        if kind == INDEFINITE:
            if number == "pl":
                raise KeyError(number)
            if gender == "f":
                return "un'" if vowel else "una"
            return "uno" if impure else "un"
        if number == "pl":
            if gender == "f":
                return "le"
            return "gli" if vowel or impure else "i"
        if vowel:
            return "l'"
        if gender == "f":
            return "la"
        return "lo" if impure else "il"

    def join(self, preposition: str, article: str) -> str:
        if preposition not in self._MERGED or not article or article.startswith("un"):
            return super().join(preposition, article)
        stem = self._MERGED[preposition]
        if article == "il":
            return stem + "l"
        if article == "i":
            return stem + "i"
        if article.startswith("l"):
            return stem + "l" + article  # dello, della, dell', delle
        return stem + article  # degli, agli, negli


LANGUAGES: dict[str, Language] = {cls.code: cls() for cls in
                                  (Portuguese, Spanish, French, Italian)}
_READINGS: dict[str, dict[str, Determiner]] = {}


@lru_cache(maxsize=256)
def _code(language: str) -> str:
    """`base_language`, asked for the same few codes by each term of every segment."""
    return base_language(language)


def language_rules(language: str) -> Language | None:
    return LANGUAGES.get(_code(language))


def readings(language: str) -> dict[str, Determiner]:
    code = _code(language)
    if code not in _READINGS:
        rules = LANGUAGES.get(code)
        _READINGS[code] = rules.readings() if rules else {}
    return _READINGS[code]


def _word_before(text: str, end: int) -> tuple[int, str, bool] | None:
    """The word, with an apostrophe it ends in, before `text[:end]`'s trailing white space:
    (where it starts, the word, whether no space follows it), or None where there is none.
    What the pattern `(\\w+['’]?)(\\s*)$` finds in `text[:end]` (`\\s` is `str.isspace`, `\\w`
    `str.isalnum` or "_"), read backwards from `end`: a search from the start of the text
    costs the whole text each time."""
    stop = end
    while stop and text[stop - 1].isspace():
        stop -= 1
    word_end = stop
    if stop and text[stop - 1] in "'’":
        stop -= 1
    begin = stop
    while begin and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
        begin -= 1
    if begin == stop:
        return None
    return begin, text[begin:word_end], word_end == end


@lru_cache(maxsize=1024)  # `agree` and the QA of a term's agreement ask twice for each
def find_determiner(text: str, start: int, language: str) -> Found | None:
    """The determiner (one or two words) that ends right before `text[start:]`, if any."""
    table = readings(language)
    rules = language_rules(language)
    if not table or rules is None:
        return None
    best = None
    position = start
    words: list[tuple[int, str]] = []
    for _ in range(2):
        before = _word_before(text, position)
        if before is None:
            break
        word_start, word, glued = before
        if glued and not (words or word.endswith(("'", "’"))):
            break  # the term is glued to a word that is no elided article
        if not glued and not words and word.endswith(("'", "’")):
            break
        words.insert(0, (word_start, word))
        position = word_start
        surface = " ".join(word for _, word in words).replace("’", "'")
        reading = table.get(surface.lower())
        if reading is not None:
            best = Found(words[0][0], start, text[words[0][0]:start], reading,
                         ambiguous=surface.lower() in rules.ambiguous)
    return best


CERTAIN = "certain"
LIKELY = "likely"
_WORD_AND_SPACE_BEFORE = re.compile(r"(\w+)[ \u00a0]+$")
_AFTER_QUOTATION = re.compile(r"[\"”»]\s*,\s*$")  # '"…", KCNA citou': a clause opens


def article_missing(text: str, start: int, language: str) -> str | None:
    """For a term at `text[start:]` with no determiner before it, inside a sentence: CERTAIN
    where a term that takes an article must have it there (after a reporting verb, "disse
    KCNA"; opening the clause after a quotation), LIKELY where it most likely lacks it ("com
    KCNA"), None where no article may be right ("a agência estatal KCNA", "(KCNA)")."""
    rules = language_rules(language)
    if rules is None:
        return None
    if _AFTER_QUOTATION.search(text, 0, start):
        return CERTAIN
    match = _WORD_AND_SPACE_BEFORE.search(text, 0, start)
    if match is None:
        return None
    word = match.group(1).lower()
    if word in rules.article_certain_after:
        return CERTAIN
    return LIKELY if word in rules.article_likely_after else None


def opens_sentence(text: str, position: int) -> bool:
    """Only opening punctuation stands between the start of `text` and `position`."""
    return not text[:position].strip("\"'“‘«„¿¡([ \u00a0")


def agree(text: str, start: int, end: int, language: str, *, gender: str | None,
          number: str | None, article: bool | None, headline: bool = False) -> str:
    """`text` with the determiner in front of the term at [start, end) made to agree.

    Only the determiner changes: a wrong gender or number is corrected, an article before a
    term that takes none is dropped (the preposition stays: "no Pyongyang" → "em Pyongyang"),
    a bare preposition before a term that takes an article merges with it ("de Coreia" →
    "da Coreia"), and a sentence that opens with such a term gets its article back unless it
    is a headline, as does one where the article is certain (`article_missing`: "disse
    KCNA" → "disse a KCNA"). The word that opens the sentence keeps a capital.
    """
    rules = language_rules(language)
    if rules is None or (gender is None and number is None and article is None):
        return text
    term = text[start:end]
    found = find_determiner(text, start, language)
    replacement: str | None = None
    if found is None:
        if article and not headline and gender and (
                opens_sentence(text, start) or article_missing(text, start, language) == CERTAIN):
            replacement = rules.determiner("", DEFINITE, gender, number or "sg", term)
            found = Found(start, start, "", Determiner("", NONE))
    else:
        replacement = _agreeing(found, rules, term, gender, number, article,
                                opens_sentence(text, found.start))
    if found is None or replacement is None:
        return text
    original = found.text.rstrip()
    if replacement.lower() == original.lower():
        return text
    if original[:1].isupper() or opens_sentence(text, found.start):
        replacement = replacement[:1].upper() + replacement[1:]
    separator = "" if replacement.endswith(("'", "’")) or not replacement else " "
    before, after = text[:found.start], text[start:]
    if not replacement and opens_sentence(text, found.start):
        after = after[:1].upper() + after[1:]
    return before + replacement + separator + after


def _agreeing(found: Found, rules: Language, term: str, gender: str | None,
              number: str | None, article: bool | None, sentence_start: bool) -> str | None:
    """The determiner `found` should be, or None to leave it."""
    current = found.determiner
    if current.article == NONE:
        if article and current.preposition in ("de", "em", "por", "di", "in", "su", "da") \
                and gender:
            return rules.determiner(current.preposition, DEFINITE, gender, number or "sg", term)
        return None
    if current.article == DEFINITE and article is False:
        if found.ambiguous and not sentence_start:
            return None  # pt "a Kim": the preposition, most likely
        return current.preposition
    if found.ambiguous and not sentence_start and current.article == DEFINITE:
        return None  # "a" before a masculine term may be the preposition "a"
    wanted_gender = gender or current.gender
    wanted_number = number or current.number
    if (wanted_gender, wanted_number) == (current.gender, current.number) and not rules.elides:
        return None
    try:
        return rules.determiner(current.preposition, current.article, wanted_gender,
                                wanted_number, term)
    except KeyError:
        return None


# A participle right after the term and a copula agrees with it: "A RPDC é proibida".
_COPULAS = {
    "pt": ({"é", "está", "foi", "era", "será", "estava", "ficou"},
           {"são", "estão", "foram", "eram", "serão", "estavam", "ficaram"}),
    "es": ({"es", "está", "fue", "era", "será", "estaba"},
           {"son", "están", "fueron", "eran", "serán", "estaban"}),
}
_PREDICATE = re.compile(r"(\s+(\w+)\s+(?:\w+\s+)?)(\w+?[ai]d)([oa]s?)\b")
_SUBJECT_BEFORE = re.compile(r"(?:^|[,;:]|\bque|\bqual|\bquien)\s*$", re.IGNORECASE)


def agree_predicate(text: str, start: int, end: int, language: str, *, gender: str | None,
                    number: str | None) -> str:
    """Where the term at [start, end) is the subject of a copula, the participle after it
    agrees with it ("O RPDC é proibido" → "A RPDC é proibida"); nothing else is touched."""
    copulas = _COPULAS.get(_code(language))
    if copulas is None or gender not in ("m", "f"):
        return text
    match = _PREDICATE.match(text, end)
    if match is None:
        return text
    singular, plural = copulas
    verb = match.group(2).lower()
    if verb not in singular | plural or (number == "pl") != (verb in plural):
        return text
    found = find_determiner(text, start, language)
    subject_start = found.start if found else start
    if not (opens_sentence(text, subject_start)
            or _SUBJECT_BEFORE.search(text, 0, subject_start)):
        return text
    ending = ("o" if gender == "m" else "a") + ("s" if verb in plural else "")
    return text[:match.start(4)] + ending + text[match.end(4):]


def describe(gender: str | None, number: str | None, article: bool | None) -> str:
    """"feminine singular, takes an article", for messages."""
    words = [{"m": "masculine", "f": "feminine", "n": "neuter"}.get(gender or "", ""),
             {"sg": "singular", "pl": "plural"}.get(number or "", "")]
    words = [" ".join(word for word in words if word)]
    if article is not None:
        words.append("takes an article" if article else "takes no article")
    return ", ".join(word for word in words if word)


def disagreements(text: str, spans: list[tuple[int, int]], language: str, *,
                  gender: str | None, number: str | None, article: bool | None,
                  headline: bool = False) -> list[str]:
    """One message per span of a term in `text` whose determiner (or participle) does not
    agree with the term: what is written and what agreement asks for."""
    messages = []
    for start, end in spans:
        fixed = agree_predicate(text, start, end, language, gender=gender, number=number)
        fixed = agree(fixed, start, end, language, gender=gender, number=number,
                      article=article, headline=headline)
        if fixed == text:
            messages += _likely_missing(text, start, end, language, gender=gender,
                                        number=number, article=article, headline=headline)
            continue
        shift = len(fixed) - len(text)
        context_start = max(text.rfind(" ", 0, max(start - 1, 0)) + 1, 0)
        written = text[context_start:end]
        wanted = fixed[context_start:end + shift].lstrip()
        if fixed[end + shift:] != text[end:]:  # the participle after the term changed
            tail = re.match(r"\S*\s+\S+\s+\S+", text[end:])
            tail_fixed = re.match(r"\S*\s+\S+\s+\S+", fixed[end + shift:])
            if tail and tail_fixed:
                written += tail.group()
                wanted += tail_fixed.group()
        messages.append(f"{written.strip()!r} should read {wanted.strip()!r} "
                        f"({text[start:end]}: {describe(gender, number, article)})")
    return messages

def _likely_missing(text: str, start: int, end: int, language: str, *, gender: str | None,
                    number: str | None, article: bool | None, headline: bool) -> list[str]:
    """The message for a term that takes an article and most likely lacks it ("com KCNA"),
    or certainly lacks it but of a gender not known, which `agree` leaves as it is."""
    rules = language_rules(language)
    if (not article or headline or rules is None or find_determiner(text, start, language)
            or not (opens_sentence(text, start) or article_missing(text, start, language))):
        return []
    context_start = max(text.rfind(" ", 0, max(start - 1, 0)) + 1, 0)
    written = text[context_start:end].strip()
    wanted = ""
    if gender:
        the = rules.determiner("", DEFINITE, gender, number or "sg", text[start:end])
        wanted = f": {text[context_start:start] + the + ' ' + text[start:end]!r}?"
    return [f"{written!r} may lack its article{wanted} ({text[start:end]}: "
            f"{describe(gender, number, article)})"]


# Reading gender and article use off the engine -----------------------------------------------

@dataclass(frozen=True)
class Grammar:
    """Gender, number and article use of a rendering, where known."""

    gender: str | None = None
    number: str | None = None
    article: bool | None = None

    @property
    def known(self) -> bool:
        return self != Grammar()


# English carrier sentences: each puts the term after a different preposition, or first. A
# filler name that engines copy unchanged shows what the frame itself becomes.
CARRIERS = {"en": ("{term} said on Monday.", "According to {term}, the talks failed.",
                   "The statement from {term} was brief.",
                   "Officials spoke about {term} on Monday.", "The plan was approved by {term}.")}
FILLER = "Okonkwo"
MIN_AGREEING = 4  # of the five carriers, for the article use to count as known


class Translator(Protocol):
    """What probing needs of an engine (engines.base.Engine fits)."""

    def translate(self, texts: list[str], source: str, target: str) -> list[str]: ...


def carrier_texts(term: str, source: str) -> list[str]:
    return [frame.format(term=term) for frame in CARRIERS.get(base_language(source), ())]


def probe(engine: Translator, terms: dict[str, str], source: str,
          target: str) -> dict[str, Grammar]:
    """Gender, number and article use of each term's rendering, as the engine itself writes
    them: each term (a key of `terms`, its pinned rendering the value) goes into the carrier
    sentences, all in one batched call, and the determiner in front of the rendering is read
    off. A carrier where the engine left a term untranslated that the glossary translates
    ("Kim Il Sung Square" → "Praça Kim Il-sung") says nothing. Article use counts as known
    when at least MIN_AGREEING carriers agree; gender and number when every article read
    agrees."""
    frames = CARRIERS.get(base_language(source))
    if not frames or language_rules(target) is None or not terms:
        return {term: Grammar() for term in terms}
    texts = carrier_texts(FILLER, source)
    for term in terms:
        texts += carrier_texts(term, source)
    translations = engine.translate(texts, base_language(source), base_language(target))
    fillers, rest = translations[:len(frames)], translations[len(frames):]
    found = {}
    for index, term in enumerate(terms):
        outputs = rest[index * len(frames):(index + 1) * len(frames)]
        copied_means_nothing = not looks_alike(terms[term], term)
        readings_seen = [False if copied_means_nothing and term in output
                         else _determiner_read(filler, output, target)
                         for filler, output in zip(fillers, outputs)]
        found[term] = _vote([r for r in readings_seen if r is not False])
    return found


def _determiner_read(filler: str, output: str, target: str) -> Determiner | bool | None:
    """The determiner in front of the term in `output`, None when there is none, False when
    the carrier cannot be read (the engine rephrased it)."""
    filler_words, words = filler.split(), output.split()
    prefix = 0
    while (prefix < min(len(filler_words), len(words))
           and filler_words[prefix] == words[prefix]):
        prefix += 1
    if prefix == len(filler_words) or not any(FILLER in w for w in filler_words[prefix:]):
        return False
    table = readings(target)
    middle = [word.lower() for word in words[prefix:prefix + 2]]
    for size in (2, 1):
        if len(middle) >= size and " ".join(middle[:size]) in table:
            reading = table[" ".join(middle[:size])]
            return reading if reading.article == DEFINITE else None
    return None


def _vote(seen: list[Determiner | None]) -> Grammar:
    if len(seen) < MIN_AGREEING:
        return Grammar()
    with_article = [reading for reading in seen if reading is not None]
    article: bool | None = None
    if len(with_article) >= MIN_AGREEING:
        article = True
    elif len(seen) - len(with_article) >= MIN_AGREEING:
        article = False
    genders = {reading.gender for reading in with_article}
    numbers = {reading.number for reading in with_article}
    return Grammar(gender=genders.pop() if len(genders) == 1 else None,
                   number=numbers.pop() if len(numbers) == 1 else None, article=article)


def looks_alike(rendering: str, term: str, threshold: float = 0.6) -> bool:
    """Every word of `rendering` is close to some word of `term`: a transliteration
    ("Serguei Shoigu" of "Sergei Shoigu"), not a translation ("Praça Kim Il-sung")."""
    term_words = [word.casefold() for word in re.findall(r"\w+", term)]
    return all(any(SequenceMatcher(None, word.casefold(), other).ratio() >= threshold
                   for other in term_words)
               for word in re.findall(r"\w+", rendering))
