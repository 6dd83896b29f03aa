"""The interface every engine fills in: list the pairs it can do, translate a batch."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from glossator.errors import EngineError


class Engine(ABC):
    """Translate batches of sentences for a language pair.

    Public methods check their arguments and hand non-empty work to one private hook per engine.
    """

    name: ClassVar[str] = ""

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language codes this engine can translate, pivots included."""

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs()

    def model_id(self, source: str, target: str) -> str:
        """Which model(s) translate this pair, with versions: goes into every output's signature."""
        return self.name

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate every text; the result has one string per input, in order."""
        return [hyps[0] for hyps in self.hypotheses(texts, source, target, 1)]

    def hypotheses(self, texts: Sequence[str], source: str, target: str,
                   count: int) -> list[list[str]]:
        """Up to `count` alternative translations per text, best first (at least one each)."""
        if not self.supports(source, target):
            raise EngineError(f"engine {self.name!r} cannot translate {source} → {target}")
        if count < 1:
            raise ValueError("count must be at least 1")
        texts = list(texts)
        results: list[list[str]] = [[""] for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if todo:
            translated = self._hypotheses([texts[i] for i in todo], source, target, count)
            if len(translated) != len(todo):
                raise EngineError(f"engine {self.name!r} returned {len(translated)} results "
                                  f"for {len(todo)} inputs")
            for i, hyps in zip(todo, translated):
                results[i] = hyps or [""]
        return results

    @abstractmethod
    def _hypotheses(self, texts: list[str], source: str, target: str,
                    count: int) -> list[list[str]]:
        """The engine's own hook: texts are non-empty; return up to `count` strings per text."""
