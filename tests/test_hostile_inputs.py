"""Hostile inputs from the reliability sweep: one reproducer per defect.

- line-break characters other than LF in an article, which once made a PO glossator could not
  read back (a lock-out of the output folder);
- a FIFO, /dev/zero or a huge file given as an article or glossary (a hang, or memory eaten);
- unreadable files (mode 000) where a PO or a memory is read;
- a memory with an invalid byte;
- an empty PO, or one with a NUL byte, read as zero segments.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from glossator import cli
from glossator.errors import FormatError, GlossaryError, InputError
from glossator.formats.po import read_po
from glossator.formats.tmx import read_memory, write_memory
from glossator.glossary.csv import _Checker
from glossator.glossary.tbx import read_tbx
from glossator.io.reading import MAX_ARTICLE_BYTES, MAX_GLOSSARY_BYTES
from glossator.text.article import read_article
from helpers import REPO, run_cli

# The characters str.splitlines() breaks a line at, besides LF, CR and CRLF.
LINE_BREAKERS = "\u2028\u2029\u0085\u001c\u001d\u001e"
# Long enough for a cold start and a Bergamot run; a hang is what it guards against.
TIMEOUT_S = 120


def glossator(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it, stopped (and the test failed) if it hangs."""
    return run_cli(*args, cwd=cwd or REPO, timeout=TIMEOUT_S)


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, path: Path,
                          message: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"glossator: {path}"), result.stderr
    assert message in result.stderr, result.stderr


def files_under(folder: Path) -> dict[Path, bytes]:
    if not folder.exists():
        return {}
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "short.txt"
    path.write_text("Kim meets Shoigu in Pyongyang\n\nThe talks ended on Thursday. Shoigu flew "
                    "back to Moscow.\n", encoding="utf-8")
    return path


@pytest.fixture
def translated(tmp_path: Path, article: Path) -> Path:
    """An output folder with a PO from a real run; returns the PO's path."""
    out = tmp_path / "out"
    result = glossator("translate", str(article), "--to", "pt", "--out", str(out),
                       "--engine", "bergamot", "--no-glossary", "--quiet")
    assert result.returncode == 0, result.stderr
    return out / "pt" / "short.po"


# 1. Line-break characters other than LF: no lock-out ------------------------------------------


def test_article_with_unicode_line_breaks_can_be_translated_again_and_reviewed(tmp_path: Path):
    article = tmp_path / "breaks.txt"
    article.write_text("Kim meets Shoigu\n\n"
                       + " ".join(f"Talk{char}{number} ended." for number, char
                                  in enumerate(LINE_BREAKERS, start=1)) + "\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    first = glossator("translate", str(article), "--to", "pt", "--out", str(out),
                      "--engine", "bergamot", "--no-glossary", "--quiet")
    assert first.returncode == 0, first.stderr
    po = out / "pt" / "breaks.po"

    sources = "".join(segment.source for segment in read_po(po).segments)
    assert all(char in sources for char in LINE_BREAKERS)
    for verb in ("qa", "review", "build"):
        result = glossator(verb, str(po))
        assert result.returncode == 0, f"{verb}: {result.stderr}"
    again = glossator("translate", str(article), "--to", "pt", "--out", str(out),
                      "--engine", "bergamot", "--no-glossary")
    assert again.returncode == 0, again.stderr
    assert len(read_po(po).segments) == len(LINE_BREAKERS) + 1


def test_po_line_check_splits_lines_as_polib_does(tmp_path: Path, translated: Path):
    """A raw U+2028 inside a msgstr is no line break; a CR (lone or in CRLF) is one, for polib
    and for the check alike, so the check points at the line polib would."""
    text = translated.read_text(encoding="utf-8")
    edited = text.replace('msgstr "', 'msgstr "\u2028\u0085\x1c ', 1)
    translated.write_text(edited, encoding="utf-8")
    assert read_po(translated).segments

    translated.write_bytes(edited.replace("\n", "\r\n").encode("utf-8"))
    assert read_po(translated).segments

    broken = edited.replace('msgstr "', 'msgstr "a\rb', 1)  # the string is cut at the CR
    translated.write_bytes(broken.encode("utf-8"))
    line = broken[: broken.index("a\rb")].count("\n") + 1
    with pytest.raises(FormatError) as caught:
        read_po(translated)
    assert caught.value.line == line
    assert "badly quoted string" in str(caught.value)


