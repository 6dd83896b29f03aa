"""The glossary data model: concepts, their renderings per language, and each rendering's form.

Readers (`csv.py`, `tbx.py`) build these; the matcher and the pinning layer read them. Nothing
here touches a file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

PREFERRED = "preferred"  # what pinning writes
ADMITTED = "admitted"  # another spelling: accepted in a reviewed text, normalised in MT output
DEPRECATED = "deprecated"  # a spelling to avoid: replaced in MT output, flagged by QA
INFLECTED = "inflected"  # a case form of the preferred rendering: kept as the engine wrote it
STATUSES = (PREFERRED, ADMITTED, DEPRECATED, INFLECTED)

GENDERS = {"m": "masculine", "f": "feminine", "n": "neuter"}
NUMBERS = {"sg": "singular", "pl": "plural"}
# Words of a form's `{...}` annotation; "no article" may be written with a space or a hyphen.
_WORDS = {
    **{key: ("gender", key) for key in GENDERS}, **{name: ("gender", key)
                                                    for key, name in GENDERS.items()},
    **{key: ("number", key) for key in NUMBERS}, **{name: ("number", key)
                                                    for key, name in NUMBERS.items()},
    "article": ("article", True), "no-article": ("article", False),
    "noarticle": ("article", False),
    **{status: ("status", status) for status in (ADMITTED, DEPRECATED, INFLECTED)},
}
ANNOTATION = re.compile(r"\s*\{([^{}]*)\}\s*$")


class AnnotationError(ValueError):
    """A `{...}` annotation with a word glossator does not know."""


@dataclass(frozen=True, slots=True)
class Form:
    """One rendering of a concept in one language, with what the glossary says about it.

    `gender` is "m", "f" or "n"; `number` "sg" or "pl"; `article` whether the language's news
    style puts an article before it (pt "a Coreia do Norte" yes, "Pyongyang" no). None: unknown.
    """

    text: str
    status: str = PREFERRED
    gender: str | None = None
    number: str | None = None
    article: bool | None = None

    @property
    def has_grammar(self) -> bool:
        return (self.gender, self.number, self.article) != (None, None, None)

    def annotation(self) -> str:
        """The `{...}` words that describe this form beyond its text ("" when none)."""
        words = []
        if self.status not in (PREFERRED, ADMITTED):
            words.append(self.status)
        if self.gender:
            words.append(self.gender)
        if self.number:
            words.append(self.number)
        if self.article is not None:
            words.append("article" if self.article else "no article")
        return "{" + ", ".join(words) + "}" if words else ""

    def written(self) -> str:
        """The form as a glossary cell writes it: text, then its annotation."""
        note = self.annotation()
        return f"{self.text} {note}" if note else self.text


def parse_form(entry: str, position: int) -> Form:
    """A cell entry ("Coreia do Norte {f}") as a Form; the first entry of a cell is preferred.

    Raises AnnotationError for an unknown word in the braces.
    """
    if "{" not in entry:  # the common case, kept cheap for large glossaries
        return Form(entry.strip(), PREFERRED if position == 0 else ADMITTED)
    match = ANNOTATION.search(entry)
    text = entry[:match.start()].strip() if match else entry.strip()
    values: dict[str, object] = {"status": PREFERRED if position == 0 else ADMITTED}
    if match:
        words = re.split(r"[\s,;]+", match.group(1).strip().lower())
        words = [word for word in words if word]
        index = 0
        while index < len(words):
            word = words[index]
            if word == "no" and index + 1 < len(words) and words[index + 1] == "article":
                word, index = "no-article", index + 1
            if word not in _WORDS:
                known = "m, f, n, sg, pl, article, no article, admitted, deprecated, inflected"
                raise AnnotationError(f"unknown word {word!r} in {{{match.group(1)}}} "
                                      f"(known: {known})")
            key, value = _WORDS[word]
            if key == "status" and position == 0:
                raise AnnotationError(f"the first form is the pinned one; it cannot be {value}")
            values[key] = value
            index += 1
    return Form(text=text, **values)  # type: ignore[arg-type]


def as_forms(entries: tuple[str | Form, ...]) -> tuple[Form, ...]:
    """Forms from plain strings (first preferred, the rest admitted) or Forms as they are."""
    return tuple(entry if isinstance(entry, Form)
                 else Form(entry, PREFERRED if index == 0 else ADMITTED)
                 for index, entry in enumerate(entries))


@dataclass(frozen=True)
class Concept:
    """One row of a glossary: the source spellings of a name or term and its pinned renderings.

    `renderings` maps a language to its forms, the pinned (preferred) one first. A form with
    nothing to say beyond its text may be a plain string (preferred first, then admitted):
    a large glossary is mostly such forms, and strings keep it small in memory. Read them
    through `forms()`.
    """

    variants: tuple[str, ...]  # source spellings, first is the concept's name
    renderings: dict[str, tuple[str | Form, ...]]
    note: str = ""
    keep: bool = False  # do-not-translate: the source form is kept in every language
    ignore_case: bool = False  # match regardless of case (names and acronyms match exactly)
    path: str = ""
    line: int = 0

    @property
    def name(self) -> str:
        return self.variants[0]

    def forms(self, language: str) -> tuple[Form, ...]:
        """The forms for `language` (regional code, else its base language), preferred first;
        empty where the glossary pins nothing. A do-not-translate concept gives its source
        spellings, so callers keep the spelling they matched."""
        forms = self.renderings.get(language) or self.renderings.get(language.split("_")[0])
        if forms:
            return as_forms(forms)
        if self.keep:
            return as_forms(self.variants)
        return ()

    def rendering(self, language: str) -> tuple[str, ...] | None:
        """Texts of the forms for `language`, pinned first; None where nothing is pinned."""
        forms = self.renderings.get(language) or self.renderings.get(language.split("_")[0])
        if forms:
            return tuple(form if isinstance(form, str) else form.text for form in forms)
        return self.variants if self.keep else None

    def grammar(self, language: str) -> Form | None:
        """The preferred form for `language`, where the glossary says anything of its grammar."""
        forms = self.forms(language)
        return forms[0] if forms and forms[0].has_grammar else None


def with_grammar(form: Form, other: Form | None) -> Form:
    """`form` with the gender, number and article use it lacks taken from `other`."""
    if other is None:
        return form
    return replace(form, gender=form.gender or other.gender,
                   number=form.number or other.number,
                   article=form.article if form.article is not None else other.article)


@dataclass
class Glossary:
    source_lang: str
    concepts: list[Concept] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)  # target languages with a column
    sources: list[str] = field(default_factory=list)  # files read, for messages
    digest: str = ""  # sha256 of the files' bytes, for the run signature

    def __len__(self) -> int:
        return len(self.concepts)

    def signature(self) -> str:
        if not self.concepts:
            return "none"
        return f"{len(self.concepts)} concepts sha256:{self.digest[:12]}"


def glossary_digest(file_digests: Iterable[bytes]) -> str:
    """What `Glossary.digest` holds: sha256 over the sha256 digest of each file's bytes, in the
    order the files were read. Every reader computes it here, since a run's signature and
    resume fingerprint carry it: two ways of computing it that disagree would re-translate (or
    wrongly keep) every article."""
    outer = hashlib.sha256()
    for file_digest in file_digests:
        outer.update(file_digest)
    return outer.hexdigest()


def digest_of(contents: Iterable[bytes]) -> str:
    """`glossary_digest` of files whose bytes are in memory, `contents` one item a file."""
    return glossary_digest(hashlib.sha256(data).digest() for data in contents)
