"""Writing outputs so that a reader never sees half a file and a crash leaves the old one intact.

Temporary files are named `.glossator-<name>.<pid>.<random>.tmp`, beside the file they become:
hidden, never an output's name, and recognisable, so the clean-up after a killed run removes
glossator's own leftovers and nothing else.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import os
import random
import re
import stat
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from glossator.errors import FormatError, GlossatorError, display_path

TEMPORARY_PREFIX = ".glossator-"
TEMPORARY_SUFFIX = ".tmp"
# mkstemp's random part is 8 characters from [a-z0-9_]; the pid is the writer's.
_TEMPORARY_NAME = re.compile(r"\.glossator-.*\.(\d+)\.[a-z0-9_]{8}\.tmp", re.DOTALL)
_NAME_IN_TEMPORARY = 40  # characters of the output's name kept in its temporary's name
LOCK_NAME = ".glossator.lock"
# Temporaries written and fsynced at once: the file system commits their syncs together, so a
# batch of 300 small files takes a few of one file's fsync instead of 300 of them.
_WRITERS = 16
# Files in one `write_all` from which, where the system can (`_synced_together`), the batch is
# written in one thread and synced with one syncfs(2) instead of an fsync(2) per file: on 2
# cores that halved the kernel's time for a run's 3,000 files and took the writer's threads off
# the GIL.
_SYNCED_TOGETHER = 8


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
    write_all({path: text})


def write_all(files: Mapping[Path, str | bytes], writers: ThreadPoolExecutor | None = None,
              *, synced_later: set[Path] | None = None) -> list[Path]:
    """Write every file, all or nothing as far as the file system allows; return the paths.

    Every file is first written completely (and fsynced) to a temporary file beside it, several
    at once (on `writers`, else threads of this call's own), or, for `_SYNCED_TOGETHER` files
    or more on a local file system where the system has syncfs, one after the other and then
    synced with one call; only when all are written and synced are they renamed over the
    outputs, one after the other. A failure while writing (a full disk) changes no output. A
    rename failing midway (rare: the checks before rule out a folder in the way and a name too
    long) says which outputs were replaced and which were not. Temporary files never outlive a
    failure.

    The folders are fsynced after the renames, so that those survive a power cut, unless
    `synced_later` (a writer of many batches: `BackgroundWriter`) takes them to sync once at
    its end; a folder already in it is known to be writable.
    """
    batch = _Batch(files, synced_later)
    try:
        batch.write(writers)
        batch.sync()
        batch.replace()
    finally:
        batch.close()
    return list(files)


class _Batch:
    """The files of one `write_all`, checked: `write` puts them in temporaries, `sync` makes
    those durable, `replace` renames them into place; `close` removes what was not renamed."""

    def __init__(self, files: Mapping[Path, str | bytes], synced_later: set[Path] | None
                 ) -> None:
        self.files = files
        self.synced_later = synced_later
        self.folders: dict[Path, int | None] = {}  # each with the longest name it takes
        for directory in dict.fromkeys(path.parent for path in files):
            if synced_later is None or directory not in synced_later:
                ensure_writable_dir(directory)
            self.folders[directory] = _longest_name(directory)
        for path in files:
            _check_target(path, self.folders[path.parent])
        self.together = len(files) >= _SYNCED_TOGETHER and _synced_together(self.folders)
        self.written: dict[Path, Future[Path]] = {}
        self.staged: list[tuple[Path, Path]] = []  # (output, its temporary), once synced
        self.replaced = False
        self._stack = ExitStack()  # the file systems' descriptors, the writers of this batch
        self._systems: dict[Path, int] = {}

    def write(self, writers: ThreadPoolExecutor | None = None) -> None:
        """Every file to a temporary: one after the other where they are synced together,
        else each fsynced, several at once."""
        if self.together:
            # Opened before the files are written: syncfs reports the write-back errors that
            # happened since its descriptor was opened.
            self._systems = _open_file_systems(self.folders, self._stack)
            for path, text in self.files.items():
                self.written[path] = _written_now(path, text, sync=False)
            return
        if writers is None and len(self.files) > 1:
            writers = self._stack.enter_context(
                ThreadPoolExecutor(max_workers=min(len(self.files), _WRITERS)))
        for path, text in self.files.items():
            self.written[path] = (writers.submit(_write_temporary, path, text) if writers
                                  else _written_now(path, text))

    def sync(self) -> None:
        """Wait for every temporary (the first that failed is the error), and sync them
        where they were written together."""
        for path, future in self.written.items():
            try:
                self.staged.append((path, future.result()))
            except OSError as error:
                raise FormatError(f"cannot write: {error.strerror or error}; no output "
                                  "was changed", path=path) from None
        if self.together:
            _sync_file_systems(self._systems)

    def replace(self) -> None:
        """Rename the synced temporaries over the outputs, in the order given."""
        self._stack.close()
        _replace_all(self.staged, sync=self.synced_later is None)
        self.replaced = True
        if self.synced_later is not None:
            self.synced_later.update(self.folders)

    def close(self) -> None:
        self._stack.close()  # waits for this batch's own writers
        for future in [] if self.replaced else self.written.values():
            with suppress(Exception):  # one still running is waited for, then its file removed
                _unlink_quietly(future.result())  # gone already where the rename succeeded


def _written_now(path: Path, text: str | bytes, *, sync: bool = True) -> Future[Path]:
    """`_write_temporary` in this thread, as a done future: one file (no thread to start), or
    each file of a batch synced together (its writing needs no thread of its own)."""
    future: Future[Path] = Future()
    try:
        future.set_result(_write_temporary(path, text, sync=sync))
    except OSError as error:
        future.set_exception(error)
    return future


class BackgroundWriter:
    """`write_all` of batch after batch, in the order given, the syncing done in a thread of
    its own, so that a run goes on translating and rendering while the file system syncs what
    it wrote. Where a batch is synced together (`_Batch.together`) its temporaries are written
    and, once synced, renamed by the caller's thread, which leaves the writer's thread one
    system call a batch: each call a thread makes gives up the GIL, and getting it back beside
    a busy run costs both threads time. Other batches are written and fsynced file by file on
    the writer's threads. Batches are renamed into place as the next ones come, at most
    `QUEUED` waiting (memory stays bounded; the caller waits beyond that). A batch that fails
    stops the writing: the error is raised by the next `write` or by `close`, and no later
    batch is renamed. The folders written to are fsynced once, by `close`."""

    QUEUED = 4
    # Files of a batch written at once where each is fsynced (no syncfs, or a small batch):
    # beside a busy run, four keep the syncs together as sixteen do, at less CPU (measured on
    # 2 cores: the same wall time, 5-10 % less CPU).
    WRITERS = 4

    def __init__(self) -> None:
        self._syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossator-sync")
        self._writers = ThreadPoolExecutor(max_workers=self.WRITERS)
        self._queued: deque[tuple[_Batch, Future[None]]] = deque()
        self._folders: set[Path] = set()  # written to: synced by `close`

    def write(self, files: Mapping[Path, str | bytes]) -> None:
        """Write `files` as `write_all` writes them, renamed into place by a later call."""
        self._replace_synced(wait=len(self._queued) >= self.QUEUED)
        batch = _Batch(files, self._folders)
        try:
            if batch.together:
                batch.write()
                synced = self._syncer.submit(batch.sync)
            else:
                synced = self._syncer.submit(_write_and_sync, batch, self._writers)
        except BaseException:
            batch.close()
            raise
        self._queued.append((batch, synced))

    def close(self) -> None:
        """Write what is queued, then stop; raise the error of a batch that failed."""
        try:
            while self._queued:
                self._replace_synced(wait=True)
        finally:
            self._syncer.shutdown()
            self._writers.shutdown()
            _sync_folders(self._folders)
            self._folders.clear()

    def _replace_synced(self, *, wait: bool) -> None:
        """Rename into place the batches synced so far, oldest first, waiting for the oldest
        if `wait`. A failed batch is raised, and the batches after it are removed unrenamed."""
        while self._queued and (wait or self._queued[0][1].done()):
            wait = False
            batch, synced = self._queued.popleft()
            try:
                synced.result()
                batch.replace()
            except BaseException:
                for later, later_synced in self._queued:
                    with suppress(Exception):
                        later_synced.result()
                    later.close()
                self._queued.clear()
                raise
            finally:
                batch.close()


def _write_and_sync(batch: _Batch, writers: ThreadPoolExecutor) -> None:
    batch.write(writers)
    batch.sync()


def _check_target(path: Path, longest: int | None) -> None:
    """What would make a rename fail after others succeeded, caught before anything is written."""
    if path.is_dir() and not path.is_symlink():
        raise FormatError("a folder is in the way of this output file", path=path)
    if longest is not None and len(os.fsencode(path.name)) > longest:
        raise FormatError(f"file name too long (more than {longest} bytes)", path=path)


def _longest_name(directory: Path) -> int | None:
    """The longest file name `directory` takes, in bytes; None where it does not say."""
    try:
        return os.pathconf(directory, "PC_NAME_MAX")
    except (OSError, ValueError):
        return None


def _write_temporary(path: Path, text: str | bytes, *, sync: bool = True) -> Path:
    """`text` (UTF-8, LF newlines; or bytes as they are: a DOCX) in a complete temporary file
    beside `path`, fsynced unless not `sync` (the caller syncs its file system); its path.
    Made with os.open, which takes the umask as an ordinary file's creation does, and as few
    other calls as can be: a run writes thousands, each call a round for the GIL with the
    run's own thread."""
    data = memoryview(text if isinstance(text, bytes) else text.encode("utf-8"))
    prefix = f"{TEMPORARY_PREFIX}{path.name[:_NAME_IN_TEMPORARY]}.{os.getpid()}."
    while True:
        temporary = path.parent / f"{prefix}{_NAMES.getrandbits(32):08x}{TEMPORARY_SUFFIX}"
        try:
            fd = os.open(temporary, _CREATE, 0o666)
            break
        except FileExistsError:
            continue
    try:
        try:
            while data:
                data = data[os.write(fd, data):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(temporary)
        raise
    return temporary


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
# Temporaries' names need only not to collide (O_EXCL makes sure): no system call for each.
_NAMES = random.Random(os.urandom(16))


def _replace_all(staged: list[tuple[Path, Path]], *, sync: bool = True) -> None:
    replaced: list[Path] = []
    for index, (path, temporary) in enumerate(staged):
        try:
            os.replace(temporary, path)
        except OSError as error:
            left = [display_path(other) for other, _ in staged[index:]]
            done = [display_path(other) for other in replaced]
            raise FormatError(f"cannot replace: {error.strerror or error}; replaced: "
                              f"{', '.join(done) or 'none'}; not replaced: {', '.join(left)}",
                              path=path) from None
        replaced.append(path)
    for directory in dict.fromkeys(path.parent for path, _ in staged) if sync else ():
        _fsync_directory(directory)  # the renames themselves survive a power cut


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's syncfs(2) where it reports write-back errors (Linux 5.8 and later), else None:
    before 5.8 it returned 0 whatever failed, and only an fsync of each file tells."""
    if not sys.platform.startswith("linux"):
        return None
    release = re.match(r"(\d+)\.(\d+)", os.uname().release)
    if release is None or (int(release[1]), int(release[2])) < (5, 8):
        return None
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int
    return function


# Local file systems whose syncfs writes what an fsync of each file would. On others (FUSE,
# network file systems) syncfs may stop short of the daemon or server an fsync reaches.
_LOCAL_FILE_SYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "tmpfs"})


def _synced_together(directories: Iterable[Path]) -> bool:
    """Whether files written in `directories` can be synced with one syncfs: Linux 5.8 or
    later, and each folder on a local file system of a known kind."""
    if _syncfs() is None:
        return False
    kinds = _file_system_kinds()
    try:
        return all(kinds.get(os.stat(directory).st_dev) in _LOCAL_FILE_SYSTEMS
                   for directory in directories)
    except OSError:
        return False


def _file_system_kinds() -> dict[int, str]:
    """Device → the kind of file system mounted from it, from /proc/self/mountinfo (read
    again each time: a long-running service sees mounts come and go)."""
    kinds: dict[int, str] = {}
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()
                if "-" not in fields[6:]:
                    continue
                major, _, minor = fields[2].partition(":")
                kinds[os.makedev(int(major), int(minor))] = fields[fields.index("-", 6) + 1]
    except (OSError, ValueError, IndexError):
        return {}
    return kinds


def _open_file_systems(directories: Iterable[Path], stack: ExitStack) -> dict[Path, int]:
    """A descriptor on each file system the `directories` are on, by the first of them on it
    (closed with `stack`)."""
    systems: dict[Path, int] = {}
    devices: set[int] = set()
    for directory in directories:
        try:
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise FormatError(f"output folder cannot be read: {error.strerror or error}",
                              path=directory) from None
        stack.callback(os.close, fd)
        device = os.fstat(fd).st_dev
        if device not in devices:
            devices.add(device)
            systems[directory] = fd
    return systems


def _sync_file_systems(systems: dict[Path, int]) -> None:
    """syncfs each file system; a failure is said of the folder (syncfs does not say which
    file it could not write)."""
    import ctypes

    syncfs = _syncfs()
    assert syncfs is not None
    for directory, fd in systems.items():
        if syncfs(fd) != 0:
            reason = os.strerror(ctypes.get_errno())
            raise FormatError(f"cannot write the files of this folder: {reason}; no output "
                              "was changed", path=directory)


def _sync_folders(folders: set[Path]) -> None:
    """Make the renames in `folders` survive a power cut: one syncfs per file system where
    the system has it (a run writes into hundreds of folders), else an fsync of each."""
    if len(folders) > 1 and _synced_together(folders):
        # A folder gone or unreadable: each is tried alone below (as `_fsync_directory` does,
        # quietly: the files themselves were synced before their renames).
        with ExitStack() as stack, suppress(GlossatorError, OSError):
            _sync_file_systems(_open_file_systems(folders, stack))
            return
    for folder in folders:
        _fsync_directory(folder)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the data itself is synced
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def remove_stale_temporaries(folder: Path) -> list[str]:
    """Delete the temporary files killed glossator runs left in `folder`; return their names.

    Only names of glossator's pattern whose writing process is gone, only regular files, only
    in `folder` itself; `folder` being a symbolic link, nothing is looked at.
    """
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return []  # missing, not a folder, or a link: nothing of ours to clean
    removed = []
    try:
        with os.scandir(dir_fd) as entries:
            for entry in entries:
                match = _TEMPORARY_NAME.fullmatch(entry.name)
                if (not match or not entry.is_file(follow_symlinks=False)
                        or _process_alive(int(match[1]))):
                    continue
                try:
                    os.unlink(entry.name, dir_fd=dir_fd)
                except OSError:
                    continue
                removed.append(entry.name)
    finally:
        os.close(dir_fd)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0  # someone else's live process; an absurd pid is nobody's
    return True


@contextmanager
def output_lock(directory: Path, subfolders: Iterable[str] = ()) -> Iterator[None]:
    """Hold an exclusive lock on an output folder so two runs never interleave their writes.

    Holding it, clean the temporary files killed runs left in `directory/SUBFOLDER` (the
    folders this run writes). The lock file is opened without following a link and must be a
    regular file with no other name, so a planted link can never make glossator empty a file.
    """
    ensure_writable_dir(directory)
    fd = _open_lock_file(directory / LOCK_NAME)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FormatError(f"another glossator run ({_lock_holder(fd)}) is writing to this "
                              "folder; try again when it has finished", path=directory) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        except OSError:
            pass  # the pid only makes the message above friendlier; a full disk is not fatal
        for name in subfolders:
            remove_stale_temporaries(directory / name)
        try:
            yield
        finally:
            with suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_lock_file(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as error:
        if error.errno == errno.ELOOP:
            reason = "is a symbolic link; remove it and run again"
        else:
            reason = f"cannot be opened: {error.strerror or error}"
        raise FormatError(f"lock file {reason}", path=path) from None
    info = os.fstat(fd)
    problem = ("is not a regular file" if not stat.S_ISREG(info.st_mode)
               else "has other names (hard links)" if info.st_nlink > 1 else "")
    if problem:
        os.close(fd)
        raise FormatError(f"lock file {problem}; remove it and run again", path=path)
    return fd


def _lock_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    first = text.splitlines()[0] if text else ""
    return first if first and first.isprintable() else "another process"


@contextmanager
def project_lock(po_path: Path) -> Iterator[None]:
    """The locks a writer of one PO file holds so that no `translate` run writes it meanwhile.

    A run locks its output folder (`output_lock`), which leaves a lock file there; the PO may
    lie any number of folders below it (`OUT/LANG/2024/06/23/NAME.po`). So every folder above
    the PO's real path that holds a lock file is locked, outermost first, and where none does,
    the PO's own folder. Taking them all, not the nearest alone, means a lock file left in a
    folder between the PO and the output folder can never stand in for the run's.
    """
    real = Path(os.path.realpath(po_path))
    holders = [folder for folder in real.parents if (folder / LOCK_NAME).is_file()]
    with ExitStack() as stack:
        for folder in reversed(holders or [real.parent]):
            stack.enter_context(output_lock(folder, [os.path.relpath(real.parent, folder)]))
        yield
