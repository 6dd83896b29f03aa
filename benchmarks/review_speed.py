"""How fast the review workspace answers on a 500-segment article.

Targets (issue 8):
- the article view served and rendered in a real browser (headless chromium, Playwright): from
  navigation to the script's "ready" mark, every row built: ≤ 1 s;
- saving one segment (edit, then approve) through the HTTP API of the running server, the
  round trip seen by the page: ≤ 100 ms (and the library call alone, for comparison);
- importing a 500-unit XLIFF with every unit approved (glossator.review.importer): ≤ 1 s;
- translation memory (issue 19), over a synthetic 100,000-unit memory: a fuzzy-match lookup
  (glossator.text.fuzzy, matches ≥ 75 %) ≤ 50 ms p95, and a concordance search of a word or
  a phrase ≤ 50 ms p95; p50 and p95 of 200 lookups and 200 searches are printed, with the
  time to build the index once. Half the lookups are a memory sentence with a word or two
  changed (they must find it), half are new sentences.

The article is synthetic (500 sentences, three pinned terms each ten sentences) and made
without an engine, so the numbers measure the workspace, not the model. Medians of a few runs;
machines here have 2 cores and are noisy.

    .venv/bin/python benchmarks/review_speed.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEGMENTS = 500
RUNS = 5
TERMS = (("North Korea", "Coreia do Norte"), ("Sergei Shoigu", "Serguei Shoigu"),
         ("Pyongyang", "Pyongyang"))


def make_project(folder: Path) -> Path:
    """OUT/pt/long.po with SEGMENTS segments, as a run would leave it; the output folder."""
    from glossator.formats.po import POFormat
    from glossator.model import Document, Pin, Segment

    document = Document(name="long", source_lang="en", target_lang="pt", article="long.txt",
                        signature="glossator bench | engine bergamot:enpt (bench) | glossary none")
    for index in range(SEGMENTS):
        paragraph, sentence = index // 5 + 1, index % 5 + 1
        source_term, target_term = TERMS[index % len(TERMS)]
        source = f"In sentence {index}, {source_term} said the talks on trade went well."
        target = f"Na frase {index}, {target_term} disse que as conversas correram bem."
        start = source.index(source_term)
        pins = [Pin(start, start + len(source_term), source_term, target_term, pinned=True)]
        document.segments.append(Segment(id=f"{paragraph}.{sentence}", source=source,
                                         paragraph=paragraph, target=target, pins=pins,
                                         machine=target))
    out = folder / "out"
    (out / "pt").mkdir(parents=True)
    (out / "pt" / "long.po").write_text(POFormat().render(document), encoding="utf-8")
    return out


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def browser_and_http(out: Path) -> tuple[float, float]:
    """(page served and rendered, one save round trip), in ms, against the CLI's server."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("chromium is not installed")
    server = subprocess.Popen([sys.executable, "-m", "glossator", "review", str(out), "--web",
                               "-q"], stdout=subprocess.PIPE, text=True, cwd=out)
    try:
        url = server.stdout.readline().strip()
        base = url.split("?")[0]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            loads = []
            for _ in range(RUNS):
                began = time.perf_counter()
                page.goto(f"{base}article?path=pt/long.po")
                page.wait_for_selector("body[data-ready='1']")
                loads.append(time.perf_counter() - began)
            assert page.locator(".seg").count() == SEGMENTS
            saves = page.evaluate("""async (runs) => {
                const csrf = document.querySelector('meta[name="glossator-csrf"]').content;
                const post = (body) => fetch('/api/save', {method: 'POST',
                  headers: {'Content-Type': 'application/json', 'X-Glossator-CSRF': csrf},
                  body: JSON.stringify({path: 'pt/long.po', ...body})}).then(r => r.json());
                let data = await (await fetch('/api/article?path=pt/long.po')).json();
                const times = [];
                for (let i = 0; i < runs; i++) {
                  const segment = data.segments[250 + i];
                  const began = performance.now();
                  const saved = await post({id: segment.id, base: segment.version,
                                            action: 'approve', text: segment.target + ' !'});
                  times.push(performance.now() - began);
                  if (saved.status !== 'saved') throw new Error(saved.status);
                }
                return times;
            }""", RUNS)
            browser.close()
        return median_ms(loads), statistics.median(saves)
    finally:
        server.terminate()
        server.wait(timeout=30)


def library_save(out: Path) -> float:
    from glossator.review.workspace import Workspace

    workspace = Workspace(out, glossary_paths=[])
    times = []
    for run in range(RUNS):
        segment = workspace.article("pt/long.po")["segments"][100 + run]
        began = time.perf_counter()
        result = workspace.save("pt/long.po", segment["id"], segment["version"], "edit",
                                segment["target"] + " ?")
        times.append(time.perf_counter() - began)
        assert result.status == "saved"
    return median_ms(times)


