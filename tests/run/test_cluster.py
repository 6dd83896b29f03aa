"""`--cluster ray`: chunks translated on Ray actors give the files an in-process run gives, and
an actor that dies mid-run has its work redone elsewhere, nothing lost or written twice.

One local Ray with 2 CPUs serves the module (starting Ray takes seconds).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from glossator.errors import EngineError, UsageError
from glossator.run.cluster import CRASH_ENV, RETRIES, RayExecutor, check_address
from glossator.run.context import RunContext
from glossator.run.pipeline import translate_articles
from helpers import REPO

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[ray]')")

ARTICLES = sorted((REPO / "benchmarks" / "articles").glob("*.txt"))[:4]
GLOSSARY = REPO / "glossaries" / "north-korea.csv"
# The PO header's dates (and the hash over them) differ between two runs; nothing else may.
# Each run's output folder sits beside the archive's (tmp_path_factory.mktemp), so the path to
# the article that every PO records, relative to its output folder, is the same in all.
_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*$'
                    r"|(?<=^# resume: [0-9a-f]{32} )\S+$", re.MULTILINE)


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="warning")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    for index, path in enumerate(ARTICLES):
        (folder / f"desk{index % 2}").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / f"desk{index % 2}" / path.name)
    return folder


@pytest.fixture(scope="module")
def in_process(archive: Path, tmp_path_factory: pytest.TempPathFactory):
    """The archive translated in this process: what every Ray run must write."""
    out = tmp_path_factory.mktemp("in-process")
    return translate(archive, out), outputs(out)


def translate(archive: Path, out: Path, **options):
    # The real bergamot model: a random argos model's attention has near-ties that rounding
    # in differently shaped batches breaks either way, so its pins land by chance.
    return translate_articles([archive], ["pt"], engine_name="bergamot", out=out,
                         glossary_paths=[GLOSSARY], chunk_segments=25, **options)


def outputs(out: Path) -> dict[str, str]:
    return {str(path.relative_to(out)): _DATES.sub("", path.read_text(encoding="utf-8"))
            for path in sorted(out.rglob("*")) if path.is_file() and path.name != ".lock"}


def test_cluster_addresses_are_checked_before_ray_is_imported():
    assert check_address("ray") == "ray"
    assert check_address("ray://head.example:10001") == "ray://head.example:10001"
    for wrong in ("spark", "ray://head", "ray://:10001", "http://head:10001"):
        with pytest.raises(UsageError, match="unknown cluster"):
            check_address(wrong)


@pytest.mark.slow
def test_a_run_on_ray_writes_what_an_in_process_run_writes(local_ray, archive, in_process,
                                                            tmp_path_factory):
    local, expected = in_process
    out = tmp_path_factory.mktemp("ray")
    on_ray = translate(archive, out, cluster="ray")
    assert (on_ray.translated, on_ray.skipped, on_ray.failed) == (len(ARTICLES), 0, [])
    assert len([name for name in expected if name.endswith(".po")]) == len(ARTICLES)
    assert outputs(out) == expected
    assert [r.line() for r in on_ray.term_reports] == [r.line() for r in local.term_reports]


@pytest.mark.slow
def test_an_actor_killed_mid_run_has_its_chunk_redone(local_ray, archive, in_process,
                                                       tmp_path, tmp_path_factory, monkeypatch):
    marker = tmp_path / "crashed"
    # The first actor to start its second chunk exits at once, as a killed process does.
    monkeypatch.setenv(CRASH_ENV, f"2:{marker}")
    out = tmp_path_factory.mktemp("ray")
    result = translate(archive, out, cluster="ray")
    assert marker.exists()
    assert (result.translated, result.failed) == (len(ARTICLES), [])
    written = outputs(out)
    assert written == in_process[1]
    for name, text in written.items():
        if name.endswith(".po"):
            contexts = re.findall(r'^msgctxt "(.*)"$', text, re.MULTILINE)
            assert contexts and len(contexts) == len(set(contexts)), name


@pytest.mark.slow
def test_the_executor_retries_on_a_fresh_actor_and_cuts_chunks_per_actor(local_ray, argos_dir,
                                                                         tmp_path, monkeypatch):
    from glossator.model import Segment
    from glossator.run.executors import WAIT, Chunk

    monkeypatch.setenv(CRASH_ENV, f"1:{tmp_path / 'crashed'}")
    context = RunContext(source="en", targets=("de",), engine_name="argos")
    executor = RayExecutor(context, "ray", actors=2)
    try:
        chunks = [Chunk(n, "de", [Segment(id=f"{n}.{i}", source=f"Sentence {i} of {n}.",
                                          paragraph=1) for i in range(150)]) for n in range(3)]
        # WAIT: the scheduler holds all it may; drawn on once a chunk is back
        back = list(executor.run(iter([*chunks[:2], WAIT, chunks[2]])))
    finally:
        executor.close()
    assert sorted(chunk.id for chunk in back) == [0, 1, 2]
    for chunk in back:
        assert [s.id for s in chunk.segments] == [f"{chunk.id}.{i}" for i in range(150)]
        assert all(s.target for s in chunk.segments)
    assert executor.retried >= 1


@pytest.mark.slow
def test_errors_on_ray_reach_the_driver_as_one_line(local_ray):
    from glossator.model import Segment
    from glossator.run.executors import Chunk

    # en→de with bergamot: the actor's engine refuses the pair, as it would in this process.
    context = RunContext(source="en", targets=("de",), engine_name="bergamot")
    executor = RayExecutor(context, "ray", actors=1)
    try:
        with pytest.raises(EngineError, match="engine 'bergamot' cannot translate English"):
            list(executor.run([Chunk(0, "de", [Segment(id="1.1", source="Hello.",
                                                       paragraph=1)])]))
    finally:
        executor.close()
    gpu_run = RunContext(source="en", targets=("pt",), engine_name="argos", device="cuda")
    with pytest.raises(EngineError, match="has no GPU to give an actor"):
        RayExecutor(gpu_run, "ray")


@pytest.mark.slow
def test_a_run_whose_actors_keep_dying_stops_and_stderr_holds_glossators_lines_only(
        cli, argos_dir, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("The minister arrived.\n\nTalks began at noon.\n", encoding="utf-8")
    # Every actor exits on its first part: the one part dies on RETRIES + 1 actors in turn.
    run = cli("translate", str(article), "--to", "de", "--engine", "argos", "--no-glossary",
              "--cluster", "ray", "--out", str(tmp_path / "out"), env={CRASH_ENV: "1"},
              process=True)
    assert run.returncode == EngineError.exit_code, run.stderr
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    own = ("glossary: ", "translating ", "ray: ", "progress ", "glossator: ")
    # Ray prints what its raylet says of a dead worker as "\x1b[33m(raylet)\x1b[0m ..." lines.
    assert [line for line in lines if not line.startswith(own)] == [], run.stderr
    died = r"an actor died \(pid \d+ on \S+: The actor died unexpectedly[^)]*\)"
    retries = [line for line in lines if line.startswith("ray: ")]
    assert len(retries) == RETRIES, run.stderr
    for count, line in enumerate(retries, 1):
        assert re.fullmatch(rf"ray: {died}; chunk 1 \(de\) part 1 goes to a fresh actor "
                            rf"\(retry {count} of {RETRIES}\)", line), line
    assert re.fullmatch(r"glossator: chunk 1 \(de\) part 1 failed, the run stops: its Ray actor "
                        rf"died {RETRIES + 1} times; last: pid \d+ on \S+: The actor died "
                        r"unexpectedly.*", lines[-1]), lines[-1]
    assert "fresh actor" not in lines[-1]
