"""Load test of `glossator serve` on loopback: do concurrent requests gathered into one engine
call pay off, and does the server hold its memory?

N clients (1, 8, 32) each send a fixed number of requests one after another, one news sentence
per request (the sentences of benchmarks/articles/), against servers started by this script on
free loopback ports, with request gathering on (`--batch-wait 5`) and off (`--batch-wait 0`:
one request per engine call). Both servers run at once and the rounds alternate between them;
speed and latency come from each row's best round, errors and lost requests are summed over
all rounds. Engines:

- argos: a random model of Argos' size (built as benchmarks/engine_speed.py builds it: 6+6
  layers, d_model 512, 32000 tokens, int8, end-of-sentence suppressed, outputs cut at 64
  tokens, beam 4), no glossary (a random model never renders a term, so every pin would go
  through the fallbacks and measure those instead; full dates are still pinned, as always);
- bergamot: the real en→pt model, with the repository's glossary.

Beside each engine's servers runs the CLI's batch path on the 32-client row's sentences:
`glossator.run.pipeline.translate_articles` (what `glossator translate` calls) over one
temporary article holding them one per paragraph, PO out, the glossary found as serve finds it,
in a child process whose rounds alternate with that row's (best kept). Its engine is built with
serve's settings and warmed before timing and handed to the run, as serve loads its models
before the port opens; the run's own work (glossary, segmenting, pins, QA, writing the PO) is
timed. `server.textjob.translate_texts` would be serve's path, not the CLI's.

Printed: requests/s and p50/p95 latency per row, errors and lost requests (sent − answered);
serve's sentences/s at 32 clients, gathering on (one sentence per request) next to the CLI
batch's; then the server's resident memory over 10,000 more requests of a mixed load
(bergamot, the faster on these machines, gathering on, 32 clients): of every 50, one bad
request that must get a 4xx (no `q`, an unknown target, over `--char-limit`, over
`--body-limit`, in turn), and of the others one in ten long (8 sentences, two paragraphs), one
`format=html`, one with `alternatives: 2` (bergamot gives one hypothesis, so an empty list) and
seven single sentences. `--engines ''` runs the memory part only.

Targets: at 32 clients, gathering on ≥ 3× the throughput of one-at-a-time decoding (argos,
gathering off); serve at 32 clients ≥ the CLI's batch in sentences/s (ratio ≥ 1.0); p95
reported; no error, no request lost; memory after 10,000 requests within 10% of memory after
the first 1,000 (no growth), every request answered as it should be.

    .venv/bin/python benchmarks/serve_load.py [--requests 3] [--rounds 2] [--memory-requests 10000]

Measured 2026-12-07 on 2 cores (req/s, gathering on / off): argos 1 client 1.5 / 1.6, 8 clients
4.4 / 1.5, 32 clients 5.3 / 1.6 (3.31x; 3.50x and 3.91x in two other runs that day, p95 at 32
clients 5.7-6.5 s against 20-22 s); bergamot 1 client 29.0 / 31.7 (p50 38 / 32 ms), 32 clients
47.5 / 29.7 (1.60x, p95 767 ms); no error, no request lost; bergamot's RSS 314 MB after the
first 992 requests, 319 MB after 10,912 (every checkpoint 314-323 MB). Two changes that
day: the gatherer waits to fill a batch after each decode (before, it took whatever had come
back: argos 4.0 req/s at 8 clients, 3.51x at 32), and the listening socket turns Nagle off
(before, every response waited ~40 ms for a delayed ACK: bergamot p50 at 1 client 91 ms).

Later that day, with the CLI batch and the mixed memory load (`--memory-requests 0`, then
`--engines '' --memory-requests 10000`):

| engine | gathering | 1 client | 8 clients | 32 clients | p95 at 32 |
|---|---|---|---|---|---|
| argos | on / off | 1.8 / 1.9 | 5.0 / 1.8 | 7.3 / 1.7 (4.28x) | 5.3 / 19.0 s |
| bergamot | on / off | 32.9 / 32.7 | 32.2 / 32.1 | 60.2 / 38.0 (1.58x) | 723 / 887 ms |

No error, no request lost. Serve at 32 clients vs the CLI's batch of the same 96 sentences,
sentences/s: argos 7.3 vs 7.8 (0.94), bergamot 60.2 vs 83.7 (0.72): both MISS serve >= CLI.
Mixed-load memory (bergamot): 299 MB at start, 329 MB after 992 requests, 319 MB after
10,912 (-3.0%; checkpoints 327-338 MB), in 339 s. 38 requests failed, all with a body over
`--body-limit`: the server answers 413 and closes without reading the body, and a client still
sending gets a connection reset (httpx ReadError) instead (the failures were sorted by kind
after this run, in a 1,600-request run: 6 of 6 such requests). Every other bad request got its
400.

That evening, after the load rows moved from httpx to a lean keep-alive client (httpx cost
~4.5 ms of CPU a request on the server's own two cores) and the server read a refused body
before its 413, on an idle machine (`--memory-requests 0 --rounds 2`): argos 2.0 / 7.3 / 8.6
req/s gathering on (4.79x at 32 clients), bergamot 29.2 / 63.3 / 82.9 (2.04x); serve vs CLI
batch argos 8.6 vs 8.9 (0.97), bergamot 82.9 vs 88.6 (0.94), and 86.1 vs 79.4 (1.08) in a
bergamot-only run before it: parity within the noise. Mixed load, 3,168 requests: 300 MB at
start, 337 MB after 288, 339 MB at the end (+0.6%), no request failed, 413s included.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

CLIENTS = (1, 8, 32)
TARGETS = {"argos": "de", "bergamot": "pt"}


def news_sentences() -> list[str]:
    from glossator.text.segmenter import split_sentences

    sentences = []
    for path in sorted((ROOT / "benchmarks" / "articles").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in split_sentences(line.strip(), "en") if len(s) > 30]
    return sentences


def build_argos_size_model(scratch: Path) -> Path:
    """Install the Argos-size random en→de model under scratch; return the packages folder."""
    from engine_speed import SEED

    from glossator.engines.argos_packages import install_package_file
    from tiny_argos import build_argos_package

    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    archive = build_argos_package(
        scratch / "archives", "en", "de", seed=7, layers=6, d_model=512, heads=8, ffn=2048,
        vocab_size=32000, suppress_early_eos=True, quantization="int8",
        training_text=lines * 30, training_sentences=40000, lexicon_size=40000)
    install_package_file(archive, scratch / "packages")
    return scratch / "packages"


def serve(engine: str, batch_wait: float) -> None:
    """The server process: `glossator serve`, with the benchmark's decoding length."""
    from engine_speed import BEAM_SIZE, MAX_DECODING_LENGTH

    from glossator.server.launch import run_api
    from glossator.server.limits import Limits
    from glossator.server.service import ServiceOptions

    options = ServiceOptions(
        engine_name=engine, beam_size=BEAM_SIZE, batch_wait=batch_wait / 1000,
        gather=batch_wait > 0, glossary_paths=() if engine == "argos" else None,
        engine_options=(("max_decoding_length", MAX_DECODING_LENGTH),))
    run_api("127.0.0.1", 0, options, limits=Limits(timeout=600),
            on_address=lambda url: print(url, flush=True))


