from __future__ import annotations

import threading
from pathlib import Path

from glossator.io import cache
from glossator.io.cache import entry_path, read_cached, write_cached


def test_the_folder_is_the_environments(cache_folder: Path, monkeypatch):
    assert cache.cache_folder() == cache_folder  # conftest's, never the user's
    monkeypatch.delenv("GLOSSATOR_CACHE")
    assert "glossator" in cache.cache_folder().parts


def test_an_entry_reads_back_as_written():
    assert read_cached("test", "model a | glossary 1") is None
    write_cached("test", "model a | glossary 1", b"\x00some bytes\n")
    assert read_cached("test", "model a | glossary 1") == b"\x00some bytes\n"
    assert read_cached("test", "model a | glossary 2") is None
    write_cached("test", "model a | glossary 1", b"new")
    assert read_cached("test", "model a | glossary 1") == b"new"


def test_a_corrupt_entry_is_a_miss_and_is_rewritten():
    write_cached("test", "key", b"0123456789" * 100)
    path = entry_path("test", "key")
    whole = path.read_bytes()
    for damaged in (whole[:-1], whole[:20], b"", whole.replace(b"5", b"6", 1),
                    b"glossator-cache 1 " + b"0" * 32 + b"\n" + b"0123456789" * 100):
        path.write_bytes(damaged)
        assert read_cached("test", "key") is None
    write_cached("test", "key", b"fresh")
    assert read_cached("test", "key") == b"fresh"


def test_a_folder_that_cannot_be_written_is_only_a_miss(tmp_path: Path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GLOSSATOR_CACHE", str(blocker / "cache"))
    write_cached("test", "key", b"data")  # no error
    assert read_cached("test", "key") is None


def test_writers_at_once_leave_one_whole_entry():
    contents = [bytes([65 + index]) * 200_000 for index in range(6)]
    threads = [threading.Thread(target=write_cached, args=("test", "shared", data))
               for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read_cached("test", "shared") in contents
    assert [p.name for p in entry_path("test", "shared").parent.iterdir()
            if p.name.startswith(".")] == []  # no temporary left behind


def test_keys_never_reach_the_file_name():
    path = entry_path("terms", "../../etc/passwd | bergamot:pt/en\n")
    assert path.parent == cache.cache_folder() and path.name.startswith("terms-")
    assert "/" not in path.name and ".." not in path.name
