"""Hostile file-system situations: clashing inputs, planted links, user files that look like
temporaries, bad engine options, odd file names, a run killed mid-write, a full disk."""

from __future__ import annotations

import ast
import errno
import os
import re
import signal
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from glossator.errors import FormatError, UsageError
from glossator.io.files import remove_stale_temporaries, write_all
from helpers import REPO, SEED, run_cli

TEMPORARY = re.compile(r"\.glossator-.*\.tmp", re.DOTALL)
ALL_FORMATS = "po,tmx,xliff,tsv,html,txt"
EXTENSIONS = ("po", "tmx", "xlf", "tsv", "html", "txt")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """Dateline, title and a paragraph of two sentences: a run of half a second."""
    path = tmp_path / "short.txt"
    path.write_text("Sunday, June 23, 2024\n\nKim meets Shoigu in Pyongyang\n\nThe talks ended "
                    "on Thursday. Shoigu flew back to Moscow.\n", encoding="utf-8")
    return path


def translate(article: Path | str, out: Path | str, *extra: str, cwd: Path | None = None,
              process: bool = False) -> subprocess.CompletedProcess[str]:
    return run_cli("translate", str(article), "--to", "pt", "--out", str(out),
                   "--engine", "bergamot", "--no-glossary", *extra, cwd=cwd, process=process)


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr.strip().splitlines()[-1]