def xliff_import(folder: Path) -> float | None:
    try:
        from glossator.review.importer import import_units
    except ImportError:
        return None
    from glossator.formats import get_format
    from glossator.formats.po import read_po

    times = []
    for run in range(RUNS):
        copy = make_project(folder / f"import-{run}") / "pt" / "long.po"  # nothing reviewed
        document = read_po(copy)
        for segment in document.segments:
            segment.target += " (revisto)"
            segment.fuzzy = False
        xliff = folder / f"long-{run}.xlf"
        xliff.write_text(get_format("xliff").render(document), encoding="utf-8")
        began = time.perf_counter()
        [result] = import_units(xliff, copy, reviewer="bench")
        times.append(time.perf_counter() - began)
        assert len(result.approved) == SEGMENTS, result.lines()
    return median_ms(times)


MEMORY_UNITS = 100_000
QUERIES = 200


def synthetic_memory(units: int, seed: int = 19) -> list[tuple[str, str]]:
    """`units` (source, target) pairs: sentences of 8 to 30 words drawn with a Zipf law from
    the benchmark articles' vocabulary (so "the" is common and names are rare), the target a
    word-for-word stand-in of the same shape."""
    import random
    import re

    rng = random.Random(seed)
    text = " ".join(path.read_text(encoding="utf-8")
                    for path in sorted((ROOT / "benchmarks" / "articles").glob("*.txt")))
    counts: dict[str, int] = {}
    for word in re.findall(r"[A-Za-z][a-z']+", text):
        counts[word] = counts.get(word, 0) + 1
    vocabulary = sorted(counts, key=lambda word: -counts[word])
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    pairs = []
    for _ in range(units):
        sentence = rng.choices(vocabulary, weights, k=rng.randint(8, 30))
        source = " ".join(sentence).capitalize() + "."
        pairs.append((source, " ".join(word[::-1] for word in sentence).capitalize() + "."))
    return pairs


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in ms."""
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000)


def memory_speed() -> list[tuple[str, float, float, float]]:
    """(measure, p50 ms, p95 ms, target ms) for lookups and searches in a 100,000-unit memory;
    the index's build time as p50 = p95."""
    import random

    from glossator.text.fuzzy import FuzzyIndex, Unit

    pairs = synthetic_memory(MEMORY_UNITS)
    began = time.perf_counter()
    index = FuzzyIndex(Unit(source, target, "memory") for source, target in pairs)
    built = time.perf_counter() - began
    rng = random.Random(7)
    queries = []
    for number in range(QUERIES):
        if number % 2:
            queries.append(synthetic_memory(1, seed=number)[0][0])
            continue
        words = rng.choice(pairs)[0].split()
        words[rng.randrange(len(words))] = "Pyongyang"
        queries.append(" ".join(words))
    lookups, found = [], 0
    for query in queries:
        began = time.perf_counter()
        matches = index.lookup(query)
        lookups.append(time.perf_counter() - began)
        found += bool(matches)
    assert found >= QUERIES // 2, f"only {found} lookups found a match"
    phrases = [" ".join(rng.choice(pairs)[0].split()[2:2 + rng.randint(1, 3)])
               for _ in range(QUERIES)]
    searches = []
    for phrase in phrases:
        began = time.perf_counter()
        hits, _more = index.search(phrase)
        searches.append(time.perf_counter() - began)
        assert hits, f"{phrase!r} found nowhere"
    return [(f"build the index of {MEMORY_UNITS:,} units (once)", built * 1000, built * 1000,
             0),
            (f"fuzzy lookup, {MEMORY_UNITS:,} units ({found}/{QUERIES} found)",
             *percentiles(lookups), 50),
            (f"concordance search, {MEMORY_UNITS:,} units", *percentiles(searches), 50)]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="glossator-review-bench-") as name:
        folder = Path(name)
        out = make_project(folder)
        rows = []
        try:
            page_ms, http_ms = browser_and_http(out)
            rows.append(("article view served and rendered (browser)", page_ms, 1000))
            rows.append(("save one segment, HTTP round trip (browser fetch)", http_ms, 100))
        except Exception as error:  # no browser here: say so, measure the rest
            print(f"browser rows not available: {error}", file=sys.stderr)
        rows.append(("save one segment, library call", library_save(out), 100))
        imported = xliff_import(folder)
        print(f"review workspace, {SEGMENTS}-segment article, median of {RUNS} runs")
        print(f"{'measure':54} {'ms':>8} {'target':>8} {'ratio':>6}")
        for label, value, target in rows:
            print(f"{label:54} {value:8.1f} {target:8} {value / target:6.2f}")
        label = f"import a {SEGMENTS}-unit XLIFF (glossator.review.importer)"
        if imported is None:
            print(f"{label:54} {'not available':>8}")
        else:
            print(f"{label:54} {imported:8.1f} {1000:8} {imported / 1000:6.2f}")
    print(f"\ntranslation memory, {QUERIES} queries each")
    print(f"{'measure':54} {'p50 ms':>8} {'p95 ms':>8} {'target':>8} {'ratio':>6}")
    for label, p50, p95, target in memory_speed():
        ratio = f"{p95 / target:6.2f}" if target else ""
        print(f"{label:54} {p50:8.1f} {p95:8.1f} {target or '':>8} {ratio:>6}")


if __name__ == "__main__":
    main()