class Server:
    def __init__(self, engine: str, batch_wait: float, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", engine, str(batch_wait)], cwd=ROOT,
            env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"the {engine} server did not start")

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(60)


def cli_child(engine_name: str, article: str) -> None:
    """The CLI's batch path in a child process: `translate_articles` over one article file
    holding the sentences one per paragraph, PO out, the glossary found as serve finds it
    (cwd = repository). The engine is built and warmed before timing, with serve's settings,
    and handed to the run (a run builds its own otherwise): serve loads its models before the
    port opens, so neither side pays for loading. One round per line read; prints seconds."""
    import json

    from engine_speed import BEAM_SIZE, MAX_DECODING_LENGTH

    import glossator.engines
    from glossator.run.pipeline import translate_articles
    from glossator.text.article import read_article
    from glossator.text.document import build_document

    target = TARGETS[engine_name]
    engine = glossator.engines.choose_engine(
        engine_name, "en", target, beam_size=BEAM_SIZE, threads=os.cpu_count() or 1,
        max_decoding_length=MAX_DECODING_LENGTH)
    engine.translate(["Hello."], "en", target)
    glossator.engines.choose_engine = lambda *_args, **_options: engine
    segments = len(build_document(read_article(article), "en", None).segments)
    print(json.dumps({"segments": segments}), flush=True)
    for round_, _line in enumerate(sys.stdin):
        out = Path(article).parent / f"out-{round_}"
        start = time.perf_counter()
        result = translate_articles(
            [article], [target], engine_name=engine_name, out=out, formats=["po"],
            beam_size=BEAM_SIZE, glossary_paths=() if engine_name == "argos" else None,
            report=lambda _line: None)
        seconds = time.perf_counter() - start
        assert result.translated == 1, result.summary()
        print(json.dumps({"seconds": seconds}), flush=True)


