"""Glossaries: human-edited CSV files that pin how names and terms are rendered per language.

The data model lives here; reading and linting CSV files is in `glossary_csv.py`, TBX in
`glossary_tbx.py`, and finding terms in text in `terms.py`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Concept:
    """One row of a glossary: the source spellings of a name or term and its pinned renderings."""

    variants: tuple[str, ...]  # source spellings, first is the concept's name
    renderings: dict[str, tuple[str, ...]]  # language → (pinned form, accepted forms...)
    note: str = ""
    keep: bool = False  # do-not-translate: the source form is kept in every language
    ignore_case: bool = False  # match regardless of case (names and acronyms match exactly)
    path: str = ""
    line: int = 0

    @property
    def name(self) -> str:
        return self.variants[0]

    def rendering(self, language: str) -> tuple[str, ...] | None:
        """Pinned form then accepted forms for `language`; None where the glossary has no pin.

        A do-not-translate concept keeps the matched source spelling, so callers pass it on.
        """
        forms = self.renderings.get(language) or self.renderings.get(language.split("_")[0])
        if forms:
            return forms
        if self.keep:
            return self.variants
        return None


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


def digest_of(chunks: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(hashlib.sha256(chunk).digest())
    return hasher.hexdigest()
