"""One small hierarchy of errors, and the table of the exit codes they stand for; only the
CLI turns an error into a message and an exit code."""

from __future__ import annotations

from os import PathLike, fsdecode

# The exit codes of the `glossator` command: every error class, every verb and the command's
# --help take them from here.
EXIT_DONE = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_GLOSSARY = 4
EXIT_ENGINE = 5
EXIT_OUTPUT = 6
EXIT_INTERRUPTED = 130

EXIT_CODES: dict[int, str] = {
    EXIT_DONE: "done",
    EXIT_FINDINGS: "QA findings with --strict (import --strict: units not applied; "
                   "build --require-reviewed: segments not reviewed)",
    EXIT_USAGE: "bad usage",
    EXIT_INPUT: "bad article, input file or language",
    EXIT_GLOSSARY: "bad glossary",
    EXIT_ENGINE: "engine or model problem",
    EXIT_OUTPUT: "output or format problem",
    EXIT_INTERRUPTED: "interrupted",
}


def exit_codes_text() -> str:
    """The exit-code table as one line of text: "0 done; 1 QA findings ...; ..."."""
    return "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items())


def display_path(path: str | bytes | PathLike[str]) -> str:
    """A path as one line of text: as it is when every character is printable, else as a
    Python string literal (`'a\\nb.txt'`), so a newline in a file name cannot split one line of
    output or of an error in two, and undecodable bytes show as escapes instead of failing."""
    text = fsdecode(path)
    return text if text.isprintable() else repr(text)


class GlossatorError(Exception):
    """Base error: a message, and where it happened (file and, when known, line)."""

    exit_code = EXIT_FINDINGS

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

    exit_code = EXIT_USAGE


class InputError(GlossatorError):
    """An article (or other input file) that cannot be read as asked."""

    exit_code = EXIT_INPUT


class LanguageError(GlossatorError):
    """An unknown language code, or a pair that makes no sense."""

    exit_code = EXIT_INPUT


class GlossaryError(GlossatorError):
    """A glossary file that is malformed."""

    exit_code = EXIT_GLOSSARY


class EngineError(GlossatorError):
    """No engine for a pair, a broken model, a failed model install."""

    exit_code = EXIT_ENGINE


class FormatError(GlossatorError):
    """A PO/TMX/XLIFF/... file that is malformed, or an output that cannot be written."""

    exit_code = EXIT_OUTPUT
