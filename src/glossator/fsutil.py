"""Writing outputs so that a reader never sees half a file and a crash leaves the old one intact."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from glossator.errors import FormatError


def ensure_writable_dir(directory: Path) -> None:
    """Create `directory` if needed and prove a file can be created in it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise FormatError(f"output folder cannot be written: {reason}", path=directory) from None


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text to a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_all(files: Mapping[Path, str]) -> list[Path]:
    """Write every file atomically after checking each folder can be written; return the paths."""
    for directory in {path.parent for path in files}:
        ensure_writable_dir(directory)
    for path, text in files.items():
        try:
            write_atomic(path, text)
        except OSError as error:
            raise FormatError(f"cannot write: {error.strerror or error}", path=path) from None
    return list(files)


def _remove_stale_temporaries(directory: Path) -> None:
    """Temporary files a killed run left behind; safe to delete while holding the lock."""
    for stale in directory.glob("*/.*.tmp"):
        stale.unlink(missing_ok=True)


@contextmanager
def output_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder so two runs never interleave their writes."""
    ensure_writable_dir(directory)
    lock_path = directory / ".glossator.lock"
    with open(lock_path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise FormatError(f"another glossator run ({holder}) is writing to this folder; "
                              "try again when it has finished", path=directory) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        _remove_stale_temporaries(directory)
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