# 5. Not a regular file, or too big --------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("args", [
    ["segment", "{path}"],
    ["translate", "{path}", "--to", "pt", "--engine", "bergamot", "--no-glossary"],
    ["glossary", "show", "{path}", "--to", "pt"],  # with the repository's glossaries
    ["glossary", "suggest", "{path}"],
], ids=["segment", "translate", "glossary show", "glossary suggest"])
def test_fifo_as_article_is_refused_without_waiting(tmp_path: Path, fifo: Path, args: list[str]):
    out = tmp_path / "out"
    if args[0] == "translate":
        args = [*args, "--out", str(out)]
    result = glossator(*(arg.format(path=fifo) for arg in args))
    assert_one_line_error(result, 3, fifo, "is a FIFO (named pipe), expected an article file")
    assert files_under(out) == {}


def test_fifo_as_tbx_to_import_is_refused_without_waiting(tmp_path: Path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    pipe = tmp_path / "terms.tbx"
    os.mkfifo(pipe)
    target = tmp_path / "terms.csv"
    result = glossator("glossary", "import", str(pipe), "-o", str(target))
    assert_one_line_error(result, 4, pipe, "is a FIFO (named pipe), expected a glossary file")
    assert not target.exists()


class Hung(BaseException):
    """Raised in a block that ran past its deadline; not an OSError or an Exception, so that
    no `except OSError` in the code under test takes it for a read error and goes on."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer (an open of a FIFO waits forever).
    The timer repeats, so a second wait after a swallowed first one is cut short too."""
    def expire(_signum: int, _frame: object) -> None:
        raise Hung(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_fifo_as_glossary_is_refused_by_the_readers(tmp_path: Path, fifo: Path):
    csv_pipe = fifo.with_name("terms.csv")
    os.rename(fifo, csv_pipe)
    with deadline(10):
        checker = _Checker("en", stop_at_error=False)  # the loader checks is_file() first
        checker.check_file(csv_pipe)
        with pytest.raises(GlossaryError, match="is a FIFO"):
            _Checker("en", stop_at_error=True).check_file(csv_pipe)
        with pytest.raises(GlossaryError, match="is a FIFO"):
            read_tbx(csv_pipe)
    assert [finding.message for finding in checker.findings] == [
        "is a FIFO (named pipe), expected a glossary file"]
    result = glossator("glossary", "check", str(csv_pipe))
    assert result.returncode == 4 and "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_dev_zero_as_article_is_refused():
    result = glossator("segment", "/dev/zero")
    assert_one_line_error(result, 3, Path("/dev/zero"),
                          "is a character device, expected an article file")


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of `size` bytes that costs no disk: `head`, then a hole."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def test_article_over_the_limit_is_refused_with_its_size(tmp_path: Path):
    path = sparse(tmp_path / "huge.txt", MAX_ARTICLE_BYTES + 1, b"Title\n\nText.\n")
    result = glossator("segment", str(path))
    assert_one_line_error(result, 3, path, f"file is {MAX_ARTICLE_BYTES + 1:,} bytes (16.0 MiB), "
                                           "over the 16 MiB limit for an article file")


def test_article_limit_is_inclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    text = b"Title\n\nSome text.\n"
    monkeypatch.setattr("glossator.text.article.MAX_ARTICLE_BYTES", len(text))
    path = tmp_path / "a.txt"
    path.write_bytes(text)
    assert read_article(path).paragraphs[1].text == "Some text."
    path.write_bytes(text + b" ")
    with pytest.raises(InputError, match=f"file is {len(text) + 1:,} bytes"):
        read_article(path)


def test_glossary_over_the_limit_is_refused_with_its_size(tmp_path: Path, article: Path):
    csv_path = sparse(tmp_path / "huge.csv", MAX_GLOSSARY_BYTES + 1, b"en,pt\nKim,Kim\n")
    result = glossator("glossary", "show", str(article), "--to", "pt",
                       "--glossary", str(csv_path))
    assert_one_line_error(result, 4, csv_path, f"file is {MAX_GLOSSARY_BYTES + 1:,} bytes "
                                                "(256.0 MiB), over the 256 MiB limit for a "
                                                "glossary file")
    tbx_path = sparse(tmp_path / "huge.tbx", MAX_GLOSSARY_BYTES + 1, b"<martif>")
    result = glossator("glossary", "import", str(tbx_path), "-o", str(tmp_path / "x.csv"))
    assert_one_line_error(result, 4, tbx_path, "over the 256 MiB limit for a glossary file")
    assert not (tmp_path / "x.csv").exists()


# 6. Unreadable files ---------------------------------------------------------------------------


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Paths appended to the list cannot be opened, as a mode-000 file cannot for a user who
    is not root: every Python-level open of them raises PermissionError (EACCES)."""
    paths: list[Path] = []
    real_os_open, real_open = os.open, io.open

    def denied(file: object) -> bool:
        return isinstance(file, (str, os.PathLike)) and any(
            os.path.abspath(os.fspath(file)) == os.path.abspath(path) for path in paths)

    def os_open(file, *args, **kwargs):
        if denied(file):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real_os_open(file, *args, **kwargs)

    def io_open(file, *args, **kwargs):
        if denied(file):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr(builtins, "open", io_open)
    yield paths


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("verb", ["qa", "review", "build"])
def test_unreadable_po_is_a_one_line_error(translated: Path, unreadable: list[Path],
                                           capsys: pytest.CaptureFixture[str], verb: str):
    unreadable.append(translated)
    code, err = run_main(capsys, verb, str(translated))
    assert code == 6
    assert err == f"glossator: {translated}: cannot read: Permission denied\n"


@pytest.mark.parametrize("name", ["short.po", "memory.tmx"])
def test_unreadable_previous_po_or_memory_stops_translate(
        tmp_path: Path, article: Path, translated: Path, unreadable: list[Path],
        capsys: pytest.CaptureFixture[str], name: str):
    out = translated.parent.parent
    memory = out / "pt" / "memory.tmx"
    memory.write_text(write_memory([("Kim meets Shoigu in Pyongyang", "Kim recebe Shoigu")],
                                   "en", "pt"), encoding="utf-8")
    before = files_under(out)
    unreadable.append(out / "pt" / name)
    code, err = run_main(capsys, "translate", str(article), "--to", "pt", "--out", str(out),
                         "--engine", "bergamot", "--no-glossary", "--quiet")
    assert code == 6
    assert err == f"glossator: {out / 'pt' / name}: cannot read: Permission denied\n"
    unreadable.clear()
    assert files_under(out) == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads a mode-000 file all the same (CAP_DAC_OVERRIDE); the "
                           "monkeypatched tests above cover it")
def test_mode_000_files_are_one_line_errors(tmp_path: Path, article: Path, translated: Path):
    out = translated.parent.parent
    memory = out / "pt" / "memory.tmx"
    memory.write_text(write_memory([("a", "b")], "en", "pt"), encoding="utf-8")
    for path, args in [
        (translated, ["qa", str(translated)]),
        (translated, ["translate", str(article), "--to", "pt", "--out", str(out),
                      "--engine", "bergamot", "--no-glossary", "--quiet"]),
        (memory, ["translate", str(article), "--to", "pt", "--out", str(out),
                  "--engine", "bergamot", "--no-glossary", "--quiet"]),
    ]:
        path.chmod(0)
        try:
            assert_one_line_error(glossator(*args), 6, path, "cannot read: Permission denied")
        finally:
            path.chmod(0o644)


# 7. A memory with an invalid byte ----------------------------------------------------------------


def test_memory_with_an_invalid_byte_names_file_and_line(tmp_path: Path, article: Path,
                                                         translated: Path):
    out = translated.parent.parent
    memory = out / "pt" / "memory.tmx"
    text = write_memory([("Kim meets Shoigu in Pyongyang", "Kim recebe Shoigu")], "en", "pt")
    data = text.encode("utf-8").replace(b"Kim recebe", b"Kim \xff recebe")
    memory.write_bytes(data)
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    before = files_under(out)
    result = glossator("translate", str(article), "--to", "pt", "--out", str(out),
                       "--engine", "bergamot", "--no-glossary", "--quiet")
    assert_one_line_error(result, 6, memory, "not a valid TMX file: Invalid bytes")
    assert result.stderr.startswith(f"glossator: {memory}:{line}: ")
    assert files_under(out) == before

    with pytest.raises(FormatError) as caught:
        read_memory(memory, "en", "pt")
    assert caught.value.line == line


# Minor: empty PO, PO with a NUL byte -------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b"", "no segments"),
    (b"# a comment and nothing else\n", "no segments"),
    (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', "no segments"),
    (b"\x00\x00\x00\x00", "binary content (NUL byte at offset 0)"),
    (b'msgid ""\nmsgstr "a\x00b"\n', "binary content (NUL byte at offset 18)"),
], ids=["empty", "comment only", "header only", "NULs", "NUL in a string"])
@pytest.mark.parametrize("verb", ["qa", "review", "build"])
def test_po_without_segments_or_with_nul_is_an_error(tmp_path: Path, content: bytes,
                                                     message: str, verb: str):
    path = tmp_path / "bad.po"
    path.write_bytes(content)
    result = glossator(verb, str(path))
    assert_one_line_error(result, 6, path, message)


def test_glossary_fifo_named_with_glossary_is_refused_as_not_a_regular_file(tmp_path: Path):
    fifo = tmp_path / "terms.csv"
    os.mkfifo(fifo)
    from glossator.errors import GlossaryError
    from glossator.glossary.files import glossary_files

    with pytest.raises(GlossaryError, match="not a regular file or folder"):
        glossary_files([fifo])
