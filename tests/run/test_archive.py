"""Archive runs: finding articles, mirrored outputs, resume, streaming chunks, identical
segments sent once, --keep-going, progress, and chunks that travel between processes."""

from __future__ import annotations

import io
import os
import pickle
import re
import signal
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from glossator.errors import InputError, UsageError
from glossator.model import Segment
from glossator.run.context import RunContext
from glossator.run.discovery import discover
from glossator.run.executors import Chunk, LocalExecutor, work_chunk
from glossator.run.progress import PlainProgress, Progress, make_progress
from glossator.run.resume import up_to_date
from glossator.terms.pinning import attach_pins
from helpers import REPO, run_cli

STORIES = {
    "seoul": "Seoul talks end\n\nThe talks ended in Seoul on Thursday. Kim flew home.\n",
    "moscow": "Moscow visit\n\nShoigu arrived in Moscow. The talks ended in Seoul on Thursday.\n",
    "tokyo": "Tokyo summit\n\nLeaders met in Tokyo. They agreed on trade.\n",
}


def make_tree(root: Path) -> dict[str, Path]:
    """archive/2024/seoul.txt, archive/2024/moscow.txt, archive/2025/tokyo.txt, plus files a
    run must not take: a hidden folder, a file of no article format."""
    paths = {}
    for name, folder in (("seoul", "2024"), ("moscow", "2024"), ("tokyo", "2025")):
        path = root / "archive" / folder / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(STORIES[name], encoding="utf-8")
        paths[name] = path
    (root / "archive" / ".hidden").mkdir()
    (root / "archive" / ".hidden" / "secret.txt").write_text("x\n\ny.\n", encoding="utf-8")
    (root / "archive" / "2024" / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return paths


def relatives(sources) -> list[str]:
    return [str(source.relative) for source in sources]


# -- finding the articles ----------------------------------------------------------------------

def test_a_folder_is_walked_and_mirrored_from_itself(tmp_path):
    make_tree(tmp_path)
    found = discover([tmp_path / "archive"])
    assert relatives(found) == ["2024/moscow.txt", "2024/seoul.txt", "2025/tokyo.txt"]
    assert relatives(discover([tmp_path / "archive"], glob="*.csv")) == ["2024/notes.csv"]


def test_files_are_mirrored_from_their_common_folder(tmp_path):
    paths = make_tree(tmp_path)
    assert relatives(discover([paths["seoul"]])) == ["seoul.txt"]  # one file: as before
    assert relatives(discover([paths["seoul"], paths["tokyo"]])) == ["2024/seoul.txt",
                                                                      "2025/tokyo.txt"]
    # the same file twice, or under a folder also given, is one article
    found = discover([tmp_path / "archive", paths["seoul"], str(paths["seoul"])])
    assert len(found) == 3


def test_glob_patterns_and_files_from(tmp_path):
    paths = make_tree(tmp_path)
    found = discover([str(tmp_path / "archive" / "**" / "*o*.txt")])
    assert relatives(found) == ["2024/moscow.txt", "2024/seoul.txt", "2025/tokyo.txt"]
    listing = tmp_path / "list.txt"
    listing.write_text(f"{paths['tokyo']}\n\n{paths['moscow']}\r\n", encoding="utf-8")
    assert relatives(discover([], files_from=listing)) == ["2025/tokyo.txt", "2024/moscow.txt"]
    stdin = io.StringIO(f"{paths['seoul']}\n")
    assert relatives(discover([], files_from="-", stdin=stdin)) == ["seoul.txt"]


def test_the_output_folder_inside_an_input_folder_is_not_read(tmp_path):
    make_tree(tmp_path)
    out = tmp_path / "archive" / "locale"
    (out / "pt").mkdir(parents=True)
    (out / "pt" / "seoul.txt").write_text("Saída\n\nJá traduzido.\n", encoding="utf-8")
    assert len(discover([tmp_path / "archive"], exclude=[out])) == 3


@pytest.mark.parametrize(("arguments", "error", "message"), [
    ([], UsageError, "no article given"),
    (["{root}/archive/*.nope"], InputError, "matches no file"),
    (["{root}/archive/2024"], InputError, "no file matching '*.rst' in this folder"),
])
def test_finding_nothing_is_a_one_line_error(tmp_path, arguments, error, message):
    make_tree(tmp_path)
    with pytest.raises(error, match=re.escape(message)):
        discover([a.format(root=tmp_path) for a in arguments],
                 glob="*.rst" if arguments and arguments[0].endswith("2024") else "*.txt")


def test_a_list_file_holds_paths_as_bytes_and_a_bad_line_is_named(tmp_path):
    # Linux file names are bytes: one that is not UTF-8 is still a file to translate.
    listing = tmp_path / "list.txt"
    listing.write_bytes(b"a.txt\nb\xff.txt\n")
    found = discover([], files_from=listing)
    assert [os.fsencode(source.path.name) for source in found] == [b"a.txt", b"b\xff.txt"]
    listing.write_bytes(b"a.txt\nb\x00.txt\n")
    with pytest.raises(InputError, match=r"list.txt:2: a path holds a NUL character"):
        discover([], files_from=listing)


# -- runs ---------------------------------------------------------------------------------------

def translate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("translate", *args, "--to", "pt", "--engine", "bergamot", "--no-glossary",
                   "--formats", "po,txt", cwd=cwd)


def body(po: Path) -> str:
    """A PO file less the lines that change from run to run (dates, the resume line)."""
    return "\n".join(line for line in po.read_text(encoding="utf-8").splitlines()
                     if "-Date:" not in line and not line.startswith("# resume:"))


def test_archive_run_resume_and_what_invalidates_it(tmp_path):
    paths = make_tree(tmp_path)
    first = translate("archive", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "locale" / "pt"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.po")) == [
        "2024/moscow.po", "2024/seoul.po", "2025/tokyo.po"]
    # "The talks ended in Seoul on Thursday." is in two articles: translated once
    assert "translating 8 segments from 3 articles" in first.stderr  # of 9

    again = translate("archive", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""
    assert "translating" not in again.stderr
    assert "0 translated, 3 skipped (unchanged)" in again.stderr

    paths["tokyo"].write_text(STORIES["tokyo"] + "\nTrade grew.\n", encoding="utf-8")
    (out / "2024" / "moscow.txt").unlink()  # an output gone
    seoul_po = out / "2024" / "seoul.po"  # a person's edit
    seoul_po.write_text(seoul_po.read_text(encoding="utf-8").replace("#, fuzzy\n", "", 1),
                        encoding="utf-8")
    changed = translate("archive", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    assert sorted(changed.stdout.split()) == sorted(
        str(Path("locale/pt") / rel) for rel in ("2024/moscow.po", "2024/moscow.txt",
                                                 "2024/seoul.po", "2024/seoul.txt",
                                                 "2025/tokyo.po", "2025/tokyo.txt",
                                                 "memory.tmx"))
    assert "translating 1 segment from 1 article" in changed.stderr  # only "Trade grew."
    assert "3 translated, 0 skipped" in changed.stderr

    forced = translate("archive", "--force", cwd=tmp_path)
    assert "3 translated, 0 skipped" in forced.stderr
    # the entry the person approved is kept; everything else is machine output, re-translated
    assert "2024/seoul (pt): 1 kept from the previous run, 2 to translate" in forced.stderr
    assert "translating 8 segments from 3 articles" in forced.stderr


def test_chunks_of_any_size_give_the_same_files(tmp_path):
    make_tree(tmp_path)
    whole = translate("archive", "--out", "whole", cwd=tmp_path)
    small = translate("archive", "--out", "small", "--chunk-size", "2", cwd=tmp_path)
    assert whole.returncode == small.returncode == 0
    assert small.stderr.count("translating ") == 4  # 8 distinct segments, 2 a chunk
    for po in (tmp_path / "whole").rglob("*.po"):
        assert body(po) == body(tmp_path / "small" / po.relative_to(tmp_path / "whole"))


def test_keep_going_reports_a_bad_article_and_translates_the_rest(tmp_path):
    make_tree(tmp_path)
    bad = tmp_path / "archive" / "2024" / "broken.txt"
    bad.write_bytes(b"Title\n\nOl\xe1 mundo.\n")
    stopped = translate("archive", cwd=tmp_path)
    assert stopped.returncode == 3
    assert stopped.stderr.strip().splitlines() == [
        "glossator: archive/2024/broken.txt:3: invalid UTF-8 at byte offset 9 (byte 0xe1)"]
    assert not (tmp_path / "locale").exists()

    going = translate("archive", "--keep-going", "--quiet", cwd=tmp_path)
    assert going.returncode == 3
    assert going.stderr.splitlines() == [
        "glossator: archive/2024/broken.txt:3: invalid UTF-8 at byte offset 9 (byte 0xe1)",
        "glossator: 1 article(s) failed"]
    assert len(going.stdout.split()) == 6


@pytest.mark.slow
def test_a_killed_run_resumes_where_it_stopped(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for number in range(12):
        (archive / f"story{number:02}.txt").write_text(
            f"Story {number}\n\nTalks number {number} ended in Seoul. Delegates left on day "
            f"{number + 1}.\n", encoding="utf-8")
    command = [sys.executable, "-m", "glossator", "translate", "archive", "--to", "pt",
               "--engine", "bergamot", "--no-glossary", "--formats", "po", "--chunk-size", "2"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    first_line = process.stdout.readline()  # the first article is written
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert first_line.strip() == os.path.join("locale", "pt", "story00.po")
    written = set((tmp_path / "locale" / "pt").glob("*.po"))

    resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(written)} skipped (unchanged)" in resumed.stderr
    assert set(resumed.stdout.split()) == {
        os.path.join("locale", "pt", f"story{n:02}.po") for n in range(12)} - {
        str(p.relative_to(tmp_path)) for p in written}
    assert not list((tmp_path / "locale" / "pt").glob(".glossator-*"))
    for po in (tmp_path / "locale" / "pt").glob("*.po"):
        assert up_to_date(po, re.search(r"# resume: (\w+)", po.read_text())[1])


# -- chunks between processes -------------------------------------------------------------------

class PicklingExecutor(LocalExecutor):
    """Chunks and results cross a process boundary as they would to a Ray actor: the driver
    must never rely on getting its own objects back."""

    def run(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        for chunk in chunks:
            travelled = pickle.loads(pickle.dumps(chunk))
            context = pickle.loads(pickle.dumps(self.context))
            done = work_chunk(self.engines.get(travelled.target), travelled, context)
            yield pickle.loads(pickle.dumps(done))


def test_chunks_that_travel_give_the_same_files(tmp_path, monkeypatch):
    from glossator.run import pipeline

    make_tree(tmp_path)
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,pt\nSeoul,Seul\nShoigu,Shoigu\n", encoding="utf-8")

    def run(out: str):
        return pipeline.translate_articles([tmp_path / "archive"], ["pt"], engine_name="bergamot",
                                      out=tmp_path / out, glossary_paths=[glossary],
                                      chunk_segments=3)

    local = run("local")
    monkeypatch.setattr(pipeline, "_executor",
                        lambda context, engines, *_: PicklingExecutor(context, engines))
    remote = run("remote")
    assert local.translated == remote.translated == 3
    assert local.term_reports[0].found == remote.term_reports[0].found == 4
    for po in (tmp_path / "local").rglob("*.po"):
        assert body(po) == body(tmp_path / "remote" / po.relative_to(tmp_path / "local"))


def test_work_chunk_fills_targets_and_probe_grammar():
    from glossator.glossary.matcher import TermMatcher
    from glossator.glossary.model import Concept
    from glossator.run.executors import EngineCache

    context = RunContext(source="en", targets=("pt",), engine_name="bergamot")
    matcher = TermMatcher([Concept(("Pyongyang",), {"pt": ("Pyongyang",)})])
    kept = Segment("1.1", "Pyongyang is far.", 1)
    attach_pins([kept], matcher, "pt")
    chunk = Chunk(1, "pt", [Segment("2.1", "The talks ended in Seoul.", 2)], kept.pins)
    done = work_chunk(EngineCache(context).get("pt"), chunk, context)
    assert done.segments[0].target and done.segments[0].fuzzy
    pin = done.probe[0]  # grammar the engine's own use of the term shows, read off
    assert (pin.gender, pin.number, pin.article) != (None, None, None)


# -- progress ------------------------------------------------------------------------------------

def test_plain_progress_lines():
    stream = io.StringIO()
    progress = PlainProgress(stream, every=0.0)
    progress.begin("pt", 4)
    progress.update(articles=1, segments=30)
    progress.end()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("progress pt: 1/4 articles, 30 segments, ")
    assert re.search(r"segments/s, ETA \d\d:\d\d$", lines[0])
    assert len(lines) == 2


def test_quiet_and_non_terminal_progress():
    assert type(make_progress(quiet=True)) is Progress
    assert isinstance(make_progress(stream=io.StringIO()), PlainProgress)


def test_help_lists_the_archive_options():
    result = run_cli("translate", "--help", cwd=REPO)
    for option in ("--glob", "--files-from", "--force", "--keep-going", "--cluster",
                   "--chunk-size"):
        assert option in result.stdout
