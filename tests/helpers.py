"""What more than one test module uses: the repository's paths, the CLI runner, and the
review document the format tests render (tests/ is on the path: `from helpers import ...`)."""

from __future__ import annotations

import contextlib
import io
import locale
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import lxml.html
import pytest

from glossator.model import Document, Pin, Segment
from glossator.run.pipeline import translate_articles

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "north-korea-shoigu-visit.txt"
SEED_GLOSSARY = REPO / "glossaries"


class CliTimeout(BaseException):
    """Raised in the CLI's thread when an in-process run goes past its timeout."""


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300, process: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `glossator ARGS` as a user would and capture both streams: `glossator.cli.main` in
    this process, as `python -m glossator` would run it (cwd, environment, empty stdin, the
    streams as a pipe gives them, SystemExit or a traceback as the exit status), leaving the
    process as it was. A run past `timeout` raises subprocess.TimeoutExpired, as a hung child
    would. `process=True` runs a real `python -m glossator` (see run_cli_process)."""
    if process:
        return run_cli_process(*args, cwd=cwd, env=env, timeout=timeout)
    argv = list(args)
    stdout, stderr = _pipe(sys.__stdout__), _pipe(sys.__stderr__)
    with _process_state(stdout, stderr), _warnings_to(stderr), _environment(env or {}), \
            _working_directory(cwd or REPO), _deadline(argv, timeout):
        code = _exit_status(argv, stderr)
    return subprocess.CompletedProcess(["glossator", *argv], code, _read(stdout), _read(stderr))


def run_cli_process(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                    timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m glossator ARGS` in a fresh interpreter: for what needs a process of its
    own (signals, a cold start, what a process prints outside sys.stderr)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "glossator", *args], cwd=cwd or REPO,
                          env=full_env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _exit_status(argv: list[str], stderr: io.TextIOWrapper) -> int:
    """What `python -m glossator ARGV` exits with: `sys.exit(main())`."""
    from glossator.cli import main

    try:
        status = main(argv)
    except SystemExit as leaving:
        status = leaving.code
    except CliTimeout:
        raise
    except BaseException:  # the interpreter prints the traceback and exits 1
        traceback.print_exc(file=stderr)
        return 1
    if status is None or isinstance(status, int):
        return status or 0
    print(status, file=stderr)
    return 1


def _pipe(like: TextIO | None) -> io.TextIOWrapper:
    """A stream as a child's stdout or stderr is on a pipe: no terminal, its encoding and
    error handler (those of this process's own, which the same environment chose)."""
    return io.TextIOWrapper(io.BytesIO(), encoding=getattr(like, "encoding", None) or "utf-8",
                            errors=getattr(like, "errors", None) or "strict", newline="\n",
                            write_through=True)


def _read(stream: io.TextIOWrapper) -> str:
    """The bytes written, read back as subprocess.run(text=True) reads them: the locale's
    encoding, strictly, with universal newlines."""
    stream.flush()
    text = stream.buffer.getvalue().decode(locale.getpreferredencoding(False))
    return text.replace("\r\n", "\n").replace("\r", "\n")


@contextlib.contextmanager
def _process_state(stdout: TextIO, stderr: TextIO) -> Iterator[None]:
    """Swap in the streams and an empty stdin; afterwards put back the streams, the signal
    handlers and the logging set-up, and drop any log handler left writing to the capture."""
    streams = sys.stdin, sys.stdout, sys.stderr
    main_thread = threading.current_thread() is threading.main_thread()
    handlers = {number: signal.getsignal(number) for number in signal.valid_signals()
                if main_thread and number not in (signal.SIGKILL, signal.SIGSTOP)}
    loggers = _logging_state()
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
        for number, handler in handlers.items():
            if handler is not None and signal.getsignal(number) is not handler:
                signal.signal(number, handler)
        _restore_logging(loggers, (stdout, stderr))


def _logging_state() -> dict[str, tuple]:
    manager = logging.Logger.manager
    named = [logging.getLogger(), *(logger for logger in manager.loggerDict.values()
                                    if isinstance(logger, logging.Logger))]
    state = {logger.name: (logger, list(logger.handlers), logger.level, logger.propagate,
                           logger.disabled) for logger in named}
    state[""] = (None, manager.disable)
    return state


def _restore_logging(state: dict[str, tuple], captures: tuple[TextIO, ...]) -> None:
    manager = logging.Logger.manager
    logging.disable(state.pop("")[1])
    for logger, handlers, level, propagate, disabled in state.values():
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled
    for logger in [logging.getLogger(), *manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            logger.handlers[:] = [handler for handler in logger.handlers
                                  if getattr(handler, "stream", None) not in captures]


@contextlib.contextmanager
def _warnings_to(stderr: TextIO) -> Iterator[None]:
    """Warnings as a fresh interpreter shows them: its default filters, printed on stderr."""
    def show(message, category, filename, lineno, file=None, line=None) -> None:
        stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning,
                         ResourceWarning):
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = show
        yield


@contextlib.contextmanager
def _environment(changes: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(changes)
    try:
        yield
    finally:
        for name in set(os.environ) - set(saved):
            del os.environ[name]
        for name, value in saved.items():
            if os.environ.get(name) != value:
                os.environ[name] = value


@contextlib.contextmanager
def _working_directory(path: Path | str) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _deadline(argv: list[str], seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds` interrupts the run (a blocking open() or read() too) as
    subprocess.TimeoutExpired; only in the main thread, where signals are delivered."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_number: int, _frame: object) -> None:
        raise CliTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except CliTimeout:
        raise subprocess.TimeoutExpired(["glossator", *argv], seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# The review document: every fact a format records ------------------------------------

HOSTILE_SOURCE = ('Analysts quoted <script>alert(1)</script> & "sources"\tsaid</textarea>\n'
                  "a second line\r\nwith C:\\path\\n and </script> <b>bold</b>")
HOSTILE_TARGET = ('Analistas citaram <script>alert(1)</script> & "fontes"\tdisseram</textarea>\n'
                  "uma segunda linha\r\ncom C:\\path\\n e </script> <b>negrito</b>")
REPEATED = "Kim thanked Putin for the visit."


def pin(source: str, text: str, target: str, admitted: tuple[str, ...] = (), note: str = "",
        pinned: bool | None = True, concept: str = "") -> Pin:
    start = source.find(text)
    assert start >= 0, text
    return Pin(start, start + len(text), text, target, admitted, concept or text, note,
               pinned=pinned)


def review_document() -> Document:
    """A seed-like article: title, dateline, pins landed and missed, QA findings, a repeated
    sentence, reviewed and machine segments, an untranslated one and hostile text."""
    title = "North Korea’s leader meets Russian defense minister, first since Covid"
    dateline = "Sunday, June 23, 2024"
    meeting = ("North Korean leader Kim Jong Un met with visiting Russian Defence Minister "
               "Sergei Shoigu in his first known meeting with a foreign dignitary since the "
               "Covid-19 pandemic.")
    visit = ("Shoigu’s visit comes as North Korea is marking the anniversary of the armistice "
             "that ended fighting in the 1950-53 Korean War.")
    kcna = ("The meeting was an “important occasion”, the official Korean Central News Agency "
            "(KCNA) said.")
    segments = [
        Segment("1.1", title, 1, kind="title", fuzzy=False,
                target="Líder da Coreia do Norte recebe ministro da Defesa russo, o primeiro "
                       "desde a covid"),
        Segment("2.1", dateline, 2, kind="dateline", fuzzy=False,
                target="domingo, 23 de junho de 2024",
                pins=[pin(dateline, dateline, "domingo, 23 de junho de 2024",
                          note="date, written out")]),
        Segment("3.1", meeting, 3,
                target="O líder norte-coreano Kim Jong-un recebeu o ministro da Defesa russo, "
                       "Serguei Choigu, no seu primeiro encontro conhecido com um dignitário "
                       "estrangeiro desde a pandemia de covid-19.",
                pins=[pin(meeting, "Kim Jong Un", "Kim Jong-un",
                          note='North Korean leader; "Kim" is the family name & stays first'),
                      pin(meeting, "Sergei Shoigu", "Serguei Choigu",
                          note="Russian defence minister until May 2024"),
                      pin(meeting, "Covid-19", "covid-19", note="lower case in Portuguese")]),
        Segment("3.2", visit, 3,
                target="A visita de Shoigu ocorre quando a Coreia do Norte assinala o "
                       "aniversário do armistício que pôs fim aos combates da Guerra da Coreia "
                       "de 1950-53.",
                pins=[pin(visit, "Shoigu", "Choigu", note="Portuguese transliteration",
                          pinned=False, concept="Shoigu")],
                notes=["pinned term missed: Shoigu → Choigu (the translation has “Shoigu”)"],
                qa=["untranslated term: Shoigu"]),
        Segment("4.1", kcna, 4,
                target="O encontro foi uma “ocasião importante”, disse a agência oficial "
                       "Agência Central de Notícias da Coreia (KCNA).",
                pins=[pin(kcna, "Korean Central News Agency",
                          "Agência Central de Notícias da Coreia", note="state news agency"),
                      pin(kcna, "KCNA", "KCNA", admitted=("ACNC",))],
                qa=["doubled word: agência … Agência"]),
        Segment("5.1", HOSTILE_SOURCE, 5, target=HOSTILE_TARGET,
                qa=["markup in the text: <script> & </textarea>"]),
        Segment("6.1", REPEATED, 6, fuzzy=False, target="Kim agradeceu a Putin pela visita."),
        Segment("7.1", REPEATED, 7, target="Kim agradeceu Putin pela visita."),
        Segment("7.2", "Pyongyang has denied it.", 7, target="",
                pins=[Pin(-1, -1, "Pyongyang", "Pionguiangue", ("Pyongyang",))]),
    ]
    return Document(
        name="north-korea-shoigu-visit", source_lang="en", target_lang="pt",
        segments=segments, path=Path("seeds/north-korea-shoigu-visit.txt"),
        dropped=["› Subscribe", "Share this <article> & \"more\""],
        header_notes=["glossary: glossaries/news.tsv (8 concepts)", "2 cruft lines dropped"],
        signature="engine=bergamot model=enpt.student.tiny11 glossary=news.tsv "
                  "segmenter=sentencex",
    )


def select(element: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    """A tiny CSS subset ("section.para .tgt mark.pin") as XPath: cssselect isn't installed."""
    path = "."
    for part in selector.split():
        tag, *classes = part.split(".")
        tests = "".join(f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
                        for name in classes)
        path += f"//{tag or '*'}{tests}"
    return element.xpath(path)


def shown(text: str) -> str:
    """Text as the page shows it: line breaks are LF only."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# The review workspace's project: test_workspace.py and test_review_web.py ---------------------

ARTICLE = """Pyongyang, June 23 (AP)

Shoigu visits Pyongyang

Defence Minister Sergei Shoigu arrived in Pyongyang on Sunday. He met officials in Pyongyang.

North Korea said the talks were useful. The minister praised the ties with North Korea.
"""
GLOSSARY = """en,pt,note,flags
Sergei Shoigu,"Serguei Shoigu {m, no article}",Russian defence minister,
Pyongyang,"Pyongyang {f, no article}",North Korea's capital,
"""
PO = "pt/visit.po"


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder as `translate` leaves it (bergamot, en → pt), made once."""
    root = tmp_path_factory.mktemp("workspace-template")
    (root / "visit.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "terms.csv").write_text(GLOSSARY, encoding="utf-8")
    translate_articles([root / "visit.txt"], ["pt"], engine_name="bergamot", out=root / "out",
                  glossary_paths=[root / "terms.csv"])
    return root


@pytest.fixture
def project(tmp_path: Path, translated: Path) -> Path:
    shutil.copytree(translated, tmp_path / "project")
    return tmp_path / "project"


def write_po(path: Path, segments: list[tuple[str, str, bool]]) -> None:
    """A glossator PO of (source, target, reviewed) segments, one paragraph each, made
    without an engine."""
    from glossator.formats.po import POFormat

    document = Document(name=path.stem, source_lang="en", target_lang="pt",
                        article=f"{path.stem}.txt")
    for number, (source, target, reviewed) in enumerate(segments, start=1):
        document.segments.append(Segment(id=f"{number}.1", source=source, paragraph=number,
                                         target=target, fuzzy=not reviewed, machine=target,
                                         reviewer="Ana, 2026-01-01T10:00Z" if reviewed else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(POFormat().render(document), encoding="utf-8")


@contextlib.contextmanager
def review_server(project: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`glossator review out --web --engine bergamot --reviewer Ana OPTIONS` started in
    `project` as a user starts it (a process of its own): its URL (with the token) and the
    process, killed at the end."""
    process = subprocess.Popen(
        [sys.executable, "-m", "glossator", "review", "out", "--web", "--engine", "bergamot",
         "--reviewer", "Ana", *options],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "?token=" in url, process.stderr.read()
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
