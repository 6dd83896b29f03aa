"""Offline language identification for `source=auto` and `/detect`: py3langid, whose model
ships in its wheel (5 MB). `benchmarks/detect_compare.py` measured it against langdetect and
lingua on the project's articles and their Portuguese translations: as accurate, 30-50 times
faster, and restricted to the languages the installed engines translate from, right on every
sentence."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from glossator.errors import EngineError

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Guess:
    language: str
    confidence: float  # 0-100, as LibreTranslate reports it


class Detector:
    """Identify the language of a text among `languages` (all py3langid knows when empty)."""

    def __init__(self, languages: Iterable[str] = ()) -> None:
        try:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier
        except ImportError as error:
            raise EngineError(f"language detection needs py3langid: {error}") from None
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        known = set(self._identifier.labels)
        wanted = sorted(code for code in set(languages) if code in known)
        if wanted:
            self._identifier.set_languages(wanted)
        self.languages = tuple(wanted) or tuple(sorted(known))

    def rank(self, text: str, count: int = 3) -> list[Guess]:
        """The `count` likeliest languages of `text`, best first."""
        with _LOCK:  # the identifier keeps scratch arrays between calls
            ranked = self._identifier.rank(text)[:count]
        return [Guess(code, round(float(p) * 100, 1)) for code, p in ranked]

    def detect(self, text: str) -> Guess:
        return self.rank(text, 1)[0]
