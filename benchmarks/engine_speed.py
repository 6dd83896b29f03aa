"""How much faster ArgosEngine decodes than argostranslate, and than a plain CTranslate2 call.

No real Argos model can be downloaded here, so the model is a random one of Argos' size (6+6
layers, d_model 512, ffn 2048, 8 heads, 32000 tokens, int8) whose end-of-sentence is suppressed:
with the same `max_decoding_length` every variant decodes exactly as many steps per sentence.
All variants run in one process on the seed article's sentences, beam 4; compare the ratios,
not the absolute speeds, since machines (2 cores) are noisy.

    .venv/bin/python benchmarks/engine_speed.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "north-korea-shoigu-visit.txt"
MAX_DECODING_LENGTH = 64
BEAM_SIZE = 4
REPEATS = 3
ARGOS_REPEATS = 2  # about 12 s each on 2 cores

sys.path.insert(0, str(ROOT / "tests"))


def sentence_splitter() -> Callable[[str], list[str]]:
    try:
        from glossator.text.segmenter import split_sentences

        if split_sentences("One here. Two there.", "en") == ["One here.", "Two there."]:
            return lambda paragraph: split_sentences(paragraph, "en")
    except Exception:  # the segmenter is optional here: fall back to a regex
        pass
    return lambda paragraph: [s for s in re.split(r"(?<=[.!?…])\s+", paragraph.strip()) if s]


def best_of(repeats: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


class CappedTranslator:
    """Passes argostranslate's calls through with the benchmark's decoding cap added."""

    def __init__(self, translator) -> None:
        self.translator = translator
        self.calls = 0

    def translate_batch(self, source, **options):
        self.calls += 1
        options["max_decoding_length"] = MAX_DECODING_LENGTH
        return self.translator.translate_batch(source, **options)


def time_argostranslate(text: str, split: Callable[[str], list[str]], package: Path) -> float:
    import ctranslate2
    from argostranslate import settings
    from argostranslate import translate as argos_translate

    class RegexSentencizer:
        """Stands in for MiniSBD, which would download a model."""

        def __init__(self, pkg) -> None:
            self.pkg = pkg

        def split_sentences(self, paragraph: str) -> list[str]:
            return split(paragraph)

    argos_translate.MiniSBDSentencizer = RegexSentencizer
    translation = argos_translate.get_translation_from_codes("en", "de")
    inner = translation.underlying  # CachedTranslation → PackageTranslation
    # The translator argostranslate would build itself, wrapped to add the decoding cap.
    inner.translator = CappedTranslator(ctranslate2.Translator(
        str(package / "model"), device=settings.device,
        inter_threads=settings.inter_threads, intra_threads=settings.intra_threads))
    translation.translate("Warm up the model.")

    def translate_afresh() -> None:
        translation.cache = {}  # CachedTranslation would answer a repeated text from memory
        translation.translate(text)

    calls_before = inner.translator.calls
    elapsed = best_of(ARGOS_REPEATS, translate_afresh)
    calls = (inner.translator.calls - calls_before) // ARGOS_REPEATS
    print(f"  argostranslate: {calls} translate_batch calls per run (one per paragraph), "
          f"{settings.batch_size}-token batches, best of {ARGOS_REPEATS}")
    return elapsed


def cli_environment(scratch: Path) -> dict[str, str]:
    """The environment the CLI is timed in: bytecode written and read again (under `scratch`),
    as an installed glossator has it. With PYTHONDONTWRITEBYTECODE set (this machine sets it)
    and no bytecode, every run compiles each of glossator's modules again: 0.87-1.02 s for the
    seed article instead of 0.65-0.82 s (measured 2026-12-08)."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
    return environment


def time_cli(make_command: Callable[[], list[str]], repeats: int,
             environment: dict[str, str] | None = None) -> str:
    try:
        seconds = best_of(repeats, lambda: subprocess.run(
            make_command(), check=True, capture_output=True, timeout=60, cwd=ROOT,
            env=environment))
    except (OSError, subprocess.SubprocessError):
        return "n/a"
    return f"{seconds:.2f} s"


