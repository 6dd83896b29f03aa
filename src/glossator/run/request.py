"""What a translate run is asked to do, and what it answers: one request that the CLI, the
benchmarks and a newsroom's own code build alike, checked once when it is made, and the result.

    from glossator import TranslateRequest, run_translate

    result = run_translate(TranslateRequest(["archive/"], ["pt", "de"], out=Path("locale")))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossator.errors import GlossatorError, LanguageError, UsageError
from glossator.formats import DEFAULT_FORMATS, Format, get_format
from glossator.languages import base_language, display_name, parse_language
from glossator.run.context import DEFAULT_CHUNK_SEGMENTS
from glossator.run.discovery import DEFAULT_GLOB
from glossator.terms.pinning import TermReport


@dataclass(frozen=True)
class TranslateRequest:
    """A run: which articles, into which languages, with what, written where.

    `articles` are files, folders (every `glob` file below them) and glob patterns;
    `files_from` names a list of more, one a line ("-": standard input). `glossary_paths`
    None loads what the default rule finds (`./glossaries/`, `$GLOSSATOR_GLOSSARIES`, the user
    data folder); an empty sequence loads none. `formats` are format names or objects; none
    given, the default ones. `force` translates machine text again even where nothing changed
    (a person's text is kept all the same); `keep_going` reports an unreadable article and
    goes on. Language codes are checked, repeats dropped (`target_codes`).
    """

    articles: Sequence[str | Path]
    targets: Sequence[str]
    source: str = "en"
    engine_name: str = "auto"
    out: Path = Path("locale")
    formats: Sequence[str | Format] = ()
    beam_size: int = 4
    glossary_paths: Sequence[str | Path] | None = None
    always_mask: bool = False
    glob: str = DEFAULT_GLOB
    files_from: str | Path | None = None
    force: bool = False
    keep_going: bool = False
    cluster: str | None = None  # None: in this process; "ray" or "ray://HOST:PORT"
    device: str | None = None  # "auto", "cpu" or "cuda"; None: the engine's default
    compute_type: str | None = None  # CTranslate2's; None: the engine's default
    chunk_segments: int = DEFAULT_CHUNK_SEGMENTS
    target_codes: tuple[str, ...] = field(init=False)  # `targets` parsed, no repeats

    def __post_init__(self) -> None:
        for name in ("beam_size", "chunk_segments"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                what = name.replace("_segments", " size").replace("_", " ")
                raise UsageError(f"{what} must be a whole number, at least 1, not {value!r}")
        if not self.targets:
            raise UsageError("no target language given")
        if self.cluster is not None:
            from glossator.run.cluster import check_address

            check_address(self.cluster)
        source = parse_language(self.source)
        codes = tuple(dict.fromkeys(parse_language(code) for code in self.targets))
        for code in codes:
            if base_language(code) == base_language(source):
                raise LanguageError(f"target language {display_name(code)} is the source "
                                    "language")
        formats = tuple(get_format(fmt) if isinstance(fmt, str) else fmt
                        for fmt in self.formats or DEFAULT_FORMATS)
        self._set(source=source, target_codes=codes, formats=formats, out=Path(self.out),
                  articles=tuple(self.articles), targets=tuple(self.targets),
                  glossary_paths=None if self.glossary_paths is None
                  else tuple(self.glossary_paths))

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)


@dataclass
class RunResult:
    paths: list[Path]  # the files written, in order
    term_reports: list[TermReport]  # one per target language, over the articles translated
    qa_findings: int
    translated: int = 0  # articles × languages written
    skipped: int = 0  # articles × languages up to date, left alone
    failed: list[GlossatorError] = field(default_factory=list)  # with --keep-going

    def summary(self) -> str:
        # counts are of articles × languages; failures, of articles
        noun = "articles" if len(self.term_reports) <= 1 else "articles × languages"
        line = (f"{noun}: {self.translated} translated, {self.skipped} skipped (unchanged), "
                f"{len(self.failed)} failed")
        return line + f"; {self.qa_findings} QA finding(s)"