class CliBatch:
    """`cli_child` running beside the servers, one round per `round()`: its rounds alternate
    with serve's, so a load spike hits both alike."""

    def __init__(self, engine: str, sentences: list[str], folder: Path, env: dict[str, str]):
        import json

        folder.mkdir(parents=True)
        article = folder / "sentences.txt"
        article.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        self.sentences = len(sentences)
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--cli", engine, str(article)], cwd=ROOT,
            env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the {engine} CLI batch did not start")
        self.segments = json.loads(line)["segments"]
        if self.segments != self.sentences:
            raise SystemExit(f"the article cut {self.sentences} sentences into "
                             f"{self.segments} segments")

    def round(self) -> float:
        """Sentences per second of one run."""
        import json

        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return self.sentences / json.loads(self.process.stdout.readline())["seconds"]

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(60)


async def load(url: str, target: str, clients: int, per_client: int,
               sentences: list[str]) -> tuple[float, list[float], int, int]:
    """(seconds, latencies of answered requests, errors, lost).

    Each client is one keep-alive HTTP/1.1 connection written with asyncio's streams, as wrk
    or ab would: the load generator shares the server's two cores, and httpx spent ~4.5 ms of
    CPU a request (a sixth of a sentence's decode) that the CLI's batch never pays. Every
    answer is still parsed and checked (status 200, a translatedText)."""
    import json

    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0

    async def client(number: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for k in range(per_client):
                text = sentences[(number * per_client + k) % len(sentences)]
                body = json.dumps({"q": text, "source": "en", "target": target}).encode()
                start = time.perf_counter()
                writer.write(b"POST /translate HTTP/1.1\r\nHost: %s\r\n"
                             b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                             % (host.encode(), len(body)) + body)
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                    answer = json.loads(await reader.readexactly(length))
                    ok = head.startswith(b"HTTP/1.1 200") and bool(answer["translatedText"])
                except (OSError, asyncio.IncompleteReadError, ValueError, KeyError, IndexError):
                    errors += per_client - k
                    return
                if ok:
                    latencies.append(time.perf_counter() - start)
                else:
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    seconds = time.perf_counter() - start
    lost = clients * per_client - len(latencies) - errors
    return seconds, latencies, errors, lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3, help="requests per client")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per row, best kept")
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument("--engines", default="argos,bergamot")
    parser.add_argument("--memory-engine", default="bergamot")
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--cli", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], float(args.serve[1]))
        return
    if args.cli:
        cli_child(*args.cli)
        return
    scratch = Path(tempfile.mkdtemp(prefix="glossator-serve-load-"))
    try:
        run(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(args: argparse.Namespace, scratch: Path) -> None:
    sentences = news_sentences()
    engines = [engine for engine in args.engines.split(",") if engine]
    env = {"ARGOS_PACKAGES_DIR": str(scratch / "packages")}
    if not engines:  # --engines '': the memory run only
        memory(args.memory_requests, args.memory_engine, env, sentences)
        return
    if "argos" in engines:
        start = time.perf_counter()
        build_argos_size_model(scratch)
        print(f"Argos-size random model built in {time.perf_counter() - start:.0f} s")
    print(f"{len(sentences)} news sentences, {args.requests} requests per client, "
          f"{os.cpu_count()} cores\n")
    print("| engine | gathering | clients | requests | req/s | p50 ms | p95 ms | errors | lost |")
    print("|---|---|---|---|---|---|---|---|---|")
    speed: dict[tuple[str, bool, int], float] = {}
    cli_speed: dict[str, float] = {}
    failures = 0
    for engine in engines:
        # Both servers run at once and the rounds alternate between them, so a load spike
        # from elsewhere on the machine hits gathering on and off alike; best round kept.
        # The CLI's batch of the 32-client row's sentences runs beside them, its rounds
        # alternating with that row's.
        servers = {gathering: Server(engine, 5.0 if gathering else 0.0, env)
                   for gathering in (True, False)}
        row = max(CLIENTS) * args.requests
        cli = CliBatch(engine, [sentences[i % len(sentences)] for i in range(row)],
                       scratch / f"cli-{engine}", env)
        try:
            for server in servers.values():
                asyncio.run(load(server.url, TARGETS[engine], 2, 2, sentences))  # warm up
            for clients in CLIENTS:
                best: dict[bool, tuple[float, list[float]]] = {}
                failed = {True: [0, 0], False: [0, 0]}  # errors, lost over the rounds
                for _round in range(args.rounds):
                    for gathering, server in servers.items():
                        seconds, latencies, errors, lost = asyncio.run(load(
                            server.url, TARGETS[engine], clients, args.requests, sentences))
                        failed[gathering][0] += errors
                        failed[gathering][1] += lost
                        rate = len(latencies) / seconds
                        if gathering not in best or rate > best[gathering][0]:
                            best[gathering] = (rate, latencies)
                    if clients == max(CLIENTS):
                        cli_speed[engine] = max(cli_speed.get(engine, 0.0), cli.round())
                for gathering, (rate, latencies) in best.items():
                    speed[(engine, gathering, clients)] = rate
                    errors, lost = failed[gathering]
                    failures += errors + lost
                    print(f"| {engine} | {'on' if gathering else 'off'} | {clients} "
                          f"| {clients * args.requests} | {rate:.1f} "
                          f"| {percentile(latencies, 0.5) * 1000:.0f} "
                          f"| {percentile(latencies, 0.95) * 1000:.0f} | {errors} | {lost} |",
                          flush=True)
        finally:
            cli.stop()
            for server in servers.values():
                server.stop()
    for engine in engines:
        ratio = speed[(engine, True, 32)] / speed[(engine, False, 32)]
        print(f"\n{engine}: 32 clients, gathering on vs one request per engine call: "
              f"{ratio:.2f}x" + (" (target >= 3x)" if engine == "argos" else ""))
    print(f"\nserve (32 clients, gathering on, one sentence per request) vs the CLI's batch "
          f"(translate_articles, the same {max(CLIENTS) * args.requests} sentences as one "
          "article, PO out), sentences/s:\n")
    print("| engine | serve | CLI batch | serve / CLI |")
    print("|---|---|---|---|")
    for engine in engines:
        serve_rate, cli_rate = speed[(engine, True, 32)], cli_speed[engine]
        print(f"| {engine} | {serve_rate:.1f} | {cli_rate:.1f} | {serve_rate / cli_rate:.2f} |")
    print("(target: serve / CLI >= 1.0)")
    print(f"errors + lost requests, all rows: {failures} (target 0)")
    if args.memory_requests:
        memory(args.memory_requests, args.memory_engine, env, sentences)


def mixed_request(index: int, target: str, sentences: list[str]) -> tuple[dict, bool]:
    """Request `index` of the mixed load: (JSON body, whether it must be refused with a 4xx).

    Of every 50: one bad request (in turn: no `q`, an unknown target, more characters than
    `--char-limit`, a body over `--body-limit`), and of every 10 others: a long text (8
    sentences in two paragraphs), an HTML one, one asking for 2 alternatives, and 7 single
    sentences."""
    pick = [sentences[(index * 7 + k) % len(sentences)] for k in range(8)]
    if index % 50 == 49:
        kind = (index // 50) % 4
        if kind == 0:
            return {"source": "en", "target": target}, True
        if kind == 1:
            return {"q": pick[0], "source": "en", "target": "xx"}, True
        if kind == 2:
            return {"q": "word " * 2001, "source": "en", "target": target}, True
        return {"q": ["x" * 1000] * 2100, "source": "en", "target": target}, True
    body = {"q": pick[0], "source": "en", "target": target}
    if index % 10 == 3:
        body["q"] = " ".join(pick[:4]) + "\n\n" + " ".join(pick[4:])
    elif index % 10 == 5:
        from html import escape

        body.update(q=f"<p>{escape(pick[0])}</p><p><b>{escape(pick[1])}</b> <a href='/x'>"
                      f"{escape(pick[2][:20])}</a></p>", format="html")
    elif index % 10 == 7:
        body["alternatives"] = 2
    return body, False


async def mixed_load(url: str, target: str, clients: int, first: int, per_client: int,
                     sentences: list[str]) -> dict[str, int]:
    """Requests first.. of the mixed load from `clients` clients; those that failed (a good
    request not answered with a translation, a bad one not refused with a 4xx), by kind."""
    import httpx

    failed: dict[str, int] = {}

    async def client(number: int, http: httpx.AsyncClient) -> None:
        nonlocal failed
        for k in range(per_client):
            index = first + number * per_client + k
            body, bad = mixed_request(index, target, sentences)
            try:
                reply = await http.post(f"{url}/translate", json=body)
                if bad:
                    ok = 400 <= reply.status_code < 500 and "error" in reply.json()
                else:
                    answer = reply.json()
                    ok = reply.status_code == 200 and bool(answer["translatedText"]) and (
                        "alternatives" not in body or isinstance(answer["alternatives"], list))
            except (httpx.HTTPError, ValueError, KeyError):
                ok = False
            if not ok:
                kind = (("no q", "unknown target", "char limit", "body limit")[(index // 50) % 4]
                        if bad else "good")
                failed[kind] = failed.get(kind, 0) + 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=600, limits=limits) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return failed


def memory(total: int, engine: str, env: dict[str, str], sentences: list[str]) -> None:
    server = Server(engine, 5.0, env)
    try:
        print(f"\nmemory, {engine}, gathering on, 32 clients, mixed load (of every 50 "
              "requests: 1 bad, must get a 4xx; of the rest 1 in 10 long (8 sentences), "
              "1 HTML, 1 with alternatives, 7 single sentences):")
        done, failed, checkpoints, rss = 0, {}, [], server.rss_mb()
        checkpoints.append(f"start: {rss:.0f} MB")
        step = max(total // 10, 32)
        first = None
        start = time.perf_counter()
        while done < total:
            per_client = max(step // 32, 1)
            for kind, count in asyncio.run(mixed_load(
                    server.url, TARGETS[engine], 32, done, per_client, sentences)).items():
                failed[kind] = failed.get(kind, 0) + count
            done += 32 * per_client
            rss = server.rss_mb()
            if first is None:
                first = (done, rss)
            checkpoints.append(f"{done}: {rss:.0f} MB")
        print("  " + ", ".join(checkpoints))
        print(f"  {done} requests in {time.perf_counter() - start:.0f} s, failed: "
              f"{sum(failed.values())} {failed or ''} (target 0)")
        growth = (rss / first[1] - 1) * 100 if first else 0.0
        print(f"  after {done} requests: {rss:.0f} MB, {growth:+.1f}% since the first "
              f"{first[0] if first else 0} ({first[1] if first else 0:.0f} MB; target within 10%)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