def glossator_command() -> list[str]:
    script = Path(sys.executable).with_name("glossator")
    return [str(script)] if script.exists() else [sys.executable, "-m", "glossator"]


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="glossator-bench-"))
    try:
        run(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(scratch: Path) -> None:
    # argostranslate reads these when first imported and creates folders under them.
    for kind in ("DATA", "CONFIG", "CACHE"):
        os.environ[f"XDG_{kind}_HOME"] = str(scratch / kind.lower())
    os.environ["ARGOS_PACKAGES_DIR"] = str(scratch / "packages")

    import ctranslate2
    import sentencepiece

    from glossator.engines.argos import ArgosEngine
    from glossator.engines.argos_packages import install_package_file
    from tiny_argos import build_argos_package

    text = SEED.read_text(encoding="utf-8")
    split = sentence_splitter()
    segments = [s for paragraph in text.split("\n") for s in split(paragraph)]
    lines = [line for line in text.splitlines() if line.strip()]

    start = time.perf_counter()
    archive = build_argos_package(
        scratch / "archives", "en", "de", seed=7, layers=6, d_model=512, heads=8, ffn=2048,
        vocab_size=32000, suppress_early_eos=True, quantization="int8",
        training_text=lines * 30, training_sentences=40000, lexicon_size=40000)
    package = install_package_file(archive)
    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package / "sentencepiece.model"))
    tokens = tokenizer.encode(segments, out_type=str)
    print(f"model: 6+6 layers, d_model 512, ffn 2048, 8 heads, 32000 tokens, int8 "
          f"(built in {time.perf_counter() - start:.1f} s); {len(segments)} sentences, "
          f"{sum(map(len, tokens))} source tokens, every output {MAX_DECODING_LENGTH} tokens, "
          f"beam {BEAM_SIZE}, {os.cpu_count()} cores")

    engine = ArgosEngine(beam_size=BEAM_SIZE, max_decoding_length=MAX_DECODING_LENGTH)
    plain = ctranslate2.Translator(str(package / "model"))
    workers = os.cpu_count() or 1
    tuned = ctranslate2.Translator(str(package / "model"), inter_threads=workers,
                                   intra_threads=1)
    share = -(-sum(map(len, tokens)) // workers) + max(map(len, tokens))
    variants: dict[str, Callable[[], object]] = {
        "ctranslate2 (one call, default threads)": lambda: plain.translate_batch(
            tokens, beam_size=BEAM_SIZE, max_decoding_length=MAX_DECODING_LENGTH),
        "ctranslate2 (one call, glossator's threads)": lambda: tuned.translate_batch(
            tokens, beam_size=BEAM_SIZE, max_decoding_length=MAX_DECODING_LENGTH,
            max_batch_size=share, batch_type="tokens"),
        "glossator ArgosEngine": lambda: engine.translate(segments, "en", "de"),
    }
    for run_variant in variants.values():
        run_variant()  # warm up: load, allocate
    times = {name: float("inf") for name in variants}
    for _ in range(REPEATS):  # interleaved, so that load spikes hit every variant alike
        for name, run_variant in variants.items():
            times[name] = min(times[name], best_of(1, run_variant))

    # Slow (one sentence per batch), so timed fewer times.
    times["argostranslate"] = time_argostranslate(text, split, package)

    speed = {name: len(segments) / seconds for name, seconds in times.items()}
    for name in ("argostranslate", *variants):
        print(f"{name}: {speed[name]:.2f} sentences/s ({times[name]:.2f} s)")
    ours = speed["glossator ArgosEngine"]
    raw = max(speed[name] for name in variants if name.startswith("ctranslate2"))

    command = glossator_command()
    environment = cli_environment(scratch)

    def bergamot() -> list[str]:
        # A fresh output folder each time: the CLI skips outputs that are already up to date.
        out = tempfile.mkdtemp(prefix="out-", dir=scratch)
        return [*command, "translate", str(SEED.relative_to(ROOT)), "--to", "pt",
                "--engine", "bergamot", "--out", out, "--quiet"]

    time_cli(bergamot, 1, environment)  # untimed: bytecode written, the term cache filled
    print(f"glossator --help: {time_cli(lambda: [*command, '--help'], 3, environment)} "
          "(best of 3)")
    print(f"glossator translate seed article en→pt, bergamot: "
          f"{time_cli(bergamot, 2, environment)} (best of 2, fresh output folder)")
    versus_argos = ours / speed["argostranslate"]
    print(f"vs_argostranslate={versus_argos:.2f}x vs_ctranslate2={ours / raw:.2f}x")


if __name__ == "__main__":
    main()
