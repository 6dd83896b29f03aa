"""Progress of a translate run on stderr: a tqdm bar on a terminal, plain periodic lines
elsewhere (a log file, a CI job), nothing with --quiet.

Per target language: articles done of those to translate, segments done, segments per second
and the time left, reckoned from the articles' pace. Messages printed while a bar is shown go
above it, so the bar is never torn.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

PLAIN_EVERY_S = 10.0  # a plain line at most this often (and one when a language ends)


class Progress:
    """Silent progress: the interface, and what --quiet and library callers get."""

    def begin(self, label: str, articles: int) -> None:
        """Start counting one language's `articles`."""

    def update(self, articles: int = 0, segments: int = 0) -> None:
        """Count articles finished and their segments."""

    def end(self) -> None:
        """The language is done."""

    def message(self, text: str) -> None:
        """A line for the user, printed so that it does not break a bar."""


class _Counter(Progress):
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.label = ""
        self.total = self.articles = self.segments = 0
        self.started = time.monotonic()

    def begin(self, label: str, articles: int) -> None:
        self.label, self.total = label, articles
        self.articles = self.segments = 0
        self.started = time.monotonic()

    def update(self, articles: int = 0, segments: int = 0) -> None:
        self.articles += articles
        self.segments += segments

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.segments / elapsed if elapsed > 0 else 0.0

    def eta(self) -> str:
        elapsed = time.monotonic() - self.started
        if not self.articles or self.articles >= self.total:
            return "--:--"
        left = elapsed / self.articles * (self.total - self.articles)
        minutes, seconds = divmod(int(left), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class PlainProgress(_Counter):
    """A line every `every` seconds and one at the end of each language."""

    def __init__(self, stream: TextIO, every: float = PLAIN_EVERY_S) -> None:
        super().__init__(stream)
        self.every = every
        self.last = 0.0

    def begin(self, label: str, articles: int) -> None:
        super().begin(label, articles)
        self.last = time.monotonic()

    def update(self, articles: int = 0, segments: int = 0) -> None:
        super().update(articles, segments)
        if time.monotonic() - self.last >= self.every:
            self._line()

    def end(self) -> None:
        self._line()

    def _line(self) -> None:
        self.last = time.monotonic()
        self.message(f"progress {self.label}: {self.articles}/{self.total} articles, "
                     f"{self.segments} segments, {self.rate():.1f} segments/s, "
                     f"ETA {self.eta()}")


class BarProgress(_Counter):
    """A tqdm bar per language."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.bar = None

    def begin(self, label: str, articles: int) -> None:
        from tqdm import tqdm

        super().begin(label, articles)
        self.bar = tqdm(total=articles, desc=label, unit="article", file=self.stream,
                        dynamic_ncols=True, leave=True)

    def update(self, articles: int = 0, segments: int = 0) -> None:
        super().update(articles, segments)
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.segments} segments, {self.rate():.1f} seg/s",
                                     refresh=False)
            self.bar.update(articles)

    def end(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def message(self, text: str) -> None:
        if self.bar is None:
            super().message(text)
        else:
            from tqdm import tqdm

            tqdm.write(text, file=self.stream)


def make_progress(*, quiet: bool = False, stream: TextIO | None = None) -> Progress:
    """The progress a command line run shows on `stream` (stderr by default)."""
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    if stream.isatty() and _columns(stream) > 0:
        return BarProgress(stream)
    return PlainProgress(stream)


def _columns(stream: TextIO) -> int:
    """The terminal's width; 0 where it has none (a pty nobody sized), where a bar shows
    nothing at all."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return 0