def dead_pid() -> int:
    """The pid of a process that has exited (a killed run's)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# -- 2. two inputs, one output ------------------------------------------------------------------

def test_two_articles_with_one_output_name_are_refused(tmp_path):
    first, second = tmp_path / "story.txt", tmp_path / "story.md"
    for number, path in enumerate((first, second), start=1):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Story {number}\n\nThe talks ended in Seoul.\n", encoding="utf-8")
    out = tmp_path / "out"
    # an unknown engine: the clash must be found before any engine is loaded
    for engine in ("bergamot", "nope"):
        result = run_cli("translate", str(first), str(second), "--to", "pt", "--out", str(out),
                         "--engine", engine, "--no-glossary")
        assert result.returncode == 3, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith(f"glossator: {second}: same output file as {first} "
                                        f"({out / 'pt' / 'story.po'}): one article would be lost")
        assert not out.exists()


def test_articles_of_one_name_in_two_folders_get_mirrored_outputs(tmp_path):
    first, second = tmp_path / "a" / "story.txt", tmp_path / "b" / "story.txt"
    for number, path in enumerate((first, second), start=1):
        path.parent.mkdir()
        path.write_text(f"Story {number}\n\nThe talks ended in Seoul.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("translate", str(first), str(second), "--to", "pt", "--out", str(out),
                     "--engine", "bergamot", "--no-glossary", "--formats", "po")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(out / "pt" / "a" / "story.po"),
                                          str(out / "pt" / "b" / "story.po")]
    assert 'msgid "Story 2"' in (out / "pt" / "b" / "story.po").read_text(encoding="utf-8")


def test_one_article_named_twice_is_translated_once(tmp_path, article):
    out = tmp_path / "out"
    result = run_cli("translate", str(article), str(tmp_path / "." / "short.txt"),
                     "--to", "pt", "--out", str(out), "--engine", "bergamot", "--no-glossary")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(out / "pt" / f"short.{ext}")
                                          for ext in ("po", "html", "txt")]
    assert "from 1 article " in result.stderr


def test_an_article_whose_tmx_would_be_the_translation_memory_is_refused(tmp_path):
    article = tmp_path / "memory.txt"
    article.write_text("Memory\n\nThe talks ended.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = translate(article, out, "--formats", "po,tmx")
    assert result.returncode == 3
    assert last_line(result) == (f"glossator: {article}: its tmx output would be "
                                 f"{out / 'pt' / 'memory.tmx'}, the translation memory; "
                                 "rename the article")
    assert not out.exists()


# -- 3. the lock file is never followed -------------------------------------------------------

def plant_link(lock: Path, victim: Path) -> None:
    lock.symlink_to(victim)


def plant_dangling_link(lock: Path, victim: Path) -> None:
    victim.unlink()
    lock.symlink_to(victim)


def plant_hard_link(lock: Path, victim: Path) -> None:
    os.link(victim, lock)


def plant_fifo(lock: Path, _victim: Path) -> None:
    os.mkfifo(lock)


def plant_folder(lock: Path, _victim: Path) -> None:
    lock.mkdir()


@pytest.mark.parametrize(("plant", "message"), [
    (plant_link, "lock file is a symbolic link; remove it and run again"),
    (plant_dangling_link, "lock file is a symbolic link; remove it and run again"),
    (plant_hard_link, "lock file has other names (hard links); remove it and run again"),
    (plant_fifo, "lock file is not a regular file; remove it and run again"),
    (plant_folder, "lock file cannot be opened: Is a directory"),
], ids=["symlink", "dangling-symlink", "hard-link", "fifo", "folder"])
def test_a_planted_lock_file_is_refused_and_its_target_untouched(tmp_path, article,
                                                                   plant, message):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("a user's file\n", encoding="utf-8")
    lock = out / ".glossator.lock"
    plant(lock, victim)
    before = victim.read_bytes() if victim.exists() else None

    result = translate(article, out)
    assert result.returncode == 6, result.stderr
    assert last_line(result) == f"glossator: {lock}: {message}"
    assert (victim.read_bytes() if victim.exists() else None) == before
    assert not (out / "pt").exists()


# -- 4. the clean-up deletes only glossator's own stale temporaries ----------------------------

def test_clean_up_removes_only_glossators_stale_temporaries(tmp_path, article):
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "pt").mkdir()
    user_files = [work / "sub" / ".draft.tmp", work / "pt" / ".draft.tmp",
                  work / "pt" / ".short.po.tmp"]  # the old pattern's names: a user's now
    for path in user_files:
        path.write_text("a user's draft\n", encoding="utf-8")
    stale = work / "pt" / f".glossator-short.po.{dead_pid()}.abcd_123.tmp"
    stale.write_text("half a PO file", encoding="utf-8")
    live = work / "pt" / f".glossator-final.txt.{os.getpid()}.k2j4h3g1.tmp"  # a live writer's
    live.write_text("being written", encoding="utf-8")

    result = translate(article, ".", cwd=work)  # --out . as in the issue
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert live.exists()
    for path in user_files:
        assert path.read_text(encoding="utf-8") == "a user's draft\n"


def test_clean_up_follows_no_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stale_name = f".glossator-x.po.{dead_pid()}.abcdefgh.tmp"
    (elsewhere / stale_name).write_text("not ours to delete", encoding="utf-8")
    (tmp_path / "pt").symlink_to(elsewhere, target_is_directory=True)
    assert remove_stale_temporaries(tmp_path / "pt") == []
    assert (elsewhere / stale_name).exists()

    folder = tmp_path / "de"
    folder.mkdir()
    target = tmp_path / "target.txt"
    target.write_text("kept", encoding="utf-8")
    (folder / stale_name).symlink_to(target)  # a link with a temporary's name
    assert remove_stale_temporaries(folder) == []
    assert target.read_text(encoding="utf-8") == "kept"


# -- 9. engine options are usage errors --------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("0", "argument --beam-size: must be at least 1, not 0"),
    ("-2", "argument --beam-size: must be at least 1, not -2"),
    ("four", "argument --beam-size: not a whole number: 'four'"),
])
def test_bad_beam_size_is_a_usage_error(tmp_path, article, value, message):
    out = tmp_path / "out"
    result = translate(article, out, f"--beam-size={value}")
    assert result.returncode == 2
    assert last_line(result) == f"glossator translate: error: {message}"
    assert not out.exists()


@pytest.mark.parametrize("beam_size", [0, -1, 2.5, True])
def test_run_translate_refuses_a_bad_beam_size(tmp_path, article, beam_size):
    from glossator.run.pipeline import translate_articles

    with pytest.raises(UsageError, match="beam size must be a whole number, at least 1"):
        translate_articles([article], ["pt"], engine_name="argos", out=tmp_path / "out",
                      beam_size=beam_size, glossary_paths=[])
    assert not (tmp_path / "out").exists()


# -- minor: --to with no code, --limit below 1, a newline in a file name -----------------------

@pytest.mark.parametrize("spec", [",", " , ", ""])
def test_to_without_a_language_is_a_usage_error(tmp_path, article, spec):
    out = tmp_path / "out"
    result = run_cli("translate", str(article), "--to", spec, "--out", str(out))
    assert result.returncode == 2
    assert last_line(result) == f"glossator translate: error: argument --to: no language code " \
                                f"in {spec!r}"
    assert not out.exists()


def test_run_translate_refuses_no_target(tmp_path, article):
    from glossator.run.pipeline import translate_articles

    with pytest.raises(UsageError, match="no target language given"):
        translate_articles([article], [], out=tmp_path / "out", glossary_paths=[])


@pytest.mark.parametrize("limit", ["-1", "0"])
def test_suggest_limit_below_one_is_a_usage_error(limit):
    result = run_cli("glossary", "suggest", str(SEED), f"--limit={limit}")
    assert result.returncode == 2
    assert last_line(result) == (f"glossator glossary suggest: error: argument --limit: "
                                 f"must be at least 1, not {limit}")


def test_suggest_limit_is_honoured():
    everything = run_cli("glossary", "suggest", str(SEED), "--limit=30")
    assert everything.returncode == 0 and len(everything.stdout.splitlines()) >= 2
    one = run_cli("glossary", "suggest", str(SEED), "--limit=1")
    assert one.stdout.splitlines() == everything.stdout.splitlines()[:1]


def test_a_newline_in_a_file_name_prints_one_path_per_line(tmp_path, article):
    odd = tmp_path / "two\nlines.txt"
    odd.write_bytes(article.read_bytes())
    out = tmp_path / "out"
    result = translate(odd, out)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    expected = [out / "pt" / f"two\nlines.{ext}" for ext in ("po", "html", "txt")]
    assert lines == [repr(str(path)) for path in expected]
    assert all(Path(ast.literal_eval(line)).is_file() for line in lines)

    missing = tmp_path / "no\nsuch.txt"
    result = translate(missing, out)
    assert result.returncode == 3
    assert result.stderr == f"glossator: {str(missing)!r}: no such file\n"


# -- 10. all or nothing ------------------------------------------------------------------------

def previous_outputs(folder: Path) -> dict[Path, bytes]:
    folder.mkdir()
    files = {folder / name: f"old {name}\n".encode() for name in ("a.po", "a.html", "a.txt")}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def many_outputs(folder: Path, count: int = 12) -> dict[Path, bytes]:
    """Old outputs, enough of them for `write_all` to sync them as one batch."""
    folder.mkdir(parents=True)
    files = {folder / f"s{number:02}.{ext}": f"old {number} {ext}\n".encode()
             for number in range(count // 3) for ext in ("po", "html", "txt")}
    for path, data in files.items():
        path.write_bytes(data)
    return files


def failing_on_call(function, number: int, error: OSError):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == number:
            raise error
        return function(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("failing, batch", [("fsync", False), ("write", True)])
def test_write_all_changes_nothing_when_a_file_cannot_be_written(tmp_path, monkeypatch,
                                                                 failing, batch):
    """A full disk, said by the fsync of one of three files (written several at once) or by
    the write(2) of one of a batch synced together: that file is named, no output changes,
    and the temporaries written before it are removed."""
    from glossator.io import files as io_files

    if batch:
        monkeypatch.setattr(io_files, "_syncfs", lambda: lambda fd: 0)
    old = many_outputs(tmp_path / "pt") if batch else previous_outputs(tmp_path / "pt")
    name = "s02.html" if batch else "a.html"
    real = getattr(os, failing)

    def fail_on_its_file(fd, *rest):
        if f".glossator-{name}." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, *rest)

    monkeypatch.setattr(os, failing, fail_on_its_file)
    with pytest.raises(FormatError) as caught:
        write_all({path: "new\n" for path in old})
    assert str(caught.value) == (f"{tmp_path / 'pt' / name}: cannot write: No space left "
                                 "on device; no output was changed")
    assert {path: path.read_bytes() for path in (tmp_path / "pt").iterdir()} == old


def test_write_all_says_what_was_replaced_when_a_rename_fails(tmp_path, monkeypatch):
    old = previous_outputs(tmp_path / "pt")
    paths = list(old)
    monkeypatch.setattr(os, "replace", failing_on_call(os.replace, 2, OSError(errno.EIO, "EIO")))
    with pytest.raises(FormatError) as caught:
        write_all({path: f"new {path.name}\n" for path in paths})
    assert str(caught.value) == (f"{paths[1]}: cannot replace: EIO; replaced: {paths[0]}; "
                                 f"not replaced: {paths[1]}, {paths[2]}")
    assert paths[0].read_text() == "new a.po\n"
    assert {path: path.read_bytes() for path in paths[1:]} == {p: old[p] for p in paths[1:]}
    assert sorted(p.name for p in (tmp_path / "pt").iterdir()) == ["a.html", "a.po", "a.txt"]


def test_write_all_refuses_a_folder_in_the_way_before_writing(tmp_path):
    old = previous_outputs(tmp_path / "pt")
    (tmp_path / "pt" / "b.txt").mkdir()
    with pytest.raises(FormatError, match="a folder is in the way of this output file"):
        write_all({**{path: "new\n" for path in old}, tmp_path / "pt" / "b.txt": "new\n"})
    assert {path: path.read_bytes() for path in old} == old
    assert not [p for p in (tmp_path / "pt").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_outputs_get_the_permissions_of_ordinary_files(tmp_path, umask):
    """Temporaries are renamed into place: what is written has the mode a file created
    under the user's umask has, not a temporary file's 0600, and no link is followed."""
    old = os.umask(umask)
    try:
        write_all({tmp_path / "a.po": "a\n", tmp_path / "b.po": "b\n"})
        write_all({tmp_path / "c.po": "c\n"})
    finally:
        os.umask(old)
    for name in ("a.po", "b.po", "c.po"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask


def test_background_writer_writes_batches_in_order_and_stops_at_a_failure(tmp_path,
                                                                        monkeypatch):
    """A run's writes go on beside it: the later of two batches writing one file wins, a
    failing batch is reported at the next write (or at close) and nothing queued after it is
    written."""
    from glossator.io.files import BackgroundWriter

    folder = tmp_path / "pt"
    writer = BackgroundWriter()
    writer.write({folder / "memory.tmx": "first\n", folder / "a.po": "a\n"})
    writer.write({folder / "memory.tmx": "second\n", folder / "b.po": "b\n"})
    writer.close()
    assert (folder / "memory.tmx").read_text() == "second\n"
    assert (folder / "a.po").read_text() == "a\n" and (folder / "b.po").read_text() == "b\n"

    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    real_fsync = os.fsync

    def fsync(fd):
        if ".glossator-c.po." in os.readlink(f"/proc/self/fd/{fd}"):
            raise full
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    writer = BackgroundWriter()
    writer.write({folder / "c.po": "c\n", folder / "memory.tmx": "third\n"})
    with pytest.raises(FormatError, match=r"c\.po: cannot write: No space left on device"):
        writer.write({folder / "d.po": "d\n"})  # the error comes here, or at close
        writer.close()
    assert not (folder / "c.po").exists() and not (folder / "d.po").exists()
    assert (folder / "memory.tmx").read_text() == "second\n"
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_a_run_whose_writes_fail_says_so_and_leaves_no_half_written_article(tmp_path,
                                                                          monkeypatch):
    """The run's writer works beside it; a full disk still ends the run with the one-line
    error, and every article is written whole or not at all."""
    from glossator.run.pipeline import translate_articles

    articles = tmp_path / "articles"
    articles.mkdir()
    for number in range(3):
        (articles / f"story{number}.txt").write_text(
            f"Story {number}.\n\nIt rained {number} days.\n")
    real_fsync = os.fsync

    def fsync(fd):
        if ".glossator-story1.html." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(FormatError, match=r"story1\.html: cannot write: No space"):
        translate_articles([articles], ["pt"], engine_name="bergamot", out=tmp_path / "out",
                           chunk_segments=2)
    written = {path.name for path in (tmp_path / "out" / "pt").iterdir()}
    assert not [name for name in written if name.startswith(".glossator-")]
    for number in range(3):
        outputs = {name for name in written if name.startswith(f"story{number}.")}
        assert outputs in (set(), {f"story{number}.po", f"story{number}.html",
                                   f"story{number}.txt"}), outputs
    assert not any(name.startswith("story1.") for name in written)


def test_a_batch_is_synced_with_one_syncfs_not_a_fsync_each(tmp_path, monkeypatch):
    """Where the system can (Linux 5.8 and later), a batch's files are synced together: no
    fsync per file, one syncfs for the file system, and every file in place afterwards."""
    from glossator.io import files as io_files

    real_syncfs = io_files._syncfs()
    if real_syncfs is None:
        pytest.skip("no syncfs that reports errors here (Linux 5.8 or later needed)")
    if not io_files._synced_together([tmp_path]):
        kind = io_files._file_system_kinds().get(os.stat(tmp_path).st_dev, "unknown")
        pytest.skip(f"the temporary folder is on a {kind} file system, not a local one of a "
                    "known kind")
    fsynced, syncfs_calls = [], []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsynced.append(os.readlink(
        f"/proc/self/fd/{fd}")), real_fsync(fd))[-1])
    monkeypatch.setattr(io_files, "_syncfs",
                        lambda: lambda fd: (syncfs_calls.append(fd), real_syncfs(fd))[-1])
    old = many_outputs(tmp_path / "pt")
    write_all({path: f"new {path.name}\n" for path in old})
    assert len(syncfs_calls) == 1
    assert [name for name in fsynced if ".glossator-" in name] == []
    assert fsynced == [str(tmp_path / "pt")]  # the folder, for its renames
    assert {path: path.read_text() for path in old} == {path: f"new {path.name}\n"
                                                       for path in old}


def test_a_batch_on_a_file_system_of_unknown_kind_is_fsynced_file_by_file(tmp_path,
                                                                         monkeypatch):
    """syncfs may stop short of what fsync reaches on FUSE or network file systems: a folder
    on a file system not known to be local has each file fsynced, as without syncfs."""
    from glossator.io import files as io_files

    syncfs_calls, fsynced = [], []
    monkeypatch.setattr(io_files, "_syncfs", lambda: lambda fd: syncfs_calls.append(fd) or 0)
    monkeypatch.setattr(io_files, "_file_system_kinds", lambda: {
        os.stat(tmp_path).st_dev: "fuse.sshfs"})
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (fsynced.append(os.readlink(
        f"/proc/self/fd/{fd}")), real_fsync(fd))[-1])
    old = many_outputs(tmp_path / "pt")
    write_all({path: f"new {path.name}\n" for path in old})
    assert syncfs_calls == []
    assert len([name for name in fsynced if ".glossator-" in name]) == len(old)
    assert {path: path.read_text() for path in old} == {path: f"new {path.name}\n"
                                                       for path in old}


def test_a_batch_whose_sync_fails_changes_no_output(tmp_path, monkeypatch):
    """syncfs failing (a disk's write-back error) is said of the folder, and no output
    changes: the files were written, not yet renamed."""
    import ctypes

    from glossator.io import files as io_files

    def failing_syncfs(fd):
        ctypes.set_errno(errno.EIO)
        return -1

    monkeypatch.setattr(io_files, "_syncfs", lambda: failing_syncfs)
    old = many_outputs(tmp_path / "pt")
    with pytest.raises(FormatError) as caught:
        write_all({path: "new\n" for path in old})
    assert str(caught.value) == (f"{tmp_path / 'pt'}: cannot write the files of this folder: "
                                 "Input/output error; no output was changed")
    assert {path: path.read_bytes() for path in (tmp_path / "pt").iterdir()} == old


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs, to be filled up; skipped where mounting is not allowed."""
    mountpoint = tmp_path / "tmpfs"
    mountpoint.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs",
                                  str(mountpoint)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"cannot mount a tmpfs: {error}")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield mountpoint
    finally:
        if subprocess.run(["umount", str(mountpoint)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)


def free_bytes(path: Path) -> int:
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


def test_full_disk_changes_no_output(small_tmpfs, article):
    out = small_tmpfs / "locale"
    assert translate(article, out).returncode == 0
    folder = out / "pt"
    before = {path: path.read_bytes() for path in folder.iterdir()}
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Moscow", "Moscow on Friday"), encoding="utf-8")

    # room for the lock file's pid and a new PO file, not for the HTML page written after it
    page = os.statvfs(small_tmpfs).f_frsize
    pages = -(-len(before[folder / "short.po"]) // page)
    keep_free = (1 + pages + 1) * page
    assert len(before[folder / "short.html"]) > 2 * page
    filler = small_tmpfs / "filler"
    filler.write_bytes(b"\0" * (free_bytes(small_tmpfs) - keep_free))
    assert free_bytes(small_tmpfs) == keep_free

    result = translate(article, out)
    assert result.returncode == 6, result.stderr
    assert last_line(result) == (f"glossator: {folder / 'short.html'}: cannot write: No space "
                                 "left on device; no output was changed")
    assert {path: path.read_bytes() for path in folder.iterdir()} == before  # no temporary left

    filler.unlink()
    assert translate(article, out).returncode == 0
    assert "Moscow on Friday" in (folder / "short.po").read_text(encoding="utf-8")
    assert sorted(path.name for path in folder.iterdir()) == sorted(p.name for p in before)


def test_full_disk_in_a_batch_changes_no_output(small_tmpfs):
    """A batch synced together on a real file system that fills up: the file that did not fit
    is named, and every output is as it was, with no temporary left."""
    folder = small_tmpfs / "pt"
    old = many_outputs(folder, 12)
    filler = small_tmpfs / "filler"
    filler.write_bytes(b"\0" * (free_bytes(small_tmpfs) - 8 * os.statvfs(small_tmpfs).f_frsize))
    page = b"x" * os.statvfs(small_tmpfs).f_frsize
    with pytest.raises(FormatError, match=r"s\d\d\.\w+: cannot write: No space left on device; "
                                          "no output was changed"):
        write_all({path: page for path in old})
    assert {path: path.read_bytes() for path in folder.iterdir()} == old


# -- killed mid-run ----------------------------------------------------------------------------

def check_complete(folder: Path, reference: Path) -> None:
    """Every output in `folder` is whole; anything else there is a hidden glossator temporary."""
    if not folder.exists():
        return
    for path in folder.iterdir():
        if path.name.startswith("."):
            assert TEMPORARY.fullmatch(path.name), path
            continue
        assert path.name in {f"short.{ext}" for ext in EXTENSIONS}, path
        expected = reference / path.name
        if path.suffix == ".po":
            entries = polib.pofile(str(path))
            assert [(e.msgctxt, e.msgid) for e in entries] == [
                (e.msgctxt, e.msgid) for e in polib.pofile(str(expected))]
            assert all(entry.msgstr for entry in entries)
        elif path.suffix in (".tmx", ".xlf"):  # they hold the time they were made
            assert len(list(ET.parse(path).iter())) == len(list(ET.parse(expected).iter()))
        else:
            assert path.read_bytes() == expected.read_bytes(), path


@pytest.mark.slow
def test_killing_a_run_at_any_moment_leaves_only_whole_outputs(tmp_path, article):
    """10 runs side by side, each killed: 4 at fixed moments of a run, 6 just after their first
    temporary file appears (inside the write step, where a half-written output could show)."""
    reference = tmp_path / "reference"
    start = time.monotonic()
    # a process, as the runs killed below are: their moments are fractions of its time
    assert translate(article, reference, "--formats", ALL_FORMATS, process=True).returncode == 0
    duration = time.monotonic() - start
    command = [sys.executable, "-m", "glossator", "translate", str(article), "--to", "pt",
               "--engine", "bergamot", "--no-glossary", "--formats", ALL_FORMATS, "--quiet"]
    # (seconds after the start, or None: seconds after the first temporary file appears)
    schedule = [(0.25 * duration, None), (0.5 * duration, None), (0.75 * duration, None),
                (0.9 * duration, None), *((None, wait) for wait in
                                          (0, 0, 0.0005, 0.001, 0.002, 0.004))]
    outs = [tmp_path / f"trial{trial}" for trial in range(len(schedule))]
    started = time.monotonic()
    running = {trial: subprocess.Popen([*command, "--out", str(out)], cwd=REPO,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for trial, out in enumerate(outs)}
    seen: dict[int, float] = {}
    deadline = started + 10 * duration + 30
    while running and time.monotonic() < deadline:
        now = time.monotonic()
        for trial, process in list(running.items()):
            after_start, after_temporary = schedule[trial]
            if after_start is not None:
                due = now >= started + after_start
            else:
                if trial not in seen and (outs[trial] / "pt").is_dir() and any(
                        name.startswith(".glossator-")
                        for name in os.listdir(outs[trial] / "pt")):
                    seen[trial] = now
                due = trial in seen and now >= seen[trial] + after_temporary
            if due or process.poll() is not None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                del running[trial]
    for process in running.values():
        process.kill()
        process.wait()
    assert not running, "runs did not finish"

    for out in outs:
        check_complete(out / "pt", reference / "pt")
    left = [out for out in outs if (out / "pt").is_dir()
            and any(TEMPORARY.fullmatch(name) for name in os.listdir(out / "pt"))]
    for out in left[:1]:  # the next run cleans a killed run's temporaries
        assert translate(article, out, "--formats", ALL_FORMATS).returncode == 0
        assert sorted(os.listdir(out / "pt")) == sorted(os.listdir(reference / "pt"))


def test_a_run_cut_off_between_renames_is_not_taken_as_up_to_date(tmp_path, monkeypatch):
    """An article's PO, sealed for resuming, is renamed into place after its other outputs:
    a run cut off between two renames leaves an older PO, and the next run translates the
    article again instead of keeping a new PO beside an old page."""
    from glossator.run.pipeline import translate_articles

    article = tmp_path / "story.txt"
    article.write_text("Story.\n\nIt rained for three days.\n", encoding="utf-8")
    out = tmp_path / "out"

    def run(**options):
        return translate_articles([article], ["pt"], engine_name="bergamot", out=out,
                                  report=lambda _line: None, **options)

    run()
    article.write_text("Story.\n\nIt rained for four days.\n", encoding="utf-8")
    real_replace, renamed = os.replace, []

    def dying(source, target):
        if renamed:
            raise OSError(errno.EIO, "EIO")
        renamed.append(Path(target).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", dying)
    with pytest.raises(FormatError, match="cannot replace"):
        run()
    monkeypatch.setattr(os, "replace", real_replace)
    assert renamed and not renamed[0].endswith(".po")
    again = run()
    assert again.translated == 1 and again.skipped == 0
    assert "four" in (out / "pt" / "story.txt").read_text(encoding="utf-8") or \
        "quatro" in (out / "pt" / "story.txt").read_text(encoding="utf-8")
