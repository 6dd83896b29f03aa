"""One small hierarchy of errors; only the CLI turns them into a message and an exit code."""

from __future__ import annotations

from os import PathLike, fsdecode


def display_path(path: str | bytes | PathLike[str]) -> str:
    """A path as one line of text: as it is when every character is printable, else as a
    Python string literal (`'a\\nb.txt'`), so a newline in a file name cannot split one line of
    output or of an error in two, and undecodable bytes show as escapes instead of failing."""
    text = fsdecode(path)
    return text if text.isprintable() else repr(text)


class GlossatorError(Exception):
    """Base error: a message, and where it happened (file and, when known, line)."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | PathLike[str] | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = display_path(self.path) if self.path else ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class UsageError(GlossatorError):
    """Arguments that do not fit together (argparse reports the rest)."""

    exit_code = 2


class InputError(GlossatorError):
    """An article (or other input file) that cannot be read as asked."""

    exit_code = 3


class LanguageError(GlossatorError):
    """An unknown language code, or a pair that makes no sense."""

    exit_code = 3


class GlossaryError(GlossatorError):
    """A glossary file that is malformed."""

    exit_code = 4


class EngineError(GlossatorError):
    """No engine for a pair, a broken model, a failed model install."""

    exit_code = 5


class FormatError(GlossatorError):
    """A PO/TMX/XLIFF/... file that is malformed, or an output that cannot be written."""

    exit_code = 6
